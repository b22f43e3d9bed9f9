/**
 * The test environment: its own database and Redis db, fast password hashing, quiet logs. Values
 * already set outside win, so CI can point the suite elsewhere.
 */
const defaults: Record<string, string> = {
  NODE_ENV: 'test',
  DATABASE_URL: 'postgres://linggong_app@127.0.0.1:5432/linggong_test',
  DATABASE_OWNER_URL: 'postgres://linggong_owner@127.0.0.1:5432/linggong_test',
  REDIS_URL: 'redis://127.0.0.1:6379/1',
  REDIS_PREFIX: 'lgtest',
  ARGON2_MEMORY_KIB: '4096',
  LOG_LEVEL: 'silent',
  LOGIN_RATE_PER_MINUTE: '10000',
  PUBLIC_WRITE_RATE_PER_MINUTE: '100000',
};
for (const [k, v] of Object.entries(defaults)) process.env[k] ??= v;
