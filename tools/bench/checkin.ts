import { fork } from 'node:child_process';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '@linggong/api-core';
import { createApiApp } from '../../apps/api/src/app/create-app';
import { reset } from '../db/db';
import { DEMO_PASSWORD, demoId } from '../db/demo-seed';
import { SLOT, benchDb, pct, r1, strArg } from './common';

/**
 * Benchmark `checkin` (issue 4): check-in throughput over HTTP. The real API in-process
 * (createApiApp, listen on 127.0.0.1:3992), signed in as the desk of 中牟县零工市场 (op1.desk);
 * `POST /api/v1/markets/{market}/check-ins { workerId }` for workers never checked in today — the
 * session lookup in Redis, CASL, zod, the RLS-scoped transaction, the per-market advisory lock that
 * hands out queue numbers, the insert, the worker's last-seen date, the work-log append (head row
 * lock, SM3 chain) and the queue-entry view — at 1, 8 and 32 concurrent senders (closed loop, a
 * separate process with undici, one keep-alive connection each). Its own database
 * (linggong_bench_checkin, reset on every run) and Redis key prefix (lgbench-checkin).
 */

interface LoadResult { latencies: number[]; statuses: Record<string, number>; errors: number; unexpected: number; measuredMs: number; sent: number; exhausted: boolean }

const arg = strArg;

function load(job: Record<string, unknown>): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'pool-loadgen.js'), [], { stdio: 'inherit' });
    child.once('message', (m) => resolve(m as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => { if (code) reject(new Error(`load generator exited with ${code}`)); });
    child.send(job);
  });
}

