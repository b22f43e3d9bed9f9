import type { EntityManager } from 'typeorm';
import { AUTHORITY_KINDS, EFFECTIVE_WINDOW_DAYS, histogramOf, type Actor, type Metric } from '@linggong/domain';
import { REGION_BUCKET, REGION_OCCUPATION } from './migrations/1763804500000-analytics-region-vectors';

/**
 * Whole-region pre-aggregates (migration AnalyticsRegionAggregates1763804100000; docs/architecture.md
 * "Figures: rollups"): `analytics_region_days` kept by the rollup as a delta in the market-day's own
 * transaction, and `analytics_region_periods` (per standard period: exact distinct job seekers and
 * job-seeking days, and the whole KPI input vector — AnalyticsRegionVectors1763804500000) refreshed by the
 * nightly catch-up and marked stale by a rollup that changes one of its days.
 */

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const ymd = (d: Date) => d.toISOString().slice(0, 10);
/** The province, city and county codes a market's rows count under (distinct: a shorter code counts once). */
export const regionLevels = (code: string): string[] => [...new Set([code.slice(0, 2), code.slice(0, 4), code])];
const LEVELS_SQL = (col: string) => `(SELECT DISTINCT c FROM unnest(ARRAY[left(${col}, 2), left(${col}, 4), ${col}]) AS c)`;

/**
 * The region whose aggregates may stand for a scope's markets: only when the scope is a whole region (no
 * market or operator) read by the platform or an authority, who see every market of it (CASL: the region
 * prefix); staff and operators see a subset and read the facts.
 */
export function aggregateRegionOf(actor: Actor, q: { marketId?: string; operatorId?: string; regionCode?: string }): string | null {
  if (q.marketId || q.operatorId) return null;
  if (actor.orgKind !== 'platform' && !(AUTHORITY_KINDS as readonly string[]).includes(actor.orgKind)) return null;
  const code = q.regionCode ?? actor.regionPrefix ?? '';
  return /^\d{2}(\d{2}){0,2}$/.test(code) ? code : null;
}

/**
 * A market-day's rows out of the fact, subject and day tables in one statement, returning what the region delta subtracts
 * (`old`: the rows as `applyRegionDelta` adds them, negated, by the rows' own region code) and the day's job seekers and
 * starters as they were. Holds no lock on the shared region rows (the rollup takes those last, just before it commits).
 */
export async function removeMarketDay(em: EntityManager, marketId: string, day: string): Promise<{ old: RegionDeltaRow[]; subjects: { role: string; worker_id: string }[] }> {
  const [r] = await em.query(`
    WITH f AS (DELETE FROM analytics_facts WHERE market_id = $1 AND business_day = $2 RETURNING region_code, metric, occupation, bucket, cohort_day, n, value),
      s AS (DELETE FROM analytics_subject_days WHERE market_id = $1 AND business_day = $2 RETURNING role, worker_id),
      d AS (DELETE FROM analytics_days WHERE market_id = $1 AND business_day = $2 RETURNING region_code, entries, late, verification_failures),
      old AS (
        SELECT region_code, metric, ${REGION_OCCUPATION('metric', 'occupation')} AS occupation, ${REGION_BUCKET('metric', 'bucket')} AS bucket, cohort_day, -sum(n)::bigint AS n, -sum(value)::bigint AS v
          FROM f GROUP BY 1, 2, 3, 4, 5
        UNION ALL SELECT region_code, '@open', '', 0, $2::date, -1, 0 FROM f WHERE metric = 'check_ins' AND n > 0 GROUP BY 1
        UNION ALL SELECT region_code, '@days', '', 0, $2::date, -(entries > 0)::int, 0 FROM d
        UNION ALL SELECT region_code, '@late', '', 0, $2::date, -(entries > 0 AND late)::int, 0 FROM d
        UNION ALL SELECT region_code, '@failures', '', 0, $2::date, -verification_failures, 0 FROM d)
    SELECT (SELECT COALESCE(jsonb_agg(old), '[]') FROM old) AS old, (SELECT COALESCE(jsonb_agg(s), '[]') FROM s) AS subjects`, [marketId, day]);
  return { old: r.old, subjects: r.subjects };
}
/** A row of a region delta: (region code, metric, occupation, bucket, cohort day) and the change of n and value. */
export interface RegionDeltaRow { region_code: string; metric: string; occupation: string; bucket: number; cohort_day: string; n: number; v: number }

