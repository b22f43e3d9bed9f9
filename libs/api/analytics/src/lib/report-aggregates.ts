import type { EntityManager } from 'typeorm';
import { epochDay, type KpiInputs, type Metric } from '@linggong/domain';
import type { FoldedDay, ScopeMarket } from './analytics.service';

/** Metrics the monthly supply–demand report splits by its dimensions (issue 14 §3). */
export const REPORT_METRICS: Metric[] = ['headcount_demanded', 'posts_published', 'post_day_wage', 'hires_started'];

/** One group of fact rows: a metric by the report's dimensions (county = the market's region code). */
export interface ReportFactGroup {
  county: string; metric: Metric; occupation: string; employerIndustry: string; workPeriod: string; gender: string; ageBand: string;
  bucket: number; n: number; value: number;
}
/**
 * What `AnalyticsService.reportAggregates` returns: the scope's KPI inputs (the same as `analytics_kpis`
 * reads, so the report's totals ARE the catalogue's figures), the open demand carried into the period, the
 * fact rows grouped by the report's dimensions, and distinct job seekers by county, occupation, gender, age band and for
 * sets of occupations (distinct counts cannot be summed: stored per region and month, `region-months.ts`, or counted here
 * from the subject rows).
 */
export interface ReportAggregates {
  markets: ScopeMarket[]; inputs: KpiInputs; provisional: boolean;
  /** Headcount of the posts open at the period's start (`carriedDemand`). */
  carriedOver: number;
  /** The fact rows by the report's dimensions (occupation, employer industry, period of employment, bucket). */
  groups: ReportFactGroup[];
  /** The same by county (`county`): what the by-county table sums (demand, hires, the wage histogram). */
  countyGroups: ReportFactGroup[];
  seekersByCounty: Map<string, number>;
  seekersByOccupation: Map<string, number>;
  /** Distinct seekers by gender and by age band (persons, not visits). */
  seekersByGender: Map<string, number>;
  seekersByAge: Map<string, number>;
  /** Whether the distinct seekers came from the stored month rows (`analytics_region_months`) rather than the subject rows. */
  stored: boolean;
  /** Distinct seekers whose occupation is in each named set (a GB/T 4754 section's demanded occupations). */
  seekersOfSets: Map<string, number>;
}

/**
 * The grouped rows of the sealed days (from `analytics_facts`, same cohort rule as the KPIs) plus the live
 * folds of unsealed days, and the distinct seekers. Pure SQL over this context's own tables.
 */
type Live = { market: ScopeMarket; day: string; f: FoldedDay }[];
const seekersCte = `WITH s AS (
       SELECT worker_id, region_code, occupation, gender, age_band FROM analytics_subject_days WHERE role = 'seeker' AND market_id = ANY($1::uuid[]) AND business_day BETWEEN $2 AND $3
       UNION ALL SELECT worker_id, region_code, occupation, gender, age_band FROM jsonb_to_recordset($4::jsonb) AS x(worker_id uuid, region_code text, occupation text, gender text, age_band text))`;
const seekerArgs = (ids: string[], from: string, to: string, live: Live) => [ids, from, to,
  JSON.stringify(live.flatMap((l) => l.f.subjects.filter((s) => s.role === 'seeker')
    .map((s) => ({ worker_id: s.worker_id, region_code: s.region_code, occupation: s.occupation, gender: s.gender, age_band: s.age_band }))))];

/** Posts published more than this many days before a month are not looked for in its carried-over demand (gig posts run for days or weeks). */
export const CARRIED_LOOKBACK_DAYS = 90;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * The demand carried into a period: the headcount of posts open at the start of its first day — published in the
 * CARRIED_LOOKBACK_DAYS days before, and by then neither withdrawn nor filled (the `demand_open` balance of the entries
 * before the day) nor expired (their expiry day, the rows' bucket, is the day or later). Sealed days from the facts, unsealed ones live.
 */
export async function carriedDemand(em: EntityManager, ids: string[], from: string, live: Live, region: string | null): Promise<number> {
  const since = addDays(from, -CARRIED_LOOKBACK_DAYS);
  // A whole region read by an authority: its region-day rows (they keep the expiry bucket of open-demand rows), else the markets' facts.
  const [r] = region
    ? await em.query(
      `SELECT COALESCE(sum(value), 0)::bigint AS v FROM analytics_region_days
       WHERE region_code = $1 AND business_day >= $2 AND business_day < $3 AND metric = 'demand_open' AND bucket >= $4`, [region, since, from, epochDay(from)])
    : await em.query(
      `SELECT COALESCE(sum(value), 0)::bigint AS v FROM analytics_facts
       WHERE market_id = ANY($1::uuid[]) AND business_day >= $2 AND business_day < $3 AND metric = 'demand_open' AND bucket >= $4`,
      [ids, since, from, epochDay(from)]);
  const liveOpen = live.filter((l) => l.day >= since && l.day < from).flatMap((l) => l.f.facts)
    .filter((f) => f.metric === 'demand_open' && f.bucket >= epochDay(from)).reduce((t, f) => t + f.value, 0);
  return Math.max(Number(r.v) + liveOpen, 0);
}

/** Distinct seekers by county, occupation, gender and age band, from the subject rows (and the live days'). */
export async function reportSeekers(em: EntityManager, ids: string[], from: string, to: string, live: Live) {
  const rows: { dim: string; k: string; n: number }[] = await em.query(
    `${seekersCte} SELECT CASE WHEN grouping(region_code) = 0 THEN 'county' WHEN grouping(occupation) = 0 THEN 'occupation' WHEN grouping(gender) = 0 THEN 'gender' ELSE 'age_band' END AS dim,
       COALESCE(region_code, occupation, gender, age_band) AS k, count(DISTINCT worker_id)::int AS n
     FROM s GROUP BY GROUPING SETS ((region_code), (occupation), (gender), (age_band))`, seekerArgs(ids, from, to, live));
  const of = (dim: string) => new Map(rows.filter((r) => r.dim === dim).map((r) => [r.k, r.n]));
  return { seekersByCounty: of('county'), seekersByOccupation: of('occupation'), seekersByGender: of('gender'), seekersByAge: of('age_band') };
}

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
     SELECT region_code AS county, metric, occupation, employer_industry, work_period, '' AS gender, '' AS age_band, bucket, sum(n)::int AS n, sum(value) AS value
     FROM f GROUP BY 1, 2, 3, 4, 5, 8`,
    [ids, from, to, REPORT_METRICS, JSON.stringify(liveFacts)]);
  const groups: ReportFactGroup[] = rows.map((r) => ({
    county: r.county, metric: r.metric, occupation: r.occupation, employerIndustry: r.employer_industry, workPeriod: r.work_period, gender: r.gender,
    ageBand: r.age_band, bucket: Number(r.bucket), n: r.n, value: Number(r.value),
  }));
  return { groups };
}
