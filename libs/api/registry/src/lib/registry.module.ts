import { RegistryHandover } from './registry.handover';
import { Module } from '@nestjs/common';
import { AuditModule } from '@linggong/api-audit';
import { LedgerCoreModule } from '@linggong/api-ledger';
import { MarketScopeModule } from '@linggong/api-markets';
import { WorkersService } from './workers.service';
import { EmployersService } from './employers.service';
import { RegistryController } from './registry.controller';
import { WorkerRosterService } from './roster.service';
import { RegistryDirectoryService } from './registry-directory.service';

/** The registry's services without HTTP, for other contexts and the worker app. */
@Module({
  imports: [AuditModule, LedgerCoreModule, MarketScopeModule],
  providers: [WorkersService, EmployersService, WorkerRosterService, RegistryDirectoryService, RegistryHandover],
  exports: [WorkersService, EmployersService, WorkerRosterService, RegistryDirectoryService],
})
export class RegistryCoreModule {}

@Module({ imports: [RegistryCoreModule], controllers: [RegistryController] })
export class RegistryModule {}
