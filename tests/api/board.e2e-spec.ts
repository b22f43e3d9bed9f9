import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { PushService } from '@linggong/api-jobs';
import { WorkerModule } from '../../apps/worker/src/app/worker.module';
import { bootApp, freshTenant, login, tableCounts, withQueuesPaused, type Session, type TestApp } from '../support/app';

/**
 * The province-wide public job board and job push (issue 18 §1–2; R-E7, R-G11, R-G12): search with its filters and
 * distance order recomputed here (SQL rows, haversine in JS); an online application (应聘报名) reaching the desk and
 * following the existing chain to 日结; one application for simultaneous repeats; bad input refused with nothing
 * written; push on publish through the worker's BullMQ job, the daily cap and the one-click unsubscribe.
 */
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
let phone = 13600000000 + (Date.now() % 1_000_000) * 10;
const nextPhone = () => String(++phone);
const shanghaiDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

/** Haversine, km (IUGG mean radius), computed independently of the API's SQL. */
function haversine(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const r = (d: number) => (d * Math.PI) / 180;
  const a = Math.sin(r(lat2 - lat1) / 2) ** 2 + Math.cos(r(lat1)) * Math.cos(r(lat2)) * Math.sin(r(lng2 - lng1) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(a));
}

async function until<T>(what: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('public job board and job push (issue 18 §1–2)', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let a: Awaited<ReturnType<typeof freshTenant>>;
  let b: Awaited<ReturnType<typeof freshTenant>>;
  let deskA: Session;
  let adminA: Session;
  let deskB: Session;
  let adminB: Session;
  const employer: Record<string, string> = {};
  // Market A in 郑州 (中原区 area), market B ~40 km east; the caller stands next to A.
  const here = { lat: 34.7466, lng: 113.6253 };

  const post = async (who: 'a' | 'b', extra: Record<string, unknown> = {}, publish = true) => {
    const [f, desk, admin] = who === 'a' ? [a, deskA, adminA] : [b, deskB, adminB];
    const p = (await t.http.post(`/api/v1/markets/${f.market.id}/posts`).set(desk.auth).send({
      employerId: employer[who], occupation: '电工', title: '线路检修', headcount: 2, wageFen: 30000, wageUnit: 'day', period: 'same_day',
      startAt: inHours(1), place: '郑州市某小区', requirements: '持电工证', ...extra,
    }).expect(201)).body;
    if (publish) await t.http.post(`/api/v1/posts/${p.id}/review`).set(admin.auth).send({ decision: 'published' }).expect(200);
    return p as { id: string; title: string };
  };
  const apply = (postId: string, body: Record<string, unknown>) => t.http.post(`/api/v1/public/board/posts/${postId}/applications`).send(body);

  beforeAll(async () => {
    t = await bootApp({ BOARD_APPLICATIONS_PER_DAY: '3' });
    // The worker on the same Redis prefix as the API: a publish's push job runs here, as in production.
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot({ ...t.config, PUSH_MAX_PER_WORKER_PER_DAY: 2 }), { logger: false });
    await worker.init();
    a = await freshTenant(t, 'boa');
    b = await freshTenant(t, 'bob');
    [deskA, adminA, deskB, adminB] = [await login(t, a.deskUser.username, a.password), await login(t, a.adminUser.username, a.password),
      await login(t, b.deskUser.username, b.password), await login(t, b.adminUser.username, b.password)];
    await t.http.patch(`/api/v1/markets/${a.market.id}/operations`).set(adminA.auth).send({ latitude: 34.7472, longitude: 113.6250, hotline: '0371-66660001' }).expect(200);
    await t.http.patch(`/api/v1/markets/${b.market.id}/operations`).set(adminB.auth).send({ latitude: 34.7300, longitude: 114.0600 }).expect(200);
    for (const [who, desk, admin, f] of [['a', deskA, adminA, a], ['b', deskB, adminB, b]] as const) {
      const e = (await t.http.post(`/api/v1/markets/${f.market.id}/employers`).set(desk.auth)
        .send({ kind: 'individual', name: `看板测试户${who}`, contactName: '王师傅', contactPhone: nextPhone() }).expect(201)).body;
      await t.http.post(`/api/v1/employers/${e.id}/verification`).set(admin.auth).send({ decision: 'verified', evidence: '身份证原件已核验' }).expect(200);
      employer[who] = e.id;
    }
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  it('searches every open market\'s open posts; distance order and figures match an independent haversine over the same rows', async () => {
    const pa = await post('a', { wageFen: 26000 });
    const pb = await post('b', { wageFen: 32000, startAt: inHours(50) });
    const pending = await post('a', {}, false);
    const q = { occupation: '电工', region: '4101', lat: here.lat, lng: here.lng, sort: 'distance', pageSize: 100 };
    const res = (await t.http.get('/api/v1/public/board/posts').query(q).expect(200)).body;
    // Independent: the open 电工 posts of open markets in 4101, their markets' coordinates, haversine here, ordered.
    const rows: { id: string; lat: number | null; lng: number | null; start_at: Date }[] = await t.owner.query(
      `SELECT p.id, m.latitude AS lat, m.longitude AS lng, p.start_at FROM posts p JOIN markets m ON m.id = p.market_id
       WHERE p.status = 'published' AND p.expires_at > now() AND p.hired_count < p.headcount AND m.status = 'open'
         AND p.occupation = '电工' AND p.region_code LIKE '4101%'`);
    const dist = (r: (typeof rows)[number]) => (r.lat == null || r.lng == null ? null : haversine(here.lat, here.lng, r.lat, r.lng));
    const expected = rows.map((r) => ({ id: r.id, d: dist(r), s: r.start_at.getTime() }))
      .sort((x, y) => (x.d == null ? 1 : 0) - (y.d == null ? 1 : 0) || (x.d ?? 0) - (y.d ?? 0) || x.s - y.s || (x.id < y.id ? -1 : 1));
    expect(res.total).toBe(expected.length);
    expect(res.items.map((i: { id: string }) => i.id)).toEqual(expected.slice(0, 100).map((e) => e.id));
    for (const [i, item] of res.items.entries()) {
      if (expected[i].d == null) expect(item.distanceKm).toBeNull();
      else expect(Math.abs(item.distanceKm - (expected[i].d as number))).toBeLessThanOrEqual(0.06);
    }
    const ids = res.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(pa.id);
    expect(ids).not.toContain(pending.id);
    expect(ids.indexOf(pa.id)).toBeLessThan(ids.indexOf(pb.id));
    const itemA = res.items.find((i: { id: string }) => i.id === pa.id);
    expect(itemA).toMatchObject({ marketId: a.market.id, employerVerified: true, wageFen: 26000, wageUnit: 'day', period: 'same_day', marketHotline: '0371-66660001', openings: 2 });
    expect(itemA.distanceKm).toBeLessThan(1);
    const itemB = res.items.find((i: { id: string }) => i.id === pb.id);
    expect(Math.abs(itemB.distanceKm - haversine(here.lat, here.lng, 34.73, 114.06))).toBeLessThanOrEqual(0.06);

    // Filters: each returned post satisfies them, and our fixtures are in or out as they should be.
    const get = async (extra: Record<string, unknown>) => (await t.http.get('/api/v1/public/board/posts').query({ occupation: '电工', region: '410122', pageSize: 100, ...extra }).expect(200)).body;
    const rich = await get({ minWageFen: 30000, sort: 'wage' });
    expect(rich.items.every((i: { wageFen: number }) => i.wageFen >= 30000)).toBe(true);
    expect(rich.items.map((i: { id: string }) => i.id)).toContain(pb.id);
    expect(rich.items.map((i: { id: string }) => i.id)).not.toContain(pa.id);
    const wages = rich.items.map((i: { wageFen: number }) => i.wageFen);
    expect(wages).toEqual([...wages].sort((x: number, y: number) => y - x));
    const later = shanghaiDay(inHours(50));
    const late = await get({ startFrom: later, startTo: later });
    expect(late.items.every((i: { startAt: string }) => shanghaiDay(i.startAt) === later)).toBe(true);
    expect(late.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([pb.id]));
    expect(late.items.map((i: { id: string }) => i.id)).not.toContain(pa.id);
    const near = await get({ lat: here.lat, lng: here.lng, withinKm: 5 });
    expect(near.items.every((i: { distanceKm: number }) => i.distanceKm <= 5)).toBe(true);
    expect(near.items.map((i: { id: string }) => i.id)).toContain(pa.id);
    expect(near.items.map((i: { id: string }) => i.id)).not.toContain(pb.id);
    expect((await get({ occupation: '保洁员' })).items.map((i: { id: string }) => i.id)).not.toContain(pa.id);
    expect((await t.http.get(`/api/v1/public/board/posts/${pa.id}`).expect(200)).body).toMatchObject({ id: pa.id, marketName: a.market.name });
    await t.http.get(`/api/v1/public/board/posts/${pending.id}`).expect(404);
  });

  it('refuses bad searches and bad applications with a clear 4xx, nothing written', () => withQueuesPaused(worker, async () => {
    const p = await post('a');
    const before = await tableCounts(t);
    for (const query of [{ lat: 34.7 }, { sort: 'distance' }, { withinKm: 5 }, { startFrom: '2026-13-40' }, { startFrom: '2026-12-09', startTo: '2026-12-01' },
      { region: 'abc' }, { occupation: '不存在的工种' }, { minWageFen: -1 }, { pageSize: 1000 }]) {
      const res = await t.http.get('/api/v1/public/board/posts').query(query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
    await apply(p.id, { name: '张三', mobile: '12345', consent: true }).expect(400);
    await apply(p.id, { name: '张三', mobile: nextPhone() }).expect(400);
    await apply(p.id, { name: '', mobile: nextPhone(), consent: true }).expect(400);
    await apply(p.id, { name: '张三', mobile: nextPhone(), consent: true, extra: 1 }).expect(400);
    const en = await apply(p.id, { name: '张三', mobile: '12345', consent: true }).set('Accept-Language', 'en').expect(400);
    expect(en.body.title).toMatch(/[a-z]/);
    await apply('00000000-0000-7000-8000-000000000000', { name: '张三', mobile: nextPhone(), consent: true }).expect(404);
    await t.http.get('/api/v1/public/push/not-a-token').expect(404);
    await t.http.post(`/api/v1/public/push/${a.market.id}.${'0'.repeat(32)}/unsubscribe`).expect(404);
    expect(await tableCounts(t)).toEqual(before);
    // A closed post: 409, nothing written.
    await t.http.post(`/api/v1/posts/${p.id}/withdraw`).set(deskA.auth).send({ reason: '已招满' }).expect(200);
    const mid = await tableCounts(t);
    await apply(p.id, { name: '张三', mobile: nextPhone(), consent: true }).expect((r) => expect([404, 409]).toContain(r.status));
    expect(await tableCounts(t)).toEqual(mid);
    // The honeypot: answered as usual, nothing stored.
    const p2 = await post('a');
    const mid2 = await tableCounts(t);
    const bot = await apply(p2.id, { name: '机器人', mobile: nextPhone(), consent: true, website: 'http://spam.example' }).expect(200);
    expect(bot.body.status).toBe('applied');
    expect(await tableCounts(t)).toEqual(mid2);
  }));

  it('an application reaches the desk and follows the existing chain: recommendation → hire → start → 日结', async () => {
    const p = await post('a');
    const mobile = nextPhone();
    const res = await apply(p.id, { name: '李应聘', mobile, consent: true }).expect(200);
    expect(res.body).toMatchObject({ status: 'applied', postTitle: p.title, marketName: a.market.name });
    const list = (await t.http.get(`/api/v1/markets/${a.market.id}/applications`).set(deskA.auth).expect(200)).body;
    const app = list.items.find((i: { postId: string }) => i.postId === p.id);
    expect(app).toMatchObject({ status: 'pending', workerName: '李应聘', workerMobile: `${mobile.slice(0, 3)}****${mobile.slice(7)}`, channel: 'online' });
    // Registered on the spot, source online; the work log has the application.
    const [w] = await t.owner.query('SELECT source, job_push, market_id FROM workers WHERE id = $1', [app.workerId]);
    expect(w).toEqual({ source: 'online', job_push: false, market_id: a.market.id });
    const entries = async (kind: string) => (await t.owner.query(`SELECT payload FROM ledger_entries WHERE market_id = $1 AND kind = $2 AND payload->>'postId' = $3`, [a.market.id, kind, p.id])).map((r: { payload: Record<string, unknown> }) => r.payload);
    expect(await entries('application')).toEqual([expect.objectContaining({ applicationId: app.id, workerId: app.workerId, registered: true })]);
    // Another market's desk cannot see or act on it.
    await t.http.get(`/api/v1/markets/${a.market.id}/applications`).set(deskB.auth).expect((r) => expect([403, 404]).toContain(r.status));
    await t.http.post(`/api/v1/applications/${app.id}/recommend`).set(deskB.auth).expect(404);
    // The desk recommends (two clicks at once: one placement), then the usual chain.
    const recs = await Promise.all([0, 1].map(() => t.http.post(`/api/v1/applications/${app.id}/recommend`).set(deskA.auth)));
    expect(recs.map((r) => r.status).sort()).toEqual([201, 409]);
    const pl = recs.find((r) => r.status === 201)!.body;
    expect(pl).toMatchObject({ postId: p.id, workerId: app.workerId, status: 'recommended' });
    await t.http.post(`/api/v1/placements/${pl.id}/confirm`).set(deskA.auth).send({ party: 'both' }).expect(200);
    await t.http.post(`/api/v1/placements/${pl.id}/start`).set(deskA.auth).send({}).expect(200);
    await t.http.post(`/api/v1/placements/${pl.id}/complete`).set(deskA.auth)
      .send({ amountPaidFen: 30000, paidBy: '王师傅', paidAt: new Date().toISOString(), method: 'wechat' }).expect(200);
    const after = (await t.http.get(`/api/v1/markets/${a.market.id}/applications`).query({ status: 'all' }).set(deskA.auth).expect(200)).body;
    expect(after.items.find((i: { id: string }) => i.id === app.id)).toMatchObject({ status: 'recommended', placementId: pl.id });
    for (const kind of ['match', 'hire_confirmed', 'hire_started', 'settlement']) expect(await entries(kind)).toHaveLength(1);
    await t.http.post(`/api/v1/applications/${app.id}/decline`).set(deskA.auth).send({ reason: '已推荐' }).expect(409);
  });

  it('simultaneous identical applications make one; a known number gets the same answer; the daily cap and a decline', async () => {
    const [p1, p2, p3, p4] = [await post('a'), await post('a'), await post('a'), await post('a')];
    const mobile = nextPhone();
    const burst = await Promise.all([0, 1, 2, 3, 4].map(() => apply(p1.id, { name: '赵同时', mobile, consent: true })));
    expect(burst.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(burst.map((r) => JSON.stringify(r.body))).size).toBe(1);
    const [{ n: apps }] = await t.owner.query(`SELECT count(*)::int AS n FROM job_applications WHERE post_id = $1`, [p1.id]);
    const [{ n: logged }] = await t.owner.query(`SELECT count(*)::int AS n FROM ledger_entries WHERE kind = 'application' AND payload->>'postId' = $1`, [p1.id]);
    const [{ n: workers }] = await t.owner.query(`SELECT count(*)::int AS n FROM workers WHERE tenant_id = $1 AND name = '赵同时'`, [a.org.id]);
    expect([apps, logged, workers]).toEqual([1, 1, 1]);
    // A known number: the same answer (no oracle), the typed name ignored.
    const known = await apply(p2.id, { name: '别人的名字', mobile, consent: true }).expect(200);
    expect(Object.keys(known.body).sort()).toEqual(Object.keys(burst[0].body).sort());
    const [{ n: renamed }] = await t.owner.query(`SELECT count(*)::int AS n FROM workers WHERE tenant_id = $1 AND name = '别人的名字'`, [a.org.id]);
    expect(renamed).toBe(0);
    // BOARD_APPLICATIONS_PER_DAY=3 in this suite: the third post is the cap, the fourth is refused, nothing written.
    await apply(p3.id, { name: '赵同时', mobile, consent: true }).expect(200);
    await withQueuesPaused(worker, async () => {
      const before = await tableCounts(t);
      const capped = await apply(p4.id, { name: '赵同时', mobile, consent: true }).expect(429);
      expect(capped.body.title).toContain('上限');
      expect(await tableCounts(t)).toEqual(before);
    });
    // The desk declines one, with a reason, once.
    const list = (await t.http.get(`/api/v1/markets/${a.market.id}/applications`).set(deskA.auth).expect(200)).body;
    const app = list.items.find((i: { postId: string }) => i.postId === p2.id);
    await t.http.post(`/api/v1/applications/${app.id}/decline`).set(deskA.auth).send({ reason: '' }).expect(400);
    const declines = await Promise.all([0, 1].map(() => t.http.post(`/api/v1/applications/${app.id}/decline`).set(deskA.auth).send({ reason: '电话联系不上' })));
    expect(declines.map((r) => r.status).sort()).toEqual([200, 409]);
    const [{ n: declined }] = await t.owner.query(`SELECT count(*)::int AS n FROM ledger_entries WHERE kind = 'application' AND payload->>'applicationId' = $1 AND payload->>'reason' = '电话联系不上'`, [app.id]);
    expect(declined).toBe(1);
    await t.http.post(`/api/v1/applications/${app.id}/recommend`).set(deskA.auth).expect(409);
  });

  it('pushes a published post to opted-in workers of its trade and county, at most N a day, until they unsubscribe', async () => {
    const reg = async (name: string, occupations: string[], jobPush: boolean) =>
      (await t.http.post(`/api/v1/markets/${a.market.id}/workers`).set(deskA.auth).send({ name, mobile: nextPhone(), consent: true, occupations, jobPush }).expect(201)).body;
    const yes = await reg('推送甲', ['育婴员'], true);
    const no = await reg('推送乙', ['育婴员'], false);
    const other = await reg('推送丙', ['厨师'], true);
    expect(yes.jobPush).toBe(true);
    const link = (await t.http.get(`/api/v1/workers/${yes.id}/push-link`).set(deskA.auth).expect(200)).body;
    expect(link).toMatchObject({ workerId: yes.id, subscribed: true });
    const token = link.path.replace('/w/', '');
    await t.http.get(`/api/v1/workers/${yes.id}/push-link`).set(deskB.auth).expect(404);
    const deliveries = async (workerId: string) => t.owner.query(
      `SELECT post_id, channel, status FROM job_push_deliveries WHERE worker_id = $1 ORDER BY created_at, channel`, [workerId]) as Promise<{ post_id: string; channel: string; status: string }[]>;
    // Three 育婴员 posts published in 410122 (one from another operator): the cap of 2 a day holds the third back.
    const p1 = await post('a', { occupation: '育婴员', title: '白天照看婴儿' });
    await until(async () => (await deliveries(yes.id)).length >= 2);
    const p2 = await post('b', { occupation: '育婴员', title: '周末育婴' });
    await until(async () => (await deliveries(yes.id)).length >= 4);
    const p3 = await post('a', { occupation: '育婴员', title: '夜间育婴' });
    await until(async () => (await deliveries(yes.id)).length >= 5);
    await new Promise((r) => setTimeout(r, 500));
    expect(await deliveries(yes.id)).toEqual([
      { post_id: p1.id, channel: 'inbox', status: 'delivered' }, { post_id: p1.id, channel: 'sms', status: 'delivered' },
      { post_id: p2.id, channel: 'inbox', status: 'delivered' }, { post_id: p2.id, channel: 'sms', status: 'delivered' },
      { post_id: p3.id, channel: 'inbox', status: 'limited' },
    ]);
    expect(await deliveries(no.id)).toEqual([]);
    expect(await deliveries(other.id)).toEqual([]);
    const sms = await t.owner.query(`SELECT purpose, mobile_masked, body FROM sms_outbox WHERE worker_id = $1 ORDER BY created_at`, [yes.id]);
    expect(sms.map((s: { purpose: string }) => s.purpose)).toEqual(['job_push', 'job_push']);
    expect(sms[0].body).toContain('白天照看婴儿');
    expect(sms[0].body).toContain(`/w/${token}`);
    expect(sms[0].mobile_masked).toBe(yes.mobile);
    // Delivering the same post again (a retried job) sends nothing twice.
    expect(await worker.get(PushService).deliverPost(p1.id)).toEqual({ delivered: 0, limited: 0, sms: 0 });
    // The worker's page shows what was pushed; a forged token is a 404.
    const page = (await t.http.get(`/api/v1/public/push/${token}`).expect(200)).body;
    expect(page).toMatchObject({ subscribed: true, occupations: ['育婴员'], regionCode: '410122' });
    expect(page.items.map((i: { id: string }) => i.id).sort()).toEqual([p1.id, p2.id].sort());
    expect(page.workerName).not.toContain('推送甲');
    await t.http.get(`/api/v1/public/push/${yes.id}.${'a'.repeat(32)}`).expect(404);
    // One click: unsubscribed (twice at once: one audit event); the next post is not pushed.
    const unsub = await Promise.all([0, 1].map(() => t.http.post(`/api/v1/public/push/${token}/unsubscribe`)));
    expect(unsub.map((r) => r.status)).toEqual([200, 200]);
    const [{ n: audited }] = await t.owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'push.unsubscribe' AND subject_id = $1`, [yes.id]);
    expect(audited).toBe(1);
    expect((await t.http.get(`/api/v1/public/push/${token}`).expect(200)).body.subscribed).toBe(false);
    const again = await reg('推送丁', ['育婴员'], true);
    const p4 = await post('a', { occupation: '育婴员', title: '退订之后' });
    await until(async () => (await deliveries(again.id)).length >= 1);
    expect((await deliveries(yes.id)).map((d) => d.post_id)).not.toContain(p4.id);
    await t.http.post(`/api/v1/workers/${yes.id}/push-link/send`).set(deskA.auth).expect(409);
  });

  it('a number registered by an application with the opt-in gets its page link by SMS; a known number cannot be opted in by someone else', async () => {
    const p = await post('a', { occupation: '保洁员', title: '家政保洁' });
    const fresh = nextPhone();
    await apply(p.id, { name: '钱新人', mobile: fresh, consent: true, jobPush: true }).expect(200);
    const [w] = await t.owner.query(`SELECT id, job_push, occupations FROM workers WHERE tenant_id = $1 AND name = '钱新人'`, [a.org.id]);
    expect(w).toMatchObject({ job_push: true, occupations: ['保洁员'] });
    expect((await t.owner.query(`SELECT purpose FROM sms_outbox WHERE worker_id = $1`, [w.id])).map((r: { purpose: string }) => r.purpose)).toEqual(['push_link']);
    const oldMobile = nextPhone();
    const known = (await t.http.post(`/api/v1/markets/${a.market.id}/workers`).set(deskA.auth).send({ name: '孙老户', mobile: oldMobile, consent: true, occupations: ['保洁员'] }).expect(201)).body;
    await apply(p.id, { name: '孙老户', mobile: oldMobile, consent: true, jobPush: true }).expect(200);
    expect((await t.owner.query(`SELECT job_push FROM workers WHERE id = $1`, [known.id]))[0].job_push).toBe(false);
    expect(await t.owner.query(`SELECT 1 FROM sms_outbox WHERE worker_id = $1`, [known.id])).toEqual([]);
  });
});
