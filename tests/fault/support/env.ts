import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { faultUrls, type FaultEnv } from './cluster';

/** Each test file sees the private services the global setup started (tests/fault/support/cluster.ts). */
export const faultEnv = JSON.parse(readFileSync(join(tmpdir(), `linggong-fault-${process.env['LINGGONG_TEST_SLOT'] ?? 'ci'}.json`), 'utf8')) as FaultEnv;
Object.assign(process.env, {
  NODE_ENV: 'test', ARGON2_MEMORY_KIB: '4096', LOG_LEVEL: 'silent', LOGIN_RATE_PER_MINUTE: '10000', PUBLIC_WRITE_RATE_PER_MINUTE: '100000',
  ...faultUrls(faultEnv),
});
