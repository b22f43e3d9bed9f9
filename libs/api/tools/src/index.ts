export { ToolsCoreModule, ToolsModule } from './lib/tools.module';
export { ToolsService, daysKept, settleReturn } from './lib/tools.service';
export { DepositReconciliationService, type ReconcileResult } from './lib/deposit-reconciliation.service';
export { ReconcileDepositsJob, type ReconcileDepositsPayload } from './lib/reconcile-deposits.job';
export { Tools1763801100000 } from './lib/migrations/1763801100000-tools';
export { ToolReconciliationHistory1763801150000 } from './lib/migrations/1763801150000-tool-reconciliation-history';
export { ToolReconciliationNightlyOnce1763802500000 } from './lib/migrations/1763802500000-tool-reconciliation-nightly-once';
export { TOOLS_RECONCILE_QUEUE } from './lib/queues';
export { TOOLS_CONTEXT } from './lib/tools.context';
