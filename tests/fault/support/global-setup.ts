import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { register } from 'tsconfig-paths';
import { faultPorts, faultUrls, initPostgres, makeDir, startRedis, type FaultEnv } from './cluster';
import teardown from './global-teardown';

// eslint-disable-next-line @typescript-eslint/no-require-imports
register({ baseUrl: join(__dirname, '../../..'), paths: require('../../../tsconfig.base.json').compilerOptions.paths });

export const STATE_FILE = join(tmpdir(), `linggong-fault-${process.env['LINGGONG_TEST_SLOT'] ?? 'ci'}.json`);

/** Starts the suite's own PostgreSQL cluster and Redis, and sets up the demo database on them. */
export default async function globalSetup(): Promise<void> {
  const env: FaultEnv = { dir: makeDir(), ...faultPorts() };
  writeFileSync(STATE_FILE, JSON.stringify(env));
  const started = Date.now();
  try {
    await initPostgres(env);
    await startRedis(env);
    Object.assign(process.env, { NODE_ENV: 'test', ARGON2_MEMORY_KIB: '4096', LOG_LEVEL: 'silent', LOGIN_RATE_PER_MINUTE: '10000', PUBLIC_WRITE_RATE_PER_MINUTE: '100000', ...faultUrls(env) });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { loadConfig } = require('@linggong/api-core') as typeof import('@linggong/api-core');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { reset } = require('../../../tools/db/db') as typeof import('../../../tools/db/db');
    const log = console.log;
    console.log = () => undefined;
    try {
      await reset(loadConfig());
    } finally {
      console.log = log;
    }
  } catch (e) {
    await teardown();
    throw e;
  }
  console.log(`\n[fault] PostgreSQL on ${env.pgPort}, Redis on ${env.redisPort} in ${env.dir} (${Math.round((Date.now() - started) / 1000)} s)`);
}
