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
import { signaturePng } from '../support/tools';
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
  /** Puts back the receipt the drill rewrites, whatever happens: the backup drill that follows verifies every receipt. */
  let restoreReceipt: (() => Promise<unknown>) | null = null;

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
    await restoreReceipt?.();
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
  type SealRow = { market_id: string; part: number; first_seq: string; last_seq: string; count: number; digest: string; late: boolean };
  const sealsOf = async (day: string) => (await su.query(
    'SELECT market_id, part, first_seq, last_seq, count, digest, late FROM ledger_seals WHERE business_day = $1 ORDER BY market_id, part', [day])).rows as SealRow[];
  /** Per market with a seal of `day`: how many of the day's entries lie after its last seal, and where that seal ends. */
  const pendingOf = async (day: string) => new Map(((await su.query(
    `SELECT s.market_id, max(s.last_seq)::bigint AS sealed, max(s.part) AS part,
            (SELECT count(*) FROM ledger_entries e WHERE e.market_id = s.market_id AND e.business_day = $1 AND e.seq > max(s.last_seq))::int AS n
     FROM ledger_seals s WHERE s.business_day = $1 GROUP BY s.market_id`, [day])).rows as { market_id: string; sealed: string; part: number; n: number }[])
    .map((r) => [r.market_id, { sealed: Number(r.sealed), part: Number(r.part), n: r.n }]));
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
    // Tools: deposit activity to reconcile. The test seed records today only up to now, and its first tool
    // loans come after 07:00 Asia/Shanghai: before that the drill lends a tool at Zhongmu itself.
    if (!(await n('SELECT count(*) AS n FROM (SELECT market_id FROM tool_loans UNION SELECT market_id FROM tool_deposit_movements) x'))) {
      const desk = await login(t, 'op1.desk');
      const w = await q1<{ id: string }>('SELECT id FROM workers WHERE market_id = $1 ORDER BY id LIMIT 1', [ZHONGMU]);
      const tool = (await t.http.post(`/api/v1/markets/${ZHONGMU}/tools`).set(manager.auth)
        .send({ code: `FAULT-${Date.now().toString(36)}`, name: '电动冲击钻', category: 'regular', valueFen: 40000, depositFen: 10000, dailyFeeFen: 500 }).expect(201)).body;
      const loan = (await t.http.post(`/api/v1/tools/${tool.id}/loans`).set(desk.auth).send({ workerId: w.id, days: 1 }).expect(201)).body;
      await t.http.post(`/api/v1/tool-loans/${loan.id}/decision`).set(manager.auth).send({ decision: 'approved' }).expect(200);
      await t.http.post(`/api/v1/tool-loans/${loan.id}/lend`).set(desk.auth).send({ signaturePngBase64: signaturePng(1).toString('base64') }).expect(200);
    }
    // With a reason: before the market's closing time a close needs one (issue 17 §1), after it the reason is not kept.
    await t.http.post(`/api/v1/markets/${ZHONGMU}/ledger/days/${today}/close`).set(manager.auth).send({ reason: '故障演练：提前日结' }).expect(201);
    const receipt = await q1<{ seal_digest: string }>('SELECT seal_digest FROM ledger_receipts WHERE market_id = $1 AND business_day = $2 AND part = 0', [ZHONGMU, today]);
    await su.query(`ALTER TABLE ledger_receipts DISABLE TRIGGER USER; UPDATE ledger_receipts SET seal_digest = repeat('0', 64) WHERE market_id = '${ZHONGMU}' AND business_day = '${today}' AND part = 0; ALTER TABLE ledger_receipts ENABLE TRIGGER USER`);
    restoreReceipt = () => su.query(`ALTER TABLE ledger_receipts DISABLE TRIGGER USER; UPDATE ledger_receipts SET seal_digest = '${receipt.seal_digest}' WHERE market_id = '${ZHONGMU}' AND business_day = '${today}' AND part = 0; ALTER TABLE ledger_receipts ENABLE TRIGGER USER`);
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
    // The reference for the rerun: the seals that committed before the kill, and per market the entries of
    // today recorded after its last seal. Those are there because the other jobs (escalation, tier, expiry)
    // waited on the test's row locks and appended their entries a few milliseconds after the close job had
    // sealed their markets. Before issue 17 such entries went to the next business day; now they stay on
    // today, and the close job's rerun (its `now` is tomorrow 03:00) seals them as a supplementary part of
    // today — new work, not the killed run's work twice.
    const sealsBefore = await sealsOf(today);
    const pendingBefore = await pendingOf(today);
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
    // The work log, per part (issue 17 §1): for every market sealed today, its parts are 0, 1, 2 … without a
    // hole; no two parts cover the same entry; the parts' counts add up to the day's entries up to the last
    // seal (every one covered exactly once); the rerun left nothing of today unsealed.
    const sealsAfter = await sealsOf(today);
    const markets = [...new Set(sealsAfter.map((x) => x.market_id))];
    expect(markets).toEqual(expect.arrayContaining([...open, ZHONGMU]));
    for (const m of markets) {
      const parts = sealsAfter.filter((x) => x.market_id === m);
      expect([m, parts.map((x) => x.part)]).toEqual([m, parts.map((_, i) => i)]);
      for (let i = 1; i < parts.length; i++) expect([m, Number(parts[i].first_seq)]).toEqual([m, Number(parts[i - 1].last_seq) + 1]);
      const entries = await n('SELECT count(*) AS n FROM ledger_entries WHERE market_id = $1 AND business_day = $2 AND seq <= $3', [m, today, parts[parts.length - 1].last_seq]);
      expect([m, parts.reduce((a, x) => a + x.count, 0)]).toEqual([m, entries]);
      expect([m, await n('SELECT count(*) AS n FROM ledger_entries WHERE market_id = $1 AND business_day = $2 AND seq > $3', [m, today, parts[parts.length - 1].last_seq])]).toEqual([m, 0]);
      // One close event per seal the close job made (the manager's close of Zhongmu is a plain 'ledger.close').
      expect([m, await n(`SELECT count(*) AS n FROM audit_events WHERE action = 'ledger.close_late' AND subject_id = $1`, [m])]).toEqual([m, parts.filter((x) => x.late).length]);
    }
    // The seals that committed before the kill are there, unchanged (digest and all): the retried close
    // re-sealed nothing. What the rerun added is exactly one supplementary part per market that had entries
    // of today after its last seal at the kill, starting right after that seal and covering exactly them.
    expect(sealsAfter.filter((x) => sealsBefore.some((b) => b.market_id === x.market_id && b.part === x.part))).toEqual(sealsBefore);
    const added = sealsAfter.filter((x) => !sealsBefore.some((b) => b.market_id === x.market_id && b.part === x.part));
    const expectedAdded = [...pendingBefore].filter(([, p]) => p.n > 0)
      .map(([m, p]) => ({ market_id: m, part: p.part + 1, first_seq: String(p.sealed + 1), count: p.n, late: true }));
    expect(added.map(({ market_id, part, first_seq, count, late }) => ({ market_id, part, first_seq, count, late })))
      .toEqual(expect.arrayContaining(expectedAdded));
    expect(added).toHaveLength(expectedAdded.length);
    expect(await n('SELECT count(*) AS n FROM ledger_alerts WHERE market_id = $1 AND business_day = $2', [ZHONGMU, today])).toBe(1);
    expect(await n(`SELECT count(*) AS n FROM audit_events WHERE action = 'ledger.verification_failed' AND subject_id = $1`, [ZHONGMU])).toBe(1);
    expect(await n('SELECT count(*) AS n FROM tool_reconciliations WHERE business_day = $1', [today]) - reconBefore).toBe(toolMarkets.length);
    for (const m of toolMarkets) expect(await n('SELECT count(*) AS n FROM tool_reconciliations WHERE market_id = $1 AND business_day = $2', [m, today])).toBe(1);
    expect(await n(`SELECT count(*) AS n FROM ledger_entries WHERE kind = 'hardship_tier' AND subject_id = $1`, [hw.id]) - tierEntriesBefore).toBe(1);
    expect((await q1<{ t: number }>('SELECT hardship_tier AS t FROM workers WHERE id = $1', [hw.id])).t).toBe(hw.tier);
    expect(await n(`SELECT count(*) AS n FROM ledger_entries WHERE kind = 'post_closed' AND subject_id = $1`, [post.id])).toBe(1);
    expect(await n('SELECT count(*) AS n FROM complaint_escalations WHERE complaint_id = $1', [c.id])).toBe(1);
    // The rerun after the restart added nothing to what had committed before the kill, but those supplementary
    // parts: each one seal, its receipt and its close event; not one entry, escalation, reconciliation more.
    const rerun = await snapshot();
    if (rerun['ledger_alerts'] !== committed['ledger_alerts']) {
      // Seen twice in ~15 runs, not explained yet: one alert (and its audit event) more after the rerun, on another market than
      // 中牟. Say which, so the next failure explains itself.
      console.error('ledger alerts after the rerun:', JSON.stringify((await su.query(
        `SELECT a.market_id, a.business_day, a.code, a.detail, a.first_bad_seq, a.created_at,
           (SELECT json_agg(json_build_object('part', s.part, 'first', s.first_seq, 'last', s.last_seq, 'closed', s.closed_at) ORDER BY s.part) FROM ledger_seals s
             WHERE s.market_id = a.market_id AND s.business_day = a.business_day) AS seals
         FROM ledger_alerts a ORDER BY a.created_at`)).rows, null, 1));
    }
    expect(rerun).toEqual({ ...committed, ledger_seals: committed['ledger_seals'] + added.length,
      ledger_receipts: committed['ledger_receipts'] + added.length, audit_events: committed['audit_events'] + added.length });
    // Totals per day over all parts: the day's entries of every market sealed today, counted once.
    const [totals] = (await su.query(
      `SELECT (SELECT sum(count) FROM ledger_seals WHERE business_day = $1)::int AS sealed,
              (SELECT count(*) FROM ledger_entries e WHERE business_day = $1 AND EXISTS (SELECT 1 FROM ledger_seals s WHERE s.market_id = e.market_id AND s.business_day = $1))::int AS entries`, [today])).rows;
    expect(totals.sealed).toBe(totals.entries);

    // ── And once more, on purpose: every job again changes nothing ───────────────────────────────
    for (const [q, name, jobId, data] of jobs) await queues[q].add(name, data, { jobId: `${jobId}-again`, removeOnComplete: false });
    await waitFor('the second run completed', async () => {
      for (const [q, , jobId] of jobs) if ((await queues[q].getJob(`${jobId}-again`).then((j) => j?.getState())) !== 'completed') return false;
      return true;
    }, 60, 500);
    expect(await snapshot()).toEqual(rerun);
    expect(await sealsOf(today)).toEqual(sealsAfter);

    // Put the rewritten receipt back, for the backup drill that follows (afterAll does it if the drill failed before).
    await restoreReceipt();
    restoreReceipt = null;
  });
});
