import { testSlot } from '../../support/slot';

const slot = testSlot();
/** The browser suite's own database and Redis db, and the port of the server it starts. */
export const BROWSER_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  PORT: process.env['BROWSER_PORT'] ?? String(slot.browserPort),
  DATABASE_URL: `postgres://linggong_app@127.0.0.1:5432/linggong_browser${slot.suffix}`,
  DATABASE_OWNER_URL: `postgres://linggong_owner@127.0.0.1:5432/linggong_browser${slot.suffix}`,
  REDIS_URL: `redis://127.0.0.1:6379/${slot.browserRedisDb}`,
  REDIS_PREFIX: `lgbrowser${slot.suffix}`,
  LOG_LEVEL: 'warn',
  // Every spec signs several roles in from the same loopback address within a minute; the per-IP login
  // limit itself is tested in tests/api/auth.e2e-spec.ts.
  LOGIN_RATE_PER_MINUTE: '600',
};
export const BASE_URL = `http://127.0.0.1:${BROWSER_ENV['PORT']}`;
export const PID_FILE = `/tmp/linggong-browser-server${slot.suffix}.pid`;
