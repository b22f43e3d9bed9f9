import { fork } from 'node:child_process';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { Pool } from 'pg';
import { loadConfig, type AppConfig } from '@linggong/api-core';
import { DEFAULT_ALG, GENESIS, entryHash, shanghaiDay, type LedgerEntry } from '@linggong/ledger-chain';
import { createApiApp } from '../../apps/api/src/app/create-app';
import { reset } from '../db/db';
import { DEMO_PASSWORD, demoId } from '../db/demo-seed';
import { SLOT, benchDb, numArg, pct } from './common';

const DB = benchDb('linggong_bench');

/**
 * Benchmark 1 (issue 3): the HTTP append rate of a manual ledger entry through the full stack
 * (session lookup in Redis, CASL, zod, RLS-scoped transaction, head row lock, SM3 chain, audit
 * event, response view) against a bare Fastify + pg route doing the same database work for one
 * append (one transaction: head upsert, SELECT … FOR UPDATE, the same entryHash, INSERT, UPDATE).
 * Both run in this process, one after the other; the load generator is a separate process.
 * Its own database (linggong_bench, reset on every run) and Redis prefix (lgbench).
 */

interface LoadResult { latencies: number[]; statuses: Record<string, number>; errors: number; measuredMs: number }
interface Summary { rps: number; ok: number; failed: number; p50: number; p95: number; p99: number; max: number; mean: number }

const arg = numArg;

function summarise(r: LoadResult): Summary {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  const ok = Object.entries(r.statuses).filter(([s]) => s.startsWith('2')).reduce((n, [, c]) => n + c, 0);
  const failed = r.latencies.length - ok + r.errors;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    rps: round(ok / (r.measuredMs / 1000)), ok, failed,
    p50: round(pct(sorted, 50)), p95: round(pct(sorted, 95)), p99: round(pct(sorted, 99)), max: round(sorted[sorted.length - 1] ?? NaN),
    mean: round(sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1)),
  };
}

function load(job: { url: string; headers: Record<string, string>; connections: number; warmupMs: number; durationMs: number; titlePrefix: string }): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'loadgen.js'), [], { stdio: 'inherit' });
    child.once('message', (m) => resolve(m as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => { if (code) reject(new Error(`load generator exited with ${code}`)); });
    child.send(job);
  });
}

function print(label: string, s: Summary) {
  console.log(`${label.padEnd(6)} ${s.rps.toFixed(1).padStart(8)} req/s   p50 ${s.p50.toFixed(1)} ms   p95 ${s.p95.toFixed(1)} ms   p99 ${s.p99.toFixed(1)} ms   max ${s.max.toFixed(1)} ms   (${s.ok} ok, ${s.failed} failed)`);
}

