import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, rename, stat, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { finishOpenApi, type OpenApiViews } from './openapi';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifyCompress from '@fastify/compress';
import { Histogram, collectDefaultMetrics, register } from 'prom-client';
import type { AppConfig } from './config';
import { ProblemFilter } from './problem.filter';
import { REDIS, type Redis } from './redis';

/**
 * Fastify with a request id taken from `x-request-id` or made here, shared with the pino logger.
 * `X-Forwarded-For` is believed only from the configured proxies (TRUSTED_PROXIES, issue 12 §3): with
 * none, `req.ip` is the TCP peer, which a client cannot forge.
 */
export function createFastifyAdapter(config: Pick<AppConfig, 'TRUSTED_PROXIES'>): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    trustProxy: config.TRUSTED_PROXIES.length ? config.TRUSTED_PROXIES : false,
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
      req.headers['x-request-id'] = id;
      return id;
    },
  });
}

/**
 * The Content-Security-Policy of the console and the API (issue 12 §7). The Angular build loads only
 * its own scripts (no inline script: critical-CSS inlining, whose `onload` handler a CSP blocks, is
 * off in apps/console/project.json); Angular, ng-zorro and ECharts set inline styles; QR codes and
 * signatures are data: images, exports are blob: downloads. Swagger UI (/api/docs) fits the same
 * policy. deploy/docker/nginx.conf sends the same header; tests/api/headers compares the two.
 */
