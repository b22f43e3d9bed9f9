export { AuditService, type AuditInput, type AuditNameResolver, type AuditActorResolver, type AuditEventLabeler } from './lib/audit.service';
export { AuditModule } from './lib/audit.module';
export { AuditEventEntity } from './lib/audit-event.entity';
export { PurgeAuditEventsJob, type PurgeAuditEventsPayload } from './lib/purge-audit-events.job';
export { Audit1763800300000 } from './lib/migrations/1763800300000-audit';
export { AUDIT_RETENTION_QUEUE } from './lib/queues';
export { AUDIT_CONTEXT } from './lib/audit.context';
