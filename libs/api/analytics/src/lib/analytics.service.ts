import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  KPI_CODES, SYSTEM_ACTOR, ageBandOf, breaksDown, computeKpi, drillSourceOf, histogramOf, industryOf, medianOf, metricsOfEntry, requireKpi,
  type Actor, type AnyDrilldownItem, type BreakdownQuery, type BreakdownResult, type DrilldownItem, type DrilldownQuery, type KpiInputs, type KpiQuery, type KpiResult, type Metric, type Page,
} from '@linggong/domain';
import { ProblemException, TenantDb, abilityOf, applyAccess, isoOf, newId, notFound } from '@linggong/api-core';
import { MarketDirectoryService } from '@linggong/api-markets';
import { RegistryDirectoryService } from '@linggong/api-registry';
import { StaffDirectoryService } from '@linggong/api-tenancy';
import { PostsService } from '@linggong/api-jobs';
import { RollupQueue } from './rollup.queue';
import { effectiveDemand, effectiveWindowStart } from './effective-demand';
import { dayItems, marketItems, staffItems } from './drilldown-days';
import { entryNames } from './drilldown-names';
import { breakdownOf } from './breakdown';
import { LedgerService } from '@linggong/api-ledger';
import { shanghaiDay } from '@linggong/ledger-chain';
import { CARRIED_LOOKBACK_DAYS, carriedDemand, reportGroups, reportSeekers, seekersOfSets, type ReportAggregates } from './report-aggregates';
import { aggregateRegionOf, applyRegionDelta, refreshRegionPeriods, regionLevels, regionSums, regionVectors, removeMarketDay, type RegionPeriod, type StoredVector } from './region-aggregates';
import { buildRegionSeen, markSeenStale, regionSeenOf, regionsToSee, seenFirstsByDay, seenFirstsOn, type RegionSeen } from './region-seen';
import { monthsToRefresh, refreshRegionMonth, regionMonthFacts, regionMonths } from './region-months';

export interface ScopeMarket { id: string; tenantId: string; regionCode: string; name: string }
/** What `inputs` reads about a scope's markets that does not depend on the period (each market's last seal, its staff as last rolled), shared by calls over the same markets. */
export interface ScopeReads {
  sealed?: Map<string, string | null>; staff?: Map<string, number>;
  /**
   * Regions' stored period rows read ahead (`region:from:to` → the vector, or null if none is fresh; a fresh row without a
   * vector yet in `periods`), so a call reads both of its periods (a ranking: every row's) in one statement.
   */
  vectors?: Map<string, StoredVector | null>;
  periods?: Map<string, RegionPeriod | null>;
  /**
   * The periods of one region a call computes (`analytics_kpis`: its period and the previous one): the day sums and the seen
   * rows of those without a stored vector are read for all of them at the first need, one statement each (`sums`, `seen`).
   */
  together?: { region: string; periods: { from: string; to: string }[] };
  sums?: Promise<Awaited<ReturnType<typeof regionSums>>>;
  seen?: Promise<Map<string, RegionSeen | null>>;
  /** Whether this transaction has already raised `work_mem` (only the paths that group rows need it). */
  workMem?: boolean;
}
interface FactRow { market_id: string; business_day: string; cohort_day: string; metric: Metric; occupation: string; industry: string; gender: string; age_band: string; bucket: number; employer_industry: string; work_period: string; tenant_id: string; region_code: string; n: number; value: number; seqs: number[]; vals: number[] | null }
interface SubjectRow { market_id: string; business_day: string; role: 'seeker' | 'starter'; worker_id: string; occupation: string; gender: string; age_band: string; tenant_id: string; region_code: string; first_seq: number }
/** One market's day folded into facts (stored when sealed, used live and provisional when not). */
export interface FoldedDay {
  sealed: boolean; late: boolean; entries: number; alerts: number; correctionSeq: number; staff: number;
  sealedAt: string | null; staffIds: string[];
  facts: FactRow[]; subjects: SubjectRow[];
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
/** Days rolled up at once by a range (catch-up, manual run, demo): within the pool, off the 2-core machine's critical path. */
const ROLLUP_LANES = 4;
const POST_KINDS = new Set(['post_published', 'post_closed', 'match', 'hire_confirmed', 'hire_started', 'settlement', 'no_show', 'cancellation']);
/**
 * The version of the fold (what `metricsOfEntry` makes of a day). A day rolled by an older version is
 * stale for the catch-up like a corrected one. 2: cohort days (settlements, non-payment, 1-3-1, closed posts).
 * 3: the monthly report's dimensions (issue 14): the post employer's industry and period of employment, a seeker's occupation.
 * 4: a seeker's gender and age band on the subject rows (distinct seekers by gender and age), `demand_open` (carried-over demand).
 * Not bumped for `platform_outcome` (issue 18 §3): a new kind adds metrics only for its own entries, and no day rolled before
 * the kind existed holds one, so every older fold stays what this one makes of it.
 */
export const FOLD_VERSION = 4;
/**
 * A period's KPI inputs as rows are added: sums per metric, and for `post_day_wage` the histogram of the whole and per
 * occupation (maps while rows are added — copying the histogram per row was quadratic: a province's vector has hundreds of
 * wage rows); `finish` sorts the histogram by bucket whatever order the rows came in and gives the median wage per occupation.
 */
function inputsAccumulator(markets: number) {
  const a: KpiInputs = { sums: {}, histograms: {}, openDays: 0, distinctSeekers: 0, openDemand: 0, recentSeekers: 0, seeking: [], daysWithEntries: 0, lateDays: 0, verificationFailures: 0, staff: 0, markets };
  const wage = new Map<string, Map<number, number>>();
  const histogram = new Map<number, number>();
  const add = (metric: Metric, value: number, n: number, bucket: number, occupation: string) => {
    a.sums[metric] = (a.sums[metric] ?? 0) + value;
    if (metric === 'post_day_wage') {
      histogram.set(bucket, (histogram.get(bucket) ?? 0) + n);
      const o = wage.get(occupation) ?? new Map<number, number>();
      o.set(bucket, (o.get(bucket) ?? 0) + n);
      wage.set(occupation, o);
    }
  };
  const finish = () => {
    const wageByOccupation = [...wage].filter(([o]) => o).map(([occupation, h]) => ({ occupation, value: medianOf([...h]), posts: [...h.values()].reduce((s, n) => s + n, 0) }))
      .map((w) => ({ ...w, value: w.value === null ? null : Math.round(w.value) })).sort((x, y) => y.posts - x.posts || x.occupation.localeCompare(y.occupation));
    if (histogram.size) a.histograms.post_day_wage = [...histogram].sort((x, y) => x[0] - y[0]);
    return { inputs: a, wageByOccupation };
  };
  return { a, add, finish };
}
const ids = (xs: unknown[]) => [...new Set(xs.filter((x): x is string => typeof x === 'string' && x.length > 0))];

/**
 * Figures from the sealed work log (issue 13 §2–3). The rollup folds a sealed day's entries (through
 * the ledger's read model, corrections applied) with the domain's `metricsOfEntry` into fact rows that
 * remember their entries; `kpis` and `drilldown` read those rows, and fold today's unsealed days live.
 */
@Injectable()
export class AnalyticsService {
  private readonly log = new Logger('Analytics');
  constructor(
    private readonly db: TenantDb, private readonly ledger: LedgerService, private readonly queue: RollupQueue,
    private readonly markets: MarketDirectoryService, private readonly registry: RegistryDirectoryService,
    private readonly staff: StaffDirectoryService, private readonly posts: PostsService,
  ) {}

  // ---------------------------------------------------------------- rollup

