import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor, AuditEventView, Page } from '@linggong/domain';
import { auditQuerySchema, currentAuditAction, legacyAuditActionsFor } from '@linggong/domain';
import type { z } from 'zod';
import { TenantDb, applyAccess, newId, notFound, paginate } from '@linggong/api-core';
import { AuditEventEntity } from './audit-event.entity';

export interface AuditInput {
  action: string;
  subjectType?: string;
  subjectId?: string | null;
  summary?: Record<string, unknown>;
  /** The tenant and county the event belongs to, so its operator and its authorities can see it. */
  tenantId?: string | null;
  regionCode?: string | null;
  /** For events without a signed-in actor (failed sign-in). */
  origin?: Actor['origin'];
}

const COLUMNS = { id: 'e.id', tenantId: 'e.tenant_id', regionCode: 'e.region_code' };

/**
 * Writes audit events inside the caller's transaction, so a change and its audit event commit or
 * fail together (issue 2 §6), and lets authorities and admins search them.
 */
@Injectable()
export class AuditService {
  constructor(private readonly db: TenantDb) {}

  async record(em: EntityManager, actor: Actor | null, input: AuditInput): Promise<void> {
    const origin = input.origin ?? actor?.origin;
    // A plain INSERT without RETURNING: the app role has no UPDATE here, and a returned row would
    // have to pass the read policy (a failed sign-in by an unknown name belongs to no tenant).
    await em.query(
      `INSERT INTO audit_events (id, occurred_at, actor_user_id, actor_username, actor_org_id, tenant_id, region_code,
                                 action, subject_type, subject_id, summary, ip, user_agent, request_id)
       VALUES ($1, now(), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        newId(), actor?.userId || null, actor?.username || null, actor?.orgId || null,
        input.tenantId !== undefined ? input.tenantId : (actor?.tenantId ?? null), input.regionCode ?? null,
        input.action, input.subjectType ?? null, input.subjectId ?? null, JSON.stringify(input.summary ?? {}),
        origin?.ip ?? null, origin?.userAgent?.slice(0, 500) ?? null, origin?.requestId ?? null,
      ],
    );
  }

  list(actor: Actor, query: z.infer<typeof auditQuerySchema>): Promise<Page<AuditEventView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.getRepository(AuditEventEntity).createQueryBuilder('e');
      if (!applyAccess(qb, actor, 'read', 'AuditEvent', COLUMNS)) return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
      if (query.action) {
        // By prefix, with `_` taken literally (the facts' names have them), and old rows recorded under a
        // fact's former name found by its name today (LEGACY_AUDIT_ACTIONS).
        const legacy = legacyAuditActionsFor(query.action);
        qb.andWhere(legacy.length ? '(e.action LIKE :action OR e.action IN (:...legacy))' : 'e.action LIKE :action', { action: `${likeEscape(query.action)}%`, legacy });
      }
      if (query.subjectType) qb.andWhere('e.subject_type = :st', { st: query.subjectType });
      if (query.subjectId) qb.andWhere('e.subject_id = :sid', { sid: query.subjectId });
      if (query.actorUserId) qb.andWhere('e.actor_user_id = :au', { au: query.actorUserId });
      if (query.from) qb.andWhere('e.occurred_at >= :from', { from: startOf(query.from) });
      if (query.to) qb.andWhere('e.occurred_at < :to', { to: endOf(query.to) });
      if (query.q) qb.andWhere('(e.actor_username ILIKE :q OR e.action ILIKE :q OR e.summary::text ILIKE :q)', { q: `%${query.q.replace(/[%_]/g, '')}%` });
      return paginate(qb, query, { occurredAt: 'e.occurred_at', action: 'e.action' }, '-occurredAt', toView);
    });
  }

  get(actor: Actor, id: string): Promise<AuditEventView> {
    return this.db.run(actor, async (em) => {
      const qb = em.getRepository(AuditEventEntity).createQueryBuilder('e').where('e.id = :id', { id });
      if (!applyAccess(qb, actor, 'read', 'AuditEvent', COLUMNS)) throw notFound();
      const row = await qb.getOne();
      if (!row) throw notFound();
      return toView(row);
    });
  }

  /** Delete events older than the retention period (never younger than 180 days; the database refuses). */
  async purge(keepDays: number): Promise<number> {
    const [row] = await this.db.dataSource.query('SELECT audit_purge($1) AS n', [keepDays]);
    return Number(row.n);
  }
}

/** Dates without a time are business days in Asia/Shanghai (DESIGN.md "Conventions"). */
function startOf(d: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(d) ? new Date(`${d}T00:00:00+08:00`) : new Date(d);
}
function endOf(d: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(d) ? new Date(new Date(`${d}T00:00:00+08:00`).getTime() + 86_400_000) : new Date(d);
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function toView(e: AuditEventEntity): AuditEventView {
  return {
    id: e.id, occurredAt: e.occurredAt.toISOString(), actorUserId: e.actorUserId, actorUsername: e.actorUsername,
    actorOrgId: e.actorOrgId, tenantId: e.tenantId, regionCode: e.regionCode, action: currentAuditAction(e.action, e.summary), recordedAction: e.action,
    subjectType: e.subjectType, subjectId: e.subjectId, summary: e.summary, ip: e.ip, userAgent: e.userAgent, requestId: e.requestId,
  };
}
