import type { EntityManager } from 'typeorm';
import type { Metric } from '@linggong/domain';
import { REPORT_METRICS, type ReportFactGroup } from './report-aggregates';

/**
 * The monthly report's distinct job seekers per region and month, stored (`analytics_region_months`, migration
 * AnalyticsRegionMonths1763805300000; docs/architecture.md "Figures: rollups"). Distinct counts do not add up across
 * counties (a worker who checked in at two counties is one seeker of the city), so each level — province, city and
 * county — keeps its own, counted from the subject rows by the nightly refresh.
 *
 * A person is counted once under each value of a dimension recorded for them in the month (a worker whose first
 * occupation, recorded gender or age band changed during the month counts under both values): the same rule as the
 * report's computation from the rows, which these rows replace.
 */
export interface MonthSeekers {
  /** Distinct job seekers of the month. */
  all: number;
  occupation: Record<string, number>;
  gender: Record<string, number>;
  age_band: Record<string, number>;
  /** Per employer industry (GB/T 4754 section, "" not recorded): distinct seekers of the occupations the industry's posts asked for in the region that month. */
  industry: Record<string, number>;
}

const LEVELS_SQL = (col: string) => `(SELECT DISTINCT c FROM unnest(ARRAY[left(${col}, 2), left(${col}, 4), ${col}]) AS c)`;
const monthEnd = (month: string) => { const d = new Date(`${month}T00:00:00Z`); d.setUTCMonth(d.getUTCMonth() + 1); d.setUTCDate(0); return d.toISOString().slice(0, 10); };
const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
const prevMonth = (month: string) => { const d = new Date(`${month}T00:00:00Z`); d.setUTCMonth(d.getUTCMonth() - 1); return d.toISOString().slice(0, 10); };

/**
 * Recompute every region's row for one month (as the platform): one pass over the month's seeker rows with grouping sets
 * (all, occupation, gender, age band) and one join for the industries' occupation sets.
 */
export async function refreshRegionMonth(em: EntityManager, month: string): Promise<number> {
  const from = monthStart(month);
  const to = monthEnd(from);
  // The report's fact rows per region level (sums add up; the county of a row is the region it is stored under).
  await em.query('DELETE FROM analytics_region_month_facts WHERE month = $1', [from]);
  await em.query(`
    INSERT INTO analytics_region_month_facts (region_code, month, metric, occupation, employer_industry, work_period, bucket, n, value)
    SELECT r.code, $1, f.metric, f.occupation, f.employer_industry, f.work_period, f.bucket, sum(f.n), sum(f.value)
    FROM analytics_facts f CROSS JOIN LATERAL ${LEVELS_SQL('f.region_code')} AS r(code)
    WHERE f.business_day BETWEEN $1 AND $2 AND f.cohort_day >= $1 AND f.metric = ANY($3::text[])
    GROUP BY 1, 3, 4, 5, 6, 7 ORDER BY 1`, [from, to, REPORT_METRICS]);
  const res = await em.query(`
    WITH s AS (
      SELECT r.code, s.worker_id, s.occupation, s.gender, s.age_band FROM analytics_subject_days s CROSS JOIN LATERAL ${LEVELS_SQL('s.region_code')} AS r(code)
      WHERE s.role = 'seeker' AND s.business_day BETWEEN $1 AND $2),
    g AS (
      SELECT code, CASE WHEN grouping(occupation) = 0 THEN 'occupation' WHEN grouping(gender) = 0 THEN 'gender' WHEN grouping(age_band) = 0 THEN 'age_band' ELSE 'all' END AS dim,
        COALESCE(occupation, gender, age_band, '') AS key, count(DISTINCT worker_id)::int AS n
      FROM s GROUP BY GROUPING SETS ((code), (code, occupation), (code, gender), (code, age_band))),
    -- Each industry's demanded occupations in the region and month (the report's sets: headcount rows with an occupation, cohort rule as the KPIs).
    d AS (
      SELECT DISTINCT r.code, f.employer_industry, f.occupation FROM analytics_facts f CROSS JOIN LATERAL ${LEVELS_SQL('f.region_code')} AS r(code)
      WHERE f.metric = 'headcount_demanded' AND f.occupation <> '' AND f.business_day BETWEEN $1 AND $2 AND f.cohort_day >= $1),
    i AS (
      SELECT d.code, 'industry' AS dim, d.employer_industry AS key, count(DISTINCT s.worker_id)::int AS n
      FROM d JOIN s ON s.code = d.code AND s.occupation = d.occupation GROUP BY 1, 3),
    x AS (SELECT * FROM g UNION ALL SELECT * FROM i),
    j AS (
      SELECT code, jsonb_build_object(
        'all', COALESCE(max(n) FILTER (WHERE dim = 'all'), 0),
        'occupation', COALESCE(jsonb_object_agg(key, n) FILTER (WHERE dim = 'occupation'), '{}'),
        'gender', COALESCE(jsonb_object_agg(key, n) FILTER (WHERE dim = 'gender'), '{}'),
        'age_band', COALESCE(jsonb_object_agg(key, n) FILTER (WHERE dim = 'age_band'), '{}'),
        'industry', COALESCE(jsonb_object_agg(key, n) FILTER (WHERE dim = 'industry'), '{}')) AS seekers
      FROM x GROUP BY code),
    -- Regions with markets but no seekers in the month: zeros, not missing.
    c AS (SELECT r.code FROM markets m CROSS JOIN LATERAL ${LEVELS_SQL('m.region_code')} AS r(code) WHERE m.tenant_id IS NOT NULL UNION SELECT code FROM j)
    INSERT INTO analytics_region_months (region_code, month, seekers, stale, computed_at)
    SELECT c.code, $1, COALESCE(j.seekers, '{"all": 0, "occupation": {}, "gender": {}, "age_band": {}, "industry": {}}'), false, now() FROM c LEFT JOIN j USING (code)
    ON CONFLICT (region_code, month) DO UPDATE SET seekers = EXCLUDED.seekers, stale = false, computed_at = now()`, [from, to]);
  return Array.isArray(res) && typeof res[1] === 'number' ? res[1] : 0;
}

