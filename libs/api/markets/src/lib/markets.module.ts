import { Global, Module } from '@nestjs/common';
import { AuditModule } from '@linggong/api-audit';
import { MARKET_DIRECTORY, TenancyModule } from '@linggong/api-tenancy';
import { MarketsService } from './markets.service';
import { MarketDirectoryService } from './market-directory.service';
import { MarketsController, OverviewController } from './markets.controller';

/** Global only to hand tenancy its MARKET_DIRECTORY without a dependency cycle. */
@Global()
@Module({
  imports: [AuditModule, TenancyModule],
  controllers: [MarketsController, OverviewController],
  providers: [MarketsService, MarketDirectoryService, { provide: MARKET_DIRECTORY, useExisting: MarketDirectoryService }],
  exports: [MarketsService, MARKET_DIRECTORY],
})
export class MarketsModule {}
