import { Module } from '@nestjs/common';
import { AuditModule } from '@linggong/api-audit';
import { MarketScopeModule } from '@linggong/api-markets';
import { LedgerService } from './ledger.service';
import { FactsService } from './facts.service';
import { AttachmentsService } from './attachments.service';
import { LedgerJobs } from './ledger.jobs';
import { LedgerController, MarketLedgerController } from './ledger.controller';
import { LedgerTodos } from './ledger.todos';

/** The ledger's services, for other contexts (append) and the worker (jobs), without HTTP. */
@Module({ imports: [AuditModule, MarketScopeModule], providers: [LedgerService, FactsService, AttachmentsService, LedgerJobs], exports: [LedgerService, FactsService, LedgerJobs, AttachmentsService] })
export class LedgerCoreModule {}

@Module({ imports: [LedgerCoreModule], controllers: [MarketLedgerController, LedgerController], providers: [LedgerTodos], exports: [LedgerCoreModule] })
export class LedgerModule {}
