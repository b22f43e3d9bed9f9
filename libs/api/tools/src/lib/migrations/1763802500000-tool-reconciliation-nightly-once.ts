import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The nightly deposit reconciliation writes one row per market and day however often its job runs (a
 * worker killed after the commit but before BullMQ heard of it runs the job again; issue 12 §12). Manual
 * re-checks keep their history (run_key NULL); the job's rows carry run_key 'nightly', unique per market
 * and day.
 */
export class ToolReconciliationNightlyOnce1763802500000 implements MigrationInterface {
  name = 'ToolReconciliationNightlyOnce1763802500000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tool_reconciliations ADD COLUMN run_key text CHECK (run_key IN ('nightly'));
      CREATE UNIQUE INDEX tool_reconciliations_run_once ON tool_reconciliations (market_id, business_day, run_key) WHERE run_key IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX tool_reconciliations_run_once;
      ALTER TABLE tool_reconciliations DROP COLUMN run_key;
    `);
  }
}
