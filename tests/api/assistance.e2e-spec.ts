import { Client } from 'pg';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { QueueEvents, type Queue } from 'bullmq';
import { loadConfig } from '@linggong/api-core';
import { TierRecomputation, enqueueRecomputeTiers, recomputeTiersJobId, ASSISTANCE_TIERS_QUEUE } from '@linggong/api-assistance';
import { WorkerModule } from '../../apps/worker/src/app/worker.module';
import { bootApp, demoId, freshTenant, login, tableCounts, type Session, type TestApp } from '../support/app';

let phone = 13600000000 + (Date.now() % 1_000_000) * 10;
const nextPhone = () => String(++phone);
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * Assistance for difficult workers (R-B9) and service records (R-B12, R-B14), issue 5 §1 and §4:
 * hardship with consent, encrypted; tiers from categories and waiting time, recomputed by the daily
 * job; plans with the 1/3/1 package tracked to completion and followed up to stable work;
 * public-welfare posts; the roster of who is behind plan; guidance records.
 */
describe('assistance', () => {
  let t: TestApp;
  let f: Awaited<ReturnType<typeof freshTenant>>;
  let admin: Session;
  let desk: Session;
  let employerId: string;

  const worker = async (name: string, extra: Record<string, unknown> = {}) => {
    const mobile = nextPhone();
    const body = (await t.http.post(`/api/v1/markets/${f.market.id}/workers`).set(desk.auth)
      .send({ name, mobile, consent: true, occupations: ['装卸搬运工'], ...extra }).expect(201)).body as { id: string };
    return { ...body, phone: mobile };
  };
  const hardship = (id: string, categories: string[], s: Session = desk) =>
    t.http.post(`/api/v1/workers/${id}/hardship`).set(s.auth).send({ categories, consent: true, evidence: '现场查验相关证件' });
  const tierOf = async (id: string) => Number((await t.owner.query('SELECT hardship_tier FROM workers WHERE id = $1', [id]))[0].hardship_tier);
  const post = async () => {
    const p = (await t.http.post(`/api/v1/markets/${f.market.id}/posts`).set(desk.auth).send({
      employerId, occupation: '装卸搬运工', title: '帮扶测试卸货', headcount: 5, wageFen: 20000, wageUnit: 'day', period: 'same_day',
      startAt: inHours(1), place: '中牟县物流园 5 号库',
    }).expect(201)).body;
    await t.http.post(`/api/v1/posts/${p.id}/review`).set(admin.auth).send({ decision: 'published' }).expect(200);
    return p as { id: string };
  };

  beforeAll(async () => {
    t = await bootApp();
    f = await freshTenant(t, 'as');
    admin = await login(t, f.adminUser.username, f.password);
    desk = await login(t, f.deskUser.username, f.password);
    const e = await t.http.post(`/api/v1/markets/${f.market.id}/employers`).set(desk.auth)
      .send({ kind: 'company', name: '中牟县安居物业有限公司', creditCode: '91350100M000100Y43', contactName: '钱经理', contactPhone: '13900002222' }).expect(201);
    employerId = e.body.id;
    await t.http.post(`/api/v1/employers/${employerId}/verification`).set(admin.auth).send({ decision: 'verified', evidence: '营业执照原件已核验' }).expect(200);
  });
  afterAll(() => t.close());

  it('records hardship only with consent, encrypted at rest; the tier lands on the worker and ranks them higher; reading the categories is audited', async () => {
    const w = await worker('欧阳帮扶');
    const plain = await worker('上官对照');
    const refused = await t.http.post(`/api/v1/workers/${w.id}/hardship`).set(desk.auth).send({ categories: ['disability'] }).expect(400);
    expect(refused.body.errors).toEqual([{ field: 'consent', message: '请先征得本人同意（个人信息使用告知）' }]);
    const bad = await t.http.post(`/api/v1/workers/${w.id}/hardship`).set(desk.auth).set('Accept-Language', 'en').send({ categories: ['rich'], consent: true }).expect(400);
    expect(bad.body.errors[0].field).toMatch(/^categories/);
    expect((await t.owner.query('SELECT count(*)::int AS n FROM hardship_records WHERE worker_id = $1', [w.id]))[0].n).toBe(0);

    const rec = await hardship(w.id, ['disability', 'low_income']).expect(200);
    expect(rec.body).toMatchObject({ workerId: w.id, categories: ['low_income', 'disability'], tier: 3, waitingDays: 0, derived: [] });
    const [row] = await t.owner.query('SELECT * FROM hardship_records WHERE worker_id = $1', [w.id]);
    expect(JSON.stringify(row)).not.toMatch(/disability|low_income|证件/);
    expect(await tierOf(w.id)).toBe(3);
    // The append-only work log and audit trail keep that a record was made, not the tier (it survives no withdrawal).
    const [entry] = await t.owner.query(`SELECT payload FROM ledger_entries WHERE kind = 'hardship_record' AND subject_id = $1`, [w.id]);
    expect(entry.payload).toEqual({ workerId: w.id, recordId: row.id, change: 'recorded', consent: true });
    const [audited] = await t.owner.query(`SELECT summary FROM audit_events WHERE action = 'hardship_record.recorded' AND subject_id = $1`, [w.id]);
    expect(audited.summary).toEqual({ recordId: row.id, consent: true, updated: false });

    // Priority in the candidate ranking (R-B9): the tier is part of the score.
    for (const id of [w.id, plain.id]) await t.http.post(`/api/v1/markets/${f.market.id}/check-ins`).set(desk.auth).send({ workerId: id }).expect(200);
    const cands = (await t.http.get(`/api/v1/posts/${(await post()).id}/candidates`).set(desk.auth).expect(200)).body as { workerId: string; parts: { hardship: number } }[];
    const mine = cands.find((c) => c.workerId === w.id);
    const theirs = cands.find((c) => c.workerId === plain.id);
    expect([mine?.parts.hardship, theirs?.parts.hardship]).toEqual([15, 0]);
    expect(cands.findIndex((c) => c.workerId === w.id)).toBeLessThan(cands.findIndex((c) => c.workerId === plain.id));

    const seen = await t.http.get(`/api/v1/workers/${w.id}/hardship`).set(desk.auth).expect(200);
    expect(seen.body.categories).toEqual(['low_income', 'disability']);
    const reads = await t.owner.query(`SELECT actor_username FROM audit_events WHERE action = 'hardship.read' AND subject_id = $1`, [w.id]);
    expect(reads).toEqual([{ actor_username: f.deskUser.username }]);
    // The county reads the tier and the plans, never the categories.
    const county = await login(t, 'county.reviewer');
    await t.http.get(`/api/v1/workers/${w.id}/hardship`).set(county.auth).expect(403);
    const summary = await t.http.get(`/api/v1/workers/${w.id}/assistance`).set(county.auth).expect(200);
    expect(summary.body).toMatchObject({ tier: 3, hasHardshipRecord: true });
    expect(JSON.stringify(summary.body)).not.toMatch(/disability|low_income/);
  });

  it('raises the tier once waiting time passes 30 days, in the daily job, idempotently; work brings it back down', async () => {
    const w = await worker('欧阳久等');
    expect((await hardship(w.id, ['older_age']).expect(200)).body.tier).toBe(1);
    const tiers = t.app.get(TierRecomputation);
    // 29 days since registration: below the threshold, nothing changes.
    await t.owner.query(`UPDATE workers SET created_at = now() - interval '29 days' WHERE id = $1`, [w.id]);
    await tiers.run();
    expect(await tierOf(w.id)).toBe(1);
    await t.owner.query(`UPDATE workers SET created_at = now() - interval '31 days' WHERE id = $1`, [w.id]);
    const first = await tiers.run();
    expect(first.changed).toBeGreaterThanOrEqual(1);
    expect(await tierOf(w.id)).toBe(2);
    const changes = async () => (await t.owner.query(`SELECT payload FROM ledger_entries WHERE kind = 'hardship_tier' AND subject_id = $1 ORDER BY seq`, [w.id])).map((r: { payload: unknown }) => r.payload);
    // The change is in the work log without its values: the tier stays in the erasable record and on the worker.
    const [rec] = await t.owner.query('SELECT id FROM hardship_records WHERE worker_id = $1', [w.id]);
    expect(await changes()).toEqual([{ workerId: w.id, recordId: rec.id, change: 'recomputed' }]);
    const [tierAudit] = await t.owner.query(`SELECT summary FROM audit_events WHERE action = 'hardship_tier' AND subject_id = $1`, [w.id]);
    expect(tierAudit.summary).toEqual({ recordId: rec.id });
    const view = await t.http.get(`/api/v1/workers/${w.id}/hardship`).set(admin.auth).expect(200);
    expect(view.body).toMatchObject({ tier: 2, waitingDays: 31, derived: ['long_waiting'] });

    // The same again through BullMQ in the worker app: the job id is the day, and a second run writes nothing.
    const config = loadConfig({ ...process.env, REDIS_PREFIX: `as${Date.now().toString(36)}` });
    const app: INestApplicationContext = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
    await app.init();
    const qe = new QueueEvents(ASSISTANCE_TIERS_QUEUE, { connection: { url: config.REDIS_URL }, prefix: `${config.REDIS_PREFIX}:bull` });
    try {
      await qe.waitUntilReady();
      const queue = app.get<Queue>(getQueueToken(ASSISTANCE_TIERS_QUEUE));
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => [s.key, s.pattern, s.tz])).toEqual([['assistance-tiers-daily', '30 2 * * *', 'Asia/Shanghai']]);
      const day = shanghaiToday();
      const job = await enqueueRecomputeTiers(queue, day);
      expect(job.id).toBe(recomputeTiersJobId(day));
      const result = await job.waitUntilFinished(qe, 30_000);
      expect(result).toMatchObject({ day, changed: 0 });
      expect(result.checked).toBeGreaterThanOrEqual(1);
      // Enqueued twice for the same day: the same job, not a second run.
      const again = await enqueueRecomputeTiers(queue, day);
      expect(again.id).toBe(job.id);
      expect((await queue.getJobCounts('completed')).completed).toBe(1);
    } finally {
      await qe.close();
      await app.close();
    }
    expect(await changes()).toHaveLength(1);

    // A day of work resets the waiting time: the tier falls back at the next run.
    await t.owner.query(`UPDATE workers SET last_worked_on = (now() AT TIME ZONE 'Asia/Shanghai')::date - 2 WHERE id = $1`, [w.id]);
    await tiers.run();
    expect(await tierOf(w.id)).toBe(1);
  });

  it('completes a plan when its 1 guidance / 3 referrals / 1 training package is done, then follows up until stable work closes it', async () => {
    const w = await worker('欧阳计划');
    const early = await t.http.post(`/api/v1/workers/${w.id}/assistance-plans`).set(desk.auth).send({ goal: '实现稳定就业' }).expect(422);
    expect(early.body.errors).toEqual([{ field: 'workerId', message: '请先在本人同意下登记困难类别，再建立帮扶计划' }]);
    await hardship(w.id, ['registered_unemployed', 'veteran']).expect(200);
    const plan = (await t.http.post(`/api/v1/workers/${w.id}/assistance-plans`).set(desk.auth).send({ goal: '实现稳定就业', note: '本人希望做物业保洁' }).expect(201)).body;
    expect(plan).toMatchObject({ status: 'active', package: { guidance: 1, referrals: 3, training: 1 }, done: { guidance: 0, referrals: 0, training: 0 }, behind: false, tier: 2 });
    await t.http.post(`/api/v1/workers/${w.id}/assistance-plans`).set(desk.auth).send({ goal: '再开一个' }).expect(409);

    // Guidance counts from service records (R-B12).
    await t.http.post(`/api/v1/markets/${f.market.id}/service-records`).set(desk.auth)
      .send({ kind: 'vocational_guidance', workerId: w.id, occurredAt: inHours(0), summary: '职业能力评估与求职方向指导' }).expect(201);
    const noCourse = await t.http.post(`/api/v1/assistance-plans/${plan.id}/steps`).set(desk.auth).send({ kind: 'training', occurredAt: inHours(0), note: '报名培训' }).expect(400);
    expect(noCourse.body.errors).toEqual([{ field: 'courseName', message: '培训步骤须填写课程或技能名称' }]);
    await t.http.post(`/api/v1/assistance-plans/${plan.id}/steps`).set(desk.auth).send({ kind: 'training', occurredAt: inHours(0), note: '已报名参加', courseName: '物业保洁员' }).expect(201);
    const outside = await t.http.post(`/api/v1/assistance-plans/${plan.id}/steps`).set(desk.auth)
      .send({ kind: 'referral', occurredAt: inHours(0), note: '电话推荐面试', referredTo: '中牟县城市管理局环卫所' }).expect(201);
    expect(outside.body).toMatchObject({ status: 'active', done: { guidance: 1, referrals: 1, training: 1, referralsOutside: 1 } });
    // Two recommendations at the desk (即时快招) are the other referrals, counted read-only from placements.
    for (let i = 0; i < 2; i++) await t.http.post('/api/v1/placements').set(desk.auth).send({ postId: (await post()).id, workerId: w.id }).expect(201);
    const counted = await t.http.get(`/api/v1/assistance-plans/${plan.id}`).set(desk.auth).expect(200);
    expect(counted.body).toMatchObject({ status: 'active', done: { referrals: 3, referralsInSystem: 2 } });
    // The daily job persists the completion (no assistance write happened since the referrals).
    expect((await t.app.get(TierRecomputation).run()).completed).toBeGreaterThanOrEqual(1);
    const done = (await t.http.get(`/api/v1/assistance-plans/${plan.id}`).set(desk.auth).expect(200)).body;
    expect(done).toMatchObject({ status: 'package_complete', packageCompletedAt: expect.any(String) });
    const steps = (await t.owner.query(`SELECT payload->>'step' AS step FROM ledger_entries WHERE kind = 'assistance_plan' AND subject_id = $1 ORDER BY seq`, [plan.id])).map((r: { step: string }) => r.step);
    expect(steps).toEqual(['opened', 'package_complete']);

    // Follow-ups until stable work (R-B9).
    const f1 = await t.http.post(`/api/v1/assistance-plans/${plan.id}/steps`).set(desk.auth).send({ kind: 'follow_up', occurredAt: inHours(0), note: '电话回访，临时工作中', outcome: 'working_temporary' }).expect(201);
    expect(f1.body.lastFollowUpOn).toBe(shanghaiToday());
    expect(f1.body.nextFollowUpOn > shanghaiToday()).toBe(true);
    const before = await t.http.post(`/api/v1/assistance-plans/${plan.id}/steps`).set(desk.auth).send({ kind: 'follow_up', occurredAt: '2020-01-02T09:00:00+08:00', note: '日期写错', outcome: 'still_seeking' }).expect(422);
    expect(before.body.errors).toEqual([{ field: 'occurredAt', message: '记录日期不能早于帮扶计划建立日期' }]);
    const noEmployer = await t.http.post(`/api/v1/assistance-plans/${plan.id}/steps`).set(desk.auth).send({ kind: 'follow_up', occurredAt: inHours(0), note: '上门回访', outcome: 'stable_employment' }).expect(400);
    expect(noEmployer.body.errors[0].field).toBe('employerName');
    const stable = await t.http.post(`/api/v1/assistance-plans/${plan.id}/steps`).set(desk.auth)
      .send({ kind: 'follow_up', occurredAt: inHours(0), note: '上门回访，已签订劳动合同', outcome: 'stable_employment', employerName: '中牟县安居物业有限公司' }).expect(201);
    expect(stable.body).toMatchObject({ status: 'stable_employment', stableEmployer: '中牟县安居物业有限公司', closedAt: expect.any(String), nextFollowUpOn: null });
    expect(stable.body.steps.map((s: { kind: string }) => s.kind)).toEqual(['training', 'referral', 'follow_up', 'follow_up']);
    const closed = await t.http.post(`/api/v1/assistance-plans/${plan.id}/steps`).set(desk.auth).send({ kind: 'follow_up', occurredAt: inHours(0), note: '再次回访', outcome: 'still_seeking' }).expect(409);
    expect(closed.body.title).toBe('该帮扶计划已结束，不能再记录');
    // A new plan may open once the last one is closed.
    await t.http.post(`/api/v1/workers/${w.id}/assistance-plans`).set(desk.auth).send({ goal: '再就业' }).expect(201);
  });

  it('erases the hardship record when the person withdraws consent: tier 0, open plan closed, the work log keeps only the fact', async () => {
    const w = await worker('欧阳撤回');
    await hardship(w.id, ['disability']).expect(200);
    const plan = (await t.http.post(`/api/v1/workers/${w.id}/assistance-plans`).set(desk.auth).send({ goal: '就业' }).expect(201)).body;
    expect(await tierOf(w.id)).toBe(2);
    const res = await t.http.post(`/api/v1/workers/${w.id}/hardship/withdrawal`).set(desk.auth).send({}).expect(200);
    expect(res.body).toEqual({ workerId: w.id, tier: 0, closedPlanId: plan.id });
    expect((await t.owner.query('SELECT count(*)::int AS n FROM hardship_records WHERE worker_id = $1', [w.id]))[0].n).toBe(0);
    expect(await tierOf(w.id)).toBe(0);
    const p = (await t.http.get(`/api/v1/assistance-plans/${plan.id}`).set(desk.auth).expect(200)).body;
    expect(p).toMatchObject({ status: 'closed', closeReason: '本人撤回同意' });
    await t.http.get(`/api/v1/workers/${w.id}/hardship`).set(desk.auth).expect(404);
    await t.http.post(`/api/v1/workers/${w.id}/hardship/withdrawal`).set(desk.auth).send({}).expect(404);
    const entries = (await t.owner.query(`SELECT payload FROM ledger_entries WHERE kind IN ('hardship_record', 'hardship_tier') AND subject_id = $1 ORDER BY seq`, [w.id])).map((r: { payload: Record<string, unknown> }) => r.payload);
    expect(entries.map((e: Record<string, unknown>) => e['change'])).toEqual(['recorded', 'withdrawn']);
    // Nothing left in the chain says what the tier was.
    expect(entries.filter((e: Record<string, unknown>) => ['tier', 'from', 'to', 'waitingDays'].some((k) => k in e))).toEqual([]);
    // The daily job leaves the tier at 0: there is no record to derive one from.
    await t.app.get(TierRecomputation).run();
    expect(await tierOf(w.id)).toBe(0);
  });

  it('serialises the writes on one plan and an opening against a withdrawal: each waits for the other and sees what it left', async () => {
    // A second owner connection plays the concurrent transaction: it locks the row, the request must wait for it.
    const other = new Client({ connectionString: t.config.DATABASE_OWNER_URL });
    await other.connect();
    const otherPid = (await other.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const waitingOn = async () => {
      for (let i = 0; i < 100; i++) {
        const [r] = await t.owner.query(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND $1 = ANY(pg_blocking_pids(pid))`, [otherPid]);
        if (r.n > 0) return true;
        await new Promise((ok) => setTimeout(ok, 50));
      }
      return false;
    };
    try {
      // A closure commits while a stable-employment follow-up is on its way: the follow-up finds the plan closed.
      const a = await worker('欧阳并发');
      await hardship(a.id, ['disability']).expect(200);
      const plan = (await t.http.post(`/api/v1/workers/${a.id}/assistance-plans`).set(desk.auth).send({ goal: '就业' }).expect(201)).body;
      await other.query('BEGIN');
      await other.query(`SELECT id FROM assistance_plans WHERE id = $1 FOR UPDATE`, [plan.id]);
      const step = t.http.post(`/api/v1/assistance-plans/${plan.id}/steps`).set(desk.auth)
        .send({ kind: 'follow_up', occurredAt: inHours(0), note: '上门回访，已签订劳动合同', outcome: 'stable_employment', employerName: '中牟县安居物业有限公司' }).then((r) => r);
      expect(await waitingOn()).toBe(true);
      await other.query(`UPDATE assistance_plans SET status = 'closed', closed_at = now(), close_reason = '另一名工作人员关闭' WHERE id = $1`, [plan.id]);
      await other.query('COMMIT');
      expect((await step).status).toBe(409);
      const [row] = await t.owner.query('SELECT status, close_reason FROM assistance_plans WHERE id = $1', [plan.id]);
      expect(row).toEqual({ status: 'closed', close_reason: '另一名工作人员关闭' });
      expect((await t.owner.query('SELECT count(*)::int AS n FROM assistance_steps WHERE plan_id = $1', [plan.id]))[0].n).toBe(0);

      // Consent is withdrawn while a plan is being opened: the opening waits on the record and finds it gone.
      const b = await worker('欧阳并撤');
      await hardship(b.id, ['disability']).expect(200);
      await other.query('BEGIN');
      await other.query('SELECT id FROM hardship_records WHERE worker_id = $1 FOR UPDATE', [b.id]);
      const opening = t.http.post(`/api/v1/workers/${b.id}/assistance-plans`).set(desk.auth).send({ goal: '就业' }).then((r) => r);
      expect(await waitingOn()).toBe(true);
      await other.query('DELETE FROM hardship_records WHERE worker_id = $1', [b.id]);
      await other.query('COMMIT');
      const res = await opening;
      expect([res.status, res.body.errors?.[0]?.field]).toEqual([422, 'workerId']);
      expect((await t.owner.query('SELECT count(*)::int AS n FROM assistance_plans WHERE worker_id = $1', [b.id]))[0].n).toBe(0);
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      await other.end();
    }
  });

  it('records a public-welfare post (公益性岗位) and refuses an end before the start', async () => {
    const w = await worker('欧阳公益');
    const body = { employerName: '中牟县青年路街道办事处', postName: '社区保洁', startOn: '2026-12-01', endOn: '2027-11-30' };
    // Only a worker with a consented hardship record is placed in a public-welfare post; nothing is written otherwise.
    const before = await tableCounts(t);
    const none = await t.http.post(`/api/v1/workers/${w.id}/public-welfare-posts`).set(desk.auth).send(body).expect(422);
    expect(none.body.errors).toEqual([{ field: 'workerId', message: '公益性岗位安置对象须为困难人员：请先在本人同意下登记困难类别' }]);
    const noneEn = await t.http.post(`/api/v1/workers/${w.id}/public-welfare-posts`).set(desk.auth).set('Accept-Language', 'en').send(body).expect(422);
    expect(noneEn.body.errors[0].message).toMatch(/^A public-welfare post is for a worker in hardship/);
    expect(await tableCounts(t)).toEqual(before);
    await hardship(w.id, ['disability']).expect(200);
    const bad = await t.http.post(`/api/v1/workers/${w.id}/public-welfare-posts`).set(desk.auth)
      .send({ employerName: '中牟县青年路街道办事处', postName: '社区保洁', startOn: '2026-12-01', endOn: '2026-11-30' }).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'endOn', message: '结束日期不能早于开始日期' }]);
    const ok = await t.http.post(`/api/v1/workers/${w.id}/public-welfare-posts`).set(desk.auth)
      .send({ employerName: '中牟县青年路街道办事处', postName: '社区保洁', startOn: '2026-12-01', endOn: '2027-11-30' }).expect(201);
    expect(ok.body).toMatchObject({ postName: '社区保洁', startOn: '2026-12-01', endOn: '2027-11-30' });
    const summary = await t.http.get(`/api/v1/workers/${w.id}/assistance`).set(desk.auth).expect(200);
    expect(summary.body.publicWelfare.map((p: { id: string }) => p.id)).toEqual([ok.body.id]);
    const [e] = await t.owner.query(`SELECT payload FROM ledger_entries WHERE kind = 'public_welfare_post' AND subject_id = $1`, [w.id]);
    expect(e.payload).toMatchObject({ placementId: ok.body.id, postName: '社区保洁' });
  });

  it('shows the roster with who is behind plan: package incomplete after 60 days, or a follow-up overdue', async () => {
    const late = await worker('欧阳落后');
    const fresh = await worker('欧阳按时');
    const overdue = await worker('欧阳未访');
    const ids: Record<string, string> = {};
    for (const [k, w] of [['late', late], ['fresh', fresh], ['overdue', overdue]] as const) {
      await hardship(w.id, ['older_age']).expect(200);
      ids[k] = (await t.http.post(`/api/v1/workers/${w.id}/assistance-plans`).set(desk.auth).send({ goal: '就业' }).expect(201)).body.id;
    }
    await t.owner.query(`UPDATE assistance_plans SET opened_at = now() - interval '61 days' WHERE id = $1`, [ids['late']]);
    await t.owner.query(`UPDATE assistance_plans SET next_follow_up_on = (now() AT TIME ZONE 'Asia/Shanghai')::date - 1 WHERE id = $1`, [ids['overdue']]);
    const roster = (await t.http.get('/api/v1/assistance-plans').query({ marketId: f.market.id, status: 'open', pageSize: 200 }).set(admin.auth).expect(200)).body;
    const byId = new Map(roster.items.map((p: { id: string; behind: boolean; daysOpen: number }) => [p.id, p]));
    expect([byId.get(ids['late']), byId.get(ids['fresh']), byId.get(ids['overdue'])].map((p) => (p as { behind: boolean }).behind)).toEqual([true, false, true]);
    expect((byId.get(ids['late']) as { daysOpen: number }).daysOpen).toBe(61);
    // Behind first.
    const order = roster.items.map((p: { id: string }) => p.id);
    expect(order.indexOf(ids['late'])).toBeLessThan(order.indexOf(ids['fresh']));
    const behind = (await t.http.get('/api/v1/assistance-plans').query({ marketId: f.market.id, behind: 'true', pageSize: 200 }).set(admin.auth).expect(200)).body;
    expect(behind.items.map((p: { id: string }) => p.id).sort()).toEqual([ids['late'], ids['overdue']].sort());
    expect(behind.items.every((p: { workerMobile: string }) => /^\d{3}\*{4}\d{4}$/.test(p.workerMobile))).toBe(true);
    // One person's plans by mobile (the registry's blind index); an authority cannot look up by mobile.
    const one = (await t.http.get('/api/v1/assistance-plans').query({ mobile: late.phone }).set(desk.auth).expect(200)).body;
    expect(one.items.map((p: { id: string }) => p.id)).toEqual([ids['late']]);
    const county = await login(t, 'county.reviewer');
    expect((await t.http.get('/api/v1/assistance-plans').query({ mobile: late.phone }).set(county.auth).expect(200)).body.total).toBe(0);
    await t.http.get('/api/v1/assistance-plans').query({ mobile: '12345' }).set(desk.auth).expect(400);
    // Another operator sees none of them.
    const other = await login(t, 'op2.admin');
    expect((await t.http.get('/api/v1/assistance-plans').query({ marketId: f.market.id }).set(other.auth).expect(200)).body.total).toBe(0);
    const pk = await t.http.get('/api/v1/assistance-packages').set(desk.auth).expect(200);
    expect(pk.body).toContainEqual({ regionCode: '00', guidance: 1, referrals: 3, training: 1, followUpDays: 30, behindDays: 60 });
  });

  it('lets a province set its own package, which new plans in the province take; nobody else may (issue 5: configurable per province)', async () => {
    const province = await login(t, 'province.auditor');
    const body = { guidance: 2, referrals: 2, training: 1, followUpDays: 14, behindDays: 45 };
    try {
      const set = await t.http.put('/api/v1/assistance-packages/41').set(province.auth).send(body).expect(200);
      expect(set.body).toEqual({ regionCode: '41', ...body });
      const w = await worker('欧阳省包');
      await hardship(w.id, ['veteran']).expect(200);
      const plan = (await t.http.post(`/api/v1/workers/${w.id}/assistance-plans`).set(desk.auth).send({ goal: '就业' }).expect(201)).body;
      expect(plan.package).toEqual({ guidance: 2, referrals: 2, training: 1 });
      const [row] = await t.owner.query(`SELECT follow_up_days, behind_days, next_follow_up_on - (now() AT TIME ZONE 'Asia/Shanghai')::date AS due_in FROM assistance_plans WHERE id = $1`, [plan.id]);
      expect(row).toEqual({ follow_up_days: 14, behind_days: 45, due_in: 14 });
      const [audit] = await t.owner.query(`SELECT actor_username, summary FROM audit_events WHERE action = 'assistance.package' ORDER BY occurred_at DESC LIMIT 1`);
      expect(audit).toEqual({ actor_username: 'province.auditor', summary: body });
      // Another province, the default, a county, an operator: refused; a code that is no province: 422.
      await t.http.put('/api/v1/assistance-packages/42').set(province.auth).send(body).expect(403);
      await t.http.put('/api/v1/assistance-packages/00').set(province.auth).send(body).expect(403);
      await t.http.put('/api/v1/assistance-packages/41').set((await login(t, 'county.reviewer')).auth).send(body).expect(403);
      await t.http.put('/api/v1/assistance-packages/41').set(admin.auth).send(body).expect(403);
      const badCode = await t.http.put('/api/v1/assistance-packages/4101').set(province.auth).send(body).expect(422);
      expect(badCode.body.errors).toEqual([{ field: 'regionCode', message: '服务包按省配置，请填写 2 位省级代码（00 为默认）' }]);
      await t.http.put('/api/v1/assistance-packages/41').set(province.auth).send({ ...body, guidance: -1 }).expect(400);
      const list = await t.http.get('/api/v1/assistance-packages').set(desk.auth).expect(200);
      expect(list.body.map((p: { regionCode: string }) => p.regionCode)).toEqual(['00', '41']);
      // Row-level security, not only the ability check: as the app role in a province's scope, only its own row is writable.
      const pg = new Client({ connectionString: t.config.DATABASE_URL });
      await pg.connect();
      try {
        await pg.query('BEGIN');
        await pg.query(`SELECT set_config('app.org_kind', 'province', true), set_config('app.region_prefix', '41', true)`);
        const upd = async (code: string) => (await pg.query('UPDATE assistance_packages SET training = 3 WHERE region_code = $1', [code])).rowCount;
        expect([await upd('42'), await upd('00'), await upd('41')]).toEqual([0, 0, 1]);
        await expect(pg.query(`INSERT INTO assistance_packages (region_code, guidance, referrals, training, follow_up_days, behind_days) VALUES ('42', 1, 1, 1, 30, 60)`)).rejects.toThrow(/row-level security/);
      } finally {
        await pg.query('ROLLBACK');
        await pg.end();
      }
    } finally {
      // The other tests expect the default package in this province.
      await t.owner.query(`DELETE FROM assistance_packages WHERE region_code = '41'`);
    }
  });

  it('records and lists service records for a worker or an employer, each in the work log (R-B12, R-B14)', async () => {
    const w = await worker('欧阳咨询');
    const both = await t.http.post(`/api/v1/markets/${f.market.id}/service-records`).set(desk.auth)
      .send({ kind: 'policy_consultation', workerId: w.id, employerId, occurredAt: inHours(0), summary: '咨询灵活就业社保补贴' }).expect(400);
    expect(both.body.errors).toEqual([{ field: 'workerId', message: '请选择服务对象：一名零工或一家用工主体（二选一）' }]);
    const stranger = (await t.owner.query(`SELECT id FROM workers WHERE tenant_id = $1 LIMIT 1`, [demoId('op2')]))[0].id;
    await t.http.post(`/api/v1/markets/${f.market.id}/service-records`).set(desk.auth)
      .send({ kind: 'policy_consultation', workerId: stranger, occurredAt: inHours(0), summary: '咨询灵活就业社保补贴' }).expect(422);
    await t.http.post(`/api/v1/markets/${f.market.id}/service-records`).set(desk.auth)
      .send({ kind: 'rights_guidance', workerId: w.id, occurredAt: inHours(1), summary: '被拖欠工资，指导收集证据' }).expect(422);
    const a = await t.http.post(`/api/v1/markets/${f.market.id}/service-records`).set(desk.auth)
      .send({ kind: 'accident_insurance_info', workerId: w.id, occurredAt: inHours(0), channel: 'desk', summary: '告知新就业形态职业伤害保障与参保方式', outcome: '本人已了解' }).expect(201);
    expect(a.body).toMatchObject({ kind: 'accident_insurance_info', workerId: w.id, partyName: '欧阳咨询', outcome: '本人已了解' });
    const b = await t.http.post(`/api/v1/markets/${f.market.id}/service-records`).set(desk.auth)
      .send({ kind: 'labour_contract_guidance', employerId, occurredAt: inHours(0), channel: 'visit', summary: '指导与保洁员签订劳务协议' }).expect(201);
    expect(b.body).toMatchObject({ employerId, partyName: '中牟县安居物业有限公司', channel: 'visit' });
    const list = await t.http.get('/api/v1/service-records').query({ marketId: f.market.id, kind: 'labour_contract_guidance' }).set(desk.auth).expect(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([b.body.id]);
    const mine = await t.http.get('/api/v1/service-records').query({ workerId: w.id }).set(admin.auth).expect(200);
    expect(mine.body.items.map((r: { id: string }) => r.id)).toEqual([a.body.id]);
    const county = await login(t, 'county.reviewer');
    expect((await t.http.get('/api/v1/service-records').query({ workerId: w.id }).set(county.auth).expect(200)).body.total).toBe(1);
    const entries = await t.owner.query(`SELECT payload FROM ledger_entries WHERE kind = 'guidance' AND subject_id = ANY($1) ORDER BY seq`, [[a.body.id, b.body.id]]);
    expect(entries.map((e: { payload: { service: string; party: string } }) => [e.payload.service, e.payload.party])).toEqual([['accident_insurance_info', 'worker'], ['labour_contract_guidance', 'employer']]);
  });

  it('refuses every assistance write to another tenant (404), an authority (403) and without a session (401), and bad input, changing nothing', async () => {
    const w = await worker('欧阳隔离');
    await hardship(w.id, ['veteran']).expect(200);
    const plan = (await t.http.post(`/api/v1/workers/${w.id}/assistance-plans`).set(desk.auth).send({ goal: '就业' }).expect(201)).body;
    const writes: [string, Record<string, unknown>][] = [
      [`/api/v1/workers/${w.id}/hardship`, { categories: ['veteran'], consent: true }],
      [`/api/v1/workers/${w.id}/hardship/withdrawal`, {}],
      [`/api/v1/workers/${w.id}/assistance-plans`, { goal: '越权开计划' }],
      [`/api/v1/workers/${w.id}/public-welfare-posts`, { employerName: '某街道办', postName: '保洁', startOn: '2026-12-01', endOn: '2027-01-01' }],
      [`/api/v1/assistance-plans/${plan.id}/steps`, { kind: 'follow_up', occurredAt: inHours(0), note: '越权回访', outcome: 'still_seeking' }],
      [`/api/v1/assistance-plans/${plan.id}/closure`, { reason: '越权关闭计划' }],
      [`/api/v1/markets/${f.market.id}/service-records`, { kind: 'policy_consultation', workerId: w.id, occurredAt: inHours(0), summary: '越权记录咨询' }],
    ];
    const other = await login(t, 'op2.admin');
    const otherDesk = await login(t, 'op2.desk');
    const county = await login(t, 'county.reviewer');
    const province = await login(t, 'province.auditor');
    const before = await tableCounts(t);
    for (const [url, body] of writes) {
      const label = `POST ${url}`;
      expect([label, (await t.http.post(url).send(body)).status]).toEqual([label, 401]);
      expect([label, (await t.http.post(url).set(other.auth).send(body)).status]).toEqual([label, 404]);
      expect([label, (await t.http.post(url).set(otherDesk.auth).send(body)).status]).toEqual([label, 404]);
      expect([label, (await t.http.post(url).set(county.auth).send(body)).status]).toEqual([label, 403]);
      expect([label, (await t.http.post(url).set(province.auth).send(body)).status]).toEqual([label, 403]);
      // Bad input from the operator itself: a clear 400, nothing written (the withdrawal takes no body).
      if (url.endsWith('/withdrawal')) continue;
      const bad = await t.http.post(url).set(admin.auth).send({ ...body, unexpected: true });
      expect([label, bad.status, bad.body.errors?.[0]?.message]).toEqual([label, 400, '不认识的字段：unexpected']);
    }
    await t.http.get(`/api/v1/assistance-plans/${plan.id}`).set(other.auth).expect(404);
    await t.http.get(`/api/v1/workers/${w.id}/hardship`).set(other.auth).expect(404);
    expect(await tableCounts(t)).toEqual(before);
  });
});
