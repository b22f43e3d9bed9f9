import { Module } from '@nestjs/common';
import { AuditModule } from '@linggong/api-audit';
import { IdentityCoreModule } from '@linggong/api-identity';
import { RegionsService } from './regions.service';
import { OrganisationsService } from './organisations.service';
import { UsersService } from './users.service';
import { StaffDirectoryModule } from './staff-directory.service';
import { OrganisationsController, RegionsController, UsersController } from './tenancy.controller';

/** Regions, organisations, users and roles. Needs a MARKET_DIRECTORY provider (the markets context gives it). */
@Module({
  imports: [AuditModule, IdentityCoreModule, StaffDirectoryModule],
  controllers: [RegionsController, OrganisationsController, UsersController],
  providers: [RegionsService, OrganisationsService, UsersService],
  exports: [RegionsService, OrganisationsService],
})
export class TenancyModule {}
