import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  OPEN_RECTIFICATION, RECTIFICATION_TRANSITIONS, SYSTEM_ACTOR, addWorkingDays, rectificationEvidenceSchema, rectificationNoteSchema,
  rectificationQuerySchema, rectificationVerifySchema, verdictTarget,
  type Actor, type CreateRectificationInput, type OversightSummary, type Page, type RectificationDetailView, type RectificationStatus,
  type RectificationView, type Verdict,
} from '@linggong/domain';
import { ProblemException, TenantDb, applyAccess, assertAccess, isoOf, newId, queryRow, queryRows, rowForChange, unprocessable } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { AttachmentsService } from '@linggong/api-ledger';
import { MarketDirectoryService } from '@linggong/api-markets';
import { shanghaiDay } from '@linggong/ledger-chain';
import { RectificationSources } from './sources';
import { OVERSIGHT_ACCESS, oversightScope, type RectificationEventRow, type RectificationRow } from './rows';

const SELECT = `SELECT r.*, o.name AS operator_name, m.name AS market_name FROM rectifications r
  LEFT JOIN organisations o ON o.id = r.tenant_id LEFT JOIN markets m ON m.id = r.market_id`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Rectification orders (整改, issue 16 §3; R-F1, R-F3): ordered by the county from a reported inspection, a
 * completed call-back sample or (once the assessment context registers its source) an assessment consequence;
 * items, severity, responsible person, a deadline in China's working days (`addWorkingDays`, the same
 * `chinese-days` calendar as complaints and reports). 待整改 → 整改中 (the operator starts) → 已整改 (the operator
 * submits evidence) → 已验证 (the county's verdict: pass; partial or fail send it back to 整改中) → 已关闭.
 * Every transition locks the order and conditions its UPDATE on the state it checked, so two identical
 * requests at once change it once (the second gets 409). Open orders past their due day are overdue and
 * escalated to the city by the daily job (`escalateOverdue`).
 */
@Injectable()
export class RectificationService implements OnModuleInit {
  private readonly log = new Logger('Rectification');
  constructor(
    private readonly db: TenantDb, private readonly audit: AuditService, private readonly sources: RectificationSources,
    private readonly attachments: AttachmentsService, private readonly markets: MarketDirectoryService,
  ) {}

  onModuleInit(): void {
    const uuidOnly = (f: (em: EntityManager, id: string) => Promise<{ tenant_id: string; region_code: string; market_id?: string | null } | undefined>) =>
      async (em: EntityManager, id: string) => {
        if (!UUID.test(id)) return null;
        const r = await f(em, id);
        return r ? { tenantId: r.tenant_id, regionCode: r.region_code, marketId: r.market_id ?? null } : null;
      };
    this.sources.register({ kind: 'inspection', resolve: uuidOnly((em, id) => queryRow(em, `SELECT tenant_id, region_code, market_id FROM inspections WHERE id = $1 AND status = 'reported'`, [id])) });
    this.sources.register({ kind: 'callback_sample', resolve: uuidOnly((em, id) => queryRow(em, `SELECT tenant_id, region_code FROM callback_samples WHERE id = $1 AND status = 'completed'`, [id])) });
  }

  order(actor: Actor, input: CreateRectificationInput): Promise<RectificationDetailView> {
    return this.db.run(actor, async (em) => {
      const src = await this.sources.resolve(em, input.source.kind, input.source.id);
      if (!src) throw unprocessable('rectification_source_unknown', 'source');
      assertAccess(actor, 'create', 'Rectification', { tenantId: src.tenantId, regionCode: src.regionCode });
      const marketId = input.marketId ?? src.marketId ?? null;
      if (marketId) {
        const m = await this.markets.scopeOf(em, marketId);
        if (!m || m.tenantId !== src.tenantId) throw unprocessable('rectification_market', 'marketId');
      }
      const today = shanghaiDay(new Date());
      const id = newId();
      await em.query(
        `INSERT INTO rectifications (id, tenant_id, region_code, market_id, source_kind, source_id, title, items, severity, responsible_person, deadline_days, ordered_on, due_on, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [id, src.tenantId, src.regionCode, marketId, input.source.kind, input.source.id, input.title, JSON.stringify(input.items), input.severity,
          input.responsiblePerson, input.deadlineDays, today, addWorkingDays(today, input.deadlineDays), actor.userId]);
      await this.event(em, actor, { id, tenant_id: src.tenantId, region_code: src.regionCode }, 'ordered', null, 'pending', '');
      return this.detail(em, id);
    });
  }

  list(actor: Actor, q: z.infer<typeof rectificationQuerySchema>): Promise<Page<RectificationView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('rectifications', 'r');
      if (!applyAccess(qb, actor, 'read', 'Rectification', OVERSIGHT_ACCESS('r'))) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      if (q.status) qb.andWhere('r.status = :st', { st: q.status });
      if (q.operatorId) qb.andWhere('r.tenant_id = :o', { o: q.operatorId });
      const overdue = `r.status IN ('pending', 'in_progress') AND r.due_on < (now() AT TIME ZONE 'Asia/Shanghai')::date`;
      if (q.overdue === 'true') qb.andWhere(overdue);
      if (q.overdue === 'false') qb.andWhere(`NOT (${overdue})`);
      if (q.escalated) qb.andWhere(q.escalated === 'true' ? 'r.escalated_at IS NOT NULL' : 'r.escalated_at IS NULL');
      const total = await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>();
      const ids = await qb.select('r.id', 'id').orderBy('r.due_on', 'ASC').addOrderBy('r.id').offset((q.page - 1) * q.pageSize).limit(q.pageSize).getRawMany<{ id: string }>();
      const rows = ids.length ? await queryRows<RectificationRow>(em, `${SELECT} WHERE r.id = ANY($1::uuid[]) ORDER BY r.due_on, r.id`, [ids.map((r) => r.id)]) : [];
      const today = shanghaiDay(new Date());
      return { items: rows.map((r) => view(r, today)), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
    });
  }

  get(actor: Actor, id: string): Promise<RectificationDetailView> {
    return this.db.run(actor, async (em) => {
      await rowForChange<RectificationRow>(em, actor, 'read', 'Rectification', 'rectifications', id, oversightScope);
      return this.detail(em, id);
    });
  }

  /** 待整改 → 整改中 (the operator). */
  start(actor: Actor, id: string, input: z.infer<typeof rectificationNoteSchema>): Promise<RectificationDetailView> {
    return this.transition(actor, id, 'update', 'start', RECTIFICATION_TRANSITIONS.start.from, RECTIFICATION_TRANSITIONS.start.to, input.note);
  }

  /** 整改中 → 已整改 with the evidence (a note and attachments the operator uploaded to its work log). */
  submit(actor: Actor, id: string, input: z.infer<typeof rectificationEvidenceSchema>): Promise<RectificationDetailView> {
    return this.transition(actor, id, 'update', 'submit', RECTIFICATION_TRANSITIONS.submit.from, RECTIFICATION_TRANSITIONS.submit.to, input.note, null,
      async (em, r) => this.attachments.requireOwned(em, r.tenant_id, input.attachments), input.attachments);
  }

  /** The county's verdict on submitted evidence: pass → 已验证; partial or fail → back to 整改中 for another round. */
  verify(actor: Actor, id: string, input: z.infer<typeof rectificationVerifySchema>): Promise<RectificationDetailView> {
    return this.transition(actor, id, 'verify', 'verify', RECTIFICATION_TRANSITIONS.verify.from, verdictTarget(input.verdict), input.note, input.verdict);
  }

  /** 已验证 → 已关闭 (the county). */
  close(actor: Actor, id: string, input: z.infer<typeof rectificationNoteSchema>): Promise<RectificationDetailView> {
    return this.transition(actor, id, 'close', 'close', RECTIFICATION_TRANSITIONS.close.from, RECTIFICATION_TRANSITIONS.close.to, input.note);
  }

  /**
   * The daily escalation (09:00 Asia/Shanghai): open orders whose due day (counted in working days) has passed
   * are flagged escalated to the city of their county, once each (a conditional UPDATE), with a timeline entry
   * and an audit event under the city. Returns the orders escalated.
   */
  async escalateOverdue(now = new Date()): Promise<string[]> {
    const today = shanghaiDay(now);
    const ids = await this.db.run(SYSTEM_ACTOR, async (em) => {
      const rows: { id: string; tenant_id: string; region_code: string; due_on: string; status: RectificationStatus }[] = await em.query(
        `WITH x AS (UPDATE rectifications SET escalated_at = now(), escalated_to = left(region_code, 4), updated_at = now()
           WHERE status = ANY($1::text[]) AND due_on < $2::date AND escalated_at IS NULL RETURNING id, tenant_id, region_code, due_on, status) SELECT * FROM x ORDER BY id`,
        [OPEN_RECTIFICATION, today]);
      for (const r of rows) {
        await em.query(`INSERT INTO rectification_events (id, rectification_id, tenant_id, region_code, action, from_status, to_status, by_name, note) VALUES ($1, $2, $3, $4, 'escalated', $5, $5, 'system', $6)`,
          [newId(), r.id, r.tenant_id, r.region_code, r.status, `逾期未整改（期限 ${r.due_on}），已上报市级人社部门`]);
        await this.audit.record(em, SYSTEM_ACTOR, { action: 'rectification.escalate', subjectType: 'Rectification', subjectId: r.id, tenantId: r.tenant_id, regionCode: r.region_code.slice(0, 4), summary: { dueOn: r.due_on, today } });
      }
      return rows.map((r) => r.id);
    });
    if (ids.length) this.log.log({ escalated: ids.length, today }, 'overdue rectifications escalated');
    return ids;
  }

  /** The home-page figures: open, overdue and escalated orders, samples being called, inspections planned — in the caller's scope. */
  summary(actor: Actor): Promise<OversightSummary> {
    return this.db.run(actor, async (em) => {
      const count = async (table: string, subject: 'Rectification' | 'CallbackSample' | 'Inspection', where: string) => {
        const qb = em.createQueryBuilder().from(table, 'r');
        if (!applyAccess(qb, actor, 'read', subject, OVERSIGHT_ACCESS('r'))) return 0;
        return (await qb.andWhere(where).select('count(*)::int', 'n').getRawOne<{ n: number }>())?.n ?? 0;
      };
      const open = `r.status IN ('pending', 'in_progress')`;
      return {
        openRectifications: await count('rectifications', 'Rectification', `r.status <> 'closed'`),
        overdueRectifications: await count('rectifications', 'Rectification', `${open} AND r.due_on < (now() AT TIME ZONE 'Asia/Shanghai')::date`),
        escalatedRectifications: await count('rectifications', 'Rectification', `r.status <> 'closed' AND r.escalated_at IS NOT NULL`),
        samplesInProgress: await count('callback_samples', 'CallbackSample', `r.status <> 'completed'`),
        // An operator is not told of inspections before they are reported (an on-site check may be unannounced).
        inspectionsPlanned: actor.orgKind === 'operator' ? 0 : await count('inspections', 'Inspection', `r.status = 'planned'`),
      };
    });
  }

  private transition(
    actor: Actor, id: string, action: 'update' | 'verify' | 'close', name: string, from: readonly RectificationStatus[], to: RectificationStatus,
    note: string, verdict: Verdict | null = null, check?: (em: EntityManager, r: RectificationRow) => Promise<void>, attachments: string[] = [],
  ): Promise<RectificationDetailView> {
    return this.db.run(actor, async (em) => {
      const r = await rowForChange<RectificationRow>(em, actor, action, 'Rectification', 'rectifications', id, oversightScope);
      if (!from.includes(r.status)) throw new ProblemException(409, 'rectification_state');
      await check?.(em, r);
      const back = verdict !== null && verdict !== 'pass';
      const changed: unknown[] = await em.query(
        `WITH x AS (UPDATE rectifications SET status = $2, rounds = rounds + $4, updated_at = now() WHERE id = $1 AND status = ANY($3::text[]) RETURNING id) SELECT id FROM x`,
        [id, to, [...from], back ? 1 : 0]);
      if (!changed.length) throw new ProblemException(409, 'rectification_state');
      await this.event(em, actor, r, name, r.status, to, note, verdict, attachments);
      return this.detail(em, id);
    });
  }

  private async event(em: EntityManager, actor: Actor, r: { id: string; tenant_id: string; region_code: string }, action: string, from: string | null, to: string,
    note: string, verdict: Verdict | null = null, attachments: string[] = []): Promise<void> {
    await em.query(
      `INSERT INTO rectification_events (id, rectification_id, tenant_id, region_code, action, from_status, to_status, by_user, by_name, note, verdict, attachments)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [newId(), r.id, r.tenant_id, r.region_code, action, from, to, actor.userId, actor.username, note, verdict, attachments]);
    await this.audit.record(em, actor, { action: `rectification.${action}`, subjectType: 'Rectification', subjectId: r.id, tenantId: r.tenant_id, regionCode: r.region_code,
      summary: { before: from, after: to, ...(verdict ? { verdict } : {}), ...(attachments.length ? { attachments } : {}) } });
  }

  private async detail(em: EntityManager, id: string): Promise<RectificationDetailView> {
    const r = await queryRow<RectificationRow>(em, `${SELECT} WHERE r.id = $1`, [id]);
    if (!r) throw new ProblemException(404, 'not_found');
    const events = await queryRows<RectificationEventRow>(em, 'SELECT * FROM rectification_events WHERE rectification_id = $1 ORDER BY at, id', [id]);
    return {
      ...view(r, shanghaiDay(new Date())),
      events: events.map((e) => ({ at: isoOf(e.at), action: e.action, fromStatus: e.from_status, toStatus: e.to_status, by: e.by_name, note: e.note, verdict: e.verdict, attachments: e.attachments ?? [] })),
    };
  }
}

function view(r: RectificationRow, today: string): RectificationView {
  return {
    id: r.id, tenantId: r.tenant_id, operatorName: r.operator_name ?? null, regionCode: r.region_code, marketId: r.market_id, marketName: r.market_name ?? null,
    sourceKind: r.source_kind, sourceId: r.source_id, title: r.title, items: r.items, severity: r.severity, responsiblePerson: r.responsible_person,
    deadlineDays: r.deadline_days, orderedOn: r.ordered_on, dueOn: r.due_on, status: r.status,
    overdue: OPEN_RECTIFICATION.includes(r.status) && r.due_on < today, escalatedAt: isoOf(r.escalated_at), rounds: r.rounds, createdAt: isoOf(r.created_at),
  };
}