/**
 * When a market-day's rows are replaced: add (new − old) to its regions' day rows, in one statement, rows locked in key
 * order (two lanes rolling markets of one province wait, never deadlock); `old` is what `removeMarketDay` returned. Day
 * metrics: `@open` (a day with check-ins), `@days` (entries), `@late`, `@failures`. Occupation and bucket are kept for
 * `post_day_wage` only. If that changed a row, or `seekersChanged` (the day's job seekers or starters are not what they
 * were), the same statement marks stale every stored period that reads the day — the period itself, or the effective
 * 求人倍率's window ending on its last day — and the day's month of the monthly report (computed from the rows until the
 * next refresh). The shared region rows are locked by this statement: the rollup runs it last, so they are held only
 * until its commit. Returns the number of region rows changed (0: the day's figures are as they were).
 */
export async function applyRegionDelta(em: EntityManager, day: string, regionCode: string, old: RegionDeltaRow[],
  facts: { metric: Metric; occupation: string; bucket: number; cohort_day: string; n: number; value: number }[],
  d: { entries: number; late: boolean; alerts: number }, seekersChanged: boolean): Promise<number> {
  const open = facts.some((f) => f.metric === 'check_ins' && f.n > 0) ? 1 : 0;
  const [{ changed }] = await em.query(`
    WITH old AS (
      SELECT region_code, metric, occupation, bucket, cohort_day, n, v FROM jsonb_to_recordset($9::jsonb)
        AS x(region_code text, metric text, occupation text, bucket bigint, cohort_day date, n bigint, v bigint)
    ), new AS (
      SELECT $2::text AS region_code, metric, ${REGION_OCCUPATION('metric', 'occupation')} AS occupation, ${REGION_BUCKET('metric', 'bucket')} AS bucket, cohort_day, sum(n)::bigint AS n, sum(value)::bigint AS v
        FROM jsonb_to_recordset($3::jsonb) AS x(metric text, occupation text, bucket bigint, cohort_day date, n int, value bigint) GROUP BY 1, 2, 3, 4, 5
      UNION ALL SELECT $2, '@open', '', 0, $1::date, $4::int, 0
      UNION ALL SELECT $2, '@days', '', 0, $1::date, $5::int, 0
      UNION ALL SELECT $2, '@late', '', 0, $1::date, $6::int, 0
      UNION ALL SELECT $2, '@failures', '', 0, $1::date, $7::int, 0
    ), delta AS (
      SELECT r.code, x.metric, x.occupation, x.bucket, x.cohort_day, sum(x.n) AS n, sum(x.v) AS v
      FROM (SELECT * FROM old UNION ALL SELECT * FROM new) x CROSS JOIN LATERAL ${LEVELS_SQL('x.region_code')} AS r(code)
      GROUP BY 1, 2, 3, 4, 5 HAVING sum(x.n) <> 0 OR sum(x.v) <> 0
    ), written AS (
      INSERT INTO analytics_region_days (region_code, business_day, metric, occupation, bucket, cohort_day, n, value)
      SELECT code, $1::date, metric, occupation, bucket, cohort_day, n, v FROM delta ORDER BY 1, 3, 4, 5, 6
      ON CONFLICT (region_code, business_day, metric, occupation, bucket, cohort_day)
        DO UPDATE SET n = analytics_region_days.n + EXCLUDED.n, value = analytics_region_days.value + EXCLUDED.value
      RETURNING 1
    ), periods AS (
      UPDATE analytics_region_periods SET stale = true
      WHERE ($8 OR EXISTS (SELECT 1 FROM written)) AND region_code = ANY($10::text[])
        AND LEAST(from_day, to_day - ($11::int - 1)) <= $1::date AND to_day >= $1::date AND NOT stale
      RETURNING 1
    ), months AS (
      UPDATE analytics_region_months SET stale = true
      WHERE ($8 OR EXISTS (SELECT 1 FROM written)) AND region_code = ANY($10::text[]) AND month = date_trunc('month', $1::date)::date AND NOT stale
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM written)::int AS changed, (SELECT count(*) FROM periods) + (SELECT count(*) FROM months) AS marked`,
  [day, regionCode, JSON.stringify(facts.map((f) => ({ metric: f.metric, occupation: f.occupation, bucket: f.bucket, cohort_day: f.cohort_day, n: f.n, value: f.value }))),
    open, d.entries > 0 ? 1 : 0, d.entries > 0 && d.late ? 1 : 0, d.alerts, seekersChanged, JSON.stringify(old),
    [...new Set([...regionLevels(regionCode), ...old.flatMap((o) => regionLevels(o.region_code))])], EFFECTIVE_WINDOW_DAYS]);
  return Number(changed);
}

