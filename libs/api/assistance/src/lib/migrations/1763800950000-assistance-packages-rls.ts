import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * assistance_packages under row-level security (it was reference data guarded only by the ability check):
 * everyone reads every row; the platform writes any row, a province authority only its own province's row
 * (the shape of complaint_limits), so the default '00' is the platform's alone.
 */
export class AssistancePackagesRls1763800950000 implements MigrationInterface {
  name = 'AssistancePackagesRls1763800950000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE assistance_packages ENABLE ROW LEVEL SECURITY;
      ALTER TABLE assistance_packages FORCE ROW LEVEL SECURITY;
      CREATE POLICY assistance_packages_read ON assistance_packages FOR SELECT USING (true);
      CREATE POLICY assistance_packages_write ON assistance_packages FOR ALL
        USING (app_is_platform() OR (app_org_kind() = 'province' AND region_code <> '00' AND region_code = app_region_prefix()))
        WITH CHECK (app_is_platform() OR (app_org_kind() = 'province' AND region_code <> '00' AND region_code = app_region_prefix()));
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP POLICY assistance_packages_write ON assistance_packages;
      DROP POLICY assistance_packages_read ON assistance_packages;
      ALTER TABLE assistance_packages NO FORCE ROW LEVEL SECURITY;
      ALTER TABLE assistance_packages DISABLE ROW LEVEL SECURITY;
    `);
  }
}
