import type { EntityManager } from 'typeorm';

/**
 * Distinct job seekers of a whole region over any period, counted without reading a worker (issue 13: a province's custom
 * period grouped every subject row of the period by worker — ≈ 1 s on the national benchmark). Migration
 * AnalyticsRegionSeen1763806400000; docs/architecture.md "Figures: rollups".
 *
 * Per region (province, city, county), day and two day counts, the number of job seekers who checked in that day:
 * `gap` — days since the worker's previous check-in day in the region (0: none in the SEEN_SPAN days before) — and
 * `seek` — days to the worker's first start on or after that day in the region (-1: none within SEEN_SPAN days, as far as
 * the rows are built). A worker's first check-in day of a period [a, b] is the one day of theirs in it whose previous
 * check-in is before a: gap = 0 or gap > d − a. So, exactly as `inputs` counts them from the subject rows:
 * - distinct job seekers of [a, b] = Σ n over d ∈ [a, b] with gap = 0 or gap > d − a;
 * - job-seeking days (first check-in of the period → first start on or after it, in the period) = those rows' `seek`
 *   where seek ≥ 0 and d + seek ≤ b;
 * - the effective 求人倍率's recent job seekers = the first sum over its window [ws, b].
 * A period is served from these rows only when it lies in the built days, spans fewer than SEEN_SPAN days, has no unsealed
 * day (the caller checks), and the region is not stale.
 *
 * Kept: the nightly catch-up rebuilds a region whose rows are stale or not built through the last day, one region a
 * transaction, under an exclusive advisory lock of its province. A rollup that changes a day's job seekers or starters
 * (`markSeenStale`) takes that lock shared before it marks, so it either commits before the build reads the subject rows
 * or marks the fresh build stale; rollups do not wait for each other. A day after `built_through` changes nothing a
 * served period reads (its starts lie after the period's end; its check-ins have no earlier rows to change).
 */
export const SEEN_SPAN = 400;

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const provinceLock = (region: string) => `analytics-seen:${region.slice(0, 2)}`;

export interface RegionSeen { seekers: number; seeking: [number, number][]; recentSeekers: number }

/** A region's distinct job seekers, job-seeking days and recent job seekers of the window from `ws`, if its seen rows can serve the period. */
export async function regionSeen(em: EntityManager, region: string, from: string, to: string, ws: string): Promise<RegionSeen | null> {
  return (await regionSeenOf(em, region, [{ from, to, ws }])).get(`${from}:${to}`) ?? null;
}

/**
 * `regionSeen` for several periods in one statement (`from:to` → the figures, null where the rows cannot serve the period):
 * `analytics_kpis` reads its period and the one it is compared with together (one pass instead of two: ≈ 40 % less time).
 */
export async function regionSeenOf(em: EntityManager, region: string, periods: { from: string; to: string; ws: string }[]): Promise<Map<string, RegionSeen | null>> {
  const out = new Map<string, RegionSeen | null>(periods.map((p) => [`${p.from}:${p.to}`, null]));
  const served = periods.map((p) => ({ ...p, lo: p.ws < p.from ? p.ws : p.from })).filter((p) => addDays(p.lo, SEEN_SPAN - 1) >= p.to);
  if (!served.length) return out;
  // Per period whose rows are built and fresh, one pass over its rows (an index-only scan of the key and n) grouped by `seek`:
  // each group's first check-ins of the period, those with a start in it, and the window's first check-ins.
  const rows = await em.query<{ i: number; seek: number; firsts: number; started: number; recent: number }[]>(
    `WITH p AS (SELECT i::int, f, t, ws, lo FROM unnest($2::date[], $3::date[], $4::date[], $5::date[]) WITH ORDINALITY AS p(f, t, ws, lo, i)
                WHERE EXISTS (SELECT 1 FROM analytics_region_seen_state WHERE region_code = $1 AND NOT stale AND from_day <= p.lo AND built_through >= p.t))
     SELECT p.i, seek, COALESCE(sum(n) FILTER (WHERE first), 0)::int AS firsts,
       COALESCE(sum(n) FILTER (WHERE first AND seek >= 0 AND business_day + seek <= p.t), 0)::int AS started,
       COALESCE(sum(n) FILTER (WHERE business_day >= p.ws AND (gap = 0 OR gap > business_day - p.ws)), 0)::int AS recent
     FROM p CROSS JOIN LATERAL (SELECT business_day, gap, seek, n, business_day >= p.f AND (gap = 0 OR gap > business_day - p.f) AS first
                                FROM analytics_region_seen WHERE region_code = $1 AND business_day BETWEEN p.lo AND p.t) x
     GROUP BY 1, 2
     UNION ALL SELECT i, -2, 0, 0, 0 FROM p`,
    [region, served.map((p) => p.from), served.map((p) => p.to), served.map((p) => p.ws), served.map((p) => p.lo)]);
  served.forEach((p, k) => {
    const mine = rows.filter((r) => r.i === k + 1);
    // The marker row (seek -2) says the region's rows could serve the period, even when it had no job seeker.
    if (!mine.some((r) => r.seek === -2)) return;
    out.set(`${p.from}:${p.to}`, {
      seekers: mine.reduce((s, r) => s + r.firsts, 0),
      seeking: mine.filter((r) => r.started > 0).map((r) => [Number(r.seek), r.started]),
      recentSeekers: mine.reduce((s, r) => s + r.recent, 0),
    });
  });
  return out;
}

