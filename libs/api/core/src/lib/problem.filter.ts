import { Catch, HttpException, Logger, NotFoundException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { z } from 'zod';
import { msg, pickLang, zodErrorMap, MESSAGES, type Lang, type Problem } from '@linggong/domain';
import { ProblemException, ValidationProblem } from './problem';

const STATUS_KEYS: Record<number, string> = {
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict',
  413: 'payload_too_large', 415: 'unsupported_media_type', 423: 'account_locked', 429: 'too_many_requests',
};

/** Every error leaves as application/problem+json in the caller's language (DESIGN.md "Errors"). */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly log = new Logger('ProblemFilter');
  constructor(private readonly spaIndex?: Buffer) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (this.spaIndex && exception instanceof NotFoundException && req.method === 'GET') {
      const path = req.url.split('?')[0];
      if (!path.startsWith('/api/') && path !== '/api' && path !== '/metrics') {
        void reply.status(200).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(this.spaIndex);
        return;
      }
    }
    const lang = pickLang(req.headers['accept-language']);
    const problem = this.toProblem(exception, lang);
    problem.requestId = String(req.id ?? '');
    if (problem.status === 503) this.log.warn({ requestId: req.id, err: (exception as Error)?.message }, 'database unavailable');
    else if (problem.status >= 500) this.log.error({ err: exception, requestId: req.id }, 'unhandled error');
    if (exception instanceof ProblemException && exception.headers) reply.headers(exception.headers);
    if (problem.status === 503) reply.header('retry-after', '5');
    void reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8').send(problem);
  }

  private toProblem(e: unknown, lang: Lang): Problem {
    const tr = (key: string) => (key in MESSAGES[lang] ? msg(lang, key) : key);
    if (e instanceof ValidationProblem) {
      const r = z.safeParse(e.schema, e.input ?? (e.location === 'body' ? undefined : {}), { error: zodErrorMap(lang) });
      const issues = r.success ? [] : r.error.issues;
      return {
        type: 'about:blank', status: 400, title: msg(lang, 'validation_failed'),
        // Words only: the field a message belongs to is in `errors[].field`, not in the sentence people read
        // (a public page showed "category: 取值无效，可选：wage_arrears、…", issue 17 §9).
        detail: [...new Set(issues.map((i) => tr(i.message)))].join('；'),
        errors: issues.map((i) => ({ field: i.path.join('.') || e.location, message: tr(i.message) })),
      };
    }
    if (e instanceof ProblemException) {
      // A message may name values ("当前合计 {total} 分"): filled from the error's own params, else the problem's extensions.
      const fill = (text: string, params?: Record<string, unknown>) => text.replace(/\{(\w+)\}/g, (m, k: string) => {
        const v = params?.[k] ?? e.extensions?.[k];
        return v === undefined || v === null ? m : String(v);
      });
      return {
        type: 'about:blank', status: e.status, title: msg(lang, e.key),
        ...(e.errors ? { errors: e.errors.map((x) => ({ field: x.field, message: fill(tr(x.key), x.params) })), detail: e.errors.map((x) => fill(tr(x.key), x.params)).join('; ') } : {}),
        ...(e.extensions ?? {}),
      };
    }
    if (e instanceof QueryFailedError) {
      const code = (e as QueryFailedError & { driverError?: { code?: string } }).driverError?.code;
      if (code === '23505') return { type: 'about:blank', status: 409, title: msg(lang, 'conflict') };
      // Row-level security refused a write the CASL layer let through: still the caller's fault.
      if (code === '42501') return { type: 'about:blank', status: 403, title: msg(lang, 'forbidden') };
      // 22021/22P05: a NUL or untranslatable character that slipped past the schemas.
      if (code === '22P02' || code === '22001' || code === '23514' || code === '22021' || code === '22P05') return { type: 'about:blank', status: 400, title: msg(lang, 'bad_request') };
    }
    // PostgreSQL restarting, unreachable or refusing connections: an outage, not a bug (issue 12 §12).
    if (databaseUnavailable(e)) return { type: 'about:blank', status: 503, title: msg(lang, 'service_unavailable') };
    const status = statusOf(e);
    if (status && status < 500) {
      return { type: 'about:blank', status, title: msg(lang, STATUS_KEYS[status] ?? 'bad_request') };
    }
    return { type: 'about:blank', status: 500, title: msg(lang, 'internal') };
  }
}

function statusOf(e: unknown): number | undefined {
  if (e instanceof HttpException) return e.getStatus();
  const s = (e as { statusCode?: number })?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

/**
 * Errors that mean "the database is not there right now" rather than "this request is wrong": the
 * connection refused or reset, the server shutting down or starting up (SQLSTATE class 08, 57P01–57P03),
 * too many connections, a pool that timed out waiting for one. Checked on the error, its TypeORM
 * `driverError` and its `cause`.
 */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006']);
const UNAVAILABLE_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery mode)|Cannot use a pool after calling end|Connection is not established/i;

export function databaseUnavailable(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 3) return false;
  const x = e as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof x.code === 'string' && UNAVAILABLE_CODES.has(x.code)) return true;
  // TypeORM releases a transaction's query runner when its connection dies; the request's later queries then fail so.
  if (e instanceof Error && /^(QueryRunnerAlreadyReleasedError|QueryRunnerProviderAlreadyReleasedError|ConnectionIsNotSetError)$/.test(e.name)) return true;
  if (typeof x.code === 'string' && x.code.startsWith('08')) return true;
  if (typeof x.message === 'string' && UNAVAILABLE_MESSAGES.test(x.message) && !(e instanceof HttpException)) return true;
  return databaseUnavailable(x.driverError, depth + 1) || databaseUnavailable(x.cause, depth + 1);
}
