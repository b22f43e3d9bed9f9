import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['training_demands', 'training_courses', 'training_sessions', 'training_enrolments', 'training_attendance'] as const;

/**
 * Training (R-B10): demand from workers, the course catalogue, sessions, enrolments and attendance
 * with its evidence (an on-screen signature's PNG bytes and hash, or the QR sign-in). Attendance is
 * evidence for a subsidy claim: the app role may insert it but never change or delete it.
 */
export class Training1763801000000 implements MigrationInterface {
  name = 'Training1763801000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE training_demands (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        worker_id uuid NOT NULL REFERENCES workers(id),
        occupation text NOT NULL,
        skill text NOT NULL DEFAULT '',
        note text NOT NULL DEFAULT '',
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX training_demands_market ON training_demands (market_id, occupation);
      CREATE INDEX training_demands_worker ON training_demands (worker_id);

      CREATE TABLE training_courses (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        title text NOT NULL,
        occupation text NOT NULL,
        skill text NOT NULL DEFAULT '',
        hours numeric(7,1) NOT NULL CHECK (hours > 0),
        mode text NOT NULL CHECK (mode IN ('classroom', 'online')),
        free boolean NOT NULL,
        fee_fen bigint NOT NULL DEFAULT 0 CHECK (fee_fen >= 0 AND (NOT free OR fee_fen = 0)),
        provider text NOT NULL DEFAULT '',
        completion_percent smallint NOT NULL CHECK (completion_percent BETWEEN 1 AND 100),
        description text NOT NULL DEFAULT '',
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX training_courses_market ON training_courses (market_id, occupation);

      CREATE TABLE training_sessions (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        course_id uuid NOT NULL REFERENCES training_courses(id),
        trainer text NOT NULL,
        place text NOT NULL,
        topic text NOT NULL DEFAULT '',
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
        hours numeric(5,1) NOT NULL CHECK (hours > 0),
        -- The QR sign-in code shown in the classroom: only its SHA-256 is kept (as for hire confirmations).
        qr_token_hash text UNIQUE,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX training_sessions_course ON training_sessions (course_id, starts_at);

      CREATE TABLE training_enrolments (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        course_id uuid NOT NULL REFERENCES training_courses(id),
        worker_id uuid NOT NULL REFERENCES workers(id),
        demand_id uuid REFERENCES training_demands(id),
        status text NOT NULL DEFAULT 'enrolled' CHECK (status IN ('enrolled', 'completed')),
        attended_hours numeric(7,1),
        completed_at timestamptz,
        completed_by uuid,
        certificate_number text,
        certificate_issued_on date,
        certificate_by uuid,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (course_id, worker_id),
        CHECK (certificate_number IS NULL OR status = 'completed')
      );
      CREATE UNIQUE INDEX training_certificates ON training_enrolments (tenant_id, certificate_number) WHERE certificate_number IS NOT NULL;
      CREATE INDEX training_enrolments_worker ON training_enrolments (worker_id);

      CREATE TABLE training_attendance (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        session_id uuid NOT NULL REFERENCES training_sessions(id),
        enrolment_id uuid NOT NULL REFERENCES training_enrolments(id),
        worker_id uuid NOT NULL REFERENCES workers(id),
        method text NOT NULL CHECK (method IN ('signature', 'qr')),
        signed_at timestamptz NOT NULL,
        signature bytea,
        signature_hash text,
        hash_alg text,
        recorded_by uuid,
        recorded_by_name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (session_id, enrolment_id),
        CHECK (method <> 'signature' OR (signature IS NOT NULL AND signature_hash IS NOT NULL))
      );
      CREATE INDEX training_attendance_enrolment ON training_attendance (enrolment_id);
    `);
    for (const t of TABLES) {
      await q.query(`
        ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;
        CREATE POLICY ${t}_read ON ${t} FOR SELECT USING (
          (SELECT app_is_platform()) OR tenant_id = (SELECT app_tenant())
          OR ((SELECT app_region_prefix()) <> '' AND region_code LIKE (SELECT app_region_prefix()) || '%'));
        CREATE POLICY ${t}_insert ON ${t} FOR INSERT WITH CHECK (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()));
      `);
      if (t !== 'training_attendance') {
        await q.query(`
          CREATE POLICY ${t}_update ON ${t} FOR UPDATE USING (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()))
            WITH CHECK (app_is_platform() OR tenant_id = app_tenant());`);
      }
    }
    await q.query(`
      GRANT SELECT, INSERT, UPDATE ON training_demands, training_courses, training_sessions, training_enrolments TO linggong_app_access;
      GRANT SELECT, INSERT ON training_attendance TO linggong_app_access;

      -- The QR sign-in page (no sign-in) finds its session's scope through this one function, then acts in
      -- that tenant's RLS scope only; it exposes nothing but the scope of the session the code belongs to.
      CREATE FUNCTION public_training_session_scope(p_hash text) RETURNS TABLE (session_id uuid, tenant_id uuid, market_id uuid, region_code text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT s.id, s.tenant_id, s.market_id, s.region_code FROM training_sessions s
          JOIN markets m ON m.id = s.market_id WHERE s.qr_token_hash = p_hash AND m.status = 'open'
        $$;
      REVOKE ALL ON FUNCTION public_training_session_scope(text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION public_training_session_scope(text) TO linggong_app_access;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION public_training_session_scope(text);
      DROP TABLE training_attendance, training_enrolments, training_sessions, training_courses, training_demands;
    `);
  }
}
