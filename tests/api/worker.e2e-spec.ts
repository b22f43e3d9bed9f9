import { createHash } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { QueueEvents, type Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig, QueueName, type AppConfig } from '@linggong/api-core';
import { WorkerModule } from '../../apps/worker/src/app/worker.module';
import { bootApp, demoId, login, type TestApp } from '../support/app';

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

  const runJob = async (name: QueueName, data: object) => {
    const queue = worker.get<Queue>(getQueueToken(name));
    const qe = new QueueEvents(name, { connection: { url: config.REDIS_URL }, prefix: `${config.REDIS_PREFIX}:bull` });
    events.push(qe);
    await qe.waitUntilReady();
    const job = await queue.add('manual', data, { jobId: `${name}-${Date.now()}` });
    return job.waitUntilFinished(qe, 30_000);
  };

  it('registers its daily and hourly schedules', async () => {
    const retention = await worker.get<Queue>(getQueueToken(QueueName.AuditRetention)).getJobSchedulers();
    const cleanup = await worker.get<Queue>(getQueueToken(QueueName.SessionCleanup)).getJobSchedulers();
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
    const result = await runJob(QueueName.AuditRetention, { keepDays: 180 });
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
      const result = await runJob(QueueName.SessionCleanup, {});
      expect(result.removed).toBe(1);
      expect(await redis.scard(index)).toBe(1);
    } finally {
      await api.close();
    }
  });
});
