import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { QueueName } from '@linggong/api-core';
import { LedgerCoreModule } from '@linggong/api-ledger';
import { MarketScopeModule } from '@linggong/api-markets';
import { RegistryCoreModule } from '@linggong/api-registry';
import { AnalyticsService } from './analytics.service';
import { AnalyticsController } from './analytics.controller';
import { RollupQueue } from './rollup.queue';
import { ComplaintsCoreModule } from '@linggong/api-complaints';
import { FlagsService } from './flags.service';
import { RankingService } from './ranking.service';
import { TenancyModule } from '@linggong/api-tenancy';

/** Rollups and figures without HTTP, for the worker (needs BullModule.forRoot in the app). */
@Module({
  imports: [LedgerCoreModule, MarketScopeModule, RegistryCoreModule, BullModule.registerQueue({ name: QueueName.AnalyticsRollup })],
  providers: [AnalyticsService, RollupQueue],
  exports: [AnalyticsService, RollupQueue],
})
export class AnalyticsCoreModule {}

/** KPIs from the sealed work log, their drill-downs, the ranking, red flags and rollup runs (issue 13). */
@Module({ imports: [AnalyticsCoreModule, TenancyModule, LedgerCoreModule, ComplaintsCoreModule], controllers: [AnalyticsController], providers: [RankingService, FlagsService] })
export class AnalyticsModule {}
