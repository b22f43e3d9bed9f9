import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The fault suite's own PostgreSQL cluster, Redis and (for the pooler run) pgbouncer, on ports of
 * their own in a temporary directory, so the tests may kill, restart and flush them without touching
 * the shared development services. Ports can be moved with LINGGONG_FAULT_PG_PORT,
 * LINGGONG_FAULT_REDIS_PORT and LINGGONG_FAULT_PGBOUNCER_PORT.
 */
const PG_BIN = process.env['LINGGONG_FAULT_PG_BIN'] ?? '/usr/lib/postgresql/15/bin';
const isRoot = process.getuid?.() === 0;

export interface FaultEnv {
  dir: string;
  pgPort: number;
  redisPort: number;
  bouncerPort: number;
}

export function faultPorts(): Omit<FaultEnv, 'dir'> {
  // A second checkout on the machine (LINGGONG_TEST_SLOT=N, tests/support/slot.ts) gets ports of its own.
  const slot = Number(process.env['LINGGONG_TEST_SLOT'] || 0) * 10;
  const n = (k: string, d: number) => Number(process.env[k] ?? d + slot);
  return { pgPort: n('LINGGONG_FAULT_PG_PORT', 55439), redisPort: n('LINGGONG_FAULT_REDIS_PORT', 56389), bouncerPort: n('LINGGONG_FAULT_PGBOUNCER_PORT', 56439) };
}

/** Runs a command as the `postgres` OS user when we are root (PostgreSQL refuses to run as root). */
function asPostgres(cmd: string, args: string[], opts: { allowFail?: boolean } = {}): string {
  const r = isRoot ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' }) : spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean) => { s.destroy(); resolve(ok); };
    s.setTimeout(1000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false | null>, seconds = 30, everyMs = 250): Promise<T> {
  const until = Date.now() + seconds * 1000;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out after ${seconds} s waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const pgDataDir = (env: FaultEnv) => join(env.dir, 'pg');

export function makeDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'linggong-fault-'));
  chmodSync(dir, 0o755);
  return dir;
}

