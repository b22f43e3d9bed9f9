import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Job push (推送, issue 18 §2; R-G11): whether a worker agreed at registration to receive matching new
 * posts (occupation and county) on their own page and by SMS, and when that last changed (an
 * unsubscribe from the page clears it). Registration from the public job board is a new source, `online`.
 */
export class WorkerJobPush1763805800000 implements MigrationInterface {
  name = 'WorkerJobPush1763805800000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE workers ADD COLUMN job_push boolean NOT NULL DEFAULT false, ADD COLUMN job_push_at timestamptz;
      CREATE INDEX workers_job_push ON workers (region_code) WHERE job_push;
    `);
    const [c] = await q.query(`SELECT conname FROM pg_constraint WHERE conrelid = 'workers'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%source%'`);
    if (c) await q.query(`ALTER TABLE workers DROP CONSTRAINT "${c.conname}"`);
    await q.query(`ALTER TABLE workers ADD CONSTRAINT workers_source_check CHECK (source IN ('desk', 'qr', 'import', 'online'))`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE workers DROP CONSTRAINT workers_source_check, DROP COLUMN job_push, DROP COLUMN job_push_at`);
    await q.query(`ALTER TABLE workers ADD CONSTRAINT workers_source_check CHECK (source IN ('desk', 'qr', 'import'))`);
  }
}
