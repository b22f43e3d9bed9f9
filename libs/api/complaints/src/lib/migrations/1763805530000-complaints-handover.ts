import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The handover of a market to a successor operator (issue 16 §4, R-F1) re-tenants this context's living rows under the
 * system scope (api-core HandoverRegistry): the app role may change their tenant_id, and only the platform's scope may.
 */
export class ComplaintsHandover1763805530000 implements MigrationInterface {
  name = 'ComplaintsHandover1763805530000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      GRANT UPDATE (tenant_id) ON complaint_records, complaint_notices TO linggong_app_access;
      CREATE POLICY complaint_records_handover ON complaint_records FOR UPDATE USING (app_is_platform()) WITH CHECK (app_is_platform());
      CREATE POLICY complaint_notices_handover ON complaint_notices FOR UPDATE USING (app_is_platform()) WITH CHECK (app_is_platform());
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP POLICY complaint_notices_handover ON complaint_notices;
      DROP POLICY complaint_records_handover ON complaint_records;
      REVOKE UPDATE (tenant_id) ON complaint_records, complaint_notices FROM linggong_app_access;
    `);
  }
}
