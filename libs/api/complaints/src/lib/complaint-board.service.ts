import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import type { EntityManager } from 'typeorm';
import {
  COMPLAINT_CATEGORIES, DEFAULT_RESOLVE_DAYS,
  type Actor, type ComplaintBoardRow, type ComplaintBoardView, type ComplaintCategory, type ComplaintLimitsView, boardQuerySchema, complaintLimitsSchema,
} from '@linggong/domain';
import { ProblemException, TenantDb, applyAccess, assertAccess } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { dueSoonLimit, shanghaiToday } from './complaint-rows';
import { COMPLAINT_ACCESS } from './rows';

/** One board line as the two counting queries return it (int columns; a key found by one query only lacks the other's). */
type BoardCounts = { key: string } & Partial<Record<'open' | 'due_soon' | 'overdue' | 'notice_violations' | 'closed' | 'closed_on_time' | 'callbacks' | 'satisfied' | 'basically' | 'dissatisfied', number>>;

const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 10 : null);

/**
 * Oversight (issue 6 §8): the county reviewer's board across its operators and the operator's own
 * board across its markets — open, due soon, overdue, on-time rate, satisfaction, one-time-notice
 * violations, repeat complainants and employers — and the per-province time limits. The analytics
 * work will read the same figures (see the README).
 */
@Injectable()
export class ComplaintBoardService {
  constructor(private readonly db: TenantDb, private readonly audit: AuditService) {}

  /**
   * Open complaints past their deadline now, per market (analytics red flags, issue 13): count and the
   * oldest deadline. In the caller's transaction, under its RLS; the caller has chosen the markets.
   */
  async overdueByMarket(em: EntityManager, marketIds: string[]): Promise<Map<string, { overdue: number; oldestDue: string }>> {
    if (!marketIds.length) return new Map();
    const today = await shanghaiToday(em);
    const rows: { market_id: string; n: number; oldest: string }[] = await em.query(
      `SELECT market_id, count(*)::int AS n, min(resolve_due) AS oldest FROM complaints
       WHERE market_id = ANY($1::uuid[]) AND status <> 'closed' AND resolve_due < $2::date GROUP BY market_id`, [marketIds, today]);
    return new Map(rows.map((r) => [r.market_id, { overdue: r.n, oldestDue: r.oldest }]));
  }

