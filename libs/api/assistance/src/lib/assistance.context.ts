import { defineContext } from '@linggong/api-core';
import { AssistanceModule, AssistanceCoreModule } from './assistance.module';
import { Assistance1763800900000 } from './migrations/1763800900000-assistance';
import { AssistancePackagesRls1763800950000 } from './migrations/1763800950000-assistance-packages-rls';
import { AssistanceHandover1763805540000 } from './migrations/1763805540000-assistance-handover';
import { RecomputeTiersJob } from './recompute-tiers.job';
import { ASSISTANCE_TIERS_QUEUE } from './queues';

/** What the apps wire for the assistance context (issue 11 §4; docs/architecture.md "Adding a context"). */
export const ASSISTANCE_CONTEXT = defineContext({
  name: 'assistance',
  api: AssistanceModule,
  worker: AssistanceCoreModule,
  migrations: [Assistance1763800900000, AssistancePackagesRls1763800950000, AssistanceHandover1763805540000],
  tenantTables: ['hardship_records', 'assistance_plans', 'assistance_steps', 'public_welfare_posts', 'service_records'],
  // Other contexts' tables its SQL reads (tests/api/boundaries): to move behind their services.
  readModels: {
    markets: "a plan's market name and province (the province's 1-3-1 package rule) in plan lists",
    placements: "referrals counted read-only from 即时快招's placements for the 1-3-1 package",
  },
  queues: [ASSISTANCE_TIERS_QUEUE],
  jobs: [RecomputeTiersJob],
  schedules: [
    {
      // 02:30 Asia/Shanghai, daily: hardship tiers follow waiting time (R-B9, issue 5); the day is the business key.
      queue: ASSISTANCE_TIERS_QUEUE, id: 'assistance-tiers-daily', repeat: { pattern: '30 2 * * *', tz: 'Asia/Shanghai' },
      name: 'recompute-tiers', data: {}, opts: { removeOnComplete: 100, removeOnFail: 500, attempts: 3 },
    },
  ],
});
