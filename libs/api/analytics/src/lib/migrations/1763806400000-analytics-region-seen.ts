import type { MigrationInterface, QueryRunner } from 'typeorm';
import { regionTableRls } from './region-rls';

/**
 * Distinct job seekers of a whole region over any period without reading a worker (issue 13: a province's custom period
 * grouped every subject row of the period by worker, ≈ 1 s on the national benchmark). `region-seen.ts` says how the rows
 * are counted and kept.
 *
 * - analytics_region_seen: per region (province, city and county code), business day and two day counts — `gap`, days since
 *   the worker's previous check-in day in the region (0: none in the SEEN_SPAN days before), and `seek`, days to the worker's
 *   first start on or after that day in the region (-1: none within SEEN_SPAN days, as far as the region is built) — the
 *   number of job seekers checking in that day.
 * - analytics_region_seen_state: per region, the days its rows cover (`from_day` … `built_through`) and `stale`, set by a
 *   rollup that changes the job seekers or starters of a day the rows already cover.
 * - analytics_subject_days_seeker: job seekers by (worker, day), so the distinct job seekers drill-down reads the page's days
 *   only (is this seeker's check-in their first of the period?).
 *
 * Region rows aggregate several tenants: only the platform and authorities of the region read them (RLS), as the other
 * region tables.
 */
export class AnalyticsRegionSeen1763806400000 implements MigrationInterface {
  name = 'AnalyticsRegionSeen1763806400000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE analytics_region_seen (
        region_code text NOT NULL,
        business_day date NOT NULL,
        gap smallint NOT NULL CHECK (gap >= 0),
        seek smallint NOT NULL CHECK (seek >= -1),
        n integer NOT NULL CHECK (n > 0),
        -- n in the key's index: a period is read by an index-only scan.
        PRIMARY KEY (region_code, business_day, gap, seek) INCLUDE (n)
      );
      CREATE TABLE analytics_region_seen_state (
        region_code text PRIMARY KEY,
        from_day date NOT NULL,
        built_through date NOT NULL,
        stale boolean NOT NULL DEFAULT false,
        built_at timestamptz NOT NULL DEFAULT now()
      );
      -- The distinct job seekers drill-down: whether a seeker of a day checked in earlier in the period (region-seen.ts seenFirstsOn).
      CREATE INDEX analytics_subject_days_seeker ON analytics_subject_days (worker_id, business_day) INCLUDE (region_code) WHERE role = 'seeker';
    `);
    for (const t of ['analytics_region_seen', 'analytics_region_seen_state']) {
      await q.query(regionTableRls(t));
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX analytics_subject_days_seeker; DROP TABLE analytics_region_seen_state, analytics_region_seen');
  }
}
