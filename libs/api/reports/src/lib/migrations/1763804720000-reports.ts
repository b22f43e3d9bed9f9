import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monthly supply–demand reports and their chain (issue 14 §3–5; R-E3–E6). Region rows, not a tenant's:
 * RLS lets the platform and the authorities of the region (and above) read them; a report is written by
 * its own level (county, city: region_code = the caller's region) and reviewed by the province above.
 *
 * - supply_demand_reports: one row per region, month and version. A returned report stays as it was; the
 *   resubmission is a new version. Once submitted a version is frozen: figures, narratives, parts and the
 *   SM3 digest cannot change (trigger), only its review (accepted / returned with a reason).
 * - report_reminders: one row per region, month and reminder (three working days before, on the day),
 *   so a job that runs twice reminds once.
 * - report_releases: the public monthly release of a province (R-E4), written when the province has
 *   accepted every expected city's report of the month; read by anyone (no sign-in).
 */
export class Reports1763804720000 implements MigrationInterface {
  name = 'Reports1763804720000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE supply_demand_reports (
        id uuid PRIMARY KEY,
        region_code text NOT NULL CHECK (region_code ~ '^\\d{4}(\\d{2})?$'),
        level text NOT NULL CHECK (level IN ('county', 'city')),
        month text NOT NULL CHECK (month ~ '^\\d{4}-(0[1-9]|1[0-2])$'),
        version integer NOT NULL CHECK (version >= 1),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'accepted', 'returned')),
        figures jsonb,
        analysis text,
        measures text,
        parts jsonb NOT NULL DEFAULT '[]',
        digest text CHECK (digest IS NULL OR digest ~ '^[0-9a-f]{64}$'),
        due date NOT NULL,
        submitted_at timestamptz,
        submitted_by uuid,
        on_time boolean,
        reviewed_at timestamptz,
        reviewed_by uuid,
        return_reason text,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (region_code, month, version),
        CHECK (status = 'draft' OR (digest IS NOT NULL AND figures IS NOT NULL AND submitted_at IS NOT NULL)),
        CHECK (status <> 'returned' OR return_reason IS NOT NULL)
      );
      -- One live version per region and month: a new version only after a return.
      CREATE UNIQUE INDEX supply_demand_reports_live ON supply_demand_reports (region_code, month) WHERE status <> 'returned';
      CREATE INDEX supply_demand_reports_month ON supply_demand_reports (month, region_code text_pattern_ops);

      CREATE FUNCTION supply_demand_reports_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.status <> 'draft' THEN RAISE EXCEPTION 'report % is frozen', OLD.id USING ERRCODE = 'check_violation'; END IF;
          RETURN OLD;
        END IF;
        IF OLD.status <> 'draft' AND (NEW.figures IS DISTINCT FROM OLD.figures OR NEW.analysis IS DISTINCT FROM OLD.analysis
            OR NEW.measures IS DISTINCT FROM OLD.measures OR NEW.parts IS DISTINCT FROM OLD.parts OR NEW.digest IS DISTINCT FROM OLD.digest
            OR NEW.submitted_at IS DISTINCT FROM OLD.submitted_at OR NEW.region_code <> OLD.region_code OR NEW.month <> OLD.month OR NEW.version <> OLD.version
            OR NOT (OLD.status = 'submitted' AND NEW.status IN ('submitted', 'accepted', 'returned'))) THEN
          RAISE EXCEPTION 'report % is frozen', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER supply_demand_reports_frozen BEFORE UPDATE OR DELETE ON supply_demand_reports FOR EACH ROW EXECUTE FUNCTION supply_demand_reports_frozen();

      CREATE TABLE report_reminders (
        region_code text NOT NULL,
        month text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('before', 'due')),
        day date NOT NULL,
        recipients integer NOT NULL DEFAULT 0,
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (region_code, month, kind)
      );

      CREATE TABLE report_releases (
        province_code text NOT NULL CHECK (province_code ~ '^\\d{2}$'),
        month text NOT NULL CHECK (month ~ '^\\d{4}-(0[1-9]|1[0-2])$'),
        data jsonb NOT NULL,
        digest text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
        released_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (province_code, month)
      );
    `);
    const region = `(SELECT app_is_platform()) OR ((SELECT app_region_prefix()) <> '' AND region_code LIKE (SELECT app_region_prefix()) || '%')`;
    await q.query(`
      ALTER TABLE supply_demand_reports ENABLE ROW LEVEL SECURITY;
      ALTER TABLE supply_demand_reports FORCE ROW LEVEL SECURITY;
      CREATE POLICY supply_demand_reports_read ON supply_demand_reports FOR SELECT USING (${region});
      -- Written by its own level only; reviewed (accepted, returned) by the authorities above, whose prefix it starts with.
      CREATE POLICY supply_demand_reports_insert ON supply_demand_reports FOR INSERT WITH CHECK ((SELECT app_is_platform()) OR region_code = (SELECT app_region_prefix()));
      CREATE POLICY supply_demand_reports_update ON supply_demand_reports FOR UPDATE USING (${region}) WITH CHECK (${region});
      CREATE POLICY supply_demand_reports_delete ON supply_demand_reports FOR DELETE USING ((SELECT app_is_platform()) OR region_code = (SELECT app_region_prefix()));
      GRANT SELECT, INSERT, UPDATE, DELETE ON supply_demand_reports TO linggong_app_access;

      ALTER TABLE report_reminders ENABLE ROW LEVEL SECURITY;
      ALTER TABLE report_reminders FORCE ROW LEVEL SECURITY;
      CREATE POLICY report_reminders_read ON report_reminders FOR SELECT USING (${region});
      CREATE POLICY report_reminders_insert ON report_reminders FOR INSERT WITH CHECK (app_is_platform());
      GRANT SELECT, INSERT ON report_reminders TO linggong_app_access;

      ALTER TABLE report_releases ENABLE ROW LEVEL SECURITY;
      ALTER TABLE report_releases FORCE ROW LEVEL SECURITY;
      -- Public data once released (R-E4): anyone reads; written as the platform when the province's last city is accepted.
      CREATE POLICY report_releases_read ON report_releases FOR SELECT USING (true);
      CREATE POLICY report_releases_insert ON report_releases FOR INSERT WITH CHECK (app_is_platform());
      GRANT SELECT, INSERT ON report_releases TO linggong_app_access;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE report_releases; DROP TABLE report_reminders;
      DROP TRIGGER supply_demand_reports_frozen ON supply_demand_reports; DROP FUNCTION supply_demand_reports_frozen();
      DROP TABLE supply_demand_reports;
    `);
  }
}
