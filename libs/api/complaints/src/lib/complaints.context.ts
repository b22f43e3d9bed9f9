import { defineContext } from '@linggong/api-core';
import { ComplaintsModule, ComplaintsCoreModule } from './complaints.module';
import { Complaints1763800800000 } from './migrations/1763800800000-complaints';
import { ComplaintEscalationDeadline1763800810000 } from './migrations/1763800810000-complaint-escalation-deadline';
import { ComplaintTimersJob } from './complaint-timers.job';
import { COMPLAINT_TIMERS_QUEUE } from './queues';

/** What the apps wire for the complaints context (issue 11 §4; docs/architecture.md "Adding a context"). */
export const COMPLAINTS_CONTEXT = defineContext({
  name: 'complaints',
  api: ComplaintsModule,
  worker: ComplaintsCoreModule,
  migrations: [Complaints1763800800000, ComplaintEscalationDeadline1763800810000],
  tenantTables: ['complaints', 'complaint_records', 'complaint_notices', 'complaint_transfers', 'complaint_extensions', 'complaint_escalations'],
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
