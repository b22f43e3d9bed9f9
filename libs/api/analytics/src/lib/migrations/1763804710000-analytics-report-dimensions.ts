import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dimensions the monthly supply–demand analysis needs (issue 14 §3), kept by the rollup (FOLD_VERSION 3):
 * - analytics_facts.employer_industry: the GB/T 4754 section of the post's employer (post, match and hire rows; "" unknown);
 * - analytics_facts.work_period: the post's period of employment (same_day, days, …; "" unknown);
 * - analytics_subject_days.occupation: a job seeker's first registered occupation (distinct seekers by occupation).
 * Part of the facts' key: two posts of one occupation may come from employers of different industries.
 */
export class AnalyticsReportDimensions1763804710000 implements MigrationInterface {
  name = 'AnalyticsReportDimensions1763804710000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE analytics_facts ADD COLUMN employer_industry text NOT NULL DEFAULT '', ADD COLUMN work_period text NOT NULL DEFAULT '';
      ALTER TABLE analytics_facts DROP CONSTRAINT analytics_facts_pkey;
      ALTER TABLE analytics_facts ADD PRIMARY KEY (market_id, business_day, metric, occupation, industry, gender, age_band, bucket, cohort_day, employer_industry, work_period);
      ALTER TABLE analytics_subject_days ADD COLUMN occupation text NOT NULL DEFAULT '';
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE analytics_subject_days DROP COLUMN occupation;
      DELETE FROM analytics_facts WHERE employer_industry <> '' OR work_period <> '';
      ALTER TABLE analytics_facts DROP CONSTRAINT analytics_facts_pkey;
      ALTER TABLE analytics_facts ADD PRIMARY KEY (market_id, business_day, metric, occupation, industry, gender, age_band, bucket, cohort_day);
      ALTER TABLE analytics_facts DROP COLUMN work_period, DROP COLUMN employer_industry;
    `);
  }
}
