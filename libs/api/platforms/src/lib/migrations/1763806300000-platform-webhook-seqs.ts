import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The webhook scan by sequence (issue 18 §4): per platform, the work-log sequence number up to which each of its
 * markets has been looked at (`{ "<market id>": <seq> }`). Appends to one market's chain are serialised by the
 * ledger head's row lock, so a market's `seq` grows in commit order and `seq > that` misses no entry, however late
 * its transaction committed after its `recorded_at`. A market not in the map yet is looked at by time once
 * (`webhook_cursor`, as before), then by sequence.
 */
export class PlatformWebhookSeqs1763806300000 implements MigrationInterface {
  name = 'PlatformWebhookSeqs1763806300000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE platforms ADD COLUMN webhook_seqs jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(webhook_seqs) = 'object')`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE platforms DROP COLUMN webhook_seqs');
  }
}