export async function main(args: string[]): Promise<number> {
  const seconds = Number(arg(args, 'seconds', '10'));
  const warmup = Number(arg(args, 'warmup', '2'));
  const levels = arg(args, 'concurrency', '1,8,32').split(',').map(Number);
  const markets = Number(arg(args, 'markets', '1'));
  const port = Number(arg(args, 'port', '3992'));
  const perLevel = Number(arg(args, 'workers', '15000'));
  const db = benchDb('linggong_bench_checkin');
  const config = loadConfig({
    ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', ARGON2_MEMORY_KIB: '4096', LOGIN_RATE_PER_MINUTE: '10000',
    DATABASE_URL: `postgres://linggong_app@127.0.0.1:5432/${db}`, DATABASE_OWNER_URL: `postgres://linggong_owner@127.0.0.1:5432/${db}`,
    REDIS_URL: process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379/2', REDIS_PREFIX: `lgbench-checkin${SLOT}`,
  });
  const log = console.log;
  console.log = () => undefined;
  try {
    await reset(config, { activity: 'none' });
  } finally {
    console.log = log;
  }
  // One market (the desk of 中牟县零工市场), or spread over op1's markets (its admin) to show markets check in in parallel.
  const marketKeys = ['m-zhongmu', 'm-guandu', 'm-xinzheng'].slice(0, Math.max(1, Math.min(3, markets)));
  const marketIds = marketKeys.map(demoId);
  const username = marketKeys.length > 1 ? 'op1.admin' : 'op1.desk';

  // Registered workers, never checked in today: one per request (a second check-in the same day is an idempotent read).
  const owner = new DataSource({ type: 'postgres', url: config.DATABASE_OWNER_URL, installExtensions: false, extra: { max: 2 } });
  await owner.initialize();
  const total = perLevel * levels.length;
  await owner.query(`
    INSERT INTO workers (id, tenant_id, market_id, region_code, name, mobile_enc, mobile_masked, mobile_bidx, occupations, consent_at, source)
    SELECT gen_random_uuid(), $1, $2, '410122', '基准零工' || i, 'v1:' || substr(encode(sha256(('m' || i)::bytea) || sha256(('n' || i)::bytea), 'base64'), 1, 52),
      '150****' || lpad((i % 10000)::text, 4, '0'), encode(sha256(('mobile:' || i)::bytea), 'hex'), ARRAY['装卸搬运工'], now(), 'import'
    FROM generate_series(1, $3::int) i`, [demoId('op1'), marketIds[0], total]);
  const ids: string[] = (await owner.query('SELECT id FROM workers WHERE tenant_id = $1 ORDER BY id', [demoId('op1')])).map((r: { id: string }) => r.id);

  const api = await createApiApp(config);
  await api.listen(port, '127.0.0.1');
  const origin = `http://127.0.0.1:${port}`;
  const res = await fetch(`${origin}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  console.log(`${db} reset; ${ids.length.toLocaleString('en')} workers; ${username} checks them in at ${marketKeys.join(', ')}; ${warmup} s warm-up + ${seconds} s per level, pool ${config.DATABASE_POOL_SIZE}`);
  console.log('concurrency      req/s    p50 ms    p95 ms    p99 ms    max ms   ok / failed');

  const results: Record<string, unknown>[] = [];
  let failed = 0;
  for (const [li, c] of levels.entries()) {
    const slice = ids.slice(li * perLevel, (li + 1) * perLevel);
    // With several markets the senders are shared out among them, each market with its own workers.
    const k = marketIds.length;
    const jobs = marketIds.map((m, mi) => ({
      origin, path: `/api/v1/markets/${m}/check-ins`, headers: { authorization: `Bearer ${token}` },
      bodies: slice.filter((_, i) => i % k === mi).map((workerId) => JSON.stringify({ workerId })),
      concurrency: Math.floor(c / k) + (mi < c % k ? 1 : 0), warmupMs: warmup * 1000, durationMs: seconds * 1000, expect: '"created":true',
    })).filter((j) => j.concurrency > 0);
    const parts = await Promise.all(jobs.map(load));
    const lat = parts.flatMap((p) => p.latencies).sort((a, b) => a - b);
    const ok = parts.reduce((n, p) => n + Object.entries(p.statuses).filter(([s]) => s.startsWith('2')).reduce((m, [, k]) => m + k, 0), 0);
    const bad = lat.length - ok + parts.reduce((n, p) => n + p.errors + p.unexpected, 0);
    failed += bad;
    const summary = { concurrency: c, rps: r1(ok / seconds), p50: r1(pct(lat, 50)), p95: r1(pct(lat, 95)), p99: r1(pct(lat, 99)), max: r1(lat[lat.length - 1] ?? NaN), ok, failed: bad,
      exhausted: parts.some((p) => p.exhausted) };
    results.push(summary);
    console.log(`${String(c).padStart(11)} ${summary.rps.toFixed(1).padStart(10)} ${summary.p50.toFixed(1).padStart(9)} ${summary.p95.toFixed(1).padStart(9)} ${summary.p99.toFixed(1).padStart(9)} ${summary.max.toFixed(1).padStart(9)}   ${ok} / ${bad}${summary.exhausted ? '  (ran out of workers: raise --workers)' : ''}`);
  }
  await api.close();

  // The check-ins are real: one per worker, queue numbers 1…n per market, and each market's work log verifies.
  const checks: Record<string, unknown>[] = [];
  for (const m of marketIds) {
    const [q] = await owner.query(`SELECT count(*)::int AS n, max(queue_number)::int AS last, count(DISTINCT worker_id)::int AS workers FROM check_ins WHERE market_id = $1`, [m]);
    const [l] = await owner.query(`SELECT count(*)::int AS n, max(seq)::int AS last FROM ledger_entries WHERE market_id = $1 AND kind = 'check_in'`, [m]);
    const [chain] = await owner.query(`SELECT count(*)::int AS n, max(seq)::int AS last FROM ledger_entries WHERE market_id = $1`, [m]);
    checks.push({ market: m, checkIns: q.n, gaplessQueue: q.n === q.last && q.n === q.workers, logEntries: l.n, gaplessChain: chain.n === chain.last });
  }
  await owner.destroy();
  const consistent = checks.every((c) => c['gaplessQueue'] && c['gaplessChain'] && c['checkIns'] === c['logEntries']);
  console.log(`queue numbers and work log: ${consistent ? 'gapless, one entry per check-in' : `PROBLEM ${JSON.stringify(checks)}`}`);
  console.log(JSON.stringify({ bench: 'checkin', seconds, markets: marketKeys, results, checks }));
  return failed || !consistent ? 1 : 0;
}
