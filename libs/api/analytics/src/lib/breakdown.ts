import type { EntityManager } from 'typeorm';
import { computeKpi, type BreakdownDimension, type BreakdownResult, type KpiDef, type KpiInputs, type Metric } from '@linggong/domain';
import type { FoldedDay } from './analytics.service';

/** The fact rows' dimension columns (a closed list: the query names one of them). */
const COLUMN: Record<BreakdownDimension, 'occupation' | 'industry' | 'gender' | 'age_band'> = { occupation: 'occupation', industry: 'industry', gender: 'gender', age_band: 'age_band' };
const empty = (): KpiInputs => ({ sums: {}, histograms: {}, openDays: 0, distinctSeekers: 0, openDemand: 0, recentSeekers: 0, seeking: [], daysWithEntries: 0, lateDays: 0, verificationFailures: 0, staff: 0, markets: 0 });

/**
 * `analytics_breakdown` (issue 13 §2's dimensions): one KPI's figure per value of occupation, industry,
 * worker gender or age band, from the same fact rows (and the same cohort rule) as `analytics_kpis`, plus
 * the period's live folds. Only counts, ratios of counts and medians split (`breaksDown`); the caller checks.
 */
export async function breakdownOf(em: EntityManager, k: KpiDef, by: BreakdownDimension, marketIds: string[], from: string, to: string, live: FoldedDay[]): Promise<Omit<BreakdownResult, 'kpi' | 'by' | 'from' | 'to' | 'provisional'>> {
  const f = k.formula;
  const metrics: Metric[] = f.type === 'ratio' ? [f.num, f.den] : f.type === 'sum' || f.type === 'median' ? [f.metric] : [];
  const col = COLUMN[by];
  const rows: { v: string; metric: Metric; bucket: string; n: number; value: string }[] = await em.query(
    `SELECT ${col} AS v, metric, bucket, sum(n)::int AS n, sum(value) AS value FROM analytics_facts
     WHERE market_id = ANY($1::uuid[]) AND business_day BETWEEN $2 AND $3 AND cohort_day >= $2 AND metric = ANY($4::text[]) GROUP BY 1, 2, 3`,
    [marketIds, from, to, metrics]);
  const facts = [
    ...rows.map((r) => ({ v: r.v, metric: r.metric, bucket: Number(r.bucket), n: r.n, value: Number(r.value) })),
    ...live.flatMap((d) => d.facts).filter((x) => metrics.includes(x.metric) && x.cohort_day >= from)
      .map((x) => ({ v: x[col], metric: x.metric, bucket: x.bucket, n: x.n, value: x.value })),
  ];
  const by_ = new Map<string, KpiInputs>();
  const whole = empty();
  for (const x of facts) {
    for (const a of [whole, by_.get(x.v) ?? by_.set(x.v, empty()).get(x.v)!]) {
      a.sums[x.metric] = (a.sums[x.metric] ?? 0) + x.value;
      if (f.type === 'median') a.histograms[x.metric] = [...(a.histograms[x.metric] ?? []), [x.bucket, x.n]];
    }
  }
  const partOf = (a: KpiInputs) => f.type === 'ratio'
    ? { numerator: a.sums[f.num] ?? 0, denominator: a.sums[f.den] ?? 0 }
    : { numerator: f.type === 'median' ? (a.histograms[f.metric] ?? []).reduce((t, [, n]) => t + n, 0) : (a.sums[metrics[0]] ?? 0), denominator: null };
  const parts = [...by_].map(([value, a]) => ({ value, figure: computeKpi(k, a), ...partOf(a) }))
    .sort((x, y) => y.numerator - x.numerator || (y.denominator ?? 0) - (x.denominator ?? 0) || x.value.localeCompare(y.value));
  return { unit: k.unit, total: computeKpi(k, whole), parts };
}
