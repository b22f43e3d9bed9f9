import { AnalyticsService } from '@linggong/api-analytics';
import { KPIS, computeKpi, kpiOf, metricsOfEntry, type KpiInputs, type Metric, type RollupEntry } from '@linggong/domain';
import type { BreakdownResult, KpiResult } from '@linggong/domain';
import { shanghaiDayOf, simulate } from '../../tools/db/demo-activity';
import { activityMarkets } from '../../tools/db/demo-seed';
import { shanghaiDay } from '@linggong/ledger-chain';
import { continueOnNextDay } from '../support/ledger-next-day';
import { bootApp, demoId, freshTenant, login, type Session, type TestApp } from '../support/app';

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
/** The work log's entries with corrections applied (SQL's own jsonb merge), as of ids ($1) and a period ($2, $3). */
const EFF = `WITH e AS (
      SELECT x.market_id, x.seq, x.kind, x.business_day,
             x.payload || COALESCE((SELECT jsonb_object_agg(k, v) FROM (SELECT DISTINCT ON (j.k) j.k, j.v FROM ledger_entries c, jsonb_each(c.payload) AS j(k, v)
               WHERE c.market_id = x.market_id AND c.corrects = x.seq ORDER BY j.k, c.seq DESC) z), '{}'::jsonb) AS p
      FROM ledger_entries x WHERE x.market_id = ANY($1::uuid[]) AND x.kind <> 'correction'),
      sub AS (SELECT e.market_id, e.p->>'postId' AS post_id, e.p FROM e WHERE e.kind = 'post_submitted'),
      live AS (SELECT * FROM e WHERE NOT (e.p ? 'void' AND e.p->'void' = 'true'::jsonb)),
      per AS (SELECT * FROM live WHERE business_day BETWEEN $2 AND $3)`;
let phone = 13100000000 + (Date.now() % 1_000_000) * 10;

/**
 * Figures from the sealed work log (issue 13). Three fresh markets get real activity through the API:
 * a first business day (today) that is then sealed, and a second one (the next open day: entries
 * recorded after a close go there) left open, so it is folded live and flagged provisional. Every KPI
 * is recomputed here from ledger_entries, ledger_seals, ledger_alerts and user_markets with SQL written
 * for this test (not the service's), for three markets × three periods.
 */
