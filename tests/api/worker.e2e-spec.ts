import { createHash } from 'node:crypto';
import { SESSION_CLEANUP_QUEUE } from '@linggong/api-identity';
import { AUDIT_RETENTION_QUEUE } from '@linggong/api-audit';
import { ANALYTICS_ROLLUP_QUEUE } from '@linggong/api-analytics';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { QueueEvents, type Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig, type AppConfig } from '@linggong/api-core';
import { WorkerModule } from '../../apps/worker/src/app/worker.module';
import { bootApp, registerAssigned, demoId, login, type TestApp } from '../support/app';

/** The worker's jobs run for real on BullMQ and Redis (issue 2 §1): audit retention and session cleanup. */
describe('worker jobs', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let config: AppConfig;
  let redis: Redis;
  const events: QueueEvents[] = [];

  beforeAll(async () => {
    t = await bootApp();
    config = loadConfig({ ...process.env, REDIS_PREFIX: `wk${Date.now().toString(36)}` });
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
    await worker.init();
    redis = new Redis(config.REDIS_URL);
  });
  afterAll(async () => {
    for (const e of events) await e.close();
    await redis.quit();
    await worker.close();
    await t.close();
  });

  const runJob = async (name: string, data: object) => {
    const queue = worker.get<Queue>(getQueueToken(name));
    const qe = new QueueEvents(name, { connection: { url: config.REDIS_URL }, prefix: `${config.REDIS_PREFIX}:bull` });
    events.push(qe);
    await qe.waitUntilReady();
    const job = await queue.add('manual', data, { jobId: `${name}-${Date.now()}` });
    return job.waitUntilFinished(qe, 30_000);
  };

  it('registers its daily and hourly schedules', async () => {
    const retention = await worker.get<Queue>(getQueueToken(AUDIT_RETENTION_QUEUE)).getJobSchedulers();
    const cleanup = await worker.get<Queue>(getQueueToken(SESSION_CLEANUP_QUEUE)).getJobSchedulers();
    expect(retention.map((s) => [s.key, s.pattern, s.tz])).toEqual([['audit-retention-daily', '30 3 * * *', 'Asia/Shanghai']]);
    expect(cleanup.map((s) => s.key)).toEqual(['session-cleanup-hourly']);
  });

  it('purges audit events older than the retention period and keeps younger ones', async () => {
    await t.owner.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`);
    const old = demoId(`worker-old-${Date.now()}`);
    const young = demoId(`worker-young-${Date.now()}`);
    try {
      await t.owner.query(`INSERT INTO audit_events (id, occurred_at, action) VALUES ($1, now() - interval '181 days', 'test.old'), ($2, now() - interval '179 days', 'test.young')`, [old, young]);
    } finally {
      await t.owner.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`);
    }
    const result = await runJob(AUDIT_RETENTION_QUEUE, { keepDays: 180 });
    expect(result.deleted).toBeGreaterThanOrEqual(1);
    const left = (await t.owner.query(`SELECT id FROM audit_events WHERE id = ANY($1)`, [[old, young]])).map((r: { id: string }) => r.id);
    expect(left).toEqual([young]);
  });

  it('drops expired sessions from each user\'s session index', async () => {
    // Sessions made through the API under the worker's Redis prefix.
    const api = await bootApp({ REDIS_PREFIX: config.REDIS_PREFIX });
    try {
      const a = await login(api, 'op2.desk');
      await login(api, 'op2.desk');
        await redis.del(`${config.REDIS_PREFIX}:sess:${createHash('sha256').update(a.token).digest('hex')}`);
      const index = `${config.REDIS_PREFIX}:user-sess:${a.user.id}`;
      expect(await redis.scard(index)).toBe(2);
      const result = await runJob(SESSION_CLEANUP_QUEUE, {});
      expect(result.removed).toBe(1);
      expect(await redis.scard(index)).toBe(1);
    } finally {
      await api.close();
    }
  });

  it('rolls up a sealed day on the analytics queue, and schedules the nightly catch-up (issue 13)', async () => {
    const schedulers = await worker.get<Queue>(getQueueToken(ANALYTICS_ROLLUP_QUEUE)).getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.pattern, s.tz])).toEqual([['analytics-catch-up-nightly', '30 4 * * *', 'Asia/Shanghai']]);
    // A sealed day of a fresh market: close it, forget its rollup, and let the worker's job roll it up.
    const admin = await login(t, 'admin');
    const f = await t.http.post('/api/v1/organisations').set(admin.auth).send({ kind: 'operator', name: `测试运营机构wk${Date.now().toString(36)}`, regionCode: '410122' }).expect(201);
    const m = { body: await registerAssigned(t, admin, {
      name: `中牟县零工市场（测试wk${Date.now() % 100000}）`, type: 'comprehensive', nature: 'public', mode: 'contracted', regionCode: '410122', operatorId: f.body.id, status: 'open',
    }) };
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    await t.http.post(`/api/v1/markets/${m.body.id}/ledger/entries`).set(admin.auth).send({ kind: 'manual_patrol', occurredAt: new Date().toISOString(), title: '巡查' }).expect(201);
    await t.http.post(`/api/v1/markets/${m.body.id}/ledger/days/${today}/close`).set(admin.auth).send({ reason: '测试：提前日结' }).expect(201);
    await t.owner.query('DELETE FROM analytics_days WHERE market_id = $1', [m.body.id]);
    expect(await runJob(ANALYTICS_ROLLUP_QUEUE, { marketId: m.body.id, day: today })).toEqual({ rolled: true });
    const [row] = await t.owner.query(`SELECT entries, late FROM analytics_days WHERE market_id = $1 AND business_day = $2`, [m.body.id, today]);
    expect(row).toEqual({ entries: 1, late: false });
    // The catch-up finds nothing left to do for it.
    const r = await runJob(ANALYTICS_ROLLUP_QUEUE, { catchUp: true, days: 2 });
    expect(r).toEqual({ days: expect.any(Number), rolled: expect.any(Number) });
    expect((await t.owner.query('SELECT count(*)::int AS n FROM analytics_days WHERE market_id = $1', [m.body.id]))[0].n).toBe(1);
  });
});
