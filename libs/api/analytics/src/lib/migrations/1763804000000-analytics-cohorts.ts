import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cohorts and day drill-downs (issue 13; docs/kpis.md "Cohorts").
 * - analytics_facts.cohort_day: the day of the cohort a fact belongs to — for a settlement or a
 *   non-payment report the day its hire started, for a completed 1-3-1 package the day its plan opened,
 *   for a closed post the day it was published; for every other fact its own business day. A period
 *   counts the rows of its days whose cohort day is in it too, so cohort rates never exceed 100 %. Part of
 *   the key (two settlements on one day may belong to different cohorts) and of the covering index.
 * - analytics_days.sealed_at and staff_ids: when the day was sealed, and which staff were assigned to the
 *   market when it was rolled (the drill-downs of timeliness, late days and staff per market).
 * - analytics_days.fold_version: the rollup's version of `metricsOfEntry` when the day was rolled; the
 *   catch-up re-rolls days folded by an older version (here: every day rolled before cohorts existed).
 */
export class AnalyticsCohorts1763804000000 implements MigrationInterface {
  name = 'AnalyticsCohorts1763804000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE analytics_facts ADD COLUMN cohort_day date;
      UPDATE analytics_facts SET cohort_day = business_day;
      ALTER TABLE analytics_facts ALTER COLUMN cohort_day SET NOT NULL;
      ALTER TABLE analytics_facts DROP CONSTRAINT analytics_facts_pkey;
      ALTER TABLE analytics_facts ADD PRIMARY KEY (market_id, business_day, metric, occupation, industry, gender, age_band, bucket, cohort_day);
      DROP INDEX analytics_facts_cover;
      CREATE INDEX analytics_facts_cover ON analytics_facts (market_id, business_day) INCLUDE (metric, occupation, bucket, n, value, tenant_id, region_code, cohort_day);
      ALTER TABLE analytics_days ADD COLUMN sealed_at timestamptz, ADD COLUMN staff_ids uuid[] NOT NULL DEFAULT '{}', ADD COLUMN fold_version integer NOT NULL DEFAULT 1;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE analytics_days DROP COLUMN fold_version, DROP COLUMN staff_ids, DROP COLUMN sealed_at;
      DELETE FROM analytics_facts WHERE cohort_day <> business_day OR metric IN ('hires_settled', 'hires_unpaid', 'plans_completed', 'demand_closed');
      DROP INDEX analytics_facts_cover;
      CREATE INDEX analytics_facts_cover ON analytics_facts (market_id, business_day) INCLUDE (metric, occupation, bucket, n, value, tenant_id, region_code);
      ALTER TABLE analytics_facts DROP CONSTRAINT analytics_facts_pkey;
      ALTER TABLE analytics_facts ADD PRIMARY KEY (market_id, business_day, metric, occupation, industry, gender, age_band, bucket);
      ALTER TABLE analytics_facts DROP COLUMN cohort_day;
    `);
  }
}