export async function initPostgres(env: FaultEnv): Promise<void> {
  if (await portOpen(env.pgPort)) throw new Error(`port ${env.pgPort} is taken; set LINGGONG_FAULT_PG_PORT to a free port`);
  const data = pgDataDir(env);
  const sock = join(env.dir, 'sock');
  for (const d of [data, sock]) {
    rmSync(d, { recursive: true, force: true });
    spawnSync('mkdir', ['-p', d]);
    if (isRoot) chownSync(d, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout), Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout));
  }
  asPostgres(`${PG_BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-instructions']);
  // Small and quick: the durability that matters here is a clean or crashed *server* process, not a
  // power cut, so fsync is off (a killed postmaster still replays its WAL from the OS cache).
  writeFileSync(join(data, 'postgresql.auto.conf'), [
    `port = ${env.pgPort}`, `listen_addresses = '127.0.0.1'`, `unix_socket_directories = '${sock}'`, 'fsync = off',
    'full_page_writes = off', 'shared_buffers = 64MB', 'max_connections = 100', `log_min_messages = warning`, '',
  ].join('\n'));
  startPostgres(env);
  await waitFor('the fault suite PostgreSQL', () => portOpen(env.pgPort));
}

export function startPostgres(env: FaultEnv): void {
  if (postgresRunning(env)) return;
  asPostgres(`${PG_BIN}/pg_ctl`, ['-D', pgDataDir(env), '-l', join(env.dir, 'sock', 'pg.log'), '-w', '-t', '60', 'start']);
}

export function postgresRunning(env: FaultEnv): boolean {
  const r = isRoot ? spawnSync('runuser', ['-u', 'postgres', '--', `${PG_BIN}/pg_ctl`, '-D', pgDataDir(env), 'status']) : spawnSync(`${PG_BIN}/pg_ctl`, ['-D', pgDataDir(env), 'status']);
  return r.status === 0;
}

/** Stops the cluster: `fast` disconnects every client and shuts down cleanly; `immediate` is a crash. */
export function stopPostgres(env: FaultEnv, mode: 'fast' | 'immediate' = 'fast'): void {
  if (existsSync(join(pgDataDir(env), 'postmaster.pid'))) asPostgres(`${PG_BIN}/pg_ctl`, ['-D', pgDataDir(env), '-m', mode, '-w', '-t', '60', 'stop'], { allowFail: true });
}

let redis: ChildProcess | undefined;
export async function startRedis(env: FaultEnv): Promise<void> {
  if (await portOpen(env.redisPort)) throw new Error(`port ${env.redisPort} is taken; set LINGGONG_FAULT_REDIS_PORT to a free port`);
  redis = spawn('redis-server', ['--port', String(env.redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', env.dir], { stdio: 'ignore', detached: false });
  writeFileSync(join(env.dir, 'redis.pid'), String(redis.pid));
  await waitFor('the fault suite Redis', () => portOpen(env.redisPort));
}

export function stopRedis(env: FaultEnv): void {
  const pidFile = join(env.dir, 'redis.pid');
  const pid = redis?.pid ?? (existsSync(pidFile) ? Number(spawnSync('cat', [pidFile], { encoding: 'utf8' }).stdout) : undefined);
  if (pid) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  redis = undefined;
}

let bouncer: ChildProcess | undefined;
/** pgbouncer in transaction mode in front of the private cluster (Debian's package). */
export async function startBouncer(env: FaultEnv, dbs: string[], poolSizes: Record<string, number> = {}): Promise<void> {
  if (bouncer) return;
  const bin = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => existsSync(p));
  if (!bin) throw new Error('pgbouncer is not installed: apt-get install -y pgbouncer');
  if (await portOpen(env.bouncerPort)) throw new Error(`port ${env.bouncerPort} is taken; set LINGGONG_FAULT_PGBOUNCER_PORT to a free port`);
  const ini = join(env.dir, 'pgbouncer.ini');
  writeFileSync(ini, [
    '[databases]',
    ...dbs.map((db) => `${db} = host=127.0.0.1 port=${env.pgPort} dbname=${db}${poolSizes[db] ? ` pool_size=${poolSizes[db]}` : ''}`),
    // Any other database by its own name (suites that create one of their own, e.g. the demo-seed spec's).
    `* = host=127.0.0.1 port=${env.pgPort}`,
    '[pgbouncer]',
    `listen_addr = 127.0.0.1`, `listen_port = ${env.bouncerPort}`, `unix_socket_dir = `,
    'auth_type = trust', `auth_file = ${join(env.dir, 'userlist.txt')}`,
    'pool_mode = transaction', 'default_pool_size = 10', 'max_client_conn = 200',
    'ignore_startup_parameters = extra_float_digits,options', 'admin_users = postgres', 'stats_users = postgres',
    `logfile = ${join(env.dir, 'sock', 'pgbouncer.log')}`, '',
  ].join('\n'));
  writeFileSync(join(env.dir, 'userlist.txt'), '"linggong_app" ""\n"linggong_owner" ""\n"postgres" ""\n');
  for (const f of [ini, join(env.dir, 'userlist.txt')]) chmodSync(f, 0o644);
  const args = [bin, ini];
  bouncer = isRoot ? spawn('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'ignore' }) : spawn(bin, [ini], { stdio: 'ignore' });
  writeFileSync(join(env.dir, 'pgbouncer.pid'), String(bouncer.pid));
  await waitFor('pgbouncer', () => portOpen(env.bouncerPort));
}

export function stopBouncer(env: FaultEnv): void {
  const pidFile = join(env.dir, 'pgbouncer.pid');
  const pid = bouncer?.pid ?? (existsSync(pidFile) ? Number(spawnSync('cat', [pidFile], { encoding: 'utf8' }).stdout) : undefined);
  if (pid) {
    // runuser forwards the signal to pgbouncer.
    try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
  }
  bouncer = undefined;
}

/** The environment the suite's API, worker and tools see: every URL on the private services. */
export function faultUrls(env: Pick<FaultEnv, 'pgPort' | 'redisPort'>, db = 'linggong_fault'): Record<string, string> {
  return {
    DATABASE_URL: `postgres://linggong_app@127.0.0.1:${env.pgPort}/${db}`,
    DATABASE_OWNER_URL: `postgres://linggong_owner@127.0.0.1:${env.pgPort}/${db}`,
    DATABASE_ADMIN_URL: `postgres://postgres@127.0.0.1:${env.pgPort}/postgres`,
    REDIS_URL: `redis://127.0.0.1:${env.redisPort}/0`,
    REDIS_PREFIX: 'lgfault',
  };
}
