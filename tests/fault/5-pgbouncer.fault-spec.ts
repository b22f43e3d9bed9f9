import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { faultEnv } from './support/env';
import { startBouncer, stopBouncer } from './support/cluster';

const ROOT = join(__dirname, '../..');
const DB = 'linggong_fault_api';
/** The whole API suite runs behind the pooler (issue 12 §12: "the same API suite once through pgbouncer"). */
const SPECS = ['tests/api'];

/**
 * The API suite once through pgbouncer in transaction mode (issue 12 §12): many clients share few
 * server connections, and a server connection moves between clients at every commit. The per-request
 * scope is `set_config(..., true)` inside the request's one transaction, so it must never leak into
 * the next client's transaction on the same server connection. Only configuration changes: the app's
 * DATABASE_URL points at pgbouncer (tests/support/env.ts lets an outside value win).
 */
describe('fault: the API behind pgbouncer in transaction mode', () => {
  beforeAll(async () => {
    // One server connection for the first test's database, so its clients must take turns on it.
    await startBouncer(faultEnv, ['linggong_fault', DB], { linggong_fault: 1 });
  });
  afterAll(() => stopBouncer(faultEnv));

  const viaBouncer = (db: string, user = 'linggong_app') => new Client({ connectionString: `postgres://${user}@127.0.0.1:${faultEnv.bouncerPort}/${db}` });

  it('a transaction-local setting does not follow the server connection to the next client', async () => {
    const clients = [viaBouncer('linggong_fault'), viaBouncer('linggong_fault'), viaBouncer('linggong_fault')];
    await Promise.all(clients.map((c) => c.connect()));
    try {
      const seen = new Set<string>();
      for (let round = 0; round < 20; round++) {
        const [a, b, c] = clients;
        await a.query('BEGIN');
        await a.query(`SELECT set_config('app.tenant_id', $1, true)`, [`tenant-${round}`]);
        const [{ pid }] = (await a.query('SELECT pg_backend_pid() AS pid')).rows;
        await a.query('COMMIT');
        // Outside any transaction, and in the next client's transaction on whatever server connection: nothing.
        for (const x of [a, b, c]) {
          const r = (await x.query(`SELECT pg_backend_pid() AS pid, coalesce(current_setting('app.tenant_id', true), '') AS t`)).rows[0];
          seen.add(`${r.pid}`);
          expect(r.t).toBe('');
        }
        seen.add(String(pid));
      }
      // Pooling really happened: the three clients were served by one server connection.
      expect(seen.size).toBe(1);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it(`runs ${SPECS.join(' and ')} with the app connecting through pgbouncer`, () => {
    const env = {
      ...process.env,
      LINGGONG_TEST_SLOT: '',
      DATABASE_URL: `postgres://linggong_app@127.0.0.1:${faultEnv.bouncerPort}/${DB}`,
      DATABASE_OWNER_URL: `postgres://linggong_owner@127.0.0.1:${faultEnv.pgPort}/${DB}`,
      DATABASE_ADMIN_URL: `postgres://postgres@127.0.0.1:${faultEnv.pgPort}/postgres`,
      REDIS_URL: `redis://127.0.0.1:${faultEnv.redisPort}/1`,
      REDIS_PREFIX: 'lgpool',
    };
    delete (env as Record<string, string | undefined>)['LINGGONG_TEST_SLOT'];
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/jest/bin/jest.js'), '-c', 'tests/jest.config.cts', '--ci', '-i', ...SPECS], { cwd: ROOT, env, encoding: 'utf8' });
    const out = `${r.stdout}\n${r.stderr}`;
    if (r.status !== 0) console.error(out.slice(-6000));
    expect(r.status).toBe(0);
    expect(out).toMatch(/Tests:\s+\d+ passed, \d+ total/);
  }, 900_000);

  it('the app\'s transactions went through the pooler', async () => {
    const admin = viaBouncer('pgbouncer', 'postgres');
    await admin.connect();
    try {
      const stats = (await admin.query('SHOW STATS')).rows.find((s) => s.database === DB);
      expect(Number(stats?.total_xact_count ?? 0)).toBeGreaterThan(500);
    } finally {
      await admin.end();
    }
  });
});
