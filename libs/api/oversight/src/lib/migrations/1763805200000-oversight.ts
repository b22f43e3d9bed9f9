import type { MigrationInterface, QueryRunner } from 'typeorm';

const READ = `app_is_platform() OR tenant_id = app_tenant() OR app_in_region(region_code)`;
const COUNTY = `app_is_platform() OR (app_org_kind() = 'county' AND app_in_region(region_code))`;
const AUTHORITY = `app_is_platform() OR (app_org_kind() IN ('county', 'city') AND app_in_region(region_code))`;
const OPERATOR = `(tenant_id = app_tenant() AND NOT app_read_only())`;

/**
 * Oversight (issue 16 §1–3): call-back samples and their calls (written by the county only), rectification
 * orders and their timeline (ordered, verified and closed by the county; started and answered by the operator),
 * inspection plans (a county's or a city's, region rows) and inspections with their findings (county or city).
 */
export class Oversight1763805200000 implements MigrationInterface {
  name = 'Oversight1763805200000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE callback_samples (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        region_code text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        period_from date NOT NULL,
        period_to date NOT NULL CHECK (period_to >= period_from),
        size integer NOT NULL CHECK (size BETWEEN 1 AND 200),
        threshold numeric(5, 2) NOT NULL CHECK (threshold > 0 AND threshold <= 100),
        status text NOT NULL DEFAULT 'committed' CHECK (status IN ('committed', 'drawn', 'completed')),
        alg text NOT NULL CHECK (alg IN ('sm3', 'sha256')),
        seed_hash text NOT NULL,
        -- Kept secret until the draw (the API shows it once drawn); its hash is published at once.
        seed text NOT NULL,
        rule text NOT NULL,
        candidates integer,
        candidates_digest text,
        confirmed integer,
        reached integer,
        rate numeric(5, 2),
        inspection_id uuid,
        created_by uuid NOT NULL,
        committed_at timestamptz NOT NULL DEFAULT now(),
        drawn_by uuid, drawn_at timestamptz,
        completed_by uuid, completed_at timestamptz,
        -- One draw per operator, county and period: a county cannot draw again until a sample suits it.
        UNIQUE (tenant_id, region_code, period_from, period_to)
      );
      CREATE TABLE callback_calls (
        id uuid PRIMARY KEY,
        sample_id uuid NOT NULL REFERENCES callback_samples(id),
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        region_code text NOT NULL,
        market_id uuid NOT NULL REFERENCES markets(id),
        rank integer NOT NULL,
        business_day date NOT NULL,
        seq bigint NOT NULL,
        kind text NOT NULL,
        entry_hash text NOT NULL,
        hmac text NOT NULL,
        worker_id uuid NOT NULL,
        outcome text CHECK (outcome IN ('confirmed', 'unreachable', 'denied', 'differs')),
        note text NOT NULL DEFAULT '',
        called_by uuid, called_at timestamptz,
        revealed_by uuid, revealed_at timestamptz,
        UNIQUE (sample_id, market_id, seq),
        UNIQUE (sample_id, rank)
      );
      CREATE INDEX callback_calls_worker ON callback_calls (sample_id, worker_id);

      CREATE TABLE inspection_plans (
        id uuid PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations(id),
        region_code text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('annual', 'quarterly', 'special')),
        title text NOT NULL,
        period_from date NOT NULL,
        period_to date NOT NULL CHECK (period_to >= period_from),
        note text NOT NULL DEFAULT '',
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE inspections (
        id uuid PRIMARY KEY,
        plan_id uuid REFERENCES inspection_plans(id),
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        region_code text NOT NULL,
        market_id uuid REFERENCES markets(id),
        kind text NOT NULL CHECK (kind IN ('on_site', 'online', 'document', 'follow_up')),
        status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'reported')),
        scheduled_on date NOT NULL,
        note text NOT NULL DEFAULT '',
        source_sample_id uuid REFERENCES callback_samples(id),
        results jsonb NOT NULL DEFAULT '[]',
        summary text,
        score numeric(5, 2),
        reported_by uuid, reported_at timestamptz,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX inspections_one_per_sample ON inspections (source_sample_id) WHERE source_sample_id IS NOT NULL;
      CREATE INDEX inspections_tenant ON inspections (tenant_id, scheduled_on);
      CREATE TABLE inspection_findings (
        id uuid PRIMARY KEY,
        inspection_id uuid NOT NULL REFERENCES inspections(id),
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        region_code text NOT NULL,
        code text,
        text text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('minor', 'major', 'critical')),
        photos text[] NOT NULL DEFAULT '{}',
        position integer NOT NULL
      );
      CREATE INDEX inspection_findings_inspection ON inspection_findings (inspection_id, position);

      CREATE TABLE rectifications (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        region_code text NOT NULL,
        market_id uuid REFERENCES markets(id),
        source_kind text NOT NULL CHECK (source_kind IN ('inspection', 'callback_sample', 'assessment')),
        source_id text NOT NULL,
        title text NOT NULL,
        items jsonb NOT NULL,
        severity text NOT NULL CHECK (severity IN ('minor', 'major', 'critical')),
        responsible_person text NOT NULL,
        deadline_days integer NOT NULL CHECK (deadline_days BETWEEN 1 AND 120),
        ordered_on date NOT NULL,
        due_on date NOT NULL CHECK (due_on >= ordered_on),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_progress', 'rectified', 'verified', 'closed')),
        rounds integer NOT NULL DEFAULT 0,
        escalated_at timestamptz,
        escalated_to text,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX rectifications_tenant ON rectifications (tenant_id, status);
      CREATE INDEX rectifications_open_due ON rectifications (due_on) WHERE status IN ('pending', 'in_progress') AND escalated_at IS NULL;
      CREATE TABLE rectification_events (
        id uuid PRIMARY KEY,
        rectification_id uuid NOT NULL REFERENCES rectifications(id),
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        region_code text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        action text NOT NULL,
        from_status text,
        to_status text NOT NULL,
        by_user uuid,
        by_name text,
        note text NOT NULL DEFAULT '',
        verdict text CHECK (verdict IN ('pass', 'partial', 'fail')),
        attachments text[] NOT NULL DEFAULT '{}'
      );
      CREATE INDEX rectification_events_order ON rectification_events (rectification_id, at);
    `);
    for (const t of ['callback_samples', 'callback_calls', 'inspections', 'inspection_findings', 'rectifications', 'rectification_events', 'inspection_plans']) {
      await q.query(`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY; ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;`);
    }
    await q.query(`
      CREATE POLICY callback_samples_read ON callback_samples FOR SELECT USING (${READ});
      CREATE POLICY callback_samples_insert ON callback_samples FOR INSERT WITH CHECK (${COUNTY});
      CREATE POLICY callback_samples_update ON callback_samples FOR UPDATE USING (${COUNTY}) WITH CHECK (${COUNTY});
      CREATE POLICY callback_calls_read ON callback_calls FOR SELECT USING (${READ});
      CREATE POLICY callback_calls_insert ON callback_calls FOR INSERT WITH CHECK (${COUNTY});
      CREATE POLICY callback_calls_update ON callback_calls FOR UPDATE USING (${COUNTY}) WITH CHECK (${COUNTY});

      CREATE POLICY inspection_plans_read ON inspection_plans FOR SELECT USING (app_is_platform() OR app_in_region(region_code));
      CREATE POLICY inspection_plans_insert ON inspection_plans FOR INSERT WITH CHECK (app_is_platform() OR (app_org_kind() IN ('county', 'city') AND region_code = current_setting('app.region_prefix', true)));
      CREATE POLICY inspections_read ON inspections FOR SELECT USING (${READ});
      CREATE POLICY inspections_insert ON inspections FOR INSERT WITH CHECK (${AUTHORITY});
      CREATE POLICY inspections_update ON inspections FOR UPDATE USING (${AUTHORITY}) WITH CHECK (${AUTHORITY});
      CREATE POLICY inspection_findings_read ON inspection_findings FOR SELECT USING (${READ});
      CREATE POLICY inspection_findings_insert ON inspection_findings FOR INSERT WITH CHECK (${AUTHORITY});

      CREATE POLICY rectifications_read ON rectifications FOR SELECT USING (${READ});
      CREATE POLICY rectifications_insert ON rectifications FOR INSERT WITH CHECK (${COUNTY});
      CREATE POLICY rectifications_update ON rectifications FOR UPDATE USING (${COUNTY} OR ${OPERATOR}) WITH CHECK (${COUNTY} OR tenant_id = app_tenant());
      CREATE POLICY rectification_events_read ON rectification_events FOR SELECT USING (${READ});
      CREATE POLICY rectification_events_insert ON rectification_events FOR INSERT WITH CHECK (${COUNTY} OR ${OPERATOR});

      GRANT SELECT, INSERT, UPDATE ON callback_samples, callback_calls, inspections, rectifications TO linggong_app_access;
      GRANT SELECT, INSERT ON inspection_plans, inspection_findings, rectification_events TO linggong_app_access;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE rectification_events, rectifications, inspection_findings, inspections, inspection_plans, callback_calls, callback_samples');
  }
}
