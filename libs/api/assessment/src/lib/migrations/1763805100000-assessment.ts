import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Assessment (issue 15; R-A3, R-F1, R-F2): contracts, indicator templates, cycles, assessments, their
 * frozen figures and items, and subsidy statements.
 *
 * - contracts: the county's 政府购买服务 contract with an operator; one row per version (an amendment is the
 *   next version, the previous one keeps its row with `superseded_at`). Content is never updated (trigger).
 *   Today's market assignments get a `legacy` contract per operator and county, flagged `needs_terms`
 *   (`contracts_cover_legacy()`, also called by the demo seed after it assigns markets).
 * - assessment_templates: the province's indicator templates, one row per version, immutable (trigger).
 * - assessment_cycles: a cycle pins a template version; opened by the province or a county.
 * - assessments: one per contract in a cycle; assessment_figures: the KPI figures frozen at the cutoff, one
 *   row per version with its digest, immutable (trigger); a recomputation is the next version, with a reason.
 * - assessment_items: one per leaf indicator: rule points, self / county / audit / appeal scores.
 * - subsidy_statements: the county's approved statement of a contract in a cycle (no tenant_id: the
 *   operator reads it through its assessment).
 */
export class Assessment1763805100000 implements MigrationInterface {
  name = 'Assessment1763805100000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contracts (
        id uuid PRIMARY KEY,
        region_code text NOT NULL CHECK (region_code ~ '^\\d{6}$'),
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        number text NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        title text NOT NULL,
        term_from date NOT NULL,
        term_to date NOT NULL CHECK (term_to >= term_from),
        market_ids uuid[] NOT NULL,
        amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
        schedule jsonb NOT NULL DEFAULT '[]',
        unit_rates jsonb NOT NULL DEFAULT '[]',
        grade_factors jsonb NOT NULL,
        document_sm3 text CHECK (document_sm3 IS NULL OR document_sm3 ~ '^[0-9a-f]{64}$'),
        needs_terms boolean NOT NULL DEFAULT false,
        reason text,
        superseded_at timestamptz,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (region_code, number, version)
      );
      CREATE UNIQUE INDEX contracts_live ON contracts (region_code, number) WHERE superseded_at IS NULL;
      CREATE INDEX contracts_tenant ON contracts (tenant_id);
      CREATE FUNCTION contracts_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR NEW.superseded_at IS NULL OR OLD.superseded_at IS NOT NULL
           OR (to_jsonb(NEW) - 'superseded_at') IS DISTINCT FROM (to_jsonb(OLD) - 'superseded_at') THEN
          RAISE EXCEPTION 'contract % is a recorded version: amend it with a new version', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER contracts_frozen BEFORE UPDATE OR DELETE ON contracts FOR EACH ROW EXECUTE FUNCTION contracts_frozen();

      CREATE TABLE assessment_templates (
        id uuid PRIMARY KEY,
        province_code text NOT NULL CHECK (province_code ~ '^\\d{2}$'),
        name text NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        body jsonb NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (province_code, name, version)
      );
      CREATE FUNCTION assessment_templates_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'template versions are immutable' USING ERRCODE = 'check_violation'; END $$;
      CREATE TRIGGER assessment_templates_frozen BEFORE UPDATE OR DELETE ON assessment_templates FOR EACH ROW EXECUTE FUNCTION assessment_templates_frozen();

      CREATE TABLE assessment_cycles (
        id uuid PRIMARY KEY,
        region_code text NOT NULL CHECK (region_code ~ '^\\d{2}(\\d{4})?$'),
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('quarterly', 'annual', 'special')),
        template_id uuid NOT NULL REFERENCES assessment_templates(id),
        period_from date NOT NULL,
        period_to date NOT NULL,
        cutoff date NOT NULL,
        self_deadline date NOT NULL,
        review_deadline date NOT NULL,
        appeal_days integer NOT NULL,
        sample_pct integer NOT NULL CHECK (sample_pct BETWEEN 0 AND 100),
        state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'frozen', 'published')),
        frozen_at timestamptz,
        published_at timestamptz,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (period_from <= period_to AND period_to <= cutoff AND cutoff <= self_deadline AND self_deadline <= review_deadline)
      );

      CREATE TABLE assessments (
        id uuid PRIMARY KEY,
        cycle_id uuid NOT NULL REFERENCES assessment_cycles(id),
        contract_id uuid NOT NULL REFERENCES contracts(id),
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        region_code text NOT NULL,
        state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'self', 'review', 'reviewed', 'published', 'appealed', 'final')),
        figures_version integer NOT NULL DEFAULT 0,
        sampled boolean NOT NULL DEFAULT false,
        self_submitted_at timestamptz, self_by uuid,
        reviewed_at timestamptz, reviewer_id uuid,
        audited_at timestamptz, auditor_id uuid,
        total numeric(6, 2), grade text CHECK (grade IS NULL OR grade IN ('excellent', 'good', 'fair', 'poor')),
        consequence text CHECK (consequence IS NULL OR consequence IN ('none', 'warning', 'rectification', 'exit_proposable')),
        published_at timestamptz,
        appeal_reason text, appeal_items text[], appeal_at timestamptz, appeal_by uuid,
        appeal_decision text CHECK (appeal_decision IS NULL OR appeal_decision IN ('upheld', 'rejected')),
        appeal_decision_reason text, appeal_decided_by uuid, appeal_decided_at timestamptz,
        total_before_appeal numeric(6, 2), grade_before_appeal text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (cycle_id, contract_id)
      );
      CREATE INDEX assessments_tenant ON assessments (tenant_id);

      CREATE TABLE assessment_figures (
        assessment_id uuid NOT NULL REFERENCES assessments(id),
        version integer NOT NULL CHECK (version >= 1),
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        region_code text NOT NULL,
        figures jsonb NOT NULL,
        digest text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
        reason text,
        frozen_at timestamptz NOT NULL,
        frozen_by uuid NOT NULL,
        PRIMARY KEY (assessment_id, version)
      );
      CREATE FUNCTION assessment_figures_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'frozen figures are immutable: recompute as a new version' USING ERRCODE = 'check_violation'; END $$;
      CREATE TRIGGER assessment_figures_frozen BEFORE UPDATE OR DELETE ON assessment_figures FOR EACH ROW EXECUTE FUNCTION assessment_figures_frozen();

      CREATE TABLE assessment_items (
        assessment_id uuid NOT NULL REFERENCES assessments(id),
        code text NOT NULL,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        region_code text NOT NULL,
        ord integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('kpi', 'evidence')),
        zh text NOT NULL,
        path text[] NOT NULL,
        weight numeric(6, 2) NOT NULL,
        value numeric,
        rule_points numeric(6, 2),
        self_score numeric(6, 2), self_explanation text, evidence jsonb NOT NULL DEFAULT '[]',
        county_score numeric(6, 2), county_comment text,
        audit_score numeric(6, 2), audit_reason text,
        appeal_score numeric(6, 2),
        PRIMARY KEY (assessment_id, code)
      );

      CREATE TABLE subsidy_statements (
        id uuid PRIMARY KEY,
        assessment_id uuid NOT NULL UNIQUE REFERENCES assessments(id),
        region_code text NOT NULL,
        data jsonb NOT NULL,
        payable_fen bigint NOT NULL,
        digest text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
        approved_by uuid NOT NULL,
        approved_at timestamptz NOT NULL DEFAULT now()
      );

      -- Today's assignments (issue 15 §1): each operator's markets of a county get one 'legacy' contract flagged as
      -- needing its terms, so every assigned market is covered; the county records the real terms as the next version.
      CREATE FUNCTION contracts_cover_legacy() RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE n integer;
      BEGIN
        INSERT INTO contracts (id, region_code, tenant_id, number, version, title, term_from, term_to, market_ids, amount_fen, schedule, unit_rates, grade_factors, needs_terms, reason)
        SELECT gen_random_uuid(), m.region_code, m.tenant_id, 'LEGACY-' || m.region_code || '-' || left(m.tenant_id::text, 8), 1,
               '存量委托运营（待补录合同条款）', min(m.created_at)::date, (min(m.created_at) + interval '3 years')::date, array_agg(m.id ORDER BY m.id), 0,
               '[]', '[]', '{"excellent":100,"good":90,"fair":70,"poor":0}', true, 'legacy assignment before contracts were recorded'
        FROM markets m
        WHERE m.tenant_id IS NOT NULL AND m.region_code ~ '^\\d{6}$'
          AND NOT EXISTS (SELECT 1 FROM contracts c WHERE c.tenant_id = m.tenant_id AND c.superseded_at IS NULL AND m.id = ANY(c.market_ids))
        GROUP BY m.region_code, m.tenant_id
        ON CONFLICT DO NOTHING;
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n;
      END $$;
      SELECT contracts_cover_legacy();
    `);
    const region = `app_is_platform() OR app_in_region(region_code)`;
    const tenantOrRegion = `${region} OR tenant_id = app_tenant()`;
    await q.query(`
      ALTER TABLE contracts ENABLE ROW LEVEL SECURITY; ALTER TABLE contracts FORCE ROW LEVEL SECURITY;
      CREATE POLICY contracts_read ON contracts FOR SELECT USING (${tenantOrRegion});
      CREATE POLICY contracts_insert ON contracts FOR INSERT WITH CHECK (${region});
      CREATE POLICY contracts_update ON contracts FOR UPDATE USING (${region}) WITH CHECK (${region});
      GRANT SELECT, INSERT, UPDATE ON contracts TO linggong_app_access;

      ALTER TABLE assessment_templates ENABLE ROW LEVEL SECURITY; ALTER TABLE assessment_templates FORCE ROW LEVEL SECURITY;
      -- Templates are the province's published rules: every signed-in scope reads them; the province writes its own.
      CREATE POLICY assessment_templates_read ON assessment_templates FOR SELECT USING (app_is_platform() OR app_org_kind() <> '');
      CREATE POLICY assessment_templates_insert ON assessment_templates FOR INSERT WITH CHECK (app_is_platform() OR province_code = current_setting('app.region_prefix', true));
      GRANT SELECT, INSERT ON assessment_templates TO linggong_app_access;

      ALTER TABLE assessment_cycles ENABLE ROW LEVEL SECURITY; ALTER TABLE assessment_cycles FORCE ROW LEVEL SECURITY;
      -- A province's cycle is read by its cities and counties too (region_code is a prefix of theirs), an operator reads the cycles it is assessed in.
      CREATE POLICY assessment_cycles_read ON assessment_cycles FOR SELECT USING (app_is_platform() OR app_in_region(region_code)
        OR (current_setting('app.region_prefix', true) <> '' AND current_setting('app.region_prefix', true) LIKE region_code || '%')
        OR EXISTS (SELECT 1 FROM assessments a WHERE a.cycle_id = assessment_cycles.id AND a.tenant_id = app_tenant()));
      CREATE POLICY assessment_cycles_insert ON assessment_cycles FOR INSERT WITH CHECK (app_is_platform() OR region_code = current_setting('app.region_prefix', true));
      CREATE POLICY assessment_cycles_update ON assessment_cycles FOR UPDATE USING (app_is_platform() OR app_in_region(region_code)
        OR (current_setting('app.region_prefix', true) <> '' AND current_setting('app.region_prefix', true) LIKE region_code || '%'));
      GRANT SELECT, INSERT, UPDATE ON assessment_cycles TO linggong_app_access;

      ALTER TABLE assessments ENABLE ROW LEVEL SECURITY; ALTER TABLE assessments FORCE ROW LEVEL SECURITY;
      CREATE POLICY assessments_read ON assessments FOR SELECT USING (${tenantOrRegion});
      CREATE POLICY assessments_insert ON assessments FOR INSERT WITH CHECK (${region});
      CREATE POLICY assessments_update ON assessments FOR UPDATE USING (${region} OR (tenant_id = app_tenant() AND NOT app_read_only()))
        WITH CHECK (${region} OR (tenant_id = app_tenant() AND NOT app_read_only()));
      GRANT SELECT, INSERT, UPDATE ON assessments TO linggong_app_access;

      ALTER TABLE assessment_figures ENABLE ROW LEVEL SECURITY; ALTER TABLE assessment_figures FORCE ROW LEVEL SECURITY;
      CREATE POLICY assessment_figures_read ON assessment_figures FOR SELECT USING (${tenantOrRegion});
      CREATE POLICY assessment_figures_insert ON assessment_figures FOR INSERT WITH CHECK (${region});
      GRANT SELECT, INSERT ON assessment_figures TO linggong_app_access;

      ALTER TABLE assessment_items ENABLE ROW LEVEL SECURITY; ALTER TABLE assessment_items FORCE ROW LEVEL SECURITY;
      CREATE POLICY assessment_items_read ON assessment_items FOR SELECT USING (${tenantOrRegion});
      CREATE POLICY assessment_items_insert ON assessment_items FOR INSERT WITH CHECK (${region});
      CREATE POLICY assessment_items_update ON assessment_items FOR UPDATE USING (${region} OR (tenant_id = app_tenant() AND NOT app_read_only()))
        WITH CHECK (${region} OR (tenant_id = app_tenant() AND NOT app_read_only()));
      GRANT SELECT, INSERT, UPDATE ON assessment_items TO linggong_app_access;

      ALTER TABLE subsidy_statements ENABLE ROW LEVEL SECURITY; ALTER TABLE subsidy_statements FORCE ROW LEVEL SECURITY;
      CREATE POLICY subsidy_statements_read ON subsidy_statements FOR SELECT USING (${region}
        OR EXISTS (SELECT 1 FROM assessments a WHERE a.id = subsidy_statements.assessment_id AND a.tenant_id = app_tenant()));
      CREATE POLICY subsidy_statements_insert ON subsidy_statements FOR INSERT WITH CHECK (${region});
      GRANT SELECT, INSERT ON subsidy_statements TO linggong_app_access;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE subsidy_statements; DROP TABLE assessment_items; DROP TABLE assessment_figures; DROP FUNCTION assessment_figures_frozen() CASCADE;
      DROP TABLE assessments; DROP TABLE assessment_cycles; DROP TABLE assessment_templates; DROP FUNCTION assessment_templates_frozen() CASCADE;
      DROP FUNCTION contracts_cover_legacy(); DROP TABLE contracts; DROP FUNCTION contracts_frozen() CASCADE;
    `);
  }
}
