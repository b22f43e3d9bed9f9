import { Module } from '@nestjs/common';
import { AuditModule } from '@linggong/api-audit';
import { LedgerCoreModule } from '@linggong/api-ledger';
import { MarketScopeModule } from '@linggong/api-markets';
import { RegistryCoreModule } from '@linggong/api-registry';
import { PostsService } from './posts.service';
import { MatchingService } from './matching.service';
import { SanctionsService } from './sanctions.service';
import { PublicService } from './public.service';
import { PublicController, QuickhireController } from './quickhire.controller';

/** The services without HTTP, for the worker's jobs. */
@Module({
  imports: [AuditModule, LedgerCoreModule, MarketScopeModule, RegistryCoreModule],
  providers: [PostsService, MatchingService, SanctionsService, PublicService],
  exports: [PostsService, MatchingService, SanctionsService, PublicService],
})
export class QuickhireCoreModule {}

/** 即时快招: posts, queue, matching, hires and 日结, disputes, public pages (issue 4). */
@Module({ imports: [QuickhireCoreModule], controllers: [QuickhireController, PublicController] })
export class QuickhireModule {}
