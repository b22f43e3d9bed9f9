import { Client } from 'pg';
import { AUDIT_RETENTION_QUEUE } from '@linggong/api-audit';
import { COMPLAINT_TIMERS_QUEUE } from '@linggong/api-complaints';
import { TOOLS_RECONCILE_QUEUE } from '@linggong/api-tools';
import { POSTS_EXPIRE_QUEUE } from '@linggong/api-jobs';
import { ASSISTANCE_TIERS_QUEUE } from '@linggong/api-assistance';
import { SESSION_CLEANUP_QUEUE } from '@linggong/api-identity';
import { LEDGER_CLOSE_QUEUE, LEDGER_VERIFY_QUEUE } from '@linggong/api-ledger';
import { CONTEXTS } from '@linggong/api-schema';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

import { bootApp, demoId, login, type TestApp } from '../support/app';
import { faultEnv } from './support/env';
import { waitFor } from './support/cluster';
import { WorkerProcess } from './support/worker';

const ZHONGMU = demoId('m-zhongmu');
const shanghaiDay = (ms = Date.now()) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const minusDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

/**
 * The worker SIGKILLed in the middle of each kind of job (issue 12 §12). Each job is held inside its
 * database work by a lock the test takes; then Redis is paused for writes and the lock released, so
 * the job's database work commits but BullMQ never hears it finished; then the worker is killed. That
 * is the worst moment: on restart BullMQ finds the job stalled and runs it again, so every job must be
 * idempotent. Afterwards every job has completed, each effect is there exactly once, and running every
 * job once more changes nothing. Jobs enqueued while the worker is down are not lost.
 */
