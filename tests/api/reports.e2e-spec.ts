import { AnalyticsService } from '@linggong/api-analytics';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReportRemindersService, reportDigest } from '@linggong/api-reports';
import { nextMonth, reportDeadline, type ReleaseView, type ReportBoard, type ReportFigures, type ReportView } from '@linggong/domain';
import { shanghaiDay } from '@linggong/ledger-chain';
import { bootApp, login, type Session, type TestApp } from '../support/app';

/**
 * Monthly supply–demand reports (issue 14 §3–5). The month is the current one: the test database holds
 * the demo markets' activity of today (folded live, as the report does for unsealed days). The figures
 * are recomputed here from ledger_entries, workers and employers with SQL written for this test, for two
 * counties and one city; then the chain county → city → province with its role separation, the return
 * and the new version, frozen digests, the board, the PDF's text and the public release after acceptance.
 */
const MONTH = shanghaiDay(new Date()).slice(0, 7);
const FROM = `${MONTH}-01`;
const TO = `${nextMonth(MONTH)}-01`;
/** Effective entries (corrections merged, voided ones out) of the markets of a region prefix ($1) in [$2, $3). */
const EFF = `WITH m AS (SELECT id FROM markets WHERE region_code LIKE $1 || '%' AND tenant_id IS NOT NULL),
  e AS (
    SELECT x.market_id, x.seq, x.kind, x.business_day,
           x.payload || COALESCE((SELECT jsonb_object_agg(k, v) FROM (SELECT DISTINCT ON (j.k) j.k, j.v FROM ledger_entries c, jsonb_each(c.payload) AS j(k, v)
             WHERE c.market_id = x.market_id AND c.corrects = x.seq ORDER BY j.k, c.seq DESC) z), '{}'::jsonb) AS p
    FROM ledger_entries x WHERE x.market_id IN (SELECT id FROM m) AND x.kind <> 'correction'
      -- What the figures read: sealed entries, and days with no seal yet (folded live); entries recorded after a day's
      -- close wait for its supplementary seal (issue 17 §1).
      AND (x.seq <= COALESCE((SELECT max(s.last_seq) FROM ledger_seals s WHERE s.market_id = x.market_id), 0)
           OR NOT EXISTS (SELECT 1 FROM ledger_seals s WHERE s.market_id = x.market_id AND s.business_day = x.business_day))),
  live AS (SELECT * FROM e WHERE NOT (e.p ? 'void' AND e.p->'void' = 'true'::jsonb)),
  per AS (SELECT * FROM live WHERE business_day >= $2::date AND business_day < $3::date),
  sub AS (SELECT DISTINCT ON (p->>'postId') p->>'postId' AS post_id, p FROM live WHERE kind = 'post_submitted' ORDER BY p->>'postId', business_day, seq)`;

async function sqlFigures(t: TestApp, region: string) {
  const args = [region, FROM, TO];
  const [tot] = await t.owner.query(`${EFF}
    SELECT (SELECT COALESCE(sum((s.p->>'headcount')::int), 0) FROM per JOIN sub s ON s.post_id = per.p->>'postId' WHERE per.kind = 'post_published')::int AS demand,
           (SELECT count(*) FROM per WHERE kind = 'post_published')::int AS posts,
           (SELECT count(DISTINCT p->>'workerId') FROM per WHERE kind = 'check_in')::int AS seekers,
           (SELECT count(*) FROM per WHERE kind = 'check_in')::int AS visits,
           (SELECT count(*) FROM per WHERE kind = 'hire_started')::int AS hires`, args);
  const occ: { k: string; demand: number }[] = await t.owner.query(`${EFF}
    SELECT s.p->>'occupation' AS k, sum((s.p->>'headcount')::int)::int AS demand FROM per JOIN sub s ON s.post_id = per.p->>'postId' WHERE per.kind = 'post_published' GROUP BY 1`, args);
  const seekOcc: { k: string; n: number }[] = await t.owner.query(`${EFF}
    SELECT COALESCE(w.occupations[1], '') AS k, count(DISTINCT w.id)::int AS n FROM per JOIN workers w ON w.id = (per.p->>'workerId')::uuid WHERE per.kind = 'check_in' GROUP BY 1`, args);
  const ind: { k: string; demand: number }[] = await t.owner.query(`${EFF}
    SELECT COALESCE(emp.industry, '') AS k, sum((s.p->>'headcount')::int)::int AS demand FROM per JOIN sub s ON s.post_id = per.p->>'postId'
    LEFT JOIN employers emp ON emp.id = (s.p->>'employerId')::uuid WHERE per.kind = 'post_published' GROUP BY 1`, args);
  const county: { k: string; demand: number }[] = await t.owner.query(`${EFF}
    SELECT mk.region_code AS k, sum((s.p->>'headcount')::int)::int AS demand FROM per JOIN sub s ON s.post_id = per.p->>'postId' JOIN markets mk ON mk.id = per.market_id
    WHERE per.kind = 'post_published' GROUP BY 1`, args);
  return { ...tot, occ, seekOcc, ind, county };
}
const addDay = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : null);