  board(actor: Actor, q: z.infer<typeof boardQuerySchema>): Promise<ComplaintBoardView> {
    return this.db.run(actor, async (em) => {
      const today = await shanghaiToday(em);
      const since = new Date(Date.parse(`${today}T00:00:00+08:00`) - q.days * 86_400_000).toISOString();
      const groupBy = actor.orgKind === 'operator' ? 'market' : 'operator';
      const key = groupBy === 'market' ? 'c.market_id' : 'c.tenant_id';
      const qb = em.createQueryBuilder().from('complaints', 'c');
      const empty: ComplaintBoardView = { since: since.slice(0, 10), today, groupBy, rows: [], totals: totalsOf([]), byCategory: [], repeatComplainants: [], repeatEmployers: [] };
      if (!applyAccess(qb, actor, 'read', 'Complaint', COMPLAINT_ACCESS('c'))) return empty;
      qb.andWhere(`(c.status <> 'closed' OR c.received_at >= :since OR c.closed_at >= :since)`, { since });
      const [where, params] = qb.select('c.id', 'id').getQueryAndParameters();
      const n = params.length;
      // The visible complaints once, as a CTE; every figure below is computed from it.
      const scoped = `WITH v AS (${where}), c AS (SELECT c.* FROM complaints c JOIN v ON v.id = c.id)`;
      const k = key.replace('c.', '');
      // Open work is the complaints' state now; closures and callbacks are counted from the records, one
      // per round, so a reopening cannot turn a late closure or a dissatisfied callback into a good figure.
      const open = await em.query<BoardCounts[]>(
        `${scoped}
         SELECT ${k} AS key,
           count(*) FILTER (WHERE status <> 'closed')::int AS open,
           count(*) FILTER (WHERE status <> 'closed' AND resolve_due >= $${n + 1}::date AND resolve_due <= $${n + 2}::date)::int AS due_soon,
           count(*) FILTER (WHERE status <> 'closed' AND resolve_due < $${n + 1}::date)::int AS overdue,
           (SELECT count(*)::int FROM complaint_notices nt JOIN c c2 ON c2.id = nt.complaint_id
             WHERE cardinality(nt.new_items) > 0 AND c2.${k} = c.${k}) AS notice_violations
         FROM c GROUP BY ${k}`,
        [...params, today, dueSoonLimit(today)]);
      const done = await em.query<BoardCounts[]>(
        `${scoped}
         SELECT c.${k} AS key,
           count(*) FILTER (WHERE r.kind = 'closed')::int AS closed,
           count(*) FILTER (WHERE r.kind = 'closed' AND r.data->>'late' = 'false')::int AS closed_on_time,
           count(*) FILTER (WHERE r.kind = 'callback')::int AS callbacks,
           count(*) FILTER (WHERE r.kind = 'callback' AND r.data->>'satisfaction' = 'satisfied')::int AS satisfied,
           count(*) FILTER (WHERE r.kind = 'callback' AND r.data->>'satisfaction' = 'basically')::int AS basically,
           count(*) FILTER (WHERE r.kind = 'callback' AND r.data->>'satisfaction' = 'dissatisfied')::int AS dissatisfied
         FROM complaint_records r JOIN c ON c.id = r.complaint_id
         WHERE r.kind IN ('closed', 'callback') AND r.created_at >= $${n + 1}::timestamptz GROUP BY c.${k}`,
        [...params, since]);
      const byKey = new Map<string, BoardCounts>();
      for (const r of [...open, ...done]) byKey.set(r.key, { ...(byKey.get(r.key) ?? {}), ...r });
      const rows = [...byKey.values()];
      // Display names, read-only from the markets and organisations tables (README "Boundaries").
      const ids = rows.map((r) => r.key);
      const labels = ids.length
        ? await em.query<{ id: string; name: string }[]>(groupBy === 'market' ? 'SELECT id, name FROM markets WHERE id = ANY($1::uuid[])' : 'SELECT id, name FROM organisations WHERE id = ANY($1::uuid[])', [ids])
        : [];
      const label = new Map(labels.map((l) => [l.id, l.name]));
      const boardRows = rows.map((r) => rowOf(r.key, label.get(r.key) ?? null, r)).sort((a, b) => b.overdue - a.overdue || b.open - a.open);
      const byCategory = await em.query<{ category: ComplaintCategory; n: number }[]>(`${scoped} SELECT category, count(*)::int AS n FROM c GROUP BY category ORDER BY n DESC`, params);
      const repeatComplainants = await em.query<{ mobile: string; n: number }[]>(
        `${scoped} SELECT min(mobile_masked) AS mobile, count(*)::int AS n FROM c WHERE mobile_bidx IS NOT NULL GROUP BY tenant_id, mobile_bidx HAVING count(*) > 1 ORDER BY n DESC LIMIT 20`, params);
      const repeatEmployers = await em.query<{ employer_id: string; name: string | null; n: number }[]>(
        `${scoped} SELECT c.employer_id, e.name, count(*)::int AS n FROM c LEFT JOIN employers e ON e.id = c.employer_id
         WHERE c.employer_id IS NOT NULL GROUP BY c.employer_id, e.name HAVING count(*) > 1 ORDER BY n DESC LIMIT 20`, params);
      return {
        ...empty, rows: boardRows, totals: totalsOf(boardRows),
        byCategory: byCategory.map((r) => ({ category: r.category, count: r.n })),
        repeatComplainants: repeatComplainants.map((r) => ({ mobile: r.mobile, count: r.n })),
        repeatEmployers: repeatEmployers.map((r) => ({ employerId: r.employer_id, employerName: r.name ?? null, count: r.n })),
      };
    });
  }

