import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Regions, organisations, users and market assignments, with row-level security (issue 2 §3, §5). */
export class Tenancy1763800100000 implements MigrationInterface {
  name = 'Tenancy1763800100000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE regions (
        code text PRIMARY KEY CHECK (code ~ '^\\d{2}(\\d{2}(\\d{2})?)?$'),
        name text NOT NULL,
        level text NOT NULL CHECK (level IN ('province', 'city', 'county')),
        parent_code text REFERENCES regions(code),
        full_name text NOT NULL
      );
      CREATE INDEX regions_parent ON regions (parent_code);
      GRANT SELECT ON regions TO linggong_app_access;

      CREATE TABLE organisations (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('platform', 'province', 'city', 'county', 'operator')),
        name text NOT NULL CHECK (length(name) BETWEEN 2 AND 100),
        region_code text NOT NULL REFERENCES regions(code),
        credit_code text,
        contact_name text,
        contact_phone text,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'exited')),
        -- Counties where this operator runs markets; kept by a trigger on markets.
        served_regions text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (kind NOT IN ('province', 'city', 'county')
               OR length(region_code) = CASE kind WHEN 'province' THEN 2 WHEN 'city' THEN 4 ELSE 6 END)
      );
      CREATE UNIQUE INDEX organisations_name ON organisations (kind, name);
      CREATE INDEX organisations_region ON organisations (region_code text_pattern_ops);

      CREATE TABLE users (
        id uuid PRIMARY KEY,
        username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,31}$'),
        display_name text NOT NULL,
        org_id uuid NOT NULL REFERENCES organisations(id),
        tenant_id uuid REFERENCES organisations(id),
        region_code text NOT NULL,
        roles text[] NOT NULL CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['platform_admin','province_auditor','city_analyst','county_reviewer','operator_admin','market_manager','front_desk','complaint_handler']),
        phone text,
        password_hash text NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        failed_logins integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        last_login_at timestamptz,
        password_changed_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX users_tenant ON users (tenant_id);
      CREATE INDEX users_org ON users (org_id);

      CREATE TABLE user_markets (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        market_id uuid NOT NULL,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        PRIMARY KEY (user_id, market_id)
      );
      CREATE INDEX user_markets_tenant ON user_markets (tenant_id);
    `);
    await q.query(`
      ALTER TABLE organisations ENABLE ROW LEVEL SECURITY;
      ALTER TABLE organisations FORCE ROW LEVEL SECURITY;
      -- Operators see themselves; authorities see organisations registered in their region.
      -- (Operators serving the region from elsewhere become visible through markets: see the markets migration.)
      CREATE POLICY org_read ON organisations FOR SELECT
        USING (app_is_platform() OR id = app_tenant() OR id = app_org_id() OR app_in_region(region_code)
               OR EXISTS (SELECT 1 FROM unnest(served_regions) AS r WHERE app_in_region(r)));
      CREATE POLICY org_insert ON organisations FOR INSERT WITH CHECK (app_is_platform());
      CREATE POLICY org_update ON organisations FOR UPDATE USING (app_is_platform()) WITH CHECK (app_is_platform());
      GRANT SELECT, INSERT, UPDATE ON organisations TO linggong_app_access;

      ALTER TABLE users ENABLE ROW LEVEL SECURITY;
      ALTER TABLE users FORCE ROW LEVEL SECURITY;
      CREATE POLICY users_read ON users FOR SELECT
        USING (app_is_platform() OR tenant_id = app_tenant() OR org_id = app_org_id() OR id = app_user_id());
      CREATE POLICY users_insert ON users FOR INSERT
        WITH CHECK (app_is_platform() OR (tenant_id = app_tenant() AND org_id = app_tenant() AND NOT app_read_only()));
      CREATE POLICY users_update ON users FOR UPDATE
        USING (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()) OR id = app_user_id())
        WITH CHECK (app_is_platform() OR (tenant_id = app_tenant() AND org_id = app_tenant()) OR id = app_user_id());
      GRANT SELECT, INSERT, UPDATE ON users TO linggong_app_access;
      -- The hash never leaves through the app role's SELECT: login goes through auth_* functions.
      REVOKE SELECT ON users FROM linggong_app_access;
      GRANT SELECT (id, username, display_name, org_id, tenant_id, region_code, roles, phone, status, failed_logins,
                    locked_until, last_login_at, password_changed_at, created_at, updated_at) ON users TO linggong_app_access;

      ALTER TABLE user_markets ENABLE ROW LEVEL SECURITY;
      ALTER TABLE user_markets FORCE ROW LEVEL SECURITY;
      CREATE POLICY user_markets_all ON user_markets FOR ALL
        USING (app_is_platform() OR tenant_id = app_tenant())
        WITH CHECK (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()));
      GRANT SELECT, INSERT, DELETE ON user_markets TO linggong_app_access;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE user_markets; DROP TABLE users; DROP TABLE organisations; DROP TABLE regions;`);
  }
}
