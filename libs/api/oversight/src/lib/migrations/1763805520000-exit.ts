import type { MigrationInterface, QueryRunner } from 'typeorm';

const AUTH = `app_is_platform() OR (app_org_kind() IN ('county', 'city') AND app_in_region(region_code))`;
const COUNTY = `app_is_platform() OR (app_org_kind() = 'county' AND app_in_region(region_code))`;

/**
 * Exit of a failing operator and the handover of its markets (issue 16 §4, R-F1): the case (the county proposes, the
 * city decides, the operator answers), its timeline, and one handover per market with its checklist and both sides'
 * signatures. The outgoing operator reads its case; the successor reads the handovers it takes over, nothing else of
 * the case; authorities read their region's.
 */
export class Exit1763805520000 implements MigrationInterface {
  name = 'Exit1763805520000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE exit_cases (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        region_code text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'exiting', 'archived', 'rejected')),
        grounds text[] NOT NULL CHECK (cardinality(grounds) >= 1
          AND grounds <@ ARRAY['poor_grade_failed_rectification', 'failed_callback', 'not_public_interest', 'fraud']),
        reason text NOT NULL,
        answer_days integer NOT NULL CHECK (answer_days BETWEEN 1 AND 30),
        answer_due date,
        answer text,
        answered_at timestamptz,
        proposed_by uuid NOT NULL,
        proposed_by_name text,
        proposed_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid,
        decided_by_name text,
        decided_at timestamptz,
        decision_note text,
        exiting_at timestamptz,
        archived_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- Another person decides (R-F1: proposed by the county, approved by the city).
        CHECK (decided_by IS NULL OR decided_by <> proposed_by)
      );
      -- One case in progress per operator.
      CREATE UNIQUE INDEX exit_cases_live ON exit_cases (tenant_id) WHERE status IN ('proposed', 'approved', 'exiting');
      CREATE INDEX exit_cases_region ON exit_cases (region_code, created_at);
      CREATE TABLE exit_events (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES exit_cases(id),
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        region_code text NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        step text NOT NULL,
        by_user uuid,
        by_name text,
        org_kind text,
        note text
      );
      CREATE INDEX exit_events_case ON exit_events (case_id, at);
      CREATE TABLE market_handovers (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES exit_cases(id),
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        successor_id uuid NOT NULL REFERENCES organisations(id) CHECK (successor_id <> tenant_id),
        region_code text NOT NULL,
        market_id uuid NOT NULL REFERENCES markets(id),
        contract_id uuid NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed')),
        checklist jsonb NOT NULL,
        checklist_digest text NOT NULL,
        outgoing_signed_by uuid, outgoing_signed_by_name text, outgoing_signed_at timestamptz,
        successor_signed_by uuid, successor_signed_by_name text, successor_signed_at timestamptz,
        last_seal jsonb,
        handover_seq bigint,
        transferred jsonb,
        completed_at timestamptz,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX market_handovers_open ON market_handovers (market_id) WHERE status = 'open';
      CREATE INDEX market_handovers_case ON market_handovers (case_id);
      CREATE INDEX market_handovers_successor ON market_handovers (successor_id);
    `);
    for (const t of ['exit_cases', 'exit_events', 'market_handovers']) {
      await q.query(`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY; ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;`);
    }
    await q.query(`
      CREATE POLICY exit_cases_read ON exit_cases FOR SELECT USING (app_is_platform() OR tenant_id = app_tenant() OR app_in_region(region_code));
      CREATE POLICY exit_cases_insert ON exit_cases FOR INSERT WITH CHECK (${COUNTY});
      -- The authorities move the case; the operator writes its answer (not once archived: read-only).
      CREATE POLICY exit_cases_update ON exit_cases FOR UPDATE
        USING (${AUTH} OR (tenant_id = app_tenant() AND NOT app_read_only()))
        WITH CHECK (${AUTH} OR (tenant_id = app_tenant() AND NOT app_read_only()));
      CREATE POLICY exit_events_read ON exit_events FOR SELECT USING (app_is_platform() OR tenant_id = app_tenant() OR app_in_region(region_code));
      CREATE POLICY exit_events_insert ON exit_events FOR INSERT WITH CHECK (${AUTH} OR (tenant_id = app_tenant() AND NOT app_read_only()));
      CREATE POLICY market_handovers_read ON market_handovers FOR SELECT
        USING (app_is_platform() OR tenant_id = app_tenant() OR successor_id = app_tenant() OR app_in_region(region_code));
      CREATE POLICY market_handovers_insert ON market_handovers FOR INSERT WITH CHECK (${COUNTY});
      CREATE POLICY market_handovers_update ON market_handovers FOR UPDATE
        USING (${COUNTY} OR ((tenant_id = app_tenant() OR successor_id = app_tenant()) AND NOT app_read_only()))
        WITH CHECK (${COUNTY} OR ((tenant_id = app_tenant() OR successor_id = app_tenant()) AND NOT app_read_only()));
      GRANT SELECT, INSERT, UPDATE ON exit_cases, market_handovers TO linggong_app_access;
      GRANT SELECT, INSERT ON exit_events TO linggong_app_access;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE market_handovers; DROP TABLE exit_events; DROP TABLE exit_cases;');
  }
}
