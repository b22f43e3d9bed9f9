import { JobsHandover } from './jobs.handover';
import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
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
import { JobsTodos } from './jobs.todos';
import { BoardService } from './board.service';
import { PushService, smsAdapterProvider } from './push.service';
import { PushQueue } from './push-post.job';
import { BoardController, BoardPublicController } from './board.controller';
import { POSTS_PUSH_QUEUE } from './queues';
import { JobsAuditNames } from './jobs.audit-names';

/** The services without HTTP, for the worker's jobs. */
@Module({
  imports: [AuditModule, LedgerCoreModule, MarketScopeModule, RegistryCoreModule, BullModule.registerQueue({ name: POSTS_PUSH_QUEUE })],
  providers: [PostsService, MatchingService, SanctionsService, PublicService, GateCodeService, BoardService, PushService, PushQueue, smsAdapterProvider, JobsHandover, JobsAuditNames],
  exports: [PostsService, MatchingService, SanctionsService, PublicService, GateCodeService, BoardService, PushService],
})
export class JobsCoreModule {}

/** 即时快招: posts, queue, matching, hires and 日结, disputes, public pages (issue 4). */
@Module({ imports: [JobsCoreModule], controllers: [JobsController, PublicController, BoardController, BoardPublicController], providers: [JobsTodos] })
export class JobsModule {}
