import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The employer's industry (issue 14 §3): a GB/T 4754—2017 section (门类) A–T, optional (employers
 * registered before have none: "" in the monthly analysis). The code list is libs/domain
 * `data/gbt4754-2017-sections.json`; the check keeps the column to those letters.
 */
export class EmployerIndustry1763804700000 implements MigrationInterface {
  name = 'EmployerIndustry1763804700000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE employers ADD COLUMN industry text CHECK (industry ~ '^[A-T]$')`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE employers DROP COLUMN industry');
  }
}
