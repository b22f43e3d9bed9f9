import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor, AuditEventView, Page } from '@linggong/domain';
import { auditQuerySchema, currentAuditAction, legacyAuditActionsFor } from '@linggong/domain';
import type { z } from 'zod';
import { TenantDb, applyAccess, newId, notFound, paginate, containsPattern, likeEscape } from '@linggong/api-core';
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
 * Names for the ids of one subject type, from the context that owns them, read in the reader's
 * transaction (so a person the reader may not see comes back masked or not at all).
 */
export type AuditNameResolver = (em: EntityManager, reader: Actor, ids: string[]) => Promise<Map<string, string>>;
/**
 * Names of subjects that have no id of their own (a monthly release is its province and month; a reminder names its
 * region and month), from the events themselves: event id → label. In the reader's transaction.
 */
export type AuditEventLabeler = (em: EntityManager, reader: Actor, events: AuditEventView[]) => Promise<Map<string, string>>;
/** Who acted: display name and organisation of users, read as the platform (the reader may see the event, so who did it). */
export type AuditActorResolver = (ids: string[]) => Promise<Map<string, { name: string; orgName: string | null }>>;

/**
 * Writes audit events inside the caller's transaction, so a change and its audit event commit or
 * fail together (issue 2 §6), and lets authorities and admins search them.
 */
@Injectable()
export class AuditService {
  private readonly subjectNames = new Map<string, AuditNameResolver>();
  private readonly eventLabels = new Map<string, AuditEventLabeler>();
  private actorNames: AuditActorResolver | null = null;

  constructor(private readonly db: TenantDb) {}

  /**
   * The audit log shows its subjects by name (issue 17 §4): each context names its own subject types
   * (tenancy: users and organisations, markets, registry: workers and employers, jobs: posts …) at start.
   */
  registerSubjectNames(subjectType: string, resolve: AuditNameResolver): void {
    this.subjectNames.set(subjectType, resolve);
  }

  /** A subject type whose events may carry no id (reports: a release, a reminder) is labelled from the events. */
  registerEventLabels(subjectType: string, label: AuditEventLabeler): void {
    this.eventLabels.set(subjectType, label);
  }

  /** The tenancy context names the actors (display name and organisation), authority users included. */
  registerActorNames(resolve: AuditActorResolver): void {
    this.actorNames = resolve;
  }

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
      if (query.q) qb.andWhere('(e.actor_username ILIKE :q OR e.action ILIKE :q OR e.summary::text ILIKE :q)', { q: containsPattern(query.q) });
      const page = await paginate(qb, query, { occurredAt: 'e.occurred_at', action: 'e.action' }, '-occurredAt', toView);
      return { ...page, items: await this.named(em, actor, page.items) };
    });
  }

  get(actor: Actor, id: string): Promise<AuditEventView> {
    return this.db.run(actor, async (em) => {
      const qb = em.getRepository(AuditEventEntity).createQueryBuilder('e').where('e.id = :id', { id });
      if (!applyAccess(qb, actor, 'read', 'AuditEvent', COLUMNS)) throw notFound();
      const row = await qb.getOne();
      if (!row) throw notFound();
      return (await this.named(em, actor, [toView(row)]))[0];
    });
  }

  /** Actors and subjects by name, through the contexts that own them. */
  private async named(em: EntityManager, reader: Actor, items: AuditEventView[]): Promise<AuditEventView[]> {
    const actorIds = [...new Set(items.map((e) => e.actorUserId).filter((x): x is string => Boolean(x)))];
    const actors = actorIds.length && this.actorNames ? await this.actorNames(actorIds) : new Map<string, { name: string; orgName: string | null }>();
    const subjects = new Map<string, Map<string, string>>();
    for (const [type, resolve] of this.subjectNames) {
      const ids = [...new Set(items.filter((e) => e.subjectType === type && e.subjectId && UUID.test(e.subjectId)).map((e) => e.subjectId as string))];
      if (ids.length) subjects.set(type, await resolve(em, reader, ids));
    }
    const byEvent = new Map<string, string>();
    for (const [type, label] of this.eventLabels) {
      const events = items.filter((e) => e.subjectType === type && !e.subjectId);
      if (events.length) for (const [id, l] of await label(em, reader, events)) byEvent.set(id, l);
    }
    return items.map((e) => {
      const who = e.actorUserId ? actors.get(e.actorUserId) : undefined;
      return {
        ...e, actorName: who?.name ?? null, actorOrgName: who?.orgName ?? null,
        subjectName: (e.subjectType && e.subjectId ? subjects.get(e.subjectType)?.get(e.subjectId) : byEvent.get(e.id)) ?? null,
      };
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function toView(e: AuditEventEntity): AuditEventView {
  return {
    id: e.id, occurredAt: e.occurredAt.toISOString(), actorUserId: e.actorUserId, actorUsername: e.actorUsername,
    actorOrgId: e.actorOrgId, tenantId: e.tenantId, regionCode: e.regionCode, action: currentAuditAction(e.action, e.summary), recordedAction: e.action,
    subjectType: e.subjectType, subjectId: e.subjectId, actorName: null, actorOrgName: null, subjectName: null, summary: e.summary, ip: e.ip, userAgent: e.userAgent, requestId: e.requestId,
  };
}
