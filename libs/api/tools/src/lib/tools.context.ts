import { defineContext } from '@linggong/api-core';
import { ToolsModule, ToolsCoreModule } from './tools.module';
import { Tools1763801100000 } from './migrations/1763801100000-tools';
import { ToolReconciliationHistory1763801150000 } from './migrations/1763801150000-tool-reconciliation-history';
import { ToolReconciliationNightlyOnce1763802500000 } from './migrations/1763802500000-tool-reconciliation-nightly-once';
import { ToolsHandover1763805510000 } from './migrations/1763805510000-tools-handover';
import { ReconcileDepositsJob } from './reconcile-deposits.job';
import { TOOLS_RECONCILE_QUEUE } from './queues';

/** What the apps wire for the tools context (issue 11 §4; docs/architecture.md "Adding a context"). */
export const TOOLS_CONTEXT = defineContext({
  name: 'tools',
  api: ToolsModule,
  worker: ToolsCoreModule,
  migrations: [Tools1763801100000, ToolReconciliationHistory1763801150000, ToolReconciliationNightlyOnce1763802500000, ToolsHandover1763805510000],
  tenantTables: ['tools', 'tool_signatures', 'tool_loans', 'tool_charges', 'tool_maintenance', 'tool_deposit_movements', 'tool_reconciliations'],
  // Other contexts' tables its SQL reads (tests/api/boundaries): to move behind their services.
  readModels: {
    workers: 'borrower names in loan and tool lists',
  },
  queues: [TOOLS_RECONCILE_QUEUE],
  jobs: [ReconcileDepositsJob],
  schedules: [
    {
      // Nightly at 21:30 Asia/Shanghai, after the markets close: deposits held vs the deposit account (R-B11).
      queue: TOOLS_RECONCILE_QUEUE, id: 'tools-reconcile-daily', repeat: { pattern: '30 21 * * *', tz: 'Asia/Shanghai' },
      name: 'reconcile-deposits', data: { nightly: true }, opts: { removeOnComplete: 100, removeOnFail: 500, attempts: 3 },
    },
  ],
});