/**
 * The distinct job seekers drill-down of a whole region (`analytics_drilldown`): per day of [from, to], how many job seekers
 * checked in for the first time in the period — each one's first check-in is an item — if the seen rows can serve the period.
 */
export async function seenFirstsByDay(em: EntityManager, region: string, from: string, to: string): Promise<{ day: string; n: number }[] | null> {
  if (addDays(from, SEEN_SPAN - 1) < to) return null;
  const [st] = await em.query('SELECT 1 FROM analytics_region_seen_state WHERE region_code = $1 AND NOT stale AND from_day <= $2 AND built_through >= $3', [region, from, to]);
  if (!st) return null;
  const rows: { day: string; n: number }[] = await em.query(
    `SELECT business_day AS day, sum(n)::int AS n FROM analytics_region_seen
     WHERE region_code = $1 AND business_day BETWEEN $2 AND $3 AND (gap = 0 OR gap > business_day - $2::date) GROUP BY 1 ORDER BY 1`, [region, from, to]);
  return rows;
}

/**
 * The job seekers of a region checking in on `day` for the first time since `from` — each with the market and sequence of
 * their first check-in that day (the lowest sequence, as the grouped query takes it): the seen rows' first check-ins of that
 * day. Read by the region's markets (`marketIds`, the scope's: the covering (market, day) index; the region's code alone
 * matched a province's every row, and the planner scanned the table): the day's seekers, less — on a later day of the
 * period — every seeker of the days before it in the period, by one hash over those days' rows instead of an index probe a
 * seeker (a province's mid-period page: ≈ 11,000 probes).
 */
export async function seenFirstsOn(em: EntityManager, region: string, marketIds: string[], from: string, day: string): Promise<{ market_id: string; day: string; seq: string }[]> {
  const ofDay = (d: string) => `SELECT worker_id, market_id, business_day, first_seq FROM analytics_subject_days
                 WHERE market_id = ANY($2::uuid[]) AND business_day = ${d} AND role = 'seeker' AND region_code LIKE $1 || '%'`;
  if (day === from) {
    return em.query(`SELECT DISTINCT ON (worker_id) market_id, business_day AS day, first_seq AS seq FROM (${ofDay('$3')}) s ORDER BY worker_id, first_seq`, [region, marketIds, day]);
  }
  // A province's days before `day` hold hundreds of thousands of seeker rows: the set difference is hashed in memory.
  await em.query(`SET LOCAL work_mem = '64MB'`);
  return em.query(
    `WITH s AS (${ofDay('$4')}),
     firsts AS (SELECT worker_id FROM s
                EXCEPT SELECT worker_id FROM analytics_subject_days
                       WHERE market_id = ANY($2::uuid[]) AND business_day >= $3 AND business_day < $4 AND role = 'seeker' AND region_code LIKE $1 || '%')
     SELECT DISTINCT ON (s.worker_id) s.market_id, s.business_day AS day, s.first_seq AS seq FROM s JOIN firsts USING (worker_id)
     ORDER BY s.worker_id, s.first_seq`, [region, marketIds, from, day]);
}

