import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Helpers that read the per-transaction scope set by TenantDb (DESIGN.md "Tenancy and access").
 * After commit a setting reads '' rather than NULL (STACK.md), so '' means "no scope".
 */
export class RlsHelpers1763800000000 implements MigrationInterface {
  name = 'RlsHelpers1763800000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION app_tenant() RETURNS uuid LANGUAGE sql STABLE AS
        $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;
      CREATE FUNCTION app_org_id() RETURNS uuid LANGUAGE sql STABLE AS
        $$ SELECT NULLIF(current_setting('app.org_id', true), '')::uuid $$;
      CREATE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE AS
        $$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$;
      CREATE FUNCTION app_org_kind() RETURNS text LANGUAGE sql STABLE AS
        $$ SELECT COALESCE(current_setting('app.org_kind', true), '') $$;
      CREATE FUNCTION app_is_platform() RETURNS boolean LANGUAGE sql STABLE AS
        $$ SELECT COALESCE(current_setting('app.org_kind', true), '') = 'platform' $$;
      CREATE FUNCTION app_read_only() RETURNS boolean LANGUAGE sql STABLE AS
        $$ SELECT COALESCE(current_setting('app.read_only', true), '') = 'on' $$;
      -- Authorities see rows whose region code starts with their region (R-A1).
      CREATE FUNCTION app_in_region(code text) RETURNS boolean LANGUAGE sql STABLE AS
        $$ SELECT COALESCE(current_setting('app.region_prefix', true), '') <> ''
                  AND code LIKE current_setting('app.region_prefix', true) || '%' $$;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION app_in_region(text), app_read_only(), app_is_platform(), app_org_kind(), app_user_id(), app_org_id(), app_tenant()`);
  }
}
