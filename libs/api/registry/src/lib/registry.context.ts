import { defineContext } from '@linggong/api-core';
import { RegistryModule } from './registry.module';
import { Registry1763800600000 } from './migrations/1763800600000-registry';
import { Employers1763800610000 } from './migrations/1763800610000-employers';
import { EmployerIndustry1763804700000 } from './migrations/1763804700000-employer-industry';
import { WorkerJobPush1763805800000 } from './migrations/1763805800000-job-push';

/** What the apps wire for the registry context (issue 11 §4; docs/architecture.md "Adding a context"). */
export const REGISTRY_CONTEXT = defineContext({
  name: 'registry',
  api: RegistryModule,
  migrations: [Registry1763800600000, Employers1763800610000, EmployerIndustry1763804700000, WorkerJobPush1763805800000],
  tenantTables: ['workers', 'employers'],
  // Other contexts' tables its SQL reads (tests/api/boundaries): to move behind their services.
  readModels: {
    markets: "the roster filtered by the market's region and name in SQL",
  },
});
