import { Module } from '@nestjs/common';
import { AuditModule } from '@linggong/api-audit';
import { LedgerCoreModule } from '@linggong/api-ledger';
import { MarketScopeModule } from '@linggong/api-markets';
import { RegistryCoreModule } from '@linggong/api-registry';
import { CallbackService } from './callback.service';
import { RectificationService } from './rectification.service';
import { InspectionsService } from './inspections.service';
import { RectificationSources } from './sources';
import { CallbackController, InspectionsController, RectificationController } from './oversight.controller';
import { OversightTodos } from './oversight.todos';
import { ExitService } from './exit.service';
import { ExitController } from './exit.controller';

/** The oversight services without HTTP (other contexts: `RectificationSources` to plug in a source kind). */
@Module({
  imports: [AuditModule, LedgerCoreModule, MarketScopeModule, RegistryCoreModule],
  providers: [CallbackService, RectificationService, InspectionsService, RectificationSources, ExitService],
  exports: [CallbackService, RectificationService, InspectionsService, RectificationSources, ExitService],
})
export class OversightCoreModule {}

/** Inspections, call-back sampling and rectification (issue 16 §1–3). */
@Module({ imports: [OversightCoreModule, MarketScopeModule], controllers: [CallbackController, RectificationController, InspectionsController, ExitController], providers: [OversightTodos] })
export class OversightModule {}
