import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { LedgerCoreModule } from '@linggong/api-ledger';
import { MarketScopeModule } from '@linggong/api-markets';
import { RegistryCoreModule } from '@linggong/api-registry';
import { AnalyticsService } from './analytics.service';
import { AnalyticsController } from './analytics.controller';
import { RollupQueue } from './rollup.queue';
import { ANALYTICS_ROLLUP_QUEUE } from './queues';

/** Rollups and figures without HTTP, for the worker (needs BullModule.forRoot in the app). */
@Module({
  imports: [LedgerCoreModule, MarketScopeModule, RegistryCoreModule, BullModule.registerQueue({ name: ANALYTICS_ROLLUP_QUEUE })],
  providers: [AnalyticsService, RollupQueue],
  exports: [AnalyticsService, RollupQueue],
})
export class AnalyticsCoreModule {}

/** KPIs from the sealed work log, their drill-downs and rollup runs (issue 13). */
@Module({ imports: [AnalyticsCoreModule], controllers: [AnalyticsController] })
export class AnalyticsModule {}
