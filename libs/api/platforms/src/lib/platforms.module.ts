import { Module } from '@nestjs/common';
import { AuditModule } from '@linggong/api-audit';
import { DirectoryModule } from '@linggong/api-directory';
import { JobsCoreModule } from '@linggong/api-jobs';
import { LedgerCoreModule } from '@linggong/api-ledger';
import { MarketScopeModule } from '@linggong/api-markets';
import { ReportsModule } from '@linggong/api-reports';
import { PlatformsService } from './platforms.service';
import { IngestService } from './ingest.service';
import { WebhooksService } from './webhooks.service';
import { FeedService } from './feed.service';
import { PlatformAuthGuard } from './platform-auth.guard';
import { ConnectController, PlatformsController } from './platforms.controller';
import { FeedController } from './feed.controller';

/** The platforms services without HTTP (the worker's webhook jobs use WebhooksService). */
@Module({
  imports: [AuditModule, LedgerCoreModule, MarketScopeModule, JobsCoreModule],
  providers: [PlatformsService, IngestService, WebhooksService],
  exports: [PlatformsService, IngestService, WebhooksService],
})
export class PlatformsCoreModule {}

/** Third-party platforms: registration, the signed interface, webhooks' delivery log, the province feed (issue 18 §3–4, R-E8). */
@Module({
  imports: [PlatformsCoreModule, DirectoryModule, ReportsModule],
  controllers: [PlatformsController, ConnectController, FeedController],
  providers: [PlatformAuthGuard, FeedService],
})
export class PlatformsModule {}
