export { LedgerModule, LedgerCoreModule } from './lib/ledger.module';
export { LedgerService, rowToEntry, rowToSeal, type AppendInput } from './lib/ledger.service';
export { LedgerJobs, CloseOverdueDaysJob, VerifySealsJob } from './lib/ledger.jobs';
export { Ledger1763800500000 } from './lib/migrations/1763800500000-ledger';
export { AttachmentsPerTenant1763802100000 } from './lib/migrations/1763802100000-attachments-per-tenant';
