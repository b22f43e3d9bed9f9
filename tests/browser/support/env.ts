import { testSlot } from '../../support/slot';

const slot = testSlot();

/**
 * `npm test` runs the browser specs as two shards side by side (`LINGGONG_BROWSER_SHARD=1|2` with jest's
 * `--shard=k/2`; the sequencer splits the specs). Each shard has its own database, server port and Redis key
 * prefix: shard 1 (also the default, for a single spec) keeps `linggong_browser[_N]` and port 3999 − N; shard 2 has
 * `linggong_browser2[_N]` and port 3899 − N (BROWSER_PORT − 100 when that is set). Both use the slot's browser Redis db (the 16 Redis dbs are all taken by
 * the slots), apart by prefix: the app puts REDIS_PREFIX in front of every key, and the setup clears only its own.
 */
export function browserShard(): number {
  const raw = process.env['LINGGONG_BROWSER_SHARD'];
  if (!raw) return 1;
  const k = Number(raw);
  if (!Number.isInteger(k) || k < 1 || k > 2) throw new Error(`LINGGONG_BROWSER_SHARD must be 1 or 2, got "${raw}"`);
  return k;
}

const shard = browserShard();
const mark = shard === 1 ? '' : String(shard);
/** The browser suite's own database and Redis keys (this shard's), and the port of the server it starts. */
export const BROWSER_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  PORT: String(Number(process.env['BROWSER_PORT'] ?? slot.browserPort) - 100 * (shard - 1)),
  DATABASE_URL: `postgres://linggong_app@127.0.0.1:5432/linggong_browser${mark}${slot.suffix}`,
  DATABASE_OWNER_URL: `postgres://linggong_owner@127.0.0.1:5432/linggong_browser${mark}${slot.suffix}`,
  REDIS_URL: `redis://127.0.0.1:6379/${slot.browserRedisDb}`,
  REDIS_PREFIX: `lgbrowser${mark}${slot.suffix}`,
  LOG_LEVEL: 'warn',
  // Every spec signs several roles in from the same loopback address within a minute; the per-IP login
  // limit itself is tested in tests/api/auth.e2e-spec.ts.
  LOGIN_RATE_PER_MINUTE: '600',
};
export const BASE_URL = `http://127.0.0.1:${BROWSER_ENV['PORT']}`;
export const PID_FILE = `/tmp/linggong-browser-server${mark}${slot.suffix}.pid`;
/** Under `npm test` the shards copy their databases from this one, reset once per run (server.ts). */
export const TEMPLATE_DB = `linggong_browser_template${slot.suffix}`;
