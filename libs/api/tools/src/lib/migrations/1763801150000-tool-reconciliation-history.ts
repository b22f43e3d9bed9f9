import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The deposit reconciliation keeps its history: one row per run, not one per market and day that a later
 * run overwrites (a mismatch found at 21:30 stays on record after an 'ok' re-check the same day).
 */
export class ToolReconciliationHistory1763801150000 implements MigrationInterface {
  name = 'ToolReconciliationHistory1763801150000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tool_reconciliations DROP CONSTRAINT tool_reconciliations_market_id_business_day_key;
      CREATE INDEX tool_reconciliations_market_day ON tool_reconciliations (market_id, business_day DESC, checked_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX tool_reconciliations_market_day;
      DELETE FROM tool_reconciliations r USING tool_reconciliations n
        WHERE n.market_id = r.market_id AND n.business_day = r.business_day AND (n.checked_at, n.id) > (r.checked_at, r.id);
      ALTER TABLE tool_reconciliations ADD CONSTRAINT tool_reconciliations_market_id_business_day_key UNIQUE (market_id, business_day);
    `);
  }
}
