import { defineContext } from '@linggong/api-core';
import { ReportsModule, ReportsWorkerModule } from './reports.module';
import { Reports1763804720000 } from './migrations/1763804720000-reports';
import { ReportRemindersJob } from './reminders';
import { REPORTS_REMINDERS_QUEUE } from './queues';

/** What the apps wire for the reports context (issue 14; docs/architecture.md "Adding a context"). */
export const REPORTS_CONTEXT = defineContext({
  name: 'reports',
  api: ReportsModule,
  worker: ReportsWorkerModule,
  migrations: [Reports1763804720000],
  // Region rows, not a tenant's (RLS by region, like analytics' region aggregates): no tenant tables.
  tenantTables: [],
  queues: [REPORTS_REMINDERS_QUEUE],
  jobs: [ReportRemindersJob],
  schedules: [
    {
      // 09:00 Asia/Shanghai: three working days before a month's deadline and on the day, remind the regions that have not submitted.
      queue: REPORTS_REMINDERS_QUEUE, id: 'reports-reminders-daily', repeat: { pattern: '0 9 * * *', tz: 'Asia/Shanghai' },
      name: 'remind', data: {}, opts: { removeOnComplete: 100, removeOnFail: 500, attempts: 3 },
    },
  ],
});
