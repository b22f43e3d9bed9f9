import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Workers (R-B2, R-B3): personal data encrypted at rest, blind indexes for lookup, RLS by tenant and region. */
export class Registry1763800600000 implements MigrationInterface {
  name = 'Registry1763800600000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE workers (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 30),
        mobile_enc text NOT NULL,
        mobile_masked text NOT NULL,
        mobile_bidx text NOT NULL,
        id_enc text,
        id_masked text,
        id_bidx text,
        gender text CHECK (gender IN ('male', 'female')),
        birth_year integer,
        occupations text[] NOT NULL DEFAULT '{}',
        consent_at timestamptz NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, mobile_bidx)
      );
      CREATE UNIQUE INDEX workers_id_bidx ON workers (tenant_id, id_bidx) WHERE id_bidx IS NOT NULL;
      CREATE INDEX workers_market ON workers (market_id);
      CREATE INDEX workers_region ON workers (region_code text_pattern_ops);
      ALTER TABLE workers ENABLE ROW LEVEL SECURITY;
      ALTER TABLE workers FORCE ROW LEVEL SECURITY;
      CREATE POLICY workers_read ON workers FOR SELECT
        USING (app_is_platform() OR tenant_id = app_tenant() OR app_in_region(region_code));
      CREATE POLICY workers_write ON workers FOR INSERT
        WITH CHECK (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()));
      CREATE POLICY workers_update ON workers FOR UPDATE
        USING (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()))
        WITH CHECK (app_is_platform() OR tenant_id = app_tenant());
      GRANT SELECT, INSERT, UPDATE ON workers TO linggong_app_access;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE workers');
  }
}
