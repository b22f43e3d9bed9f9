import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The second factor (TOTP, issue 12 item 11) on the user row: the secret encrypted with the PII key
 * (`Pii`, AES-256-GCM), when it was enrolled, the last time step accepted (a code is never accepted
 * twice) and the SHA-256 hashes of the unused recovery codes. The sign-in steps run before any scope
 * exists, so, like the password, they go through SECURITY DEFINER functions (the app role may read
 * only `totp_enrolled_at`); each write is one
 * conditional UPDATE, so two requests racing with one code or one recovery code cannot both win.
 */
export class SecondFactor1763802400000 implements MigrationInterface {
  name = 'SecondFactor1763802400000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        ADD COLUMN totp_secret text,
        ADD COLUMN totp_enrolled_at timestamptz,
        ADD COLUMN totp_last_step bigint,
        ADD COLUMN totp_recovery text[] NOT NULL DEFAULT '{}',
        ADD CONSTRAINT users_totp_enrolled CHECK ((totp_secret IS NULL) = (totp_enrolled_at IS NULL));
      -- The app role reads only whether a user is enrolled; the secret, the last step and the recovery
      -- hashes leave only through the functions below (like the password hash).
      GRANT SELECT (totp_enrolled_at) ON users TO linggong_app_access;

      CREATE FUNCTION auth_second_factor(p_user uuid)
        RETURNS TABLE (secret text, enrolled_at timestamptz, last_step bigint, recovery_left integer)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT totp_secret, totp_enrolled_at, totp_last_step, cardinality(totp_recovery) FROM users WHERE id = p_user
      $$;

      -- A first enrolment only: an enrolled user is reset by an administrator before enrolling again.
      CREATE FUNCTION auth_totp_enrol(p_user uuid, p_secret text, p_step bigint, p_recovery text[]) RETURNS boolean
        LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
        UPDATE users SET totp_secret = p_secret, totp_enrolled_at = now(), totp_last_step = p_step, totp_recovery = p_recovery, updated_at = now()
        WHERE id = p_user AND totp_enrolled_at IS NULL
        RETURNING true
      $$;

      -- Accept a code's time step only if it is later than the last accepted one (no replay).
      CREATE FUNCTION auth_totp_use_step(p_user uuid, p_step bigint) RETURNS boolean
        LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
        UPDATE users SET totp_last_step = p_step
        WHERE id = p_user AND totp_enrolled_at IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < p_step)
        RETURNING true
      $$;

      -- Spend one recovery code (by its hash); returns the number left, or NULL when it was not there.
      CREATE FUNCTION auth_totp_use_recovery(p_user uuid, p_hash text) RETURNS integer
        LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
        UPDATE users SET totp_recovery = array_remove(totp_recovery, p_hash)
        WHERE id = p_user AND totp_enrolled_at IS NOT NULL AND p_hash = ANY(totp_recovery)
        RETURNING cardinality(totp_recovery)
      $$;

      -- New recovery codes for the signed-in user only.
      CREATE FUNCTION auth_totp_set_recovery(p_user uuid, p_recovery text[]) RETURNS boolean
        LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
        UPDATE users SET totp_recovery = p_recovery, updated_at = now()
        WHERE id = p_user AND totp_enrolled_at IS NOT NULL AND id = NULLIF(current_setting('app.user_id', true), '')::uuid
        RETURNING true
      $$;

      REVOKE ALL ON FUNCTION auth_second_factor(uuid), auth_totp_enrol(uuid, text, bigint, text[]), auth_totp_use_step(uuid, bigint),
                             auth_totp_use_recovery(uuid, text), auth_totp_set_recovery(uuid, text[]) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION auth_second_factor(uuid), auth_totp_enrol(uuid, text, bigint, text[]), auth_totp_use_step(uuid, bigint),
                                auth_totp_use_recovery(uuid, text), auth_totp_set_recovery(uuid, text[]) TO linggong_app_access;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      REVOKE SELECT (totp_enrolled_at) ON users FROM linggong_app_access;
      DROP FUNCTION auth_totp_set_recovery(uuid, text[]), auth_totp_use_recovery(uuid, text), auth_totp_use_step(uuid, bigint),
                    auth_totp_enrol(uuid, text, bigint, text[]), auth_second_factor(uuid);
      ALTER TABLE users DROP CONSTRAINT users_totp_enrolled, DROP COLUMN totp_recovery, DROP COLUMN totp_last_step,
                        DROP COLUMN totp_enrolled_at, DROP COLUMN totp_secret;
    `);
  }
}
