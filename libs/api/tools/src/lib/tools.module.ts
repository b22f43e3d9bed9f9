import { ToolsHandover } from './tools.handover';
import { Module } from '@nestjs/common';
import { AuditModule } from '@linggong/api-audit';
import { LedgerCoreModule } from '@linggong/api-ledger';
import { MarketScopeModule } from '@linggong/api-markets';
import { RegistryCoreModule } from '@linggong/api-registry';
import { ToolsService } from './tools.service';
import { DepositReconciliationService } from './deposit-reconciliation.service';
import { ToolsController } from './tools.controller';
import { ToolsTodos } from './tools.todos';
import { ToolsAuditNames } from './tools.audit-names';

/** The services without HTTP, for the worker's reconciliation job. */
@Module({
  imports: [AuditModule, LedgerCoreModule, MarketScopeModule, RegistryCoreModule],
  providers: [ToolsService, DepositReconciliationService, ToolsHandover, ToolsAuditNames],
  exports: [ToolsService, DepositReconciliationService],
})
export class ToolsCoreModule {}

/** Tool rental (R-B11; issue 5 §3). */
@Module({ imports: [ToolsCoreModule], controllers: [ToolsController], providers: [ToolsTodos] })
export class ToolsModule {}
