import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RESOLVE_DAYS, KPIS, complaintDeadlines } from '@linggong/domain';
import { loadConfig } from '@linggong/api-core';
import { ComplaintDeadlinesService, COMPLAINT_TIMERS_QUEUE } from '@linggong/api-complaints';
import type { ComplaintBoardRow } from '@linggong/domain';
import { WorkerModule } from '../../apps/worker/src/app/worker.module';
import { bootApp, demoId, freshTenant, login, tableCounts, type Session, type TestApp } from '../support/app';

/**
 * Complaints and reports (issue 6; R-C2 首问负责、限时办结、一次性告知, R-D1, R-D2). Deadlines are
 * counted with the `chinese-days` package, version 1.5.7 (package-lock.json), which carries the
 * State Council's holiday notices; the real-date cases (2025 National Day, 2025 Spring Festival, a
 * Saturday filing) are in libs/domain/src/lib/complaints.spec.ts, and here the stored due dates are
 * checked against the same function for today's receipt.
 */
/** The suite's own market, in 中牟 (410122): `freshTenant`, set in beforeAll. */
let ZHONGMU = '';
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
let phone = 0;
const nextPhone = () => `135${String(Date.now() % 100000).padStart(5, '0')}${String(++phone).padStart(3, '0')}`;

describe('complaints (issue 6)', () => {
  let t: TestApp;
  let handler: Session;
  let manager: Session;
  let admin: Session;
  let desk: Session;
  let county: Session;
  let op2: Session;
  let employerId: string;
  let f: Awaited<ReturnType<typeof freshTenant>>;

  const intake = (s: Session, body: Record<string, unknown> = {}) =>
    t.http.post('/api/v1/complaints').set(s.auth).send({ marketId: ZHONGMU, channel: 'hotline', category: 'dispute', content: '现场与雇主发生工钱纠纷，需要协调', anonymous: true, ...body });

  beforeAll(async () => {
    t = await bootApp({ REDIS_PREFIX: `cmp${Date.now().toString(36)}` });
    f = await freshTenant(t, 'cmp', ['complaint_handler', 'market_manager']);
    ZHONGMU = f.market.id;
    [handler, manager, admin, desk, county, op2] = await Promise.all([
      f.signIn('complaint_handler'), f.signIn('market_manager'), f.signIn('operator_admin'), f.signIn('front_desk'), login(t, 'county.reviewer'), login(t, 'op2.admin'),
    ]);
    const e = await t.http.post(`/api/v1/markets/${ZHONGMU}/employers`).set(admin.auth)
      .send({ kind: 'individual', name: '投诉测试个体户', contactName: '刘老板', contactPhone: nextPhone() }).expect(201);
    employerId = e.body.id;
  });
  afterAll(() => t.close());

  it('a hotline complaint is owned by whoever took it, with deadlines in working days stored in PostgreSQL', async () => {
    const res = await intake(handler, { category: 'wage_arrears', anonymous: false, name: '王建国', mobile: nextPhone(), employerId }).expect(201);
    const c = res.body.complaint;
    const due = complaintDeadlines(today(), DEFAULT_RESOLVE_DAYS.wage_arrears);
    expect(c).toMatchObject({ status: 'received', ownerUserId: handler.user.id, ackDue: due.ack.day, resolveDue: due.resolve.day, channel: 'hotline', complainantName: '王**' });
    expect(c.mobile).toMatch(/^1\d{2}\*{4}\d{4}$/);
    expect(res.body.trackingCode).toMatch(/^[A-Z2-9]{10}$/);
    const [row] = await t.owner.query(`SELECT to_char(ack_due, 'YYYY-MM-DD') AS ack, to_char(resolve_due, 'YYYY-MM-DD') AS due, name_enc, mobile_enc FROM complaints WHERE id = $1`, [c.id]);
    expect([row.ack, row.due]).toEqual([due.ack.day, due.resolve.day]);
    // The complainant's name and number are encrypted at rest.
    expect(row.name_enc).not.toContain('王建国');
    // The receipt is a work-log entry of the market, without the complainant's words or name.
    const [entry] = await t.owner.query(`SELECT payload FROM ledger_entries WHERE kind = 'complaint_step' AND subject_id = $1`, [c.id]);
    expect(entry.payload).toMatchObject({ complaintId: c.id, step: 'received', category: 'wage_arrears' });
    expect(JSON.stringify(entry.payload)).not.toMatch(/王建国|工钱/);
  });

  it('a handler sees the complainant\'s number in full only through an audited reveal; others cannot', async () => {
    const mobile = nextPhone();
    const c = (await intake(desk, { anonymous: false, name: '慕容秋菊', mobile }).expect(201)).body.complaint;
    expect(c.mobile).not.toBe(mobile);
    const r = (await t.http.post(`/api/v1/complaints/${c.id}/reveal`).set(handler.auth).send({ field: 'mobile' }).expect(200)).body;
    expect(r).toEqual({ field: 'mobile', value: mobile });
    expect((await t.http.post(`/api/v1/complaints/${c.id}/reveal`).set(admin.auth).send({ field: 'name' }).expect(200)).body.value).toBe('慕容秋菊');
    const [ev] = await t.owner.query(`SELECT actor_username, summary FROM audit_events WHERE action = 'complaint.reveal' AND subject_id = $1 ORDER BY occurred_at LIMIT 1`, [c.id]);
    expect(ev).toEqual({ actor_username: f.users.complaint_handler?.username, summary: { field: 'mobile' } });
    await t.http.post(`/api/v1/complaints/${c.id}/reveal`).set(desk.auth).send({ field: 'mobile' }).expect(403);
    await t.http.post(`/api/v1/complaints/${c.id}/reveal`).set(county.auth).send({ field: 'mobile' }).expect(403);
    await t.http.post(`/api/v1/complaints/${c.id}/reveal`).set(op2.auth).send({ field: 'mobile' }).expect(404);
  });

  it('a 12345 transfer keeps its work-order number; one without it is refused and nothing is stored', async () => {
    const before = await tableCounts(t);
    const bad = await intake(desk, { channel: 'gov_12345' }).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'govReference', message: '12345 转办的投诉须填写工单编号' }]);
    expect(await tableCounts(t)).toEqual(before);
    const ok = await intake(desk, { channel: 'gov_12345', govReference: 'ZZ12345-20261201-0007' }).expect(201);
    expect(ok.body.complaint).toMatchObject({ channel: 'gov_12345', govReference: 'ZZ12345-20261201-0007', ownerUserId: desk.user.id });
  });

  it('handles a complaint end to end: notice once, records, transfer, extension, labour-inspection referral, closure, callback, reopen', async () => {
    const c = (await intake(handler, { category: 'wage_arrears', employerId }).expect(201)).body.complaint;
    const url = `/api/v1/complaints/${c.id}`;
    await t.http.post(`${url}/acknowledge`).set(handler.auth).send({}).expect(200);
    // One-time notification (一次性告知): the first notice lists everything; a second asking for more is refused unless confirmed.
    await t.http.post(`${url}/notices`).set(handler.auth).send({ items: ['身份证复印件', '工资欠条或聊天记录'] }).expect(201);
    await t.http.post(`${url}/notices`).set(handler.auth).send({ items: ['工资欠条或聊天记录'], note: '再次提醒' }).expect(201);
    const warn = await t.http.post(`${url}/notices`).set(handler.auth).send({ items: ['劳动合同'] }).expect(409);
    expect(warn.body).toMatchObject({ title: expect.stringContaining('一次性告知'), newItems: ['劳动合同'] });
    const second = await t.http.post(`${url}/notices`).set(handler.auth).send({ items: ['劳动合同'], confirmNewItems: true }).expect(201);
    expect(second.body.notices.map((n: { newItems: string[] }) => n.newItems)).toEqual([[], [], ['劳动合同']]);
    await t.http.post(`${url}/records`).set(handler.auth).send({ kind: 'call', content: '致电雇主刘老板，承认拖欠两天工钱' }).expect(201);
    await t.http.post(`${url}/records`).set(handler.auth).send({ kind: 'visit', content: 'x'.repeat(1) }).expect(400);
    // First-contact responsibility: a transfer moves ownership only when the named colleague accepts.
    await t.http.post(`${url}/transfers`).set(desk.auth).send({ toUserId: manager.user.id, reason: '需要市场负责人协调' }).expect(403);
    await t.http.post(`${url}/transfers`).set(handler.auth).send({ toUserId: desk.user.id, reason: '转窗口' }).expect(422);
    await t.http.post(`${url}/transfers`).set(handler.auth).send({ toUserId: manager.user.id, reason: '需要市场负责人协调' }).expect(201);
    expect((await t.http.get(url).set(handler.auth).expect(200)).body).toMatchObject({ ownerUserId: handler.user.id, pendingTransferTo: manager.user.id });
    await t.http.post(`${url}/transfers/accept`).set(handler.auth).send({}).expect(403);
    const taken = await t.http.post(`${url}/transfers/accept`).set(manager.auth).send({}).expect(200);
    expect(taken.body).toMatchObject({ ownerUserId: manager.user.id, pendingTransferTo: null });
    // Extensions only with a reason and an approver other than who asked.
    await t.http.post(`${url}/extensions`).set(manager.auth).send({ workingDays: 3, reason: '雇主外出，需等待返回后调解' }).expect(201);
    await t.http.post(`${url}/extensions/decision`).set(manager.auth).send({ approve: true }).expect(409);
    await t.http.post(`${url}/extensions/decision`).set(handler.auth).send({ approve: true }).expect(403);
    const extended = (await t.http.post(`${url}/extensions/decision`).set(admin.auth).send({ approve: true }).expect(200)).body;
    expect(extended.resolveDue).toBe(complaintDeadlines(today(), DEFAULT_RESOLVE_DAYS.wage_arrears + 3).resolve.day);
    // Wage arrears referred to labour inspection: the employer is flagged in the registry (R-B8).
    const flagsBefore = Number((await t.owner.query('SELECT open_flags FROM employers WHERE id = $1', [employerId]))[0].open_flags);
    await t.http.post(`${url}/escalations`).set(manager.auth).send({ target: 'labour_inspection', reason: '拒不支付' }).expect(400);
    const referred = (await t.http.post(`${url}/escalations`).set(manager.auth).send({ target: 'labour_inspection', reason: '调解不成，拒不支付', amountOwedFen: 36000, workersAffected: 2 }).expect(201)).body;
    expect(Number((await t.owner.query('SELECT open_flags FROM employers WHERE id = $1', [employerId]))[0].open_flags)).toBe(flagsBefore + 1);
    const flags = (await t.http.get(`/api/v1/employers/${employerId}/flags`).set(admin.auth).expect(200)).body;
    expect(flags[0]).toMatchObject({ kind: 'wage_arrears_referral', amountOwedFen: 36000, workersAffected: 2 });
    const esc = referred.escalations[0];
    // The county cannot answer for labour inspection; the handler records its answer and reference.
    await t.http.post(`${url}/escalations/${esc.id}/county-reply`).set(county.auth).send({ step: 'accepted', note: '收到' }).expect(403);
    const replied = (await t.http.post(`${url}/escalations/${esc.id}/reply`).set(manager.auth).send({ step: 'accepted', note: '劳动监察大队已立案', reference: '中劳监〔2026〕118号' }).expect(200)).body;
    expect(replied.escalations[0]).toMatchObject({ status: 'accepted', reference: '中劳监〔2026〕118号' });
    // Closure, callback with satisfaction, and the right to reopen.
    await t.http.post(`${url}/callback`).set(manager.auth).send({ satisfaction: 'satisfied' }).expect(409);
    const closed = (await t.http.post(`${url}/close`).set(manager.auth).send({ result: 'referred', summary: '已移送劳动监察，雇主承诺三日内支付' }).expect(200)).body;
    expect(closed).toMatchObject({ status: 'closed', dueState: 'closed_on_time' });
    await t.http.post(`${url}/records`).set(manager.auth).send({ kind: 'call', content: '办结后补记' }).expect(409);
    // The callback checks the handling: not by the one who closed it, not in the same minute (issue 17 §7).
    const byCloser = await t.http.post(`${url}/callback`).set(manager.auth).send({ satisfaction: 'satisfied' }).expect(409);
    expect(byCloser.body.title).toBe('回访须由办结人以外的工作人员进行');
    const tooSoon = await t.http.post(`${url}/callback`).set(handler.auth).send({ satisfaction: 'satisfied' }).expect(409);
    expect(tooSoon.body.title).toMatch(/^办结后请稍候再回访/);
    expect((await t.owner.query('SELECT callback_at FROM complaints WHERE id = $1', [closed.id]))[0].callback_at).toBeNull();
    await t.owner.query(`UPDATE complaints SET closed_at = closed_at - interval '2 minutes' WHERE id = $1`, [closed.id]);
    await t.http.post(`${url}/callback`).set(handler.auth).send({ satisfaction: 'basically', note: '钱已到账一半' }).expect(200);
    await t.http.post(`${url}/callback`).set(handler.auth).send({ satisfaction: 'satisfied' }).expect(409);
    const reopened = (await t.http.post(`${url}/reopen`).set(handler.auth).send({ reason: '剩余工钱仍未支付' }).expect(200)).body;
    expect(reopened).toMatchObject({ status: 'in_progress', reopenCount: 1, satisfaction: null });
    // Every step is a record, in order, and a chained work-log entry of the market.
    const kinds = reopened.records.map((r: { kind: string }) => r.kind);
    expect(kinds).toEqual(['received', 'acknowledged', 'notice', 'notice', 'notice', 'call', 'transfer_requested', 'transfer_accepted', 'extension_requested',
      'extension_decided', 'escalated', 'escalation_reply', 'closed', 'callback', 'reopened']);
    const steps = await t.owner.query(`SELECT payload->>'step' AS step FROM ledger_entries WHERE kind = 'complaint_step' AND subject_id = $1 ORDER BY seq`, [c.id]);
    expect(steps.map((s: { step: string }) => s.step)).toEqual(kinds);
    const v = await t.http.get(`/api/v1/markets/${ZHONGMU}/ledger/verify`).query({ from: addDays(today(), -1), to: today() }).set(admin.auth).expect(200);
    expect(v.body.ok).toBe(true);
    // The complaint after a reopening after closure cannot be reopened once the period is over.
    await t.owner.query(`UPDATE complaints SET status = 'closed', closed_at = now() - interval '16 days' WHERE id = $1`, [c.id]);
    const late = await t.http.post(`${url}/reopen`).set(handler.auth).send({ reason: '还想再投诉' }).expect(409);
    expect(late.body.title).toMatch(/15 日/);
  });

  it('refuses other tenants (404/422), read-only authorities (403) and desk staff handling (403), writing nothing', async () => {
    const c = (await intake(handler).expect(201)).body.complaint;
    const before = await tableCounts(t);
    await t.http.post(`/api/v1/complaints/${c.id}/records`).set(op2.auth).send({ kind: 'call', content: '越权记录' }).expect(404);
    await t.http.get(`/api/v1/complaints/${c.id}`).set(op2.auth).expect(404);
    await t.http.post(`/api/v1/complaints/${c.id}/records`).set(county.auth).send({ kind: 'call', content: '越权记录' }).expect(403);
    await t.http.post(`/api/v1/complaints/${c.id}/close`).set(desk.auth).send({ result: 'mediated', summary: '窗口越权办结' }).expect(403);
    const foreign = await t.http.post('/api/v1/complaints').set(op2.auth).send({ marketId: ZHONGMU, channel: 'hotline', category: 'other', content: '在别人的市场登记投诉', anonymous: true }).expect(422);
    expect(foreign.body.errors).toEqual([{ field: 'marketId', message: '找不到该记录，或您无权查看' }]);
    await t.http.post('/api/v1/complaints').set(county.auth).send({ marketId: ZHONGMU, channel: 'hotline', category: 'other', content: '县局代登记', anonymous: true }).expect(403);
    expect(await tableCounts(t)).toEqual(before);
    // The county reads it and answers what is escalated to it.
    expect((await t.http.get(`/api/v1/complaints/${c.id}`).set(county.auth).expect(200)).body.id).toBe(c.id);
    const esc = (await t.http.post(`/api/v1/complaints/${c.id}/escalations`).set(handler.auth).send({ target: 'county_bureau', reason: '涉及多家用工单位，请县局协调' }).expect(201)).body.escalations[0];
    await t.http.post(`/api/v1/complaints/${c.id}/escalations/${esc.id}/county-reply`).set(handler.auth).send({ step: 'accepted', note: '自己接收' }).expect(403);
    const acc = (await t.http.post(`/api/v1/complaints/${c.id}/escalations/${esc.id}/county-reply`).set(county.auth).send({ step: 'accepted', note: '县劳动保障监察大队牵头协调' }).expect(200)).body;
    expect(acc.escalations[0]).toMatchObject({ status: 'accepted', acceptNote: '县劳动保障监察大队牵头协调' });
    const done = (await t.http.post(`/api/v1/complaints/${c.id}/escalations/${esc.id}/county-reply`).set(county.auth).send({ step: 'concluded', note: '已协调支付' }).expect(200)).body;
    expect(done.escalations[0]).toMatchObject({ status: 'concluded', outcome: '已协调支付' });
    // Timelines name people, not logins (issue 17 §7).
    expect(done.records.at(-1)).toMatchObject({ kind: 'escalation_reply', authorName: '中牟县审核员 陈静' });
  });

  it('keeps the record straight: no extension once late, no double referral, an employer linked at referral, the desk works what it took', async () => {
    // The desk that took a complaint owns it and may work it; not someone else's.
    const own = (await intake(desk).expect(201)).body.complaint;
    await t.http.post(`/api/v1/complaints/${own.id}/acknowledge`).set(desk.auth).send({}).expect(200);
    const other = (await intake(handler).expect(201)).body.complaint;
    await t.http.post(`/api/v1/complaints/${other.id}/acknowledge`).set(desk.auth).send({}).expect(403);
    // Once the limit has passed, no extension can be asked for.
    await t.owner.query(`UPDATE complaints SET resolve_due = $2 WHERE id = $1`, [other.id, addDays(today(), -1)]);
    const late = await t.http.post(`/api/v1/complaints/${other.id}/extensions`).set(handler.auth).send({ workingDays: 3, reason: '补申请延期' }).expect(409);
    expect(late.body.title).toMatch(/已超过办结期限/);
    // The county cannot approve an operator's extension.
    const c = (await intake(handler).expect(201)).body.complaint;
    await t.http.post(`/api/v1/complaints/${c.id}/extensions`).set(handler.auth).send({ workingDays: 2, reason: '等待雇主返回' }).expect(201);
    await t.http.post(`/api/v1/complaints/${c.id}/extensions/decision`).set(county.auth).send({ approve: true }).expect(403);
    // Closing leaves nothing pending.
    await t.http.post(`/api/v1/complaints/${c.id}/transfers`).set(handler.auth).send({ toUserId: manager.user.id, reason: '请负责人处理' }).expect(201);
    const closed = (await t.http.post(`/api/v1/complaints/${c.id}/close`).set(handler.auth).send({ result: 'mediated', summary: '双方和解' }).expect(200)).body;
    expect([closed.pendingTransferTo, closed.extensions[0].status, closed.transfers[0].status]).toEqual([null, 'rejected', 'declined']);
    // A wage-arrears complaint names its employer at referral; a second referral while the first is open is refused.
    const w = (await intake(handler, { category: 'wage_arrears' }).expect(201)).body.complaint;
    const url = `/api/v1/complaints/${w.id}/escalations`;
    const noEmployer = await t.http.post(url).set(handler.auth).send({ target: 'labour_inspection', reason: '拒不支付工资', amountOwedFen: 20000 }).expect(422);
    expect(noEmployer.body.errors).toEqual([{ field: 'employerId', message: '移送劳动监察前请先关联用工主体' }]);
    const ref = (await t.http.post(url).set(handler.auth).send({ target: 'labour_inspection', reason: '拒不支付工资', amountOwedFen: 20000, employerId }).expect(201)).body;
    expect(ref.employerId).toBe(employerId);
    const again = await t.http.post(url).set(handler.auth).send({ target: 'labour_inspection', reason: '再次移送', amountOwedFen: 20000 }).expect(409);
    expect(again.body.title).toMatch(/请勿重复上报/);
  });

  it('a reopened complaint that runs late again is escalated again, and the board keeps the late closure', async () => {
    const deadlines = t.app.get(ComplaintDeadlinesService);
    const boardRow = async () => ((await t.http.get('/api/v1/complaints/board').set(admin.auth).expect(200)).body.rows as ComplaintBoardRow[]).find((r) => r.key === ZHONGMU) as ComplaintBoardRow;
    const before = await boardRow();
    const c = (await intake(handler).expect(201)).body.complaint;
    const due1 = addDays(today(), -2);
    await t.owner.query('UPDATE complaints SET resolve_due = $2 WHERE id = $1', [c.id, due1]);
    expect(await deadlines.fire({ complaintId: c.id, tenantId: c.tenantId, kind: 'remind', due: due1 })).toBe('skipped'); // the due day is over
    expect(await deadlines.fire({ complaintId: c.id, tenantId: c.tenantId, kind: 'escalate', due: due1 })).toBe('escalated');
    const closedLate = (await t.http.post(`/api/v1/complaints/${c.id}/close`).set(handler.auth).send({ result: 'mediated', summary: '超期后调解' }).expect(200)).body;
    expect(closedLate.dueState).toBe('closed_late');
    await t.owner.query(`UPDATE complaints SET closed_at = closed_at - interval '2 minutes' WHERE id = $1`, [c.id]);
    await t.http.post(`/api/v1/complaints/${c.id}/callback`).set(manager.auth).send({ satisfaction: 'dissatisfied' }).expect(200);
    await t.http.post(`/api/v1/complaints/${c.id}/reopen`).set(handler.auth).send({ reason: '投诉人不满意' }).expect(200);
    const due2 = addDays(today(), -1);
    await t.owner.query('UPDATE complaints SET resolve_due = $2 WHERE id = $1', [c.id, due2]);
    expect(await deadlines.fire({ complaintId: c.id, tenantId: c.tenantId, kind: 'escalate', due: due2 })).toBe('escalated');
    expect(await deadlines.fire({ complaintId: c.id, tenantId: c.tenantId, kind: 'escalate', due: due2 })).toBe('skipped');
    const esc = await t.owner.query(`SELECT to_char(overdue_for, 'YYYY-MM-DD') AS d FROM complaint_escalations WHERE complaint_id = $1 AND automatic ORDER BY created_at`, [c.id]);
    expect(esc.map((e: { d: string }) => e.d)).toEqual([due1, due2]);
    await t.owner.query('UPDATE complaints SET resolve_due = $2 WHERE id = $1', [c.id, addDays(today(), 3)]);
    await t.http.post(`/api/v1/complaints/${c.id}/close`).set(handler.auth).send({ result: 'mediated', summary: '再次调解成功' }).expect(200);
    // Both closures count, the first one late; the dissatisfied callback stays in the figures.
    const after = await boardRow();
    expect([after.closed - before.closed, after.closedOnTime - before.closedOnTime, after.dissatisfied - before.dissatisfied]).toEqual([2, 1, 1]);
  });

  it('a repeated intake is flagged as a duplicate of the first, also when both arrive at the same instant; timelines name people by their display names (issue 17 §7)', async () => {
    const mobile = nextPhone();
    const words = `雇主拖欠${Date.now() % 100000}元工钱，多次催要未果`;
    const first = (await intake(desk, { category: 'wage_arrears', anonymous: false, name: '赵大山', mobile, content: words }).expect(201)).body.complaint;
    expect(first.duplicateOf).toBeNull();
    // Same words with other spacing and punctuation, same number: flagged, still taken (the complainant is heard).
    const again = (await intake(handler, { category: 'wage_arrears', anonymous: false, name: '赵大山', mobile, content: ` ${words.replace('，', ', ')}。` }).expect(201)).body.complaint;
    expect(again.duplicateOf).toEqual({ id: first.id, reference: first.reference });
    expect(again.records[0].content).toContain(`疑似重复（与 ${first.reference} 相同）`);
    // Other words, or another number: not a duplicate.
    expect((await intake(desk, { anonymous: false, name: '赵大山', mobile, content: `${words}，又加一天` }).expect(201)).body.complaint.duplicateOf).toBeNull();
    expect((await intake(desk, { anonymous: false, name: '赵大山', mobile: nextPhone(), content: words }).expect(201)).body.complaint.duplicateOf).toBeNull();
    // Two identical submissions at the same instant: exactly one of them is the original.
    const twin = `同一时刻的两次投诉${Date.now() % 100000}，工钱没给`;
    const twinMobile = nextPhone();
    const both = await Promise.all([1, 2].map(() => intake(desk, { anonymous: false, name: '钱小二', mobile: twinMobile, content: twin }).expect(201)));
    const flags = both.map((r) => r.body.complaint.duplicateOf);
    expect(flags.filter((d) => d === null)).toHaveLength(1);
    expect(flags.find((d) => d !== null)?.id).toBe(both.find((r) => r.body.complaint.duplicateOf === null)?.body.complaint.id);
    // The timeline shows the staff member's name, not the login.
    const [{ display_name }] = await t.owner.query('SELECT display_name FROM users WHERE id = $1', [desk.user.id]);
    const full = (await t.http.get(`/api/v1/complaints/${first.id}`).set(admin.auth).expect(200)).body;
    expect(full.records[0].authorName).toBe(display_name);
  });

  it('the board\'s on-time rate counts open complaints past their deadline as missed (issue 17 §7)', async () => {
    const boardRow = async () => ((await t.http.get('/api/v1/complaints/board').set(admin.auth).expect(200)).body.rows as ComplaintBoardRow[]).find((r) => r.key === ZHONGMU) as ComplaintBoardRow;
    const c = (await intake(handler, { content: `超期未办结的投诉${Date.now()}` }).expect(201)).body.complaint;
    await t.owner.query('UPDATE complaints SET resolve_due = $2 WHERE id = $1', [c.id, addDays(today(), -1)]);
    const row = await boardRow();
    expect(row.overdue).toBeGreaterThanOrEqual(1);
    const expected = Math.round((row.closedOnTime / (row.closed + row.overdue)) * 1000) / 10;
    expect(row.onTimeRate).toBe(expected);
    expect(row.onTimeRate).toBeLessThan(100);
  });

  it('the board\'s on-time rate and the KPI complaints_on_time are two figures with two names, each equal to independent SQL (docs/kpis.md)', async () => {
    const row = ((await t.http.get('/api/v1/complaints/board').set(admin.auth).expect(200)).body.rows as ComplaintBoardRow[]).find((r) => r.key === ZHONGMU) as ComplaintBoardRow;
    const since = new Date(Date.parse(`${today()}T00:00:00+08:00`) - 90 * 86_400_000).toISOString();
    // The board, live: closures of its period (one per round) on time ÷ (closures + complaints open past their deadline now).
    const [b] = await t.owner.query(
      `SELECT (SELECT count(*)::int FROM complaint_records r JOIN complaints c ON c.id = r.complaint_id WHERE c.market_id = $1 AND r.kind = 'closed' AND r.created_at >= $2) AS closed,
              (SELECT count(*)::int FROM complaint_records r JOIN complaints c ON c.id = r.complaint_id WHERE c.market_id = $1 AND r.kind = 'closed' AND r.data->>'late' = 'false' AND r.created_at >= $2) AS on_time,
              (SELECT count(*)::int FROM complaints c WHERE c.market_id = $1 AND c.status <> 'closed' AND c.resolve_due < $3::date) AS overdue`, [ZHONGMU, since, today()]);
    expect(b.overdue).toBeGreaterThan(0);
    expect(b.closed).toBeGreaterThan(0);
    expect(row.onTimeRate).toBe(Math.round((b.on_time / (b.closed + b.overdue)) * 1000) / 10);
    // The KPI, from the work log: closure entries of the period on time ÷ closure entries; open complaints have none.
    const from = addDays(today(), -30);
    const [k] = await t.owner.query(
      `SELECT count(*) FILTER (WHERE payload->>'step' = 'closed')::int AS closed,
              count(*) FILTER (WHERE payload->>'step' = 'closed' AND COALESCE(payload->>'late', 'false') <> 'true')::int AS on_time
       FROM ledger_entries WHERE market_id = $1 AND kind = 'complaint_step' AND business_day BETWEEN $2 AND $3`, [ZHONGMU, from, today()]);
    const kpi = (await t.http.get('/api/v1/analytics/kpis').query({ marketId: ZHONGMU, from, to: today(), kpis: 'complaints_on_time' }).set(admin.auth).expect(200)).body;
    const kpiValue = (kpi.figures as { code: string; value: number | null }[]).find((x) => x.code === 'complaints_on_time')?.value;
    expect(kpiValue).toBe(Math.round((k.on_time / k.closed) * 10000) / 100);
    // With an open complaint past its deadline the two differ; then they must not share a name, in either language,
    // and the board says how its figure differs from the KPI.
    expect(row.onTimeRate).not.toBe(kpiValue);
    const def = KPIS.find((x) => x.code === 'complaints_on_time') as (typeof KPIS)[number];
    const i18n = (lang: string) => JSON.parse(readFileSync(join(__dirname, `../../libs/console/complaints/i18n/${lang}.json`), 'utf8')).complaint.board as Record<string, string>;
    const [zh, en] = [i18n('zh-CN'), i18n('en')];
    const stem = (v: string) => v.replace(/^投诉/, '').replace(/^complaints? /i, '').toLowerCase();
    for (const [board, name] of [[zh.onTime, def.zh], [en.onTime, def.en]]) {
      expect(stem(board).includes(stem(name)) || stem(name).includes(stem(board))).toBe(false);
    }
    expect(zh.onTimeNote).toContain(def.zh);
    expect(en.onTimeNote).toContain(def.en);
    expect(def.definitionZh).toContain(zh.onTime);
    expect(def.definitionEn).toContain(en.onTime);
  });

  it('time limits are configured per province by its authority and used for new complaints', async () => {
    const province = await login(t, 'province.auditor');
    await t.http.put('/api/v1/complaint-limits/41').set(county.auth).send({ limits: { safety: 3 } }).expect(403);
    await t.http.put('/api/v1/complaint-limits/41').set(admin.auth).send({ limits: { safety: 3 } }).expect(403);
    await t.http.put('/api/v1/complaint-limits/42').set(province.auth).send({ limits: { safety: 3 } }).expect(403);
    const set = (await t.http.put('/api/v1/complaint-limits/41').set(province.auth).send({ limits: { safety: 3 } }).expect(200)).body;
    expect(set).toMatchObject({ province: '41', configured: true, limits: { safety: 3, dispute: DEFAULT_RESOLVE_DAYS.dispute } });
    const c = (await intake(handler, { category: 'safety' }).expect(201)).body.complaint;
    expect(c.resolveDue).toBe(complaintDeadlines(today(), 3).resolve.day);
    expect((await t.http.get('/api/v1/complaint-limits?province=41').set(desk.auth).expect(200)).body.limits.safety).toBe(3);
    await t.http.put('/api/v1/complaint-limits/41').set(province.auth).send({ limits: { safety: 99 } }).expect(400);
    await t.http.put('/api/v1/complaint-limits/41').set(province.auth).send({ limits: { safety: DEFAULT_RESOLVE_DAYS.safety } }).expect(200);
  });

  it('the public page takes a complaint without sign-in; bad input gets a clear 4xx and stores nothing; the tracking code shows progress', async () => {
    const before = await tableCounts(t);
    const pub = `/api/v1/public/markets/${ZHONGMU}/complaints`;
    const empty = await t.http.post(pub).send({ category: 'illegal_fee', content: '', anonymous: true }).expect(400);
    expect(empty.body.errors).toEqual([{ field: 'content', message: '至少 5 个字符' }]);
    const badPhone = await t.http.post(pub).set('Accept-Language', 'en').send({ category: 'illegal_fee', content: '窗口收取登记费二十元', anonymous: false, name: '李', mobile: '1234' }).expect(400);
    expect(badPhone.body.errors).toEqual([{ field: 'mobile', message: 'Enter an 11-digit mobile number' }]);
    const huge = await t.http.post(pub).send({ category: 'other', content: '长'.repeat(10 * 1024 * 1024 / 3), anonymous: true }).expect(413);
    expect(huge.body.title).toBe('提交的内容过大');
    await t.http.post(`/api/v1/public/markets/${demoId('nope')}/complaints`).send({ category: 'other', content: '不存在的市场', anonymous: true }).expect(404);
    expect(await tableCounts(t)).toEqual(before);

    const ok = (await t.http.post(pub).send({ category: 'illegal_fee', content: '窗口收取登记费二十元，没有票据', anonymous: true, mobile: nextPhone() }).expect(201)).body;
    expect(ok).toMatchObject({ trackingCode: expect.stringMatching(/^[A-Z2-9]{10}$/), reference: expect.stringMatching(/^TS\d{8}-/) });
    const [row] = await t.owner.query('SELECT id, channel, owner_user_id, anonymous FROM complaints WHERE reference = $1', [ok.reference]);
    expect(row).toMatchObject({ channel: 'public_page', anonymous: true });
    const track = (await t.http.get(`/api/v1/public/complaints/${ok.trackingCode}`).expect(200)).body;
    expect(track).toMatchObject({ reference: ok.reference, status: 'received', marketName: f.market.name, canReopen: false });
    await t.http.get('/api/v1/public/complaints/AAAAAAAAAA').expect(404);
    // The one-time notice and the result reach the complainant through the tracking page.
    expect(row.owner_user_id).toBe('00000000-0000-7000-8000-0000000000aa');
    const noticed = (await t.http.post(`/api/v1/complaints/${row.id}/notices`).set(handler.auth).send({ items: ['收费时间', '收费人员'] }).expect(201)).body;
    // Nobody received it in person: the first handler to act on it owns it (首问负责).
    expect(noticed.ownerUserId).toBe(handler.user.id);
    await t.http.post(`/api/v1/complaints/${row.id}/close`).set(handler.auth).send({ result: 'substantiated', summary: '经查属实，已退还并批评教育当事人' }).expect(200);
    const after = (await t.http.get(`/api/v1/public/complaints/${ok.trackingCode}`).expect(200)).body;
    expect(after).toMatchObject({ status: 'closed', result: 'substantiated', canReopen: true, notices: [{ items: ['收费时间', '收费人员'] }] });
    const again = (await t.http.post(`/api/v1/public/complaints/${ok.trackingCode}/reopen`).send({ reason: '钱还没有退给我' }).expect(200)).body;
    expect(again.status).toBe('in_progress');
  });

  it('rate-limits public complaints per IP with a clear 429 that stores nothing', async () => {
    const limited = await bootApp({ PUBLIC_WRITE_RATE_PER_MINUTE: '2', REDIS_PREFIX: `rlcmp${Date.now().toString(36)}` });
    try {
      const send = () => limited.http.post(`/api/v1/public/markets/${ZHONGMU}/complaints`).send({ category: 'other', content: '限流测试投诉内容', anonymous: true });
      expect((await send()).status).toBe(201);
      expect((await send()).status).toBe(201);
      const before = await tableCounts(t);
      const r = await send().expect(429);
      expect(r.body.title).toBe('操作过于频繁，请稍后再试');
      expect(await tableCounts(t)).toEqual(before);
    } finally {
      await limited.close();
    }
  });

  it('after a Redis flush the sweep rebuilds every open complaint\'s timers, and an overdue one escalates exactly once', async () => {
    const config = t.config;
    const queue = new Queue(COMPLAINT_TIMERS_QUEUE, { connection: { url: config.REDIS_URL }, prefix: `${config.REDIS_PREFIX}:bull` });
    const redis = new Redis(config.REDIS_URL);
    let worker: INestApplicationContext | null = null;
    try {
      const created = [];
      for (let i = 0; i < 3; i++) created.push((await intake(handler, { content: `计时器测试投诉 ${i}：雇主拖延结算` }).expect(201)).body.complaint);
      const ids = async () => (await queue.getJobs(['delayed', 'waiting', 'active', 'completed'])).map((j) => String(j.id));
      // The API scheduled reminder and escalation timers when it took them.
      expect(await ids()).toEqual(expect.arrayContaining(created.map((c) => `complaint.${c.id}.escalate.${c.resolveDue}`)));
      await redis.flushdb();
      expect(await ids()).toEqual([]);
      // One of them is now overdue (received weeks ago, due last week) — as if days had passed while Redis was down.
      const overdue = created[0];
      const past = addDays(today(), -20);
      await t.owner.query(`UPDATE complaints SET received_day = $2, clock_from = $2, ack_due = $3, resolve_due = $4, received_at = $5 WHERE id = $1`,
        [overdue.id, past, addDays(past, 1), addDays(today(), -3), `${past}T09:00:00+08:00`]);
      const workerConfig = loadConfig({ ...process.env, REDIS_PREFIX: config.REDIS_PREFIX });
      worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(workerConfig), { logger: false });
      await worker.init();
      const deadlines = worker.get(ComplaintDeadlinesService);
      const open: { id: string }[] = await t.owner.query(`SELECT id FROM complaints WHERE status <> 'closed'`);
      // The worker's boot sweep runs by itself; wait until it has rebuilt the escalation of every open complaint.
      const waitFor = async (cond: () => Promise<boolean>, what: string) => {
        for (let i = 0; i < 150; i++) {
          if (await cond()) return;
          await new Promise((r) => setTimeout(r, 200));
        }
        throw new Error(`timed out waiting for ${what}`);
      };
      await waitFor(async () => {
        const have = new Set(await ids());
        const rows = await t.owner.query(`SELECT * FROM complaints WHERE status <> 'closed'`);
        return rows.every((c: Record<string, unknown>) => deadlines.expectedTimerIds(c).every((id) => have.has(id) || id.includes('.escalate.') && c['overdue_escalated_at']));
      }, 'the sweep');
      expect(open.length).toBeGreaterThanOrEqual(3);
      await waitFor(async () => !!(await t.owner.query('SELECT overdue_escalated_at FROM complaints WHERE id = $1', [overdue.id]))[0].overdue_escalated_at, 'the escalation');
      // Sweep again and fire the escalation timer by hand: nothing more happens.
      await deadlines.sweep();
      expect(await deadlines.fire({ complaintId: overdue.id, tenantId: overdue.tenantId, kind: 'escalate', due: addDays(today(), -3) })).toBe('skipped');
      await new Promise((r) => setTimeout(r, 500));
      const escalations = await t.owner.query('SELECT target, automatic FROM complaint_escalations WHERE complaint_id = $1', [overdue.id]);
      expect(escalations).toEqual([{ target: 'county_bureau', automatic: true }]);
      const entries = await t.owner.query(`SELECT count(*)::int AS n FROM ledger_entries WHERE subject_id = $1 AND payload->>'step' = 'escalated'`, [overdue.id]);
      expect(entries[0].n).toBe(1);
      // The county sees it among the overdue ones on its board.
      const s = await login(t, 'county.reviewer');
      const list = (await t.http.get('/api/v1/complaints?due=overdue&pageSize=100').set(s.auth).expect(200)).body.items;
      expect(list.find((c: { id: string }) => c.id === overdue.id)).toMatchObject({ dueState: 'overdue', escalatedOverdue: true });
    } finally {
      await worker?.close();
      await queue.close();
      await redis.quit();
    }
  });

  it('boards: the county sees its operators, the operator its markets, with on-time rate, satisfaction and one-time-notice breaches', async () => {
    // Sessions did not survive the Redis flush above: sign in again.
    [admin, op2] = await Promise.all([f.signIn('operator_admin'), login(t, 'op2.admin')]);
    const s = await login(t, 'county.reviewer');
    const board = (await t.http.get('/api/v1/complaints/board').set(s.auth).expect(200)).body;
    expect(board.groupBy).toBe('operator');
    const row = board.rows.find((r: { key: string }) => r.key === f.org.id);
    expect(row).toMatchObject({ label: f.org.name });
    expect(row.open).toBeGreaterThan(0);
    expect(row.overdue).toBeGreaterThanOrEqual(1);
    expect(row.noticeViolations).toBeGreaterThanOrEqual(1);
    expect(board.rows.every((r: { key: string }) => r.key !== demoId('op2'))).toBe(true);
    const own = (await t.http.get('/api/v1/complaints/board').set(admin.auth).expect(200)).body;
    expect(own.groupBy).toBe('market');
    expect(own.rows.map((r: { key: string }) => r.key)).toContain(ZHONGMU);
    const op2Board = (await t.http.get('/api/v1/complaints/board').set(op2.auth).expect(200)).body;
    expect(op2Board.rows.every((r: { key: string }) => r.key !== ZHONGMU)).toBe(true);
  });
});