/**
 * After a rollup changed the job seekers or starters of `day` (in the rollup's transaction, after its region delta): every
 * level of the market's region whose seen rows read that day goes stale — rows cover [from_day, built_through], and a day
 * moves the previous check-in of the SEEN_SPAN days after it and the next start of the SEEN_SPAN days before it.
 */
export async function markSeenStale(em: EntityManager, day: string, levels: string[]): Promise<void> {
  for (const p of [...new Set(levels.map(provinceLock))].sort()) await em.query('SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))', [p]);
  await em.query(
    `UPDATE analytics_region_seen_state SET stale = true
     WHERE region_code = ANY($1::text[]) AND NOT stale AND built_through >= $2::date AND from_day - $3::int <= $2::date`,
    [levels, day, SEEN_SPAN]);
}

/** The regions whose seen rows the nightly catch-up rebuilds for a last day: stale, not built through it, or never built. */
export async function regionsToSee(em: EntityManager, lastDay: string): Promise<string[]> {
  const rows: { code: string }[] = await em.query(
    `SELECT c.code FROM (SELECT DISTINCT r.code FROM markets m CROSS JOIN LATERAL unnest(ARRAY[left(m.region_code, 2), left(m.region_code, 4), m.region_code]) AS r(code)
                         WHERE m.tenant_id IS NOT NULL) c
     LEFT JOIN analytics_region_seen_state s ON s.region_code = c.code
     WHERE s.region_code IS NULL OR s.stale OR s.built_through <> $1::date ORDER BY 1`, [lastDay]);
  return rows.map((r) => r.code);
}

/**
 * One region's seen rows from its subject rows, for the SEEN_SPAN days to `lastDay` (reading SEEN_SPAN days more for the
 * previous check-ins), in the caller's transaction, under the province's exclusive lock. Returns the rows written.
 */
export async function buildRegionSeen(em: EntityManager, region: string, lastDay: string): Promise<number> {
  const from = addDays(lastDay, -(SEEN_SPAN - 1));
  await em.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [provinceLock(region)]);
  // Another catch-up built it while this one waited for the lock: nothing to do.
  const [fresh] = await em.query('SELECT 1 FROM analytics_region_seen_state WHERE region_code = $1 AND NOT stale AND built_through = $2', [region, lastDay]);
  if (fresh) return 0;
  await em.query('DELETE FROM analytics_region_seen WHERE region_code = $1', [region]);
  const [res] = await em.query(
    `WITH ins AS (INSERT INTO analytics_region_seen (region_code, business_day, gap, seek, n)
     SELECT $1, d, CASE WHEN prev IS NULL OR d - prev >= $4 THEN 0 ELSE d - prev END, CASE WHEN ns IS NULL OR ns - d >= $4 THEN -1 ELSE ns - d END, count(*)::int
     FROM (
       SELECT d, seen,
         max(d) FILTER (WHERE seen) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev,
         min(d) FILTER (WHERE started) OVER (w ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS ns
       FROM (SELECT worker_id, business_day AS d, bool_or(role = 'seeker') AS seen, bool_or(role = 'starter') AS started
             FROM analytics_subject_days WHERE region_code LIKE $1 || '%' AND business_day BETWEEN $2::date - $4::int AND $3 GROUP BY 1, 2) x
       WINDOW w AS (PARTITION BY worker_id ORDER BY d)) y
     WHERE seen AND d >= $2 GROUP BY 2, 3, 4 RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [region, from, lastDay, SEEN_SPAN]);
  await em.query(
    `INSERT INTO analytics_region_seen_state (region_code, from_day, built_through, stale, built_at) VALUES ($1, $2, $3, false, now())
     ON CONFLICT (region_code) DO UPDATE SET from_day = EXCLUDED.from_day, built_through = EXCLUDED.built_through, stale = false, built_at = now()`,
    [region, from, lastDay]);
  return res.n;
}