/**
 * The months the nightly refresh recomputes for `lastDay` (yesterday): the last complete month and the one before (the
 * reports due by the 28th read them), and every month with a stale row (a late seal or a correction).
 */
export async function monthsToRefresh(em: EntityManager, lastDay: string): Promise<string[]> {
  const next = new Date(`${lastDay}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const lastComplete = prevMonth(monthStart(next.toISOString().slice(0, 10)));
  const stale: { m: string }[] = await em.query(`SELECT DISTINCT to_char(month, 'YYYY-MM-DD') AS m FROM analytics_region_months WHERE stale`);
  return [...new Set([lastComplete, prevMonth(lastComplete), ...stale.map((r) => r.m)])].sort();
}

/**
 * The report's fact groups of a month from the stored rows: the region's own (by every dimension; `county` is the region)
 * and each county's (by metric and bucket: what the by-county table reads). Only valid when `regionMonths` found the
 * month fresh for the same regions (refreshed together).
 */
export async function regionMonthFacts(em: EntityManager, region: string, counties: string[], month: string): Promise<{ groups: ReportFactGroup[]; countyGroups: ReportFactGroup[] }> {
  type Row = { region_code: string; metric: Metric; occupation: string; employer_industry: string; work_period: string; bucket: string; n: string; value: string };
  const of = (r: Row): ReportFactGroup => ({
    county: r.region_code, metric: r.metric, occupation: r.occupation, employerIndustry: r.employer_industry, workPeriod: r.work_period, gender: '', ageBand: '',
    bucket: Number(r.bucket), n: Number(r.n), value: Number(r.value),
  });
  const own: Row[] = await em.query(
    `SELECT region_code, metric, occupation, employer_industry, work_period, bucket, n, value FROM analytics_region_month_facts WHERE region_code = $1 AND month = $2`,
    [region, monthStart(month)]);
  const byCounty: Row[] = await em.query(
    `SELECT region_code, metric, '' AS occupation, '' AS employer_industry, '' AS work_period, bucket, sum(n) AS n, sum(value) AS value FROM analytics_region_month_facts
     WHERE region_code = ANY($1) AND month = $2 AND metric IN ('headcount_demanded', 'hires_started', 'post_day_wage') GROUP BY 1, 2, 6`, [counties, monthStart(month)]);
  return { groups: own.map(of), countyGroups: byCounty.map(of) };
}

/** The stored rows of a month for the given regions, only if every one of them is there and fresh (else null: count from the rows). */
export async function regionMonths(em: EntityManager, regions: string[], month: string): Promise<Map<string, MonthSeekers> | null> {
  const want = [...new Set(regions)];
  const rows: { region_code: string; seekers: MonthSeekers }[] = await em.query(
    `SELECT region_code, seekers FROM analytics_region_months WHERE region_code = ANY($1) AND month = $2 AND NOT stale`, [want, monthStart(month)]);
  if (rows.length !== want.length) return null;
  return new Map(rows.map((r) => [r.region_code, r.seekers]));
}
