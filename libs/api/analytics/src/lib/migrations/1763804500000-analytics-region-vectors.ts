import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Region figures fast enough for a dashboard (issue 13's ≤ 100 ms p95; tools/bench analytics):
 *
 * - `analytics_region_periods.vector`: a region's whole KPI input vector for a standard period — the sums of
 *   every metric (the wage histogram per occupation), the day counts, the effective 求人倍率's open demand
 *   and recent job seekers for the window ending on the period's last day — beside the exact distinct job
 *   seekers and job-seeking days already there. Filled by the nightly refresh; marked stale by any rollup
 *   that changes a day of the period or of that window. A standard-period call then reads two rows.
 * - `analytics_region_days` keeps occupation and value bucket only for `post_day_wage` (the only metric
 *   whose histogram and per-occupation split the figures read): a region-day is a few dozen rows, not
 *   hundreds. Rebuilt here in region order (a region's days are then near each other on disk), with a
 *   covering index so a custom period's read is index-only.
 */
export class AnalyticsRegionVectors1763804500000 implements MigrationInterface {
  name = 'AnalyticsRegionVectors1763804500000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE analytics_region_periods ADD COLUMN vector jsonb`);
    await q.query(`CREATE INDEX analytics_region_days_cover ON analytics_region_days (region_code, business_day) INCLUDE (metric, occupation, bucket, cohort_day, n, value)`);
    await q.query(REBUILD_REGION_DAYS);
    // The periods' vectors are filled by the next refresh (the catch-up at worker boot or nightly); until then the rows serve.
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX analytics_region_days_cover`);
    await q.query(`ALTER TABLE analytics_region_periods DROP COLUMN vector`);
  }
}

/**
 * The dimensions a region-day row keeps: occupation and bucket for the wage histogram only, and the bucket (the post's
 * expiry day) of the open-demand rows the monthly report's carried-over demand reads (AnalyticsRegionMonths1763805300000;
 * no such rows existed before it).
 */
export const REGION_OCCUPATION = (metric: string, occupation: string) => `CASE WHEN ${metric} = 'post_day_wage' THEN ${occupation} ELSE '' END`;
export const REGION_BUCKET = (metric: string, bucket: string) => `CASE WHEN ${metric} IN ('post_day_wage', 'demand_open') THEN ${bucket} ELSE 0 END`;

/**
 * analytics_region_days from scratch, from the facts and day rows (this migration, and the benchmark after
 * generating facts by SQL), in region and day order. Run `VACUUM ANALYZE analytics_region_days` after a
 * bulk rebuild (outside a transaction) so the covering index is read without the heap.
 */
export const REBUILD_REGION_DAYS = `
  DELETE FROM analytics_region_days;
  INSERT INTO analytics_region_days (region_code, business_day, metric, occupation, bucket, cohort_day, n, value)
  SELECT r.code, x.business_day, x.metric, x.occupation, x.bucket, x.cohort_day, sum(x.n), sum(x.value)
  FROM (
    SELECT region_code, business_day, metric, ${REGION_OCCUPATION('metric', 'occupation')} AS occupation, ${REGION_BUCKET('metric', 'bucket')} AS bucket, cohort_day,
        sum(n)::bigint AS n, sum(value)::bigint AS value
      FROM analytics_facts GROUP BY 1, 2, 3, 4, 5, 6
    UNION ALL SELECT region_code, business_day, '@open', '', 0, business_day, count(DISTINCT market_id), 0
      FROM analytics_facts WHERE metric = 'check_ins' AND n > 0 GROUP BY 1, 2
    UNION ALL SELECT region_code, business_day, '@days', '', 0, business_day, count(*) FILTER (WHERE entries > 0), 0 FROM analytics_days GROUP BY 1, 2
    UNION ALL SELECT region_code, business_day, '@late', '', 0, business_day, count(*) FILTER (WHERE entries > 0 AND late), 0 FROM analytics_days GROUP BY 1, 2
    UNION ALL SELECT region_code, business_day, '@failures', '', 0, business_day, sum(verification_failures), 0 FROM analytics_days GROUP BY 1, 2
  ) x CROSS JOIN LATERAL (SELECT DISTINCT c FROM unnest(ARRAY[left(x.region_code, 2), left(x.region_code, 4), x.region_code]) AS c) AS r(code)
  GROUP BY 1, 2, 3, 4, 5, 6
  HAVING sum(x.n) <> 0 OR sum(x.value) <> 0
  ORDER BY 1, 2;
`;
