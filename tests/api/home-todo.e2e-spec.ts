import { FlagsService } from '@linggong/api-analytics';
import { LedgerTodos } from '@linggong/api-ledger';
import { defaultTemplate } from '@linggong/domain';
import type { Actor, TodoItem } from '@linggong/domain';
import { bootApp, demoId, freshTenant, login, type Session, type TestApp } from '../support/app';

/**
 * "What to do now" on each role's home (issue 17 §5): every context's open work that the caller can act
 * on, counted under the caller's access. Each count is checked against what the caller's own lists say,
 * or against independent SQL over the tables.
 */
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
let phone = 13600000000 + (Date.now() % 1_000_000) * 10;

describe('home: what to do now (issue 17 §5)', () => {
  let t: TestApp;
  let f: Awaited<ReturnType<typeof freshTenant>>;
  let desk: Session;
  let manager: Session;
  let handler: Session;
  const todo = async (s: Session) => (await t.http.get('/api/v1/overview/todo').set(s.auth).expect(200)).body as TodoItem[];
  const count = (items: TodoItem[], key: string) => items.filter((i) => i.key === key).reduce((n, i) => n + i.count, 0);

  beforeAll(async () => {
    t = await bootApp({ LOG_LEVEL: 'error' }, { logStream: { write: (l: string) => { if (process.env['TODO_DEBUG']) process.stderr.write(l); } } });
    f = await freshTenant(t, 'todo', ['market_manager', 'complaint_handler']);
    [desk, manager, handler] = await Promise.all([f.signIn('front_desk'), f.signIn('market_manager'), f.signIn('complaint_handler')]);
  });
  afterAll(() => t.close());

  it('the desk: nothing to do in an empty market, then the queue, the open post and the hire to settle', async () => {
    expect(await todo(desk)).toEqual([]);
    const w = (await t.http.post(`/api/v1/markets/${f.market.id}/workers`).set(desk.auth)
      .send({ name: '待办测试', mobile: String(++phone), consent: true, occupations: ['装卸搬运工'] }).expect(201)).body;
    await t.http.post(`/api/v1/markets/${f.market.id}/check-ins`).set(desk.auth).send({ workerId: w.id }).expect(200);
    const e = (await t.http.post(`/api/v1/markets/${f.market.id}/employers`).set(desk.auth)
      .send({ kind: 'individual', name: '待办测试雇主', contactName: '王', contactPhone: String(++phone) }).expect(201)).body;
    const post = (await t.http.post(`/api/v1/markets/${f.market.id}/posts`).set(desk.auth).send({
      employerId: e.id, occupation: '装卸搬运工', title: '卸货', headcount: 2, wageFen: 20000, wageUnit: 'day', period: 'same_day',
      startAt: new Date(Date.now() + 3_600_000).toISOString(), place: '物流园',
    }).expect(201)).body;
    // The post waits for the manager's review: the manager sees it, the desk (who cannot review) does not.
    expect(count(await todo(manager), 'posts_to_review')).toBe(1);
    expect(count(await todo(desk), 'posts_to_review')).toBe(0);
    await t.http.post(`/api/v1/employers/${e.id}/verification`).set(manager.auth).send({ decision: 'verified', evidence: '身份证原件已核验' }).expect(200);
    await t.http.post(`/api/v1/posts/${post.id}/review`).set(manager.auth).send({ decision: 'published' }).expect(200);
    let items = await todo(desk);
    expect([count(items, 'queue_waiting'), count(items, 'posts_open_today'), count(items, 'placements_to_settle')]).toEqual([1, 1, 0]);
    expect(items.find((i) => i.key === 'queue_waiting')).toMatchObject({ link: '/desk', tone: 'info' });
    const pl = (await t.http.post('/api/v1/placements').set(desk.auth).send({ postId: post.id, workerId: w.id }).expect(201)).body;
    await t.http.post(`/api/v1/placements/${pl.id}/confirm`).set(desk.auth).send({ party: 'both' }).expect(200);
    await t.http.post(`/api/v1/placements/${pl.id}/start`).set(desk.auth).send({}).expect(200);
    items = await todo(desk);
    // The worker is matched (off the waiting queue), the hire waits for its 日结; warnings come before today's ordinary work.
    expect([count(items, 'queue_waiting'), count(items, 'placements_to_settle')]).toEqual([0, 1]);
    expect(items[0].tone).toBe('warning');
    // Another operator's staff see none of it.
    expect(count(await todo(await login(t, 'op2.desk')), 'placements_to_settle')).toBe(
      Number((await t.owner.query(`SELECT count(*)::int AS n FROM placements p JOIN user_markets um ON um.market_id = p.market_id JOIN users u ON u.id = um.user_id
        WHERE u.username = 'op2.desk' AND p.status = 'started'`))[0].n));
  });

  it('the complaint handler: overdue and due soon, as the complaint list filters count them', async () => {
    const intake = async () => (await t.http.post('/api/v1/complaints').set(handler.auth)
      .send({ marketId: f.market.id, channel: 'hotline', category: 'dispute', content: `待办测试投诉${++phone}`, anonymous: true }).expect(201)).body.complaint;
    const late = await intake();
    await t.owner.query('UPDATE complaints SET resolve_due = $2 WHERE id = $1', [late.id, addDays(today(), -1)]);
    await intake();
    const items = await todo(handler);
    const list = async (due: string) => (await t.http.get('/api/v1/complaints').query({ due, status: 'open' }).set(handler.auth).expect(200)).body.total;
    expect(count(items, 'complaints_overdue')).toBe(await list('overdue'));
    expect(count(items, 'complaints_due_soon')).toBe(await list('soon'));
    expect(count(items, 'complaints_overdue')).toBe(1);
    expect(items[0]).toMatchObject({ key: 'complaints_overdue', tone: 'danger', link: '/complaints', query: { due: 'overdue' } });
  });

  it('the market manager: days with entries no seal covers, per market, as independent SQL counts them', async () => {
    const m = await login(t, 'op1.manager');
    const items = (await todo(m)).filter((i) => i.key === 'days_unsealed');
    // An entry is covered when some seal of its day spans its seq (a day's first seal or a supplementary part).
    const rows: { name: string; n: number }[] = await t.owner.query(
      `SELECT mk.name, count(DISTINCT e.business_day)::int AS n FROM ledger_entries e JOIN markets mk ON mk.id = e.market_id
       JOIN user_markets um ON um.market_id = e.market_id JOIN users u ON u.id = um.user_id AND u.username = 'op1.manager'
       WHERE e.business_day BETWEEN $1 AND $2
         AND NOT EXISTS (SELECT 1 FROM ledger_seals s WHERE s.market_id = e.market_id AND s.business_day = e.business_day AND e.seq BETWEEN s.first_seq AND s.last_seq)
       GROUP BY mk.name ORDER BY mk.name`, [addDays(today(), -30), addDays(today(), -1)]);
    expect(items.map((i) => [i.marketName, i.count]).sort()).toEqual(rows.map((r) => [r.name, r.n]).sort());
  });

  it('a day closed early with entries recorded after the close still needs a close (issue 17 §1): the manager\'s days to close and the county\'s red flag', async () => {
    const g = await freshTenant(t, 'todoearly', ['market_manager']);
    const [gDesk, gManager] = await Promise.all([g.signIn('front_desk'), g.signIn('market_manager')]);
    const register = () => t.http.post(`/api/v1/markets/${g.market.id}/workers`).set(gDesk.auth)
      .send({ name: '早结测试', mobile: String(++phone), consent: true, occupations: ['装卸搬运工'] }).expect(201);
    await register();
    const sealed = await t.http.post(`/api/v1/markets/${g.market.id}/ledger/days/${today()}/close`).set(gManager.auth).send({ reason: '测试：提前日结' }).expect(201);
    expect(sealed.body.length).toBeGreaterThan(0);
    // Recorded after the close: on the same day, waiting for its supplementary seal.
    await register();
    const manager: Actor = { userId: g.users.market_manager!.id, username: g.users.market_manager!.username, orgId: g.org.id, orgKind: 'operator', tenantId: g.org.id, marketIds: [g.market.id], roles: ['market_manager'] };
    const county: Actor = { userId: demoId('user:county.reviewer'), username: 'county.reviewer', orgId: demoId('zhongmu'), orgKind: 'county', regionPrefix: '410122', marketIds: [], roles: ['county_reviewer'] };
    // Tomorrow, today is a past day with entries no seal covers: one day to close.
    const tomorrow = new Date(Date.now() + 86_400_000);
    const items = (await t.app.get(LedgerTodos).todos(manager, tomorrow)).filter((i) => i.key === 'days_unsealed');
    expect(items).toEqual([expect.objectContaining({ key: 'days_unsealed', count: 1, link: `/markets/${g.market.id}/ledger`, query: { day: today() }, marketName: g.market.name })]);
    // Two days on, past the deadline job's close: the county's seal_missing flag, hence the market on its attention list.
    const later = new Date(Date.now() + 3 * 86_400_000);
    const flags = await t.app.get(FlagsService).flags(county, { from: addDays(today(), -30), to: today(), marketId: g.market.id }, later);
    expect(flags.flags.filter((x) => x.code === 'seal_missing')).toEqual([expect.objectContaining({ value: 1, days: [today()], evidence: { type: 'day', marketId: g.market.id, day: today() } })]);
    // The supplementary seal covers them: nothing left to close, no flag.
    await t.http.post(`/api/v1/markets/${g.market.id}/ledger/days/${today()}/close`).set(gManager.auth).send({ reason: '测试：补充日结' }).expect(201);
    expect((await t.app.get(LedgerTodos).todos(manager, tomorrow)).filter((i) => i.key === 'days_unsealed')).toEqual([]);
    expect((await t.app.get(FlagsService).flags(county, { from: addDays(today(), -30), to: today(), marketId: g.market.id }, later)).flags.filter((x) => x.code === 'seal_missing')).toEqual([]);
  });

  it('the county: the markets of its region with a red flag in the last 30 days, as the review page lists them; authorities get no desk work', async () => {
    const county = await login(t, 'county.reviewer');
    const items = await todo(county);
    // An authority oversees: flags and rectifications to verify, never the desk's, the days' or the complaints' work.
    expect(items.every((i) => ['markets_flagged', 'rectifications_to_verify', 'assessments_to_review', 'assessments_review_overdue', 'assessment_appeals_to_decide',
      'exits_to_start', 'exit_markets_to_hand_over', 'handovers_to_complete', 'exits_to_archive'].includes(i.key))).toBe(true);
    const flags = (await t.http.get('/api/v1/analytics/flags').query({ from: addDays(today(), -30), to: today() }).set(county.auth).expect(200)).body;
    expect(count(items, 'markets_flagged')).toBe(new Set(flags.flags.map((x: { marketId: string }) => x.marketId)).size);
  });

  it('assessment deadlines (issue 15): the operator\'s self-assessments due, the county\'s reviews (overdue apart), the city\'s audits — each equal to independent SQL', async () => {
    const sql = async (where: string, params: unknown[]) => (await t.owner.query(
      `SELECT count(*)::int AS n FROM assessments a JOIN assessment_cycles c ON c.id = a.cycle_id WHERE ${where}`, params))[0].n as number;
    const today = `(now() AT TIME ZONE 'Asia/Shanghai')::date`;
    const op = await login(t, 'op1.admin');
    expect(count(await todo(op), 'assessments_self_due')).toBe(await sql(`a.tenant_id = $1 AND a.state = 'self' AND c.self_deadline >= ${today}`, [demoId('op1')]));
    const county = await login(t, 'county.reviewer');
    const items = await todo(county);
    const reviewable = `a.region_code LIKE '410122%' AND (a.state = 'review' OR (a.state = 'self' AND c.self_deadline < ${today}))`;
    expect(count(items, 'assessments_to_review')).toBe(await sql(`${reviewable} AND c.review_deadline >= ${today}`, []));
    expect(count(items, 'assessments_review_overdue')).toBe(await sql(`${reviewable} AND c.review_deadline < ${today}`, []));
    const city = await login(t, 'city.analyst');
    expect(count(await todo(city), 'assessments_to_audit')).toBe(await sql(`a.region_code LIKE '4101%' AND a.sampled AND a.state = 'reviewed' AND a.audited_at IS NULL`, []));
    // A cycle of its own with a review to do: the county's count moves by one.
    const before = count(items, 'assessments_to_review');
    const tpl = (await t.http.post('/api/v1/assessment-templates').set((await login(t, 'province.auditor')).auth).send({ name: `待办测试指标${Date.now()}`, body: {
      localBudget: 0, bands: defaultTemplate().bands, indicators: [{ code: 'a', zh: '制度建设', weight: 100, evidence: { requirement: '制度文件' } }] } }).expect(201)).body;
    const d = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const contract = (await t.http.post('/api/v1/contracts').set(county.auth).send({
      operatorId: f.org.id, number: `TODO-${Date.now()}`, title: '待办测试合同', termFrom: addDays(d, -30), termTo: addDays(d, 300), marketIds: [f.market.id], amountFen: 100,
      documentSm3: 'b'.repeat(64), schedule: [{ label: '考核结算', due: d, amountFen: 100, resultLinked: true }], unitRates: [], gradeFactors: { excellent: 100, good: 90, fair: 70, poor: 0 },
    }).expect(201)).body;
    const cy = (await t.http.post('/api/v1/assessment-cycles').set(county.auth).send({
      name: `待办测试考核${Date.now()}`, kind: 'special', templateId: tpl.id, periodFrom: addDays(d, -3), periodTo: addDays(d, -2), cutoff: addDays(d, -1),
      selfDeadline: addDays(d, -1), reviewDeadline: addDays(d, 2), samplePct: 0, contractIds: [contract.id],
    }).expect(201)).body;
    await t.http.post(`/api/v1/assessment-cycles/${cy.id}/freeze`).set(county.auth).expect(200);
    expect(count(await todo(county), 'assessments_to_review')).toBe(before + 1);
  });
  it('an exit case on the homes of whoever must act (issue 16 §4): the city decides, the operator answers, the county starts and opens the handover, both sides sign, the county completes and archives — each linking to the case', async () => {
    const county = await login(t, 'county.reviewer');
    const city = await login(t, 'city.analyst');
    const out = await freshTenant(t, 'todoexit');
    const succ = await freshTenant(t, 'todosucc');
    const [outAdmin, succAdmin] = await Promise.all([out.signIn('operator_admin'), succ.signIn('operator_admin')]);
    const mine = async (s: Session, key: string) => (await todo(s)).filter((i) => i.key === key);
    const sql = async (where: string) => Number((await t.owner.query(`SELECT count(*)::int AS n FROM exit_cases c WHERE ${where}`))[0].n);
    const d = today();
    const c = (await t.http.post('/api/v1/exit-cases').set(county.auth).send({ operatorId: out.org.id, grounds: ['fraud'], reason: '虚报就业人数（待办测试）', answerDays: 3 }).expect(201)).body;
    const link = { link: '/exits', query: { case: c.id } };
    // The link opens the list on that one case.
    expect((await t.http.get('/api/v1/exit-cases').query({ case: c.id }).set(county.auth).expect(200)).body).toMatchObject({ total: 1, items: [{ id: c.id }] });
    await t.http.get('/api/v1/exit-cases').query({ case: 'not-a-uuid' }).set(county.auth).expect(400);
    // Proposed: the city decides it; the count equals the proposals of its region.
    const toDecide = await mine(city, 'exits_to_decide');
    expect(toDecide).toContainEqual({ key: 'exits_to_decide', count: 1, ...link, tone: 'warning', operatorName: out.org.name });
    expect(toDecide.reduce((n, i) => n + i.count, 0)).toBe(await sql(`c.status = 'proposed' AND c.region_code LIKE '4101%'`));
    expect(await mine(outAdmin, 'exit_answer_due')).toEqual([]);
    // Approved: the operator has its working days to answer; the county cannot start yet.
    await t.http.post(`/api/v1/exit-cases/${c.id}/decision`).set(city.auth).send({ decision: 'approved' }).expect(200);
    expect((await mine(city, 'exits_to_decide')).some((i) => i.query?.['case'] === c.id)).toBe(false);
    expect(await mine(outAdmin, 'exit_answer_due')).toEqual([{ key: 'exit_answer_due', count: 1, ...link, tone: 'warning' }]);
    expect((await mine(county, 'exits_to_start')).some((i) => i.query?.['case'] === c.id)).toBe(false);
    // Answered: the county starts the exit.
    await t.http.post(`/api/v1/exit-cases/${c.id}/answer`).set(outAdmin.auth).send({ text: '接受退出安排，将配合移交。' }).expect(200);
    expect(await mine(outAdmin, 'exit_answer_due')).toEqual([]);
    const toStart = await mine(county, 'exits_to_start');
    expect(toStart).toContainEqual({ key: 'exits_to_start', count: 1, ...link, tone: 'warning', operatorName: out.org.name });
    expect(toStart.reduce((n, i) => n + i.count, 0)).toBe(await sql(`c.status = 'approved' AND c.region_code LIKE '410122%' AND (c.answer IS NOT NULL OR c.answer_due < (now() AT TIME ZONE 'Asia/Shanghai')::date)`));
    // Something in the market's work log, sealed before it passes (a handover needs the chain sealed to its head).
    await t.http.post(`/api/v1/markets/${out.market.id}/workers`).set(await out.signIn('front_desk').then((x) => x.auth))
      .send({ name: '移交待办', mobile: String(++phone), consent: true, occupations: ['装卸搬运工'] }).expect(201);
    await t.http.post(`/api/v1/markets/${out.market.id}/ledger/days/${today()}/close`).set(outAdmin.auth).send({ reason: '测试：移交前日结' }).expect(201);
    await t.http.post(`/api/v1/exit-cases/${c.id}/start`).set(county.auth).expect(200);
    expect((await mine(county, 'exits_to_start')).some((i) => i.query?.['case'] === c.id)).toBe(false);
    // Exiting: the county opens a handover for the market the operator still holds.
    expect(await mine(county, 'exit_markets_to_hand_over')).toContainEqual({ key: 'exit_markets_to_hand_over', count: 1, ...link, tone: 'warning', operatorName: out.org.name });
    // The successor's contract lists the market it takes over (issue 15 §1: a contract may list an exiting operator's market).
    const contract = (await t.http.post('/api/v1/contracts').set(county.auth).send({
      operatorId: succ.org.id, number: `TODO-EXIT-${Date.now()}`, title: '待办测试承接合同', termFrom: addDays(d, -10), termTo: addDays(d, 355),
      marketIds: [succ.market.id, out.market.id], amountFen: 100, schedule: [{ label: '全额', due: addDays(d, 30), amountFen: 100, resultLinked: false }],
      unitRates: [], gradeFactors: { excellent: 100, good: 90, fair: 70, poor: 20 }, documentSm3: 'cd'.repeat(32),
    }).expect(201)).body;
    // A handover opened: each side signs; the successor (who cannot read the case) is sent to its handovers.
    const h = (await t.http.post(`/api/v1/exit-cases/${c.id}/handovers`).set(county.auth).send({ marketId: out.market.id, successorId: succ.org.id, contractId: contract.id }).expect(201)).body;
    expect((await mine(county, 'exit_markets_to_hand_over')).some((i) => i.query?.['case'] === c.id)).toBe(false);
    expect(await mine(outAdmin, 'handovers_to_sign')).toEqual([{ key: 'handovers_to_sign', count: 1, ...link, tone: 'warning' }]);
    expect(await mine(succAdmin, 'handovers_to_sign')).toEqual([expect.objectContaining({ key: 'handovers_to_sign', count: 1, link: '/exits', tone: 'warning' })]);
    expect((await mine(county, 'handovers_to_complete')).some((i) => i.query?.['case'] === c.id)).toBe(false);
    await t.http.post(`/api/v1/handovers/${h.id}/signatures`).set(outAdmin.auth).send({ side: 'outgoing' }).expect(200);
    expect(await mine(outAdmin, 'handovers_to_sign')).toEqual([]);
    await t.http.post(`/api/v1/handovers/${h.id}/signatures`).set(succAdmin.auth).send({ side: 'successor' }).expect(200);
    expect(await mine(succAdmin, 'handovers_to_sign')).toEqual([]);
    // Both signed: the county completes it.
    expect(await mine(county, 'handovers_to_complete')).toContainEqual({ key: 'handovers_to_complete', count: 1, ...link, tone: 'warning', operatorName: out.org.name });
    expect((await mine(county, 'exits_to_archive')).some((i) => i.query?.['case'] === c.id)).toBe(false);
    // Completed, nothing left: the county archives the case; then nothing of it is left on anyone's home.
    await t.http.post(`/api/v1/handovers/${h.id}/complete`).set(county.auth).expect(200);
    expect((await mine(county, 'handovers_to_complete')).some((i) => i.query?.['case'] === c.id)).toBe(false);
    expect(await mine(county, 'exits_to_archive')).toContainEqual({ key: 'exits_to_archive', count: 1, ...link, tone: 'warning', operatorName: out.org.name });
    await t.http.post(`/api/v1/exit-cases/${c.id}/archive`).set(county.auth).expect(200);
    expect((await todo(county)).some((i) => i.query?.['case'] === c.id)).toBe(false);
    // Nobody else's home shows the case.
    for (const s of [await login(t, 'op2.admin'), await f.signIn('operator_admin')]) {
      expect((await todo(s)).some((i) => i.query?.['case'] === c.id)).toBe(false);
    }
  });
});
