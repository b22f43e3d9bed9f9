import { Queue } from 'bullmq';
import { COMPLAINT_TIMERS_QUEUE } from '@linggong/api-complaints';
import { Redis } from 'ioredis';

import { bootApp, demoId, login, type TestApp } from '../support/app';
import { waitFor } from './support/cluster';
import { WorkerProcess } from './support/worker';
import { SCHEDULER_IDS } from '../../apps/worker/src/app/worker.module';

/**
 * Redis loses its data (FLUSHALL) while the API and the worker keep running (issue 12 §12): the
 * worker's watchdog puts every job scheduler back and rebuilds the complaint timers from PostgreSQL
 * by itself, a timer rebuilt that way still acts, and a signed-in user gets a clear "signed out" 401.
 */
describe('fault: Redis loses its data under a running API and worker', () => {
  let t: TestApp;
  let redis: Redis;
  const worker = new WorkerProcess({ WORKER_WATCHDOG_SECONDS: '3' });
  const queues: Record<string, Queue> = {};
  beforeAll(async () => {
    t = await bootApp();
    redis = new Redis(t.config.REDIS_URL);
    for (const q of Object.keys(SCHEDULER_IDS)) queues[q] = new Queue(q, { connection: { url: t.config.REDIS_URL }, prefix: `${t.config.REDIS_PREFIX}:bull` });
    await worker.start();
  });
  afterAll(async () => {
    await worker.kill();
    await Promise.all(Object.values(queues).map((q) => q.close()));
    redis?.disconnect();
    await t?.close();
  });

  const schedulers = async () => {
    const present: string[] = [];
    for (const [q, id] of Object.entries(SCHEDULER_IDS)) if (await queues[q].getJobScheduler(id)) present.push(id);
    return present.sort();
  };
  const timersOf = async (complaintId: string) =>
    (await queues[COMPLAINT_TIMERS_QUEUE].getJobs(['delayed', 'waiting', 'active', 'completed'])).map((j) => String(j.id)).filter((id) => id.startsWith(`complaint.${complaintId}.`)).sort();

  it('puts the schedules and complaint timers back by itself, and signs users out cleanly', async () => {
    const all = Object.values(SCHEDULER_IDS).sort();
    await waitFor('the worker to register its schedulers', async () => (await schedulers()).length === all.length, 30);
    const handler = await login(t, 'op1.complaints');
    const created = await t.http.post('/api/v1/complaints').set(handler.auth)
      .send({ marketId: demoId('m-zhongmu'), channel: 'hotline', category: 'dispute', content: '故障测试：工钱纠纷，需要协调', anonymous: true }).expect(201);
    const id = created.body.complaint.id as string;
    const before = await waitFor('the complaint timers', async () => { const ids = await timersOf(id); return ids.length ? ids : undefined; }, 15);
    expect(before.some((x) => x.includes('.ack.'))).toBe(true);

    // While Redis still holds the old timer, the acknowledgement deadline moves into the past (as if
    // the day had passed); the old timer is for the old due day, so only a rebuilt one acts on it.
    await t.owner.query(`UPDATE complaints SET ack_due = (now() AT TIME ZONE 'Asia/Shanghai')::date - 2 WHERE id = $1`, [id]);

    await redis.flushall();
    expect(await schedulers()).toEqual([]);
    expect(await timersOf(id)).toEqual([]);

    // A signed-in user is told they were signed out, in their language, and can sign in again.
    const me = await t.http.get('/api/v1/auth/me').set(handler.auth).set('Accept-Language', 'en');
    expect(me.status).toBe(401);
    expect(me.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(me.body.title).toBe('You have been signed out (your session is no longer valid); please sign in again');
    const zh = await t.http.get('/api/v1/auth/me').set(handler.auth);
    expect(zh.body.title).toBe('您已退出登录（会话已失效），请重新登录');
    const again = await login(t, 'op1.complaints');
    await t.http.get(`/api/v1/complaints/${id}`).set(again.auth).expect(200);

    // Back by themselves (the watchdog runs every 3 s here, every 60 s by default).
    const started = Date.now();
    await waitFor('every job scheduler back in Redis', async () => (await schedulers()).length === all.length, 60);
    await waitFor('the complaint timers rebuilt', async () => (await timersOf(id)).some((x) => x.includes('.ack.')), 60);
    // The rebuilt acknowledgement timer fires and the complaint is marked overdue, once.
    await waitFor('the overdue acknowledgement recorded', async () =>
      (await t.owner.query('SELECT ack_overdue_at FROM complaints WHERE id = $1', [id]))[0].ack_overdue_at, 60);
    expect(Date.now() - started).toBeLessThan(120_000);
    await new Promise((r) => setTimeout(r, 4000));
    const steps = await t.owner.query(`SELECT count(*)::int AS n FROM ledger_entries WHERE subject_id = $1 AND payload->>'step' = 'ack_overdue'`, [id]);
    expect(worker.output).toMatch(/job schedulers missing from Redis/);
    expect(steps[0].n).toBe(1);
  });
});
