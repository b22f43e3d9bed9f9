import { Catch, HttpException, Logger, NotFoundException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
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
    if (problem.status >= 500) this.log.error({ err: exception, requestId: req.id }, 'unhandled error');
    if (exception instanceof ProblemException && exception.headers) reply.headers(exception.headers);
    void reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8').send(problem);
  }

  private toProblem(e: unknown, lang: Lang): Problem {
    const tr = (key: string) => (key in MESSAGES[lang] ? msg(lang, key) : key);
    if (e instanceof ValidationProblem) {
      const r = e.schema.safeParse(e.input ?? (e.location === 'body' ? undefined : {}), { error: zodErrorMap(lang) });
      const issues = r.success ? [] : r.error.issues;
      return {
        type: 'about:blank', status: 400, title: msg(lang, 'validation_failed'),
        detail: issues.map((i) => `${i.path.join('.') || e.location}: ${tr(i.message)}`).join('; '),
        errors: issues.map((i) => ({ field: i.path.join('.') || e.location, message: tr(i.message) })),
      };
    }
    if (e instanceof ProblemException) {
      return {
        type: 'about:blank', status: e.status, title: msg(lang, e.key),
        ...(e.errors ? { errors: e.errors.map((x) => ({ field: x.field, message: tr(x.key) })), detail: e.errors.map((x) => tr(x.key)).join('; ') } : {}),
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
