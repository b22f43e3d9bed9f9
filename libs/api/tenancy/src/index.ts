export { TenancyModule } from './lib/tenancy.module';
export { RegionsService } from './lib/regions.service';
export { OrganisationsService } from './lib/organisations.service';
export { MARKET_DIRECTORY, type MarketDirectory } from './lib/market-directory';
export { RegionEntity, OrganisationEntity, UserEntity, UserMarketEntity } from './lib/entities';
export { Tenancy1763800100000 } from './lib/migrations/1763800100000-tenancy';
export { RegionsGbt22601763800110000 } from './lib/migrations/1763800110000-regions-gbt2260';
export { TENANCY_CONTEXT } from './lib/tenancy.context';
export { StaffDirectoryModule, StaffDirectoryService } from './lib/staff-directory.service';
