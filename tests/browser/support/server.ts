import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { BASE_URL, BROWSER_ENV, PID_FILE, TEMPLATE_DB } from './env';

const root = join(__dirname, '../../..');
const ADMIN_URL = process.env['DATABASE_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const withDb = (url: string, db: string) => url.replace(/\/[^/?]*(\?|$)/, `/${db}$1`);

/** The full demo (90 sealed days, rolled up) into the database of env's DATABASE_URL, with the built db CLI. */
function resetDemo(env: NodeJS.ProcessEnv): void {
  // Two checkouts resetting at once update the same roles (bootstrap's ALTER ROLE), which PostgreSQL can refuse with
  // "tuple concurrently updated"; the reset starts over by dropping the database, so it is tried again.
  for (let attempt = 1; ; attempt++) {
    const reset = spawnSync('node', ['dist/tools/db/main.js', 'reset'], { cwd: root, env, stdio: 'pipe' });
    if (reset.status === 0) return;
    if (attempt < 3 && /concurrently updated|duplicate key/.test(String(reset.stderr))) continue;
    throw new Error(`db reset failed: ${reset.stderr}`);
  }
}

/**
 * This shard's demo database. Alone (a single spec, `npm run test:browser` before sharding): a reset. Under `npm test`
 * (LINGGONG_BROWSER_RUN, one value per run): the first shard here resets one template database for the run and each
 * shard copies it (CREATE DATABASE … TEMPLATE: seconds, where a reset of the full demo takes minutes of CPU).
 */
async function freshDatabase(env: NodeJS.ProcessEnv): Promise<void> {
  const run = process.env['LINGGONG_BROWSER_RUN'];
  if (!run) return resetDemo(env);
  const mine = new URL(BROWSER_ENV['DATABASE_URL']).pathname.slice(1);
  const owner = decodeURIComponent(new URL(BROWSER_ENV['DATABASE_OWNER_URL']).username);
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    // The other shard waits here until the template is ready (the lock goes with this connection).
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [TEMPLATE_DB]);
    const stamp = await admin.query<{ d: string | null }>("SELECT shobj_description(oid, 'pg_database') AS d FROM pg_database WHERE datname = $1", [TEMPLATE_DB]);
    if (stamp.rows[0]?.d !== run) {
      resetDemo({ ...env, DATABASE_URL: withDb(env['DATABASE_URL'] ?? '', TEMPLATE_DB), DATABASE_OWNER_URL: withDb(env['DATABASE_OWNER_URL'] ?? '', TEMPLATE_DB) });
      await admin.query(`COMMENT ON DATABASE ${ident(TEMPLATE_DB)} IS '${run.replace(/'/g, "''")}'`);
    }
    await admin.query(`DROP DATABASE IF EXISTS ${ident(mine)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${ident(mine)} TEMPLATE ${ident(TEMPLATE_DB)} OWNER ${ident(owner)}`);
  } finally {
    await admin.end();
  }
}

/** Reset the browser database (see freshDatabase), then start the built API serving the console. */
export default async function setup(): Promise<void> {
  for (const f of ['dist/apps/api/main.js', 'dist/tools/db/main.js', 'dist/apps/console/browser/index.html']) {
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing: build first (npm test does)`);
  }
  const env = { ...process.env, ...BROWSER_ENV, CONSOLE_DIR: join(root, 'dist/apps/console/browser') };
  await freshDatabase(env);
  // This shard's keys in the slot's browser Redis db (LINGGONG_TEST_SLOT), never another checkout's or shard's: the
  // app puts REDIS_PREFIX in front of every key it writes (sessions, rate limits, BullMQ).
  const db = new URL(BROWSER_ENV['REDIS_URL']).pathname.slice(1);
  const clear = spawnSync('redis-cli', ['-n', db, 'EVAL', "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end", '0', `${BROWSER_ENV['REDIS_PREFIX']}:*`], { encoding: 'utf8' });
  if (clear.status !== 0 || /ERR/.test(clear.stdout)) throw new Error(`clearing the Redis keys failed: ${clear.stdout}${clear.stderr}`);
  const server = spawn('node', ['dist/apps/api/main.js'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  writeFileSync(PID_FILE, String(server.pid));
  for (let i = 0; i < 60; i++) {
    try {
      if ((await fetch(`${BASE_URL}/api/ready`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the API did not become ready at ${BASE_URL}`);
}
