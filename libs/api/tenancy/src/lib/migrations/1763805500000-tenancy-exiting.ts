import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An operator's lifecycle gains 'exiting' (issue 16 §4, R-F1): between active and exited (archived) the operator
 * takes no new business while its markets are handed over. Only an exit case sets it (api-oversight).
 */
export class TenancyExiting1763805500000 implements MigrationInterface {
  name = 'TenancyExiting1763805500000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE organisations DROP CONSTRAINT organisations_status_check;
      ALTER TABLE organisations ADD CONSTRAINT organisations_status_check CHECK (status IN ('active', 'exiting', 'exited'));
      ALTER TABLE organisations ADD CONSTRAINT organisations_exiting_operator CHECK (status <> 'exiting' OR kind = 'operator');
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE organisations DROP CONSTRAINT organisations_exiting_operator;
      UPDATE organisations SET status = 'active' WHERE status = 'exiting';
      ALTER TABLE organisations DROP CONSTRAINT organisations_status_check;
      ALTER TABLE organisations ADD CONSTRAINT organisations_status_check CHECK (status IN ('active', 'exited'));
    `);
  }
}
