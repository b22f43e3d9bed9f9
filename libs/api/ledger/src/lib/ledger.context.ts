import { defineContext } from '@linggong/api-core';
import { LedgerModule, LedgerCoreModule } from './ledger.module';
import { Ledger1763800500000 } from './migrations/1763800500000-ledger';
import { AttachmentsPerTenant1763802100000 } from './migrations/1763802100000-attachments-per-tenant';
import { LedgerCorrectsIndex1763803000000 } from './migrations/1763803000000-ledger-corrects-index';
import { LedgerDayParts1763804800000 } from './migrations/1763804800000-ledger-day-parts';
import { CloseOverdueDaysJob, VerifySealsJob } from './ledger.jobs';
import { LEDGER_CLOSE_QUEUE, LEDGER_VERIFY_QUEUE } from './queues';

/** What the apps wire for the ledger context (issue 11 §4; docs/architecture.md "Adding a context"). */
export const LEDGER_CONTEXT = defineContext({
  name: 'ledger',
  api: LedgerModule,
  worker: LedgerCoreModule,
  migrations: [Ledger1763800500000, AttachmentsPerTenant1763802100000, LedgerCorrectsIndex1763803000000, LedgerDayParts1763804800000],
  tenantTables: ['ledger_entries', 'ledger_seals', 'ledger_alerts', 'ledger_attachments', 'ledger_verifications'],
  // Other contexts' tables its SQL reads (tests/api/boundaries): to move behind their services.
  readModels: {
    markets: "seals and alerts filtered by the market's tenant and region",
    organisations: "operator names in the authorities' seal review",
    regions: 'region names in the seal review',
    users: 'display names of who closed a day and who wrote an entry',
  },
  queues: [LEDGER_CLOSE_QUEUE, LEDGER_VERIFY_QUEUE],
  jobs: [CloseOverdueDaysJob, VerifySealsJob],
  schedules: [
    {
      // Hourly: once past LEDGER_CLOSE_HOUR, any day still open before today is closed as late.
      queue: LEDGER_CLOSE_QUEUE, id: 'ledger-close-hourly', repeat: { pattern: '5 * * * *', tz: 'Asia/Shanghai' },
      name: 'close-overdue-days', data: {}, opts: { removeOnComplete: 100, removeOnFail: 500, attempts: 3 },
    },
    {
      // Nightly: verify yesterday's seals for every market; failures become alerts.
      queue: LEDGER_VERIFY_QUEUE, id: 'ledger-verify-nightly', repeat: { pattern: '0 4 * * *', tz: 'Asia/Shanghai' },
      name: 'verify-seals', data: {}, opts: { removeOnComplete: 100, removeOnFail: 500, attempts: 3 },
    },
  ],
});