/** The bare route: the same statements as LedgerService.append, as the owner role, no framework. */
async function bareServer(config: AppConfig, actorUserId: string) {
  const pool = new Pool({ connectionString: config.DATABASE_OWNER_URL, max: config.DATABASE_POOL_SIZE });
  const app = Fastify({ logger: false });
  app.post<{ Params: { id: string }; Body: { kind: string; occurredAt: string; title: string; note: string } }>('/bare/markets/:id/entries', async (req, reply) => {
    const marketId = req.params.id;
    const { kind, occurredAt, ...payload } = req.body;
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(`INSERT INTO ledger_heads (market_id, last_seq, last_hash) SELECT id, 0, $2 FROM markets WHERE id = $1 ON CONFLICT (market_id) DO NOTHING`, [marketId, GENESIS]);
      const { rows: [head] } = await c.query(
        `SELECT h.last_seq, h.last_hash, to_char(h.sealed_through, 'YYYY-MM-DD') AS sealed_through, clock_timestamp() AS now, m.tenant_id, m.region_code
         FROM ledger_heads h JOIN markets m ON m.id = h.market_id WHERE h.market_id = $1 FOR UPDATE OF h`, [marketId]);
      const now = new Date(head.now);
      const entry: Omit<LedgerEntry, 'hash'> = {
        marketId, seq: Number(head.last_seq) + 1, kind, occurredAt: new Date(occurredAt).toISOString(), recordedAt: now.toISOString(),
        businessDay: shanghaiDay(now), actorUserId, subjectType: 'Market', subjectId: marketId, payload: { ...payload, attachments: undefined },
        corrects: null, reason: null, attachments: [], prevHash: head.last_hash, alg: DEFAULT_ALG,
      };
      const hash = entryHash(entry);
      await c.query(
        `INSERT INTO ledger_entries (market_id, seq, id, tenant_id, region_code, kind, occurred_at, recorded_at, business_day,
           actor_user_id, subject_type, subject_id, payload, corrects, reason, attachments, prev_hash, hash, alg, actor_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
        [marketId, entry.seq, randomUUID(), head.tenant_id, head.region_code, kind, entry.occurredAt, entry.recordedAt, entry.businessDay,
          actorUserId, 'Market', marketId, JSON.stringify(entry.payload), null, null, [], entry.prevHash, hash, entry.alg, 'op1.manager']);
      await c.query('UPDATE ledger_heads SET last_seq = $2, last_hash = $3 WHERE market_id = $1', [marketId, entry.seq, hash]);
      await c.query('COMMIT');
      return reply.code(201).send({ seq: entry.seq, hash });
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  });
  return { app, pool };
}

export async function main(args: string[]): Promise<number> {
  const seconds = arg(args, 'seconds', 15);
  const connections = arg(args, 'connections', 16);
  const warmup = arg(args, 'warmup', 3);
  const port = arg(args, 'port', 3990);
  const env = {
    ...process.env,
    NODE_ENV: 'test', // the published dev signing key without the startup warning; nothing else depends on it
    DATABASE_URL: `postgres://linggong_app@127.0.0.1:5432/${DB}`,
    DATABASE_OWNER_URL: `postgres://linggong_owner@127.0.0.1:5432/${DB}`,
    REDIS_URL: process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379/2',
    REDIS_PREFIX: `lgbench${SLOT}`,
    ARGON2_MEMORY_KIB: '4096',
    LOG_LEVEL: 'silent',
    LOGIN_RATE_PER_MINUTE: '10000',
  };
  const config = loadConfig(env);
  const log = console.log;
  console.log = () => undefined;
  try {
    await reset(config);
  } finally {
    console.log = log;
  }
  console.log(`${DB} reset; ${connections} connections, ${warmup} s warm-up + ${seconds} s measured per server, pool ${config.DATABASE_POOL_SIZE}, ${DEFAULT_ALG}`);

  // 1. The full stack.
  const api = await createApiApp(config);
  await api.listen(port, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'op1.manager', password: DEMO_PASSWORD }) });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  const zhongmu = demoId('m-zhongmu');
  const probe = await fetch(`${base}/api/v1/markets/${zhongmu}/ledger/entries`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'manual_note', occurredAt: new Date().toISOString(), title: 'bench probe', note: '' }),
  });
  if (probe.status !== 201) throw new Error(`append probe: ${probe.status} ${await probe.text()}`);
  const full = summarise(await load({
    url: `${base}/api/v1/markets/${zhongmu}/ledger/entries`, headers: { authorization: `Bearer ${token}` },
    connections, warmupMs: warmup * 1000, durationMs: seconds * 1000, titlePrefix: 'full',
  }));
  await api.close();
  print('full', full);

  // 2. The bare route, on another market of the same operator (its own head row).
  const guandu = demoId('m-guandu');
  const bare = await bareServer(config, demoId('user:op1.manager'));
  await bare.app.listen({ port: port + 1, host: '127.0.0.1' });
  const bareResult = summarise(await load({
    url: `http://127.0.0.1:${port + 1}/bare/markets/${guandu}/entries`, headers: {},
    connections, warmupMs: warmup * 1000, durationMs: seconds * 1000, titlePrefix: 'bare',
  }));
  await bare.app.close();
  print('bare', bareResult);

  // Both chains must still verify: the benchmark measured real appends, not errors.
  const check = await bare.pool.query(
    `SELECT market_id, count(*)::int AS n, max(seq)::int AS last FROM ledger_entries WHERE market_id = ANY($1::uuid[]) GROUP BY 1`, [[zhongmu, guandu]]);
  await bare.pool.end();
  const counts = Object.fromEntries(check.rows.map((r: { market_id: string; n: number; last: number }) => [r.market_id === zhongmu ? 'full' : 'bare', { entries: r.n, gapless: r.n === r.last }]));

  const ratio = Math.round((full.rps / bareResult.rps) * 1000) / 1000;
  const pass = ratio >= 0.5 && full.p99 <= 100;
  console.log(`ratio full/bare ${ratio.toFixed(3)} (target ≥ 0.5), full p99 ${full.p99.toFixed(1)} ms (target ≤ 100 ms): ${pass ? 'PASS' : 'FAIL'}`);
  console.log(JSON.stringify({ bench: 'ledger-append', connections, seconds, full, bare: bareResult, ratio, pass, counts }));
  return full.failed || bareResult.failed ? 1 : 0;
}
