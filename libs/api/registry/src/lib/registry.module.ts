import { Module } from '@nestjs/common';
import { AuditModule } from '@linggong/api-audit';
import { LedgerCoreModule } from '@linggong/api-ledger';
import { MarketScopeModule } from '@linggong/api-markets';
import { WorkersService } from './workers.service';
import { EmployersService } from './employers.service';
import { RegistryController } from './registry.controller';
import { WorkerRosterService } from './roster.service';

@Module({ imports: [AuditModule, LedgerCoreModule, MarketScopeModule], providers: [WorkersService, EmployersService, WorkerRosterService], controllers: [RegistryController], exports: [WorkersService, EmployersService] })
export class RegistryModule {}