/**
 * A region's sums and day metrics for periods (`from:to` → them), from the day rows: like the facts path, a day's rows
 * count only if their cohort day is in the period too (cohort rates; every other row's cohort day is its own day).
 */
export async function regionSums(em: EntityManager, region: string, periods: [string, string][]) {
  // Several periods in one statement (`analytics_kpis` reads its period and the previous one together: ≈ 40 % less time than two).
  const rows: { i: number; metric: string; bucket: string; occupation: string; n: string; value: string }[] = await em.query(
    `SELECT p.i::int AS i, metric, bucket, occupation, sum(n) AS n, sum(value) AS value
     FROM unnest($2::date[], $3::date[]) WITH ORDINALITY AS p(f, t, i)
     JOIN analytics_region_days d ON d.region_code = $1 AND d.business_day BETWEEN p.f AND p.t AND d.cohort_day >= p.f
     GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 OR sum(value) <> 0`, [region, periods.map((p) => p[0]), periods.map((p) => p[1])]);
  return new Map(periods.map(([from, to], k) => {
    const mine = rows.filter((r) => r.i === k + 1);
    const facts = mine.filter((r) => !r.metric.startsWith('@')).map((r) => ({ metric: r.metric as Metric, bucket: Number(r.bucket), occupation: r.occupation, n: Number(r.n), value: Number(r.value) }));
    const day = (m: string) => Number(mine.find((r) => r.metric === m)?.n ?? 0);
    return [`${from}:${to}`, { facts, openDays: day('@open'), daysWithEntries: day('@days'), lateDays: day('@late'), verificationFailures: day('@failures') }] as const;
  }));
}

/** What `refreshRegionPeriods` stores per region and period besides the job seekers (`analytics_region_periods.vector`). */
export interface RegionVector {
  /** [metric, occupation, bucket, n, value]: occupation and bucket for `post_day_wage` only. */
  facts: [Metric, string, number, number, number][];
  openDays: number; daysWithEntries: number; lateDays: number; verificationFailures: number;
  /** The effective 求人倍率's parts for the window ending on the period's last day. */
  openDemand: number; recentSeekers: number;
  /** Job-seeking days, [days, seekers] by days (the same values as the row's `seeking_days`). */
  seeking: [number, number][];
}

/** A region's whole KPI input vector for a standard period (all but staff and markets, which are current) with its job seekers. */
export type StoredVector = RegionVector & { seekers: number };
/** A region's distinct job seekers and job-seeking days for a standard period. */
export type RegionPeriod = { seekers: number; seeking: [number, number][] };

/**
 * Regions' stored rows for one or more standard periods in one statement (`region:from:to` → null where none is refreshed
 * and fresh): the vectors, and where a fresh row has no vector yet (the refresh stores the job seekers first), its job seekers.
 */
export async function regionVectors(em: EntityManager, regions: string[], periods: [string, string][]): Promise<{ vectors: Map<string, StoredVector | null>; periods: Map<string, RegionPeriod | null> }> {
  const rows: { r: string; f: string; t: string; seekers: number; vector: RegionVector | null; seeking_days: number[] | null }[] = await em.query(
    `SELECT region_code AS r, to_char(from_day, 'YYYY-MM-DD') AS f, to_char(to_day, 'YYYY-MM-DD') AS t, seekers, vector,
            CASE WHEN vector IS NULL THEN seeking_days END AS seeking_days FROM analytics_region_periods
     WHERE region_code = ANY($1::text[]) AND (from_day, to_day) IN (SELECT * FROM unnest($2::date[], $3::date[])) AND NOT stale`,
    [regions, periods.map((p) => p[0]), periods.map((p) => p[1])]);
  const keys = regions.flatMap((r) => periods.map(([f, t]) => `${r}:${f}:${t}`));
  const out = { vectors: new Map<string, StoredVector | null>(keys.map((k) => [k, null])), periods: new Map<string, RegionPeriod | null>(keys.map((k) => [k, null])) };
  for (const r of rows) {
    const key = `${r.r}:${r.f}:${r.t}`;
    if (r.vector) out.vectors.set(key, { ...r.vector, seekers: r.seekers });
    else out.periods.set(key, periodOf(r.seekers, r.seeking_days ?? []));
  }
  return out;
}