  /** Fold one market's day. Reads the ledger (its read model), workers' gender and birth year through the registry's directory, and `user_markets` for staff. */
  async foldDay(em: EntityManager, m: ScopeMarket, day: string, asPlatform = false): Promise<FoldedDay> {
    const d = await this.ledger.dayForRollup(em, m.id, day);
    const postIds = [...new Set(d.entries.filter((e) => POST_KINDS.has(e.kind) && typeof e.payload['postId'] === 'string').map((e) => String(e.payload['postId'])))];
    const complaintIds = [...new Set(d.entries.filter((e) => e.kind === 'complaint_step' && e.payload['step'] === 'notice').map((e) => String(e.subjectId)))];
    // Every entry about the day's subjects the fold needs, in one read (and one for their corrections): each post's submission,
    // each complaint's notices, and the cohorts — the day each settled or unpaid hire started, each completed plan opened,
    // each closed post was published.
    const [subs, noticeSteps, startedRows, openedRows, publishedRows] = await this.ledger.subjectEntriesOf(em, m.id, [
      { kinds: ['post_submitted'], subjectType: 'Post', subjectIds: postIds },
      { kinds: ['complaint_step'], subjectType: 'Complaint', subjectIds: complaintIds },
      { kinds: ['hire_started'], subjectType: 'Placement', subjectIds: ids(d.entries.filter((e) => e.kind === 'settlement' || e.kind === 'non_payment_report').map((e) => e.payload['placementId'])) },
      { kinds: ['assistance_plan'], subjectType: 'AssistancePlan', subjectIds: ids(d.entries.filter((e) => e.kind === 'assistance_plan' && e.payload['step'] === 'package_complete').map((e) => e.payload['planId'])) },
      { kinds: ['post_published'], subjectType: 'Post', subjectIds: ids(d.entries.filter((e) => e.kind === 'post_closed').map((e) => e.payload['postId'])) },
    ]);
    const posts = new Map(subs.map((e) => [String(e.subjectId), e.payload]));
    // Each post's expiry day: the bucket of its open-demand rows (the report's carried-over demand).
    const expiries = await this.posts.expiryDays(em, postIds);
    const notices = noticeSteps.filter((e) => e.payload['step'] === 'notice');
    const workerIds = [...new Set(d.entries.map((e) => e.payload['workerId']).filter((w): w is string => typeof w === 'string' && /^[0-9a-f-]{36}$/.test(w)))];
    const workers = await this.registry.demographics(em, workerIds);
    // The monthly report's dimensions (issue 14): each post's employer industry (GB/T 4754 section) through the registry.
    const industries = await this.registry.industries(em, ids([...posts.values()].map((p) => p['employerId'])));
    const postOf = (e: { payload: Record<string, unknown> }) => (typeof e.payload['postId'] === 'string' ? posts.get(e.payload['postId']) : undefined);
    // Cohorts: each subject's first such entry (the earliest by seq wins).
    const firstDays = (rows: typeof subs) => new Map([...rows].reverse().map((e) => [String(e.subjectId), String(e.businessDay)]));
    const started = firstDays(startedRows);
    const opened = firstDays(openedRows);
    const published = firstDays(publishedRows);
    // Read as the platform: a live fold for an authority must count the same staff as the rollup does
    // (authorities cannot read assignments, and the figure must not depend on who asks).
    // (`asPlatform`: the caller's transaction already is the platform's — the rollup — so no second one.)
    const staffSql = 'SELECT COALESCE(array_agg(DISTINCT user_id ORDER BY user_id), \'{}\') AS staff_ids FROM user_markets WHERE market_id = $1';
    const [{ staff_ids }] = asPlatform ? await em.query(staffSql, [m.id]) : await this.db.run(SYSTEM_ACTOR, (sys) => sys.query(staffSql, [m.id]));
    const staffIds = (staff_ids as string[]).map(String);
    const facts = new Map<string, FactRow>();
    const subjects = new Map<string, SubjectRow>();
    for (const e of d.entries) {
      const hits = metricsOfEntry(e, {
        postSubmission: (id) => posts.get(id) as ReturnType<Parameters<typeof metricsOfEntry>[1]['postSubmission']>,
        hadEarlierNotice: (c, seq) => notices.some((n) => n.subjectId === c && n.seq < seq),
        cohortDay: (of, id) => (of === 'placement' ? started : of === 'plan' ? opened : published).get(id),
        postExpiryDay: (id) => expiries.get(id),
      });
      if (!hits.length) continue;
      const workerId = typeof e.payload['workerId'] === 'string' ? e.payload['workerId'] : null;
      const w = workerId ? workers.get(workerId) : undefined;
      const post = postOf(e);
      const employerIndustry = (typeof post?.['employerId'] === 'string' && industries.get(post['employerId'])) || '';
      const workPeriod = typeof post?.['period'] === 'string' ? post['period'] : '';
      for (const h of hits) {
        const occupation = h.occupation ?? '';
        const row: Omit<FactRow, 'n' | 'value' | 'seqs' | 'vals'> = {
          market_id: m.id, business_day: day, cohort_day: h.cohortDay ?? day, metric: h.metric, occupation, industry: industryOf(occupation) ?? '',
          gender: w?.gender ?? '', age_band: ageBandOf(w?.birthYear, day) ?? '', bucket: h.bucket ?? 0, tenant_id: m.tenantId, region_code: m.regionCode,
          employer_industry: employerIndustry, work_period: workPeriod,
        };
        const key = [row.metric, row.occupation, row.industry, row.gender, row.age_band, row.bucket, row.cohort_day, row.employer_industry, row.work_period].join('\u0001');
        const f = facts.get(key) ?? { ...row, n: 0, value: 0, seqs: [], vals: null };
        f.n += 1;
        f.value += h.value;
        f.seqs.push(e.seq);
        // Values per entry only once one differs from 1 (the earlier ones were 1); appended in place, not copied per entry.
        if (f.vals) f.vals.push(h.value);
        else if (h.value !== 1) f.vals = [...f.seqs.slice(0, -1).map(() => 1), h.value];
        facts.set(key, f);
        const role = h.metric === 'check_ins' ? 'seeker' : h.metric === 'hires_started' ? 'starter' : null;
        if (role && workerId && !subjects.has(`${role}:${workerId}`)) {
          subjects.set(`${role}:${workerId}`, { market_id: m.id, business_day: day, role, worker_id: workerId, occupation: w?.occupations?.[0] ?? '', gender: w?.gender ?? '', age_band: ageBandOf(w?.birthYear, day) ?? '', tenant_id: m.tenantId, region_code: m.regionCode, first_seq: e.seq });
        }
      }
    }
    return {
      sealed: d.sealed, late: d.late, entries: d.entries.length, alerts: d.alerts, correctionSeq: d.correctionSeq, staff: staffIds.length, staffIds,
      sealedAt: d.sealedAt ?? null, facts: [...facts.values()], subjects: [...subjects.values()],
    };
  }

