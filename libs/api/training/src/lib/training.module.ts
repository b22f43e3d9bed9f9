import { Module } from '@nestjs/common';
import { AuditModule } from '@linggong/api-audit';
import { LedgerCoreModule } from '@linggong/api-ledger';
import { MarketScopeModule } from '@linggong/api-markets';
import { RegistryCoreModule } from '@linggong/api-registry';
import { TrainingService } from './training.service';
import { TrainingPublicService } from './training-public.service';
import { TrainingController, TrainingPublicController } from './training.controller';
import { TrainingAuditNames } from './training.audit-names';

/** The training services without HTTP. */
@Module({
  imports: [AuditModule, LedgerCoreModule, MarketScopeModule, RegistryCoreModule],
  providers: [TrainingService, TrainingPublicService, TrainingAuditNames],
  exports: [TrainingService, TrainingPublicService],
})
export class TrainingCoreModule {}

/** Training (issue 5 §2, R-B10). */
@Module({ imports: [TrainingCoreModule], controllers: [TrainingController, TrainingPublicController] })
export class TrainingModule {}
