import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Markets with row-level security: the operator sees its own, authorities their region. The county
 * authority registers a market and assigns the operator; the operator edits only operating details
 * (a trigger refuses registration changes from operator sessions, under the API's own check).
 */
export class Markets1763800400000 implements MigrationInterface {
  name = 'Markets1763800400000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE markets (
        id uuid PRIMARY KEY,
        tenant_id uuid REFERENCES organisations(id),
        region_code text NOT NULL REFERENCES regions(code) CHECK (length(region_code) = 6),
        name text NOT NULL,
        type text NOT NULL CHECK (type IN ('comprehensive', 'industry', 'station')),
        nature text NOT NULL CHECK (nature IN ('public', 'commercial', 'spontaneous')),
        mode text NOT NULL CHECK (mode IN ('bureau_run', 'service_centre', 'contracted')),
        status text NOT NULL DEFAULT 'preparing' CHECK (status IN ('preparing', 'open', 'suspended', 'closed')),
        address text,
        longitude double precision CHECK (longitude BETWEEN 73 AND 136),
        latitude double precision CHECK (latitude BETWEEN 3 AND 54),
        opening_hours text,
        contacts jsonb NOT NULL DEFAULT '[]',
        hotline text,
        occupations text[] NOT NULL DEFAULT '{}',
        registered_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX markets_name ON markets (region_code, name);
      CREATE INDEX markets_tenant ON markets (tenant_id);
      CREATE INDEX markets_region ON markets (region_code text_pattern_ops);
      ALTER TABLE user_markets ADD CONSTRAINT user_markets_market FOREIGN KEY (market_id) REFERENCES markets(id);

      ALTER TABLE markets ENABLE ROW LEVEL SECURITY;
      ALTER TABLE markets FORCE ROW LEVEL SECURITY;
      CREATE POLICY markets_read ON markets FOR SELECT
        USING (app_is_platform() OR tenant_id = app_tenant() OR app_in_region(region_code));
      CREATE POLICY markets_insert ON markets FOR INSERT
        WITH CHECK (app_is_platform() OR (app_org_kind() = 'county' AND app_in_region(region_code)));
      CREATE POLICY markets_update ON markets FOR UPDATE
        USING (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only())
               OR (app_org_kind() = 'county' AND app_in_region(region_code)))
        WITH CHECK (app_is_platform() OR tenant_id = app_tenant()
               OR (app_org_kind() = 'county' AND app_in_region(region_code)));
      GRANT SELECT, INSERT, UPDATE ON markets TO linggong_app_access;

      CREATE FUNCTION markets_guard_registration() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF app_org_kind() = 'operator' AND (
             NEW.name IS DISTINCT FROM OLD.name OR NEW.type IS DISTINCT FROM OLD.type OR
             NEW.nature IS DISTINCT FROM OLD.nature OR NEW.mode IS DISTINCT FROM OLD.mode OR
             NEW.region_code IS DISTINCT FROM OLD.region_code OR NEW.tenant_id IS DISTINCT FROM OLD.tenant_id OR
             NEW.status IS DISTINCT FROM OLD.status) THEN
          RAISE EXCEPTION 'operators may not change market registration' USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER markets_registration_guard BEFORE UPDATE ON markets
        FOR EACH ROW EXECUTE FUNCTION markets_guard_registration();

      -- Keep organisations.served_regions (counties where an operator runs markets) in step.
      CREATE FUNCTION markets_sync_served_regions() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = public AS $$
      BEGIN
        UPDATE organisations o SET served_regions = COALESCE(
          (SELECT array_agg(DISTINCT m.region_code ORDER BY m.region_code) FROM markets m WHERE m.tenant_id = o.id), '{}')
        WHERE o.id IN (NEW.tenant_id, CASE WHEN TG_OP = 'UPDATE' THEN OLD.tenant_id END);
        RETURN NEW;
      END $$;
      CREATE TRIGGER markets_served_regions AFTER INSERT OR UPDATE OF tenant_id, region_code ON markets
        FOR EACH ROW EXECUTE FUNCTION markets_sync_served_regions();
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE user_markets DROP CONSTRAINT user_markets_market; DROP TABLE markets;
      DROP FUNCTION markets_guard_registration(); DROP FUNCTION markets_sync_served_regions();`);
  }
}
