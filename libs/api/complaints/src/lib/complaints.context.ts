import { defineContext } from '@linggong/api-core';
import { ComplaintsModule, ComplaintsCoreModule } from './complaints.module';
import { Complaints1763800800000 } from './migrations/1763800800000-complaints';
import { ComplaintEscalationDeadline1763800810000 } from './migrations/1763800810000-complaint-escalation-deadline';
import { ComplaintDuplicates1763805400000 } from './migrations/1763805400000-complaint-duplicates';
import { ComplaintsHandover1763805530000 } from './migrations/1763805530000-complaints-handover';
import { ComplaintTimersJob } from './complaint-timers.job';
import { COMPLAINT_TIMERS_QUEUE } from './queues';

/** What the apps wire for the complaints context (issue 11 §4; docs/architecture.md "Adding a context"). */
export const COMPLAINTS_CONTEXT = defineContext({
  name: 'complaints',
  api: ComplaintsModule,
  worker: ComplaintsCoreModule,
  migrations: [Complaints1763800800000, ComplaintEscalationDeadline1763800810000, ComplaintDuplicates1763805400000, ComplaintsHandover1763805530000],
  tenantTables: ['complaints', 'complaint_records', 'complaint_notices', 'complaint_transfers', 'complaint_extensions', 'complaint_escalations'],
  // Other contexts' tables its SQL reads (tests/api/boundaries): to move behind their services.
  readModels: {
    employers: 'the oversight board groups complaints by employer, with names',
    ledger_attachments: "a complaint's evidence must be an attachment the tenant uploaded to its work log",
    markets: 'market names in complaint lists and on the board, filtered and sorted in SQL',
    organisations: 'operator names on the oversight board',
    posts: 'the tenant of a complaint about a post',
    user_markets: "a transfer goes only to staff assigned to the complaint's market",
    users: 'owner and transfer-target names, and the tenant of the staff member a complaint names',
  },
  queues: [COMPLAINT_TIMERS_QUEUE],
  jobs: [ComplaintTimersJob],
  schedules: [
    {
      // Every 10 minutes (and at boot and after a loss, below): rebuild any complaint timer missing from Redis (issue 6 §3).
      queue: COMPLAINT_TIMERS_QUEUE, id: 'complaint-sweep', repeat: { every: 600_000 },
      name: 'sweep', data: {}, opts: { removeOnComplete: 50, removeOnFail: 200, attempts: 3 },
    },
  ],
  bootJobs: [{ queue: COMPLAINT_TIMERS_QUEUE, name: 'sweep', data: {}, idPrefix: 'complaint-sweep' }],
});