export function contentSecurityPolicy(secure: boolean): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'worker-src': ["'self'", 'blob:'],
    'manifest-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
    ...(secure ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/** Content-hashed build output (`main-XXXXXXXX.js`, `chunk-…`, `styles-…`, `media/…`, and their pre-compressed `.br`/`.gz`): never changes. */
export const HASHED_ASSET = /-[A-Z0-9]{8}\.(?:js|css|woff2?|ttf|eot|svg|png|jpe?g|gif|webp)(?:\.br|\.gz)?$/;

let httpHistogram: Histogram<'method' | 'route' | 'status'> | undefined;

/** Everything the HTTP app needs besides its modules; used by main.ts and the in-process e2e tests. */
export async function configureHttp(app: NestFastifyApplication, config: AppConfig, openApiViews?: OpenApiViews): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  app.setGlobalPrefix('api', { exclude: ['metrics'] });
  app.enableShutdownHooks();

  // Security headers on every response, API and console alike (issue 12 §7). HSTS only where the site
  // is served over HTTPS (COOKIE_SECURE) or in production; browsers ignore it over plain HTTP anyway.
  const secure = config.COOKIE_SECURE || config.NODE_ENV === 'production';
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(config.COOKIE_SECURE) },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  // gzip and brotli above 1 KiB, for JSON, problem documents and the console's files alike.
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
  await app.register(fastifyCookie);
  // Routes marked @RouteConfig({ loginRateLimit: true }) get a per-IP limit (issue 2 §4); registered
  // before the rate-limit plugin so its own onRoute hook sees the config.
  fastify.addHook('onRoute', (route) => {
    const cfg = route.config as Record<string, unknown> | undefined;
    if (cfg?.['loginRateLimit']) route.config = { ...cfg, rateLimit: { max: config.LOGIN_RATE_PER_MINUTE, timeWindow: 60_000 } } as never;
    // Public, sign-in-free writes (QR registration, check-in, confirmation) are limited per IP.
    if (cfg?.['publicWriteRateLimit']) route.config = { ...cfg, rateLimit: { max: config.PUBLIC_WRITE_RATE_PER_MINUTE, timeWindow: 60_000 } } as never;
    // Public, sign-in-free reads that search or aggregate (the directory, its map and job catalogue) are limited per IP too.
    if (cfg?.['publicReadRateLimit']) route.config = { ...cfg, rateLimit: { max: config.PUBLIC_READ_RATE_PER_MINUTE, timeWindow: 60_000 } } as never;
    // Uploads (base64 JSON) get a larger body limit than the 1 MiB default.
    if (typeof cfg?.['bodyLimit'] === 'number') route.bodyLimit = cfg['bodyLimit'] as number;
  });
  await app.register(fastifyRateLimit, {
    global: false,
    redis: app.get<Redis>(REDIS),
    nameSpace: `${config.REDIS_PREFIX}:rl:`,
    errorResponseBuilder: (_req, ctx) => ({ statusCode: 429, message: `retry in ${ctx.after}` }),
  });

  // JSON only: a text/plain body is refused with 415 rather than parsed as a string. Errors Fastify
  // raises itself (415, 413, bad JSON, the rate limit's 429) reach ProblemFilter through Nest.
  fastify.removeContentTypeParser('text/plain');


  if (!httpHistogram) {
    collectDefaultMetrics({ prefix: 'linggong_' });
    httpHistogram = new Histogram({
      name: 'linggong_http_request_duration_seconds', help: 'HTTP request duration',
      labelNames: ['method', 'route', 'status'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [register],
    });
  }
  const histogram = httpHistogram;
  fastify.addHook('onResponse', (req, reply, done) => {
    histogram.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    reply.header('x-request-id', req.id);
    done();
  });
  fastify.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-request-id', req.id);
    done(null, payload);
  });

  const doc = SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('Linggong API').setDescription('零工市场监管服务平台 API').setVersion('1')
    .addBearerAuth().addCookieAuth('lg_session').build());
  finishOpenApi(doc as unknown as Record<string, unknown>, openApiViews);
  // No validator badge: it would send the spec's URL to validator.swagger.io (and the CSP blocks it).
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false, swaggerOptions: { validatorUrl: null } });

  // The console, served by the API at / (single origin: cookie auth and CSRF stay simple).
  const consoleDir = config.CONSOLE_DIR;
  const index = consoleDir && existsSync(join(consoleDir, 'index.html')) ? readFileSync(join(consoleDir, 'index.html')) : undefined;
  if (consoleDir && index) {
    // Hashed files are immutable for a year; everything else (favicon, i18n JSON, index.html) revalidates.
    // Pre-compressed copies (brotli at its best quality, gzip -9) are served when present (issue 17 §10):
    // about a fifth smaller than the on-the-fly compression, which stays for anything not yet done.
    void precompress(consoleDir);
    await app.register(fastifyStatic, {
      root: consoleDir, wildcard: false, index: false, cacheControl: false, preCompressed: true,
      setHeaders: (res, path) => res.header('cache-control', HASHED_ASSET.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
  }
  // Unknown paths: the console's index.html for its client-side routes, problem+json under /api.
  app.useGlobalFilters(new ProblemFilter(index));
}

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/**
 * Write `<file>.br` (quality 11) and `<file>.gz` (level 9) beside each text file of the built console that
 * has none yet, in the background (zlib's thread pool): the first start after a build does the work, later
 * starts find it done. A read-only directory just keeps the on-the-fly compression.
 */
export async function precompress(dir: string): Promise<number> {
  // The server already serves while this runs (and another instance may be compressing the same directory): a copy
  // appears under its name only whole — written beside it under a name of this process, then renamed, which is atomic.
  // Written in place, a request between the file's creation and its last byte got an empty or cut body with status
  // 200 (the job board's map found no boundaries when two test servers compressed one fresh build: stop 25's CI).
  const writeWhole = async (path: string, data: Buffer) => {
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, path);
  };
  let done = 0;
  try {
    for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
      if (!e.isFile() || !/\.(js|css|json|html|svg|txt)$/.test(e.name)) continue;
      const file = join(e.parentPath, e.name);
      if (existsSync(`${file}.br`) && existsSync(`${file}.gz`)) continue;
      if ((await stat(file)).size < 1024) continue;
      const body = readFileSync(file);
      await writeWhole(`${file}.br`, await brotli(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT } }));
      await writeWhole(`${file}.gz`, await gz(body, { level: 9 }));
      done++;
    }
  } catch {
    // read-only or vanished: on-the-fly compression serves
  }
  return done;
}
