import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The handover of a market to a successor operator (issue 16 §4, R-F1) re-tenants this context's living rows under the
 * system scope (api-core HandoverRegistry): the app role may change their tenant_id, and only the platform's scope may.
 */
export class AssistanceHandover1763805540000 implements MigrationInterface {
  name = 'AssistanceHandover1763805540000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      GRANT UPDATE (tenant_id) ON assistance_steps TO linggong_app_access;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      REVOKE UPDATE (tenant_id) ON assistance_steps FROM linggong_app_access;
    `);
  }
}