  /**
   * Roll up one sealed day of one market: delete its rows and insert the fresh fold in one transaction
   * (idempotent by market and day; a day rolled twice gives the same rows). An unsealed day is left alone.
   */
  rollupDay(marketId: string, day: string): Promise<boolean> {
    return this.db.run(SYSTEM_ACTOR, async (em) => {
      const scope = await this.markets.scopeOf(em, marketId);
      if (!scope?.tenantId) return false;
      const m: ScopeMarket = { id: scope.id, tenantId: scope.tenantId, regionCode: scope.regionCode, name: scope.name };
      // Two rollups of the same day (a seal and a correction at once) take turns.
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`analytics:${marketId}:${day}`]);
      const f = await this.foldDay(em, m, day, true);
      if (!f.sealed) return false;
      // The day's rows out (what the region delta subtracts, and the job seekers as they were), the fresh fold in: two statements.
      const gone = await removeMarketDay(em, marketId, day);
      const was = new Set(gone.subjects.map((x) => `${x.role}:${x.worker_id}`));
      const seekersChanged = was.size !== f.subjects.length || f.subjects.some((x) => !was.has(`${x.role}:${x.worker_id}`));
      await em.query(
        `WITH facts AS (
           INSERT INTO analytics_facts (market_id, business_day, cohort_day, metric, occupation, industry, gender, age_band, bucket, tenant_id, region_code, n, value, seqs, vals, employer_industry, work_period)
           SELECT market_id, business_day, cohort_day, metric, occupation, industry, gender, age_band, bucket, tenant_id, region_code, n, value, seqs, vals, employer_industry, work_period
           FROM jsonb_to_recordset($1::jsonb) AS x(market_id uuid, business_day date, cohort_day date, metric text, occupation text, industry text, gender text, age_band text,
             bucket bigint, tenant_id uuid, region_code text, n int, value bigint, seqs bigint[], vals bigint[], employer_industry text, work_period text)
         ), subjects AS (
           INSERT INTO analytics_subject_days (market_id, business_day, role, worker_id, tenant_id, region_code, first_seq, occupation, gender, age_band)
           SELECT market_id, business_day, role, worker_id, tenant_id, region_code, first_seq, occupation, gender, age_band
           FROM jsonb_to_recordset($2::jsonb) AS x(market_id uuid, business_day date, role text, worker_id uuid, tenant_id uuid, region_code text, first_seq bigint,
             occupation text, gender text, age_band text)
         )
         INSERT INTO analytics_days (market_id, business_day, tenant_id, region_code, entries, late, verification_failures, staff, correction_seq, sealed_at, staff_ids, fold_version)
         VALUES ($3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::uuid[], $14)`,
        [JSON.stringify(f.facts), JSON.stringify(f.subjects), marketId, day, m.tenantId, m.regionCode, f.entries, f.late, f.alerts, f.staff, f.correctionSeq, f.sealedAt, f.staffIds, FOLD_VERSION]);
      // Last, so the shared region rows (every market of the province rolls into them) stay locked only until the commit:
      // the regions' day rows follow the facts as a delta, and the stored periods and month that read the day go stale if it changed.
      await applyRegionDelta(em, day, m.regionCode, gone.old, f.facts, { entries: f.entries, late: f.late, alerts: f.alerts }, seekersChanged);
      if (seekersChanged) await markSeenStale(em, day, [...new Set([...regionLevels(m.regionCode), ...gone.old.flatMap((o) => regionLevels(o.region_code))])]);
      return true;
    });
  }

  /**
   * Roll up every sealed day in a range (a manual re-run: all of them; the catch-up: only days never
   * rolled or changed since by a correction or a verification alert). Reports progress as it goes.
   */
  async rollupRange(opts: { marketIds: string[] | null; from: string; to: string; onlyStale: boolean }, progress?: (done: number, total: number) => Promise<void>): Promise<{ days: number; rolled: number }> {
    const todo = await this.db.run(SYSTEM_ACTOR, async (em) => {
      const versions = await this.ledger.sealedDayVersions(em, opts.marketIds, opts.from, opts.to);
      if (!opts.onlyStale) return versions;
      const rolled: { market_id: string; day: string; correction_seq: string; verification_failures: number; fold_version: number; entries: number }[] = await em.query(
        `SELECT market_id, business_day AS day, correction_seq, verification_failures, fold_version, entries FROM analytics_days
         WHERE business_day BETWEEN $1 AND $2 AND ($3::uuid[] IS NULL OR market_id = ANY($3::uuid[]))`, [opts.from, opts.to, opts.marketIds]);
      const have = new Map(rolled.map((r) => [`${r.market_id}:${r.day}`, r]));
      return versions.filter((v) => {
        const r = have.get(`${v.marketId}:${v.businessDay}`);
        // A supplementary seal of the day (issue 17 §1) changes how many entries its seals cover: re-roll it.
        return !r || Number(r.correction_seq) !== v.correctionSeq || r.verification_failures !== v.alerts || r.fold_version !== FOLD_VERSION
          || r.entries !== v.entries;
      });
    });
    // A few days at a time: each is its own short transaction, and the database works while Node folds.
    let rolled = 0;
    let done = 0;
    let next = 0;
    const lane = async () => {
      while (next < todo.length) {
        const v = todo[next++];
        if (await this.rollupDay(v.marketId, v.businessDay)) rolled++;
        done++;
        if (progress && (done % 25 === 0 || done === todo.length)) await progress(done, todo.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(ROLLUP_LANES, todo.length) }, lane));
    return { days: todo.length, rolled };
  }

  // ---------------------------------------------------------------- reading

  /** The markets of a scope the actor may read figures of (an operator may be narrowed to a region); 404 for a market, operator or region it cannot see. Also the ranking's and the flags'. */
  async scopeMarkets(em: EntityManager, actor: Actor, q: { marketId?: string; operatorId?: string; regionCode?: string }): Promise<ScopeMarket[]> {
    if (q.marketId && (q.operatorId || q.regionCode)) {
      throw new ProblemException(422, 'validation_failed', [{ field: 'marketId', key: 'analytics_scope_conflict' }]);
    }
    const qb = em.createQueryBuilder().select(['m.id AS id', 'm.tenant_id AS "tenantId"', 'm.region_code AS "regionCode"', 'm.name AS name'])
      .from('markets', 'm').where('m.tenant_id IS NOT NULL');
    if (!applyAccess(qb, actor, 'read', 'Analytics', { tenantId: 'm.tenant_id', regionCode: 'm.region_code', marketId: 'm.id' })) throw new ProblemException(403, 'forbidden');
    if (q.marketId) qb.andWhere('m.id = :mid', { mid: q.marketId });
    if (q.operatorId) qb.andWhere('m.tenant_id = :op', { op: q.operatorId });
    if (q.regionCode) {
      // An authority asking about a region outside its own sees nothing there: not found, as for a market.
      const own = actor.regionPrefix ?? '';
      if (actor.orgKind !== 'platform' && actor.orgKind !== 'operator' && !q.regionCode.startsWith(own)) throw notFound();
      qb.andWhere('m.region_code LIKE :rc', { rc: `${q.regionCode}%` });
    }
    const rows: ScopeMarket[] = await qb.orderBy('m.id').getRawMany();
    if ((q.marketId || q.operatorId) && !rows.length) throw notFound();
    return rows;
  }

  /** Unsealed days of the period (after each market's last seal) with entries, and today: folded live, provisional. */
  private async liveDays(em: EntityManager, markets: ScopeMarket[], from: string, to: string, reads?: ScopeReads): Promise<{ market: ScopeMarket; day: string; f: FoldedDay }[]> {
    const today = shanghaiDay(new Date());
    const sealed = reads?.sealed ?? await this.ledger.sealedThrough(em, markets.map((m) => m.id));
    if (reads) reads.sealed = sealed;
    const out: { market: ScopeMarket; day: string; f: FoldedDay }[] = [];
    // Each market's days after its last seal (entries recorded after a close go to the next open day, which may
    // be after today: those too); which of them have entries, for every market in one statement.
    const firstOpen = new Map(markets.map((m) => { const s = sealed.get(m.id); return [m.id, s && s >= from ? addDays(s, 1) : from]; }));
    const unsealed = await this.ledger.unsealedDaysWithEntriesOf(em, markets.map((m) => ({ marketId: m.id, from: firstOpen.get(m.id) ?? from, to })));
    for (const m of markets) {
      let d = firstOpen.get(m.id) ?? from;
      const last = to;
      if (d > last) continue;
      const withEntries = new Set(unsealed.get(m.id) ?? []);
      for (; d <= last; d = addDays(d, 1)) {
        if (withEntries.has(d)) out.push({ market: m, day: d, f: await this.foldDay(em, m, d) });
        else if (d === today) out.push({ market: m, day: d, f: { sealed: false, late: false, entries: 0, alerts: 0, correctionSeq: 0, staff: 0, staffIds: [], sealedAt: null, facts: [], subjects: [] } });
      }
    }
    return out;
  }

  /** Staff is the current assignment (R-A5), as of each market's latest rolled-up day (authorities cannot read assignments live): one index probe a market. */
  private async staffOf(em: EntityManager, ids: string[]): Promise<Map<string, number>> {
    const rows: { market_id: string; staff: number | null }[] = ids.length ? await em.query(
      `SELECT m AS market_id, (SELECT staff FROM analytics_days d WHERE d.market_id = m ORDER BY business_day DESC LIMIT 1) AS staff
       FROM unnest($1::uuid[]) AS m`, [ids]) : [];
    return new Map(rows.filter((r) => r.staff !== null).map((r) => [r.market_id, Number(r.staff)]));
  }

  /**
   * What `inputs` reads about markets whatever the period, read once for all of them (a ranking's rows share it): each
   * market's last seal and staff, and the regions' stored vectors for the period and the previous one.
   */
  async scopeReads(em: EntityManager, markets: ScopeMarket[], regions: string[], periods: [string, string][]): Promise<ScopeReads> {
    const ids = markets.map((m) => m.id);
    return {
      sealed: await this.ledger.sealedThrough(em, ids), staff: await this.staffOf(em, ids),
      ...(regions.length ? await regionVectors(em, regions, periods) : {}),
    };
  }

  /**
   * A period's aggregates for a set of markets: rollups for sealed days, live folds for the rest. Also each
   * ranking row's. With `region` (the markets are all of that region's: `aggregateRegionOf`), the sums and
   * day counts come from the region's day rows, and the job seekers from its standard period if fresh.
   */
  async inputs(em: EntityManager, markets: ScopeMarket[], from: string, to: string, region: string | null = null, reads?: ScopeReads) {
    // Markets that are not a whole region: the rows of the markets themselves (the grouped path, one group).
    if (!region) return (await this.groupInputs(em, [{ key: '', markets }], from, to, reads)).get('')!;
    const ids = markets.map((m) => m.id);
    // Live folds once for the period and the effective 求人倍率's window (both end on `to`).
    const ws = effectiveWindowStart(to);
    const liveAll = await this.liveDays(em, markets, ws < from ? ws : from, to, reads);
    const live = liveAll.filter((l) => l.day >= from);
    const acc = inputsAccumulator(markets.length);
    const { a, add } = acc;
    // A standard period of a whole region with nothing unsealed in it (nor in the effective window): the stored
    // vector, refreshed nightly and stale as soon as a rollup changes one of its days. Staff and markets are current.
    // The stored row (vector, or job seekers alone) as read ahead, else read when first needed: at most one statement, none
    // when unsealed days leave neither of its parts usable.
    const key = `${region}:${from}:${to}`;
    let stored: Awaited<ReturnType<typeof regionVectors>> | undefined;
    const storedRow = async () => (stored ??= reads?.vectors?.has(key) && reads.periods ? { vectors: reads.vectors, periods: reads.periods } : await regionVectors(em, [region], [[from, to]]));
    const vector = !liveAll.length ? (await storedRow()).vectors.get(key) ?? null : null;
    // A region's distinct job seekers group hundreds of thousands of subject rows by worker: in memory, not an external merge sort
    // on disk at the default 4 MB (tools/bench analytics: 1.1 s → 0.4 s). Only where rows are grouped: not for a stored vector.
    // 256 MB (a hash aggregate may use twice that): each worker with start days keeps an array of them, and a province's
    // 45-day custom period spilled at 64 MB (Hebei, 190 markets, 537 k subject rows: 1.4–1.6 s → 0.9 s as the owner at load 11; the
    // whole call 1.8–2.4 s → 1.4–1.8 s at load 17–20).
    if (!vector && !reads?.workMem) {
      await em.query(`SET LOCAL work_mem = '256MB'`);
      if (reads) reads.workMem = true;
    }
    if (vector) {
      for (const [metric, occupation, bucket, n, value] of vector.facts) add(metric, Number(value), Number(n), Number(bucket), occupation);
      a.openDays = Number(vector.openDays);
      a.daysWithEntries = Number(vector.daysWithEntries);
      a.lateDays = Number(vector.lateDays);
      a.verificationFailures = Number(vector.verificationFailures);
      a.distinctSeekers = vector.seekers;
      a.seeking = vector.seeking;
      a.openDemand = Number(vector.openDemand);
      a.recentSeekers = Number(vector.recentSeekers);
    } else {
      const r = (await this.readTogether(em, region, from, to, reads, 'sums')).get(`${from}:${to}`)!;
      for (const x of r.facts) add(x.metric, x.value, x.n, x.bucket, x.occupation);
      a.openDays = r.openDays;
      a.daysWithEntries = r.daysWithEntries;
      a.lateDays = r.lateDays;
      a.verificationFailures = r.verificationFailures;
    }
    // Staff is the current assignment (R-A5), as of the market's latest rolled-up day (authorities cannot read assignments live):
    // one index probe a market, not every day row of the scope.
    if (!reads?.staff) {
      const rolled = await this.staffOf(em, ids);
      if (reads) reads.staff = rolled;
      else reads = { staff: rolled };
    }
    // These markets' (the reads may be a ranking's, for every row's markets).
    const staffOf = new Map(ids.filter((id) => reads.staff!.has(id)).map((id) => [id, reads.staff!.get(id)!]));
    for (const l of live) {
      for (const f of l.f.facts) if (f.cohort_day >= from) add(f.metric, f.value, f.n, f.bucket, f.occupation);
      if (l.f.facts.some((f) => f.metric === 'check_ins')) a.openDays++;
      if (!staffOf.has(l.market.id) && l.f.staff) staffOf.set(l.market.id, l.f.staff);
    }
    a.staff = [...staffOf.values()].reduce((s, n) => s + n, 0);
    const liveSubjects = live.flatMap((l) => l.f.subjects.map((s) => ({ worker_id: s.worker_id, business_day: s.business_day, role: s.role })));
    // Distinct job seekers cannot be summed: a standard period's stored count if fresh (and no live subjects to add), else from the subject rows.
    const period = !vector && !liveSubjects.length ? (await storedRow()).periods.get(key) ?? null : null;
    let recentSeekers: number | undefined;
    // Any other period of a whole region with nothing unsealed in it nor in the window: from the region's seen rows, if built and
    // fresh (also the effective 求人倍率's recent job seekers of a standard period whose vector is stale).
    const seen = !vector && !liveAll.length ? (await this.readTogether(em, region, from, to, reads, 'seen')).get(`${from}:${to}`) ?? null : null;
    if (seen) recentSeekers = seen.recentSeekers;
    if (vector) {
      // Counted above.
    } else if (period) {
      a.distinctSeekers = period.seekers;
      a.seeking = period.seeking;
    } else if (seen) {
      a.distinctSeekers = seen.seekers;
      a.seeking = seen.seeking;
    } else {
      // The period's job seekers and job-seeking days, and (unless a stored vector gave them) the effective 求人倍率's recent
      // job seekers, in one pass over the subject rows of both ranges (the window may start before the period).
      const lo = ws < from ? ws : from;
      const liveAllSubjects = liveAll.flatMap((l) => l.f.subjects.map((s) => ({ worker_id: s.worker_id, business_day: s.business_day, role: s.role })));
      const [seek] = await em.query(
        `WITH s AS (
           SELECT worker_id, business_day, role FROM analytics_subject_days WHERE market_id = ANY($1::uuid[]) AND business_day BETWEEN $5 AND $3
           UNION ALL SELECT worker_id, business_day, role FROM jsonb_to_recordset($4::jsonb) AS x(worker_id uuid, business_day date, role text)
         ),
         -- One pass per worker (a join of the CTE with itself is planned as a nested loop on a large scope).
         w AS (SELECT min(business_day) FILTER (WHERE role = 'seeker' AND business_day >= $2) AS d, array_agg(business_day) FILTER (WHERE role = 'starter' AND business_day >= $2) AS starts,
                      bool_or(role = 'seeker' AND business_day >= $6) AS recent
               FROM s GROUP BY worker_id),
         f AS (SELECT d, (SELECT min(x) FROM unnest(starts) AS x WHERE x >= d) AS sd FROM w WHERE d IS NOT NULL)
         SELECT (SELECT count(*) FROM f)::int AS seekers, (SELECT COALESCE(array_agg(sd - d) FILTER (WHERE sd IS NOT NULL), '{}') FROM f) AS seeking,
                (SELECT count(*) FROM w WHERE recent)::int AS recent`,
        [ids, from, to, JSON.stringify(liveAllSubjects), lo, ws]);
      a.distinctSeekers = seek.seekers;
      a.seeking = histogramOf((seek.seeking as number[]).map(Number));
      recentSeekers = seek.recent;
    }
    // Otherwise the effective 求人倍率: the demand from the region's day rows, the recent job seekers counted above or from the
    // subject rows of its own 30-day window (a distinct count).
    if (!vector) Object.assign(a, await effectiveDemand(em, ids, to, liveAll, region, recentSeekers));
    const provisional = live.length > 0;
    const { wageByOccupation } = acc.finish();
    return { inputs: a, provisional, wageByOccupation, aggregates: { days: region !== null, seekers: vector !== null || period !== null || seen !== null, vector: vector !== null } };
  }

  /**
   * The region's day sums or seen rows for the period: with the call's other periods that have no stored vector if it reads
   * several together (`ScopeReads.together`; the first need reads them all), else for this period alone.
   */
  private readTogether(em: EntityManager, region: string, from: string, to: string, reads: ScopeReads | undefined, what: 'sums'): ReturnType<typeof regionSums>;
  private readTogether(em: EntityManager, region: string, from: string, to: string, reads: ScopeReads | undefined, what: 'seen'): Promise<Map<string, RegionSeen | null>>;
  private readTogether(em: EntityManager, region: string, from: string, to: string, reads: ScopeReads | undefined, what: 'sums' | 'seen') {
    const t = reads?.together;
    const mine = t && t.region === region && t.periods.some((p) => p.from === from && p.to === to)
      ? t.periods.filter((p) => (p.from === from && p.to === to) || !reads.vectors?.get(`${region}:${p.from}:${p.to}`))
      : [{ from, to }];
    const read = () => what === 'sums'
      ? regionSums(em, region, mine.map((p) => [p.from, p.to]))
      : regionSeenOf(em, region, mine.map((p) => ({ ...p, ws: effectiveWindowStart(p.to) })));
    if (mine.length === 1 || !reads) return read();
    return (reads[what] ??= read() as never);
  }

  /**
   * `inputs` over the markets' own rows for several groups of markets at once (each market in one group): the ranking's
   * market and operator rows, and `inputs` for a scope that is not a whole region (one group). Each statement runs once
   * for every group — sums, open days and day counts per market (they add up), job seekers and the effective 求人倍率's
   * recent seekers per group (distinct counts do not add) — instead of once a row: a county's markets ranked in one round
   * of statements. Figures equal `inputs` for each group's markets alone.
   */
  async groupInputs(em: EntityManager, groups: { key: string; markets: ScopeMarket[] }[], from: string, to: string, reads: ScopeReads = {}) {
    const all = groups.flatMap((g) => g.markets);
    const ids = all.map((m) => m.id);
    const keyOf = new Map(groups.flatMap((g) => g.markets.map((m) => [m.id, g.key] as const)));
    const keys = ids.map((id) => keyOf.get(id) ?? '');
    const ws = effectiveWindowStart(to);
    const liveAll = await this.liveDays(em, all, ws < from ? ws : from, to, reads);
    const live = liveAll.filter((l) => l.day >= from);
    if (!reads.workMem) {
      await em.query(`SET LOCAL work_mem = '64MB'`);
      reads.workMem = true;
    }
    const acc = new Map(groups.map((g) => [g.key, inputsAccumulator(g.markets.length)]));
    const of = (marketId: string) => acc.get(keyOf.get(marketId) ?? '')!;
    // The sums per group, by the same grouping as one scope's (metric, bucket, occupation).
    const rows: { key: string; metric: Metric; bucket: string; occupation: string; n: number; value: string }[] = ids.length ? await em.query(
      `SELECT g.key, f.metric, f.bucket, f.occupation, sum(f.n)::int AS n, sum(f.value) AS value
       FROM analytics_facts f JOIN unnest($1::uuid[], $4::text[]) AS g(market_id, key) ON g.market_id = f.market_id
       WHERE f.market_id = ANY($1::uuid[]) AND f.business_day BETWEEN $2 AND $3 AND f.cohort_day >= $2 GROUP BY 1, 2, 3, 4`, [ids, from, to, keys]) : [];
    for (const r of rows) acc.get(r.key)!.add(r.metric, Number(r.value), r.n, Number(r.bucket), r.occupation);
    // Per market (these add up across a group's markets): open days, days with entries, late days, failures, demand of the effective window.
    const perMarket: { market_id: string; open: number; with_entries: number; late: number; failures: number; demand: string }[] = ids.length ? await em.query(
      `SELECT m AS market_id,
         (SELECT count(DISTINCT business_day) FROM analytics_facts f WHERE f.market_id = m AND f.metric = 'check_ins' AND f.n > 0 AND f.business_day BETWEEN $2 AND $3)::int AS open,
         d.with_entries, d.late, d.failures,
         (SELECT COALESCE(sum(value), 0) FROM analytics_facts f WHERE f.market_id = m AND f.metric IN ('headcount_demanded', 'demand_closed')
            AND f.business_day BETWEEN $4 AND $3 AND f.cohort_day >= $4)::bigint AS demand
       FROM unnest($1::uuid[]) AS m CROSS JOIN LATERAL (
         SELECT count(*) FILTER (WHERE entries > 0)::int AS with_entries, count(*) FILTER (WHERE entries > 0 AND late)::int AS late,
                COALESCE(sum(verification_failures), 0)::int AS failures
         FROM analytics_days d WHERE d.market_id = m AND d.business_day BETWEEN $2 AND $3) d`, [ids, from, to, ws]) : [];
    const demand = new Map<string, number>();
    for (const r of perMarket) {
      const a = of(r.market_id).a;
      a.openDays += r.open;
      a.daysWithEntries += r.with_entries;
      a.lateDays += r.late;
      a.verificationFailures += r.failures;
      const k = keyOf.get(r.market_id) ?? '';
      demand.set(k, (demand.get(k) ?? 0) + Number(r.demand));
    }
    // Staff: each market's current assignment as of its latest rolled-up day (read once per call), else its first live day's.
    if (!reads.staff) reads.staff = await this.staffOf(em, ids);
    const staffOf = new Map([...reads.staff].filter(([id]) => keyOf.has(id)));
    for (const l of live) {
      const x = of(l.market.id);
      for (const f of l.f.facts) if (f.cohort_day >= from) x.add(f.metric, f.value, f.n, f.bucket, f.occupation);
      if (l.f.facts.some((f) => f.metric === 'check_ins')) x.a.openDays++;
      if (!staffOf.has(l.market.id) && l.f.staff) staffOf.set(l.market.id, l.f.staff);
    }
    for (const [id, n] of staffOf) of(id).a.staff += n;
    // Distinct job seekers and job-seeking days per group (stored and live subject rows), and the effective window's recent seekers.
    const liveSubjects = live.flatMap((l) => l.f.subjects.map((s) => ({ key: keyOf.get(l.market.id) ?? '', worker_id: s.worker_id, business_day: s.business_day, role: s.role })));
    const seek: { key: string; seekers: number; seeking: number[] }[] = ids.length ? await em.query(
      `WITH s AS (
         SELECT g.key, s.worker_id, s.business_day, s.role FROM analytics_subject_days s JOIN unnest($1::uuid[], $5::text[]) AS g(market_id, key) ON g.market_id = s.market_id
         WHERE s.market_id = ANY($1::uuid[]) AND s.business_day BETWEEN $2 AND $3
         UNION ALL SELECT key, worker_id, business_day, role FROM jsonb_to_recordset($4::jsonb) AS x(key text, worker_id uuid, business_day date, role text)
       ),
       w AS (SELECT key, min(business_day) FILTER (WHERE role = 'seeker') AS d, array_agg(business_day) FILTER (WHERE role = 'starter') AS starts FROM s GROUP BY key, worker_id),
       f AS (SELECT key, d, (SELECT min(x) FROM unnest(starts) AS x WHERE x >= d) AS sd FROM w WHERE d IS NOT NULL)
       SELECT key, count(*)::int AS seekers, COALESCE(array_agg(sd - d) FILTER (WHERE sd IS NOT NULL), '{}') AS seeking FROM f GROUP BY key`,
      [ids, from, to, JSON.stringify(liveSubjects), keys]) : [];
    for (const r of seek) {
      const a = acc.get(r.key)!.a;
      a.distinctSeekers = r.seekers;
      a.seeking = histogramOf((r.seeking as number[]).map(Number));
    }
    const inWindow = liveAll.filter((l) => l.day >= ws && l.day <= to);
    for (const l of inWindow) {
      const k = keyOf.get(l.market.id) ?? '';
      const v = l.f.facts.filter((f) => (f.metric === 'headcount_demanded' || f.metric === 'demand_closed') && f.cohort_day >= ws).reduce((t, f) => t + f.value, 0);
      demand.set(k, (demand.get(k) ?? 0) + v);
    }
    const liveSeekers = inWindow.flatMap((l) => l.f.subjects.filter((s) => s.role === 'seeker').map((s) => ({ key: keyOf.get(l.market.id) ?? '', worker_id: s.worker_id })));
    const recent: { key: string; n: number }[] = ids.length ? await em.query(
      `SELECT key, count(*)::int AS n FROM (
         SELECT DISTINCT key, worker_id FROM (
           SELECT g.key, s.worker_id FROM analytics_subject_days s JOIN unnest($1::uuid[], $5::text[]) AS g(market_id, key) ON g.market_id = s.market_id
           WHERE s.role = 'seeker' AND s.market_id = ANY($1::uuid[]) AND s.business_day BETWEEN $2 AND $3
           UNION ALL SELECT key, worker_id FROM jsonb_to_recordset($4::jsonb) AS x(key text, worker_id uuid)) u) w GROUP BY key`,
      [ids, ws, to, JSON.stringify(liveSeekers), keys]) : [];
    const recentOf = new Map(recent.map((r) => [r.key, r.n]));
    const provisionalOf = new Set(live.map((l) => keyOf.get(l.market.id) ?? ''));
    return new Map(groups.map((g) => {
      const x = acc.get(g.key)!;
      x.a.openDemand = demand.get(g.key) ?? 0;
      x.a.recentSeekers = recentOf.get(g.key) ?? 0;
      const { inputs, wageByOccupation } = x.finish();
      return [g.key, { inputs, provisional: provisionalOf.has(g.key), wageByOccupation, aggregates: { days: false, seekers: false, vector: false } }];
    }));
  }

  /**
   * The directory's computed fields (名录, R-E1; issue 14 §1) per market for a period, from the rolled-up sealed
   * days only (a frozen directory version never folds live days): distinct job seekers (workers who checked in),
   * hires started by occupation (the post's; cohort rule as the KPIs) and open days (days with a check-in). The
   * domain's `directoryFigures` turns them into job-seeker scale, main occupations and daily average hires.
   * In the caller's transaction: RLS applies (the directory freezes as the province or the platform).
   */
  async directoryFigures(em: EntityManager, marketIds: string[], from: string, to: string): Promise<Map<string, { seekers: number; hires: number; openDays: number; byOccupation: { occupation: string; hires: number }[] }>> {
    const out = new Map(marketIds.map((id) => [id, { seekers: 0, hires: 0, openDays: 0, byOccupation: [] as { occupation: string; hires: number }[] }]));
    if (!marketIds.length) return out;
    const hires: { market_id: string; occupation: string; n: number }[] = await em.query(
      `SELECT market_id, occupation, sum(value)::int AS n FROM analytics_facts
       WHERE market_id = ANY($1::uuid[]) AND business_day BETWEEN $2 AND $3 AND cohort_day >= $2 AND metric = 'hires_started' GROUP BY 1, 2`, [marketIds, from, to]);
    for (const h of hires) {
      const f = out.get(h.market_id);
      if (!f) continue;
      f.hires += h.n;
      f.byOccupation.push({ occupation: h.occupation, hires: h.n });
    }
    const open: { market_id: string; n: number }[] = await em.query(
      `SELECT market_id, count(DISTINCT business_day)::int AS n FROM analytics_facts
       WHERE market_id = ANY($1::uuid[]) AND business_day BETWEEN $2 AND $3 AND metric = 'check_ins' AND n > 0 GROUP BY 1`, [marketIds, from, to]);
    for (const o of open) { const f = out.get(o.market_id); if (f) f.openDays = o.n; }
    const seekers: { market_id: string; n: number }[] = await em.query(
      `SELECT market_id, count(DISTINCT worker_id)::int AS n FROM analytics_subject_days
       WHERE market_id = ANY($1::uuid[]) AND business_day BETWEEN $2 AND $3 AND role = 'seeker' GROUP BY 1`, [marketIds, from, to]);
    for (const x of seekers) { const f = out.get(x.market_id); if (f) f.seekers = x.n; }
    return out;
  }

  /** `analytics_kpis`: the figures of a scope for a period, beside the previous period of the same length. */
  kpis(actor: Actor, q: KpiQuery): Promise<KpiResult> {
    return this.db.run(actor, async (em) => {
      const markets = await this.scopeMarkets(em, actor, q);
      const region = aggregateRegionOf(actor, q);
      const len = daysBetween(q.from, q.to) + 1;
      const previousTo = addDays(q.from, -1);
      const previousFrom = addDays(previousTo, -(len - 1));
      // Each market's last seal and current staff do not depend on the period: read once for both.
      const reads: ScopeReads = {};
      // A whole region: both periods' stored vectors in one statement (standard periods; null for others, computed from the rows).
      if (region) {
        Object.assign(reads, await regionVectors(em, [region], [[q.from, q.to], [previousFrom, previousTo]]));
        reads.together = { region, periods: [{ from: q.from, to: q.to }, { from: previousFrom, to: previousTo }] };
      }
      const cur = await this.inputs(em, markets, q.from, q.to, region, reads);
      const prev = await this.inputs(em, markets, previousFrom, previousTo, region, reads);
      const codes = q.kpis ?? [...KPI_CODES];
      const figures = codes.map((code) => {
        const k = requireKpi(code);
        return { code, value: computeKpi(k, cur.inputs), previous: computeKpi(k, prev.inputs), unit: k.unit, direction: k.direction, provisional: cur.provisional };
      });
      return {
        from: q.from, to: q.to, previousFrom, previousTo, markets: markets.length, figures, aggregates: cur.aggregates,
        ...(codes.includes('median_day_wage') ? { wageByOccupation: cur.wageByOccupation } : {}),
      };
    });
  }

  /**
   * The monthly supply–demand report's aggregates (issue 14 §3) for a region the actor may read (404
   * otherwise), in the caller's transaction: the KPI inputs exactly as `analytics_kpis` computes them (the
   * report's totals are the catalogue's figures), the open demand carried in (the effective 求人倍率's open
   * demand on the day before the period), and the fact and subject rows grouped by the report's dimensions
   * (employer industry, occupation, period of employment, gender, age band, county, wage bucket).
   */
  async reportAggregates(em: EntityManager, actor: Actor, regionCode: string, from: string, to: string): Promise<ReportAggregates> {
    await em.query(`SET LOCAL work_mem = '64MB'`);
    const markets = await this.scopeMarkets(em, actor, { regionCode });
    const ids = markets.map((m) => m.id);
    const region = aggregateRegionOf(actor, { regionCode });
    const cur = await this.inputs(em, markets, from, to, region);
    // Carried over: the headcount of posts open at the month's start (published before it, neither withdrawn, filled nor expired by then).
    const carriedLive = await this.liveDays(em, markets, addDays(from, -CARRIED_LOOKBACK_DAYS), addDays(from, -1));
    const carriedOver = await carriedDemand(em, ids, from, carriedLive, region);
    const live = await this.liveDays(em, markets, from, to);
    // The distinct seekers and the grouped facts: stored per region and month (a whole region read by an authority, a calendar month with
    // every day rolled up, refreshed since), else from the subject and fact rows.
    const counties = [...new Set(markets.map((m) => m.regionCode))];
    const stored = region && !live.length && from.endsWith('-01') && addDays(to, 1).endsWith('-01') && daysBetween(from, to) < 31
      ? await regionMonths(em, [region, ...counties], from) : null;
    if (stored) {
      const all = stored.get(region!)!;
      const map = (o: Record<string, number>) => new Map(Object.entries(o).map(([k, n]) => [k, Number(n)]));
      const facts = await regionMonthFacts(em, region!, counties, from);
      return {
        markets, inputs: cur.inputs, provisional: cur.provisional, carriedOver, groups: facts.groups, countyGroups: facts.countyGroups,
        seekersByCounty: new Map(counties.map((c) => [c, Number(stored.get(c)!.all)])), seekersByOccupation: map(all.occupation),
        seekersByGender: map(all.gender), seekersByAge: map(all.age_band), seekersOfSets: map(all.industry), stored: true,
      };
    }
    const first = await reportGroups(em, ids, from, to, live);
    const seekers = await reportSeekers(em, ids, from, to, live);
    // Per employer industry, the distinct seekers of the occupations it demanded.
    const sets = new Map<string, Set<string>>();
    for (const g of first.groups) {
      if (g.metric !== 'headcount_demanded' || !g.occupation) continue;
      (sets.get(g.employerIndustry) ?? sets.set(g.employerIndustry, new Set()).get(g.employerIndustry)!).add(g.occupation);
    }
    const bySet = await seekersOfSets(em, ids, from, to, live, new Map([...sets].map(([k, v]) => [k, [...v]])));
    return { markets, inputs: cur.inputs, provisional: cur.provisional, carriedOver, groups: first.groups, countyGroups: first.groups, ...seekers, seekersOfSets: bySet, stored: false };
  }

  /**
   * `analytics_drilldown`: what one figure (or its numerator or denominator) is made of, paged: work-log
   * entries, rolled-up days, staff assignments or markets (`drillSourceOf`). `total` is the number of items,
   * `sum` the sum of their values: the figure (or part) itself.
   */
  drilldown(actor: Actor, q: DrilldownQuery): Promise<Page<AnyDrilldownItem> & { kpi: string; part: string; sum: number; from: string; to: string }> {
    return this.db.run(actor, async (em) => {
      const k = requireKpi(q.kpi);
      const source = drillSourceOf(k, q.part);
      if (!source) throw new ProblemException(422, 'validation_failed', [{ field: q.part === 'value' ? 'kpi' : 'part', key: 'analytics_no_drilldown' }]);
      const markets = await this.scopeMarkets(em, actor, q);
      const ids = markets.map((m) => m.id);
      // The effective 求人倍率 reads the window ending on the period's last day.
      const from = (source.type === 'facts' || source.type === 'seekers') && source.window === 'effective' ? effectiveWindowStart(q.to) : q.from;
      const to = q.to;
      const head = { kpi: q.kpi, part: q.part, from, to, page: q.page, pageSize: q.pageSize };
      if (source.type === 'days') return { ...head, ...(await dayItems(em, markets, from, to, source.which, q.page, q.pageSize)) };
      if (source.type === 'markets') return { ...head, ...marketItems(markets, q.page, q.pageSize) };
      const live = await this.liveDays(em, markets, from, to);
      // Staff of the markets in the caller's scope by name, an authority included (the work log's recorders are named alike).
      if (source.type === 'staff') return { ...head, ...(await staffItems(em, markets, live, q.page, q.pageSize, async (u) => new Map([...await this.staff.actorNames(u)].map(([id, a]) => [id, a.name])))) };
      type Ref = { marketId: string; day: string; seq: number; value: number };
      const byPosition = (x: Ref, y: Ref) => x.day.localeCompare(y.day) || x.marketId.localeCompare(y.marketId) || x.seq - y.seq;
      const offset = (q.page - 1) * q.pageSize;
      let page: Ref[];
      let total: number;
      let sum: number;
      const seenRegion = source.type === 'seekers' && !live.length ? aggregateRegionOf(actor, q) : null;
      const perDay = seenRegion ? await seenFirstsByDay(em, seenRegion, from, to) : null;
      if (seenRegion && perDay) {
        // A whole region with nothing unsealed: each day's first check-ins of the period counted from the seen rows, then only
        // the page's days read — as the query below orders them (day, market, seq), without grouping the period's rows by worker.
        total = sum = perDay.reduce((t, d) => t + d.n, 0);
        const refs: Ref[] = [];
        let at = 0;
        let first = -1;
        for (const d of perDay) {
          if (at + d.n > offset && at < offset + q.pageSize) {
            if (first < 0) first = at;
            const rows = await seenFirstsOn(em, seenRegion, markets.map((m) => m.id), from, d.day);
            refs.push(...rows.map((r) => ({ marketId: r.market_id, day: r.day, seq: Number(r.seq), value: 1 })).sort(byPosition));
          }
          at += d.n;
          if (at >= offset + q.pageSize) break;
        }
        page = first < 0 ? [] : refs.slice(offset - first, offset - first + q.pageSize);
      } else if (source.type === 'seekers') {
        const liveSubjects = live.flatMap((l) => l.f.subjects.filter((s) => s.role === 'seeker'));
        const rows: { market_id: string; day: string; seq: string }[] = await em.query(
          `WITH s AS (
             SELECT market_id, business_day, worker_id, first_seq FROM analytics_subject_days WHERE role = 'seeker' AND market_id = ANY($1::uuid[]) AND business_day BETWEEN $2 AND $3
             UNION ALL SELECT market_id, business_day, worker_id, first_seq FROM jsonb_to_recordset($4::jsonb) AS x(market_id uuid, business_day date, worker_id uuid, first_seq bigint))
           SELECT DISTINCT ON (worker_id) market_id, business_day AS day, first_seq AS seq FROM s ORDER BY worker_id, business_day, first_seq`,
          [ids, from, to, JSON.stringify(liveSubjects)]);
        const refs = rows.map((r) => ({ marketId: r.market_id, day: r.day, seq: Number(r.seq), value: 1 })).sort(byPosition);
        page = refs.slice(offset, offset + q.pageSize);
        total = sum = refs.length;
      } else if (source.type === 'seeking') {
        // As `inputs` counts it: per worker, the first check-in day of the period and the first start on or after it.
        const liveSubjects = live.flatMap((l) => l.f.subjects);
        const rows: { market_id: string; day: string; seq: string; days: number }[] = await em.query(
          `WITH s AS (
             SELECT market_id, business_day, worker_id, role, first_seq FROM analytics_subject_days WHERE market_id = ANY($1::uuid[]) AND business_day BETWEEN $2 AND $3
             UNION ALL SELECT market_id, business_day, worker_id, role, first_seq FROM jsonb_to_recordset($4::jsonb) AS x(market_id uuid, business_day date, worker_id uuid, role text, first_seq bigint)),
           f AS (SELECT worker_id, min(business_day) AS d FROM s WHERE role = 'seeker' GROUP BY worker_id)
           SELECT DISTINCT ON (s.worker_id) s.market_id, s.business_day AS day, s.first_seq AS seq, (s.business_day - f.d)::int AS days
           FROM s JOIN f ON f.worker_id = s.worker_id WHERE s.role = 'starter' AND s.business_day >= f.d ORDER BY s.worker_id, s.business_day, s.first_seq`,
          [ids, from, to, JSON.stringify(liveSubjects)]);
        const refs = rows.map((r) => ({ marketId: r.market_id, day: r.day, seq: Number(r.seq), value: Number(r.days) })).sort(byPosition);
        page = refs.slice(offset, offset + q.pageSize);
        total = refs.length;
        sum = refs.reduce((t, r) => t + r.value, 0);
      } else {
        // Sealed days from the fact rows, paged without reading the whole period (a province-year is millions of entries): the
        // items per day first (a whole region's from its day rows, which hold the same sums; otherwise from the scope's facts),
        // then the items per market on the page's days only, then the fact rows of the page's (day, market) pairs — in the
        // order of (day, market, seq), as one query over the period would give them. Then the live days' entries.
        // A cohort metric counts the rows whose cohort day is in the period too (for the others it is the row's own day).
        const metrics = source.metrics;
        const region = aggregateRegionOf(actor, q);
        const perDay: { day: string; n: string; v: string }[] = region
          ? await em.query(
            `SELECT business_day AS day, sum(n) AS n, sum(value) AS v FROM analytics_region_days
             WHERE region_code = $1 AND business_day BETWEEN $2 AND $3 AND cohort_day >= $2 AND metric = ANY($4::text[]) GROUP BY 1 HAVING sum(n) <> 0 ORDER BY 1`,
            [region, from, to, metrics])
          : await em.query(
            `SELECT business_day AS day, sum(n) AS n, sum(value) AS v FROM analytics_facts
             WHERE metric = ANY($4::text[]) AND market_id = ANY($1::uuid[]) AND business_day BETWEEN $2 AND $3 AND cohort_day >= $2 GROUP BY 1 ORDER BY 1`,
            [ids, from, to, metrics]);
        const stored = perDay.reduce((t, r) => t + Number(r.n), 0);
        const liveRefs: Ref[] = live.flatMap((l) => l.f.facts.filter((x) => metrics.includes(x.metric) && x.cohort_day >= from)
          .flatMap((f) => f.seqs.map((seq, i) => ({ marketId: l.market.id, day: l.day, seq, value: f.vals ? f.vals[i] : 1 })))).sort(byPosition);
        total = stored + liveRefs.length;
        sum = perDay.reduce((t, r) => t + Number(r.v), 0) + liveRefs.reduce((t, r) => t + r.value, 0);
        const end = offset + q.pageSize;
        // Items before a span: `at` counts them; the spans (days, then (day, market) pairs) that hold part of the page.
        const spans = <T extends { n: string }>(xs: T[], start: number) => {
          let at = start;
          const hit: T[] = [];
          let first = start;
          for (const x of xs) {
            const n = Number(x.n);
            if (at + n > offset && at < end) { if (!hit.length) first = at; hit.push(x); }
            at += n;
            if (at >= end) break;
          }
          return { hit, first };
        };
        const days = offset < stored ? spans(perDay, 0) : { hit: [], first: 0 };
        let rows: { market_id: string; day: string; seq: string; val: string }[] = [];
        if (days.hit.length) {
          const pairs: { day: string; market_id: string; n: string }[] = await em.query(
            `SELECT business_day AS day, market_id, sum(n) AS n FROM analytics_facts
             WHERE metric = ANY($4::text[]) AND market_id = ANY($1::uuid[]) AND business_day = ANY($2::date[]) AND cohort_day >= $3 GROUP BY 1, 2 ORDER BY 1, 2`,
            [ids, days.hit.map((d) => d.day), from, metrics]);
          const p = spans(pairs, days.first);
          rows = await em.query(
            `SELECT f.market_id, f.business_day AS day, u.seq, u.val
             FROM analytics_facts f CROSS JOIN LATERAL unnest(f.seqs, COALESCE(f.vals, array_fill(1::bigint, ARRAY[cardinality(f.seqs)]))) AS u(seq, val)
             WHERE f.metric = ANY($4::text[]) AND (f.market_id, f.business_day) IN (SELECT * FROM unnest($1::uuid[], $2::date[])) AND f.cohort_day >= $3
             ORDER BY f.business_day, f.market_id, u.seq LIMIT ${q.pageSize} OFFSET ${Math.max(0, offset - p.first)}`,
            [p.hit.map((x) => x.market_id), p.hit.map((x) => x.day), from, metrics]);
        }
        page = rows.map((r) => ({ marketId: r.market_id, day: r.day, seq: Number(r.seq), value: Number(r.val) }));
        page.push(...liveRefs.slice(Math.max(0, offset - stored), Math.max(0, offset - stored) + q.pageSize - page.length));
      }
      const views = await this.ledger.entriesAt(em, page.map((r) => ({ marketId: r.marketId, seq: r.seq })), actor);
      const viewOf = new Map(views.map((v) => [`${v.marketId}:${v.seq}`, v]));
      const names = new Map(markets.map((m) => [m.id, m.name]));
      const who = await entryNames(em, actor, views, this.registry, this.posts);
      const liveKeys = new Set(live.map((l) => `${l.market.id}:${l.day}`));
      const items: DrilldownItem[] = page.flatMap((r) => {
        const v = viewOf.get(`${r.marketId}:${r.seq}`);
        return v ? [{
          type: 'entry' as const, marketId: r.marketId, marketName: names.get(r.marketId) ?? '', businessDay: v.businessDay, seq: v.seq, kind: v.kind, payload: v.payload,
          effectivePayload: v.effectivePayload, correctedBy: v.correctedBy, value: r.value, sealed: !liveKeys.has(`${r.marketId}:${r.day}`),
          names: who.get(`${r.marketId}:${r.seq}`) ?? {},
        }] : [];
      });
      return { ...head, sum, items, total };
    });
  }

  /** `analytics_breakdown`: one KPI's figure per value of a dimension (breakdown.ts), same scope rules and rollups as `kpis`. */
  breakdown(actor: Actor, q: BreakdownQuery): Promise<BreakdownResult> {
    return this.db.run(actor, async (em) => {
      const k = requireKpi(q.kpi);
      if (!breaksDown(k)) throw new ProblemException(422, 'validation_failed', [{ field: 'kpi', key: 'analytics_no_breakdown' }]);
      const markets = await this.scopeMarkets(em, actor, q);
      const live = await this.liveDays(em, markets, q.from, q.to);
      const r = await breakdownOf(em, k, q.by, markets.map((m) => m.id), q.from, q.to, live.map((l) => l.f));
      return { kpi: q.kpi, by: q.by, from: q.from, to: q.to, provisional: live.length > 0, ...r };
    });
  }

  // ---------------------------------------------------------------- runs

  /** A manual re-run of a range, for one market or all the caller's markets: recorded, then done by the worker. */
  async requestRun(actor: Actor, body: { marketId?: string; from: string; to: string }): Promise<RunView> {
    const run = await this.db.run(actor, async (em) => {
      if (!abilityOf(actor).can('update', 'Analytics')) throw new ProblemException(403, 'forbidden');
      if (body.to >= shanghaiDay(new Date())) throw new ProblemException(422, 'validation_failed', [{ field: 'to', key: 'analytics_run_sealed_only' }]);
      let market: ScopeMarket | null = null;
      if (body.marketId) {
        [market] = await this.scopeMarkets(em, actor, { marketId: body.marketId });
        if (!abilityOf(actor).can('update', { __typename: 'Analytics', tenantId: market.tenantId, regionCode: market.regionCode, marketId: market.id } as never)) throw new ProblemException(403, 'forbidden');
      }
      const id = newId();
      const tenantId = market?.tenantId ?? actor.tenantId ?? null;
      await em.query(
        `INSERT INTO analytics_runs (id, tenant_id, region_code, market_id, reason, from_day, to_day, requested_by) VALUES ($1, $2, $3, $4, 'manual', $5, $6, $7)`,
        [id, tenantId, market?.regionCode ?? '', market?.id ?? null, body.from, body.to, actor.userId]);
      return this.runView(em, id);
    });
    await this.queue.enqueueRun(run.id);
    return run;
  }

  listRuns(actor: Actor): Promise<RunView[]> {
    return this.db.run(actor, async (em) => {
      const rows = await em.query<RunRow[]>(`SELECT ${RUN_COLUMNS} FROM analytics_runs ORDER BY requested_at DESC LIMIT 50`);
      return rows.map(runView);
    });
  }

  /** The worker's side of a run: the markets the requester may re-run (a tenant's, or all for the platform), with progress. */
  async executeRun(runId: string, progress?: (pct: number) => Promise<void>): Promise<{ days: number; rolled: number }> {
    const run = await this.db.run(SYSTEM_ACTOR, async (em) => {
      const [r] = await em.query(`SELECT id, tenant_id, market_id, from_day AS f, to_day AS t FROM analytics_runs WHERE id = $1`, [runId]);
      if (!r) return null;
      await em.query(`UPDATE analytics_runs SET status = 'running' WHERE id = $1`, [runId]);
      const markets: string[] | null = r.market_id ? [r.market_id]
        : r.tenant_id ? await this.markets.idsOfTenant(em, r.tenant_id) : null;
      return { ...r, markets };
    });
    if (!run) return { days: 0, rolled: 0 };
    try {
      const res = await this.rollupRange({ marketIds: run.markets, from: run.f, to: run.t, onlyStale: false }, async (done, total) => {
        await this.db.run(SYSTEM_ACTOR, (em) => em.query('UPDATE analytics_runs SET done = $2, total = $3 WHERE id = $1', [runId, done, total]));
        await progress?.(Math.round((done / Math.max(total, 1)) * 100));
      });
      await this.db.run(SYSTEM_ACTOR, (em) => em.query(`UPDATE analytics_runs SET status = 'done', done = $2, total = $2, finished_at = now() WHERE id = $1`, [runId, res.days]));
      return res;
    } catch (e) {
      await this.db.run(SYSTEM_ACTOR, (em) => em.query(`UPDATE analytics_runs SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [runId, (e as Error).message.slice(0, 500)]));
      throw e;
    }
  }

  /** The nightly catch-up: days sealed in the last `days` days never rolled up, or changed since. */
  async catchUp(days = 400, now = new Date()): Promise<{ days: number; rolled: number }> {
    const to = shanghaiDay(now);
    const res = await this.rollupRange({ marketIds: null, from: addDays(to, -days), to, onlyStale: true });
    if (res.days) this.log.log(res, 'analytics catch-up');
    const periods = await this.refreshRegionPeriods(addDays(to, -1));
    this.log.log(periods, 'analytics region periods');
    return res;
  }

  /**
   * Exact distinct job seekers and job-seeking days of every region for the standard periods ending on `lastDay` (the catch-up:
   * yesterday), and the monthly report's distinct seekers (`analytics_region_months`) for the last two complete months and every stale one.
   */
  async refreshRegionPeriods(lastDay: string): Promise<{ periods: number; rows: number; months: string[]; seen: { regions: number; rows: number } }> {
    const periods = await this.db.run(SYSTEM_ACTOR, (em) => refreshRegionPeriods(em, lastDay));
    const months = await this.db.run(SYSTEM_ACTOR, (em) => monthsToRefresh(em, lastDay));
    // One transaction a month: a stale month's row is fresh again as soon as its own statement commits.
    for (const month of months) await this.refreshRegionMonths(month);
    const seen = await this.refreshRegionSeen(lastDay);
    return { ...periods, months, seen };
  }

  /**
   * Rebuild the seen rows (`region-seen.ts`) of every region that is stale or not built through `lastDay`: one transaction a
   * region; then the table's planner statistics, so the next dashboard call reads the new rows by an index-only scan.
   */
  async refreshRegionSeen(lastDay: string): Promise<{ regions: number; rows: number }> {
    const regions = await this.db.run(SYSTEM_ACTOR, (em) => regionsToSee(em, lastDay));
    let rows = 0;
    for (const region of regions) {
      rows += await this.db.run(SYSTEM_ACTOR, async (em) => {
        await em.query(`SET LOCAL work_mem = '128MB'`);
        return buildRegionSeen(em, region, lastDay);
      });
    }
    if (rows) await this.db.run(SYSTEM_ACTOR, (em) => em.query('SELECT analytics_region_seen_analyze()'));
    return { regions: regions.length, rows };
  }

  /** Recompute every region's stored monthly report seekers for one month (`analytics_region_months`). */
  refreshRegionMonths(month: string): Promise<number> {
    return this.db.run(SYSTEM_ACTOR, async (em) => {
      await em.query(`SET LOCAL work_mem = '128MB'`);
      return refreshRegionMonth(em, month);
    });
  }

  private async runView(em: EntityManager, id: string): Promise<RunView> {
    const [r] = await em.query<RunRow[]>(`SELECT ${RUN_COLUMNS} FROM analytics_runs WHERE id = $1`, [id]);
    return runView(r);
  }
}

export interface RunView { id: string; marketId: string | null; reason: string; from: string; to: string; status: string; total: number; done: number; error: string | null; requestedAt: string; finishedAt: string | null }
const RUN_COLUMNS = `id, market_id, reason, from_day, to_day, status, total, done, error, requested_at, finished_at`;
/** A row of `analytics_runs` as RUN_COLUMNS selects it (date columns arrive as YYYY-MM-DD from PG_TYPES). */
interface RunRow {
  id: string; market_id: string | null; reason: string; from_day: string; to_day: string; status: string;
  total: number; done: number; error: string | null; requested_at: Date | string; finished_at: Date | string | null;
}
function runView(r: RunRow): RunView {
  return {
    id: r.id, marketId: r.market_id ?? null, reason: r.reason, from: r.from_day, to: r.to_day,
    status: r.status, total: Number(r.total), done: Number(r.done), error: r.error ?? null,
    requestedAt: isoOf(r.requested_at), finishedAt: r.finished_at ? isoOf(r.finished_at) : null,
  };
}
