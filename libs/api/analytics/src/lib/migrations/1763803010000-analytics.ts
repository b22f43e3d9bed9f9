import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['analytics_facts', 'analytics_subject_days', 'analytics_days', 'analytics_runs'] as const;

/**
 * Rollups of the sealed work log (issue 13 §2). Only the rollup job (as the platform) writes the fact
 * tables; everybody reads the rows of their tenant or region, like every tenant table (RLS, forced).
 * - analytics_facts: per market, business day, metric and dimension (occupation, industry, worker gender
 *   and age band, a value bucket for medians): how many entries (`n`), their value (`value`) and which
 *   entries (`seqs`, with `vals` where an entry adds more than 1), so a figure drills down to exactly the entries behind it.
 * - analytics_subject_days: the worker ids seen checking in (`seeker`) or starting work (`starter`) on a
 *   day, for distinct job seekers and job-seeking duration over any period (ids only, nothing personal).
 * - analytics_days: one row per rolled-up sealed day: entries, late, verification failures, and the
 *   correction seq it includes (a later correction or alert makes the day stale for the catch-up), and
 *   the staff assigned to the market when it was rolled (R-A5; authorities cannot read assignments).
 * - analytics_runs: rollup runs (manual re-runs and the catch-up) and their progress, for an admin.
 */
export class Analytics1763803010000 implements MigrationInterface {
  name = 'Analytics1763803010000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE analytics_facts (
        market_id uuid NOT NULL REFERENCES markets(id),
        business_day date NOT NULL,
        metric text NOT NULL,
        occupation text NOT NULL DEFAULT '',
        industry text NOT NULL DEFAULT '',
        gender text NOT NULL DEFAULT '',
        age_band text NOT NULL DEFAULT '',
        bucket bigint NOT NULL DEFAULT 0,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        region_code text NOT NULL,
        n integer NOT NULL CHECK (n >= 0),
        value bigint NOT NULL,
        seqs bigint[] NOT NULL,
        vals bigint[],
        PRIMARY KEY (market_id, business_day, metric, occupation, industry, gender, age_band, bucket)
      );
      CREATE INDEX analytics_facts_region ON analytics_facts (region_code text_pattern_ops, business_day, metric);
      CREATE INDEX analytics_facts_tenant ON analytics_facts (tenant_id, business_day, metric);

      CREATE TABLE analytics_subject_days (
        market_id uuid NOT NULL REFERENCES markets(id),
        business_day date NOT NULL,
        role text NOT NULL CHECK (role IN ('seeker', 'starter')),
        worker_id uuid NOT NULL,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        region_code text NOT NULL,
        first_seq bigint NOT NULL,
        PRIMARY KEY (market_id, business_day, role, worker_id)
      );
      CREATE INDEX analytics_subject_days_region ON analytics_subject_days (region_code text_pattern_ops, business_day);

      CREATE TABLE analytics_days (
        market_id uuid NOT NULL REFERENCES markets(id),
        business_day date NOT NULL,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        region_code text NOT NULL,
        entries integer NOT NULL,
        late boolean NOT NULL,
        verification_failures integer NOT NULL,
        staff integer NOT NULL DEFAULT 0,
        correction_seq bigint NOT NULL DEFAULT 0,
        rolled_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (market_id, business_day)
      );
      CREATE INDEX analytics_days_region ON analytics_days (region_code text_pattern_ops, business_day);

      CREATE TABLE analytics_runs (
        id uuid PRIMARY KEY,
        tenant_id uuid REFERENCES organisations(id),
        region_code text NOT NULL DEFAULT '',
        market_id uuid REFERENCES markets(id),
        reason text NOT NULL CHECK (reason IN ('manual', 'catch_up')),
        from_day date NOT NULL,
        to_day date NOT NULL,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
        total integer NOT NULL DEFAULT 0,
        done integer NOT NULL DEFAULT 0,
        error text,
        requested_by uuid,
        requested_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      );
      CREATE INDEX analytics_runs_tenant ON analytics_runs (tenant_id, requested_at DESC);
    `);
    for (const t of TABLES) {
      await q.query(`
        ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;
        CREATE POLICY ${t}_read ON ${t} FOR SELECT USING (
          (SELECT app_is_platform()) OR tenant_id = (SELECT app_tenant())
          OR ((SELECT app_region_prefix()) <> '' AND region_code LIKE (SELECT app_region_prefix()) || '%'));
      `);
    }
    // Facts are written by the rollup job only (it runs as the platform).
    for (const t of ['analytics_facts', 'analytics_subject_days', 'analytics_days'] as const) {
      await q.query(`
        CREATE POLICY ${t}_insert ON ${t} FOR INSERT WITH CHECK (app_is_platform());
        CREATE POLICY ${t}_delete ON ${t} FOR DELETE USING (app_is_platform());
      `);
    }
    // A run is requested by an operator admin for its own markets (or the platform), then updated by the job.
    await q.query(`
      CREATE POLICY analytics_runs_insert ON analytics_runs FOR INSERT WITH CHECK (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()));
      CREATE POLICY analytics_runs_update ON analytics_runs FOR UPDATE USING (app_is_platform()) WITH CHECK (app_is_platform());
      GRANT SELECT, INSERT, DELETE ON analytics_facts, analytics_subject_days, analytics_days TO linggong_app_access;
      GRANT SELECT, INSERT, UPDATE ON analytics_runs TO linggong_app_access;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE analytics_runs, analytics_days, analytics_subject_days, analytics_facts');
  }
}
