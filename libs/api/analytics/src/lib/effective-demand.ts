import type { EntityManager } from 'typeorm';
import { EFFECTIVE_WINDOW_DAYS } from '@linggong/domain';
import type { FoldedDay } from './analytics.service';

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The first day of the effective 求人倍率's window ending on `to` (EFFECTIVE_WINDOW_DAYS days, `to` included). */
export function effectiveWindowStart(to: string): string {
  return addDays(to, -(EFFECTIVE_WINDOW_DAYS - 1));
}

/**
 * The effective 求人倍率's parts for a set of markets, from the rollups and the window's live folds:
 * open demand = headcount published in the window (`headcount_demanded`) plus `demand_closed` (minus the
 * headcount of those posts closed by the window's end: cohort day in the window), and the distinct workers
 * who checked in during the window. With `region` (the markets are that whole region's), the demand from its day rows.
 */
export async function effectiveDemand(em: EntityManager, marketIds: string[], to: string, live: { day: string; f: FoldedDay }[], region: string | null = null, recentSeekers?: number): Promise<{ openDemand: number; recentSeekers: number }> {
  const from = effectiveWindowStart(to);
  const inWindow = live.filter((l) => l.day >= from && l.day <= to);
  // A whole region (`region`): the same sums from its day rows (a province's facts are hundreds of thousands of rows).
  const [d] = region
    ? await em.query(
      `SELECT COALESCE(sum(value), 0)::bigint AS v FROM analytics_region_days
       WHERE region_code = $1 AND metric IN ('headcount_demanded', 'demand_closed') AND business_day BETWEEN $2 AND $3 AND cohort_day >= $2`,
      [region, from, to])
    : await em.query(
      `SELECT COALESCE(sum(value), 0)::bigint AS v FROM analytics_facts
       WHERE metric IN ('headcount_demanded', 'demand_closed') AND market_id = ANY($1::uuid[]) AND business_day BETWEEN $2 AND $3 AND cohort_day >= $2`,
      [marketIds, from, to]);
  const liveDemand = inWindow.flatMap((l) => l.f.facts).filter((f) => (f.metric === 'headcount_demanded' || f.metric === 'demand_closed') && f.cohort_day >= from)
    .reduce((t, f) => t + f.value, 0);
  // Counted already by the caller (with the period's job seekers, in one pass over the subject rows).
  if (recentSeekers !== undefined) return { openDemand: Number(d.v) + liveDemand, recentSeekers };
  const liveSeekers = inWindow.flatMap((l) => l.f.subjects.filter((s) => s.role === 'seeker').map((s) => ({ worker_id: s.worker_id })));
  const [s] = await em.query(
    `SELECT count(DISTINCT worker_id)::int AS n FROM (
       SELECT worker_id FROM analytics_subject_days WHERE role = 'seeker' AND market_id = ANY($1::uuid[]) AND business_day BETWEEN $2 AND $3
       UNION ALL SELECT worker_id FROM jsonb_to_recordset($4::jsonb) AS x(worker_id uuid)) w`,
    [marketIds, from, to, JSON.stringify(liveSeekers)]);
  return { openDemand: Number(d.v) + liveDemand, recentSeekers: Number(s.n) };
}
