import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A repeated intake (issue 17 §7): the same words from the same number (or from no number) at the same
 * market within minutes (found through complaints_market) point at the complaint they repeat. Flagged, never refused: a complainant who
 * calls twice is still heard, and the handler merges or closes one with the reason.
 */
export class ComplaintDuplicates1763805400000 implements MigrationInterface {
  name = 'ComplaintDuplicates1763805400000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE complaints ADD COLUMN duplicate_of uuid REFERENCES complaints (id);
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE complaints DROP COLUMN duplicate_of;
    `);
  }
}
