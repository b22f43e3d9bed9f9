import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { LedgerCoreModule } from '@linggong/api-ledger';
import { MarketScopeModule } from '@linggong/api-markets';
import { RegistryCoreModule } from '@linggong/api-registry';
import { StaffDirectoryModule } from '@linggong/api-tenancy';
import { JobsCoreModule } from '@linggong/api-jobs';
import { AnalyticsService } from './analytics.service';
import { AnalyticsController } from './analytics.controller';
import { RollupQueue } from './rollup.queue';
import { ANALYTICS_ROLLUP_QUEUE } from './queues';
import { ComplaintsCoreModule } from '@linggong/api-complaints';
import { FlagsService } from './flags.service';
import { RankingService } from './ranking.service';
import { TenancyModule } from '@linggong/api-tenancy';
import { AnalyticsTodos } from './analytics.todos';

/** Rollups and figures without HTTP, for the worker (needs BullModule.forRoot in the app). */
@Module({
  imports: [LedgerCoreModule, MarketScopeModule, RegistryCoreModule, StaffDirectoryModule, JobsCoreModule, BullModule.registerQueue({ name: ANALYTICS_ROLLUP_QUEUE })],
  providers: [AnalyticsService, RollupQueue],
  exports: [AnalyticsService, RollupQueue],
})
export class AnalyticsCoreModule {}

/** KPIs from the sealed work log, their drill-downs, the ranking, red flags and rollup runs (issue 13). */
@Module({ imports: [AnalyticsCoreModule, TenancyModule, LedgerCoreModule, ComplaintsCoreModule], controllers: [AnalyticsController], providers: [RankingService, FlagsService, AnalyticsTodos] })
export class AnalyticsModule {}
