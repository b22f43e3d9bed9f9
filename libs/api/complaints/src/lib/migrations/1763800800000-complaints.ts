import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Complaints and reports (issue 6; R-C2, R-D1, R-D2). The due dates live here, in PostgreSQL; the
 * BullMQ timers are only a way to act on them on time and are rebuilt from these rows by the sweep.
 * Handling records and notices are evidence: insert-only for the app role.
 */
export class Complaints1763800800000 implements MigrationInterface {
  name = 'Complaints1763800800000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Resolution limits per province and category (issue 6 §3); absent rows fall back to the defaults in libs/domain.
      CREATE TABLE complaint_limits (
        province_code text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
        category text NOT NULL,
        resolve_days smallint NOT NULL CHECK (resolve_days BETWEEN 1 AND 60),
        updated_by uuid,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (province_code, category)
      );

      CREATE TABLE complaints (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        reference text NOT NULL UNIQUE,
        tracking_hash text UNIQUE,
        channel text NOT NULL CHECK (channel IN ('public_page', 'hotline', 'on_site', 'gov_12345')),
        gov_reference text,
        category text NOT NULL,
        content text NOT NULL,
        about text,
        anonymous boolean NOT NULL DEFAULT false,
        -- The complainant is protected: name and mobile encrypted (AES-256-GCM), a blind index for repeat detection.
        name_enc text,
        name_masked text,
        mobile_enc text,
        mobile_masked text,
        mobile_bidx text,
        worker_id uuid REFERENCES workers(id),
        employer_id uuid REFERENCES employers(id),
        post_id uuid REFERENCES posts(id),
        staff_user_id uuid REFERENCES users(id),
        status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'in_progress', 'closed')),
        received_at timestamptz NOT NULL DEFAULT now(),
        received_day date NOT NULL,
        received_by uuid,
        -- First-contact responsibility (首问负责): the receiver owns it until a transfer is accepted.
        owner_user_id uuid NOT NULL,
        resolve_limit_days smallint NOT NULL,
        -- The resolution clock runs from here (the day of receipt, or of a reopening), plus approved extensions.
        clock_from date NOT NULL,
        extension_days smallint NOT NULL DEFAULT 0,
        ack_due date NOT NULL,
        resolve_due date NOT NULL,
        due_provisional boolean NOT NULL DEFAULT false,
        acknowledged_at timestamptz,
        ack_overdue_at timestamptz,
        reminded_for date,
        overdue_escalated_at timestamptz,
        closed_at timestamptz,
        closed_by uuid,
        closed_late boolean,
        result text,
        result_summary text,
        callback_at timestamptz,
        callback_by uuid,
        satisfaction text CHECK (satisfaction IN ('satisfied', 'basically', 'dissatisfied')),
        callback_note text,
        reopen_count smallint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX complaints_open ON complaints (resolve_due) WHERE status <> 'closed';
      CREATE INDEX complaints_market ON complaints (market_id, received_at);
      CREATE INDEX complaints_region ON complaints (region_code, received_at);
      CREATE INDEX complaints_mobile ON complaints (tenant_id, mobile_bidx) WHERE mobile_bidx IS NOT NULL;
      CREATE INDEX complaints_employer ON complaints (employer_id) WHERE employer_id IS NOT NULL;

      -- Every step: staff handling (call, visit, mediation, referral, decision, message) and the system's own.
      CREATE TABLE complaint_records (
        id uuid PRIMARY KEY,
        complaint_id uuid NOT NULL REFERENCES complaints(id),
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        kind text NOT NULL,
        content text NOT NULL,
        attachments text[] NOT NULL DEFAULT '{}',
        data jsonb NOT NULL DEFAULT '{}',
        author_user_id uuid,
        author_name text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX complaint_records_complaint ON complaint_records (complaint_id, created_at);

      -- One-time notification (一次性告知): what was asked for, and what a later notice added.
      CREATE TABLE complaint_notices (
        id uuid PRIMARY KEY,
        complaint_id uuid NOT NULL REFERENCES complaints(id),
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        items text[] NOT NULL,
        new_items text[] NOT NULL DEFAULT '{}',
        note text,
        created_by uuid,
        author_name text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX complaint_notices_complaint ON complaint_notices (complaint_id, created_at);

      CREATE TABLE complaint_transfers (
        id uuid PRIMARY KEY,
        complaint_id uuid NOT NULL REFERENCES complaints(id),
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        from_user_id uuid NOT NULL,
        to_user_id uuid NOT NULL REFERENCES users(id),
        reason text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined')),
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz
      );
      CREATE UNIQUE INDEX complaint_transfers_pending ON complaint_transfers (complaint_id) WHERE status = 'pending';

      CREATE TABLE complaint_extensions (
        id uuid PRIMARY KEY,
        complaint_id uuid NOT NULL REFERENCES complaints(id),
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        working_days smallint NOT NULL,
        reason text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
        requested_by uuid NOT NULL,
        decided_by uuid,
        decided_at timestamptz,
        decision_note text,
        new_due date,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX complaint_extensions_pending ON complaint_extensions (complaint_id) WHERE status = 'pending';

      CREATE TABLE complaint_escalations (
        id uuid PRIMARY KEY,
        complaint_id uuid NOT NULL REFERENCES complaints(id),
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        target text NOT NULL CHECK (target IN ('county_bureau', 'labour_inspection', 'police')),
        reason text NOT NULL,
        automatic boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'accepted', 'concluded')),
        reference text,
        accepted_at timestamptz,
        accepted_by uuid,
        accept_note text,
        concluded_at timestamptz,
        concluded_by uuid,
        outcome text,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX complaint_escalations_complaint ON complaint_escalations (complaint_id);
      -- An overdue complaint is escalated automatically once, whatever the timers do.
      CREATE UNIQUE INDEX complaint_escalations_overdue_once ON complaint_escalations (complaint_id) WHERE automatic;

      ALTER TABLE complaint_limits ENABLE ROW LEVEL SECURITY;
      ALTER TABLE complaint_limits FORCE ROW LEVEL SECURITY;
      CREATE POLICY complaint_limits_read ON complaint_limits FOR SELECT USING (true);
      -- The province authority owns its limits (issue 6 §3 "configured per province").
      CREATE POLICY complaint_limits_write ON complaint_limits FOR ALL
        USING (app_is_platform() OR (app_org_kind() = 'province' AND province_code = app_region_prefix()))
        WITH CHECK (app_is_platform() OR (app_org_kind() = 'province' AND province_code = app_region_prefix()));
      GRANT SELECT, INSERT, UPDATE ON complaint_limits TO linggong_app_access;
    `);
    for (const t of ['complaints', 'complaint_records', 'complaint_notices', 'complaint_transfers', 'complaint_extensions', 'complaint_escalations']) {
      await q.query(`
        ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;
        CREATE POLICY ${t}_read ON ${t} FOR SELECT USING (app_is_platform() OR tenant_id = app_tenant() OR app_in_region(region_code));
        CREATE POLICY ${t}_insert ON ${t} FOR INSERT WITH CHECK (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()));
      `);
    }
    await q.query(`
      CREATE POLICY complaints_update ON complaints FOR UPDATE
        USING (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()))
        WITH CHECK (app_is_platform() OR tenant_id = app_tenant());
      CREATE POLICY complaint_transfers_update ON complaint_transfers FOR UPDATE
        USING (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only())) WITH CHECK (app_is_platform() OR tenant_id = app_tenant());
      CREATE POLICY complaint_extensions_update ON complaint_extensions FOR UPDATE
        USING (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only())) WITH CHECK (app_is_platform() OR tenant_id = app_tenant());
      -- The county bureau answers what was escalated to it, and its answer goes on the complaint's record.
      CREATE POLICY complaint_escalations_update ON complaint_escalations FOR UPDATE
        USING (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()) OR (app_org_kind() = 'county' AND app_in_region(region_code)))
        WITH CHECK (app_is_platform() OR tenant_id = app_tenant() OR (app_org_kind() = 'county' AND app_in_region(region_code)));
      CREATE POLICY complaint_records_county ON complaint_records FOR INSERT
        WITH CHECK (app_org_kind() = 'county' AND app_in_region(region_code) AND kind = 'escalation_reply');

      GRANT SELECT, INSERT, UPDATE ON complaints, complaint_transfers, complaint_extensions, complaint_escalations TO linggong_app_access;
      GRANT SELECT, INSERT ON complaint_records, complaint_notices TO linggong_app_access;

      -- The public tracking page finds a complaint by the hash of its tracking code, and nothing else.
      CREATE FUNCTION public_complaint_scope(p_hash text) RETURNS TABLE (id uuid, tenant_id uuid, market_id uuid, region_code text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT c.id, c.tenant_id, c.market_id, c.region_code FROM complaints c WHERE c.tracking_hash = p_hash
        $$;
      REVOKE ALL ON FUNCTION public_complaint_scope(text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION public_complaint_scope(text) TO linggong_app_access;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION public_complaint_scope(text);
      DROP TABLE complaint_escalations, complaint_extensions, complaint_transfers, complaint_notices, complaint_records, complaints, complaint_limits;
    `);
  }
}
