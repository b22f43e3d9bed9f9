import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A session's time and hours are what attendance and completion are measured against: once planned
 * they must not be rewritten (attended hours would change after the fact). The app role keeps UPDATE
 * only on the one column the service changes — the QR sign-in code's hash.
 */
export class TrainingSessionColumns1763801020000 implements MigrationInterface {
  name = 'TrainingSessionColumns1763801020000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      REVOKE UPDATE ON training_sessions FROM linggong_app_access;
      GRANT UPDATE (qr_token_hash) ON training_sessions TO linggong_app_access;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      REVOKE UPDATE (qr_token_hash) ON training_sessions FROM linggong_app_access;
      GRANT UPDATE ON training_sessions TO linggong_app_access;
    `);
  }
}
