import { defineContext } from '@linggong/api-core';
import { AuditModule } from './audit.module';
import { AuditEventEntity } from './audit-event.entity';
import { Audit1763800300000 } from './migrations/1763800300000-audit';
import { PurgeAuditEventsJob } from './purge-audit-events.job';
import { AUDIT_RETENTION_QUEUE } from './queues';

/** What the apps wire for the audit context (issue 11 §4; docs/architecture.md "Adding a context"). */
export const AUDIT_CONTEXT = defineContext({
  name: 'audit',
  api: AuditModule,
  worker: AuditModule,
  entities: [AuditEventEntity],
  migrations: [Audit1763800300000],
  tenantTables: ['audit_events'],
  queues: [AUDIT_RETENTION_QUEUE],
  jobs: [PurgeAuditEventsJob],
  schedules: [
    {
      // 03:30 Asia/Shanghai, daily: the quiet hour of a gig market.
      queue: AUDIT_RETENTION_QUEUE, id: 'audit-retention-daily', repeat: { pattern: '30 3 * * *', tz: 'Asia/Shanghai' },
      name: 'purge-audit-events', data: (config) => ({ keepDays: config.AUDIT_RETENTION_DAYS }),
      opts: { removeOnComplete: 100, removeOnFail: 500, attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
    },
  ],
});
