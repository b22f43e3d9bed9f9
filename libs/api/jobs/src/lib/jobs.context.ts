import { defineContext } from '@linggong/api-core';
import { JobsModule, JobsCoreModule } from './jobs.module';
import { Jobs1763800700000 } from './migrations/1763800700000-jobs';
import { RankingPolicies1763800710000 } from './migrations/1763800710000-ranking-policies';
import { GateKeys1763802340000 } from './migrations/1763802340000-gate-keys';
import { Board1763805800010 } from './migrations/1763805800010-board';
import { PushPostJob } from './push-post.job';
import { JobsHandover1763805550000 } from './migrations/1763805550000-jobs-handover';
import { ExpirePostsJob } from './expire-posts.job';
import { POSTS_EXPIRE_QUEUE, POSTS_PUSH_QUEUE } from './queues';

/** What the apps wire for the jobs context (issue 11 §4; docs/architecture.md "Adding a context"). */
export const JOBS_CONTEXT = defineContext({
  name: 'jobs',
  api: JobsModule,
  worker: JobsCoreModule,
  migrations: [Jobs1763800700000, RankingPolicies1763800710000, GateKeys1763802340000, JobsHandover1763805550000, Board1763805800010],
  tenantTables: ['posts', 'check_ins', 'placements', 'compliance_refusals', 'worker_sanctions', 'employer_flags', 'market_gate_keys', 'job_applications', 'job_push_deliveries', 'sms_outbox'],
  // Other contexts' tables its SQL reads (tests/api/boundaries): to move behind their services.
  readModels: {
    employers: 'employer name and verification in post lists, ranking and public pages, in one statement',
    markets: "market name and region in the post list's filters and sort; the public job board's market name, place, hotline and coordinates (distance) in one statement",
    workers: "candidate ranking and the check-in queue join workers' skills and state in one statement (R-B5); the desk's application list shows the applicant's name and masked mobile",
  },
  queues: [POSTS_EXPIRE_QUEUE, POSTS_PUSH_QUEUE],
  jobs: [ExpirePostsJob, PushPostJob],
  schedules: [
    {
      // Hourly: posts past their expiry leave the job board (issue 4).
      queue: POSTS_EXPIRE_QUEUE, id: 'posts-expire-hourly', repeat: { pattern: '0 * * * *', tz: 'Asia/Shanghai' },
      name: 'expire-posts', data: {}, opts: { removeOnComplete: 100, removeOnFail: 500, attempts: 3 },
    },
  ],
});
