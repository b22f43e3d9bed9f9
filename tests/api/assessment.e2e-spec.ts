import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { assessmentDigest } from '@linggong/api-assessment';
import { defaultTemplate, gradeOf, kpiPoints, subsidyOf, type TemplateBody } from '@linggong/domain';
import { shanghaiDay } from '@linggong/ledger-chain';
import { bootApp, demoId, login, type Session, type TestApp } from '../support/app';

/**
 * Assessment (issue 15): contracts and their versions, the province's templates, a cycle frozen from the
 * rollups (the demo markets' activity of today, folded live), the figures recomputed here by independent SQL
 * over ledger_entries, cutoff immutability and the explicit recomputation, self-assessment, county review,
 * the sample audit, separation of duties, one appeal, deadlines, the published grade and the subsidy arithmetic.
 */
const TODAY = shanghaiDay(new Date());
const addDay = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const FROM = addDay(TODAY, -6);
const ZM = [demoId('m-zhongmu'), demoId('m-guandu')];
const sm3ish = (s: string) => createHash('sha256').update(s).digest('hex');

/** Effective entries (corrections merged, voided ones out) of markets $1 with business day in [$2, $3]. */
const EFF = `WITH e AS (
    SELECT x.market_id, x.seq, x.kind, x.business_day,
           x.payload || COALESCE((SELECT jsonb_object_agg(k, v) FROM (SELECT DISTINCT ON (j.k) j.k, j.v FROM ledger_entries c, jsonb_each(c.payload) AS j(k, v)
             WHERE c.market_id = x.market_id AND c.corrects = x.seq ORDER BY j.k, c.seq DESC) z), '{}'::jsonb) AS p
    FROM ledger_entries x WHERE x.market_id = ANY($1::uuid[]) AND x.kind <> 'correction'),
  live AS (SELECT * FROM e WHERE NOT (e.p ? 'void' AND e.p->'void' = 'true'::jsonb)),
  per AS (SELECT * FROM live WHERE business_day BETWEEN $2::date AND $3::date),
  sub AS (SELECT DISTINCT ON (p->>'postId') p->>'postId' AS post_id, p FROM live WHERE kind = 'post_submitted' ORDER BY p->>'postId', business_day, seq)`;
async function sqlFigures(t: TestApp, markets: string[]) {
  const [r] = await t.owner.query(`${EFF}
    SELECT (SELECT count(*) FROM per WHERE kind = 'hire_started')::int AS hires,
           (SELECT count(*) FROM per WHERE kind = 'check_in')::int AS visits,
           (SELECT count(*) FROM per WHERE kind = 'registration')::int AS registrations,
           (SELECT COALESCE(sum((s.p->>'headcount')::int), 0) FROM per JOIN sub s ON s.post_id = per.p->>'postId' WHERE per.kind = 'post_published')::int AS demand`, [markets, FROM, TODAY]);
  return r as { hires: number; visits: number; registrations: number; demand: number };
}

/** A small template for the test: three KPI items and two evidence items (weights 100). */
const TEST_TEMPLATE: TemplateBody = {
  localBudget: 10,
  bands: defaultTemplate().bands,
  indicators: [
    { code: 'output', zh: '产出', weight: 60, children: [
      { code: 'hires', zh: '招聘成功人数', weight: 30, kpi: { kpi: 'hires_started', direction: 'higher', target: 400, floor: 0, rule: { type: 'linear' }, perMarketMonth: true } },
      { code: 'demand', zh: '招聘需求人数', weight: 20, kpi: { kpi: 'headcount_demanded', direction: 'higher', target: 2000, floor: 0, rule: { type: 'linear' }, perMarketMonth: true } },
      { code: 'list', zh: '服务清单公示', weight: 10, evidence: { requirement: '公示照片' } },
    ] },
    { code: 'quality', zh: '质量', weight: 40, children: [
      { code: 'settle', zh: '日结率', weight: 20, kpi: { kpi: 'settlement_rate', direction: 'higher', target: 95, floor: 50, rule: { type: 'bands', steps: [{ at: 95, share: 1 }, { at: 80, share: 0.6 }, { at: 50, share: 0.2 }] } } },
      { code: 'rules', zh: '制度建设', weight: 20, evidence: { requirement: '制度文件' } },
    ] },
  ],
};

