import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExitCaseDetailView, HandoverView } from '@linggong/domain';
import { shanghaiDay } from '@linggong/ledger-chain';
import { verifyFiles } from '../../tools/ledger-verify/verify-file';
import { bootApp, demoId, freshTenant, login, tableCounts, type Session, type TestApp } from '../support/app';
import { signaturePng } from '../support/tools';

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
let phone = 13500000000 + (Date.now() % 1_000_000) * 10;

/**
 * Exit of a failing operator end to end (issue 16 §4, R-F1) against real PostgreSQL and Redis: a fresh operator in
 * 中牟县 (410122) with workers, an open post, a closed post, an open complaint, a tool lent against a deposit and a
 * hardship plan; the county proposes, the city approves (the proposer and another county user cannot), the operator
 * answers, the exit starts (a new check-in is refused, closing the day is not), the market is handed over to a
 * successor ("op3" of this suite) under its contract, both sign, the county completes and archives. The market's work
 * log verifies across the handover online and offline (the bureau's package with tools/ledger-verify).
 */
describe('exit of a failing operator and the handover of its market', () => {
  let t: TestApp;
  let county: Session;
  let county2: Session;
  let city: Session;
  let out: Awaited<ReturnType<typeof freshTenant>>;
  let op3: Awaited<ReturnType<typeof freshTenant>>;
  let outAdmin: Session;
  let outDesk: Session;
  let outManager: Session;
  let op3Admin: Session;
  const TODAY = shanghaiDay(new Date());
  const f = { workers: [] as string[], post: '', closedPost: '', complaint: '', loan: '', plan: '', contract: '', employer: '' };
  let exitCase: ExitCaseDetailView;
  let handover: HandoverView;
  const zh = { 'Accept-Language': 'zh-CN' };

  const worker = async (name: string) =>
    (await t.http.post(`/api/v1/markets/${out.market.id}/workers`).set(outDesk.auth).send({ name, mobile: String(++phone), consent: true, occupations: ['装卸搬运工'] }).expect(201)).body.id as string;
  const post = async (title: string) => {
    const p = (await t.http.post(`/api/v1/markets/${out.market.id}/posts`).set(outDesk.auth).send({
      employerId: f.employer, occupation: '装卸搬运工', title, headcount: 3, wageFen: 20000, wageUnit: 'day', period: 'same_day', startAt: inHours(2), place: '物流园 3 号门', requirements: '',
    }).expect(201)).body;
    await t.http.post(`/api/v1/posts/${p.id}/review`).set(outAdmin.auth).send({ decision: 'published' }).expect(200);
    return p.id as string;
  };
  const tenantOf = async (table: string, id: string) => (await t.owner.query(`SELECT tenant_id FROM ${table} WHERE id = $1`, [id]))[0].tenant_id as string;

  beforeAll(async () => {
    t = await bootApp();
    county = await login(t, 'county.reviewer');
    city = await login(t, 'city.analyst');
    const admin = await login(t, 'admin');
    // A second reviewer of the same county: the same level cannot approve.
    const u2 = `zm.rev${Date.now().toString(36)}`.slice(0, 32);
    await t.http.post('/api/v1/users').set(admin.auth).send({ username: u2, displayName: '中牟县第二审核人', password: 'Test-Passw0rd!', orgId: demoId('zhongmu'), roles: ['county_reviewer'], marketIds: [], phone: '13912345678' }).expect(201);
    county2 = await login(t, u2, 'Test-Passw0rd!');
    out = await freshTenant(t, 'exo', ['market_manager']);
    op3 = await freshTenant(t, 'op3');
    outAdmin = await out.signIn('operator_admin');
    outDesk = await out.signIn('front_desk');
    outManager = await out.signIn('market_manager');
    op3Admin = await op3.signIn('operator_admin');
    // The outgoing operator's market: workers, an employer, an open post, a closed post, a check-in.
    for (const n of ['移交工甲', '移交工乙', '移交工丙']) f.workers.push(await worker(n));
    const e = await t.http.post(`/api/v1/markets/${out.market.id}/employers`).set(outDesk.auth).send({ kind: 'individual', name: `个体户${phone % 10000}`, contactName: '吴老板', contactPhone: String(++phone) }).expect(201);
    f.employer = e.body.id;
    await t.http.post(`/api/v1/employers/${f.employer}/verification`).set(outAdmin.auth).send({ decision: 'verified', evidence: '身份证原件已核验' }).expect(200);
    f.post = await post('移交前的开放岗位');
    f.closedPost = await post('已撤下的岗位');
    await t.http.post(`/api/v1/posts/${f.closedPost}/withdraw`).set(outAdmin.auth).send({ reason: '雇主已招满' }).expect(200);
    await t.http.post(`/api/v1/markets/${out.market.id}/check-ins`).set(outDesk.auth).send({ workerId: f.workers[0] }).expect(200);
    // An open complaint, with its clocks.
    f.complaint = (await t.http.post('/api/v1/complaints').set(outAdmin.auth).send({ marketId: out.market.id, channel: 'hotline', category: 'dispute', content: '工钱纠纷，需要市场协调处理', anonymous: true }).expect(201)).body.complaint.id;
    // A tool lent against a 50-yuan deposit.
    const tool = (await t.http.post(`/api/v1/markets/${out.market.id}/tools`).set(outManager.auth)
      .send({ code: `EX-${Date.now().toString(36)}`, name: '电动冲击钻', category: 'regular', valueFen: 40000, depositFen: 5000, dailyFeeFen: 500 }).expect(201)).body;
    f.loan = (await t.http.post(`/api/v1/tools/${tool.id}/loans`).set(outDesk.auth).send({ workerId: f.workers[1], days: 3 }).expect(201)).body.id;
    await t.http.post(`/api/v1/tool-loans/${f.loan}/decision`).set(outManager.auth).send({ decision: 'approved' }).expect(200);
    await t.http.post(`/api/v1/tool-loans/${f.loan}/lend`).set(outDesk.auth).send({ signaturePngBase64: signaturePng(7).toString('base64') }).expect(200);
    // A hardship (assistance) plan.
    await t.http.post(`/api/v1/workers/${f.workers[2]}/hardship`).set(outDesk.auth).send({ categories: ['registered_unemployed'], consent: true, evidence: '现场查验失业登记证' }).expect(200);
    f.plan = (await t.http.post(`/api/v1/workers/${f.workers[2]}/assistance-plans`).set(outDesk.auth).send({ goal: '实现稳定就业' }).expect(201)).body.id;
    // The successor's contract with the county (its own market; the handed-over market is added by amendment later).
    f.contract = (await t.http.post('/api/v1/contracts').set(county.auth).send({
      operatorId: op3.org.id, number: `ZM-EXIT-${Date.now()}`, title: '中牟县零工市场承接运营合同', termFrom: addDays(TODAY, -10), termTo: addDays(TODAY, 355),
      marketIds: [op3.market.id], amountFen: 1_000_000, schedule: [{ label: '全额', due: addDays(TODAY, 30), amountFen: 1_000_000, resultLinked: false }],
      unitRates: [], gradeFactors: { excellent: 100, good: 90, fair: 70, poor: 20 }, documentSm3: 'ab'.repeat(32),
    }).expect(201)).body.id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('the county proposes; the proposer and another county user cannot approve; the city approves once under a burst', async () => {
    const bad = await t.http.post('/api/v1/exit-cases').set(county.auth).set('Accept-Language', 'en').send({ operatorId: out.org.id, grounds: ['laziness'], reason: '' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['grounds.0', 'reason']);
    await t.http.post('/api/v1/exit-cases').set(outAdmin.auth).send({ operatorId: out.org.id, grounds: ['fraud'], reason: '虚报就业人数' }).expect(403);
    await t.http.post('/api/v1/exit-cases').set(city.auth).send({ operatorId: out.org.id, grounds: ['fraud'], reason: '虚报就业人数' }).expect(403);
    const res = await t.http.post('/api/v1/exit-cases').set(county.auth)
      .send({ operatorId: out.org.id, grounds: ['poor_grade_failed_rectification', 'failed_callback'], reason: '年度评估为差且整改不通过；抽查回访一致率 60%', answerDays: 3 });
    expect([res.status, res.body.title]).toEqual([201, undefined]);
    exitCase = res.body;
    expect(exitCase).toMatchObject({ status: 'proposed', regionCode: '410122', tenantId: out.org.id, answerDue: null });
    await t.http.post('/api/v1/exit-cases').set(county.auth).send({ operatorId: out.org.id, grounds: ['fraud'], reason: '再提一次' }).expect(409);
    const self = await t.http.post(`/api/v1/exit-cases/${exitCase.id}/decision`).set(county.auth).set(zh).send({ decision: 'approved' }).expect(403);
    expect(self.body.title).toBe('退出须由另一人批准：提议人不能批准自己的提议');
    const same = await t.http.post(`/api/v1/exit-cases/${exitCase.id}/decision`).set(county2.auth).set(zh).send({ decision: 'approved' }).expect(403);
    expect(same.body.title).toBe('退出须由上一级（市级）人社部门批准');
    await t.http.post(`/api/v1/exit-cases/${exitCase.id}/decision`).set(outAdmin.auth).send({ decision: 'approved' }).expect(403);
    // Two identical approvals at once: one.
    const burst = await Promise.all([0, 1].map(() => t.http.post(`/api/v1/exit-cases/${exitCase.id}/decision`).set(city.auth).send({ decision: 'approved', note: '同意退出' })));
    expect(burst.map((r) => r.status).sort()).toEqual([200, 409]);
    const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM exit_events WHERE case_id = $1 AND step = 'approved'`, [exitCase.id]);
    expect(n).toBe(1);
    exitCase = (await t.http.get(`/api/v1/exit-cases/${exitCase.id}`).set(outAdmin.auth).expect(200)).body;
    expect(exitCase.status).toBe('approved');
    expect(exitCase.answerDue && exitCase.answerDue > TODAY).toBe(true);
    expect(exitCase.timeline.map((e) => e.step)).toEqual(['proposed', 'approved', 'notified']);
  });

  it('isolation: another county, another operator and its staff see nothing of the case; the desk cannot act on it', async () => {
    const other = await login(t, 'yiyang.reviewer');
    const op2 = await login(t, 'op2.admin');
    for (const s of [other, op2, op3Admin]) {
      await t.http.get(`/api/v1/exit-cases/${exitCase.id}`).set(s.auth).expect(404);
      const list = (await t.http.get('/api/v1/exit-cases?pageSize=100').set(s.auth).expect(200)).body as { items: { id: string }[] };
      expect(list.items.map((c) => c.id)).not.toContain(exitCase.id);
    }
    await t.http.post(`/api/v1/exit-cases/${exitCase.id}/decision`).set(other.auth).send({ decision: 'approved' }).expect(404);
    await t.http.post(`/api/v1/exit-cases/${exitCase.id}/start`).set(other.auth).expect(404);
    await t.http.get(`/api/v1/exit-cases/${exitCase.id}`).set(outDesk.auth).expect(403);
    // The case is the operator's and its authorities' (independent SQL: the county sees exactly its region's cases).
    const mine = (await t.http.get('/api/v1/exit-cases?pageSize=100').set(county.auth).expect(200)).body as { total: number };
    const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM exit_cases WHERE region_code LIKE '410122%'`);
    expect(mine.total).toBe(n);
    // Bad ids and bodies: 4xx, nothing written.
    await t.http.get('/api/v1/exit-cases/not-a-uuid').set(county.auth).expect(404);
    await t.http.post(`/api/v1/exit-cases/${exitCase.id}/answer`).set(outAdmin.auth).send({ text: 'x'.repeat(5000) }).expect(400);
    await t.http.post(`/api/v1/exit-cases/${exitCase.id}/decision`).set(city.auth).send({ decision: 'maybe' }).expect(400);
  });

  it('the operator is notified and answers within its window; the county starts the exit only then', async () => {
    const early = await t.http.post(`/api/v1/exit-cases/${exitCase.id}/start`).set(county.auth).set(zh).expect(409);
    expect(early.body.title).toBe('申辩期尚未结束（运营机构仍可在期限内申辩）');
    await t.http.post(`/api/v1/exit-cases/${exitCase.id}/answer`).set(outDesk.auth).send({ text: '我们不同意' }).expect(403);
    await t.http.post(`/api/v1/exit-cases/${exitCase.id}/answer`).set(outAdmin.auth).send({ text: '对评估结果有异议，但接受退出安排，将配合移交。' }).expect(200);
    await t.http.post(`/api/v1/exit-cases/${exitCase.id}/answer`).set(outAdmin.auth).send({ text: '再申辩一次' }).expect(409);
    const burst = await Promise.all([0, 1].map(() => t.http.post(`/api/v1/exit-cases/${exitCase.id}/start`).set(county.auth)));
    expect(burst.map((r) => r.status).sort()).toEqual([200, 409]);
    const [org] = await t.owner.query('SELECT status FROM organisations WHERE id = $1', [out.org.id]);
    expect(org.status).toBe('exiting');
  });

  it('an exiting operator takes no new business (check-in, post, loan refused with the message) and nothing is written; handover work goes on', async () => {
    const before = (await t.owner.query('SELECT count(*)::int AS n FROM check_ins WHERE market_id = $1', [out.market.id]))[0].n;
    const entries = (await t.owner.query('SELECT count(*)::int AS n FROM ledger_entries WHERE market_id = $1', [out.market.id]))[0].n;
    const r = await t.http.post(`/api/v1/markets/${out.market.id}/check-ins`).set(outDesk.auth).set(zh).send({ workerId: f.workers[1] }).expect(409);
    expect(r.body.title).toBe('该运营机构正在退出，不能办理新业务（签到、发布岗位、借用工具等）；移交工作照常进行');
    const en = await t.http.post(`/api/v1/markets/${out.market.id}/posts`).set(outDesk.auth).set('Accept-Language', 'en').send({
      employerId: f.employer, occupation: '装卸搬运工', title: '退出中发布', headcount: 1, wageFen: 20000, wageUnit: 'day', period: 'same_day', startAt: inHours(2), place: '物流园', requirements: '',
    }).expect(409);
    expect(en.body.title).toMatch(/exiting: no new business/);
    expect((await t.owner.query('SELECT count(*)::int AS n FROM check_ins WHERE market_id = $1', [out.market.id]))[0].n).toBe(before);
    expect((await t.owner.query('SELECT count(*)::int AS n FROM ledger_entries WHERE market_id = $1', [out.market.id]))[0].n).toBe(entries);
    // Handover work: the complaint is acknowledged, the day is closed.
    await t.http.post(`/api/v1/complaints/${f.complaint}/acknowledge`).set(outAdmin.auth).send({}).expect(200);
    await t.http.post(`/api/v1/markets/${out.market.id}/ledger/days/${TODAY}/close`).set(outAdmin.auth).send({ reason: '移交前日结' }).expect(201);
  });

  it('the county opens the handover under the successor’s contract: the checklist lists what passes', async () => {
    const url = `/api/v1/exit-cases/${exitCase.id}/handovers`;
    await t.http.post(url).set(county.auth).set(zh).send({ marketId: out.market.id, successorId: op3.org.id, contractId: exitCase.id }).expect(422);
    await t.http.post(url).set(county.auth).send({ marketId: out.market.id, successorId: out.org.id, contractId: f.contract }).expect(422);
    await t.http.post(url).set(county.auth).send({ marketId: op3.market.id, successorId: op3.org.id, contractId: f.contract }).expect(422);
    await t.http.post(url).set(outAdmin.auth).send({ marketId: out.market.id, successorId: op3.org.id, contractId: f.contract }).expect(403);
    // The successor runs the market under a contract that lists it (issue 15 §1): its contract does not yet, so the
    // handover is refused where the successor is chosen, in both languages, and nothing is written.
    const before = await tableCounts(t);
    const notListed = await t.http.post(url).set(county.auth).set(zh).send({ marketId: out.market.id, successorId: op3.org.id, contractId: f.contract }).expect(422);
    expect(notListed.body.errors).toEqual([{ field: 'contractId', message: expect.stringContaining('覆盖此市场的有效合同') }]);
    const notListedEn = await t.http.post(url).set(county.auth).set('Accept-Language', 'en').send({ marketId: out.market.id, successorId: op3.org.id, contractId: f.contract }).expect(422);
    expect(notListedEn.body.errors[0].message).toMatch(/live contract in this county that covers this market/);
    expect(await tableCounts(t)).toEqual(before);
    // The county amends the successor's contract to list the exiting operator's market (allowed: its operator is exiting).
    const amended = await t.http.post(`/api/v1/contracts/${f.contract}/amendments`).set(county.auth).send({
      number: 'ignored', title: '中牟县零工市场承接运营合同', termFrom: addDays(TODAY, -10), termTo: addDays(TODAY, 355),
      marketIds: [op3.market.id, out.market.id], amountFen: 1_000_000, schedule: [{ label: '全额', due: addDays(TODAY, 30), amountFen: 1_000_000, resultLinked: false }],
      unitRates: [], gradeFactors: { excellent: 100, good: 90, fair: 70, poor: 20 }, documentSm3: 'ab'.repeat(32), reason: '承接退出机构的市场',
    }).expect(201);
    await t.http.post(url).set(county.auth).send({ marketId: out.market.id, successorId: op3.org.id, contractId: f.contract }).expect(422);
    f.contract = amended.body.id;
    const burst = await Promise.all([0, 1].map(() => t.http.post(url).set(county.auth).send({ marketId: out.market.id, successorId: op3.org.id, contractId: f.contract })));
    expect(burst.map((r) => r.status).sort()).toEqual([201, 409]);
    handover = (burst.find((r) => r.status === 201) as { body: HandoverView }).body;
    const item = (k: string) => handover.checklist.find((i) => i.item === k) as HandoverView['checklist'][number];
    expect(new Set(item('workers').ids)).toEqual(new Set(f.workers));
    expect(item('open_posts').ids).toEqual([f.post]);
    expect(item('open_complaints').ids).toEqual([f.complaint]);
    expect(item('tool_deposits')).toMatchObject({ ids: [f.loan], detail: { depositsHeldFen: 5000, lent: 1 } });
    expect(item('assistance_roster').ids).toEqual([f.plan]);
    expect(handover.checklistDigest).toMatch(/^[0-9a-f]{64}$/);
    // The successor reads the handover it takes over, and finds it in its list; another operator does not.
    await t.http.get(`/api/v1/handovers/${handover.id}`).set(op3Admin.auth).expect(200);
    expect((await t.http.get('/api/v1/handovers').set(op3Admin.auth).expect(200)).body.items.map((h: HandoverView) => h.id)).toEqual([handover.id]);
    expect((await t.http.get('/api/v1/handovers?pageSize=100').set((await login(t, 'op2.admin')).auth).expect(200)).body.items.map((h: HandoverView) => h.id)).not.toContain(handover.id);
    await t.http.get(`/api/v1/handovers/${handover.id}`).set((await login(t, 'op2.admin')).auth).expect(404);
  });

  it('both sides sign (once each); the county completes once; the living rows, the market and its log pass to the successor', async () => {
    const hurl = `/api/v1/handovers/${handover.id}`;
    await t.http.post(`${hurl}/complete`).set(county.auth).expect(409);
    await t.http.post(`${hurl}/signatures`).set(op3Admin.auth).send({ side: 'outgoing' }).expect(403);
    await t.http.post(`${hurl}/signatures`).set(outDesk.auth).send({ side: 'outgoing' }).expect(403);
    await t.http.post(`${hurl}/signatures`).set(outAdmin.auth).send({ side: 'outgoing' }).expect(200);
    await t.http.post(`${hurl}/signatures`).set(outAdmin.auth).send({ side: 'outgoing' }).expect(409);
    await t.http.post(`${hurl}/signatures`).set(op3Admin.auth).send({ side: 'successor' }).expect(200);
    const burst = await Promise.all([0, 1].map(() => t.http.post(`${hurl}/complete`).set(county.auth)));
    expect(burst.map((r) => r.status).sort()).toEqual([200, 409]);
    handover = (burst.find((r) => r.status === 200) as { body: HandoverView }).body;
    expect(handover.status).toBe('completed');
    // The handover entry follows the last sealed entry and cites that seal.
    const [seal] = await t.owner.query(`SELECT business_day, part, last_seq, digest FROM ledger_seals WHERE market_id = $1 ORDER BY last_seq DESC LIMIT 1`, [out.market.id]);
    const [h] = await t.owner.query(`SELECT seq, tenant_id, payload FROM ledger_entries WHERE market_id = $1 AND kind = 'handover'`, [out.market.id]);
    expect(Number(h.seq)).toBe(Number(seal.last_seq) + 1);
    expect(h.tenant_id).toBe(op3.org.id);
    expect(h.payload.lastSeal).toEqual({ businessDay: seal.business_day, part: Number(seal.part), lastSeq: Number(seal.last_seq), digest: seal.digest });
    expect(handover.handoverSeq).toBe(Number(h.seq));
    // Living rows are the successor's; history stays the outgoing operator's.
    expect(await tenantOf('markets', out.market.id)).toBe(op3.org.id);
    for (const w of f.workers) expect(await tenantOf('workers', w)).toBe(op3.org.id);
    expect(await tenantOf('posts', f.post)).toBe(op3.org.id);
    expect(await tenantOf('posts', f.closedPost)).toBe(out.org.id);
    expect(await tenantOf('complaints', f.complaint)).toBe(op3.org.id);
    expect(await tenantOf('tool_loans', f.loan)).toBe(op3.org.id);
    expect(await tenantOf('assistance_plans', f.plan)).toBe(op3.org.id);
    const moves = await t.owner.query(`SELECT kind, tenant_id, amount_fen FROM tool_deposit_movements WHERE loan_id = $1 ORDER BY kind`, [f.loan]);
    expect(moves).toEqual([
      { kind: 'handed_over', tenant_id: out.org.id, amount_fen: 5000 },
      { kind: 'received', tenant_id: out.org.id, amount_fen: 5000 },
      { kind: 'taken_over', tenant_id: op3.org.id, amount_fen: 5000 },
    ]);
    expect((await t.owner.query('SELECT count(*)::int AS n FROM user_markets WHERE market_id = $1', [out.market.id]))[0].n).toBe(0);
  });

  it('the successor sees what was handed over and nothing else of the old tenant; its deposits reconcile; new business works again', async () => {
    await t.http.get(`/api/v1/workers/${f.workers[0]}`).set(op3Admin.auth).expect(200);
    await t.http.get(`/api/v1/posts/${f.post}`).set(op3Admin.auth).expect(200);
    const c = (await t.http.get(`/api/v1/complaints/${f.complaint}`).set(op3Admin.auth).expect(200)).body;
    expect(c.status).not.toBe('closed');
    await t.http.get(`/api/v1/assistance-plans/${f.plan}`).set(op3Admin.auth).expect(200);
    await t.http.get(`/api/v1/posts/${f.closedPost}`).set(op3Admin.auth).expect(404);
    await t.http.get(`/api/v1/exit-cases/${exitCase.id}`).set(op3Admin.auth).expect(404);
    // Its view of the market's work log starts at the handover.
    const list = (await t.http.get(`/api/v1/markets/${out.market.id}/ledger/entries?pageSize=100`).set(op3Admin.auth).expect(200)).body;
    expect(list.items.length).toBeGreaterThan(0);
    expect(Math.min(...list.items.map((e: { seq: number }) => e.seq))).toBe(handover.handoverSeq);
    const v = (await t.http.get(`/api/v1/markets/${out.market.id}/ledger/verify?from=${TODAY}&to=${TODAY}`).set(op3Admin.auth).expect(200)).body;
    expect(v).toMatchObject({ ok: true, problems: [] });
    const rec = (await t.http.post(`/api/v1/markets/${out.market.id}/tool-reconciliations`).set(op3Admin.auth).expect(200)).body;
    expect(rec).toMatchObject({ status: 'ok', outstandingFen: 5000, ledgerFen: 5000 });
    // The successor's staff check workers in at the market again.
    await t.http.post(`/api/v1/markets/${out.market.id}/check-ins`).set(op3Admin.auth).send({ workerId: f.workers[1] }).expect(200);
  });

  it('the chain verifies across the handover for the county, and offline from the bureau’s package; a missing cited seal is caught', async () => {
    const v = (await t.http.get(`/api/v1/markets/${out.market.id}/ledger/verify?from=${addDays(TODAY, -1)}&to=${TODAY}`).set(county.auth).expect(200)).body;
    expect(v).toMatchObject({ ok: true });
    await t.http.get(`/api/v1/handovers/${handover.id}/package`).set(op3Admin.auth).expect(403);
    const pkg = (await t.http.get(`/api/v1/handovers/${handover.id}/package`).set(county.auth).expect(200)).body as { manifest: Record<string, unknown>; files: Record<string, string> };
    const dir = mkdtempSync(join(tmpdir(), 'handover-'));
    for (const [name, text] of Object.entries(pkg.files)) writeFileSync(join(dir, name), text);
    expect(pkg.manifest).toMatchObject({ marketId: out.market.id, fromOperatorId: out.org.id, toOperatorId: op3.org.id, handoverSeq: handover.handoverSeq });
    const keyId = pkg.manifest['keyId'] as string;
    const files = { exports: [join(dir, 'ledger.jsonl')], receipts: [join(dir, 'receipts.jsonl')], publicKeys: { [keyId]: readFileSync(join(dir, 'public-key.pem'), 'utf8') } };
    const report = await verifyFiles(files);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    const lines = readFileSync(join(dir, 'ledger.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(lines.some((l) => l.type === 'entry' && l.kind === 'handover')).toBe(true);
    // Take the cited seal out of the export: the verifier names the handover.
    const cited = handover.lastSeal as NonNullable<HandoverView['lastSeal']>;
    const without = lines.filter((l) => !(l.type === 'seal' && l.businessDay === cited.businessDay && (l.part ?? 0) === cited.part));
    writeFileSync(join(dir, 'cut.jsonl'), without.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const cut = await verifyFiles({ ...files, exports: [join(dir, 'cut.jsonl')] });
    expect(cut.ok).toBe(false);
    expect(cut.problems.map((p) => p.code)).toContain('handover_seal');
  });

  it('the county archives once every market has passed: the old operator’s users read but cannot write', async () => {
    await t.http.post(`/api/v1/exit-cases/${exitCase.id}/archive`).set(city.auth).expect(403);
    const burst = await Promise.all([0, 1].map(() => t.http.post(`/api/v1/exit-cases/${exitCase.id}/archive`).set(county.auth)));
    expect(burst.map((r) => r.status).sort()).toEqual([200, 409]);
    const [org] = await t.owner.query('SELECT status FROM organisations WHERE id = $1', [out.org.id]);
    expect(org.status).toBe('exited');
    // Sessions ended; signed in again, the old admin reads its case and history, and writes nothing.
    await t.http.get('/api/v1/auth/me').set(outAdmin.auth).expect(401);
    const again = await out.signIn('operator_admin');
    const got = (await t.http.get(`/api/v1/exit-cases/${exitCase.id}`).set(again.auth).expect(200)).body as ExitCaseDetailView;
    expect(got.status).toBe('archived');
    expect(got.timeline.map((e) => e.step)).toEqual(expect.arrayContaining(['handover_opened', 'signed_outgoing', 'signed_successor', 'handover_completed', 'archived']));
    await t.http.get(`/api/v1/posts/${f.closedPost}`).set(again.auth).expect(200);
    const w = await t.http.post(`/api/v1/markets/${op3.market.id}/workers`).set(again.auth).set(zh).send({ name: '不能登记', mobile: String(++phone), consent: true });
    expect([403, 404]).toContain(w.status);
    const ro = await t.http.post('/api/v1/users').set(again.auth).set(zh).send({ username: `ro${Date.now()}`, displayName: 'x', password: 'Test-Passw0rd!', orgId: out.org.id, roles: ['front_desk'], marketIds: [] }).expect(403);
    expect(ro.body.title).toMatch(/只读|退出/);
    // Re-entry needs a new contract: a new exit case or handover to it is refused while it is archived.
    await t.http.post('/api/v1/exit-cases').set(county.auth).send({ operatorId: out.org.id, grounds: ['fraud'], reason: '再次退出' }).expect(409);
  });
});
