import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Append-only audit trail (issue 2 §6). The app role may INSERT and SELECT, nothing else. */
@Entity('audit_events')
export class AuditEventEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt!: Date;
  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true }) actorUserId!: string | null;
  @Column({ name: 'actor_username', type: 'text', nullable: true }) actorUsername!: string | null;
  @Column({ name: 'actor_org_id', type: 'uuid', nullable: true }) actorOrgId!: string | null;
  @Column({ name: 'tenant_id', type: 'uuid', nullable: true }) tenantId!: string | null;
  @Column({ name: 'region_code', type: 'text', nullable: true }) regionCode!: string | null;
  @Column({ type: 'text' }) action!: string;
  @Column({ name: 'subject_type', type: 'text', nullable: true }) subjectType!: string | null;
  @Column({ name: 'subject_id', type: 'text', nullable: true }) subjectId!: string | null;
  @Column({ type: 'jsonb', default: {} }) summary!: Record<string, unknown>;
  @Column({ type: 'inet', nullable: true }) ip!: string | null;
  @Column({ name: 'user_agent', type: 'text', nullable: true }) userAgent!: string | null;
  @Column({ name: 'request_id', type: 'text', nullable: true }) requestId!: string | null;
}
