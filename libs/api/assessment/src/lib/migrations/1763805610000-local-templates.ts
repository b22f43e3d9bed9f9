import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Local versions of a template (issue 15 §2): a city or county derives one from a province version (`base_id`), adding
 * local items within the province's budget; `region_code` is its owner (null: the province's own). It writes its own.
 */
export class LocalTemplates1763805610000 implements MigrationInterface {
  name = 'LocalTemplates1763805610000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE assessment_templates ADD COLUMN region_code text CHECK (region_code ~ '^\\d{4}(\\d{2})?$'),
        ADD COLUMN base_id uuid REFERENCES assessment_templates(id),
        ADD CONSTRAINT assessment_templates_local CHECK ((region_code IS NULL) = (base_id IS NULL) AND (region_code IS NULL OR left(region_code, 2) = province_code));
      DROP POLICY assessment_templates_insert ON assessment_templates;
      CREATE POLICY assessment_templates_insert ON assessment_templates FOR INSERT WITH CHECK (app_is_platform()
        OR (region_code IS NULL AND province_code = current_setting('app.region_prefix', true))
        OR (region_code IS NOT NULL AND region_code = current_setting('app.region_prefix', true)));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP POLICY assessment_templates_insert ON assessment_templates;
      CREATE POLICY assessment_templates_insert ON assessment_templates FOR INSERT WITH CHECK (app_is_platform() OR province_code = current_setting('app.region_prefix', true));
      ALTER TABLE assessment_templates DROP CONSTRAINT assessment_templates_local, DROP COLUMN base_id, DROP COLUMN region_code;
    `);
  }
}
