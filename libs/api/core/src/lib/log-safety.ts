import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * What never reaches a log line (issue 12 §8): the bearer secrets of the public pages (hire-confirmation
 * and training sign-in QR tokens, complaint tracking codes), mobile numbers and ID numbers, and the bound
 * parameters of a failed SQL statement. The request log keeps the route's shape (`:token`), so a log
 * line still says which route was called.
 */

/** Path segments that are secrets: the public API routes and the console's public pages that carry them. */
const SECRET_PATH_SEGMENTS: [RegExp, string][] = [
  // API: GET/POST /api/v1/public/markets/:id/confirmations/:token[/non-payment]
  [/^(\/api\/v1\/public\/markets\/[^/]+\/confirmations\/)[^/]+/i, '$1:token'],
  // API: /api/v1/public/training-sessions/:token[/attendance]
  [/^(\/api\/v1\/public\/training-sessions\/)[^/]+/i, '$1:token'],
  // API: GET /api/v1/public/complaints/:code, POST …/:code/reopen
  [/^(\/api\/v1\/public\/complaints\/)[^/]+/i, '$1:code'],
  // Console pages served by the API (index.html fallback): /m/:marketId/c/:token and /t/:token
  [/^(\/m\/[^/]+\/c\/)[^/]+/i, '$1:token'],
  [/^(\/t\/)[^/]+/i, '$1:token'],
];

/** Query parameters whose value is personal data or a secret, whatever the route. */
const SECRET_QUERY_PARAMS = new Set(['mobile', 'phone', 'contactphone', 'idnumber', 'token', 'code', 'trackingcode', 'password']);

/** A mainland mobile number (also written 138-1234-5678) or an 18-digit ID number anywhere else in a URL (e.g. typed into `q`). */
const MOBILE_ANYWHERE = /(?<!\d)1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g;
const ID_NUMBER_ANYWHERE = /(?<!\d)\d{17}[\dXx](?![\dXx])/g;

function scrubDigits(s: string): string {
  return s.replace(ID_NUMBER_ANYWHERE, '[id]').replace(MOBILE_ANYWHERE, '[mobile]');
}

/** `url` (path and query, or an absolute URL) with secrets replaced; the result is safe to log. */
export function redactUrl(url: string | undefined): string | undefined {
  if (typeof url !== 'string') return url;
  let origin = '';
  let rest = url;
  const abs = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(url);
  if (abs) {
    origin = abs[0];
    rest = url.slice(origin.length) || '/';
  }
  const hashAt = rest.indexOf('#');
  if (hashAt >= 0) rest = rest.slice(0, hashAt);
  const q = rest.indexOf('?');
  let path = q >= 0 ? rest.slice(0, q) : rest;
  const query = q >= 0 ? rest.slice(q + 1) : undefined;
  for (const [re, to] of SECRET_PATH_SEGMENTS) path = path.replace(re, to);
  path = scrubDigits(path);
  if (query === undefined) return origin + path;
  const parts = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const rawKey = eq >= 0 ? pair.slice(0, eq) : pair;
    let key = rawKey;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
    } catch {
      // a malformed escape: compare the raw key
    }
    if (eq >= 0 && SECRET_QUERY_PARAMS.has(key.toLowerCase())) return `${rawKey}=[redacted]`;
    let value = eq >= 0 ? pair.slice(eq + 1) : '';
    try {
      value = scrubDigits(decodeURIComponent(value.replace(/\+/g, ' ')));
      value = encodeURIComponent(value).replace(/%5B(id|mobile)%5D/g, '[$1]');
    } catch {
      value = scrubDigits(value);
    }
    return eq >= 0 ? `${rawKey}=${value}` : scrubDigits(rawKey);
  });
  return `${origin}${path}?${parts.join('&')}`;
}

interface SerializedReq {
  url?: string;
  query?: unknown;
  params?: unknown;
  headers?: Record<string, unknown>;
  [k: string]: unknown;
}

/** pino `req` serializer (applied after pino-http's standard one): the URL and referer redacted, no parsed query or params. */
export function safeReqSerializer(req: SerializedReq): SerializedReq {
  const { query: _query, params: _params, ...rest } = req;
  const out: SerializedReq = { ...rest, url: redactUrl(req.url) };
  if (req.headers && typeof req.headers['referer'] === 'string') out.headers = { ...req.headers, referer: redactUrl(req.headers['referer'] as string) };
  return out;
}

interface DbError extends Error {
  code?: string;
  driverError?: { code?: string; constraint?: string; table?: string; column?: string };
  query?: unknown;
  parameters?: unknown;
}

/**
 * pino `err` serializer. A failed SQL statement (TypeORM `QueryFailedError` or a raw `pg` error) is
 * logged as its SQLSTATE, constraint, table and column only: the driver's message and detail quote
 * the offending values, the error carries every bound parameter, and the stack's first line repeats
 * the message. Other errors keep type, message and stack.
 */
export function safeErrSerializer(err: unknown): unknown {
  // pino-http hands over pino's standard serialization of the error, with the original as `raw`.
  const raw = err && typeof err === 'object' && (err as { raw?: unknown }).raw instanceof Error ? (err as { raw: Error }).raw : err;
  if (!(raw instanceof Error)) return err;
  const e = raw as DbError;
  const driver = e.driverError ?? (isPgError(e) ? e : undefined);
  if (e.name === 'QueryFailedError' || driver) {
    const d = (driver ?? {}) as NonNullable<DbError['driverError']>;
    return {
      type: e.name, message: `query failed (SQLSTATE ${d.code ?? e.code ?? 'unknown'})`,
      sqlstate: d.code ?? e.code ?? null, constraint: d.constraint ?? null, table: d.table ?? null, column: d.column ?? null,
    };
  }
  return err === raw ? { type: e.name, message: e.message, stack: e.stack, ...(typeof e.code === 'string' ? { code: e.code } : {}) } : err;
}

function isPgError(e: DbError): boolean {
  // node-postgres' DatabaseError: a five-character SQLSTATE plus severity and routine.
  return typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && 'severity' in e && 'routine' in e;
}

/** The pino `serializers` for the API and the worker. */
export const LOG_SERIALIZERS = { req: safeReqSerializer, err: safeErrSerializer };

/**
 * TypeORM's logger: failed queries and errors go to the application log as SQLSTATE and constraint
 * only. TypeORM's default console logger printed the statement with `-- PARAMETERS: [...]`.
 */
export class SafeQueryLogger implements TypeOrmLogger {
  private readonly out = new NestLogger('TypeORM');
  logQuery(): void {
    // not logged (logging: ['error'])
  }
  logQueryError(error: string | Error): void {
    this.out.error({ err: typeof error === 'string' ? new Error('query failed') : safeErrSerializer(error) }, 'query failed');
  }
  logQuerySlow(time: number): void {
    this.out.warn({ ms: time }, 'slow query');
  }
  logSchemaBuild(): void {
    // not logged
  }
  logMigration(message: string): void {
    this.out.log(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.out.warn(String(message));
  }
}