describe('assessment: contracts, templates, cycles, review, audit, appeal, subsidy', () => {
  let t: TestApp;
  const s: Record<string, Session> = {};
  const zh = { 'Accept-Language': 'zh-CN' };
  const en = { 'Accept-Language': 'en' };
  let templateId = '';
  let zmContract = '';
  let xzContract = '';
  let cycle = '';
  let zmA = '';
  let xzA = '';
  const contractBody = (over: Record<string, unknown> = {}) => ({
    operatorId: demoId('op1'), number: `ZM-${Date.now()}`, title: '中牟县零工市场委托运营服务合同', termFrom: addDay(TODAY, -100), termTo: addDay(TODAY, 265), marketIds: ZM,
    amountFen: 40_000_000, documentSm3: sm3ish('signed contract zm'),
    schedule: [
      { label: '本期固定部分', due: TODAY, amountFen: 20_000_000, resultLinked: false },
      { label: '本期考核部分', due: TODAY, amountFen: 10_000_000, resultLinked: true },
      { label: '下期考核部分', due: addDay(TODAY, 90), amountFen: 10_000_000, resultLinked: true },
    ],
    unitRates: [{ kpi: 'hires_started', rateFen: 500 }, { kpi: 'registrations', rateFen: 200 }],
    gradeFactors: { excellent: 100, good: 90, fair: 70, poor: 20 },
    ...over,
  });

  beforeAll(async () => {
    t = await bootApp();
    for (const u of ['province.auditor', 'city.analyst', 'county.reviewer', 'xinzheng.reviewer', 'op1.admin', 'op2.admin', 'op3.admin', 'op1.desk']) s[u] = await login(t, u);
  });
  afterAll(() => t?.close());

  it('templates: the default is valid; weights and bands are checked with the total in the message; versions', async () => {
    const def = await t.http.get('/api/v1/assessment-templates/default').set(s['province.auditor'].auth).expect(200);
    expect(def.body.indicators.map((n: { zh: string; weight: number }) => [n.zh, n.weight])).toEqual([['产出', 50], ['效益', 30], ['满意度', 10], ['过程与数据质量', 10]]);
    const name = `默认指标体系-${Date.now()}`;
    const v1 = await t.http.post('/api/v1/assessment-templates').set(s['province.auditor'].auth).send({ name, body: def.body }).expect(201);
    const v2 = await t.http.post('/api/v1/assessment-templates').set(s['province.auditor'].auth).send({ name, body: def.body }).expect(201);
    expect([v1.body.version, v2.body.version]).toEqual([1, 2]);
    const bad = structuredClone(def.body);
    bad.indicators[3].weight = 5;
    bad.indicators[3].children[0].weight = 5;
    bad.indicators[3].children[0].children[3].weight = 0.5;
    bad.indicators[3].children[0].children[2].weight = 0.5;
    bad.indicators[3].children[0].children[0].weight = 2;
    bad.indicators[3].children[0].children[1].weight = 2;
    const before = await t.owner.query('SELECT count(*)::int AS n FROM assessment_templates');
    const r = await t.http.post('/api/v1/assessment-templates').set(s['province.auditor'].auth).set(zh).send({ name, body: bad }).expect(422);
    expect(r.body.errors).toContainEqual({ field: 'body.indicators', message: '一级指标权重合计须为 100 分，当前合计 95 分' });
    const gap = { ...def.body, bands: def.body.bands.map((b: { grade: string; min: number }) => (b.grade === 'fair' ? { ...b, min: 65 } : b)) };
    const g = await t.http.post('/api/v1/assessment-templates').set(s['province.auditor'].auth).set(en).send({ name, body: gap }).expect(422);
    expect(g.body.errors).toEqual([{ field: 'body.bands', message: 'No grade covers 60 to 65 points' }]);
    expect(await t.owner.query('SELECT count(*)::int AS n FROM assessment_templates')).toEqual(before);
    // Only the province writes templates.
    await t.http.post('/api/v1/assessment-templates').set(s['county.reviewer'].auth).send({ name, body: def.body }).expect(403);
    const test = await t.http.post('/api/v1/assessment-templates').set(s['province.auditor'].auth).send({ name: `测试指标体系-${Date.now()}`, body: TEST_TEMPLATE }).expect(201);
    templateId = test.body.id;
  });

  it('contracts: legacy cover of the demo assignments, recorded by the county, amended as a version, read by the operator', async () => {
    // Today's assignments are covered by 'legacy' contracts flagged as needing their terms (migration + demo seed).
    const legacy = await t.http.get('/api/v1/contracts').set(s['county.reviewer'].auth).expect(200);
    const op1Legacy = legacy.body.find((c: { operatorId: string; needsTerms: boolean }) => c.operatorId === demoId('op1') && c.needsTerms);
    expect(op1Legacy.marketIds.sort()).toEqual([...ZM].sort());
    // The markets must be the operator's, in the county.
    await t.http.post('/api/v1/contracts').set(s['county.reviewer'].auth).set(zh).send(contractBody({ marketIds: [demoId('m-yiyang')] })).expect(422);
    const mismatch = await t.http.post('/api/v1/contracts').set(s['county.reviewer'].auth).set(zh).send(contractBody({ amountFen: 1 })).expect(400);
    expect(mismatch.body.errors).toContainEqual({ field: 'schedule', message: '付款计划各期金额合计须等于合同金额' });
    await t.http.post('/api/v1/contracts').set(s['op1.admin'].auth).send(contractBody()).expect(403);
    const v1 = await t.http.post('/api/v1/contracts').set(s['county.reviewer'].auth).send(contractBody()).expect(201);
    const dup = await t.http.post('/api/v1/contracts').set(s['county.reviewer'].auth).send(contractBody({ number: v1.body.number })).expect(409);
    expect(dup.body.errors[0].field).toBe('number');
    const { operatorId: _o, ...terms } = contractBody();
    const amended = await t.http.post(`/api/v1/contracts/${v1.body.id}/amendments`).set(s['county.reviewer'].auth).send({ ...terms, number: v1.body.number, reason: '补充协议：调整单价' }).expect(201);
    expect(amended.body.version).toBe(2);
    await t.http.post(`/api/v1/contracts/${v1.body.id}/amendments`).set(s['county.reviewer'].auth).send({ ...terms, number: v1.body.number, reason: '再改旧版本' }).expect(409);
    zmContract = amended.body.id;
    const got = await t.http.get(`/api/v1/contracts/${zmContract}`).set(s['op1.admin'].auth).expect(200);
    expect(got.body.versions.map((v: { version: number; live: boolean }) => [v.version, v.live])).toEqual([[2, true], [1, false]]);
    await t.http.get(`/api/v1/contracts/${zmContract}`).set(s['op2.admin'].auth).expect(404);
    await t.http.get(`/api/v1/contracts/${zmContract}`).set(s['xinzheng.reviewer'].auth).expect(404);
    // The version row cannot be rewritten.
    await expect(t.owner.query('UPDATE contracts SET amount_fen = 1 WHERE id = $1', [v1.body.id])).rejects.toThrow(/amend it with a new version/);
    const xz = await t.http.post('/api/v1/contracts').set(s['xinzheng.reviewer'].auth).send(contractBody({
      operatorId: demoId('op3'), number: `XZ-${Date.now()}`, title: '新郑市龙湖镇零工驿站委托运营合同', marketIds: [demoId('m-longhu')], unitRates: [],
    })).expect(201);
    xzContract = xz.body.id;
  });

  it('cycles: opened by the province, frozen at the cutoff from the rollups; the figures equal independent SQL and the rule gives the points', async () => {
    const base = { name: `测试季度考核-${Date.now()}`, kind: 'special', templateId, periodFrom: FROM, periodTo: TODAY, cutoff: TODAY, selfDeadline: addDay(TODAY, 3), reviewDeadline: addDay(TODAY, 5), appealDays: 5, samplePct: 100 };
    const bad = await t.http.post('/api/v1/assessment-cycles').set(s['province.auditor'].auth).set(zh).send({ ...base, cutoff: addDay(TODAY, -1), contractIds: [zmContract] }).expect(400);
    expect(bad.body.errors).toContainEqual({ field: 'cutoff', message: '数据截止日不能早于考核期末' });
    await t.http.post('/api/v1/assessment-cycles').set(s['province.auditor'].auth).send({ ...base, contractIds: [demoId('op1')] }).expect(422);
    await t.http.post('/api/v1/assessment-cycles').set(s['op1.admin'].auth).send({ ...base, contractIds: [zmContract] }).expect(403);
    const c = await t.http.post('/api/v1/assessment-cycles').set(s['province.auditor'].auth).send({ ...base, contractIds: [zmContract, xzContract] }).expect(201);
    cycle = c.body.id;
    // Before the cutoff nothing is frozen.
    const early = await t.http.post('/api/v1/assessment-cycles').set(s['province.auditor'].auth).send({ ...base, cutoff: addDay(TODAY, 1), selfDeadline: addDay(TODAY, 3), contractIds: [zmContract] }).expect(201);
    const notYet = await t.http.post(`/api/v1/assessment-cycles/${early.body.id}/freeze`).set(s['province.auditor'].auth).set(en).expect(422);
    expect(notYet.body.errors).toEqual([{ field: 'cutoff', message: 'The data cutoff has not been reached yet' }]);
    await t.http.post(`/api/v1/assessment-cycles/${cycle}/freeze`).set(s['county.reviewer'].auth).expect(403);
    // Two freezes at once: one does the work.
    const both = await Promise.all([1, 2].map(() => t.http.post(`/api/v1/assessment-cycles/${cycle}/freeze`).set(s['province.auditor'].auth)));
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const [{ n }] = await t.owner.query('SELECT count(*)::int AS n FROM assessment_figures f JOIN assessments a ON a.id = f.assessment_id WHERE a.cycle_id = $1', [cycle]);
    expect(n).toBe(2);

    const got = await t.http.get(`/api/v1/assessment-cycles/${cycle}`).set(s['province.auditor'].auth).expect(200);
    zmA = got.body.assessments.find((a: { contractId: string }) => a.contractId === zmContract).id;
    xzA = got.body.assessments.find((a: { contractId: string }) => a.contractId === xzContract).id;
    const a = (await t.http.get(`/api/v1/assessments/${zmA}`).set(s['province.auditor'].auth).expect(200)).body;
    const sql = await sqlFigures(t, ZM);
    expect(a.figures.kpis.hires_started.value).toBe(sql.hires);
    expect(a.figures.kpis.registrations.value).toBe(sql.registrations);
    expect(a.figures.kpis.headcount_demanded.value).toBe(sql.demand);
    expect(sql.hires).toBeGreaterThan(0);
    // The digest is over the frozen document, recomputable by anyone.
    const { version, digest, frozenAt: _f, reason: _r, ...doc } = a.figures;
    expect(digest).toBe(assessmentDigest({ assessmentId: zmA, contractId: zmContract, version, figures: doc }));
    // Each KPI item's points are its rule applied to the frozen figure (two markets over seven days: scale 2 × 7 / 30).
    expect(doc.scale).toBeCloseTo((2 * 7) / 30, 10);
    for (const it of a.items.filter((i: { kind: string }) => i.kind === 'kpi')) {
      const leaf = TEST_TEMPLATE.indicators.flatMap((x) => x.children ?? []).find((l) => l.code === it.code)!;
      expect([it.code, it.rulePoints]).toEqual([it.code, kpiPoints(leaf.kpi!, leaf.weight, a.figures.kpis[leaf.kpi!.kpi].value, doc.scale)]);
    }
    // The drill-down links add up to the figure.
    let sum = 0;
    for (const url of a.items.find((i: { code: string }) => i.code === 'hires').drilldown) sum += (await t.http.get(url).set(s['province.auditor'].auth).expect(200)).body.sum;
    expect(sum).toBe(sql.hires);
    // Frozen rows are immutable.
    await expect(t.owner.query('UPDATE assessment_figures SET digest = repeat(\'0\', 64) WHERE assessment_id = $1', [zmA])).rejects.toThrow(/immutable/);
  });

  it('a correction after the cutoff leaves the frozen digest and score alone; a recomputation is an explicit new version', async () => {
    const before = (await t.http.get(`/api/v1/assessments/${zmA}`).set(s['province.auditor'].auth).expect(200)).body;
    const [post] = await t.owner.query(
      `SELECT s.seq, s.market_id, (s.payload->>'headcount')::int AS headcount FROM ledger_entries s
       WHERE s.market_id = ANY($1::uuid[]) AND s.kind = 'post_submitted' AND s.business_day BETWEEN $2 AND $3
         AND EXISTS (SELECT 1 FROM ledger_entries p WHERE p.market_id = s.market_id AND p.kind = 'post_published' AND p.payload->>'postId' = s.payload->>'postId')
         AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.market_id = s.market_id AND c.corrects = s.seq)
       ORDER BY s.seq LIMIT 1`, [ZM, FROM, TODAY]);
    expect(post).toBeDefined();
    await t.http.post(`/api/v1/markets/${post.market_id}/ledger/entries/${post.seq}/corrections`).set(s['op1.admin'].auth)
      .send({ reason: '招用人数录入错误', payload: { headcount: post.headcount + 3 } }).expect(201);
    const after = (await t.http.get(`/api/v1/assessments/${zmA}`).set(s['province.auditor'].auth).expect(200)).body;
    expect(after.figures.digest).toBe(before.figures.digest);
    expect(after.figures.kpis).toEqual(before.figures.kpis);
    expect(after.items.map((i: { rulePoints: number }) => i.rulePoints)).toEqual(before.items.map((i: { rulePoints: number }) => i.rulePoints));
    // Only the opener recomputes, with a reason.
    await t.http.post(`/api/v1/assessments/${zmA}/recompute`).set(s['county.reviewer'].auth).send({ reason: '更正' }).expect(403);
    await t.http.post(`/api/v1/assessments/${zmA}/recompute`).set(s['province.auditor'].auth).send({}).expect(400);
    const re = (await t.http.post(`/api/v1/assessments/${zmA}/recompute`).set(s['province.auditor'].auth).send({ reason: '运营机构更正了招用人数，经核实重新计算' }).expect(200)).body;
    expect(re.figures.version).toBe(2);
    expect(re.figures.digest).not.toBe(before.figures.digest);
    expect(re.figures.kpis.headcount_demanded.value).toBe(before.figures.kpis.headcount_demanded.value + 3);
    expect(re.figures.kpis.headcount_demanded.value).toBe((await sqlFigures(t, ZM)).demand);
    expect(re.figureVersions.map((v: { version: number; digest: string }) => [v.version, v.digest])).toEqual([[1, before.figures.digest], [2, re.figures.digest]]);
  });

  it('self-assessment by the operator, by the deadline, with evidence; the county review with separation of duties', async () => {
    const [entry] = await t.owner.query(`SELECT seq FROM ledger_entries WHERE market_id = $1 ORDER BY seq LIMIT 1`, [ZM[0]]);
    const items = [
      { code: 'list', score: 10, explanation: '服务清单已在大厅公示', evidence: [{ attachmentSm3: sm3ish('photo'), note: '公示照片' }, { marketId: ZM[0], seq: Number(entry.seq) }] },
      { code: 'rules', score: 20, explanation: '制度齐全', evidence: [{ attachmentSm3: sm3ish('rules.pdf') }] },
    ];
    await t.http.put(`/api/v1/assessments/${zmA}/self-assessment`).set(s['op2.admin'].auth).send({ items }).expect(404);
    await t.http.put(`/api/v1/assessments/${zmA}/self-assessment`).set(s['county.reviewer'].auth).send({ items }).expect(403);
    const over = await t.http.put(`/api/v1/assessments/${zmA}/self-assessment`).set(s['op1.admin'].auth).set(zh).send({ items: [{ ...items[0], score: 11 }] }).expect(422);
    expect(over.body.errors).toEqual([{ field: 'items.0.score', message: '得分不能超过该指标的分值' }]);
    await t.http.put(`/api/v1/assessments/${zmA}/self-assessment`).set(s['op1.admin'].auth).send({ items: [{ code: 'hires', score: 1, evidence: [] }] }).expect(422);
    await t.http.put(`/api/v1/assessments/${zmA}/self-assessment`).set(s['op1.admin'].auth).send({ items: [{ ...items[0], evidence: [{ marketId: demoId('m-yiyang'), seq: 1 }] }] }).expect(422);
    // Not before the operator submitted (its deadline has not passed).
    await t.http.put(`/api/v1/assessments/${zmA}/review`).set(s['county.reviewer'].auth).send({ items: [{ code: 'list', score: 8 }, { code: 'rules', score: 15 }] }).expect(409);
    const self = (await t.http.put(`/api/v1/assessments/${zmA}/self-assessment`).set(s['op1.admin'].auth).send({ items }).expect(200)).body;
    expect(self.state).toBe('review');
    expect(self.items.find((i: { code: string }) => i.code === 'list').evidence).toHaveLength(2);
    await t.http.put(`/api/v1/assessments/${zmA}/self-assessment`).set(s['op1.admin'].auth).send({ items }).expect(409);
    await t.http.put(`/api/v1/assessments/${xzA}/self-assessment`).set(s['op3.admin'].auth).send({ items: [{ code: 'list', score: 10, evidence: [] }, { code: 'rules', score: 20, evidence: [] }] }).expect(200);

    // The review: operator users never review; every evidence item needs a score; KPI items keep the rule's points.
    await t.http.put(`/api/v1/assessments/${zmA}/review`).set(s['op1.admin'].auth).send({ items: [{ code: 'list', score: 8 }] }).expect(403);
    await t.http.put(`/api/v1/assessments/${zmA}/review`).set(s['xinzheng.reviewer'].auth).send({ items: [{ code: 'list', score: 8 }, { code: 'rules', score: 15 }] }).expect(404);
    const missing = await t.http.put(`/api/v1/assessments/${zmA}/review`).set(s['county.reviewer'].auth).set(zh).send({ items: [{ code: 'list', score: 8 }] }).expect(422);
    expect(missing.body.errors).toEqual([{ field: 'items', message: '每个佐证类指标都须给出审核得分' }]);
    await t.http.put(`/api/v1/assessments/${zmA}/review`).set(s['county.reviewer'].auth).send({ items: [{ code: 'hires', score: 30 }, { code: 'list', score: 8 }, { code: 'rules', score: 15 }] }).expect(422);
    const rev = (await t.http.put(`/api/v1/assessments/${zmA}/review`).set(s['county.reviewer'].auth)
      .send({ items: [{ code: 'list', score: 8, comment: '公示位置不醒目' }, { code: 'rules', score: 15, comment: '缺培训记录' }, { code: 'hires', comment: '与台账一致' }] }).expect(200)).body;
    expect(rev.state).toBe('reviewed');
    expect(rev.items.find((i: { code: string }) => i.code === 'list')).toMatchObject({ selfScore: 10, countyScore: 8, countyComment: '公示位置不醒目' });
    await t.http.put(`/api/v1/assessments/${xzA}/review`).set(s['xinzheng.reviewer'].auth).send({ items: [{ code: 'list', score: 4 }, { code: 'rules', score: 6 }] }).expect(200);
  });

  it('the sample audit adjusts with reasons; publication waits for it; the grade is the band of the total', async () => {
    const pending = await t.http.post(`/api/v1/assessment-cycles/${cycle}/publish`).set(s['province.auditor'].auth).expect(422);
    expect(pending.body.pending.sort()).toEqual([zmA, xzA].sort());
    await t.http.put(`/api/v1/assessments/${zmA}/audit`).set(s['county.reviewer'].auth).send({ items: [] }).expect(403);
    await t.http.put(`/api/v1/assessments/${zmA}/audit`).set(s['city.analyst'].auth).send({ items: [{ code: 'rules', score: 12, reason: '' }] }).expect(400);
    const au = (await t.http.put(`/api/v1/assessments/${zmA}/audit`).set(s['city.analyst'].auth).send({ items: [{ code: 'rules', score: 12, reason: '抽查：制度未上墙' }] }).expect(200)).body;
    expect(au.items.find((i: { code: string }) => i.code === 'rules')).toMatchObject({ countyScore: 15, auditScore: 12, finalPoints: 12 });
    await t.http.put(`/api/v1/assessments/${zmA}/audit`).set(s['city.analyst'].auth).send({ items: [] }).expect(409);
    await t.http.put(`/api/v1/assessments/${xzA}/audit`).set(s['city.analyst'].auth).send({ items: [] }).expect(200);
    await t.http.post(`/api/v1/assessment-cycles/${cycle}/publish`).set(s['province.auditor'].auth).expect(200);
    for (const id of [zmA, xzA]) {
      const a = (await t.http.get(`/api/v1/assessments/${id}`).set(s['province.auditor'].auth).expect(200)).body;
      const total = Math.round(a.items.reduce((x: number, i: { finalPoints: number }) => x + i.finalPoints, 0) * 100) / 100;
      expect([a.state, a.total, a.grade, a.consequence]).toEqual(['published', total, gradeOf(total).grade, gradeOf(total).consequence]);
    }
    // A grade whose consequence is rectification (or exit may be proposed) is a source the county orders rectification from
    // (issue 16 §3); a grade without one is not (422), and nothing is ordered. (中牟's assessment: its county orders.)
    for (const id of [zmA]) {
      const a = (await t.http.get(`/api/v1/assessments/${id}`).set(s['county.reviewer'].auth).expect(200)).body;
      const order = await t.http.post('/api/v1/rectifications').set(s['county.reviewer'].auth).send({
        source: { kind: 'assessment', id }, title: '考核整改', items: [{ text: '按考核意见整改', severity: 'major' }], severity: 'major', responsiblePerson: '运营负责人', deadlineDays: 10,
      });
      expect([id, order.status]).toEqual([id, ['rectification', 'exit_proposable'].includes(a.consequence) ? 201 : 422]);
    }
    // A published score never moves: no recomputation after publication.
    await t.http.post(`/api/v1/assessments/${zmA}/recompute`).set(s['province.auditor'].auth).send({ reason: '发布后重算' }).expect(409);
    // Every step is in the audit trail.
    const actions = (await t.owner.query(`SELECT DISTINCT action FROM audit_events WHERE subject_id::text = ANY($1::text[]) OR subject_id::text = $2`, [[zmA, xzA], cycle])).map((r: { action: string }) => r.action).sort();
    expect(actions).toEqual(expect.arrayContaining(['assessment.audit', 'assessment.publish', 'assessment.recompute', 'assessment.review', 'assessment.self_assess', 'assessment_cycle.freeze', 'assessment_cycle.open', 'assessment_cycle.publish']));
  });

  it('one appeal, decided by someone other than the reviewer; results as the operator and the city see them', async () => {
    await t.http.post(`/api/v1/assessments/${zmA}/appeal`).set(s['county.reviewer'].auth).send({ reason: '我们认为评分有误' }).expect(403);
    const before = (await t.http.get(`/api/v1/assessments/${zmA}`).set(s['op1.admin'].auth).expect(200)).body;
    const ap = await t.http.post(`/api/v1/assessments/${zmA}/appeal`).set(s['op1.admin'].auth).send({ reason: '制度已上墙，有照片为证', items: ['rules'] }).expect(200);
    expect(ap.body.state).toBe('appealed');
    await t.http.post(`/api/v1/assessments/${zmA}/appeal`).set(s['op1.admin'].auth).send({ reason: '再次申诉理由' }).expect(409);
    const sep = await t.http.post(`/api/v1/assessments/${zmA}/appeal-decision`).set(s['county.reviewer'].auth).set(zh).send({ decision: 'upheld', reason: '同意', items: [{ code: 'rules', score: 20 }] }).expect(403);
    expect(sep.body.title).toContain('职责分离');
    await t.http.post(`/api/v1/assessments/${zmA}/appeal-decision`).set(s['op1.admin'].auth).send({ decision: 'upheld', reason: '同意', items: [] }).expect(403);
    const dec = (await t.http.post(`/api/v1/assessments/${zmA}/appeal-decision`).set(s['province.auditor'].auth)
      .send({ decision: 'upheld', reason: '照片显示制度已上墙，恢复得分', items: [{ code: 'rules', score: 20 }] }).expect(200)).body;
    expect(dec.state).toBe('final');
    expect(dec.total).toBeCloseTo(before.total + 8, 2);
    expect(dec.appeal).toMatchObject({ decision: 'upheld', totalBefore: before.total, gradeBefore: before.grade });
    expect(dec.grade).toBe(gradeOf(dec.total).grade);
    await t.http.post(`/api/v1/assessments/${zmA}/appeal-decision`).set(s['province.auditor'].auth).send({ decision: 'rejected', reason: '重复', items: [] }).expect(409);

    const own = (await t.http.get('/api/v1/assessments/results').set(s['op1.admin'].auth).expect(200)).body;
    expect(own.every((r: { tenantId: string }) => r.tenantId === demoId('op1'))).toBe(true);
    expect(own.find((r: { assessmentId: string }) => r.assessmentId === zmA)).toMatchObject({ final: true, appealed: true, grade: dec.grade, total: dec.total });
    const city = (await t.http.get(`/api/v1/assessments/results?cycleId=${cycle}`).set(s['city.analyst'].auth).expect(200)).body;
    expect(city.map((r: { assessmentId: string }) => r.assessmentId).sort()).toEqual([zmA, xzA].sort());
  });

  it('the subsidy statement: result-linked share due in the period × the grade factor + workload × unit rates from the frozen figures; approved by the county', async () => {
    const a = (await t.http.get(`/api/v1/assessments/${zmA}`).set(s['county.reviewer'].auth).expect(200)).body;
    const st = (await t.http.get(`/api/v1/assessments/${zmA}/statement`).set(s['op1.admin'].auth).expect(200)).body;
    const factor = { excellent: 100, good: 90, fair: 70, poor: 20 }[a.grade as 'excellent'];
    // Written out from the contract's terms: only the instalment due in the period (10 000 000 fen) is result-linked here.
    const hires = a.figures.kpis.hires_started.value;
    const regs = a.figures.kpis.registrations.value;
    expect(st.resultLinkedFen).toBe(10_000_000);
    expect(st.resultPartFen).toBe(Math.round((10_000_000 * factor) / 100));
    expect(st.workload.map((w: { kpi: string; quantity: number; amountFen: number }) => [w.kpi, w.quantity, w.amountFen])).toEqual([['hires_started', hires, hires * 500], ['registrations', regs, regs * 200]]);
    expect(st.payableFen).toBe(Math.round((10_000_000 * factor) / 100) + hires * 500 + regs * 200);
    expect(st.payableFen).toBe(subsidyOf({ schedule: contractBody().schedule, unitRates: contractBody().unitRates, gradeFactors: contractBody().gradeFactors }, { from: FROM, to: TODAY }, a.grade, { hires_started: hires, registrations: regs }).payableFen);
    expect(st.figuresVersion).toBe(2);
    const x = await t.http.get(`/api/v1/assessments/${zmA}/statement.xlsx`).set(s['county.reviewer'].auth).buffer(true)
      .parse((res, cb) => { const b: Buffer[] = []; res.on('data', (c: Buffer) => b.push(c)); res.on('end', () => cb(null, Buffer.concat(b))); }).expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.body as Parameters<typeof wb.xlsx.load>[0]);
    const rows = wb.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
    expect(rows.find((r) => r[1] === '本期应付合计')?.[5]).toBe(st.payableFen / 100);
    // The PDF carries the same total (text extracted with pdftotext, as the monthly report's test does).
    const pdf = await t.http.get(`/api/v1/assessments/${zmA}/statement.pdf`).set(s['op1.admin'].auth).buffer(true)
      .parse((res, cb) => { const b: Buffer[] = []; res.on('data', (c: Buffer) => b.push(c)); res.on('end', () => cb(null, Buffer.concat(b))); }).expect(200);
    const dir = mkdtempSync(join(tmpdir(), 'stmt-'));
    writeFileSync(join(dir, 's.pdf'), pdf.body as Buffer);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 's.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('本期应付合计');
    expect(text).toContain(String(st.payableFen / 100));
    await t.http.post(`/api/v1/assessments/${zmA}/statement/approval`).set(s['op1.admin'].auth).expect(403);
    await t.http.post(`/api/v1/assessments/${zmA}/statement/approval`).set(s['city.analyst'].auth).expect(403);
    const ok = await Promise.all([1, 2].map(() => t.http.post(`/api/v1/assessments/${zmA}/statement/approval`).set(s['county.reviewer'].auth)));
    expect(ok.map((r) => r.status).sort()).toEqual([200, 409]);
    const approved = (await t.http.get(`/api/v1/assessments/${zmA}/statement`).set(s['op1.admin'].auth).expect(200)).body;
    expect(approved.approved.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(approved.payableFen).toBe(st.payableFen);
  });

  it('deadlines: after the self-assessment deadline the operator cannot submit, and the county reviews without it', async () => {
    const past = await t.http.post('/api/v1/assessment-cycles').set(s['county.reviewer'].auth).send({
      name: `过期自评-${Date.now()}`, kind: 'special', templateId, periodFrom: addDay(TODAY, -9), periodTo: addDay(TODAY, -3), cutoff: addDay(TODAY, -2),
      selfDeadline: addDay(TODAY, -1), reviewDeadline: addDay(TODAY, 2), samplePct: 0, contractIds: [zmContract],
    }).expect(201);
    // A county opens cycles of its own contracts only.
    await t.http.post('/api/v1/assessment-cycles').set(s['county.reviewer'].auth).send({
      name: '越权', kind: 'special', templateId, periodFrom: FROM, periodTo: TODAY, cutoff: TODAY, selfDeadline: TODAY, reviewDeadline: TODAY, contractIds: [xzContract],
    }).expect(422);
    await t.http.post(`/api/v1/assessment-cycles/${past.body.id}/freeze`).set(s['province.auditor'].auth).expect(403);
    const fr = await t.http.post(`/api/v1/assessment-cycles/${past.body.id}/freeze`).set(s['county.reviewer'].auth).expect(200);
    expect(fr.body.state).toBe('frozen');
    const [{ id }] = await t.owner.query('SELECT id FROM assessments WHERE cycle_id = $1', [past.body.id]);
    const late = await t.http.put(`/api/v1/assessments/${id}/self-assessment`).set(s['op1.admin'].auth).set(en).send({ items: [{ code: 'list', score: 5 }] }).expect(422);
    expect(late.body.errors).toEqual([{ field: 'selfDeadline', message: 'The deadline has passed' }]);
    await t.http.put(`/api/v1/assessments/${id}/review`).set(s['county.reviewer'].auth).send({ items: [{ code: 'list', score: 5 }, { code: 'rules', score: 10 }] }).expect(200);
    // Not sampled (0 %): no audit, and publication goes ahead.
    await t.http.put(`/api/v1/assessments/${id}/audit`).set(s['city.analyst'].auth).send({ items: [] }).expect(422);
    await t.http.post(`/api/v1/assessment-cycles/${past.body.id}/publish`).set(s['county.reviewer'].auth).expect(200);
  });

  it('local items (§2): a county adds its own within the province\'s budget, taking the points from province items; the version serves its region only', async () => {
    const base = (await t.http.get(`/api/v1/assessment-templates/${templateId}`).set(s['county.reviewer'].auth).expect(200)).body;
    // 5 points from 招聘成功人数 (30 → 25) to a local evidence item under 产出.
    const body = structuredClone(base.body) as TemplateBody;
    const output = body.indicators[0];
    output.children![0].weight = 25;
    output.children!.push({ code: 'local.fair', zh: '县级专场招聘会', weight: 5, evidence: { requirement: '活动照片与签到表' }, local: true });
    const name = `中牟县本地指标-${Date.now()}`;
    await t.http.post(`/api/v1/assessment-templates/${templateId}/local`).set(s['op1.admin'].auth).send({ name, body }).expect(403);
    const over = structuredClone(body);
    over.indicators[0].children![0].weight = 15;
    over.indicators[0].children![3].weight = 15;
    const before = await t.owner.query('SELECT count(*)::int AS n FROM assessment_templates');
    const bad = await t.http.post(`/api/v1/assessment-templates/${templateId}/local`).set(s['county.reviewer'].auth).set(zh).send({ name, body: over }).expect(422);
    expect(bad.body.errors).toContainEqual({ field: 'body.indicators', message: '市县自设指标合计 15 分，超过省级给定的 10 分' });
    const up = structuredClone(body);
    up.indicators[0].children![1].weight = 25;
    up.indicators[0].children![0].weight = 20;
    const raised = await t.http.post(`/api/v1/assessment-templates/${templateId}/local`).set(s['county.reviewer'].auth).set(en).send({ name, body: up }).expect(422);
    expect(raised.body.errors).toContainEqual({ field: 'body.indicators', message: "The province's item demand may only give points, not exceed its 20" });
    expect(await t.owner.query('SELECT count(*)::int AS n FROM assessment_templates')).toEqual(before);
    const local = (await t.http.post(`/api/v1/assessment-templates/${templateId}/local`).set(s['county.reviewer'].auth).send({ name, body }).expect(201)).body;
    expect(local).toMatchObject({ regionCode: '410122', baseId: templateId, version: 1 });
    // Its own county and the province see it; another county does not, and cannot pin it.
    const seen = async (u: string) => (await t.http.get('/api/v1/assessment-templates').set(s[u].auth).expect(200)).body.some((x: { id: string }) => x.id === local.id);
    expect([await seen('county.reviewer'), await seen('province.auditor'), await seen('xinzheng.reviewer')]).toEqual([true, true, false]);
    const cyc = { name: `本地指标考核-${Date.now()}`, kind: 'special', templateId: local.id, periodFrom: addDay(TODAY, -9), periodTo: addDay(TODAY, -3), cutoff: addDay(TODAY, -2),
      selfDeadline: addDay(TODAY, -1), reviewDeadline: addDay(TODAY, 2), samplePct: 0 };
    await t.http.post('/api/v1/assessment-cycles').set(s['xinzheng.reviewer'].auth).send({ ...cyc, contractIds: [xzContract] }).expect(422);
    const c = await t.http.post('/api/v1/assessment-cycles').set(s['county.reviewer'].auth).send({ ...cyc, contractIds: [zmContract] }).expect(201);
    await t.http.post(`/api/v1/assessment-cycles/${c.body.id}/freeze`).set(s['county.reviewer'].auth).expect(200);
    const [a] = await t.owner.query('SELECT id FROM assessments WHERE cycle_id = $1', [c.body.id]);
    const items = (await t.http.get(`/api/v1/assessments/${a.id}`).set(s['county.reviewer'].auth).expect(200)).body.items;
    expect(items.find((i: { code: string }) => i.code === 'local.fair')).toMatchObject({ kind: 'evidence', weight: 5 });
    expect(items.reduce((x: number, i: { weight: number }) => x + i.weight, 0)).toBe(100);
  });
});
