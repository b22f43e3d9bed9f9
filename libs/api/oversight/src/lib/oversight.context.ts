import { defineContext } from '@linggong/api-core';
import { OversightCoreModule, OversightModule } from './oversight.module';
import { Oversight1763805200000 } from './migrations/1763805200000-oversight';
import { Exit1763805520000 } from './migrations/1763805520000-exit';
import { EscalateOverdueRectificationsJob } from './escalation.job';
import { OVERSIGHT_ESCALATION_QUEUE } from './queues';

/** What the apps wire for the oversight context (issue 16; docs/architecture.md "Adding a context"). */
export const OVERSIGHT_CONTEXT = defineContext({
  name: 'oversight',
  api: OversightModule,
  // The worker provides the context's jobs beside this module's services (the daily escalation of overdue orders).
  worker: OversightCoreModule,
  migrations: [Oversight1763805200000, Exit1763805520000],
  tenantTables: ['callback_samples', 'callback_calls', 'inspections', 'inspection_findings', 'rectifications', 'rectification_events', 'exit_cases', 'exit_events', 'market_handovers'],
  queues: [OVERSIGHT_ESCALATION_QUEUE],
  jobs: [EscalateOverdueRectificationsJob],
  schedules: [
    {
      // 09:00 Asia/Shanghai: open orders past their due day (working days) are escalated to the city, once each.
      queue: OVERSIGHT_ESCALATION_QUEUE, id: 'oversight-escalation-daily', repeat: { pattern: '0 9 * * *', tz: 'Asia/Shanghai' },
      name: 'escalate', data: {}, opts: { removeOnComplete: 100, removeOnFail: 500, attempts: 3 },
    },
  ],
  // Other contexts' tables its SQL reads (tests/api/boundaries): names shown beside the records.
  readModels: {
    organisations: 'the operator a sample, order or inspection is about: its name, and that it is an operator',
    markets: 'market names beside sampled entries, orders and inspections; the markets an exiting operator still runs',
    contracts: 'a handover goes to a successor holding a live contract in the county (issue 16 §4)',
  },
});
