import { defineContext } from '@linggong/api-core';
import { IdentityModule, IdentityCoreModule } from './identity.module';
import { Identity1763800200000 } from './migrations/1763800200000-identity';
import { SecondFactor1763802400000 } from './migrations/1763802400000-second-factor';
import { CleanSessionsJob } from './clean-sessions.job';
import { SESSION_CLEANUP_QUEUE } from './queues';

/** What the apps wire for the identity context (issue 11 §4; docs/architecture.md "Adding a context"). */
export const IDENTITY_CONTEXT = defineContext({
  name: 'identity',
  api: IdentityModule,
  worker: IdentityCoreModule,
  migrations: [Identity1763800200000, SecondFactor1763802400000],
  tenantTables: [],
  // Other contexts' tables its SQL reads (tests/api/boundaries): to move behind their services.
  readModels: {
    users: 'sign-in reads the account it authenticates (tenancy owns users; identity owns credentials and sessions)',
  },
  queues: [SESSION_CLEANUP_QUEUE],
  jobs: [CleanSessionsJob],
  schedules: [
    {
      queue: SESSION_CLEANUP_QUEUE, id: 'session-cleanup-hourly', repeat: { every: 3_600_000 },
      name: 'clean-sessions', data: {}, opts: { removeOnComplete: 50, removeOnFail: 200 },
    },
  ],
});