describe('fault: the worker killed in the middle of every kind of job', () => {
  let t: TestApp;
  let su: Client;
  let locker: Client;
  let redis: Redis;
  const queues: Record<string, Queue> = {};
  let worker = new WorkerProcess();

  beforeAll(async () => {
    t = await bootApp();
    su = new Client({ connectionString: `postgres://postgres@127.0.0.1:${faultEnv.pgPort}/linggong_fault` });
    locker = new Client({ connectionString: `postgres://postgres@127.0.0.1:${faultEnv.pgPort}/linggong_fault` });
    await su.connect();
    await locker.connect();
    redis = new Redis(t.config.REDIS_URL);
    for (const q of CONTEXTS.flatMap((c) => c.queues ?? [])) queues[q] = new Queue(q, { connection: { url: t.config.REDIS_URL }, prefix: `${t.config.REDIS_PREFIX}:bull` });
  });
  afterAll(async () => {
    await redis?.call('CLIENT', 'UNPAUSE').catch(() => undefined);
    await worker.kill();
    await Promise.all(Object.values(queues).map((q) => q.close()));
    redis?.disconnect();
    await locker?.end();
    await su?.end();
    await t?.close();
  });

  const q1 = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await su.query(sql, params)).rows[0] as T;
  const n = async (sql: string, params: unknown[] = []) => Number((await su.query(sql, params)).rows[0].n);
  const snapshot = async () => {
    const tables = ['ledger_entries', 'ledger_seals', 'ledger_receipts', 'ledger_alerts', 'audit_events', 'tool_reconciliations', 'complaint_escalations', 'complaint_records'];
    const out: Record<string, number> = {};
    for (const tbl of tables) out[tbl] = await n(`SELECT count(*) AS n FROM ${tbl}`);
    out['expired_posts'] = await n(`SELECT count(*) AS n FROM posts WHERE status = 'expired'`);
    return out;
  };
  const appBusy = () => n(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = 'linggong_fault' AND application_name = 'linggong-app' AND state <> 'idle'`);

  it('completes every job once after a SIGKILL, with no duplicate effect and no lost job', async () => {
    const today = shanghaiDay();
    // ── Fixtures, one per kind of job ──────────────────────────────────────────────────────────
    // Complaint escalation: a complaint past its resolution deadline.
    const handler = await login(t, 'op1.complaints');
    const c = (await t.http.post('/api/v1/complaints').set(handler.auth)
      .send({ marketId: ZHONGMU, channel: 'hotline', category: 'dispute', content: '故障测试：到期未办结的投诉', anonymous: true }).expect(201)).body.complaint;
    const resolveDue = minusDays(today, 2);
    await su.query('UPDATE complaints SET resolve_due = $2 WHERE id = $1', [c.id, resolveDue]);
    // Posts: one published post past its expiry.
    const post = await q1<{ id: string }>(`SELECT id FROM posts WHERE status = 'published' ORDER BY id LIMIT 1`);
    expect(post).toBeDefined();
    await su.query(`UPDATE posts SET expires_at = now() - interval '1 hour' WHERE id = $1`, [post.id]);
    // Hardship tiers: a consented worker whose stored tier is out of date.
    const hw = await q1<{ id: string; tier: number }>(`SELECT w.id, w.hardship_tier AS tier FROM hardship_records h JOIN workers w ON w.id = h.worker_id ORDER BY w.id LIMIT 1`);
    expect(hw).toBeDefined();
    await su.query('UPDATE workers SET hardship_tier = $2 WHERE id = $1', [hw.id, hw.tier === 0 ? 1 : 0]);
    // Ledger verification: one market closed today by its manager, whose receipt is then rewritten.
    const manager = await login(t, 'op1.manager');
    await t.http.post(`/api/v1/markets/${ZHONGMU}/ledger/days/${today}/close`).set(manager.auth).expect(201);
    const receipt = await q1<{ seal_digest: string }>('SELECT seal_digest FROM ledger_receipts WHERE market_id = $1 AND business_day = $2', [ZHONGMU, today]);
    await su.query(`ALTER TABLE ledger_receipts DISABLE TRIGGER USER; UPDATE ledger_receipts SET seal_digest = repeat('0', 64) WHERE market_id = '${ZHONGMU}' AND business_day = '${today}'; ALTER TABLE ledger_receipts ENABLE TRIGGER USER`);
    // Ledger close: every other market with entries today is open.
    const open: string[] = (await su.query(
      `SELECT DISTINCT e.market_id FROM ledger_entries e JOIN ledger_heads h ON h.market_id = e.market_id
       WHERE e.business_day = $1 AND (h.sealed_through IS NULL OR h.sealed_through < $1)`, [today])).rows.map((r) => r.market_id);
    expect(open.length).toBeGreaterThan(1);
    // Tools: markets with deposit activity.
    const toolMarkets: string[] = (await su.query('SELECT market_id FROM tool_loans UNION SELECT market_id FROM tool_deposit_movements')).rows.map((r) => r.market_id);
    expect(toolMarkets.length).toBeGreaterThan(0);
    const reconBefore = await n('SELECT count(*) AS n FROM tool_reconciliations WHERE business_day = $1', [today]);
    const tierEntriesBefore = await n(`SELECT count(*) AS n FROM ledger_entries WHERE kind = 'hardship_tier' AND subject_id = $1`, [hw.id]);

    // ── Hold each job inside its database work (taken before the worker starts: its boot sweep
    // schedules the overdue complaint's escalation itself, under the same job id) ───────────────
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM complaints WHERE id = $1 FOR UPDATE', [c.id]);
    await locker.query('SELECT 1 FROM posts WHERE id = $1 FOR UPDATE', [post.id]);
    await locker.query('SELECT 1 FROM workers WHERE id = $1 FOR UPDATE', [hw.id]);
    await locker.query('SELECT 1 FROM ledger_heads WHERE market_id = $1 FOR UPDATE', [open[open.length - 1]]);
    await locker.query('LOCK TABLE ledger_alerts IN ACCESS EXCLUSIVE MODE');
    await locker.query('LOCK TABLE tool_reconciliations IN SHARE MODE');
    await worker.start();

    const closeAt = new Date(Date.parse(`${today}T03:00:00+08:00`) + 86_400_000).toISOString();
    const jobs: [string, string, string, Record<string, unknown>][] = [
      [LEDGER_CLOSE_QUEUE, 'close-overdue-days', 'fault-close', { now: closeAt }],
      [LEDGER_VERIFY_QUEUE, 'verify-seals', 'fault-verify', { day: today }],
      [TOOLS_RECONCILE_QUEUE, 'reconcile-deposits', 'fault-reconcile', { day: today, nightly: true }],
      [ASSISTANCE_TIERS_QUEUE, 'recompute-tiers', `assistance-tiers-${today}`, { day: today }],
      [POSTS_EXPIRE_QUEUE, 'expire-posts', 'fault-expire', {}],
      [COMPLAINT_TIMERS_QUEUE, 'escalate', `complaint.${c.id}.escalate.${resolveDue}`, { complaintId: c.id, tenantId: c.tenantId, kind: 'escalate', due: resolveDue }],
    ];
    for (const [q, name, jobId, data] of jobs) await queues[q].add(name, data, { jobId, attempts: 3, removeOnComplete: false, removeOnFail: false });
    const states = async () => Promise.all(jobs.map(async ([q, , jobId]) => `${jobId}: ${await queues[q].getJob(jobId).then((j) => j?.getState())}`));
    await waitFor('every job active in the worker', async () => {
      for (const [q, , jobId] of jobs) if ((await queues[q].getJob(jobId).then((j) => j?.getState())) !== 'active') return false;
      return true;
    }, 60).catch(async (e) => { throw new Error(`${e.message}: ${(await states()).join(', ')}`); });
    await waitFor('the jobs waiting on the test\'s locks', async () => (await n(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = 'linggong_fault' AND application_name = 'linggong-app' AND wait_event_type = 'Lock'`)) >= 5, 30);

    // ── Let the database work commit while BullMQ cannot record it, then kill ─────────────────────
    await redis.call('CLIENT', 'PAUSE', '120000', 'WRITE');
    await locker.query('ROLLBACK');
    let quiet = 0;
    await waitFor('the jobs\' database work to finish', async () => (quiet = (await appBusy()) === 0 ? quiet + 1 : 0) >= 4, 60, 500);
    const committed = await snapshot();
    await worker.kill('SIGKILL');
    await redis.call('CLIENT', 'UNPAUSE');
    // BullMQ never heard that any of them finished.
    for (const [q, , jobId] of jobs) expect(await queues[q].getJob(jobId).then((j) => j?.getState())).toBe('active');
    // Jobs enqueued while no worker runs wait for the next one.
    await queues[SESSION_CLEANUP_QUEUE].add('clean-sessions', {}, { jobId: 'fault-sessions' });
    await queues[AUDIT_RETENTION_QUEUE].add('purge-audit-events', { keepDays: 180 }, { jobId: 'fault-retention' });
    jobs.push([SESSION_CLEANUP_QUEUE, 'clean-sessions', 'fault-sessions', {}], [AUDIT_RETENTION_QUEUE, 'purge-audit-events', 'fault-retention', {}]);

    // ── Restart: BullMQ finds the killed jobs stalled and runs them again ─────────────────────────
    worker = new WorkerProcess();
    await worker.start();
    await waitFor('every job completed after the restart', async () => {
      for (const [q, , jobId] of jobs) if ((await queues[q].getJob(jobId).then((j) => j?.getState())) !== 'completed') return false;
      return true;
    }, 150, 1000);
    await waitFor('the worker idle', async () => (quiet = (await appBusy()) === 0 ? quiet + 1 : 0) >= 4, 30, 500);

    // ── Each effect exactly once ──────────────────────────────────────────────────────────────
    for (const m of open) {
      expect(await n('SELECT count(*) AS n FROM ledger_seals WHERE market_id = $1 AND business_day = $2', [m, today])).toBe(1);
      expect(await n(`SELECT count(*) AS n FROM audit_events WHERE action = 'ledger.close_late' AND subject_id = $1`, [m])).toBe(1);
    }
    expect(await n('SELECT count(*) AS n FROM ledger_alerts WHERE market_id = $1 AND business_day = $2', [ZHONGMU, today])).toBe(1);
    expect(await n(`SELECT count(*) AS n FROM audit_events WHERE action = 'ledger.verification_failed' AND subject_id = $1`, [ZHONGMU])).toBe(1);
    expect(await n('SELECT count(*) AS n FROM tool_reconciliations WHERE business_day = $1', [today]) - reconBefore).toBe(toolMarkets.length);
    for (const m of toolMarkets) expect(await n('SELECT count(*) AS n FROM tool_reconciliations WHERE market_id = $1 AND business_day = $2', [m, today])).toBe(1);
    expect(await n(`SELECT count(*) AS n FROM ledger_entries WHERE kind = 'hardship_tier' AND subject_id = $1`, [hw.id]) - tierEntriesBefore).toBe(1);
    expect((await q1<{ t: number }>('SELECT hardship_tier AS t FROM workers WHERE id = $1', [hw.id])).t).toBe(hw.tier);
    expect(await n(`SELECT count(*) AS n FROM ledger_entries WHERE kind = 'post_closed' AND subject_id = $1`, [post.id])).toBe(1);
    expect(await n('SELECT count(*) AS n FROM complaint_escalations WHERE complaint_id = $1', [c.id])).toBe(1);
    // The rerun after the restart added nothing to what had committed before the kill.
    expect(await snapshot()).toEqual(committed);

    // ── And once more, on purpose: every job again changes nothing ───────────────────────────────
    for (const [q, name, jobId, data] of jobs) await queues[q].add(name, data, { jobId: `${jobId}-again`, removeOnComplete: false });
    await waitFor('the second run completed', async () => {
      for (const [q, , jobId] of jobs) if ((await queues[q].getJob(`${jobId}-again`).then((j) => j?.getState())) !== 'completed') return false;
      return true;
    }, 60, 500);
    expect(await snapshot()).toEqual(committed);

    // Put the rewritten receipt back, for the backup drill that follows.
    await su.query(`ALTER TABLE ledger_receipts DISABLE TRIGGER USER; UPDATE ledger_receipts SET seal_digest = '${receipt.seal_digest}' WHERE market_id = '${ZHONGMU}' AND business_day = '${today}'; ALTER TABLE ledger_receipts ENABLE TRIGGER USER`);
  });
});
