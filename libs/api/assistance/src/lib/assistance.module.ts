import { AssistanceHandover } from './assistance.handover';
import { Module } from '@nestjs/common';
import { AuditModule } from '@linggong/api-audit';
import { LedgerCoreModule } from '@linggong/api-ledger';
import { MarketScopeModule } from '@linggong/api-markets';
import { RegistryCoreModule } from '@linggong/api-registry';
import { AssistanceService } from './assistance.service';
import { ServiceRecordsService } from './service-records.service';
import { TierRecomputation } from './recompute-tiers.job';
import { AssistanceController } from './assistance.controller';
import { AssistanceAuditNames } from './assistance.audit-names';

/** The services without HTTP, for the worker's daily tier job. */
@Module({
  imports: [AuditModule, LedgerCoreModule, MarketScopeModule, RegistryCoreModule],
  providers: [AssistanceService, ServiceRecordsService, TierRecomputation, AssistanceHandover, AssistanceAuditNames],
  exports: [AssistanceService, ServiceRecordsService, TierRecomputation],
})
export class AssistanceCoreModule {}

/** Assistance for difficult workers (R-B9) and service records (R-B12, R-B14), issue 5 §1 and §4. */
@Module({ imports: [AssistanceCoreModule], controllers: [AssistanceController] })
export class AssistanceModule {}
