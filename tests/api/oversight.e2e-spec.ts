import { createHash, createHmac } from 'node:crypto';
import { findWorkday } from 'chinese-days';
import { CallbackService, RectificationService } from '@linggong/api-oversight';
import { type Actor, type CallbackSampleDetailView, type InspectionDetailView, type RectificationDetailView } from '@linggong/domain';
import { shanghaiDay } from '@linggong/ledger-chain';
import { bootApp, demoId, freshTenant, login, type Session, type TestApp } from '../support/app';

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** Noon in Shanghai on a day, as a Date (04:00 UTC). */
const noon = (day: string) => new Date(`${day}T04:00:00Z`);
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
let phone = 13300000000 + (Date.now() % 1_000_000) * 10;

/**
 * Oversight (issue 16 §1–3, R-F1, R-F3, R-F5) against real PostgreSQL and Redis: a fresh operator in
 * 中牟县 (410122) with 12 started hires, today sealed; the county (county.reviewer) samples it, calls,
 * completes (3 confirmed, 1 denied, 1 unreachable: 75 % < 80 %), which opens a follow-up inspection;
 * rectification orders go through their states; overdue ones are escalated by working days.
 */
describe('oversight: call-back sampling, rectification, inspections', () => {
  let t: TestApp;
  let county: Session;
  let otherCounty: Session;
  let city: Session;
  let otherOperator: Session;
  let op: { id: string; marketId: string; admin: Session; desk: Session };
  const TODAY = shanghaiDay(new Date());
  const workers: { id: string; mobile: string }[] = [];
  const countyActor: Actor = { userId: demoId('user:county.reviewer'), username: 'county.reviewer', orgId: demoId('zhongmu'), orgKind: 'county', regionPrefix: '410122', marketIds: [], roles: ['county_reviewer'] };
  let sample: CallbackSampleDetailView;

  beforeAll(async () => {
    t = await bootApp();
    county = await login(t, 'county.reviewer');
    otherCounty = await login(t, 'yiyang.reviewer');
    city = await login(t, 'city.analyst');
    const o = await freshTenant(t, 'ovo');
    otherOperator = await login(t, o.adminUser.username, o.password);
    const f = await freshTenant(t, 'ovs');
    op = { id: f.org.id, marketId: f.market.id, admin: await login(t, f.adminUser.username, f.password), desk: await login(t, f.deskUser.username, f.password) };
    const e = await t.http.post(`/api/v1/markets/${op.marketId}/employers`).set(op.desk.auth)
      .send({ kind: 'individual', name: `个体户${phone % 10000}`, contactName: '周老板', contactPhone: String(++phone) }).expect(201);
    await t.http.post(`/api/v1/employers/${e.body.id}/verification`).set(op.admin.auth).send({ decision: 'verified', evidence: '身份证原件已核验' }).expect(200);
    const p = await t.http.post(`/api/v1/markets/${op.marketId}/posts`).set(op.desk.auth).send({
      employerId: e.body.id, occupation: '装卸搬运工', title: '装卸急招', headcount: 20, wageFen: 20000, wageUnit: 'day',
      period: 'same_day', startAt: inHours(1), place: '物流园 2 号门', requirements: '',
    }).expect(201);
    await t.http.post(`/api/v1/posts/${p.body.id}/review`).set(op.admin.auth).send({ decision: 'published' }).expect(200);
    for (let i = 0; i < 12; i++) {
      const mobile = String(++phone);
      const w = await t.http.post(`/api/v1/markets/${op.marketId}/workers`).set(op.desk.auth)
        .send({ name: `回访工${i}`, mobile, consent: true, occupations: ['装卸搬运工'], gender: 'male', birthYear: 1975 + i }).expect(201);
      workers.push({ id: w.body.id, mobile });
      await t.http.post(`/api/v1/markets/${op.marketId}/check-ins`).set(op.desk.auth).send({ workerId: w.body.id }).expect(200);
      const pl = await t.http.post('/api/v1/placements').set(op.desk.auth).send({ postId: p.body.id, workerId: w.body.id }).expect(201);
      await t.http.post(`/api/v1/placements/${pl.body.id}/confirm`).set(op.desk.auth).send({ party: 'both' }).expect(200);
      await t.http.post(`/api/v1/placements/${pl.body.id}/start`).set(op.desk.auth).send({}).expect(200);
    }
    await t.http.post(`/api/v1/markets/${op.marketId}/ledger/days/${TODAY}/close`).set(op.admin.auth).send({ reason: '测试：提前日结' }).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  /**
   * The documented rule, written again here without the service's code (docs/oversight.md "The draw"): the
   * operator's sealed hire-start and service entries in the county and period, by (market, day, seq); rank
   * HMAC(seed bytes, entry hash); the n smallest.
   */
  async function rederive(s: CallbackSampleDetailView): Promise<{ marketId: string; seq: number; hmac: string }[]> {
    const rows: { market_id: string; business_day: string; seq: string; hash: string; payload: Record<string, unknown> }[] = await t.owner.query(
      `SELECT e.market_id, e.business_day, e.seq, e.hash, e.payload FROM ledger_entries e JOIN markets m ON m.id = e.market_id
       WHERE m.tenant_id = $1 AND m.region_code LIKE $2 || '%' AND e.kind IN ('hire_started', 'guidance') AND e.business_day BETWEEN $3 AND $4
         AND EXISTS (SELECT 1 FROM ledger_seals s WHERE s.market_id = e.market_id AND e.seq BETWEEN s.first_seq AND s.last_seq)`,
      [s.tenantId, s.regionCode, s.from, s.to]);
    const cands = rows.filter((r) => typeof r.payload['workerId'] === 'string').map((r) => ({ marketId: r.market_id, day: r.business_day, seq: Number(r.seq), hash: r.hash }))
      .sort((a, b) => (a.marketId !== b.marketId ? (a.marketId < b.marketId ? -1 : 1) : a.day !== b.day ? (a.day < b.day ? -1 : 1) : a.seq - b.seq));
    const key = Buffer.from(s.seed as string, 'hex');
    const ranked = cands.map((c, i) => ({ ...c, i, hmac: createHmac(s.alg, key).update(c.hash).digest('hex') }))
      .sort((a, b) => (a.hmac === b.hmac ? a.i - b.i : a.hmac < b.hmac ? -1 : 1));
    expect(s.candidates).toBe(cands.length);
    expect(s.candidatesDigest).toBe(createHash(s.alg).update(cands.map((c) => `${c.marketId}:${c.day}:${c.seq}:${c.hash}\n`).join('')).digest('hex'));
    return ranked.slice(0, s.size).map((c) => ({ marketId: c.marketId, seq: c.seq, hmac: c.hmac }));
  }

  const auditCount = async (action: string, subjectId: string) =>
    (await t.owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = $1 AND subject_id = $2`, [action, subjectId]))[0].n as number;

  it('commits to a seed (hash published, seed secret), refuses a second sample of the period and a draw before the period ends', async () => {
    const res = await t.http.post('/api/v1/callback-samples').set(county.auth).send({ operatorId: op.id, from: TODAY, to: TODAY, size: 5 }).expect(201);
    sample = res.body;
    expect(sample).toMatchObject({ status: 'committed', seed: null, threshold: 80, size: 5, regionCode: '410122', calls: [] });
    expect(sample.seedHash).toMatch(/^[0-9a-f]{64}$/);
    // The operator sees the commitment, not the seed.
    const mine = (await t.http.get(`/api/v1/callback-samples/${sample.id}`).set(op.admin.auth).expect(200)).body;
    expect(mine).toMatchObject({ seed: null, seedHash: sample.seedHash });
    await t.http.post('/api/v1/callback-samples').set(county.auth).send({ operatorId: op.id, from: TODAY, to: TODAY, size: 3 }).expect(409);
    // A period whose last day (tomorrow) is not sealed yet cannot be drawn.
    const later = (await t.http.post('/api/v1/callback-samples').set(county.auth).send({ operatorId: op.id, from: TODAY, to: addDays(TODAY, 1), size: 3 }).expect(201)).body;
    const early = await t.http.post(`/api/v1/callback-samples/${later.id}/draw`).set(county.auth).set('Accept-Language', 'en').expect(409);
    expect(early.body.detail ?? early.body.title).toMatch(/period is not over/);
    // …nor, with the clock on the day after its end, while an entry recorded after today's close waits for its supplementary seal.
    const w = await t.http.post(`/api/v1/markets/${op.marketId}/workers`).set(op.desk.auth).send({ name: '晚到工', mobile: String(++phone), consent: true }).expect(201);
    await t.http.post(`/api/v1/markets/${op.marketId}/check-ins`).set(op.desk.auth).send({ workerId: w.body.id }).expect(200);
    await expect(t.app.get(CallbackService).draw(countyActor, later.id, noon(addDays(TODAY, 2)))).rejects.toMatchObject({ key: 'callback_period_not_over' });
    // A second close seals the late entry as the day's supplementary part: today is wholly sealed again.
    await t.http.post(`/api/v1/markets/${op.marketId}/ledger/days/${TODAY}/close`).set(op.admin.auth).send({ reason: '测试：补充封存' }).expect(201);
    // Only the county draws: the operator and another county cannot.
    await t.http.post(`/api/v1/callback-samples/${sample.id}/draw`).set(op.admin.auth).expect(403);
    await t.http.post(`/api/v1/callback-samples/${sample.id}/draw`).set(otherCounty.auth).expect(404);
  });

  it('draws from the sealed entries by the published rule: an independent re-derivation from the revealed seed gives the same sample', async () => {
    // The period's one day is sealed: the draw.
    sample = (await t.http.post(`/api/v1/callback-samples/${sample.id}/draw`).set(county.auth).expect(200)).body;
    expect(sample.status).toBe('drawn');
    expect(sample.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(createHash(sample.alg).update(sample.seed as string).digest('hex')).toBe(sample.seedHash);
    const expected = await rederive(sample);
    expect(expected).toHaveLength(5);
    expect(sample.calls.map((c) => ({ marketId: c.marketId, seq: c.seq, hmac: c.hmac }))).toEqual(expected);
    expect(sample.candidates).toBe(12);
    // Masked contacts for the county, none for the operator.
    expect(sample.calls[0].mobileMasked).toMatch(/^\d{3}\*{4}\d{4}$/);
    const mine = (await t.http.get(`/api/v1/callback-samples/${sample.id}`).set(op.admin.auth).expect(200)).body as CallbackSampleDetailView;
    expect(mine.calls.every((c) => c.mobileMasked === null && c.workerName === null)).toBe(true);
    await t.http.post(`/api/v1/callback-samples/${sample.id}/draw`).set(county.auth).expect(409);
  });

  it('reveals a sampled worker’s mobile (audited) and refuses anyone else’s with 403 and an audited attempt', async () => {
    const sampled = sample.calls[0].workerId;
    const before = await auditCount('callback.reveal', sampled);
    const r = await t.http.post(`/api/v1/callback-samples/${sample.id}/reveal`).set(county.auth).send({ workerId: sampled }).expect(200);
    expect(r.body.mobile).toBe(workers.find((w) => w.id === sampled)?.mobile);
    expect(await auditCount('callback.reveal', sampled)).toBe(before + 1);
    const outside = workers.find((w) => !sample.calls.some((c) => c.workerId === w.id)) as { id: string };
    const refusedBefore = await auditCount('callback.reveal_refused', outside.id);
    const no = await t.http.post(`/api/v1/callback-samples/${sample.id}/reveal`).set(county.auth).send({ workerId: outside.id }).expect(403);
    expect(no.body.title ?? no.body.detail).toBeTruthy();
    expect(await auditCount('callback.reveal_refused', outside.id)).toBe(refusedBefore + 1);
    expect(await auditCount('callback.reveal', outside.id)).toBe(0);
    // The operator may not reveal at all; another county does not see the sample.
    await t.http.post(`/api/v1/callback-samples/${sample.id}/reveal`).set(op.admin.auth).send({ workerId: sampled }).expect(403);
    await t.http.post(`/api/v1/callback-samples/${sample.id}/reveal`).set(otherCounty.auth).send({ workerId: sampled }).expect(404);
  });

  it('records outcomes once each, completes at 75 % (< 80 %) and opens a follow-up inspection; the KPI equals an independent SQL count', async () => {
    const outcomes = ['confirmed', 'confirmed', 'denied', 'unreachable', 'confirmed'] as const;
    for (let i = 0; i < 4; i++) {
      await t.http.post(`/api/v1/callback-samples/${sample.id}/calls/${sample.calls[i].id}/outcome`).set(county.auth).send({ outcome: outcomes[i], note: i === 2 ? '本人称当天没有去干活' : '' }).expect(200);
    }
    await t.http.post(`/api/v1/callback-samples/${sample.id}/complete`).set(county.auth).expect(409);
    // The same call twice at once: recorded once.
    const both = await Promise.all([0, 1].map(() => t.http.post(`/api/v1/callback-samples/${sample.id}/calls/${sample.calls[4].id}/outcome`).set(county.auth).send({ outcome: outcomes[4] })));
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    await t.http.post(`/api/v1/callback-samples/${sample.id}/calls/${sample.calls[4].id}/outcome`).set(county.auth).send({ outcome: 'bogus' }).expect(400);
    const done = (await t.http.post(`/api/v1/callback-samples/${sample.id}/complete`).set(county.auth).expect(200)).body as CallbackSampleDetailView;
    expect(done).toMatchObject({ status: 'completed', confirmed: 3, reached: 4, rate: 75 });
    expect(done.inspectionId).toBeTruthy();
    const insp = (await t.http.get(`/api/v1/inspections/${done.inspectionId}`).set(county.auth).expect(200)).body as InspectionDetailView;
    expect(insp).toMatchObject({ kind: 'follow_up', status: 'planned', tenantId: op.id, sourceSampleId: sample.id });
    const kpi = (await t.http.get('/api/v1/oversight/kpis').query({ operatorId: op.id, from: TODAY, to: TODAY }).set(county.auth).expect(200)).body;
    const [{ confirmed, reached }] = await t.owner.query(
      `SELECT count(*) FILTER (WHERE c.outcome = 'confirmed')::int AS confirmed, count(*) FILTER (WHERE c.outcome <> 'unreachable')::int AS reached
       FROM callback_calls c JOIN callback_samples s ON s.id = c.sample_id WHERE s.tenant_id = $1 AND s.status = 'completed' AND s.period_from >= $2 AND s.period_to <= $2`, [op.id, TODAY]);
    expect(kpi).toEqual([{ code: 'callback_agreement', value: Math.round((confirmed / reached) * 10000) / 100, confirmed, reached, samples: 1, from: TODAY, to: TODAY }]);
    expect(kpi[0].value).toBe(75);
    // The operator reads its own figure; the other county sees none of it.
    expect((await t.http.get('/api/v1/oversight/kpis').query({ from: TODAY, to: TODAY }).set(op.admin.auth).expect(200)).body[0].value).toBe(75);
    expect((await t.http.get('/api/v1/oversight/kpis').query({ operatorId: op.id, from: TODAY, to: TODAY }).set(otherCounty.auth).expect(200)).body[0]).toMatchObject({ value: null, samples: 0 });
  });

  const order = (s: Session, body: Record<string, unknown>) => t.http.post('/api/v1/rectifications').set(s.auth).send({
    title: '回访不实整改', items: [{ text: '核实并更正虚报的上岗记录', severity: 'major' }], severity: 'major', responsiblePerson: '王建国', deadlineDays: 3,
    source: { kind: 'callback_sample', id: sample.id }, ...body,
  });

  it('rectification: 待整改 → 整改中 → 已整改 → fail → 整改中 → 已整改 → pass → 已验证 → 已关闭, each by its side, deadline in working days', async () => {
    const r = (await order(county, {}).expect(201)).body as RectificationDetailView;
    expect(r).toMatchObject({ status: 'pending', orderedOn: TODAY, dueOn: findWorkday(3, TODAY), sourceKind: 'callback_sample', tenantId: op.id });
    const go = (s: Session, step: string, body: Record<string, unknown> = {}) => t.http.post(`/api/v1/rectifications/${r.id}/${step}`).set(s.auth).send(body);
    await go(county, 'start').expect(403);
    await go(op.admin, 'evidence', { note: '已整改' }).expect(409);
    expect((await go(op.admin, 'start').expect(200)).body.status).toBe('in_progress');
    expect((await go(op.admin, 'evidence', { note: '已逐条核实上岗记录，附更正说明' }).expect(200)).body.status).toBe('rectified');
    await go(op.admin, 'verification', { verdict: 'pass' }).expect(403);
    await go(county, 'verification', { verdict: 'fail' }).expect(400); // a failed verdict needs its reason
    const failed = (await go(county, 'verification', { verdict: 'fail', note: '更正说明未附回访记录' }).expect(200)).body as RectificationDetailView;
    expect(failed).toMatchObject({ status: 'in_progress', rounds: 1 });
    await go(county, 'close').expect(409);
    expect((await go(op.admin, 'evidence', { note: '补充回访记录' }).expect(200)).body.status).toBe('rectified');
    expect((await go(county, 'verification', { verdict: 'pass' }).expect(200)).body.status).toBe('verified');
    const closed = (await go(county, 'close', { note: '整改到位' }).expect(200)).body as RectificationDetailView;
    expect(closed.status).toBe('closed');
    expect(closed.events.map((e) => `${e.action}:${e.toStatus}`)).toEqual([
      'ordered:pending', 'start:in_progress', 'submit:rectified', 'verify:in_progress', 'submit:rectified', 'verify:verified', 'close:closed',
    ]);
    // Another operator does not see it, nor its sample; another county neither sees nor orders for it.
    await t.http.get(`/api/v1/rectifications/${r.id}`).set(otherOperator.auth).expect(404);
    await t.http.post(`/api/v1/rectifications/${r.id}/start`).set(otherOperator.auth).send({}).expect(404);
    await t.http.get(`/api/v1/callback-samples/${sample.id}`).set(otherOperator.auth).expect(404);
    expect((await t.http.get('/api/v1/rectifications').set(otherOperator.auth).expect(200)).body.total).toBe(0);
    await t.http.get(`/api/v1/rectifications/${r.id}`).set(otherCounty.auth).expect(404);
    await order(otherCounty, {}).expect(422);
    // An assessment that does not exist (or carries no rectification consequence) is no source.
    await order(county, { source: { kind: 'assessment', id: '00000000-0000-7000-8000-0000000000a5' } }).expect(422);
  });

  it('two identical transitions at once change the order once', async () => {
    const r = (await order(county, {}).expect(201)).body as RectificationDetailView;
    const res = await Promise.all([0, 1, 2].map(() => t.http.post(`/api/v1/rectifications/${r.id}/start`).set(op.admin.auth).send({})));
    expect(res.map((x) => x.status).sort()).toEqual([200, 409, 409]);
    const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM rectification_events WHERE rectification_id = $1 AND action = 'start'`, [r.id]);
    expect(n).toBe(1);
  });

  it('escalates an open order to the city only once its due day, counted in working days, has passed — once', async () => {
    const r = (await order(county, { deadlineDays: 6 }).expect(201)).body as RectificationDetailView;
    const due = findWorkday(6, TODAY);
    expect(r.dueOn).toBe(due);
    const svc = t.app.get(RectificationService);
    // Six working days always span a weekend: a week of calendar days later the order is not yet overdue.
    expect(addDays(TODAY, 7) <= due).toBe(true);
    expect(await svc.escalateOverdue(noon(addDays(TODAY, 7)))).not.toContain(r.id);
    expect(await svc.escalateOverdue(noon(due))).not.toContain(r.id);
    expect(await svc.escalateOverdue(noon(addDays(due, 1)))).toContain(r.id);
    expect(await svc.escalateOverdue(noon(addDays(due, 2)))).not.toContain(r.id);
    const seen = (await t.http.get(`/api/v1/rectifications/${r.id}`).set(city.auth).expect(200)).body as RectificationDetailView;
    expect(seen.escalatedAt).toBeTruthy();
    expect(seen.events.map((e) => e.action)).toEqual(['ordered', 'escalated']);
    const list = (await t.http.get('/api/v1/rectifications').query({ escalated: 'true', operatorId: op.id }).set(city.auth).expect(200)).body;
    expect(list.items.map((x: { id: string }) => x.id)).toContain(r.id);
    const [{ region }] = await t.owner.query(`SELECT region_code AS region FROM audit_events WHERE action = 'rectification.escalate' AND subject_id = $1`, [r.id]);
    expect(region).toBe('4101');
  });

  it('inspections: a plan, an on-site inspection against the R-F5 checklist, the report with findings and score, which the operator then reads', async () => {
    const plan = (await t.http.post('/api/v1/inspection-plans').set(county.auth).send({ kind: 'quarterly', title: '2026 年第四季度零工市场督导检查', from: TODAY, to: addDays(TODAY, 30) }).expect(201)).body;
    const i = (await t.http.post('/api/v1/inspections').set(county.auth).send({ planId: plan.id, operatorId: op.id, marketId: op.marketId, kind: 'on_site', scheduledOn: TODAY }).expect(201)).body as InspectionDetailView;
    expect(i.results.map((x) => x.code)).toEqual(['name_board', 'unified_logo', 'rule_boards', 'registration_flow', 'hotline', 'complaint_channels', 'facilities', 'safety']);
    await t.http.get(`/api/v1/inspections/${i.id}`).set(op.admin.auth).expect(404);
    await t.http.post(`/api/v1/inspections/${i.id}/report`).set(op.admin.auth).send({}).expect(403);
    const photo = 'a'.repeat(64);
    const report = {
      results: i.results.map((x, k) => ({ code: x.code, result: k < 6 ? 'pass' : k === 6 ? 'fail' : 'na' })),
      findings: [{ code: 'facilities', text: '休息区无饮水设施', severity: 'major', photos: [photo] }],
      summary: '标识齐全，服务设施不足',
    };
    await t.http.post(`/api/v1/inspections/${i.id}/report`).set(county.auth).send({ ...report, findings: [{ text: '缺', severity: 'major', photos: ['xyz'] }] }).expect(400);
    const done = (await t.http.post(`/api/v1/inspections/${i.id}/report`).set(county.auth).send(report).expect(200)).body as InspectionDetailView;
    // 6 passed of 7 applicable = 85.71, less 5 for the major finding.
    expect(done).toMatchObject({ status: 'reported', score: 80.71, findingCount: 1 });
    await t.http.post(`/api/v1/inspections/${i.id}/report`).set(county.auth).send(report).expect(409);
    const seen = (await t.http.get(`/api/v1/inspections/${i.id}`).set(op.admin.auth).expect(200)).body as InspectionDetailView;
    expect(seen.findings).toEqual([expect.objectContaining({ text: '休息区无饮水设施', severity: 'major', photos: [photo] })]);
    const r = (await order(county, { source: { kind: 'inspection', id: i.id }, title: '服务设施整改' }).expect(201)).body as RectificationDetailView;
    expect(r).toMatchObject({ sourceKind: 'inspection', marketId: op.marketId, status: 'pending' });
    const home = (await t.http.get('/api/v1/oversight/summary').set(op.admin.auth).expect(200)).body;
    expect(home.openRectifications).toBeGreaterThanOrEqual(3);
  });
});
