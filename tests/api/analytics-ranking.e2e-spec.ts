import { AnalyticsService, REBUILD_REGION_DAYS, SEEN_SPAN, buildRegionSeen, markSeenStale, regionSeen, regionSeenOf, seenFirstsByDay, seenFirstsOn } from '@linggong/api-analytics';
import { TenantDb } from '@linggong/api-core';
import { KPIS as CATALOGUE, SYSTEM_ACTOR, computeKpi, histogramOf, type KpiResult, type RankingResult } from '@linggong/domain';
import { shanghaiDay } from '@linggong/ledger-chain';
import { continueOnNextDay } from '../support/ledger-next-day';
import { bootApp, registerAssigned, demoId, freshTenant, login, type Session, type TestApp } from '../support/app';

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
let phone = 13200000000 + (Date.now() % 1_000_000) * 10;

/**
 * `analytics_ranking` (issue 13 §4): one call, one row per market, operator or child region of the
 * caller's scope. Operator A has a market in 中牟 (410122) and one in 中原区 (410102); operator B one in
 * 中牟. Each gets real activity through the API on a sealed day (today) and an open one (the next day).
 * Every row must equal `analytics_kpis` over the same markets, a couple of KPIs also equal SQL written
 * here, the medians are checked by hand, and an operator's row in a county counts that county's markets only.
 */
