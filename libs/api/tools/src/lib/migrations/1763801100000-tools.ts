import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tool rental (R-B11; 004 附件4): inventory per market, loans (request → approval → signed hand-out →
 * return with inspection), content-addressed signatures, charges, repair and write-off requests, the
 * append-only deposit account and its daily reconciliation.
 */
export class Tools1763801100000 implements MigrationInterface {
  name = 'Tools1763801100000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tools (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        code text NOT NULL,
        name text NOT NULL,
        category text NOT NULL CHECK (category IN ('simple', 'regular')),
        condition text NOT NULL DEFAULT 'good' CHECK (condition IN ('good', 'worn', 'damaged')),
        status text NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'on_loan', 'damaged', 'in_repair', 'scrapped')),
        value_fen integer NOT NULL CHECK (value_fen > 0),
        deposit_fen integer NOT NULL CHECK (deposit_fen >= 0 AND deposit_fen <= value_fen),
        -- 附件4 第五条(三): simple tools are lent free of charge, deposit only.
        daily_fee_fen integer NOT NULL DEFAULT 0 CHECK (daily_fee_fen >= 0 AND (category = 'regular' OR daily_fee_fen = 0)),
        note text NOT NULL DEFAULT '',
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (market_id, code)
      );
      CREATE INDEX tools_tenant ON tools (tenant_id, market_id);
      CREATE INDEX tools_region ON tools (region_code text_pattern_ops);

      -- On-screen signatures (使用签字), stored once by the hash of their bytes; the loan carries the hash.
      CREATE TABLE tool_signatures (
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        hash text NOT NULL,
        region_code text NOT NULL,
        alg text NOT NULL,
        mime text NOT NULL CHECK (mime = 'image/png'),
        size integer NOT NULL,
        content bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- Per tenant: the same bytes signed at two operators are two rows, each behind its own RLS.
        PRIMARY KEY (tenant_id, hash)
      );

      CREATE TABLE tool_loans (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        tool_id uuid NOT NULL REFERENCES tools(id),
        worker_id uuid NOT NULL REFERENCES workers(id),
        status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'approved', 'rejected', 'lent', 'returned', 'cancelled')),
        days integer NOT NULL CHECK (days BETWEEN 1 AND 30),
        purpose text NOT NULL DEFAULT '',
        deposit_fen integer NOT NULL CHECK (deposit_fen >= 0),
        daily_fee_fen integer NOT NULL CHECK (daily_fee_fen >= 0),
        requested_by uuid,
        requested_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid,
        decided_at timestamptz,
        decision_note text,
        signature_hash text,
        lent_by uuid,
        lent_at timestamptz,
        returned_by uuid,
        returned_at timestamptz,
        return_condition text CHECK (return_condition IN ('good', 'worn', 'damaged')),
        inspection_note text,
        days_charged integer,
        fee_fen integer,
        damage_fen integer,
        deposit_refunded_fen integer,
        deposit_forfeited_fen integer,
        balance_due_fen integer,
        -- 先批后租, 使用签字: no hand-out without an approval and a signature (R-B11).
        CHECK (status NOT IN ('lent', 'returned') OR (decided_at IS NOT NULL AND signature_hash IS NOT NULL AND lent_at IS NOT NULL)),
        CHECK (status <> 'returned' OR (returned_at IS NOT NULL AND return_condition IS NOT NULL)),
        FOREIGN KEY (tenant_id, signature_hash) REFERENCES tool_signatures (tenant_id, hash)
      );
      -- One loan in progress per tool.
      CREATE UNIQUE INDEX tool_loans_active ON tool_loans (tool_id) WHERE status IN ('requested', 'approved', 'lent');
      CREATE INDEX tool_loans_market ON tool_loans (market_id, status);
      CREATE INDEX tool_loans_region ON tool_loans (region_code text_pattern_ops);

      CREATE TABLE tool_charges (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        tool_id uuid NOT NULL REFERENCES tools(id),
        loan_id uuid NOT NULL REFERENCES tool_loans(id),
        kind text NOT NULL CHECK (kind IN ('rental_fee', 'damage')),
        amount_fen integer NOT NULL CHECK (amount_fen > 0),
        from_deposit_fen integer NOT NULL CHECK (from_deposit_fen >= 0 AND from_deposit_fen <= amount_fen),
        note text NOT NULL DEFAULT '',
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX tool_charges_tool ON tool_charges (tool_id);

      -- 附件4 第五条(一): repair and write-off (报损/报废) are applied for and approved.
      CREATE TABLE tool_maintenance (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        tool_id uuid NOT NULL REFERENCES tools(id),
        kind text NOT NULL CHECK (kind IN ('repair', 'scrap')),
        status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'approved', 'rejected', 'completed')),
        reason text NOT NULL,
        estimate_fen integer NOT NULL DEFAULT 0 CHECK (estimate_fen >= 0),
        cost_fen integer CHECK (cost_fen >= 0),
        requested_by uuid,
        requested_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid,
        decided_at timestamptz,
        decision_note text,
        completed_by uuid,
        completed_at timestamptz,
        completion_note text
      );
      CREATE UNIQUE INDEX tool_maintenance_open ON tool_maintenance (tool_id) WHERE status IN ('requested', 'approved');

      -- The deposit account: every deposit received, refunded or forfeited, append-only.
      CREATE TABLE tool_deposit_movements (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        loan_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('received', 'refunded', 'forfeited')),
        amount_fen integer NOT NULL CHECK (amount_fen > 0),
        occurred_at timestamptz NOT NULL DEFAULT now(),
        recorded_by uuid
      );
      CREATE INDEX tool_deposit_movements_market ON tool_deposit_movements (market_id, loan_id);
      CREATE TRIGGER tool_deposit_movements_append_only BEFORE UPDATE OR DELETE ON tool_deposit_movements
        FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

      -- The daily reconciliation of each market's deposits: one row per market and day.
      CREATE TABLE tool_reconciliations (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        business_day date NOT NULL,
        status text NOT NULL CHECK (status IN ('ok', 'mismatch')),
        outstanding_fen bigint NOT NULL,
        ledger_fen bigint NOT NULL,
        difference_fen bigint NOT NULL,
        outstanding_loans integer NOT NULL,
        problems jsonb NOT NULL DEFAULT '[]',
        checked_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (market_id, business_day)
      );
    `);
    for (const t of ['tools', 'tool_signatures', 'tool_loans', 'tool_charges', 'tool_maintenance', 'tool_deposit_movements', 'tool_reconciliations']) {
      await q.query(`
        ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;
        CREATE POLICY ${t}_read ON ${t} FOR SELECT USING (app_is_platform() OR tenant_id = app_tenant() OR app_in_region(region_code));
        CREATE POLICY ${t}_insert ON ${t} FOR INSERT WITH CHECK (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()));
        CREATE POLICY ${t}_update ON ${t} FOR UPDATE USING (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()))
          WITH CHECK (app_is_platform() OR tenant_id = app_tenant());
      `);
    }
    // A loan's deposit, tool, worker and signature are fixed once written: the app may change only its progress.
    await q.query(`
      GRANT SELECT, INSERT, UPDATE ON tools, tool_maintenance, tool_reconciliations TO linggong_app_access;
      GRANT SELECT, INSERT ON tool_signatures, tool_charges, tool_deposit_movements, tool_loans TO linggong_app_access;
      GRANT UPDATE (status, decided_by, decided_at, decision_note, signature_hash, lent_by, lent_at, returned_by, returned_at,
        return_condition, inspection_note, days_charged, fee_fen, damage_fen, deposit_refunded_fen, deposit_forfeited_fen, balance_due_fen)
        ON tool_loans TO linggong_app_access;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE tool_reconciliations, tool_deposit_movements, tool_maintenance, tool_charges, tool_loans, tool_signatures, tools');
  }
}