const periodOf = (seekers: number, seekingDays: number[]): RegionPeriod => ({ seekers, seeking: histogramOf(seekingDays.map(Number)) });

/**
 * The standard periods for a day (the last complete day, yesterday at the nightly run): rolling 30, 90
 * and 365 days to it, the last complete calendar month, quarter and year, and the period of equal length
 * before each (what `analytics_kpis` compares with).
 */
export function standardPeriods(lastDay: string): [string, string][] {
  const out: [string, string][] = [];
  const withPrevious = (from: string, to: string) => {
    const len = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
    out.push([from, to], [addDays(from, -len), addDays(from, -1)]);
  };
  for (const n of [30, 90, 365]) withPrevious(addDays(lastDay, -(n - 1)), lastDay);
  const d = new Date(`${lastDay}T00:00:00Z`);
  const complete = (end: Date) => (ymd(end) <= lastDay ? end : null);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  // The month, quarter and year that end on or before the day.
  const monthEnd = complete(new Date(Date.UTC(y, m + 1, 0))) ?? new Date(Date.UTC(y, m, 0));
  withPrevious(ymd(new Date(Date.UTC(monthEnd.getUTCFullYear(), monthEnd.getUTCMonth(), 1))), ymd(monthEnd));
  const q = Math.floor(m / 3);
  const quarterEnd = complete(new Date(Date.UTC(y, q * 3 + 3, 0))) ?? new Date(Date.UTC(y, q * 3, 0));
  withPrevious(ymd(new Date(Date.UTC(quarterEnd.getUTCFullYear(), quarterEnd.getUTCMonth() - 2, 1))), ymd(quarterEnd));
  const yearEnd = complete(new Date(Date.UTC(y, 11, 31))) ?? new Date(Date.UTC(y - 1, 11, 31));
  withPrevious(`${yearEnd.getUTCFullYear()}-01-01`, ymd(yearEnd));
  return [...new Map(out.map((p) => [p.join(':'), p])).values()];
}

/**
 * The periods the refresh stores: the standard ones, and the effective 求人倍率's window ending on each
 * one's last day (its recent job seekers are a distinct count too), windows first.
 */
export function refreshedPeriods(lastDay: string): [string, string][] {
  const periods = standardPeriods(lastDay);
  const windows = periods.map(([, to]): [string, string] => [addDays(to, -(EFFECTIVE_WINDOW_DAYS - 1)), to]);
  return [...new Map([...windows, ...periods].map((p) => [p.join(':'), p])).values()];
}

/**
 * Recompute every region's standard periods (the nightly catch-up; as the platform): per period, one
 * statement over all regions for the distinct job seekers and job-seeking days from the subject rows, and
 * one for the rest of the KPI input vector from the region-day rows (the window's recent job seekers from
 * the window's own row, stored first). Periods no longer standard are dropped; what is written is fresh.
 */