describe('analytics: KPIs and drill-downs from the sealed work log', () => {
  let t: TestApp;
  let svc: AnalyticsService;
  const TODAY = shanghaiDay(new Date());
  const NEXT = addDays(TODAY, 1);
  const markets: { id: string; admin: Session; desk: Session; tenantId: string }[] = [];

  /** One market's activity: `n` workers check in; two posts (day and hourly wage); k recommended, confirmed, started, some settled. */
  async function activity(m: (typeof markets)[number], n: number, occupations: [string, string]) {
    const e = await t.http.post(`/api/v1/markets/${m.id}/employers`).set(m.desk.auth)
      .send({ kind: 'individual', name: `个体户${phone % 10000}`, contactName: '钱老板', contactPhone: String(++phone) }).expect(201);
    await t.http.post(`/api/v1/employers/${e.body.id}/verification`).set(m.admin.auth).send({ decision: 'verified', evidence: '身份证原件已核验' }).expect(200);
    const ws: string[] = [];
    for (let i = 0; i < n; i++) {
      const w = await t.http.post(`/api/v1/markets/${m.id}/workers`).set(m.desk.auth)
        .send({ name: `测试工${i}`, mobile: String(++phone), consent: true, occupations: [occupations[i % 2]], gender: i % 3 ? 'male' : 'female', birthYear: 1970 + i * 4 }).expect(201);
      ws.push(w.body.id);
      await t.http.post(`/api/v1/markets/${m.id}/check-ins`).set(m.desk.auth).send({ workerId: w.body.id }).expect(200);
    }
    const posts: string[] = [];
    for (const [i, occ] of occupations.entries()) {
      const p = await t.http.post(`/api/v1/markets/${m.id}/posts`).set(m.desk.auth).send({
        employerId: e.body.id, occupation: occ, title: `${occ}急招`, headcount: n + i * 2, wageFen: i ? 2500 : 18000 + n * 1000, wageUnit: i ? 'hour' : 'day',
        period: 'same_day', startAt: inHours(1), place: '园区 1 号门', requirements: '',
      }).expect(201);
      await t.http.post(`/api/v1/posts/${p.body.id}/review`).set(m.admin.auth).send({ decision: 'published' }).expect(200);
      posts.push(p.body.id);
    }
    for (const [i, w] of ws.entries()) {
      if (i === ws.length - 1) continue; // one worker is never recommended
      const pl = await t.http.post('/api/v1/placements').set(m.desk.auth).send({ postId: posts[i % 2], workerId: w });
      if (pl.status !== 201) continue; // a guard refusal is a fact too, just not a recommendation
      if (i % 4 === 3) continue; // recommended, never confirmed
      await t.http.post(`/api/v1/placements/${pl.body.id}/confirm`).set(m.desk.auth).send({ party: 'both' }).expect(200);
      await t.http.post(`/api/v1/placements/${pl.body.id}/start`).set(m.desk.auth).send({}).expect(200);
      if (i % 2 === 0) {
        await t.http.post(`/api/v1/placements/${pl.body.id}/complete`).set(m.desk.auth)
          .send({ amountPaidFen: 15000, paidBy: '钱老板', paidAt: new Date().toISOString(), method: 'cash' }).expect(200);
      }
    }
  }

  beforeAll(async () => {
    t = await bootApp();
    svc = t.app.get(AnalyticsService);
    for (const label of ['ana', 'anb', 'anc']) {
      const f = await freshTenant(t, label);
      markets.push({ id: f.market.id, tenantId: f.org.id, admin: await login(t, f.adminUser.username, f.password), desk: await login(t, f.deskUser.username, f.password) });
    }
    const occ: [string, string][] = [['装卸搬运工', '保洁员'], ['建筑小工', '瓦工'], ['农业采摘工', '家政服务员']];
    for (const [i, m] of markets.entries()) await activity(m, 3 + i * 2, occ[i]);
    // Seal today (the close notifies the rollup queue; with no worker here, the test runs the rollup itself).
    for (const m of markets) await t.http.post(`/api/v1/markets/${m.id}/ledger/days/${TODAY}/close`).set(m.admin.auth).send({ reason: '测试：提前日结' }).expect(201);
    for (const m of markets) await continueOnNextDay(t, m.id, NEXT);
    // Cohorts across days: after the close (so on the next open day) settle a hire started today and report another
    // unpaid; withdraw one of today's posts (it leaves the effective demand).
    for (const m of markets) {
      const started = await t.owner.query(`SELECT id FROM placements WHERE market_id = $1 AND status = 'started' ORDER BY id`, [m.id]);
      const done = await t.owner.query(`SELECT id FROM placements WHERE market_id = $1 AND status = 'completed' ORDER BY id`, [m.id]);
      if (started[0]) {
        await t.http.post(`/api/v1/placements/${started[0].id}/complete`).set(m.desk.auth)
          .send({ amountPaidFen: 15000, paidBy: '钱老板', paidAt: new Date().toISOString(), method: 'cash' }).expect(200);
      }
      if (done[0]) await t.http.post(`/api/v1/placements/${done[0].id}/non-payment`).set(m.desk.auth).send({ amountOwedFen: 15000, description: '工资未结清，雇主失联' }).expect(200);
      const [post] = await t.owner.query(`SELECT id FROM posts WHERE market_id = $1 AND status = 'published' ORDER BY created_at LIMIT 1`, [m.id]);
      await t.http.post(`/api/v1/posts/${post.id}/withdraw`).set(m.admin.auth).send({ reason: '岗位已招满，撤回' }).expect(200);
    }
    // More activity: recorded after the close, on the next open day, unsealed.
    for (const [i, m] of markets.entries()) await activity(m, 2 + i, occ[(i + 1) % 3]);
    await svc.rollupRange({ marketIds: markets.map((m) => m.id), from: addDays(TODAY, -400), to: TODAY, onlyStale: false });
  });
  afterAll(() => t.close());

  // ------------------------------------------------------------ the independent recomputation

  /** Every KPI for some markets and days, from the raw tables (corrections applied with SQL's own jsonb merge). */
  async function expected(ids: string[], from: string, to: string): Promise<Record<string, number | null>> {
    const q = async (sql: string, extra: unknown[] = []) => (await t.owner.query(sql, [ids, from, to, ...extra]))[0];
    const eff = EFF;
    const c = async (where: string) => Number((await q(`${eff} SELECT count(*)::int AS n FROM per WHERE ${where}`)).n);
    const r = (a: number, b: number, s = 1) => (b > 0 ? Math.round((a / b) * s * 100) / 100 : null);
    const hc = Number((await q(`${eff} SELECT COALESCE(sum((s.p->>'headcount')::int), 0)::int AS n FROM per JOIN sub s ON s.market_id = per.market_id AND s.post_id = per.p->>'postId' WHERE per.kind = 'post_published'`)).n);
    const wage = (await q(`${eff} SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE s.p->>'wageUnit' WHEN 'day' THEN (s.p->>'wageFen')::numeric WHEN 'hour' THEN (s.p->>'wageFen')::numeric * 8 WHEN 'month' THEN round((s.p->>'wageFen')::numeric / 21.75) END) AS m
      FROM per JOIN sub s ON s.market_id = per.market_id AND s.post_id = per.p->>'postId' WHERE per.kind = 'post_published' AND s.p->>'wageUnit' <> 'piece'`)).m;
    const seekers = Number((await q(`${eff} SELECT count(DISTINCT p->>'workerId')::int AS n FROM per WHERE kind = 'check_in'`)).n);
    const openDays = Number((await q(`${eff} SELECT count(DISTINCT (market_id, business_day))::int AS n FROM per WHERE kind = 'check_in'`)).n);
    const seeking = (await q(`${eff}, f AS (SELECT p->>'workerId' AS w, min(business_day) AS d FROM per WHERE kind = 'check_in' GROUP BY 1)
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY (SELECT min(s.business_day) FROM per s WHERE s.kind = 'hire_started' AND s.p->>'workerId' = f.w AND s.business_day >= f.d) - f.d) AS m
      FROM f WHERE EXISTS (SELECT 1 FROM per s WHERE s.kind = 'hire_started' AND s.p->>'workerId' = f.w AND s.business_day >= f.d)`)).m;
    const seal = await q(`SELECT count(*) FILTER (WHERE s.count > 0)::int AS days, count(*) FILTER (WHERE s.count > 0 AND s.late)::int AS late,
      (SELECT count(*)::int FROM ledger_alerts a WHERE a.market_id = ANY($1::uuid[]) AND a.business_day BETWEEN $2 AND $3) AS alerts
      FROM ledger_seals s WHERE s.market_id = ANY($1::uuid[]) AND s.business_day BETWEEN $2 AND $3`);
    const staff = Number((await q(`SELECT count(*)::int AS n FROM user_markets WHERE market_id = ANY($1::uuid[]) AND $2::date <= $3::date`)).n);
    const k = {
      registrations: await c(`kind = 'registration'`), check_ins: await c(`kind = 'check_in'`), posts: await c(`kind = 'post_published'`),
      match: await c(`kind = 'match'`), confirmed: await c(`kind = 'hire_confirmed'`), started: await c(`kind = 'hire_started'`), settled: await c(`kind = 'settlement'`),
      // Cohorts: settlements and non-payment reports of the hires started in the period, recorded by its end; completed
      // packages of the plans opened in the period; the entries themselves must be in the period too (per).
      settledCohort: await c(`kind = 'settlement' AND p->>'placementId' IN (SELECT s.p->>'placementId' FROM per s WHERE s.kind = 'hire_started' AND s.market_id = per.market_id)`),
      unpaidCohort: await c(`kind = 'non_payment_report' AND p->>'placementId' IN (SELECT s.p->>'placementId' FROM per s WHERE s.kind = 'hire_started' AND s.market_id = per.market_id)`),
      completedCohort: await c(`kind = 'assistance_plan' AND p->>'step' = 'package_complete' AND p->>'planId' IN (SELECT s.p->>'planId' FROM per s WHERE s.kind = 'assistance_plan' AND s.p->>'step' = 'opened' AND s.market_id = per.market_id)`),
      nonpay: await c(`kind = 'non_payment_report'`), placed: await c(`kind = 'public_welfare_post' OR (kind = 'assistance_plan' AND p->>'step' = 'stable_employment')`),
      opened: await c(`kind = 'assistance_plan' AND p->>'step' = 'opened'`), completed: await c(`kind = 'assistance_plan' AND p->>'step' = 'package_complete'`),
      closed: await c(`kind = 'complaint_step' AND p->>'step' = 'closed'`), onTime: await c(`kind = 'complaint_step' AND p->>'step' = 'closed' AND COALESCE(p->>'late', 'false') <> 'true'`),
      callbacks: await c(`kind = 'complaint_step' AND p->>'step' = 'callback'`), satisfied: await c(`kind = 'complaint_step' AND p->>'step' = 'callback' AND p->>'satisfaction' IN ('satisfied', 'basically')`),
    };
    return {
      registrations: k.registrations, service_visits: k.check_ins, posts_published: k.posts, headcount_demanded: hc, recommendations: k.match,
      hires_confirmed: k.confirmed, hires_started: k.started, daily_avg_hires: r(k.started, openDays), match_success_rate: r(k.confirmed, k.match, 100),
      demand_supply_ratio: r(hc, seekers), effective_demand_ratio: await effective(ids, to), median_day_wage: wage === null ? null : Math.round(Number(wage)), settlement_rate: r(k.settledCohort, k.started, 100),
      non_payment_per_100: r(k.unpaidCohort, k.started, 100), job_seeking_days: seeking === null ? null : Number(seeking), hardship_placed: k.placed,
      package_131_completion: r(k.completedCohort, k.opened, 100), training_attendances: await c(`kind = 'training_attendance'`),
      training_completions: await c(`kind = 'training_completion' AND p->>'step' = 'completed'`), guidance_services: await c(`kind = 'guidance'`),
      tool_loans: await c(`kind = 'tool_loan'`), events_held: await c(`kind = 'event' AND p->>'step' = 'held'`), complaints_on_time: r(k.onTime, k.closed, 100),
      complaint_satisfaction: r(k.satisfied, k.callbacks, 100),
      notice_breaches: await c(`kind = 'complaint_step' AND p->>'step' = 'notice' AND (p->>'noticeAddedItems')::int > 0
        AND EXISTS (SELECT 1 FROM live o WHERE o.market_id = per.market_id AND o.kind = 'complaint_step' AND o.p->>'step' = 'notice' AND o.p->>'complaintId' = per.p->>'complaintId' AND o.seq < per.seq)`),
      log_timeliness: r(seal.days - seal.late, seal.days, 100), log_late_days: seal.late, log_verification_failures: seal.alerts,
      staff_per_market: r(staff, ids.length), seekers_per_staff: r(seekers, staff),
      // Third-party platforms' outcomes (issue 18 §3): persons reported, by step.
      ...Object.fromEntries(await Promise.all((['hire', 'start', 'settlement'] as const).map(async (step) => [
        { hire: 'platform_hires', start: 'platform_starts', settlement: 'platform_settlements' }[step],
        Number((await q(`${eff} SELECT COALESCE(sum((p->>'persons')::int), 0)::int AS n FROM per WHERE kind = 'platform_outcome' AND p->>'step' = $4`, [step])).n)]))),
    };
  }

  /**
   * The effective 求人倍率 from the raw entries: over the 30 days ending on `to`, headcount (as submitted, corrections
   * applied) of the posts published in them with no post_closed entry by `to`, ÷ distinct workers who checked in during them.
   */
  async function effective(ids: string[], to: string): Promise<number | null> {
    const [row] = await t.owner.query(
      `WITH e AS (
         SELECT x.market_id, x.seq, x.kind, x.business_day,
                x.payload || COALESCE((SELECT jsonb_object_agg(k, v) FROM (SELECT DISTINCT ON (j.k) j.k, j.v FROM ledger_entries c, jsonb_each(c.payload) AS j(k, v)
                  WHERE c.market_id = x.market_id AND c.corrects = x.seq ORDER BY j.k, c.seq DESC) z), '{}'::jsonb) AS p
         FROM ledger_entries x WHERE x.market_id = ANY($1::uuid[]) AND x.kind <> 'correction'),
       w AS (SELECT * FROM e WHERE business_day BETWEEN $2::date - 29 AND $2::date)
       SELECT (SELECT COALESCE(sum((s.p->>'headcount')::int), 0) FROM w JOIN e s ON s.kind = 'post_submitted' AND s.market_id = w.market_id AND s.p->>'postId' = w.p->>'postId'
                WHERE w.kind = 'post_published' AND NOT EXISTS (SELECT 1 FROM e c WHERE c.kind = 'post_closed' AND c.market_id = w.market_id AND c.p->>'postId' = w.p->>'postId' AND c.business_day <= $2::date))::int AS demand,
              (SELECT count(DISTINCT p->>'workerId') FROM w WHERE kind = 'check_in')::int AS seekers`, [ids, to]);
    return row.seekers > 0 ? Math.round((row.demand / row.seekers) * 100) / 100 : null;
  }

  const figures = async (s: Session, query: Record<string, string>) => {
    const res = await t.http.get('/api/v1/analytics/kpis').query(query).set(s.auth).expect(200);
    return res.body as KpiResult;
  };
  const valueOf = (r: KpiResult, code: string) => r.figures.find((f) => f.code === code)!.value;

  it('equals an independent recomputation for three markets × three periods', async () => {
    const periods: [string, string][] = [[TODAY, TODAY], [TODAY, NEXT], [addDays(TODAY, -30), addDays(TODAY, -1)]];
    for (const m of markets) {
      for (const [from, to] of periods) {
        const got = await figures(m.admin, { marketId: m.id, from, to });
        const want = await expected([m.id], from, to);
        const mine = Object.fromEntries(got.figures.map((f) => [f.code, f.value]));
        expect(Object.keys(mine).sort()).toEqual(KPIS.map((k) => k.code).sort());
        expect({ market: m.id, from, to, ...mine }).toEqual({ market: m.id, from, to, ...want });
        // A period reaching past the last seal is computed live and says so.
        expect(got.figures.every((f) => f.provisional === (to >= NEXT))).toBe(true);
      }
    }
    // The activity is real: the sealed day has hires, and the live day adds to them.
    const sealedOnly = await figures(markets[2].admin, { marketId: markets[2].id, from: TODAY, to: TODAY });
    const withLive = await figures(markets[2].admin, { marketId: markets[2].id, from: TODAY, to: NEXT });
    expect(valueOf(sealedOnly, 'hires_started')).toBeGreaterThan(0);
    expect(valueOf(withLive, 'service_visits')!).toBeGreaterThan(valueOf(sealedOnly, 'service_visits')!);
  });

  it('compares with the previous period of the same length', async () => {
    const m = markets[1];
    const r = await figures(m.admin, { marketId: m.id, from: NEXT, to: NEXT, kpis: 'service_visits,hires_started' });
    expect(r).toMatchObject({ previousFrom: TODAY, previousTo: TODAY });
    const prev = await expected([m.id], TODAY, TODAY);
    expect(r.figures.map((f) => [f.code, f.previous])).toEqual([['service_visits', prev['service_visits']], ['hires_started', prev['hires_started']]]);
  });

  it('drills every count KPI down to entries whose total equals the figure', async () => {
    const m = markets[0];
    const r = await figures(m.admin, { marketId: m.id, from: TODAY, to: NEXT });
    for (const k of KPIS.filter((x) => x.formula.type === 'sum')) {
      const d = await t.http.get('/api/v1/analytics/drilldown').query({ kpi: k.code, marketId: m.id, from: TODAY, to: NEXT, pageSize: 500 }).set(m.admin.auth).expect(200);
      expect({ kpi: k.code, total: k.code === 'headcount_demanded' ? d.body.sum : d.body.total }).toEqual({ kpi: k.code, total: valueOf(r, k.code) });
      expect(d.body.items).toHaveLength(Math.min(d.body.total, 500));
      for (const it of d.body.items) expect(k.kinds).toContain(it.kind);
    }
    // Pages follow one order (sealed days first, then the live ones) and together make the whole list.
    const all = await t.http.get('/api/v1/analytics/drilldown').query({ kpi: 'service_visits', marketId: m.id, from: TODAY, to: NEXT, pageSize: 500 }).set(m.admin.auth).expect(200);
    const paged: number[] = [];
    for (let p = 1; p <= Math.ceil(all.body.total / 2); p++) {
      const pg = await t.http.get('/api/v1/analytics/drilldown').query({ kpi: 'service_visits', marketId: m.id, from: TODAY, to: NEXT, page: p, pageSize: 2 }).set(m.admin.auth).expect(200);
      expect(pg.body.total).toBe(all.body.total);
      paged.push(...pg.body.items.map((i: { seq: number }) => i.seq));
    }
    expect(paged).toEqual(all.body.items.map((i: { seq: number }) => i.seq));
    expect(all.body.items.some((i: { sealed: boolean }) => !i.sealed) && all.body.items.some((i: { sealed: boolean }) => i.sealed)).toBe(true);
    // A ratio drills to either part: settlement rate = settlements ÷ hires started.
    const num = await t.http.get('/api/v1/analytics/drilldown').query({ kpi: 'settlement_rate', part: 'numerator', marketId: m.id, from: TODAY, to: TODAY }).set(m.admin.auth).expect(200);
    const den = await t.http.get('/api/v1/analytics/drilldown').query({ kpi: 'settlement_rate', part: 'denominator', marketId: m.id, from: TODAY, to: TODAY }).set(m.admin.auth).expect(200);
    const sr = await figures(m.admin, { marketId: m.id, from: TODAY, to: TODAY, kpis: 'settlement_rate' });
    expect(Math.round((num.body.total / den.body.total) * 10000) / 100).toBe(valueOf(sr, 'settlement_rate'));
    expect(num.body.items[0]).toMatchObject({ marketId: m.id, businessDay: TODAY, kind: 'settlement', sealed: true, seq: expect.any(Number), payload: expect.any(Object) });
    // Names instead of ids, through the registry's and jobs' services; an authority reads the roster of its region by name too.
    const hires = await t.http.get('/api/v1/analytics/drilldown').query({ kpi: 'hires_confirmed', marketId: m.id, from: TODAY, to: TODAY }).set(m.admin.auth).expect(200);
    const h = hires.body.items[0];
    const [who] = await t.owner.query('SELECT w.name AS worker, p.title AS post, e.name AS employer FROM workers w, posts p, employers e WHERE w.id = $1 AND p.id = $2 AND e.id = $3',
      [h.effectivePayload.workerId, h.effectivePayload.postId, h.effectivePayload.employerId]);
    expect(h.names).toEqual({ worker: who.worker, post: who.post, employer: who.employer, staff: expect.any(String) });
    const asCounty = await t.http.get('/api/v1/analytics/drilldown').query({ kpi: 'hires_confirmed', marketId: m.id, from: TODAY, to: TODAY }).set((await login(t, 'county.reviewer')).auth).expect(200);
    expect(asCounty.body.items[0].names).toMatchObject({ worker: who.worker, post: who.post });
    // Who recorded it: the user's display name as the work log's day view shows it, for the authority too (which cannot read
    // the operator's users), not the username recorded with the entry.
    await t.owner.query(`UPDATE users SET display_name = '测试窗口 李明' WHERE id = (SELECT actor_user_id FROM ledger_entries WHERE market_id = $1 AND seq = $2)`, [m.id, h.seq]);
    for (const s of [m.admin, await login(t, 'county.reviewer')]) {
      const again = await t.http.get('/api/v1/analytics/drilldown').query({ kpi: 'hires_confirmed', marketId: m.id, from: TODAY, to: TODAY }).set(s.auth).expect(200);
      expect(again.body.items.find((i: { seq: number }) => i.seq === h.seq).names.staff).toBe('测试窗口 李明');
    }
    // 求人倍率's denominator: each distinct job seeker's first check-in.
    const seekers = await t.http.get('/api/v1/analytics/drilldown').query({ kpi: 'demand_supply_ratio', part: 'denominator', marketId: m.id, from: TODAY, to: NEXT }).set(m.admin.auth).expect(200);
    expect(new Set(seekers.body.items.map((i: { payload: { workerId: string } }) => i.payload.workerId)).size).toBe(seekers.body.total);
  });

  it('every KPI in the catalogue drills down to items that make its figure', async () => {
    const drill = async (s: Session, query: Record<string, string | number>) =>
      (await t.http.get('/api/v1/analytics/drilldown').query({ pageSize: 500, ...query }).set(s.auth).expect(200)).body as { total: number; sum: number; items: { type: string; value: number; businessDay?: string; late?: boolean; kind?: string }[] };
    const median = (xs: number[]) => { const v = [...xs].sort((a, b) => a - b); const h = v.length >> 1; return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2; };
    for (const [m, from, to] of [[markets[0], TODAY, NEXT], [markets[2], TODAY, TODAY]] as const) {
      const r = await figures(m.admin, { marketId: m.id, from, to });
      for (const k of KPIS) {
        const value = valueOf(r, k.code);
        const scope = { kpi: k.code, marketId: m.id, from, to };
        const num = await drill(m.admin, { ...scope, part: 'numerator' });
        expect(num.items).toHaveLength(Math.min(num.total, 500));
        const f = k.formula;
        let got: number | null;
        switch (f.type) {
          case 'ratio': case 'timeliness': case 'demand_ratio': case 'effective_demand_ratio': case 'staff_per_market': case 'seekers_per_staff': {
            const den = await drill(m.admin, { ...scope, part: 'denominator' });
            const scale = f.type === 'ratio' ? f.scale : f.type === 'timeliness' ? 100 : 1;
            got = den.sum > 0 ? Math.round((Math.max(num.sum, 0) / den.sum) * scale * 100) / 100 : null;
            break;
          }
          case 'median': got = value === null ? null : value; expect(num.total).toBeGreaterThan(0); break; // the posts with a day wage
          case 'seeking_days': got = num.total ? median(num.items.map((i) => i.value)) : null; break;
          case 'per_open_day': got = num.sum; expect(num.sum).toBe(valueOf(r, 'hires_started')); continue;
          default: got = num.sum; expect(num.total).toBe(k.code === 'headcount_demanded' || k.code === 'log_verification_failures' ? num.total : num.sum);
        }
        expect({ kpi: k.code, from, to, value: got }).toEqual({ kpi: k.code, from, to, value });
      }
    }
    // Day-based figures open days (linking to the day view); staff per market opens the assignments.
    const m = markets[0];
    const days = await drill(m.admin, { kpi: 'log_timeliness', part: 'denominator', marketId: m.id, from: TODAY, to: NEXT });
    expect(days.items).toEqual([expect.objectContaining({ type: 'day', marketId: m.id, businessDay: TODAY, late: false, sealedAt: expect.any(String), entries: expect.any(Number) })]);
    const staff = await drill(m.admin, { kpi: 'staff_per_market', marketId: m.id, from: TODAY, to: TODAY });
    const [{ n: assigned }] = await t.owner.query('SELECT count(*)::int AS n FROM user_markets WHERE market_id = $1', [m.id]);
    expect(staff.total).toBe(assigned);
    expect(assigned).toBeGreaterThan(0);
    expect(staff.items[0]).toMatchObject({ type: 'staff', marketId: m.id, userId: expect.any(String), staffName: expect.any(String) });
    expect(staff.items.every((i) => (i as unknown as { staffName: string }).staffName.length > 0)).toBe(true);
    // The county reviewer reads the same staff by name (row-level security hides an operator's users from it).
    const asCounty = await drill(await login(t, 'county.reviewer'), { kpi: 'staff_per_market', marketId: m.id, from: TODAY, to: TODAY });
    expect(asCounty.items.map((i) => (i as unknown as { staffName: string }).staffName)).toEqual(staff.items.map((i) => (i as unknown as { staffName: string }).staffName));
  });

  it('a settlement or non-payment report of an earlier day’s hire does not count for the later day (cohorts)', async () => {
    // On the next open day one settlement and one non-payment report belong to hires started the day before.
    for (const m of markets) {
      const r = await figures(m.admin, { marketId: m.id, from: NEXT, to: NEXT, kpis: 'settlement_rate,non_payment_per_100,hires_started' });
      const [{ settled, reported }] = await t.owner.query(
        `SELECT count(*) FILTER (WHERE kind = 'settlement')::int AS settled, count(*) FILTER (WHERE kind = 'non_payment_report')::int AS reported
         FROM ledger_entries WHERE market_id = $1 AND business_day = $2`, [m.id, NEXT]);
      expect(valueOf(r, 'settlement_rate')!).toBeLessThanOrEqual(100);
      expect(valueOf(r, 'non_payment_per_100')).toBe(0);
      expect(reported).toBe(1);
      expect(settled).toBeGreaterThan(Math.round((valueOf(r, 'settlement_rate')! / 100) * valueOf(r, 'hires_started')!));
    }
  });

  it('cohort rates never exceed 100 % over the demo’s simulated 90 days, month by month and market by market', () => {
    // The demo's own simulation (tools/db/demo-activity.ts, the events `npm start` writes), folded with metricsOfEntry
    // as the rollup does: cohort days from the events themselves.
    const now = Date.now();
    const acts = simulate(activityMarkets().slice(0, 4), { today: TODAY, now, historyDays: 90, scale: 1, hazards: [] });
    let months = 0;
    for (const a of acts) {
      const evs = [...a.events].sort((x, y) => x.at - y.at || x.order - y.order).map((e, i) => ({ seq: i + 1, kind: e.kind, subjectType: e.subjectType, subjectId: e.subjectId, day: shanghaiDayOf(e.at), payload: e.payload() }));
      const first = new Map<string, string>();
      for (const e of evs) {
        const key = e.kind === 'hire_started' ? `placement:${e.subjectId}` : e.kind === 'post_published' ? `post:${e.subjectId}` : e.kind === 'assistance_plan' && e.payload['step'] === 'opened' ? `plan:${e.subjectId}` : null;
        if (key && !first.has(key)) first.set(key, e.day);
      }
      const subs = new Map(evs.filter((e) => e.kind === 'post_submitted').map((e) => [String(e.subjectId), e.payload]));
      const facts = evs.flatMap((e) => metricsOfEntry(e as RollupEntry, {
        postSubmission: (id) => subs.get(id) as never, hadEarlierNotice: () => false, cohortDay: (of, id) => first.get(`${of}:${id}`),
      }).map((h) => ({ ...h, day: e.day, cohort: h.cohortDay ?? e.day })));
      for (const month of [...new Set(evs.map((e) => e.day.slice(0, 7)))]) {
        const sums: Partial<Record<Metric, number>> = {};
        for (const f of facts) if (f.day.startsWith(month) && f.cohort.startsWith(month)) sums[f.metric] = (sums[f.metric] ?? 0) + f.value;
        const inputs: KpiInputs = { sums, histograms: {}, openDays: 0, distinctSeekers: 0, openDemand: 0, recentSeekers: 0, seeking: [], daysWithEntries: 0, lateDays: 0, verificationFailures: 0, staff: 0, markets: 1 };
        for (const code of ['settlement_rate', 'non_payment_per_100', 'package_131_completion']) {
          const v = computeKpi(kpiOf(code)!, inputs);
          expect({ market: a.market.key, month, code, within: v === null || (v >= 0 && v <= 100) }).toEqual({ market: a.market.key, month, code, within: true });
        }
        if ((sums.hires_started ?? 0) > 0) months++;
      }
      // The fixture is demo-like: settlements do happen, some of them on a later day than the start.
      expect(facts.some((f) => f.metric === 'hires_settled' && f.cohort !== f.day)).toBe(true);
    }
    expect(months).toBeGreaterThanOrEqual(8);
  });

  it('breaks a figure down by occupation, industry, gender and age band: parts add up and agree with independent SQL', async () => {
    const m = markets[0];
    const [from, to] = [TODAY, NEXT];
    const r = await figures(m.admin, { marketId: m.id, from, to });
    const breakdown = async (kpi: string, by: string, s: Session = m.admin) =>
      (await t.http.get('/api/v1/analytics/breakdown').query({ kpi, by, marketId: m.id, from, to }).set(s.auth).expect(200)).body as BreakdownResult;
    for (const by of ['occupation', 'industry', 'gender', 'age_band']) {
      for (const kpi of ['service_visits', 'hires_started', 'headcount_demanded', 'recommendations']) {
        const b = await breakdown(kpi, by);
        expect({ kpi, by, total: b.total, parts: b.parts.reduce((t, p) => t + (p.figure ?? 0), 0) }).toEqual({ kpi, by, total: valueOf(r, kpi), parts: valueOf(r, kpi) });
      }
      // A ratio: the parts' numerators and denominators add up to the whole's, and the whole is the figure.
      const sr = await breakdown('settlement_rate', by);
      expect(sr.total).toBe(valueOf(r, 'settlement_rate'));
      const num = sr.parts.reduce((t, p) => t + p.numerator, 0);
      const den = sr.parts.reduce((t, p) => t + (p.denominator ?? 0), 0);
      expect(Math.round((num / den) * 10000) / 100).toBe(valueOf(r, 'settlement_rate'));
      for (const p of sr.parts) expect(p.figure === null || p.figure <= 100).toBe(true);
    }
    // Independent SQL: hires started by their post's occupation, check-ins by the worker's gender.
    const raw = async (sql: string) => new Map<string, number>((await t.owner.query(`${EFF} ${sql}`, [[m.id], from, to])).map((x: { v: string | null; n: number }) => [x.v ?? '', Number(x.n)]));
    const byOcc = await raw(`SELECT s.p->>'occupation' AS v, count(*)::int AS n FROM per JOIN sub s ON s.market_id = per.market_id AND s.post_id = per.p->>'postId' WHERE per.kind = 'hire_started' GROUP BY 1`);
    expect(new Map((await breakdown('hires_started', 'occupation')).parts.map((p) => [p.value, p.figure]))).toEqual(byOcc);
    expect(byOcc.size).toBeGreaterThanOrEqual(2);
    const byGender = await raw(`SELECT w.gender AS v, count(*)::int AS n FROM per JOIN workers w ON w.id = (per.p->>'workerId')::uuid WHERE per.kind = 'check_in' GROUP BY 1`);
    expect(new Map((await breakdown('service_visits', 'gender')).parts.map((p) => [p.value, p.figure]))).toEqual(byGender);
    expect(byGender.size).toBe(2);
    // The same scope rules as analytics_kpis; only counts, ratios and medians split; the dimension is a closed list.
    await t.http.get('/api/v1/analytics/breakdown').query({ kpi: 'service_visits', by: 'gender', marketId: m.id, from, to }).set(markets[1].admin.auth).expect(404);
    const noSplit = await t.http.get('/api/v1/analytics/breakdown').query({ kpi: 'log_timeliness', by: 'gender', marketId: m.id, from, to }).set(m.admin.auth).set('Accept-Language', 'en').expect(422);
    expect(noSplit.body.errors[0].message).toContain('cannot be broken down');
    const badDim = await t.http.get('/api/v1/analytics/breakdown').query({ kpi: 'service_visits', by: 'name', marketId: m.id, from, to }).set(m.admin.auth).set('Accept-Language', 'zh-CN').expect(400);
    expect(badDim.body.errors[0].message).toContain('拆分维度');
  });

  it('a correction on a sealed day changes the figure, the drill-down shows it, and the catch-up re-rolls the day', async () => {
    const m = markets[1];
    const before = await figures(m.admin, { marketId: m.id, from: TODAY, to: TODAY, kpis: 'service_visits,headcount_demanded' });
    const [sub] = await t.owner.query(`SELECT seq, payload FROM ledger_entries WHERE market_id = $1 AND kind = 'post_submitted' AND business_day = $2 ORDER BY seq LIMIT 1`, [m.id, TODAY]);
    // A check-in is written by a state change: not correctable (CORRECTABLE_FIELDS), so its figure cannot be moved this way.
    const [ci] = await t.owner.query(`SELECT seq FROM ledger_entries WHERE market_id = $1 AND kind = 'check_in' AND business_day = $2 ORDER BY seq LIMIT 1`, [m.id, TODAY]);
    await t.http.post(`/api/v1/markets/${m.id}/ledger/entries/${ci.seq}/corrections`).set(m.admin.auth).send({ reason: '重复签到，作废', payload: { void: true } }).expect(422);
    await t.http.post(`/api/v1/markets/${m.id}/ledger/entries/${sub.seq}/corrections`).set(m.admin.auth).send({ reason: '招用人数录入错误', payload: { headcount: sub.payload.headcount + 10 } }).expect(201);
    // The correction notified the queue; here the nightly catch-up finds the day stale and rolls it again.
    const caught = await svc.catchUp(3);
    expect(caught.rolled).toBeGreaterThanOrEqual(1);
    const after = await figures(m.admin, { marketId: m.id, from: TODAY, to: TODAY, kpis: 'service_visits,headcount_demanded' });
    expect(valueOf(after, 'service_visits')).toBe(valueOf(before, 'service_visits'));
    expect(valueOf(after, 'headcount_demanded')).toBe(valueOf(before, 'headcount_demanded')! + 10);
    expect(after.figures.every((f) => !f.provisional)).toBe(true);
    const want = await expected([m.id], TODAY, TODAY);
    expect(valueOf(after, 'headcount_demanded')).toBe(want['headcount_demanded']);
    const d = await t.http.get('/api/v1/analytics/drilldown').query({ kpi: 'headcount_demanded', marketId: m.id, from: TODAY, to: TODAY }).set(m.admin.auth).expect(200);
    expect(d.body.sum).toBe(valueOf(after, 'headcount_demanded'));
    const visits = await t.http.get('/api/v1/analytics/drilldown').query({ kpi: 'service_visits', marketId: m.id, from: TODAY, to: TODAY, pageSize: 500 }).set(m.admin.auth).expect(200);
    expect(visits.body.total).toBe(valueOf(after, 'service_visits'));
    expect(visits.body.items.map((i: { seq: number }) => i.seq)).toContain(Number(ci.seq));
    // The corrected post's own entries show the correction through the ledger's view.
    const entry = await t.http.get(`/api/v1/markets/${m.id}/ledger/entries`).query({ kind: 'post_submitted', from: TODAY, to: TODAY }).set(m.admin.auth).expect(200);
    expect(entry.body.items.find((e: { seq: number }) => e.seq === Number(sub.seq))).toMatchObject({ correctedBy: [expect.any(Number)], effectivePayload: { headcount: sub.payload.headcount + 10 } });
    // Nothing stale is left: a second catch-up rolls nothing — but days whose sealed entries are gone (other
    // suites of the shared test database delete entries as the owner to show tampering is caught) never match
    // their seals again, so each catch-up looks at them once more.
    const [{ tampered }] = await t.owner.query(
      `SELECT count(*)::int AS tampered FROM (
         SELECT s.market_id, s.business_day, sum(s.count) AS covered,
                (SELECT count(*) FROM ledger_entries e WHERE e.market_id = s.market_id AND e.business_day = s.business_day AND e.seq BETWEEN min(s.first_seq) AND max(s.last_seq)) AS present
         FROM ledger_seals s WHERE s.business_day >= $1::date - 3 GROUP BY 1, 2) d
       WHERE covered <> present`, [TODAY]);
    expect((await svc.catchUp(3)).days).toBe(tampered);
  });

  it('rolling a day up twice gives the same rows', async () => {
    const m = markets[2];
    const rows = () => t.owner.query(
      `SELECT metric, occupation, industry, gender, age_band, bucket, n, value, seqs, vals FROM analytics_facts WHERE market_id = $1 ORDER BY 1, 2, 3, 4, 5, 6`, [m.id]);
    const subjects = () => t.owner.query(`SELECT role, worker_id, first_seq FROM analytics_subject_days WHERE market_id = $1 ORDER BY 1, 2`, [m.id]);
    const a = [await rows(), await subjects()];
    expect(a[0].length).toBeGreaterThan(3);
    expect(await svc.rollupDay(m.id, TODAY)).toBe(true);
    expect(await svc.rollupDay(m.id, TODAY)).toBe(true);
    expect([await rows(), await subjects()]).toEqual(a);
    // The unsealed next day is never stored.
    expect(await svc.rollupDay(m.id, NEXT)).toBe(false);
    expect((await t.owner.query(`SELECT count(*)::int AS n FROM analytics_days WHERE market_id = $1 AND business_day = $2`, [m.id, NEXT]))[0].n).toBe(0);
    // No personal data in the facts: dimensions are codes and bands.
    const dims = await t.owner.query(`SELECT DISTINCT gender, age_band FROM analytics_facts WHERE market_id = $1`, [m.id]);
    for (const d of dims) {
      expect(['', 'male', 'female']).toContain(d.gender);
      expect(['', '16-24', '25-39', '40-49', '50-59', '60+']).toContain(d.age_band);
    }
  });

  describe('isolation', () => {
    it('the county sees its region only; the operator its tenant; staff their markets; others 404', async () => {
      const county = await login(t, 'county.reviewer');
      const op2 = await login(t, 'op2.admin');
      const desk = await login(t, 'op1.desk');
      const period = { from: TODAY, to: TODAY };
      // 中牟 (410122) and op2's markets, counted from the table (other suites add some); op1.desk is assigned 1.
      const [{ n: zhongmu }] = await t.owner.query(`SELECT count(*)::int AS n FROM markets WHERE region_code = '410122' AND tenant_id IS NOT NULL`);
      expect((await figures(county, period)).markets).toBe(zhongmu);
      const [{ n: ofOp2 }] = await t.owner.query(`SELECT count(*)::int AS n FROM markets WHERE tenant_id = $1`, [demoId('op2')]);
      expect(ofOp2).toBeGreaterThanOrEqual(2);
      expect((await figures(op2, period)).markets).toBe(ofOp2);
      expect((await figures(desk, period)).markets).toBe(1);
      expect((await figures(markets[0].admin, period)).markets).toBe(1);
      await t.http.get('/api/v1/analytics/kpis').query({ ...period, marketId: demoId('m-yiyang') }).set(county.auth).expect(404);
      await t.http.get('/api/v1/analytics/kpis').query({ ...period, regionCode: '410327' }).set(county.auth).expect(404);
      await t.http.get('/api/v1/analytics/kpis').query({ ...period, marketId: demoId('m-zhongmu') }).set(op2.auth).expect(404);
      await t.http.get('/api/v1/analytics/kpis').query({ ...period, marketId: demoId('m-guandu') }).set(desk.auth).expect(404);
      await t.http.get('/api/v1/analytics/kpis').query({ ...period, marketId: markets[0].id }).set(markets[1].admin.auth).expect(404);
      await t.http.get('/api/v1/analytics/drilldown').query({ ...period, kpi: 'service_visits', marketId: markets[0].id }).set(op2.auth).expect(404);
      await t.http.get('/api/v1/analytics/kpis').query({ ...period, operatorId: markets[0].tenantId }).set(op2.auth).expect(404);
      // The county sees the fresh markets of its region, with the same figures as their operator.
      const asCounty = await figures(county, { ...period, marketId: markets[0].id });
      const asOperator = await figures(markets[0].admin, { ...period, marketId: markets[0].id });
      expect(asCounty.figures.filter((f) => f.code !== 'staff_per_market' && f.code !== 'seekers_per_staff')).toEqual(asOperator.figures.filter((f) => f.code !== 'staff_per_market' && f.code !== 'seekers_per_staff'));
    });

    it('rejects bad input with a problem in the caller’s language, never a 500', async () => {
      const s = markets[0].admin;
      const bad = async (query: Record<string, string>, lang: string) =>
        (await t.http.get('/api/v1/analytics/kpis').query(query).set(s.auth).set('Accept-Language', lang).expect(400)).body;
      const zh = await bad({ from: TODAY, to: TODAY, kpis: 'hires_started,bogus' }, 'zh-CN');
      expect(zh.errors[0].message).toContain('没有这个指标代码');
      const en = await bad({ from: TODAY, to: TODAY, kpis: 'bogus' }, 'en');
      expect(en.errors[0].message).toContain('No KPI has that code');
      await bad({ from: TODAY, to: addDays(TODAY, -1) }, 'en');
      await bad({ from: '2026-13-01', to: TODAY }, 'en');
      await bad({ from: TODAY, to: TODAY, regionCode: '4101x' }, 'en');
      const conflict = await t.http.get('/api/v1/analytics/kpis').query({ from: TODAY, to: TODAY, marketId: markets[0].id, regionCode: '410122' }).set(s.auth).set('Accept-Language', 'en').expect(422);
      expect(conflict.body.errors[0].message).toContain('Choose one scope');
      const noDrill = await t.http.get('/api/v1/analytics/drilldown').query({ from: TODAY, to: TODAY, kpi: 'log_late_days', part: 'denominator' }).set(s.auth).set('Accept-Language', 'zh-CN').expect(422);
      expect(noDrill.body.errors[0].message).toContain('无法下钻');
      await t.http.get('/api/v1/analytics/kpis').query({ from: TODAY, to: TODAY }).expect(401);
    });
  });

  it('a manual re-run is recorded with its progress for the admin; staff and authorities may not start one', async () => {
    const m = markets[0];
    const run = await t.http.post('/api/v1/analytics/runs').set(m.admin.auth).send({ marketId: m.id, from: addDays(TODAY, -7), to: addDays(TODAY, -1) }).expect(202);
    expect(run.body).toMatchObject({ marketId: m.id, reason: 'manual', status: 'queued' });
    const done = await svc.executeRun(run.body.id);
    expect(done.days).toBe(0); // nothing sealed in that week
    const list = await t.http.get('/api/v1/analytics/runs').set(m.admin.auth).expect(200);
    expect(list.body.find((r: { id: string }) => r.id === run.body.id)).toMatchObject({ status: 'done' });
    await t.http.post('/api/v1/analytics/runs').set(m.admin.auth).send({ marketId: m.id, from: TODAY, to: TODAY }).set('Accept-Language', 'en').expect(422);
    await t.http.post('/api/v1/analytics/runs').set(m.desk.auth).send({ marketId: m.id, from: addDays(TODAY, -2), to: addDays(TODAY, -1) }).expect(403);
    await t.http.post('/api/v1/analytics/runs').set((await login(t, 'county.reviewer')).auth).send({ from: addDays(TODAY, -2), to: addDays(TODAY, -1) }).expect(403);
    await t.http.post('/api/v1/analytics/runs').set(markets[1].admin.auth).send({ marketId: m.id, from: addDays(TODAY, -2), to: addDays(TODAY, -1) }).expect(404);
  });
});
