import { MarketHandover } from './markets.handover';
import { AssignmentCovers } from './assignment-covers';
import { Global, Module } from '@nestjs/common';
import { AuditModule } from '@linggong/api-audit';
import { MARKET_DIRECTORY, TenancyModule } from '@linggong/api-tenancy';
import { MarketsService } from './markets.service';
import { MarketDirectoryService } from './market-directory.service';
import { MarketsController, OverviewController } from './markets.controller';

/** The market scope lookup alone, for contexts (ledger, registry) and the worker that need no HTTP. */
@Module({ providers: [MarketDirectoryService, MarketHandover, AssignmentCovers], exports: [MarketDirectoryService, MarketHandover, AssignmentCovers] })
export class MarketScopeModule {}

/** Global only to hand tenancy its MARKET_DIRECTORY without a dependency cycle. */
@Global()
@Module({
  imports: [AuditModule, TenancyModule, MarketScopeModule],
  controllers: [MarketsController, OverviewController],
  providers: [MarketsService, { provide: MARKET_DIRECTORY, useExisting: MarketDirectoryService }],
  exports: [MarketsService, MARKET_DIRECTORY],
})
export class MarketsModule {}
