import { Module } from '@nestjs/common';
import { AuditModule } from '@linggong/api-audit';
import { LedgerCoreModule } from '@linggong/api-ledger';
import { MarketScopeModule } from '@linggong/api-markets';
import { RegistryCoreModule } from '@linggong/api-registry';
import { PostsService } from './posts.service';
import { MatchingService } from './matching.service';
import { SanctionsService } from './sanctions.service';
import { PublicService } from './public.service';
import { GateCodeService } from './gate-code.service';
import { PublicController, JobsController } from './jobs.controller';

/** The services without HTTP, for the worker's jobs. */
@Module({
  imports: [AuditModule, LedgerCoreModule, MarketScopeModule, RegistryCoreModule],
  providers: [PostsService, MatchingService, SanctionsService, PublicService, GateCodeService],
  exports: [PostsService, MatchingService, SanctionsService, PublicService, GateCodeService],
})
export class JobsCoreModule {}

/** 即时快招: posts, queue, matching, hires and 日结, disputes, public pages (issue 4). */
@Module({ imports: [JobsCoreModule], controllers: [JobsController, PublicController] })
export class JobsModule {}
