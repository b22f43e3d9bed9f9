import { defineContext } from '@linggong/api-core';
import { TenancyModule } from './tenancy.module';
import { RegionEntity, OrganisationEntity, UserEntity, UserMarketEntity } from './entities';
import { Tenancy1763800100000 } from './migrations/1763800100000-tenancy';
import { RegionsGbt22601763800110000 } from './migrations/1763800110000-regions-gbt2260';
import { TenancyExiting1763805500000 } from './migrations/1763805500000-tenancy-exiting';

/** What the apps wire for the tenancy context (issue 11 §4; docs/architecture.md "Adding a context"). */
export const TENANCY_CONTEXT = defineContext({
  name: 'tenancy',
  api: TenancyModule,
  entities: [RegionEntity, OrganisationEntity, UserEntity, UserMarketEntity],
  migrations: [Tenancy1763800100000, RegionsGbt22601763800110000, TenancyExiting1763805500000],
  tenantTables: ['organisations', 'users', 'user_markets'],
});
