import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Corrections looked up by the entry they correct (issue 13: the analytics rollup applies them to a
 * day's entries, the catch-up finds days with new ones). Corrections are rare: a partial index.
 */
export class LedgerCorrectsIndex1763803000000 implements MigrationInterface {
  name = 'LedgerCorrectsIndex1763803000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX ledger_entries_corrects ON ledger_entries (market_id, corrects) WHERE corrects IS NOT NULL');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX ledger_entries_corrects');
  }
}
