import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The handover of a market to a successor operator (issue 16 §4, R-F1) re-tenants this context's living rows under the
 * system scope (api-core HandoverRegistry): the app role may change their tenant_id, and only the platform's scope may.
 */
export class JobsHandover1763805550000 implements MigrationInterface {
  name = 'JobsHandover1763805550000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      GRANT UPDATE (tenant_id) ON market_gate_keys TO linggong_app_access;
      CREATE POLICY market_gate_keys_handover ON market_gate_keys FOR UPDATE USING (app_is_platform()) WITH CHECK (app_is_platform());
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP POLICY market_gate_keys_handover ON market_gate_keys;
      REVOKE UPDATE (tenant_id) ON market_gate_keys FROM linggong_app_access;
    `);
  }
}