export async function refreshRegionPeriods(em: EntityManager, lastDay: string): Promise<{ periods: number; rows: number }> {
  await em.query(`SET LOCAL work_mem = '128MB'`);
  const periods = refreshedPeriods(lastDay);
  let rows = 0;
  for (const [from, to] of periods) {
    const res = await em.query(`
      WITH w AS (
        SELECT r.code, s.worker_id, min(s.business_day) FILTER (WHERE s.role = 'seeker') AS d, array_agg(s.business_day) FILTER (WHERE s.role = 'starter') AS starts
        FROM analytics_subject_days s CROSS JOIN LATERAL ${LEVELS_SQL('s.region_code')} AS r(code)
        WHERE s.business_day BETWEEN $1 AND $2 GROUP BY 1, 2),
      f AS (SELECT code, d, (SELECT min(x) FROM unnest(starts) AS x WHERE x >= d) AS sd FROM w WHERE d IS NOT NULL),
      g AS (SELECT code, count(*)::int AS seekers, COALESCE(array_agg(sd - d) FILTER (WHERE sd IS NOT NULL), '{}') AS seeking FROM f GROUP BY code),
      -- Regions with markets but no seekers in the period: zero, not missing.
      c AS (SELECT r.code FROM markets m CROSS JOIN LATERAL ${LEVELS_SQL('m.region_code')} AS r(code) WHERE m.tenant_id IS NOT NULL
            UNION SELECT code FROM g)
      INSERT INTO analytics_region_periods (region_code, from_day, to_day, seekers, seeking_days, stale, computed_at, vector)
      SELECT c.code, $1, $2, COALESCE(g.seekers, 0), COALESCE(g.seeking, '{}'), false, now(), NULL FROM c LEFT JOIN g USING (code)
      ON CONFLICT (region_code, from_day, to_day) DO UPDATE SET seekers = EXCLUDED.seekers, seeking_days = EXCLUDED.seeking_days, stale = false, computed_at = now(), vector = NULL`,
    [from, to]);
    rows += Array.isArray(res) && typeof res[1] === 'number' ? res[1] : 0;
  }
  for (const [from, to] of periods) {
    const windowFrom = addDays(to, -(EFFECTIVE_WINDOW_DAYS - 1));
    // As `inputs` counts them from the facts: rows whose cohort day is in the period (the window, for open demand).
    await em.query(`
      WITH s AS (
        SELECT region_code, metric, occupation, bucket, sum(n)::bigint AS n, sum(value)::bigint AS v FROM analytics_region_days
        WHERE business_day BETWEEN $1 AND $2 AND cohort_day >= $1 GROUP BY 1, 2, 3, 4
        -- A day's rows re-rolled to nothing stay as zeros: not a row of the facts.
        HAVING sum(n) <> 0 OR sum(value) <> 0),
      v AS (
        SELECT region_code,
          COALESCE(jsonb_agg(jsonb_build_array(metric, occupation, bucket, n, v) ORDER BY metric, occupation, bucket) FILTER (WHERE metric NOT LIKE '@%'), '[]') AS facts,
          COALESCE(sum(n) FILTER (WHERE metric = '@open'), 0) AS open, COALESCE(sum(n) FILTER (WHERE metric = '@days'), 0) AS days,
          COALESCE(sum(n) FILTER (WHERE metric = '@late'), 0) AS late, COALESCE(sum(n) FILTER (WHERE metric = '@failures'), 0) AS failures
        FROM s GROUP BY 1),
      d AS (
        SELECT region_code, sum(value)::bigint AS demand FROM analytics_region_days
        WHERE metric IN ('headcount_demanded', 'demand_closed') AND business_day BETWEEN $3 AND $2 AND cohort_day >= $3 GROUP BY 1),
      r AS (SELECT region_code, seekers FROM analytics_region_periods WHERE from_day = $3 AND to_day = $2)
      UPDATE analytics_region_periods p SET vector = jsonb_build_object(
        'facts', COALESCE(v.facts, '[]'), 'openDays', COALESCE(v.open, 0), 'daysWithEntries', COALESCE(v.days, 0), 'lateDays', COALESCE(v.late, 0),
        'verificationFailures', COALESCE(v.failures, 0), 'openDemand', COALESCE(d.demand, 0), 'recentSeekers', r.seekers,
        -- The job-seeking days as a histogram [days, seekers] by days (a province-year is tens of thousands of seekers).
        'seeking', COALESCE((SELECT jsonb_agg(jsonb_build_array(x, c) ORDER BY x) FROM (SELECT x, count(*) AS c FROM unnest(p.seeking_days) AS x GROUP BY x) h), '[]'))
      FROM r LEFT JOIN v USING (region_code) LEFT JOIN d USING (region_code)
      WHERE p.region_code = r.region_code AND p.from_day = $1 AND p.to_day = $2`,
    [from, to, windowFrom]);
  }
  await em.query(`DELETE FROM analytics_region_periods WHERE NOT ((from_day, to_day) IN (SELECT f::date, t::date FROM unnest($1::text[], $2::text[]) AS p(f, t)))`,
    [periods.map((p) => p[0]), periods.map((p) => p[1])]);
  return { periods: periods.length, rows };
}
