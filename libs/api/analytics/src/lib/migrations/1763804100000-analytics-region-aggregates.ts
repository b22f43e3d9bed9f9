import type { MigrationInterface, QueryRunner } from 'typeorm';
import { regionTableRls } from './region-rls';

/**
 * Pre-aggregates for whole-region figures (issue 13; tools/bench analytics: a province's calls read every
 * fact row of the province twice and grouped millions of subject rows by worker).
 *
 * - analytics_region_days: per region (its province, city and county code: three rows for each market's
 *   day), business day, metric, occupation, value bucket and cohort day (AnalyticsCohorts1763804000000: a
 *   period counts a row only if its cohort day is in the period too), the sums of `n` and `value` of the region's
 *   markets' fact rows, plus four day metrics per market-day (`@open` a day with check-ins, `@days` a day
 *   with entries, `@late` such a day sealed late, `@failures` verification failures). Kept by the rollup in
 *   the same transaction as the facts, as a delta (the market-day's new rows minus its old ones), so it
 *   always equals the sum of the facts.
 * - analytics_region_periods: per region and standard period (rolling 30, 90 and 365 days to yesterday, the
 *   last complete month, quarter and year, and the period of equal length before each), the exact number of
 *   distinct job seekers and every seeker's job-seeking days (first check-in → first start), computed from
 *   `analytics_subject_days` by the nightly catch-up. A rollup of a day inside a period marks its row stale;
 *   a stale or missing period is computed from the subject rows as before (exact, slower).
 *
 * Region rows aggregate several tenants: only the platform and authorities of the region read them (RLS).
 */
export class AnalyticsRegionAggregates1763804100000 implements MigrationInterface {
  name = 'AnalyticsRegionAggregates1763804100000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE analytics_region_days (
        region_code text NOT NULL,
        business_day date NOT NULL,
        metric text NOT NULL,
        occupation text NOT NULL DEFAULT '',
        bucket bigint NOT NULL DEFAULT 0,
        cohort_day date NOT NULL,
        n bigint NOT NULL,
        value bigint NOT NULL,
        PRIMARY KEY (region_code, business_day, metric, occupation, bucket, cohort_day)
      );
      CREATE TABLE analytics_region_periods (
        region_code text NOT NULL,
        from_day date NOT NULL,
        to_day date NOT NULL,
        seekers integer NOT NULL,
        seeking_days integer[] NOT NULL,
        stale boolean NOT NULL DEFAULT false,
        computed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (region_code, from_day, to_day)
      );
      CREATE INDEX analytics_region_periods_days ON analytics_region_periods (from_day, to_day);
    `);
    for (const t of ['analytics_region_days', 'analytics_region_periods']) {
      await q.query(regionTableRls(t));
    }
    // The facts rolled up before this migration.
    await q.query(REBUILD_REGION_DAYS_V1);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE analytics_region_periods, analytics_region_days');
  }
}

/** analytics_region_days from scratch as this migration made it (every occupation and bucket; AnalyticsRegionVectors1763804500000 has the current REBUILD_REGION_DAYS). */
const REBUILD_REGION_DAYS_V1 = `
  DELETE FROM analytics_region_days;
  INSERT INTO analytics_region_days (region_code, business_day, metric, occupation, bucket, cohort_day, n, value)
  SELECT r.code, x.business_day, x.metric, x.occupation, x.bucket, x.cohort_day, sum(x.n), sum(x.value)
  FROM (
    SELECT region_code, business_day, metric, occupation, bucket, cohort_day, sum(n)::bigint AS n, sum(value)::bigint AS value
      FROM analytics_facts GROUP BY 1, 2, 3, 4, 5, 6
    UNION ALL SELECT region_code, business_day, '@open', '', 0, business_day, count(DISTINCT market_id), 0
      FROM analytics_facts WHERE metric = 'check_ins' AND n > 0 GROUP BY 1, 2
    UNION ALL SELECT region_code, business_day, '@days', '', 0, business_day, count(*) FILTER (WHERE entries > 0), 0 FROM analytics_days GROUP BY 1, 2
    UNION ALL SELECT region_code, business_day, '@late', '', 0, business_day, count(*) FILTER (WHERE entries > 0 AND late), 0 FROM analytics_days GROUP BY 1, 2
    UNION ALL SELECT region_code, business_day, '@failures', '', 0, business_day, sum(verification_failures), 0 FROM analytics_days GROUP BY 1, 2
  ) x CROSS JOIN LATERAL (SELECT DISTINCT c FROM unnest(ARRAY[left(x.region_code, 2), left(x.region_code, 4), x.region_code]) AS c) AS r(code)
  GROUP BY 1, 2, 3, 4, 5, 6
  HAVING sum(x.n) <> 0 OR sum(x.value) <> 0;
`;
