import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The work-log ledger (R-C1; issue 3). Append-only for real: the app role may INSERT and SELECT
 * entries and seals, nothing else, and a trigger refuses UPDATE and DELETE for every role but the
 * migration owner. Receipts (the authority's copy of each seal digest) are written only by
 * ledger_record_receipt, which copies a seal's digest; the app role can only read them.
 */
export class Ledger1763800500000 implements MigrationInterface {
  name = 'Ledger1763800500000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_heads (
        market_id uuid PRIMARY KEY REFERENCES markets(id),
        last_seq bigint NOT NULL DEFAULT 0,
        last_hash text NOT NULL,
        sealed_through date
      );
      CREATE TABLE ledger_entries (
        market_id uuid NOT NULL REFERENCES markets(id),
        seq bigint NOT NULL CHECK (seq > 0),
        id uuid NOT NULL UNIQUE,
        tenant_id uuid,
        region_code text NOT NULL,
        kind text NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        business_day date NOT NULL,
        actor_user_id uuid,
        -- The recorder's username as it was, so authorities (who cannot read operator users) see who recorded.
        actor_name text,
        subject_type text,
        subject_id text,
        payload jsonb NOT NULL,
        corrects bigint,
        reason text,
        attachments text[] NOT NULL DEFAULT '{}',
        prev_hash text NOT NULL,
        hash text NOT NULL,
        alg text NOT NULL CHECK (alg IN ('sm3', 'sha256')),
        PRIMARY KEY (market_id, seq)
      );
      CREATE INDEX ledger_entries_day ON ledger_entries (market_id, business_day);
      CREATE INDEX ledger_entries_tenant ON ledger_entries (tenant_id, business_day);
      CREATE INDEX ledger_entries_subject ON ledger_entries (subject_type, subject_id);
      CREATE TABLE ledger_seals (
        market_id uuid NOT NULL REFERENCES markets(id),
        business_day date NOT NULL,
        tenant_id uuid,
        region_code text NOT NULL,
        count integer NOT NULL,
        first_seq bigint,
        last_seq bigint,
        last_hash text NOT NULL,
        merkle_root text NOT NULL,
        closed_at timestamptz NOT NULL,
        closed_by uuid,
        late boolean NOT NULL,
        alg text NOT NULL,
        key_id text NOT NULL,
        digest text NOT NULL,
        signature text NOT NULL,
        PRIMARY KEY (market_id, business_day)
      );
      CREATE INDEX ledger_seals_region ON ledger_seals (region_code text_pattern_ops, business_day);
      CREATE TABLE ledger_receipts (
        market_id uuid NOT NULL,
        business_day date NOT NULL,
        region_code text NOT NULL,
        seal_digest text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (market_id, business_day)
      );
      CREATE TABLE ledger_keys (
        key_id text PRIMARY KEY,
        alg text NOT NULL DEFAULT 'ed25519',
        public_key_pem text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE ledger_alerts (
        id uuid PRIMARY KEY,
        market_id uuid NOT NULL REFERENCES markets(id),
        tenant_id uuid,
        region_code text NOT NULL,
        business_day date NOT NULL,
        code text NOT NULL,
        detail text NOT NULL,
        first_bad_seq bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (market_id, business_day, code)
      );
      CREATE TABLE ledger_attachments (
        hash text PRIMARY KEY,
        tenant_id uuid,
        alg text NOT NULL,
        filename text NOT NULL,
        mime text NOT NULL,
        size integer NOT NULL,
        content bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      -- Append-only for every role but the migration owner.
      CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF current_user <> (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = TG_RELID) THEN
          RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = '42501';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$;
      CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
        FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
      CREATE TRIGGER ledger_seals_append_only BEFORE UPDATE OR DELETE ON ledger_seals
        FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
      CREATE TRIGGER ledger_receipts_append_only BEFORE UPDATE OR DELETE ON ledger_receipts
        FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

      -- The receipt: the digest of an existing seal, copied by the owner. Callers choose nothing.
      CREATE FUNCTION ledger_record_receipt(p_market uuid, p_day date) RETURNS text
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      DECLARE d text; r text;
      BEGIN
        SELECT digest, region_code INTO d, r FROM ledger_seals WHERE market_id = p_market AND business_day = p_day;
        IF d IS NULL THEN RAISE EXCEPTION 'no seal for % %', p_market, p_day; END IF;
        INSERT INTO ledger_receipts (market_id, business_day, region_code, seal_digest) VALUES (p_market, p_day, r, d)
          ON CONFLICT (market_id, business_day) DO NOTHING;
        RETURN d;
      END $$;
      REVOKE ALL ON FUNCTION ledger_record_receipt(uuid, date) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION ledger_record_receipt(uuid, date) TO linggong_app_access;
    `);
    await q.query(`
      ALTER TABLE ledger_entries ENABLE ROW LEVEL SECURITY; ALTER TABLE ledger_entries FORCE ROW LEVEL SECURITY;
      ALTER TABLE ledger_heads ENABLE ROW LEVEL SECURITY; ALTER TABLE ledger_heads FORCE ROW LEVEL SECURITY;
      ALTER TABLE ledger_seals ENABLE ROW LEVEL SECURITY; ALTER TABLE ledger_seals FORCE ROW LEVEL SECURITY;
      ALTER TABLE ledger_receipts ENABLE ROW LEVEL SECURITY; ALTER TABLE ledger_receipts FORCE ROW LEVEL SECURITY;
      ALTER TABLE ledger_alerts ENABLE ROW LEVEL SECURITY; ALTER TABLE ledger_alerts FORCE ROW LEVEL SECURITY;
      ALTER TABLE ledger_attachments ENABLE ROW LEVEL SECURITY; ALTER TABLE ledger_attachments FORCE ROW LEVEL SECURITY;

      CREATE POLICY ledger_entries_read ON ledger_entries FOR SELECT
        USING (app_is_platform() OR tenant_id = app_tenant() OR app_in_region(region_code));
      -- Only the operator running the market appends (authorities read and verify).
      CREATE POLICY ledger_entries_append ON ledger_entries FOR INSERT
        WITH CHECK (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()));
      -- A head follows its market's visibility; only the market's current operator moves it.
      CREATE POLICY ledger_heads_all ON ledger_heads FOR ALL
        USING (EXISTS (SELECT 1 FROM markets m WHERE m.id = ledger_heads.market_id))
        WITH CHECK (app_is_platform() OR (NOT app_read_only()
                    AND EXISTS (SELECT 1 FROM markets m WHERE m.id = ledger_heads.market_id AND m.tenant_id = app_tenant())));
      CREATE POLICY ledger_seals_read ON ledger_seals FOR SELECT
        USING (app_is_platform() OR tenant_id = app_tenant() OR app_in_region(region_code));
      CREATE POLICY ledger_seals_insert ON ledger_seals FOR INSERT
        WITH CHECK (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()));
      CREATE POLICY ledger_receipts_read ON ledger_receipts FOR SELECT
        USING (app_is_platform() OR app_in_region(region_code)
               OR EXISTS (SELECT 1 FROM ledger_seals s WHERE s.market_id = ledger_receipts.market_id
                          AND s.business_day = ledger_receipts.business_day AND s.tenant_id = app_tenant()));
      CREATE POLICY ledger_alerts_read ON ledger_alerts FOR SELECT
        USING (app_is_platform() OR tenant_id = app_tenant() OR app_in_region(region_code));
      CREATE POLICY ledger_alerts_insert ON ledger_alerts FOR INSERT WITH CHECK (app_is_platform());
      CREATE POLICY ledger_attachments_read ON ledger_attachments FOR SELECT
        USING (app_is_platform() OR tenant_id = app_tenant()
               OR EXISTS (SELECT 1 FROM ledger_entries e WHERE ledger_attachments.hash = ANY(e.attachments)));
      CREATE POLICY ledger_attachments_insert ON ledger_attachments FOR INSERT
        WITH CHECK (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()));

      GRANT SELECT, INSERT ON ledger_entries, ledger_seals, ledger_attachments TO linggong_app_access;
      GRANT SELECT, INSERT, UPDATE ON ledger_heads TO linggong_app_access;
      GRANT SELECT ON ledger_receipts, ledger_keys TO linggong_app_access;
      GRANT SELECT, INSERT ON ledger_alerts TO linggong_app_access;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger_attachments, ledger_alerts, ledger_keys, ledger_receipts, ledger_seals, ledger_entries, ledger_heads;
      DROP FUNCTION ledger_record_receipt(uuid, date); DROP FUNCTION ledger_append_only();`);
  }
}
