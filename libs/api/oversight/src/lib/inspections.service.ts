import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  ONSITE_CHECKLIST, createInspectionPlanSchema, createInspectionSchema, inspectionPlanQuerySchema, inspectionQuerySchema, inspectionReportSchema, inspectionScore,
  type Actor, type InspectionDetailView, type InspectionPlanView, type InspectionView, type Page,
} from '@linggong/domain';
import { ProblemException, TenantDb, applyAccess, assertAccess, isoOf, newId, queryRow, queryRows, rowForChange, unprocessable } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { MarketDirectoryService } from '@linggong/api-markets';
import { CallbackService } from './callback.service';
import { OVERSIGHT_ACCESS, oversightScope, type InspectionFindingRow, type InspectionPlanRow, type InspectionRow } from './rows';

const SELECT = `SELECT i.*, o.name AS operator_name, m.name AS market_name,
    (SELECT count(*)::int FROM inspection_findings f WHERE f.inspection_id = i.id) AS finding_count
  FROM inspections i LEFT JOIN organisations o ON o.id = i.tenant_id LEFT JOIN markets m ON m.id = i.market_id`;

/**
 * Inspections (督导检查, issue 16 §1; R-F3, R-F5): plans (annual, quarterly, special) of a county or a city;
 * inspections of an operator (on site, online, on documents, or a follow-up, which a failed call-back sample
 * opens by itself) against the on-site checklist of R-F5; the report fixes the results, the findings (with
 * photos cited by hash and a severity) and the score (`inspectionScore`), and from then on the operator reads it.
 */
@Injectable()
export class InspectionsService {
  constructor(private readonly db: TenantDb, private readonly audit: AuditService, private readonly markets: MarketDirectoryService, private readonly callbacks: CallbackService) {}

