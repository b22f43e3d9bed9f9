import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in reads a user before any tenant scope exists, so it goes through SECURITY DEFINER functions
 * owned by the migration owner; the app role cannot read password hashes any other way.
 */
export class Identity1763800200000 implements MigrationInterface {
  name = 'Identity1763800200000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION auth_find_user(p_username text)
        RETURNS TABLE (id uuid, username text, display_name text, org_id uuid, tenant_id uuid, region_code text,
                       roles text[], password_hash text, status text, failed_logins integer, locked_until timestamptz,
                       org_kind text, org_name text, org_status text, org_region text, market_ids uuid[])
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT u.id, u.username, u.display_name, u.org_id, u.tenant_id, u.region_code, u.roles, u.password_hash,
               u.status, u.failed_logins, u.locked_until, o.kind, o.name, o.status, o.region_code,
               COALESCE((SELECT array_agg(um.market_id ORDER BY um.market_id) FROM user_markets um WHERE um.user_id = u.id), '{}')
        FROM users u JOIN organisations o ON o.id = u.org_id
        WHERE u.username = lower(p_username)
      $$;

      -- Count a failure; lock for p_lock_minutes when p_max failures are reached. Returns the lock end, if locked.
      CREATE FUNCTION auth_login_failed(p_user uuid, p_max integer, p_lock_minutes integer) RETURNS timestamptz
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      DECLARE until timestamptz;
      BEGIN
        UPDATE users SET
          failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_logins + 1 END,
          locked_until = CASE
            WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_logins + 1 END) >= p_max
              THEN now() + make_interval(mins => p_lock_minutes)
            WHEN locked_until IS NOT NULL AND locked_until <= now() THEN NULL
            ELSE locked_until END
        WHERE id = p_user
        RETURNING locked_until INTO until;
        RETURN until;
      END $$;

      CREATE FUNCTION auth_login_succeeded(p_user uuid) RETURNS void
        LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
        UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = now() WHERE id = p_user
      $$;

      -- For a password change: the stored hash of the signed-in user only.
      CREATE FUNCTION auth_password_hash(p_user uuid) RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT password_hash FROM users WHERE id = p_user AND id = NULLIF(current_setting('app.user_id', true), '')::uuid
      $$;

      REVOKE ALL ON FUNCTION auth_find_user(text), auth_login_failed(uuid, integer, integer),
                             auth_login_succeeded(uuid), auth_password_hash(uuid) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION auth_find_user(text), auth_login_failed(uuid, integer, integer),
                                auth_login_succeeded(uuid), auth_password_hash(uuid) TO linggong_app_access;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION auth_password_hash(uuid), auth_login_succeeded(uuid), auth_login_failed(uuid, integer, integer), auth_find_user(text)`);
  }
}
