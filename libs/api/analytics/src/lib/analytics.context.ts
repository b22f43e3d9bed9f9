import { defineContext } from '@linggong/api-core';
import { AnalyticsModule, AnalyticsCoreModule } from './analytics.module';
import { Analytics1763803010000 } from './migrations/1763803010000-analytics';
import { AnalyticsCovering1763803100000 } from './migrations/1763803100000-analytics-covering';
import { AnalyticsCohorts1763804000000 } from './migrations/1763804000000-analytics-cohorts';
import { AnalyticsRegionAggregates1763804100000 } from './migrations/1763804100000-analytics-region-aggregates';
import { AnalyticsRegionVectors1763804500000 } from './migrations/1763804500000-analytics-region-vectors';
import { AnalyticsReportDimensions1763804710000 } from './migrations/1763804710000-analytics-report-dimensions';
import { AnalyticsRegionMonths1763805300000 } from './migrations/1763805300000-analytics-region-months';
import { AnalyticsRegionSeen1763806400000 } from './migrations/1763806400000-analytics-region-seen';
import { AnalyticsSeenStatistics1763806500000 } from './migrations/1763806500000-analytics-seen-statistics';
import { RollupDayJob } from './rollup.job';
import { ANALYTICS_ROLLUP_QUEUE } from './queues';

/** What the apps wire for the analytics context (issue 11 §4; docs/architecture.md "Adding a context"). */
export const ANALYTICS_CONTEXT = defineContext({
  name: 'analytics',
  api: AnalyticsModule,
  worker: AnalyticsCoreModule,
  migrations: [Analytics1763803010000, AnalyticsCovering1763803100000, AnalyticsCohorts1763804000000, AnalyticsRegionAggregates1763804100000, AnalyticsRegionVectors1763804500000, AnalyticsReportDimensions1763804710000, AnalyticsRegionMonths1763805300000, AnalyticsRegionSeen1763806400000, AnalyticsSeenStatistics1763806500000],
  tenantTables: ['analytics_facts', 'analytics_subject_days', 'analytics_days', 'analytics_runs'],
  // Other contexts' tables its SQL reads (tests/api/boundaries): to move behind their services.
  readModels: {
    markets: "the figures' scope: markets filtered by the caller's CASL conditions (tenant, region, assignment) in one statement",
    user_markets: 'staff per market, counted at rollup time (authorities cannot read assignments through tenancy)',
  },
  queues: [ANALYTICS_ROLLUP_QUEUE],
  jobs: [RollupDayJob],
  schedules: [
    {
      // 04:30 Asia/Shanghai, after the overdue closes and the seal verification: roll up sealed days never
      // rolled or changed since (a lost notification, a correction, a verification alert); and at boot, below.
      queue: ANALYTICS_ROLLUP_QUEUE, id: 'analytics-catch-up-nightly', repeat: { pattern: '30 4 * * *', tz: 'Asia/Shanghai' },
      name: 'catch-up', data: { catchUp: true }, opts: { removeOnComplete: 100, removeOnFail: 500, attempts: 3 },
    },
  ],
  bootJobs: [{ queue: ANALYTICS_ROLLUP_QUEUE, name: 'catch-up', data: { catchUp: true }, idPrefix: 'analytics-catch-up' }],
});
