import { Module } from '@nestjs/common';
import { AuditModule } from '@linggong/api-audit';
import { LedgerCoreModule } from '@linggong/api-ledger';
import { MarketScopeModule } from '@linggong/api-markets';
import { EventsService } from './events.service';
import { EventsController } from './events.controller';
import { EventsAuditNames } from './events.audit-names';

/** The events service without HTTP. */
@Module({ imports: [AuditModule, LedgerCoreModule, MarketScopeModule], providers: [EventsService, EventsAuditNames], exports: [EventsService] })
export class EventsCoreModule {}

/** Events (issue 5 §5, R-B13). */
@Module({ imports: [EventsCoreModule], controllers: [EventsController] })
export class EventsModule {}
