import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = ['hardship_records', 'assistance_plans', 'assistance_steps', 'public_welfare_posts', 'service_records'];

/**
 * Assistance for difficult workers (R-B9) and service records (R-B12, R-B14), issue 5 §1 and §4.
 * Hardship categories and their evidence are one encrypted value (AES-256-GCM, api-core Pii); the
 * derived tier lives on workers.hardship_tier (written through the registry's directory service).
 * The service package is reference data per province with a default row ('00').
 */
export class Assistance1763800900000 implements MigrationInterface {
  name = 'Assistance1763800900000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE assistance_packages (
        region_code text PRIMARY KEY CHECK (region_code ~ '^\\d{2}$'),
        guidance smallint NOT NULL CHECK (guidance BETWEEN 0 AND 20),
        referrals smallint NOT NULL CHECK (referrals BETWEEN 0 AND 20),
        training smallint NOT NULL CHECK (training BETWEEN 0 AND 20),
        follow_up_days smallint NOT NULL CHECK (follow_up_days BETWEEN 1 AND 180),
        behind_days smallint NOT NULL CHECK (behind_days BETWEEN 1 AND 365),
        source text NOT NULL DEFAULT '',
        updated_by uuid,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- Written by the province (or the platform for the default) through the API's ability check.
      GRANT SELECT, INSERT, UPDATE ON assistance_packages TO linggong_app_access;
      INSERT INTO assistance_packages (region_code, guidance, referrals, training, follow_up_days, behind_days, source) VALUES
        ('00', 1, 3, 1, 30, 60, '人社部发〔2022〕38号 四：“1次职业指导、3次岗位推荐、1次职业培训”');

      CREATE TABLE hardship_records (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        worker_id uuid NOT NULL UNIQUE REFERENCES workers(id),
        -- {"categories": [...], "evidence": "..."} encrypted; nothing about the hardship is readable in the table.
        data_enc text NOT NULL,
        consent_at timestamptz NOT NULL,
        recorded_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE assistance_plans (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        worker_id uuid NOT NULL REFERENCES workers(id),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'package_complete', 'stable_employment', 'closed')),
        goal text NOT NULL,
        note text NOT NULL DEFAULT '',
        -- The package in force when the plan opened (its province's row, or the default).
        pkg_guidance smallint NOT NULL,
        pkg_referrals smallint NOT NULL,
        pkg_training smallint NOT NULL,
        follow_up_days smallint NOT NULL,
        behind_days smallint NOT NULL,
        opened_at timestamptz NOT NULL DEFAULT now(),
        opened_by uuid,
        package_completed_at timestamptz,
        next_follow_up_on date,
        last_follow_up_on date,
        closed_at timestamptz,
        closed_by uuid,
        close_reason text,
        stable_employer text
      );
      CREATE UNIQUE INDEX assistance_plans_open ON assistance_plans (worker_id) WHERE status IN ('active', 'package_complete');
      CREATE INDEX assistance_plans_market ON assistance_plans (market_id, status, opened_at);

      CREATE TABLE assistance_steps (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        plan_id uuid NOT NULL REFERENCES assistance_plans(id),
        kind text NOT NULL CHECK (kind IN ('referral', 'training', 'follow_up')),
        occurred_at timestamptz NOT NULL,
        note text NOT NULL,
        course_name text,
        referred_to text,
        outcome text CHECK (outcome IN ('still_seeking', 'working_temporary', 'stable_employment')),
        employer_name text,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX assistance_steps_plan ON assistance_steps (plan_id, occurred_at);

      CREATE TABLE public_welfare_posts (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        worker_id uuid NOT NULL REFERENCES workers(id),
        plan_id uuid REFERENCES assistance_plans(id),
        employer_name text NOT NULL,
        post_name text NOT NULL,
        start_on date NOT NULL,
        end_on date NOT NULL CHECK (end_on >= start_on),
        note text NOT NULL DEFAULT '',
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX public_welfare_posts_worker ON public_welfare_posts (worker_id);

      CREATE TABLE service_records (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('vocational_guidance', 'policy_consultation', 'labour_contract_guidance', 'rights_guidance', 'accident_insurance_info')),
        worker_id uuid REFERENCES workers(id),
        employer_id uuid REFERENCES employers(id),
        occurred_at timestamptz NOT NULL,
        channel text NOT NULL CHECK (channel IN ('desk', 'phone', 'visit', 'online')),
        summary text NOT NULL,
        outcome text NOT NULL DEFAULT '',
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((worker_id IS NULL) <> (employer_id IS NULL))
      );
      CREATE INDEX service_records_worker ON service_records (worker_id, kind, occurred_at) WHERE worker_id IS NOT NULL;
      CREATE INDEX service_records_market ON service_records (market_id, occurred_at);
    `);
    // The read policy in the once-per-statement form of RankingPolicies1763800710000 (the roster lists many rows).
    for (const t of TENANT_TABLES) {
      await q.query(`
        ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;
        CREATE POLICY ${t}_read ON ${t} FOR SELECT USING (
          (SELECT app_is_platform()) OR tenant_id = (SELECT app_tenant())
          OR ((SELECT app_region_prefix()) <> '' AND region_code LIKE (SELECT app_region_prefix()) || '%'));
        CREATE POLICY ${t}_write ON ${t} FOR INSERT
          WITH CHECK (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()));
        CREATE POLICY ${t}_update ON ${t} FOR UPDATE
          USING (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()))
          WITH CHECK (app_is_platform() OR tenant_id = app_tenant());
      `);
    }
    // A withdrawn consent erases the hardship record itself (the work log keeps only that it happened).
    // Steps, public-welfare posts and service records are records of what happened: never updated.
    await q.query(`
      CREATE POLICY hardship_records_delete ON hardship_records FOR DELETE
        USING (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()));
      GRANT SELECT, INSERT, UPDATE ON hardship_records, assistance_plans TO linggong_app_access;
      GRANT DELETE ON hardship_records TO linggong_app_access;
      GRANT SELECT, INSERT ON assistance_steps, public_welfare_posts, service_records TO linggong_app_access;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE service_records, public_welfare_posts, assistance_steps, assistance_plans, hardship_records, assistance_packages`);
  }
}