describe('analytics: the ranking endpoint', () => {
  let t: TestApp;
  let svc: AnalyticsService;
  const TODAY = shanghaiDay(new Date());
  const NEXT = addDays(TODAY, 1);
  const KPIS = 'service_visits,hires_started,settlement_rate,demand_supply_ratio,job_seeking_days,staff_per_market';
  let a: { tenantId: string; admin: Session; desk: Session; zhongmu: string; zhongyuan: string };
  let b: { tenantId: string; admin: Session; desk: Session; zhongmu: string };

  async function activity(marketId: string, admin: Session, desk: Session, n: number, settleEvery: number) {
    const e = await t.http.post(`/api/v1/markets/${marketId}/employers`).set(desk.auth)
      .send({ kind: 'individual', name: `个体户${phone % 10000}`, contactName: '孙老板', contactPhone: String(++phone) }).expect(201);
    await t.http.post(`/api/v1/employers/${e.body.id}/verification`).set(admin.auth).send({ decision: 'verified', evidence: '身份证原件已核验' }).expect(200);
    const p = await t.http.post(`/api/v1/markets/${marketId}/posts`).set(desk.auth).send({
      employerId: e.body.id, occupation: '装卸搬运工', title: '装卸急招', headcount: n + 1, wageFen: 20000, wageUnit: 'day',
      period: 'same_day', startAt: inHours(1), place: '物流园 2 号门', requirements: '',
    }).expect(201);
    await t.http.post(`/api/v1/posts/${p.body.id}/review`).set(admin.auth).send({ decision: 'published' }).expect(200);
    for (let i = 0; i < n; i++) {
      const w = await t.http.post(`/api/v1/markets/${marketId}/workers`).set(desk.auth)
        .send({ name: `排名工${i}`, mobile: String(++phone), consent: true, occupations: ['装卸搬运工'], gender: 'male', birthYear: 1980 + i }).expect(201);
      await t.http.post(`/api/v1/markets/${marketId}/check-ins`).set(desk.auth).send({ workerId: w.body.id }).expect(200);
      if (i === n - 1) continue;
      const pl = await t.http.post('/api/v1/placements').set(desk.auth).send({ postId: p.body.id, workerId: w.body.id }).expect(201);
      await t.http.post(`/api/v1/placements/${pl.body.id}/confirm`).set(desk.auth).send({ party: 'both' }).expect(200);
      await t.http.post(`/api/v1/placements/${pl.body.id}/start`).set(desk.auth).send({}).expect(200);
      if (i % settleEvery === 0) {
        await t.http.post(`/api/v1/placements/${pl.body.id}/complete`).set(desk.auth)
          .send({ amountPaidFen: 20000, paidBy: '孙老板', paidAt: new Date().toISOString(), method: 'cash' }).expect(200);
      }
    }
  }

  beforeAll(async () => {
    t = await bootApp();
    svc = t.app.get(AnalyticsService);
    const root = await login(t, 'admin');
    const fa = await freshTenant(t, 'rka');
    const fb = await freshTenant(t, 'rkb');
    // Operator A's second market, in another county of the same city (中原区), with its own desk user.
    const m2 = { body: await registerAssigned(t, root, {
      name: `中原区零工市场（排名${Date.now() % 100000}）`, type: 'comprehensive', nature: 'public', mode: 'contracted', regionCode: '410102', operatorId: fa.org.id, status: 'open',
    }) };
    const desk2 = `rka${Date.now().toString(36)}.desk2`;
    await t.http.post('/api/v1/users').set(root.auth).send({ username: desk2, displayName: desk2, password: fa.password, orgId: fa.org.id, roles: ['front_desk'], marketIds: [m2.body.id], phone: '13912345678' }).expect(201);
    a = { tenantId: fa.org.id, admin: await login(t, fa.adminUser.username, fa.password), desk: await login(t, fa.deskUser.username, fa.password), zhongmu: fa.market.id, zhongyuan: m2.body.id };
    b = { tenantId: fb.org.id, admin: await login(t, fb.adminUser.username, fb.password), desk: await login(t, fb.deskUser.username, fb.password), zhongmu: fb.market.id };
    const aDesk2 = await login(t, desk2, fa.password);
    await activity(a.zhongmu, a.admin, a.desk, 4, 1);
    await activity(a.zhongyuan, a.admin, aDesk2, 6, 3);
    await activity(b.zhongmu, b.admin, b.desk, 5, 2);
    for (const id of [a.zhongmu, a.zhongyuan]) await t.http.post(`/api/v1/markets/${id}/ledger/days/${TODAY}/close`).set(a.admin.auth).send({ reason: '测试：提前日结' }).expect(201);
    await t.http.post(`/api/v1/markets/${b.zhongmu}/ledger/days/${TODAY}/close`).set(b.admin.auth).send({ reason: '测试：提前日结' }).expect(201);
    // Recorded after the close: the next open day (as an older chain did, tests/support/ledger-next-day.ts), unsealed (live, provisional).
    await continueOnNextDay(t, b.zhongmu, NEXT);
    await activity(b.zhongmu, b.admin, b.desk, 2, 1);
    await svc.rollupRange({ marketIds: [a.zhongmu, a.zhongyuan, b.zhongmu], from: addDays(TODAY, -3), to: TODAY, onlyStale: false });
  });
  afterAll(() => t.close());

  const ranking = async (s: Session, query: Record<string, string>) =>
    (await t.http.get('/api/v1/analytics/ranking').query({ kpis: KPIS, ...query }).set(s.auth).expect(200)).body as RankingResult;
  const kpis = async (s: Session, query: Record<string, string>) =>
    (await t.http.get('/api/v1/analytics/kpis').query({ kpis: KPIS, ...query }).set(s.auth).expect(200)).body as KpiResult;
  const rowOf = (r: RankingResult, id: string) => r.rows.find((x) => x.id === id)!;
  const valuesOf = (r: { figures: { code: string; value: number | null }[] }) => Object.fromEntries(r.figures.map((f) => [f.code, f.value]));

  it('a county reviewer ranks the county’s operators (each counting only its markets in the county) and markets, equal to analytics_kpis', async () => {
    const county = await login(t, 'county.reviewer');
    const period = { from: TODAY, to: NEXT };
    const ops = await ranking(county, { ...period, groupBy: 'operator' });
    const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM markets WHERE region_code = '410122' AND tenant_id IS NOT NULL`);
    expect(ops.markets).toBe(n);
    expect(ops.rows.reduce((s, r) => s + r.markets, 0)).toBe(n);
    // Operator A: its 中牟 market only, not its 中原区 one.
    const rowA = rowOf(ops, a.tenantId);
    expect(rowA).toMatchObject({ group: 'operator', markets: 1, regionCode: '410122', name: expect.stringContaining('测试运营机构') });
    expect(valuesOf(rowA)).toEqual(valuesOf(await kpis(county, { ...period, marketId: a.zhongmu })));
    // Every operator row equals analytics_kpis over its markets (an operator wholly in the county: its operator scope).
    const root = await login(t, 'admin');
    for (const r of ops.rows) {
      const [{ elsewhere }] = await t.owner.query(`SELECT count(*)::int AS elsewhere FROM markets WHERE tenant_id = $1 AND region_code <> '410122'`, [r.id]);
      if (elsewhere === 0) expect({ id: r.id, ...valuesOf(r) }).toEqual({ id: r.id, ...valuesOf(await kpis(root, { ...period, operatorId: r.id })) });
    }
    const mk = await ranking(county, { ...period, groupBy: 'market' });
    expect(mk.rows).toHaveLength(n);
    for (const r of mk.rows) {
      expect(r).toMatchObject({ group: 'market', markets: 1, regionCode: '410122' });
      const k = await kpis(county, { ...period, marketId: r.id });
      expect({ id: r.id, ...valuesOf(r) }).toEqual({ id: r.id, ...valuesOf(k) });
      expect(r.provisional).toBe(k.figures[0].provisional);
    }
    expect(rowOf(mk, b.zhongmu).provisional).toBe(true);
    expect(rowOf(mk, a.zhongmu).provisional).toBe(false);
    expect(mk.provisional).toBe(true);
  });

  it('equals SQL over the work log for service visits and the settlement rate', async () => {
    const county = await login(t, 'county.reviewer');
    const r = await ranking(county, { from: TODAY, to: NEXT, groupBy: 'market', kpis: 'service_visits,settlement_rate' });
    for (const id of [a.zhongmu, b.zhongmu]) {
      const [sql] = await t.owner.query(
        `SELECT count(*) FILTER (WHERE kind = 'check_in')::int AS visits, count(*) FILTER (WHERE kind = 'settlement')::int AS settled,
                count(*) FILTER (WHERE kind = 'hire_started')::int AS started
         FROM ledger_entries WHERE market_id = $1 AND business_day BETWEEN $2 AND $3`, [id, TODAY, NEXT]);
      expect(sql.started).toBeGreaterThan(0);
      expect(valuesOf(rowOf(r, id))).toEqual({ service_visits: sql.visits, settlement_rate: Math.round((sql.settled / sql.started) * 10000) / 100 });
    }
    // 中牟 A: 4 workers, 3 started, all settled: 100 %. 中牟 B: 5 + 2 workers; 4 started (0 and 2 settled) + 1 (settled): 3 of 5 = 60 %.
    expect(valuesOf(rowOf(r, a.zhongmu)).settlement_rate).toBe(100);
    expect(valuesOf(rowOf(r, b.zhongmu)).settlement_rate).toBe(60);
  });

  it('the medians are the middle of the rows and mark the worse rows by the KPI’s direction', async () => {
    const city = await login(t, 'city.analyst');
    const r = await ranking(city, { from: TODAY, to: TODAY, groupBy: 'market', kpis: 'service_visits,settlement_rate,staff_per_market' });
    for (const [i, code] of ['service_visits', 'settlement_rate', 'staff_per_market'].entries()) {
      const vals = r.rows.map((x) => x.figures[i].value).filter((v): v is number => v !== null).sort((x, y) => x - y);
      const mid = vals.length % 2 ? vals[(vals.length - 1) / 2] : (vals[vals.length / 2 - 1] + vals[vals.length / 2]) / 2;
      expect({ code, median: r.medians[i].value }).toEqual({ code, median: vals.length ? Math.round(mid * 100) / 100 : null });
      for (const row of r.rows) {
        const f = row.figures[i];
        const want = code === 'staff_per_market' || f.value === null ? null : f.value < mid;
        expect({ code, row: row.id, worse: f.worse }).toEqual({ code, row: row.id, worse: want });
      }
    }
    // By hand, over operator A's two markets alone: visits 4 and 6 → median 5; A's 中牟 (4) is worse, 中原区 (6) is not.
    const mine = await ranking(a.admin, { from: TODAY, to: TODAY, groupBy: 'market', kpis: 'service_visits' });
    expect(mine.rows.map((x) => [x.id, x.figures[0].value, x.figures[0].worse])).toEqual([[a.zhongyuan, 6, false], [a.zhongmu, 4, true]]);
    expect(mine.medians[0]).toMatchObject({ code: 'service_visits', value: 5, direction: 'up' });
  });

  it('a city analyst ranks its counties, each equal to analytics_kpis for that county', async () => {
    const city = await login(t, 'city.analyst');
    const r = await ranking(city, { from: TODAY, to: NEXT, groupBy: 'region' });
    expect(r.rows.map((x) => x.id)).toEqual(expect.arrayContaining(['410102', '410122']));
    for (const row of r.rows) {
      expect(row.id).toMatch(/^4101\d{2}$/);
      expect(row.regionName).toBeTruthy();
      const k = await kpis(city, { from: TODAY, to: NEXT, regionCode: row.id });
      expect({ id: row.id, markets: row.markets, ...valuesOf(row) }).toEqual({ id: row.id, markets: k.markets, ...valuesOf(k) });
    }
    // Two levels down: a province's counties (here the city analyst's own city asked for counties explicitly).
    const counties = await ranking(city, { from: TODAY, to: NEXT, groupBy: 'region', regionLevel: 'county', kpis: 'service_visits' });
    expect(counties.rows.map((x) => x.id)).toEqual(r.rows.map((x) => x.id));
    // Operator A in the city: both its markets; in 中原区 alone: one (its operator scope would count both: the old per-row calls did).
    const ops = await ranking(city, { from: TODAY, to: NEXT, groupBy: 'operator' });
    expect(rowOf(ops, a.tenantId)).toMatchObject({ markets: 2, regionCode: '4101' });
    expect((await kpis(city, { from: TODAY, to: NEXT, operatorId: a.tenantId })).markets).toBe(2);
    const zy = await ranking(city, { from: TODAY, to: NEXT, groupBy: 'operator', regionCode: '410102' });
    expect(rowOf(zy, a.tenantId).markets).toBe(1);
    expect(valuesOf(rowOf(zy, a.tenantId))).toEqual(valuesOf(await kpis(city, { from: TODAY, to: NEXT, marketId: a.zhongyuan })));
  });

  describe('region pre-aggregates (issue 13: province speed)', () => {
    const regionDays = () => t.owner.query(`SELECT region_code, to_char(business_day, 'YYYY-MM-DD') AS day, metric, occupation, bucket::text, to_char(cohort_day, 'YYYY-MM-DD') AS cohort, n::text, value::text
      FROM analytics_region_days WHERE n <> 0 OR value <> 0 ORDER BY 1, 2, 3, 4, 5, 6`);
    /** The rows kept by the rollup's deltas equal a rebuild from the facts (in a transaction rolled back). */
    async function expectDeltasEqualRebuild() {
      const kept = await regionDays();
      const runner = t.owner.createQueryRunner();
      await runner.startTransaction();
      try {
        await runner.query(REBUILD_REGION_DAYS);
        const rebuilt = await runner.query(`SELECT region_code, to_char(business_day, 'YYYY-MM-DD') AS day, metric, occupation, bucket::text, to_char(cohort_day, 'YYYY-MM-DD') AS cohort, n::text, value::text
          FROM analytics_region_days ORDER BY 1, 2, 3, 4, 5, 6`);
        expect(kept).toEqual(rebuilt);
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
      return kept;
    }
    /** Every KPI of a region from its markets' facts and subject rows, and from the pre-aggregates: equal. */
    async function expectRegionEqualsFacts(region: string, from: string, to: string) {
      const db = t.app.get(TenantDb);
      return db.run(SYSTEM_ACTOR, async (em) => {
        const markets = (await em.query(`SELECT id, tenant_id AS "tenantId", region_code AS "regionCode", name FROM markets WHERE tenant_id IS NOT NULL AND region_code LIKE $1 ORDER BY id`, [`${region}%`]));
        const viaFacts = await svc.inputs(em, markets, from, to, null);
        const viaRegion = await svc.inputs(em, markets, from, to, region);
        const values = (x: typeof viaFacts) => Object.fromEntries(CATALOGUE.map((k) => [k.code, computeKpi(k, x.inputs)]));
        expect({ region, from, to, ...values(viaRegion) }).toEqual({ region, from, to, ...values(viaFacts) });
        // The inputs too (the cohort sums, the effective 求人倍率's open demand and recent job seekers), not only the rounded values.
        const inputs = (x: typeof viaFacts) => ({ region, from, to, ...x.inputs, seeking: [...x.inputs.seeking].sort((p, q) => p[0] - q[0]) });
        expect(inputs(viaRegion)).toEqual(inputs(viaFacts));
        expect(viaRegion.wageByOccupation).toEqual(viaFacts.wageByOccupation);
        return { ...viaRegion.aggregates, inputs: viaRegion.inputs, values: values(viaRegion) };
      });
    }

    it('the rollup keeps the region day rows equal to the facts, through re-rolls and a correction', async () => {
      const rows = await expectDeltasEqualRebuild();
      expect(rows.some((r: { region_code: string; metric: string }) => r.region_code === '41' && r.metric === '@open')).toBe(true);
      expect(rows.some((r: { region_code: string; metric: string }) => r.region_code === '4101' && r.metric === 'check_ins')).toBe(true);
      // A day rolled twice: unchanged.
      expect(await svc.rollupDay(a.zhongmu, TODAY)).toBe(true);
      expect(await svc.rollupDay(a.zhongmu, TODAY)).toBe(true);
      expect(await regionDays()).toEqual(rows);
      // A correction of a post's headcount on the sealed day, re-rolled: the rows move with the facts.
      const [sub] = await t.owner.query(`SELECT seq, payload FROM ledger_entries WHERE market_id = $1 AND kind = 'post_submitted' AND business_day = $2 ORDER BY seq LIMIT 1`, [a.zhongyuan, TODAY]);
      await t.http.post(`/api/v1/markets/${a.zhongyuan}/ledger/entries/${sub.seq}/corrections`).set(a.admin.auth).send({ reason: '招用人数录入错误', payload: { headcount: sub.payload.headcount + 7 } }).expect(201);
      expect(await svc.rollupDay(a.zhongyuan, TODAY)).toBe(true);
      const after = await expectDeltasEqualRebuild();
      const hc = (r: { region_code: string; metric: string; n: string; value: string }[], code: string) =>
        r.filter((x) => x.region_code === code && x.metric === 'headcount_demanded').reduce((s, x) => s + Number(x.value), 0);
      expect(hc(after, '410102')).toBe(hc(rows, '410102') + 7);
      expect(hc(after, '4101')).toBe(hc(rows, '4101') + 7);
      expect(hc(after, '410122')).toBe(hc(rows, '410122'));
    });

    it('a region’s figures from the pre-aggregates equal those from its markets’ rows; standard periods serve the job seekers, others fall back', async () => {
      // Periods ending today (sealed for operator A's markets): refresh as the nightly run would for a last day of today.
      await svc.refreshRegionPeriods(TODAY);
      const [p30] = await t.owner.query(`SELECT seekers FROM analytics_region_periods WHERE region_code = '410102' AND from_day = $1 AND to_day = $2`, [addDays(TODAY, -29), TODAY]);
      expect(p30.seekers).toBeGreaterThanOrEqual(6);
      // Equal whichever way the job seekers come (other suites' markets in 41 may have unsealed days, which are folded live).
      for (const region of ['41', '4101', '410122', '410102']) {
        expect((await expectRegionEqualsFacts(region, addDays(TODAY, -29), TODAY)).days).toBe(true);
        expect((await expectRegionEqualsFacts(region, addDays(TODAY, -59), addDays(TODAY, -30))).days).toBe(true);
        // A custom period: sums from the day rows; job seekers from the region's seen rows if nothing in it is unsealed, else from the subject rows.
        expect(await expectRegionEqualsFacts(region, addDays(TODAY, -2), TODAY)).toMatchObject({ days: true, vector: false });
      }
      // 中原区 (operator A's market only, sealed through today): a custom period's job seekers come from its seen rows.
      expect(await expectRegionEqualsFacts('410102', addDays(TODAY, -2), TODAY)).toMatchObject({ days: true, seekers: true, vector: false });
      // 中原区 has operator A's market only, sealed through today: its standard periods serve the job seekers.
      // Nothing unsealed in them: the whole period comes from its stored vector.
      expect(await expectRegionEqualsFacts('410102', addDays(TODAY, -29), TODAY)).toMatchObject({ days: true, seekers: true, vector: true });
      expect(await expectRegionEqualsFacts('410102', addDays(TODAY, -59), addDays(TODAY, -30))).toMatchObject({ days: true, seekers: true, vector: true });
      for (const [from, to] of [[addDays(TODAY, -89), TODAY], [addDays(TODAY, -364), TODAY], [addDays(TODAY, -179), addDays(TODAY, -90)]]) {
        expect(await expectRegionEqualsFacts('410102', from, to)).toMatchObject({ vector: true });
        expect(await expectRegionEqualsFacts('4101', from, to)).toMatchObject({ days: true });
      }
      // Through the API: the county reviewer's 30 days to today are served whole, and say so.
      const county = await login(t, 'county.reviewer');
      const k = await kpis(county, { from: addDays(TODAY, -29), to: TODAY });
      expect(k.aggregates?.days).toBe(true);
      const city = await login(t, 'city.analyst');
      expect((await kpis(city, { from: addDays(TODAY, -29), to: TODAY, regionCode: '410102' })).aggregates).toEqual({ days: true, seekers: true, vector: true });
      expect((await kpis(a.admin, { from: addDays(TODAY, -29), to: TODAY })).aggregates).toEqual({ days: false, seekers: false, vector: false });
      // A re-roll that changes a day's job seekers makes the periods containing it stale: computed from the rows again, still equal.
      await t.owner.query(`DELETE FROM analytics_subject_days WHERE market_id = $1 AND business_day = $2 AND role = 'seeker' AND worker_id = (SELECT worker_id FROM analytics_subject_days WHERE market_id = $1 AND business_day = $2 AND role = 'seeker' LIMIT 1)`, [a.zhongyuan, TODAY]);
      expect(await svc.rollupDay(a.zhongyuan, TODAY)).toBe(true);
      const stale = await t.owner.query(`SELECT region_code, stale FROM analytics_region_periods WHERE region_code IN ('41', '4101', '410102') AND from_day = $1 AND to_day = $2 ORDER BY 1`, [addDays(TODAY, -29), TODAY]);
      expect(stale.map((x: { stale: boolean }) => x.stale)).toEqual([true, true, true]);
      const seenStale = await t.owner.query(`SELECT region_code, stale FROM analytics_region_seen_state WHERE region_code IN ('41', '4101', '410102', '410122') ORDER BY 1`);
      expect(seenStale.map((x: { region_code: string; stale: boolean }) => [x.region_code, x.stale])).toEqual([['41', true], ['4101', true], ['410102', true], ['410122', false]]);
      expect(await expectRegionEqualsFacts('410102', addDays(TODAY, -29), TODAY)).toMatchObject({ days: true, seekers: false, vector: false });
      expect(await expectRegionEqualsFacts('410102', addDays(TODAY, -2), TODAY)).toMatchObject({ days: true, seekers: false, vector: false });
      await svc.refreshRegionPeriods(TODAY);
      expect(await expectRegionEqualsFacts('410102', addDays(TODAY, -29), TODAY)).toMatchObject({ days: true, seekers: true, vector: true });
      expect(await expectRegionEqualsFacts('410102', addDays(TODAY, -2), TODAY)).toMatchObject({ days: true, seekers: true, vector: false });
      // The distinct job seekers drill-down of a whole region: from the seen rows page by page, the same items as from the subject rows.
      const drill = async (s: Session, page: number) => (await t.http.get('/api/v1/analytics/drilldown').set(s.auth)
        .query({ kpi: 'demand_supply_ratio', part: 'denominator', regionCode: '410102', from: addDays(TODAY, -2), to: TODAY, page, pageSize: 2 }).expect(200)).body;
      const all = async () => {
        const first = await drill(city, 1);
        const items = [...first.items];
        for (let p = 2; (p - 1) * 2 < first.total; p++) items.push(...(await drill(city, p)).items);
        return { total: first.total, sum: first.sum, items: items.map((i: { marketId: string; day: string; seq: number }) => `${i.marketId}:${i.day}:${i.seq}`) };
      };
      const viaSeen = await all();
      expect(viaSeen.total).toBeGreaterThan(2);
      expect(viaSeen.items).toHaveLength(viaSeen.total);
      await t.owner.query(`UPDATE analytics_region_seen_state SET stale = true WHERE region_code = '410102'`);
      expect(await all()).toEqual(viaSeen);
      await svc.refreshRegionPeriods(TODAY);
      // The ranking's region rows read the same aggregates: equal to analytics_kpis for each county.
      const r = await ranking(city, { from: addDays(TODAY, -29), to: TODAY, groupBy: 'region' });
      for (const row of r.rows) expect({ id: row.id, ...valuesOf(row) }).toEqual({ id: row.id, ...valuesOf(await kpis(city, { from: addDays(TODAY, -29), to: TODAY, regionCode: row.id })) });
    });
    it('a stored period follows a correction: stale at once (figures from the rows, with the correction), equal again when refreshed', async () => {
      await svc.refreshRegionPeriods(TODAY);
      const P30: [string, string] = [addDays(TODAY, -29), TODAY];
      const before = await expectRegionEqualsFacts('410102', ...P30);
      expect(before).toMatchObject({ vector: true });
      const staleOf = async () => Object.fromEntries((await t.owner.query(
        `SELECT region_code || ':' || to_char(from_day, 'YYYY-MM-DD') || ':' || to_char(to_day, 'YYYY-MM-DD') AS k, stale FROM analytics_region_periods
         WHERE region_code IN ('41', '4101', '410102', '410122') AND ((from_day = $1 AND to_day = $2) OR (from_day = $3 AND to_day = $4))`,
        [...P30, addDays(TODAY, -59), addDays(TODAY, -30)])).map((r: { k: string; stale: boolean }) => [r.k, r.stale]));
      // A day rolled again unchanged leaves the stored periods fresh.
      expect(await svc.rollupDay(a.zhongyuan, TODAY)).toBe(true);
      expect(Object.values(await staleOf()).every((x) => x === false)).toBe(true);
      // A correction of a post's headcount on the sealed day, re-rolled as the notification would.
      const [sub] = await t.owner.query(`SELECT seq, payload FROM ledger_entries WHERE market_id = $1 AND kind = 'post_submitted' AND business_day = $2 ORDER BY seq LIMIT 1`, [a.zhongyuan, TODAY]);
      // Its headcount now: the last correction's, if any (the first test corrected it once).
      const [last] = await t.owner.query(`SELECT payload->>'headcount' AS h FROM ledger_entries WHERE market_id = $1 AND corrects = $2 ORDER BY seq DESC LIMIT 1`, [a.zhongyuan, sub.seq]);
      const headcount = Number(last?.h ?? sub.payload.headcount);
      await t.http.post(`/api/v1/markets/${a.zhongyuan}/ledger/entries/${sub.seq}/corrections`).set(a.admin.auth).send({ reason: '招用人数再次更正', payload: { headcount: headcount + 3 } }).expect(201);
      expect(await svc.rollupDay(a.zhongyuan, TODAY)).toBe(true);
      const stale = await staleOf();
      // Every region of the market, for the periods that read TODAY; not the 30 days before, nor another county.
      expect(stale).toEqual({
        [`41:${P30.join(':')}`]: true, [`4101:${P30.join(':')}`]: true, [`410102:${P30.join(':')}`]: true, [`410122:${P30.join(':')}`]: false,
        [`41:${addDays(TODAY, -59)}:${addDays(TODAY, -30)}`]: false, [`4101:${addDays(TODAY, -59)}:${addDays(TODAY, -30)}`]: false,
        [`410102:${addDays(TODAY, -59)}:${addDays(TODAY, -30)}`]: false, [`410122:${addDays(TODAY, -59)}:${addDays(TODAY, -30)}`]: false,
      });
      const corrected = await expectRegionEqualsFacts('410102', ...P30);
      expect(corrected).toMatchObject({ vector: false });
      expect(corrected.inputs.sums['headcount_demanded']).toBe((before.inputs.sums['headcount_demanded'] ?? 0) + 3);
      expect(corrected.inputs.openDemand).toBe(before.inputs.openDemand + 3);
      // The next refresh stores the corrected figures.
      await svc.refreshRegionPeriods(TODAY);
      const refreshed = await expectRegionEqualsFacts('410102', ...P30);
      expect(refreshed).toMatchObject({ vector: true });
      expect(refreshed.inputs).toEqual(corrected.inputs);
    });

    it('the seen rows count any period’s distinct job seekers, job-seeking days and recent job seekers exactly as the subject rows do', async () => {
      // A synthetic history in a county no suite uses (新安县), in a transaction rolled back at the end: 40 workers over 90 days,
      // checking in and starting at random (fixed seed), some starting on a day they did not check in, some away for weeks.
      const db = t.app.get(TenantDb);
      const LAST = addDays(TODAY, -1);
      const FIRST = addDays(LAST, -89);
      const ROLLBACK = new Error('rollback');
      let checked = 0;
      await db.run(SYSTEM_ACTOR, async (em) => {
        const [m] = await em.query(`INSERT INTO markets (id, tenant_id, region_code, name, type, nature, mode, status, occupations)
          VALUES (gen_random_uuid(), $1, '410323', '新安县零工市场（去重测试）', 'comprehensive', 'public', 'contracted', 'open', '{}') RETURNING id`, [demoId('op1')]);
        let x = 20261207;
        const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
        const rows: [string, string, string][] = [];
        for (let w = 0; w < 40; w++) {
          const worker = `00000000-0000-4000-8000-${String(w).padStart(12, '0')}`;
          const p = 0.1 + 0.6 * rnd();
          let away = 0;
          for (let d = 0; d < 90; d++) {
            if (away > 0) { away--; continue; }
            if (rnd() < 0.03) away = 10 + Math.floor(rnd() * 30);
            const day = addDays(FIRST, d);
            const seen = rnd() < p;
            if (seen) rows.push([worker, day, 'seeker']);
            if ((seen && rnd() < 0.3) || rnd() < 0.02) rows.push([worker, day, 'starter']);
          }
        }
        await em.query(`INSERT INTO analytics_subject_days (market_id, business_day, role, worker_id, tenant_id, region_code, first_seq)
          SELECT $1, d, r, w, $2, '410323', 1 FROM unnest($3::uuid[], $4::date[], $5::text[]) AS x(w, d, r)`,
        [m.id, demoId('op1'), rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])]);
        // It says how many rows it wrote (the nightly refresh analyses the table when any were written).
        const written = await buildRegionSeen(em, '410323', LAST);
        const [{ n: stored }] = await em.query(`SELECT count(*)::int AS n FROM analytics_region_seen WHERE region_code = '410323'`);
        expect(written).toBeGreaterThan(0);
        expect(written).toBe(stored);
        // Independent SQL over the subject rows: per worker, the first check-in of the period and the first start on or after it.
        const bySubjects = async (from: string, to: string) => {
          const [r] = await em.query(
            `WITH s AS (SELECT worker_id, business_day AS d, role FROM analytics_subject_days WHERE region_code = '410323' AND business_day BETWEEN $1 AND $2),
               f AS (SELECT worker_id, min(d) AS d FROM s WHERE role = 'seeker' GROUP BY 1),
               k AS (SELECT (SELECT min(s.d) FROM s WHERE s.worker_id = f.worker_id AND s.role = 'starter' AND s.d >= f.d) - f.d AS days FROM f)
             SELECT (SELECT count(*) FROM f)::int AS seekers, (SELECT COALESCE(array_agg(days ORDER BY days), '{}') FROM k WHERE days IS NOT NULL) AS seeking,
               (SELECT count(DISTINCT worker_id) FROM analytics_subject_days WHERE region_code = '410323' AND role = 'seeker' AND business_day BETWEEN $3 AND $2)::int AS recent`,
            [from, to, addDays(to, -29)]);
          return { seekers: r.seekers, seeking: histogramOf((r.seeking as number[]).map(Number)), recentSeekers: r.recent };
        };
        for (let a = 30; a < 90; a += 3) {
          for (let b = a; b < 90; b += 4) {
            const [from, to] = [addDays(FIRST, a), addDays(FIRST, b)];
            const seen = await regionSeen(em, '410323', from, to, addDays(to, -29));
            expect({ from, to, ...seen, seeking: [...(seen?.seeking ?? [])].sort((p, q) => p[0] - q[0]) }).toEqual({ from, to, ...(await bySubjects(from, to)) });
            // The drill-down's items: each worker's first check-in of the period, per day and on a day, as the grouped query finds them.
            const firsts: { worker_id: string; day: string }[] = await em.query(
              `SELECT DISTINCT ON (worker_id) worker_id, business_day AS day FROM analytics_subject_days WHERE region_code = '410323' AND role = 'seeker'
                 AND business_day BETWEEN $1 AND $2 ORDER BY worker_id, business_day`, [from, to]);
            const perDay = new Map<string, number>();
            for (const f of firsts) perDay.set(f.day, (perDay.get(f.day) ?? 0) + 1);
            expect((await seenFirstsByDay(em, '410323', from, to))?.map((d) => [d.day, d.n])).toEqual([...perDay].sort());
            if (b - a === 8) {
              // A later day of the period (its seekers less those of the days before) and the first day (all its seekers).
              for (const day of [addDays(from, 4), from]) {
                const on = (await seenFirstsOn(em, '410323', [m.id], from, day)).map((r) => r.day + r.seq).sort();
                expect(on).toEqual(firsts.filter((f) => f.day === day).map(() => `${day}1`));
              }
            }
            checked++;
          }
        }
        // Several periods in one statement (analytics_kpis reads its period and the previous one so): each as read alone, and
        // a period the rows cannot serve (ending after the built days) is null beside ones they can.
        const batch = [[35, 79], [80, 89], [40, 40], [60, 95]].map(([a, b]) => ({ from: addDays(FIRST, a), to: addDays(FIRST, b), ws: addDays(FIRST, b - 29) }));
        const together = await regionSeenOf(em, '410323', batch);
        for (const p of batch) expect({ ...p, seen: together.get(`${p.from}:${p.to}`) }).toEqual({ ...p, seen: await regionSeen(em, '410323', p.from, p.to, p.ws) });
        expect(together.get(`${batch[3].from}:${batch[3].to}`)).toBeNull();
        expect(together.get(`${batch[0].from}:${batch[0].to}`)?.seekers).toBeGreaterThan(0);
        // Not served: a period ending after the built days, one longer than the span, and a stale region.
        expect(await regionSeen(em, '410323', addDays(LAST, -5), TODAY, addDays(TODAY, -29))).toBeNull();
        expect(await regionSeen(em, '410323', addDays(LAST, -SEEN_SPAN), LAST, addDays(LAST, -29))).toBeNull();
        await markSeenStale(em, addDays(LAST, -50), ['41', '4103', '410323']);
        expect(await regionSeen(em, '410323', addDays(LAST, -9), LAST, addDays(LAST, -29))).toBeNull();
        expect(await buildRegionSeen(em, '410323', LAST)).toBe(stored);
        expect(await regionSeen(em, '410323', addDays(LAST, -9), LAST, addDays(LAST, -29))).toEqual(expect.objectContaining(await bySubjects(addDays(LAST, -9), LAST).then((r) => ({ seekers: r.seekers, recentSeekers: r.recentSeekers }))));
        throw ROLLBACK;
      }).catch((e) => { if (e !== ROLLBACK) throw e; });
      expect(checked).toBeGreaterThan(100);
    });

    it('cohort KPIs and the effective 求人倍率: a region’s figures equal its markets’ for periods that cut a cohort and periods that hold it', async () => {
      // Facts as the rollup stores them, on days before this suite's activity (rebuilt into the region rows as after a bulk load):
      // 2 hires started on C in 中原区, 1 settled and 1 reported unpaid on D (cohort C); a post of 5 published on C, closed on D;
      // a plan opened on C, completed on D.
      const D = addDays(TODAY, -40);
      const C = addDays(D, -5);
      const rows: [string, string, string, number, number][] = [
        [C, C, 'hires_started', 2, 2], [D, C, 'hires_settled', 1, 1], [D, C, 'hires_unpaid', 1, 1],
        [C, C, 'headcount_demanded', 1, 5], [D, C, 'demand_closed', 1, -5],
        [C, C, 'packages_opened', 1, 1], [D, C, 'plans_completed', 1, 1],
      ];
      try {
        for (const [day, cohort, metric, n, value] of rows) {
          await t.owner.query(
            `INSERT INTO analytics_facts (market_id, business_day, cohort_day, metric, occupation, industry, gender, age_band, bucket, tenant_id, region_code, n, value, seqs, vals)
             VALUES ($1, $2, $3, $4, '', '', '', '', 0, $5, '410102', $6, $7, '{1}', NULL)`, [a.zhongyuan, day, cohort, metric, a.tenantId, n, value]);
        }
        await t.owner.query(REBUILD_REGION_DAYS);
        for (const region of ['41', '4101', '410102']) {
          // The period holds the cohort: its settlements, non-payment and completions count; the post is closed by D.
          const held = await expectRegionEqualsFacts(region, addDays(C, -1), D);
          const cut = await expectRegionEqualsFacts(region, addDays(C, 1), D);
          const before = await expectRegionEqualsFacts(region, C, addDays(D, -1));
          const closed = await expectRegionEqualsFacts(region, C, D);
          if (region !== '410102') continue;
          // 中原区 (operator A's market only): the period holds the cohort, so its settlement, non-payment and completion count.
          expect(held.inputs.sums).toMatchObject({ hires_started: 2, hires_settled: 1, hires_unpaid: 1, plans_completed: 1 });
          expect(held.values['settlement_rate']).toBe(50);
          expect(held.values['non_payment_per_100']).toBe(50);
          // It starts after C: D's settlement, report and completion belong to an earlier cohort and do not count.
          expect(cut.inputs.sums['hires_settled'] ?? 0).toBe(0);
          expect(cut.inputs.sums['plans_completed'] ?? 0).toBe(0);
          // The effective 求人倍率 ending the day before D: the post is still open (5); ending on D: closed (0).
          expect(before.inputs.openDemand).toBe(5);
          expect(closed.inputs.openDemand).toBe(0);
        }
      } finally {
        await t.owner.query(`DELETE FROM analytics_facts WHERE market_id = $1 AND business_day IN ($2, $3)`, [a.zhongyuan, C, D]);
        await t.owner.query(REBUILD_REGION_DAYS);
      }
    });
  });

  describe('isolation and bad input', () => {
    it('sees only the caller’s scope: region, tenant, assigned markets; 404 outside', async () => {
      const county = await login(t, 'county.reviewer');
      const period = { from: TODAY, to: TODAY };
      const r = await ranking(county, { ...period, groupBy: 'market' });
      expect(r.rows.map((x) => x.id)).not.toContain(a.zhongyuan);
      expect(r.rows.every((x) => x.regionCode === '410122')).toBe(true);
      // The operator admin: its own markets only, whatever the grouping.
      expect((await ranking(b.admin, { ...period, groupBy: 'market' })).rows.map((x) => x.id)).toEqual([b.zhongmu]);
      expect((await ranking(b.admin, { ...period, groupBy: 'operator' })).rows.map((x) => x.id)).toEqual([b.tenantId]);
      // Staff: their assigned markets only.
      const desk = await login(t, 'op1.desk');
      expect((await ranking(desk, { ...period, groupBy: 'market' })).rows).toHaveLength(1);
      expect((await ranking(a.desk, { ...period, groupBy: 'region' })).rows.map((x) => x.markets)).toEqual([1]);
      const get = (s: Session, q: Record<string, string>) => t.http.get('/api/v1/analytics/ranking').query({ ...period, ...q }).set(s.auth);
      await get(county, { groupBy: 'market', regionCode: '410327' }).expect(404);
      await get(county, { groupBy: 'market', regionCode: '4101' }).expect(404);
      await get(county, { groupBy: 'operator', marketId: a.zhongyuan }).expect(404);
      await get(county, { groupBy: 'market', marketId: demoId('m-yiyang') }).expect(404);
      await get(b.admin, { groupBy: 'market', operatorId: a.tenantId }).expect(404);
      await get(b.admin, { groupBy: 'market', marketId: a.zhongmu }).expect(404);
      await get(a.desk, { groupBy: 'market', marketId: a.zhongyuan }).expect(404);
      await t.http.get('/api/v1/analytics/ranking').query({ ...period, groupBy: 'market' }).expect(401);
    });

    it('rejects bad input with a problem in the caller’s language', async () => {
      const county = await login(t, 'county.reviewer');
      const bad = (q: Record<string, string>, lang = 'en') => t.http.get('/api/v1/analytics/ranking').query(q).set(county.auth).set('Accept-Language', lang);
      expect((await bad({ from: TODAY, to: TODAY, groupBy: 'worker' }).expect(400)).body.errors[0].message).toContain('groups by market, operator or region');
      expect((await bad({ from: TODAY, to: TODAY, groupBy: 'worker' }, 'zh-CN').expect(400)).body.errors[0].message).toContain('排名分组');
      await bad({ from: TODAY, to: TODAY }).expect(400);
      await bad({ from: TODAY, to: TODAY, groupBy: 'market', kpis: 'bogus' }).expect(400);
      await bad({ from: TODAY, to: addDays(TODAY, -1), groupBy: 'market' }).expect(400);
      await bad({ from: addDays(TODAY, -400), to: TODAY, groupBy: 'market' }).expect(400);
      await bad({ from: TODAY, to: TODAY, groupBy: 'market', regionCode: '41a' }).expect(400);
      expect((await bad({ from: TODAY, to: TODAY, groupBy: 'market', regionCode: '410122', marketId: a.zhongmu }).expect(422)).body.errors[0].message).toContain('Choose one scope');
      // A county has no child regions.
      expect((await bad({ from: TODAY, to: TODAY, groupBy: 'region' }).expect(422)).body.errors[0].message).toContain('no lower regions');
      await bad({ from: TODAY, to: TODAY, groupBy: 'region', regionLevel: 'city' }).expect(422);
      await bad({ from: TODAY, to: TODAY, groupBy: 'region', regionLevel: 'town' }).expect(400);
    });
  });
});
