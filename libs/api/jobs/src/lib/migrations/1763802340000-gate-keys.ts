import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Proof of presence for the public check-in (issue 12 §4): one random secret per market, from which the
 * gate code shown on the screen at the market's gate is derived (HMAC over the time window). The
 * operator's staff and the public page of that market (acting in the market's tenant scope) read it;
 * authorities never do — nobody outside the operator needs a gate code. Written once, never updated
 * (a new secret would be a new row after a DELETE by the owner).
 */
export class GateKeys1763802340000 implements MigrationInterface {
  name = 'GateKeys1763802340000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE market_gate_keys (
        market_id uuid PRIMARY KEY REFERENCES markets(id),
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        region_code text NOT NULL,
        secret bytea NOT NULL CHECK (octet_length(secret) = 32),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      ALTER TABLE market_gate_keys ENABLE ROW LEVEL SECURITY;
      ALTER TABLE market_gate_keys FORCE ROW LEVEL SECURITY;
      CREATE POLICY market_gate_keys_read ON market_gate_keys FOR SELECT USING (app_is_platform() OR tenant_id = app_tenant());
      CREATE POLICY market_gate_keys_insert ON market_gate_keys FOR INSERT
        WITH CHECK (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()));
      GRANT SELECT, INSERT ON market_gate_keys TO linggong_app_access;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE market_gate_keys');
  }
}
