import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { AuditModule } from '@linggong/api-audit';
import { MarketScopeModule } from '@linggong/api-markets';
import { AnalyticsCoreModule } from '@linggong/api-analytics';
import { JobsCoreModule } from '@linggong/api-jobs';
import { TenancyModule } from '@linggong/api-tenancy';
import { AssessmentCoreModule } from '@linggong/api-assessment';
import { DirectoryFreezeService } from './freeze.service';
import { DirectoryService } from './directory.service';
import { DirectoryPublicService } from './public.service';
import { DirectoryController, DirectoryPublicController } from './directory.controller';
import { DIRECTORY_QUEUE } from './queues';

/** Freezing versions without HTTP, for the worker's quarter-end job (needs BullModule.forRoot in the app). */
@Module({
  imports: [AuditModule, MarketScopeModule, AnalyticsCoreModule, BullModule.registerQueue({ name: DIRECTORY_QUEUE })],
  providers: [DirectoryFreezeService],
  exports: [DirectoryFreezeService],
})
export class DirectoryCoreModule {}

/** The market directory (issue 14 §1–2; R-E1, R-E2): the chain, gathering points, the ministry's report, the public pages. */
@Module({
  imports: [DirectoryCoreModule, AuditModule, MarketScopeModule, TenancyModule, JobsCoreModule, AssessmentCoreModule],
  controllers: [DirectoryController, DirectoryPublicController],
  providers: [DirectoryService, DirectoryPublicService],
  // The public service also serves the province feed (platforms context, issue 18 §4).
  exports: [DirectoryService, DirectoryPublicService],
})
export class DirectoryModule {}