/** The demo's counties and cities with markets; other suites sharing the test database may add markets elsewhere. */
const DEMO_COUNTIES = ['410122', '410184', '410327'];
const DEMO_CITIES = ['4101', '4103'];

/**
 * Reports of regions that other suites gave markets (no demo user acts for them), written as the
 * owner as already submitted (or accepted), so the chain under test waits for nobody but the demo's regions.
 */
async function othersReported(t: TestApp, level: 'county' | 'city', regions: string[], status: 'submitted' | 'accepted'): Promise<void> {
  for (const r of regions) {
    await t.owner.query(
      `INSERT INTO supply_demand_reports (id, region_code, level, month, version, status, figures, analysis, measures, digest, due, submitted_at, on_time, created_by)
       VALUES (gen_random_uuid(), $1, $2, $3, 1, $4, '{}'::jsonb, '（其他测试的市场）', '（其他测试的市场）', repeat('0', 64), $5, now(), true, gen_random_uuid())
       ON CONFLICT DO NOTHING`, [r, level, MONTH, status, reportDeadline(MONTH).due]);
  }
}

describe('reports: monthly supply–demand analysis and the chain county → city → province', () => {
  let t: TestApp;
  const s: Record<string, Session> = {};
  const lang = (l: string) => ({ 'Accept-Language': l });

  beforeAll(async () => {
    t = await bootApp();
    for (const u of ['county.reviewer', 'xinzheng.reviewer', 'yiyang.reviewer', 'city.analyst', 'luoyang.analyst', 'province.auditor', 'op1.admin']) s[u] = await login(t, u);
  });
  afterAll(() => t?.close());

  it.each([['410122', 'county.reviewer'], ['410184', 'xinzheng.reviewer'], ['4101', 'city.analyst']])('the figures of %s equal independent SQL over the work log', async (region, user) => {
    // Other suites seal days in these regions and run no worker to roll them up: roll up what is sealed, as the nightly catch-up would.
    const days: { market_id: string; d: string }[] = await t.owner.query(
      `SELECT DISTINCT e.market_id, e.business_day AS d FROM ledger_entries e JOIN markets m ON m.id = e.market_id
       WHERE m.region_code LIKE $1 || '%' AND e.business_day >= $2::date AND e.business_day < $3::date
         AND EXISTS (SELECT 1 FROM ledger_seals s WHERE s.market_id = e.market_id AND s.business_day = e.business_day)
         AND NOT EXISTS (SELECT 1 FROM analytics_days ad WHERE ad.market_id = e.market_id AND ad.business_day = e.business_day
           AND ad.entries = (SELECT count(*) FROM ledger_entries x WHERE x.market_id = e.market_id AND x.business_day = e.business_day))`, [region, FROM, TO]);
    for (const d of days) await t.app.get(AnalyticsService).rollupDay(d.market_id, d.d);
    const res = await t.http.get('/api/v1/reports/preview').query({ month: MONTH, regionCode: region }).set(s[user].auth).expect(200);
    const f = res.body as ReportFigures;
    const q = await sqlFigures(t, region);
    expect(q.visits).toBeGreaterThan(0); // the demo's morning has check-ins in every county
    expect(f.totals).toMatchObject({ newDemand: q.demand, posts: q.posts, seekers: q.seekers, visits: q.visits, hiresStarted: q.hires, ratio: ratio(q.demand, q.seekers) });
    expect(f.totals.demand).toBe(f.totals.carriedOver + f.totals.newDemand);
    const occ = new Map(f.byOccupation.map((r) => [r.key, r]));
    for (const o of q.occ) expect(occ.get(o.k)?.demand).toBe(o.demand);
    for (const o of q.seekOcc.filter((x) => x.k)) expect(occ.get(o.k)?.seekers).toBe(o.n);
    const ind = new Map(f.demandByIndustry.map((r) => [r.key, r.value]));
    expect(Object.fromEntries(ind)).toEqual(Object.fromEntries(q.ind.map((r) => [r.k, r.demand])));
    expect(f.byCounty.map((c) => [c.regionCode, c.demand])).toEqual(q.county.sort((a, b) => a.k.localeCompare(b.k)).map((c) => [c.k, c.demand]));
    // the ten largest shortages are the largest positive gaps, in order
    const gaps = f.byOccupation.filter((r) => r.gap > 0).map((r) => r.gap).sort((a, b) => b - a).slice(0, 10);
    expect(f.shortages.map((r) => r.gap)).toEqual(gaps);
  });

  it('bad input and scope: 4xx in the caller language', async () => {
    const bad = await t.http.post('/api/v1/reports').set(s['county.reviewer'].auth).set(lang('en')).send({ month: '2026-13' }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('YYYY-MM');
    const zh = await t.http.post('/api/v1/reports').set(s['county.reviewer'].auth).set(lang('zh-CN')).send({ month: '2026-13' }).expect(400);
    expect(JSON.stringify(zh.body)).toContain('月份格式');
    await t.http.post('/api/v1/reports').set(s['county.reviewer'].auth).send({ month: '2099-01' }).expect(422);
    await t.http.post('/api/v1/reports').set(s['county.reviewer'].auth).send({ month: MONTH, extra: 1 }).expect(400);
    await t.http.get('/api/v1/reports/preview').query({ month: MONTH, regionCode: '4103' }).set(s['county.reviewer'].auth).expect(404);
    await t.http.get('/api/v1/reports/board').query({ from: '2026-12', to: '2026-01' }).set(s['province.auditor'].auth).expect(400);
    await t.http.get('/api/v1/reports').set(s['op1.admin'].auth).expect(403);
    await t.http.post('/api/v1/reports').set(s['province.auditor'].auth).send({ month: MONTH }).expect(403);
    await t.http.get('/api/v1/reports/not-a-uuid').set(s['county.reviewer'].auth).expect(404);
    const pub = await t.http.get('/api/v1/public/releases/41/2026-1/release.json').set(lang('en')).expect(400);
    expect(JSON.stringify(pub.body)).toContain('YYYY-MM');
  });

  it('reminds every county and city with markets three working days before the deadline and on it, once each', async () => {
    const d = reportDeadline(MONTH);
    const svc = t.app.get(ReportRemindersService);
    const before = new Date(`${d.remindOn[0]}T09:00:00+08:00`);
    // Every county and city with markets: the demo's 410122, 410184, 410327, 4101 and 4103, and any another suite added.
    const [{ n }] = await t.owner.query(`SELECT count(DISTINCT r)::int AS n FROM markets, unnest(ARRAY[region_code, left(region_code, 4)]) AS r WHERE tenant_id IS NOT NULL`);
    expect(n).toBeGreaterThanOrEqual(5);
    expect(await svc.run(before)).toEqual({ reminded: n });
    expect(await svc.run(before)).toEqual({ reminded: 0 });
    expect(await svc.run(new Date(`${addDay(d.remindOn[0], 1)}T09:00:00+08:00`))).toEqual({ reminded: 0 }); // not a reminder day
    const r = (await t.http.get('/api/v1/reports/reminders').set(s['county.reviewer'].auth).expect(200)).body as { month: string; kind: string }[];
    expect(r).toEqual([expect.objectContaining({ month: MONTH, kind: 'before', region_code: '410122' })]);
  });

  let zhongmu: ReportView;
  let city: ReportView;
  it('counties draft, write the narrative and submit: frozen with an SM3 digest', async () => {
    zhongmu = (await t.http.post('/api/v1/reports').set(s['county.reviewer'].auth).send({ month: MONTH }).expect(201)).body;
    expect(zhongmu).toMatchObject({ regionCode: '410122', level: 'county', version: 1, status: 'draft' });
    expect(zhongmu.deadline.due).toBe(reportDeadline(MONTH).due);
    await t.http.post('/api/v1/reports').set(s['county.reviewer'].auth).send({ month: MONTH }).expect(409);
    const noText = await t.http.post(`/api/v1/reports/${zhongmu.id}/submit`).set(s['county.reviewer'].auth).expect(422);
    expect(JSON.stringify(noText.body)).toContain('分析与应对措施');
    // The other county cannot touch it.
    await t.http.put(`/api/v1/reports/${zhongmu.id}/narrative`).set(s['xinzheng.reviewer'].auth).send({ analysis: '本月需求平稳增长。'.repeat(3), measures: '加强岗位归集。'.repeat(3) }).expect(404);
    await t.http.put(`/api/v1/reports/${zhongmu.id}/narrative`).set(s['county.reviewer'].auth)
      .send({ analysis: '中牟县本月零工需求以装卸搬运和农业采摘为主，供求总体平衡。', measures: '加强与物流园区对接，组织采摘季专场招聘。' }).expect(200);
    const sub = (await t.http.post(`/api/v1/reports/${zhongmu.id}/submit`).set(s['county.reviewer'].auth).expect(200)).body as ReportView;
    expect(sub.status).toBe('submitted');
    expect(sub.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(sub.onTime).toBe(true);
    expect(sub.digest).toBe(reportDigest({ regionCode: sub.regionCode, level: sub.level, month: sub.month, version: sub.version, figures: sub.figures!, analysis: sub.analysis, measures: sub.measures, parts: sub.parts, submittedAt: sub.submittedAt! }));
    // Frozen: neither the API nor the database lets it change.
    await t.http.put(`/api/v1/reports/${zhongmu.id}/narrative`).set(s['county.reviewer'].auth).send({ analysis: '改写后的分析内容十个字以上', measures: '改写后的措施内容十个字以上' }).expect(409);
    await expect(t.owner.query(`UPDATE supply_demand_reports SET analysis = 'x' WHERE id = $1`, [zhongmu.id])).rejects.toThrow(/frozen/);
    await expect(t.owner.query(`DELETE FROM supply_demand_reports WHERE id = $1`, [zhongmu.id])).rejects.toThrow(/frozen/);
    zhongmu = sub;
  });

  it('on the deadline day reminds, once, every county and city with markets that has not submitted — not the county that has', async () => {
    const d = reportDeadline(MONTH);
    const svc = t.app.get(ReportRemindersService);
    const due = new Date(`${d.remindOn[1]}T09:00:00+08:00`);
    expect(d.remindOn[1]).toBe(d.due);
    // Independent: regions (county and city) with markets, less those whose report of the month is submitted or accepted (中牟's is, above).
    const [{ n }] = await t.owner.query(
      `SELECT count(*)::int AS n FROM (SELECT DISTINCT r FROM markets, unnest(ARRAY[region_code, left(region_code, 4)]) AS r WHERE tenant_id IS NOT NULL) x
       WHERE NOT EXISTS (SELECT 1 FROM supply_demand_reports s WHERE s.region_code = x.r AND s.month = $1 AND s.status IN ('submitted', 'accepted'))`, [MONTH]);
    expect(n).toBeGreaterThanOrEqual(4);
    expect(await svc.run(due)).toEqual({ reminded: n });
    expect(await svc.run(due)).toEqual({ reminded: 0 });
    expect(await svc.run(new Date(`${addDay(d.due, 1)}T09:00:00+08:00`))).toEqual({ reminded: 0 }); // the day after: nothing
    const kinds = async (user: string) => ((await t.http.get('/api/v1/reports/reminders').set(s[user].auth).expect(200)).body as { kind: string; month: string }[])
      .filter((r) => r.month === MONTH).map((r) => r.kind).sort();
    expect(await kinds('county.reviewer')).toEqual(['before']); // submitted before the due day: no second reminder
    expect(await kinds('xinzheng.reviewer')).toEqual(['before', 'due']);
    const [{ due: rows }] = await t.owner.query(`SELECT count(*)::int AS due FROM report_reminders WHERE month = $1 AND kind = 'due' AND day = $2`, [MONTH, d.due]);
    expect(rows).toBe(n);
  });

  it('the city cannot submit before every county with markets has; then consolidates with the county narratives attached', async () => {
    city = (await t.http.post('/api/v1/reports').set(s['city.analyst'].auth).send({ month: MONTH }).expect(201)).body;
    expect(city).toMatchObject({ regionCode: '4101', level: 'city' });
    // a county cannot act on its city's report (not even see it), nor create one for the city
    await t.http.post(`/api/v1/reports/${city.id}/submit`).set(s['county.reviewer'].auth).expect(404);
    await t.http.put(`/api/v1/reports/${city.id}/narrative`).set(s['city.analyst'].auth)
      .send({ analysis: '郑州市本月零工需求集中在物流、建筑行业，求人倍率高于上月。', measures: '推动县级市场延长服务时间，加强欠薪风险提示。' }).expect(200);
    const counties = ((await t.http.get('/api/v1/reports/preview').query({ month: MONTH, regionCode: '4101' }).set(s['city.analyst'].auth).expect(200)).body as ReportFigures)
      .byCounty.map((c) => c.regionCode);
    const others = counties.filter((c) => !DEMO_COUNTIES.includes(c));
    const missing = await t.http.post(`/api/v1/reports/${city.id}/submit`).set(s['city.analyst'].auth).expect(422);
    expect(missing.body.missing).toEqual(['410184', ...others].sort());
    await othersReported(t, 'county', others, 'submitted');
    const x = (await t.http.post('/api/v1/reports').set(s['xinzheng.reviewer'].auth).send({ month: MONTH }).expect(201)).body as ReportView;
    await t.http.put(`/api/v1/reports/${x.id}/narrative`).set(s['xinzheng.reviewer'].auth).send({ analysis: '新郑市本月快递分拣需求旺盛，求职人数稳定。', measures: '对接电商园区，开展分拣技能培训。' }).expect(200);
    await t.http.post(`/api/v1/reports/${x.id}/submit`).set(s['xinzheng.reviewer'].auth).expect(200);
    // the city analyst cannot accept its own report (only the province verifies)
    city = (await t.http.post(`/api/v1/reports/${city.id}/submit`).set(s['city.analyst'].auth).expect(200)).body;
    expect(city.parts.map((p) => p.regionCode)).toEqual(counties);
    expect(city.figures!.byCounty.map((c) => c.regionCode)).toEqual(counties);
    expect(counties).toEqual(expect.arrayContaining(['410122', '410184']));
    await t.http.post(`/api/v1/reports/${city.id}/review`).set(s['city.analyst'].auth).send({ decision: 'accepted' }).expect(403);
    await t.http.post(`/api/v1/reports/${zhongmu.id}/review`).set(s['county.reviewer'].auth).send({ decision: 'accepted' }).expect(403);
  });

  it('the province returns with a reason; the resubmission is a new version; nothing is public before acceptance', async () => {
    await t.http.post(`/api/v1/reports/${city.id}/review`).set(s['province.auditor'].auth).set(lang('en')).send({ decision: 'returned' }).expect(400);
    await t.http.post(`/api/v1/reports/${zhongmu.id}/review`).set(s['province.auditor'].auth).send({ decision: 'accepted' }).expect(422);
    const ret = (await t.http.post(`/api/v1/reports/${city.id}/review`).set(s['province.auditor'].auth).send({ decision: 'returned', reason: '请补充分行业工资价位的分析。' }).expect(200)).body as ReportView;
    expect(ret).toMatchObject({ status: 'returned', returnReason: '请补充分行业工资价位的分析。' });
    await t.http.post(`/api/v1/reports/${city.id}/review`).set(s['province.auditor'].auth).send({ decision: 'accepted' }).expect(409);
    const v2 = (await t.http.post('/api/v1/reports').set(s['city.analyst'].auth).send({ month: MONTH }).expect(201)).body as ReportView;
    expect(v2).toMatchObject({ version: 2, status: 'draft', analysis: city.analysis });
    await t.http.put(`/api/v1/reports/${v2.id}/narrative`).set(s['city.analyst'].auth)
      .send({ analysis: `${city.analysis}分行业看，建筑业日工资中位数最高。`, measures: city.measures! }).expect(200);
    const sub2 = (await t.http.post(`/api/v1/reports/${v2.id}/submit`).set(s['city.analyst'].auth).expect(200)).body as ReportView;
    expect(sub2.digest).not.toBe(city.digest);
    // the returned version keeps its digest
    const old = (await t.http.get(`/api/v1/reports/${city.id}`).set(s['province.auditor'].auth).expect(200)).body as ReportView;
    expect(old.digest).toBe(city.digest);
    await t.http.post(`/api/v1/reports/${sub2.id}/review`).set(s['province.auditor'].auth).send({ decision: 'accepted' }).expect(200);
    // Luoyang has markets too: the month is not released until it is accepted.
    await t.http.get(`/api/v1/public/releases/41/${MONTH}/release.json`).expect(404);
    city = sub2;
  });

  it('the board counts expected, submitted, on time and returned per city; the release follows the last acceptance', async () => {
    // Cities other suites gave markets count as accepted already; the demo's two are under test.
    const [{ cities }] = await t.owner.query(`SELECT array_agg(DISTINCT left(region_code, 4) ORDER BY left(region_code, 4)) AS cities FROM markets WHERE tenant_id IS NOT NULL AND region_code LIKE '41%'`);
    const otherCities = (cities as string[]).filter((c) => !DEMO_CITIES.includes(c));
    await othersReported(t, 'city', otherCities, 'accepted');
    const all = otherCities.length + 2;
    const pct = (k: number) => Math.round((k / all) * 1000) / 10;
    let board = (await t.http.get('/api/v1/reports/board').query({ from: MONTH, to: MONTH }).set(s['province.auditor'].auth).expect(200)).body as ReportBoard;
    expect(board.rows.filter((r) => DEMO_CITIES.includes(r.regionCode)).map((r) => [r.regionCode, r.cells[0].status, r.cells[0].returned])).toEqual([['4101', 'accepted', 1], ['4103', 'missing', 0]]);
    expect(board.totals[0]).toMatchObject({ expected: all, submitted: all - 1, onTime: all - 1, late: 0, returned: 1, reportingRate: pct(all - 1), onTimeRate: pct(all - 1) });
    const y = (await t.http.post('/api/v1/reports').set(s['yiyang.reviewer'].auth).send({ month: MONTH }).expect(201)).body as ReportView;
    await t.http.put(`/api/v1/reports/${y.id}/narrative`).set(s['yiyang.reviewer'].auth).send({ analysis: '宜阳县本月建筑小工需求较多，供大于求。', measures: '引导富余人员参加钢筋工培训。' }).expect(200);
    await t.http.post(`/api/v1/reports/${y.id}/submit`).set(s['yiyang.reviewer'].auth).expect(200);
    const luoyang = ((await t.http.get('/api/v1/reports/preview').query({ month: MONTH, regionCode: '4103' }).set(s['luoyang.analyst'].auth).expect(200)).body as ReportFigures).byCounty;
    await othersReported(t, 'county', luoyang.map((c) => c.regionCode).filter((c) => !DEMO_COUNTIES.includes(c)), 'submitted');
    const l = (await t.http.post('/api/v1/reports').set(s['luoyang.analyst'].auth).send({ month: MONTH }).expect(201)).body as ReportView;
    await t.http.put(`/api/v1/reports/${l.id}/narrative`).set(s['luoyang.analyst'].auth).send({ analysis: '洛阳市本月零工供求基本平衡，农业采摘需求回落。', measures: '加强县乡零工驿站建设，做好冬季用工服务。' }).expect(200);
    const ls = (await t.http.post(`/api/v1/reports/${l.id}/submit`).set(s['luoyang.analyst'].auth).expect(200)).body as ReportView;
    // the city analyst of Zhengzhou does not see Luoyang's report
    await t.http.get(`/api/v1/reports/${ls.id}`).set(s['city.analyst'].auth).expect(404);
    await t.http.post(`/api/v1/reports/${ls.id}/review`).set(s['province.auditor'].auth).send({ decision: 'accepted' }).expect(200);
    board = (await t.http.get('/api/v1/reports/board').query({ from: MONTH, to: MONTH }).set(s['province.auditor'].auth).expect(200)).body;
    expect(board.totals[0]).toMatchObject({ expected: all, submitted: all, reportingRate: 100 });
    const rel = (await t.http.get(`/api/v1/public/releases/41/${MONTH}/release.json`).expect(200)).body as ReleaseView;
    expect(rel).toMatchObject({ provinceCode: '41', month: MONTH });
    expect(rel.digest).toMatch(/^[0-9a-f]{64}$/);
    const prov = (await t.http.get('/api/v1/reports/preview').query({ month: MONTH, regionCode: '41' }).set(s['province.auditor'].auth).expect(200)).body as ReportFigures;
    expect(rel.totals).toEqual({ demand: prov.totals.newDemand, seekers: prov.totals.seekers, ratio: prov.totals.ratio });
    const csv = await t.http.get(`/api/v1/public/releases/41/${MONTH}/release.csv`).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text).toContain('province,month,table,code,name');
    expect(csv.text).toContain('ratio_by_occupation');
    const list = (await t.http.get('/api/v1/public/releases').expect(200)).body as { month: string }[];
    expect(list.map((r) => r.month)).toContain(MONTH);
  });

  it('PDF with readable Chinese: pdftotext finds the headings and figures; .xlsx', async () => {
    const pdf = await t.http.get(`/api/v1/reports/${city.id}/pdf`).set(s['province.auditor'].auth).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'lg-report-'));
    writeFileSync(join(dir, 'r.pdf'), pdf.body as Buffer);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
    for (const h of ['郑州市', '供求分析报告', '一、总体情况', '求人倍率', '缺工前十位工种', '分行业工资价位', '应对措施', '附：河南省郑州市中牟县报告']) expect(text).toContain(h);
    expect(text).toContain(city.digest!);
    // The CJK font is embedded (a subset, pdfkit through fontkit): pdffonts lists it with "emb yes".
    const fonts = execFileSync('pdffonts', [join(dir, 'r.pdf')], { encoding: 'utf8' });
    expect(fonts).toMatch(/WenQuanYi\S*\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    const f = city.figures!;
    expect(text).toMatch(new RegExp(`本月新增需求人数\\s+${f.totals.newDemand}\\b`));
    expect(text).toMatch(new RegExp(`求职人数（不同人）\\s+${f.totals.seekers}\\b`));
    const x = await t.http.get(`/api/v1/reports/${city.id}/xlsx`).set(s['city.analyst'].auth).expect(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
  });
});
