export { LedgerModule, LedgerCoreModule } from './lib/ledger.module';
export { LedgerService, rowToEntry, rowToSeal, type AppendInput, type RollupDay } from './lib/ledger.service';
export { FactsService, type Fact } from './lib/facts.service';
export { LedgerJobs, CloseOverdueDaysJob, VerifySealsJob } from './lib/ledger.jobs';
export { Ledger1763800500000 } from './lib/migrations/1763800500000-ledger';
export { AttachmentsPerTenant1763802100000 } from './lib/migrations/1763802100000-attachments-per-tenant';
export { LedgerCorrectsIndex1763803000000 } from './lib/migrations/1763803000000-ledger-corrects-index';
export { LEDGER_CLOSE_QUEUE, LEDGER_VERIFY_QUEUE } from './lib/queues';
export { LEDGER_CONTEXT } from './lib/ledger.context';
