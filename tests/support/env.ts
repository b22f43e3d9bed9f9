import { testSlot } from './slot';

/**
 * The test environment: its own database and Redis db, fast password hashing, quiet logs. Values
 * already set outside win, so CI can point the suite elsewhere; `LINGGONG_TEST_SLOT` gives a second
 * checkout on the same machine its own databases, Redis dbs and port (see slot.ts).
 */
const slot = testSlot();
const defaults: Record<string, string> = {
  NODE_ENV: 'test',
  DATABASE_URL: `postgres://linggong_app@127.0.0.1:5432/linggong_test${slot.suffix}`,
  DATABASE_OWNER_URL: `postgres://linggong_owner@127.0.0.1:5432/linggong_test${slot.suffix}`,
  REDIS_URL: `redis://127.0.0.1:6379/${slot.apiRedisDb}`,
  REDIS_PREFIX: `lgtest${slot.suffix}`,
  ARGON2_MEMORY_KIB: '4096',
  LOG_LEVEL: 'silent',
  LOGIN_RATE_PER_MINUTE: '10000',
  PUBLIC_WRITE_RATE_PER_MINUTE: '100000',
  PUBLIC_READ_RATE_PER_MINUTE: '100000',
};
for (const [k, v] of Object.entries(defaults)) process.env[k] ??= v;
