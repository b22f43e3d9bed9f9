import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The province-wide job board and job push (issue 18 §1–2; R-E7, R-G11, R-G12).
 * - `job_applications`: 应聘报名 from the public board, one per worker and post (the unique index is what makes two
 *   identical submissions at the same instant one application); the desk recommends (→ a placement) or declines.
 * - `job_push_deliveries`: one row per worker, post and channel — the in-app inbox (the worker's page) and SMS —
 *   with the Asia/Shanghai day the daily cap counts against; `limited` rows record a push the cap held back.
 * - `sms_outbox`: what the SMS adapter would hand to a gateway (none is connected here): the masked number and
 *   the text, never the full number (a gateway adapter decrypts it from the worker's row at send time).
 * Tenant rows with RLS like their neighbours: the operator's tenant reads and writes, authorities read their region.
 */
export class Board1763805800010 implements MigrationInterface {
  name = 'Board1763805800010';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE job_applications (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        region_code text NOT NULL,
        market_id uuid NOT NULL REFERENCES markets(id),
        post_id uuid NOT NULL REFERENCES posts(id),
        worker_id uuid NOT NULL REFERENCES workers(id),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'recommended', 'declined')),
        channel text NOT NULL DEFAULT 'online' CHECK (channel IN ('online')),
        registered boolean NOT NULL DEFAULT false,
        placement_id uuid REFERENCES placements(id),
        decline_reason text,
        decided_by uuid,
        decided_at timestamptz,
        day date NOT NULL DEFAULT (now() AT TIME ZONE 'Asia/Shanghai')::date,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (post_id, worker_id)
      );
      CREATE INDEX job_applications_market ON job_applications (market_id, status, created_at);
      CREATE INDEX job_applications_worker_day ON job_applications (worker_id, day);

      CREATE TABLE job_push_deliveries (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        region_code text NOT NULL,
        worker_id uuid NOT NULL REFERENCES workers(id),
        post_id uuid NOT NULL REFERENCES posts(id),
        channel text NOT NULL CHECK (channel IN ('inbox', 'sms')),
        status text NOT NULL CHECK (status IN ('delivered', 'limited')),
        day date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (worker_id, post_id, channel)
      );
      CREATE INDEX job_push_deliveries_worker_day ON job_push_deliveries (worker_id, day);

      CREATE TABLE sms_outbox (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        region_code text NOT NULL,
        worker_id uuid NOT NULL REFERENCES workers(id),
        mobile_masked text NOT NULL,
        purpose text NOT NULL CHECK (purpose IN ('job_push', 'push_link')),
        body text NOT NULL,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX sms_outbox_worker ON sms_outbox (worker_id, created_at);
    `);
    for (const t of ['job_applications', 'job_push_deliveries', 'sms_outbox']) {
      await q.query(`
        ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;
        CREATE POLICY ${t}_read ON ${t} FOR SELECT USING (app_is_platform() OR tenant_id = app_tenant() OR app_in_region(region_code));
        CREATE POLICY ${t}_insert ON ${t} FOR INSERT WITH CHECK (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()));
        CREATE POLICY ${t}_update ON ${t} FOR UPDATE USING (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()))
          WITH CHECK (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()));
      `);
    }
    await q.query(`
      GRANT SELECT, INSERT, UPDATE ON job_applications, sms_outbox TO linggong_app_access;
      GRANT SELECT, INSERT ON job_push_deliveries TO linggong_app_access;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE sms_outbox, job_push_deliveries, job_applications');
  }
}
