import { ComplaintsHandover } from './complaints.handover';
import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { AuditModule } from '@linggong/api-audit';
import { LedgerCoreModule } from '@linggong/api-ledger';
import { MarketScopeModule } from '@linggong/api-markets';
import { RegistryCoreModule } from '@linggong/api-registry';
import { JobsCoreModule } from '@linggong/api-jobs';
import { ComplaintsService } from './complaints.service';
import { ComplaintBoardService } from './complaint-board.service';
import { ComplaintDeadlinesService } from './complaint-deadlines.service';
import { ComplaintTimers } from './complaint-timers';
import { ComplaintsController, PublicComplaintsController } from './complaints.controller';
import { ComplaintsTodos } from './complaints.todos';
import { COMPLAINT_TIMERS_QUEUE } from './queues';

/** The services without HTTP, for the worker's timers and sweep (needs BullModule.forRoot in the app). */
@Module({
  imports: [AuditModule, LedgerCoreModule, MarketScopeModule, RegistryCoreModule, JobsCoreModule, BullModule.registerQueue({ name: COMPLAINT_TIMERS_QUEUE })],
  providers: [ComplaintsService, ComplaintBoardService, ComplaintDeadlinesService, ComplaintTimers, ComplaintsHandover],
  exports: [ComplaintsService, ComplaintBoardService, ComplaintDeadlinesService, ComplaintTimers],
})
export class ComplaintsCoreModule {}

/** Complaints and reports (issue 6). */
@Module({ imports: [ComplaintsCoreModule], controllers: [ComplaintsController, PublicComplaintsController], providers: [ComplaintsTodos] })
export class ComplaintsModule {}
