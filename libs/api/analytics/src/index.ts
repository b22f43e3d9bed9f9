export { AnalyticsCoreModule, AnalyticsModule } from './lib/analytics.module';
export { AnalyticsService, type FoldedDay, type RunView } from './lib/analytics.service';
export { RankingService } from './lib/ranking.service';
export { RollupQueue, type RollupPayload } from './lib/rollup.queue';
export { RollupDayJob } from './lib/rollup.job';
export { Analytics1763803010000 } from './lib/migrations/1763803010000-analytics';
export { AnalyticsCovering1763803100000 } from './lib/migrations/1763803100000-analytics-covering';
export { AnalyticsRegionAggregates1763804100000, REBUILD_REGION_DAYS } from './lib/migrations/1763804100000-analytics-region-aggregates';
export { standardPeriods } from './lib/region-aggregates';
