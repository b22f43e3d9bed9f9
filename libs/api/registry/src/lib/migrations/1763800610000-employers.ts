import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Employers (用工主体) with staff verification (R-B6); the contact phone is encrypted at rest. */
export class Employers1763800610000 implements MigrationInterface {
  name = 'Employers1763800610000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE employers (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('company', 'individual')),
        name text NOT NULL,
        credit_code text CHECK (kind = 'individual' OR credit_code IS NOT NULL),
        contact_name text NOT NULL,
        contact_phone_enc text NOT NULL,
        contact_phone_masked text NOT NULL,
        address text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'rejected')),
        evidence text,
        evidence_attachments text[] NOT NULL DEFAULT '{}',
        verified_by uuid,
        verified_at timestamptz,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX employers_credit_code ON employers (tenant_id, credit_code) WHERE credit_code IS NOT NULL;
      CREATE INDEX employers_region ON employers (region_code text_pattern_ops);
      ALTER TABLE employers ENABLE ROW LEVEL SECURITY;
      ALTER TABLE employers FORCE ROW LEVEL SECURITY;
      CREATE POLICY employers_read ON employers FOR SELECT
        USING (app_is_platform() OR tenant_id = app_tenant() OR app_in_region(region_code));
      CREATE POLICY employers_insert ON employers FOR INSERT
        WITH CHECK (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()));
      CREATE POLICY employers_update ON employers FOR UPDATE
        USING (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()))
        WITH CHECK (app_is_platform() OR tenant_id = app_tenant());
      GRANT SELECT, INSERT, UPDATE ON employers TO linggong_app_access;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE employers');
  }
}
