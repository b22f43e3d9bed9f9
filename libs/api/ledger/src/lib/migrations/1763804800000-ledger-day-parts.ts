import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17 §1–2. A close before the market's closing time no longer moves the rest of the day into the
 * next one: entries recorded later that date stay on it and are sealed by a supplementary seal of the
 * same date (`part` 1, 2 …; the first seal is part 0, as every existing seal). An early close carries its
 * reason. What is sealed is read from the seals themselves (the highest `last_seq` of a market's seals):
 * rows written by other tools (the demo seed) need nothing else kept in step. Receipts get the part too; `ledger_record_receipt` takes it. Existing seals and receipts
 * become part 0 and their digests are unchanged (the part is in a seal's digest only when it is not 0).
 *
 * `ledger_verifications`: who verified which range of a market's days, when, with what result
 * (the authorities' 校验, §2). Append-only like the rest of the ledger.
 */
export class LedgerDayParts1763804800000 implements MigrationInterface {
  name = 'LedgerDayParts1763804800000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ledger_seals ADD COLUMN part smallint NOT NULL DEFAULT 0 CHECK (part >= 0), ADD COLUMN reason text;
      ALTER TABLE ledger_seals DROP CONSTRAINT ledger_seals_pkey, ADD PRIMARY KEY (market_id, business_day, part);
      ALTER TABLE ledger_receipts ADD COLUMN part smallint NOT NULL DEFAULT 0;
      ALTER TABLE ledger_receipts DROP CONSTRAINT ledger_receipts_pkey, ADD PRIMARY KEY (market_id, business_day, part);

      DROP FUNCTION ledger_record_receipt(uuid, date);
      CREATE FUNCTION ledger_record_receipt(p_market uuid, p_day date, p_part smallint DEFAULT 0) RETURNS text
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      DECLARE d text; r text;
      BEGIN
        SELECT digest, region_code INTO d, r FROM ledger_seals WHERE market_id = p_market AND business_day = p_day AND part = p_part;
        IF d IS NULL THEN RAISE EXCEPTION 'no seal for % % part %', p_market, p_day, p_part; END IF;
        INSERT INTO ledger_receipts (market_id, business_day, part, region_code, seal_digest) VALUES (p_market, p_day, p_part, r, d)
          ON CONFLICT (market_id, business_day, part) DO NOTHING;
        RETURN d;
      END $$;
      REVOKE ALL ON FUNCTION ledger_record_receipt(uuid, date, smallint) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION ledger_record_receipt(uuid, date, smallint) TO linggong_app_access;

      CREATE TABLE ledger_verifications (
        id uuid PRIMARY KEY,
        market_id uuid NOT NULL REFERENCES markets(id),
        tenant_id uuid,
        region_code text NOT NULL,
        from_day date NOT NULL,
        to_day date NOT NULL,
        ok boolean NOT NULL,
        entries integer NOT NULL,
        seals integer NOT NULL,
        problems integer NOT NULL,
        first_bad jsonb,
        verified_by uuid,
        verified_by_name text,
        org_id uuid,
        org_kind text,
        org_name text,
        verified_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX ledger_verifications_market ON ledger_verifications (market_id, to_day);
      CREATE INDEX ledger_verifications_region ON ledger_verifications (region_code text_pattern_ops, to_day);
      CREATE TRIGGER ledger_verifications_append_only BEFORE UPDATE OR DELETE ON ledger_verifications
        FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
      ALTER TABLE ledger_verifications ENABLE ROW LEVEL SECURITY; ALTER TABLE ledger_verifications FORCE ROW LEVEL SECURITY;
      CREATE POLICY ledger_verifications_read ON ledger_verifications FOR SELECT
        USING (app_is_platform() OR tenant_id = app_tenant() OR app_in_region(region_code));
      -- Whoever may read a market's work log and verify it records that check, as themselves.
      CREATE POLICY ledger_verifications_insert ON ledger_verifications FOR INSERT
        WITH CHECK ((app_is_platform() OR tenant_id = app_tenant() OR app_in_region(region_code)) AND verified_by = app_user_id());
      GRANT SELECT, INSERT ON ledger_verifications TO linggong_app_access;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE ledger_verifications;
      DROP FUNCTION ledger_record_receipt(uuid, date, smallint);
    `);
    // Seals and receipts keep their parts: dropping the column would need deleting supplementary seals, which append-only forbids.
  }
}