  /** A province's limits (the caller's province when none is named). */
  limits(actor: Actor, province?: string): Promise<ComplaintLimitsView> {
    const code = province ?? (actor.regionPrefix || '').slice(0, 2);
    if (!/^\d{2}$/.test(code)) throw new ProblemException(422, 'validation_failed', [{ field: 'province', key: 'province_required' }]);
    return this.db.run(actor, async (em) => limitsView(code, await em.query('SELECT category, resolve_days FROM complaint_limits WHERE province_code = $1', [code])));
  }

  setLimits(actor: Actor, province: string, input: z.infer<typeof complaintLimitsSchema>): Promise<ComplaintLimitsView> {
    if (!/^\d{2}$/.test(province)) throw new ProblemException(422, 'validation_failed', [{ field: 'province', key: 'province_required' }]);
    return this.db.run(actor, async (em) => {
      assertAccess(actor, 'update', 'ComplaintPolicy', { regionCode: province });
      for (const [category, days] of Object.entries(input.limits)) {
        await em.query(
          `INSERT INTO complaint_limits (province_code, category, resolve_days, updated_by) VALUES ($1, $2, $3, $4)
           ON CONFLICT (province_code, category) DO UPDATE SET resolve_days = EXCLUDED.resolve_days, updated_by = EXCLUDED.updated_by, updated_at = now()`,
          [province, category, days, actor.userId]);
      }
      await this.audit.record(em, actor, { action: 'complaint.limits', subjectType: 'ComplaintPolicy', subjectId: null, tenantId: null, regionCode: province, summary: input.limits });
      return limitsView(province, await em.query<{ category: string; resolve_days: number }[]>('SELECT category, resolve_days FROM complaint_limits WHERE province_code = $1', [province]));
    });
  }
}

function limitsView(province: string, rows: { category: string; resolve_days: number }[]): ComplaintLimitsView {
  const limits = { ...DEFAULT_RESOLVE_DAYS };
  for (const r of rows) if ((COMPLAINT_CATEGORIES as readonly string[]).includes(r.category)) limits[r.category as ComplaintCategory] = r.resolve_days;
  return { province, limits, configured: rows.length > 0 };
}

function rowOf(key: string, label: string | null, r: BoardCounts): ComplaintBoardRow {
  const n = (k: Exclude<keyof BoardCounts, 'key'>) => r[k] ?? 0;
  const callbacks = n('callbacks');
  return {
    key, label, open: n('open'), dueSoon: n('due_soon'), overdue: n('overdue'), closed: n('closed'), closedOnTime: n('closed_on_time'),
    onTimeRate: onTimeRate({ closedOnTime: n('closed_on_time'), closed: n('closed'), overdue: n('overdue') }), callbacks, satisfied: n('satisfied'), basically: n('basically'), dissatisfied: n('dissatisfied'),
    satisfactionRate: rate(n('satisfied') + n('basically'), callbacks), noticeViolations: n('notice_violations'),
  };
}

/**
 * 按时办结率 over everything that fell due (issue 17 §7): the closures of the period on time ÷ (the
 * period's closures + the open complaints past their deadline now). An open overdue complaint is a
 * deadline already missed, so a board can no longer show 100 % beside overdue work.
 */
function onTimeRate(r: { closedOnTime: number; closed: number; overdue: number }): number | null {
  return rate(r.closedOnTime, r.closed + r.overdue);
}

function totalsOf(rows: ComplaintBoardRow[]): ComplaintBoardRow {
  const sum = (k: keyof ComplaintBoardRow) => rows.reduce((a, r) => a + (r[k] as number), 0);
  const t = {
    key: 'total', label: null, open: sum('open'), dueSoon: sum('dueSoon'), overdue: sum('overdue'), closed: sum('closed'), closedOnTime: sum('closedOnTime'),
    callbacks: sum('callbacks'), satisfied: sum('satisfied'), basically: sum('basically'), dissatisfied: sum('dissatisfied'), noticeViolations: sum('noticeViolations'),
  };
  return { ...t, onTimeRate: onTimeRate(t), satisfactionRate: rate(t.satisfied + t.basically, t.callbacks) };
}
