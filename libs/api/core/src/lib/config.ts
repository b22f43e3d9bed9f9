import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * The one configuration schema. Validated at boot; nothing else reads process.env (lint bans it).
 * Defaults suit a developer machine (PostgreSQL and Redis on localhost, trust auth).
 */
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** proxy-addr's names for address ranges, accepted in TRUSTED_PROXIES beside IPs and CIDRs. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [ip, bits, extra] = entry.split('/');
  const family = isIP(ip);
  if (!family || extra !== undefined) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}
/** A comma-separated list of proxy addresses (IPs, CIDRs, or loopback/linklocal/uniquelocal); empty = none. */
const proxyList = z.string()
  .transform((v) => v.split(',').map((x) => x.trim()).filter(Boolean))
  .refine((list) => list.every(isProxyAddress), { message: 'expected a comma-separated list of IP addresses, CIDR ranges or loopback/linklocal/uniquelocal' });
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** The application role: not the owner of any table, NOBYPASSRLS. */
  DATABASE_URL: z.string().url().default('postgres://linggong_app@127.0.0.1:5432/linggong'),
  /** The owner role, used only to run migrations. */
  DATABASE_OWNER_URL: z.string().url().default('postgres://linggong_owner@127.0.0.1:5432/linggong'),
  /** A superuser, used only by `db:bootstrap` to create roles and the database on a fresh machine. */
  DATABASE_ADMIN_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/postgres'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379/0'),
  /** Prefix for Redis keys and BullMQ queues, so two deployments (or test runs) can share a Redis. */
  REDIS_PREFIX: z.string().regex(/^[a-z0-9_-]{1,32}$/).default('lg'),
  CONSOLE_DIR: z.string().optional(),
  /**
   * The reverse proxies whose `X-Forwarded-For` is believed (Fastify `trustProxy`, issue 12 §3): the
   * client address is the right-most address not in this list. Empty (the default): the header is
   * ignored and the client address is the TCP peer, so nobody can forge the IP that the per-IP rate
   * limits count and audit events record. Behind the compose nginx: its address (deploy/README.md).
   */
  TRUSTED_PROXIES: proxyList.default([]),
  /**
   * Bearer token for `GET /metrics` (issue 12 §10). Unset or empty: /metrics answers 404 to everyone.
   * At least 32 printable characters; Prometheus sends it with `authorization: { credentials: … }`.
   */
  METRICS_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(32).max(256).regex(/^[\x21-\x7e]+$/).optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(72).default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(20).default(5),
  LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /** Login attempts per IP per minute before 429. */
  LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10000).default(20),
  /** Writes from the public pages (QR registration, check-in, confirmation) per IP per minute. */
  PUBLIC_WRITE_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100000).default(30),
  PUBLIC_READ_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100000).default(120),
  /**
   * Wrong gate codes per market and 3-minute window before the market's public check-in refuses every code
   * until the next window (issue 12 §4): caps guessing from many addresses at ~2 in 10,000 per window.
   */
  GATE_CODE_MAX_FAILURES: z.coerce.number().int().min(1).max(100000).default(100),
  /** Online applications (应聘报名, issue 18 §1) one mobile number may make per day across the board. */
  BOARD_APPLICATIONS_PER_DAY: z.coerce.number().int().min(1).max(1000).default(5),
  /** Job push (推送, issue 18 §2): at most this many pushed posts per worker per day (Asia/Shanghai). */
  PUSH_MAX_PER_WORKER_PER_DAY: z.coerce.number().int().min(1).max(100).default(3),
  /**
   * The SMS adapter job push uses: `outbox` writes each message to the `sms_outbox` table and the log (no gateway is
   * connected in this deployment; a gateway adapter would read from there); `off` sends none (the in-app inbox only).
   */
  PUSH_SMS_ADAPTER: z.enum(['outbox', 'off']).default('outbox'),
  /** Audit events are kept at least 180 days (issue 2 §6); the retention job never deletes younger rows. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(180).max(3650).default(180),
  COOKIE_SECURE: bool.default(false),
  /**
   * The platform's Ed25519 ledger signing key as a 32-byte hex seed, and its id (issue 3). Required in
   * production; development and tests use a published development key, which is not a secret.
   */
  LEDGER_SIGNING_SEED: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  LEDGER_KEY_ID: z.string().regex(/^[\w.-]{1,40}$/).default('platform-dev-1'),
  /** Hour (Asia/Shanghai) after which the job closes any day still open, marking it late. */
  LEDGER_CLOSE_HOUR: z.coerce.number().int().min(0).max(23).default(2),
  /**
   * Personal-data keys (DESIGN.md "Personal data"): AES-256-GCM for ID numbers and phones at rest, and a
   * separate HMAC-SM3 key for blind indexes (lookup without decrypting). 32-byte hex each; required in
   * production, published development keys otherwise.
   */
  PII_ENCRYPTION_KEY: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  PII_INDEX_KEY: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /**
   * Second factor (TOTP, issue 12 item 11): the demo's users are enrolled with published secrets
   * (README). Production (NODE_ENV=production) always refuses them; this flag refuses them elsewhere too.
   */
  TOTP_REFUSE_DEMO_SECRETS: bool.default(false),
  /** The issuer shown in authenticator apps. */
  TOTP_ISSUER: z.string().min(1).max(40).default('Linggong 零工市场'),
  /**
   * How often (seconds) the worker checks that its repeatable schedules are still in Redis and puts back
   * any that are gone (a Redis restart without persistence, a FLUSHALL), then rebuilds the complaint
   * timers from PostgreSQL (issue 12 §12). The fault suite uses a few seconds.
   */
  WORKER_WATCHDOG_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Argon2id cost; tests lower it to keep the suite fast. */
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(1024).max(1 << 20).default(19456),
});
export type AppConfig = z.infer<typeof configSchema>;

/** Published development seed; never valid in production (loadConfig refuses to run without a real one). */
export const DEV_LEDGER_SEED = '6c696e67676f6e672d6465762d6c65646765722d7369676e696e672d6b657921';

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const r = configSchema.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new ConfigError(`Invalid configuration (environment variables):\n${lines}`);
  }
  if (r.data.NODE_ENV === 'production' && (!r.data.PII_ENCRYPTION_KEY || !r.data.PII_INDEX_KEY)) {
    throw new ConfigError('Invalid configuration (environment variables):\n  PII_ENCRYPTION_KEY, PII_INDEX_KEY: required in production (32-byte hex each)');
  }
  if (r.data.NODE_ENV === 'production' && !r.data.LEDGER_SIGNING_SEED) {
    throw new ConfigError('Invalid configuration (environment variables):\n  LEDGER_SIGNING_SEED: required in production (32-byte hex seed of the platform Ed25519 key)');
  }
  return r.data;
}

/** Whether published demo TOTP secrets are refused (always in production). */
export const refusesDemoSecrets = (c: AppConfig): boolean => c.NODE_ENV === 'production' || c.TOTP_REFUSE_DEMO_SECRETS;

export const APP_CONFIG = Symbol('APP_CONFIG');
