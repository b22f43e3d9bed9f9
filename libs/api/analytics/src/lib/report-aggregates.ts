import type { EntityManager } from 'typeorm';
import type { KpiInputs, Metric } from '@linggong/domain';
import type { FoldedDay, ScopeMarket } from './analytics.service';

/** Metrics the monthly supply–demand report splits by its dimensions (issue 14 §3). */
export const REPORT_METRICS: Metric[] = ['headcount_demanded', 'posts_published', 'post_day_wage', 'check_ins', 'hires_started'];

/** One group of fact rows: a metric by the report's dimensions (county = the market's region code). */
export interface ReportFactGroup {
  county: string; metric: Metric; occupation: string; employerIndustry: string; workPeriod: string; gender: string; ageBand: string;
  bucket: number; n: number; value: number;
}
/**
 * What `AnalyticsService.reportAggregates` returns: the scope's KPI inputs (the same as `analytics_kpis`
 * reads, so the report's totals ARE the catalogue's figures), the open demand carried into the period, the
 * fact rows grouped by the report's dimensions, and distinct job seekers by county, by occupation and for
 * sets of occupations (distinct counts cannot be summed: they are counted here, from the subject rows).
 */
export interface ReportAggregates {
  markets: ScopeMarket[]; inputs: KpiInputs; provisional: boolean; carriedOver: number;
  groups: ReportFactGroup[];
  seekersByCounty: Map<string, number>;
  seekersByOccupation: Map<string, number>;
  /** Distinct seekers whose occupation is in each named set (a GB/T 4754 section's demanded occupations). */
  seekersOfSets: Map<string, number>;
}

/**
 * The grouped rows of the sealed days (from `analytics_facts`, same cohort rule as the KPIs) plus the live
 * folds of unsealed days, and the distinct seekers. Pure SQL over this context's own tables.
 */
type Live = { market: ScopeMarket; day: string; f: FoldedDay }[];
const seekersCte = `WITH s AS (
       SELECT worker_id, region_code, occupation FROM analytics_subject_days WHERE role = 'seeker' AND market_id = ANY($1::uuid[]) AND business_day BETWEEN $2 AND $3
       UNION ALL SELECT worker_id, region_code, occupation FROM jsonb_to_recordset($4::jsonb) AS x(worker_id uuid, region_code text, occupation text))`;
const seekerArgs = (ids: string[], from: string, to: string, live: Live) => [ids, from, to,
  JSON.stringify(live.flatMap((l) => l.f.subjects.filter((s) => s.role === 'seeker').map((s) => ({ worker_id: s.worker_id, region_code: s.region_code, occupation: s.occupation }))))];

/** Distinct seekers whose occupation is in each named set. */
export async function seekersOfSets(em: EntityManager, ids: string[], from: string, to: string, live: Live, sets: Map<string, string[]>): Promise<Map<string, number>> {
  const pairs = [...sets].flatMap(([k, occ]) => occ.map((o) => ({ k, o })));
  if (!pairs.length) return new Map();
  const rows: { k: string; n: number }[] = await em.query(
    `${seekersCte} SELECT p.k, count(DISTINCT s.worker_id)::int AS n FROM s JOIN jsonb_to_recordset($5::jsonb) AS p(k text, o text) ON p.o = s.occupation GROUP BY 1`,
    [...seekerArgs(ids, from, to, live), JSON.stringify(pairs)]);
  return new Map(rows.map((x) => [x.k, x.n]));
}

export async function reportGroups(em: EntityManager, ids: string[], from: string, to: string, live: Live) {
  const liveFacts = live.flatMap((l) => l.f.facts.filter((x) => REPORT_METRICS.includes(x.metric) && x.cohort_day >= from));
  const rows: { county: string; metric: Metric; occupation: string; employer_industry: string; work_period: string; gender: string; age_band: string; bucket: string; n: number; value: string }[] = await em.query(
    `WITH f AS (
       SELECT region_code, metric, occupation, employer_industry, work_period, gender, age_band, bucket, n, value FROM analytics_facts
       WHERE market_id = ANY($1::uuid[]) AND business_day BETWEEN $2 AND $3 AND cohort_day >= $2 AND metric = ANY($4::text[])
       UNION ALL SELECT region_code, metric, occupation, employer_industry, work_period, gender, age_band, bucket, n, value
       FROM jsonb_to_recordset($5::jsonb) AS x(region_code text, metric text, occupation text, employer_industry text, work_period text, gender text, age_band text, bucket bigint, n int, value bigint))
     SELECT region_code AS county, metric, occupation, employer_industry, work_period, gender, age_band, bucket, sum(n)::int AS n, sum(value) AS value
     FROM f GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
    [ids, from, to, REPORT_METRICS, JSON.stringify(liveFacts)]);
  const groups: ReportFactGroup[] = rows.map((r) => ({
    county: r.county, metric: r.metric, occupation: r.occupation, employerIndustry: r.employer_industry, workPeriod: r.work_period, gender: r.gender,
    ageBand: r.age_band, bucket: Number(r.bucket), n: r.n, value: Number(r.value),
  }));
  const args = seekerArgs(ids, from, to, live);
  const byCounty: { k: string; n: number }[] = await em.query(`${seekersCte} SELECT region_code AS k, count(DISTINCT worker_id)::int AS n FROM s GROUP BY 1`, args);
  const byOcc: { k: string; n: number }[] = await em.query(`${seekersCte} SELECT occupation AS k, count(DISTINCT worker_id)::int AS n FROM s GROUP BY 1`, args);
  const map = (xs: { k: string; n: number }[]) => new Map(xs.map((x) => [x.k, x.n]));
  return { groups, seekersByCounty: map(byCounty), seekersByOccupation: map(byOcc) };
}
