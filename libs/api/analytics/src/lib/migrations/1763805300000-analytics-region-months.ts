import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The monthly supply–demand report's distinct job seekers, stored (issue 14 §3 and its ≤ 10 s benchmark; tools/bench reports):
 *
 * - `analytics_subject_days.gender` and `.age_band`: a job seeker's gender and age band on the day (as the fact rows keep
 *   them), so the report counts seekers by gender and age as distinct persons, not visits (FOLD_VERSION 4 re-rolls).
 * - `analytics_region_months`: per region (province, city and county: every level a market's rows count under) and calendar
 *   month, the distinct job seekers of the month — in all, by occupation, gender, age band, and per employer industry (of the
 *   occupations the industry's posts asked for in the region that month) — as one JSON object (`region-months.ts`). Distinct
 *   counts do not add across counties, so every level stores its own. Filled by the nightly refresh for the last two complete
 *   months and every stale month; a rollup that changes a day's figures or seekers marks its regions' month stale; a report on a
 *   month without a fresh row (or with unsealed days) counts from the subject rows, as before.
 * - `analytics_region_month_facts`: per region level and month, the fact rows the report's tables read (REPORT_METRICS,
 *   cohort rule as the KPIs) summed by occupation, employer industry, period of employment and value bucket — refreshed
 *   with the seekers and fresh when its `analytics_region_months` row is: a province's report reads a few thousand
 *   rows instead of grouping the month's facts of every market (tools/bench reports: 13 s of its 17 s).
 * The report's carried-over demand reads `analytics_region_days`, which keep the value bucket (the post's expiry day) of
 * `demand_open` rows from now on (REGION_BUCKET), as they do for the wage histogram.
 */
export class AnalyticsRegionMonths1763805300000 implements MigrationInterface {
  name = 'AnalyticsRegionMonths1763805300000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE analytics_subject_days ADD COLUMN gender text NOT NULL DEFAULT '', ADD COLUMN age_band text NOT NULL DEFAULT '';
      CREATE TABLE analytics_region_months (
        region_code text NOT NULL,
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        seekers jsonb NOT NULL,
        stale boolean NOT NULL DEFAULT false,
        computed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (region_code, month)
      );
      CREATE INDEX analytics_region_months_month ON analytics_region_months (month) WHERE stale;
      ALTER TABLE analytics_region_months ENABLE ROW LEVEL SECURITY;
      ALTER TABLE analytics_region_months FORCE ROW LEVEL SECURITY;
      CREATE POLICY analytics_region_months_read ON analytics_region_months FOR SELECT USING (
        (SELECT app_is_platform()) OR ((SELECT app_region_prefix()) <> '' AND region_code LIKE (SELECT app_region_prefix()) || '%'));
      CREATE POLICY analytics_region_months_insert ON analytics_region_months FOR INSERT WITH CHECK (app_is_platform());
      CREATE POLICY analytics_region_months_update ON analytics_region_months FOR UPDATE USING (app_is_platform()) WITH CHECK (app_is_platform());
      CREATE POLICY analytics_region_months_delete ON analytics_region_months FOR DELETE USING (app_is_platform());
      GRANT SELECT, INSERT, UPDATE, DELETE ON analytics_region_months TO linggong_app_access;
      CREATE TABLE analytics_region_month_facts (
        region_code text NOT NULL,
        month date NOT NULL,
        metric text NOT NULL,
        occupation text NOT NULL,
        employer_industry text NOT NULL,
        work_period text NOT NULL,
        bucket bigint NOT NULL,
        n bigint NOT NULL,
        value bigint NOT NULL,
        PRIMARY KEY (region_code, month, metric, occupation, employer_industry, work_period, bucket)
      );
      ALTER TABLE analytics_region_month_facts ENABLE ROW LEVEL SECURITY;
      ALTER TABLE analytics_region_month_facts FORCE ROW LEVEL SECURITY;
      CREATE POLICY analytics_region_month_facts_read ON analytics_region_month_facts FOR SELECT USING (
        (SELECT app_is_platform()) OR ((SELECT app_region_prefix()) <> '' AND region_code LIKE (SELECT app_region_prefix()) || '%'));
      CREATE POLICY analytics_region_month_facts_insert ON analytics_region_month_facts FOR INSERT WITH CHECK (app_is_platform());
      CREATE POLICY analytics_region_month_facts_update ON analytics_region_month_facts FOR UPDATE USING (app_is_platform()) WITH CHECK (app_is_platform());
      CREATE POLICY analytics_region_month_facts_delete ON analytics_region_month_facts FOR DELETE USING (app_is_platform());
      GRANT SELECT, INSERT, UPDATE, DELETE ON analytics_region_month_facts TO linggong_app_access;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE analytics_region_month_facts, analytics_region_months;
      ALTER TABLE analytics_subject_days DROP COLUMN age_band, DROP COLUMN gender;
    `);
  }
}
