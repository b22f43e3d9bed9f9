import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit events: append-only (no UPDATE or DELETE grant; a trigger refuses UPDATE for everyone and
 * DELETE of anything younger than 180 days), RLS by tenant and region, purged only through
 * `audit_purge`, which the retention job calls.
 */
export class Audit1763800300000 implements MigrationInterface {
  name = 'Audit1763800300000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_user_id uuid,
        actor_username text,
        actor_org_id uuid,
        tenant_id uuid,
        region_code text,
        action text NOT NULL CHECK (length(action) BETWEEN 1 AND 80),
        subject_type text,
        subject_id text,
        summary jsonb NOT NULL DEFAULT '{}',
        ip inet,
        user_agent text,
        request_id text
      );
      CREATE INDEX audit_events_time ON audit_events (occurred_at DESC);
      CREATE INDEX audit_events_tenant_time ON audit_events (tenant_id, occurred_at DESC);
      CREATE INDEX audit_events_region_time ON audit_events (region_code text_pattern_ops, occurred_at DESC);
      CREATE INDEX audit_events_subject ON audit_events (subject_type, subject_id);
      CREATE INDEX audit_events_actor ON audit_events (actor_user_id, occurred_at DESC);

      CREATE FUNCTION audit_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = '42501';
        END IF;
        IF OLD.occurred_at > now() - interval '180 days' THEN
          RAISE EXCEPTION 'audit events are kept at least 180 days' USING ERRCODE = '42501';
        END IF;
        RETURN OLD;
      END $$;
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_guard();
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_guard_truncate();
    `.replace('CREATE TRIGGER audit_events_no_truncate', `
      CREATE FUNCTION audit_events_guard_truncate() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN RAISE EXCEPTION 'audit_events cannot be truncated' USING ERRCODE = '42501'; END $f$;
      CREATE TRIGGER audit_events_no_truncate`));
    await q.query(`
      ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
      ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
      CREATE POLICY audit_read ON audit_events FOR SELECT
        USING (app_is_platform() OR tenant_id = app_tenant() OR app_in_region(region_code));
      CREATE POLICY audit_write ON audit_events FOR INSERT
        WITH CHECK (app_is_platform() OR tenant_id IS NULL OR tenant_id = app_tenant() OR app_in_region(region_code));
      CREATE POLICY audit_retention ON audit_events FOR DELETE
        USING (occurred_at < now() - interval '180 days');
      GRANT SELECT, INSERT ON audit_events TO linggong_app_access;

      -- Retention (>= 180 days, enforced again by the trigger). Runs as the owner.
      CREATE FUNCTION audit_purge(keep_days integer) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = public AS $$
      DECLARE n bigint;
      BEGIN
        IF keep_days < 180 THEN RAISE EXCEPTION 'retention must be at least 180 days'; END IF;
        DELETE FROM audit_events WHERE occurred_at < now() - make_interval(days => keep_days);
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n;
      END $$;
      REVOKE ALL ON FUNCTION audit_purge(integer) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION audit_purge(integer) TO linggong_app_access;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION audit_purge(integer); DROP TABLE audit_events; DROP FUNCTION audit_events_guard(); DROP FUNCTION audit_events_guard_truncate();`);
  }
}