  createPlan(actor: Actor, input: z.infer<typeof createInspectionPlanSchema>): Promise<InspectionPlanView> {
    return this.db.run(actor, async (em) => {
      if ((actor.orgKind !== 'county' && actor.orgKind !== 'city') || !actor.regionPrefix) throw new ProblemException(403, 'inspection_plan_level');
      assertAccess(actor, 'create', 'Inspection', { regionCode: actor.regionPrefix });
      const id = newId();
      await em.query(`INSERT INTO inspection_plans (id, org_id, region_code, kind, title, period_from, period_to, note, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [id, actor.orgId, actor.regionPrefix, input.kind, input.title, input.from, input.to, input.note, actor.userId]);
      await this.audit.record(em, actor, { action: 'inspection.plan_create', subjectType: 'Inspection', subjectId: id, tenantId: null, regionCode: actor.regionPrefix, summary: { kind: input.kind, title: input.title } });
      const [row] = await queryRows<InspectionPlanRow>(em, 'SELECT *, 0 AS inspections FROM inspection_plans WHERE id = $1', [id]);
      return planView(row);
    });
  }

  listPlans(actor: Actor, q: z.infer<typeof inspectionPlanQuerySchema>): Promise<Page<InspectionPlanView>> {
    return this.db.run(actor, async (em) => {
      if (!actor.regionPrefix && actor.orgKind !== 'platform') return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      // Region rows: RLS shows an authority its region's plans (a city also its counties').
      const [{ n }] = await em.query<{ n: number }[]>('SELECT count(*)::int AS n FROM inspection_plans');
      const rows = await queryRows<InspectionPlanRow>(em,
        `SELECT p.*, (SELECT count(*)::int FROM inspections i WHERE i.plan_id = p.id) AS inspections FROM inspection_plans p ORDER BY p.period_from DESC, p.id LIMIT $1 OFFSET $2`,
        [q.pageSize, (q.page - 1) * q.pageSize]);
      return { items: rows.map(planView), total: n, page: q.page, pageSize: q.pageSize };
    });
  }

  create(actor: Actor, input: z.infer<typeof createInspectionSchema>): Promise<InspectionDetailView> {
    return this.db.run(actor, async (em) => {
      const operator = await this.callbacks.operator(em, input.operatorId);
      let regionCode = actor.regionPrefix ?? '';
      if (input.marketId) {
        const m = await this.markets.scopeOf(em, input.marketId);
        if (!m || m.tenantId !== operator.id) throw unprocessable('rectification_market', 'marketId');
        regionCode = m.regionCode;
      }
      if (!/^\d{6}$/.test(regionCode)) throw unprocessable('oversight_region_code', 'marketId');
      assertAccess(actor, 'create', 'Inspection', { tenantId: operator.id, regionCode });
      if (input.planId && !(await queryRow(em, 'SELECT id FROM inspection_plans WHERE id = $1', [input.planId]))) throw unprocessable('not_found', 'planId');
      const id = newId();
      await em.query(`INSERT INTO inspections (id, plan_id, tenant_id, region_code, market_id, kind, scheduled_on, note, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [id, input.planId ?? null, operator.id, regionCode, input.marketId ?? null, input.kind, input.scheduledOn, input.note, actor.userId]);
      await this.audit.record(em, actor, { action: 'inspection.plan', subjectType: 'Inspection', subjectId: id, tenantId: operator.id, regionCode, summary: { kind: input.kind, scheduledOn: input.scheduledOn } });
      return this.detail(em, id);
    });
  }

  list(actor: Actor, q: z.infer<typeof inspectionQuerySchema>): Promise<Page<InspectionView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('inspections', 'i');
      if (!applyAccess(qb, actor, 'read', 'Inspection', OVERSIGHT_ACCESS('i'))) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      // The operator sees its inspections once reported (the report is what it answers).
      if (actor.orgKind === 'operator') qb.andWhere(`i.status = 'reported'`);
      if (q.operatorId) qb.andWhere('i.tenant_id = :o', { o: q.operatorId });
      if (q.status) qb.andWhere('i.status = :st', { st: q.status });
      if (q.kind) qb.andWhere('i.kind = :k', { k: q.kind });
      const total = await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>();
      const ids = await qb.select('i.id', 'id').orderBy('i.scheduled_on', 'DESC').addOrderBy('i.id').offset((q.page - 1) * q.pageSize).limit(q.pageSize).getRawMany<{ id: string }>();
      const rows = ids.length ? await queryRows<InspectionRow>(em, `${SELECT} WHERE i.id = ANY($1::uuid[]) ORDER BY i.scheduled_on DESC, i.id`, [ids.map((r) => r.id)]) : [];
      return { items: rows.map(view), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
    });
  }

  get(actor: Actor, id: string): Promise<InspectionDetailView> {
    return this.db.run(actor, async (em) => {
      const row = await rowForChange<InspectionRow>(em, actor, 'read', 'Inspection', 'inspections', id, oversightScope);
      if (actor.orgKind === 'operator' && row.status !== 'reported') throw new ProblemException(404, 'not_found');
      return this.detail(em, id);
    });
  }

  /** The report, once: checklist results, findings with photo hashes and severity, summary; the score follows from them. */
  report(actor: Actor, id: string, input: z.infer<typeof inspectionReportSchema>): Promise<InspectionDetailView> {
    return this.db.run(actor, async (em) => {
      const row = await rowForChange<InspectionRow>(em, actor, 'update', 'Inspection', 'inspections', id, oversightScope);
      if (row.status !== 'planned') throw new ProblemException(409, 'inspection_state');
      const score = inspectionScore(input.results, input.findings);
      const changed: unknown[] = await em.query(
        `WITH x AS (UPDATE inspections SET status = 'reported', results = $2, summary = $3, score = $4, reported_by = $5, reported_at = now() WHERE id = $1 AND status = 'planned' RETURNING id) SELECT id FROM x`,
        [id, JSON.stringify(input.results), input.summary, score, actor.userId]);
      if (!changed.length) throw new ProblemException(409, 'inspection_state');
      let position = 0;
      for (const f of input.findings) {
        await em.query(`INSERT INTO inspection_findings (id, inspection_id, tenant_id, region_code, code, text, severity, photos, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [newId(), id, row.tenant_id, row.region_code, f.code ?? null, f.text, f.severity, f.photos, ++position]);
      }
      await this.audit.record(em, actor, { action: 'inspection.report', subjectType: 'Inspection', subjectId: id, tenantId: row.tenant_id, regionCode: row.region_code, summary: { score, findings: input.findings.length } });
      return this.detail(em, id);
    });
  }

  private async detail(em: EntityManager, id: string): Promise<InspectionDetailView> {
    const r = await queryRow<InspectionRow>(em, `${SELECT} WHERE i.id = $1`, [id]);
    if (!r) throw new ProblemException(404, 'not_found');
    const findings = await queryRows<InspectionFindingRow>(em, 'SELECT id, code, text, severity, photos FROM inspection_findings WHERE inspection_id = $1 ORDER BY position', [id]);
    const byCode = new Map((r.results ?? []).map((x) => [x.code, x]));
    return {
      ...view(r),
      // Every item of the checklist, with its result once reported.
      results: ONSITE_CHECKLIST.map((c) => ({ code: c.code, zh: c.zh, en: c.en, result: byCode.get(c.code)?.result ?? '', note: byCode.get(c.code)?.note ?? '' })),
      findings: findings.map((f) => ({ id: f.id, code: f.code, text: f.text, severity: f.severity, photos: f.photos ?? [] })),
    };
  }
}

function view(r: InspectionRow): InspectionView {
  return {
    id: r.id, planId: r.plan_id, tenantId: r.tenant_id, operatorName: r.operator_name ?? null, regionCode: r.region_code, marketId: r.market_id,
    marketName: r.market_name ?? null, kind: r.kind, status: r.status, scheduledOn: r.scheduled_on, note: r.note, sourceSampleId: r.source_sample_id,
    score: r.score === null ? null : Number(r.score), summary: r.summary, reportedAt: isoOf(r.reported_at), findingCount: r.finding_count ?? 0, createdAt: isoOf(r.created_at),
  };
}
function planView(r: InspectionPlanRow): InspectionPlanView {
  return { id: r.id, orgId: r.org_id, regionCode: r.region_code, kind: r.kind, title: r.title, from: r.period_from, to: r.period_to, note: r.note, inspections: r.inspections ?? 0, createdAt: isoOf(r.created_at) };
}
