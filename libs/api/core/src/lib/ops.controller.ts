import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Headers, Inject } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { register } from 'prom-client';
import { Route } from './route';
import { REDIS, type Redis } from './redis';
import { ProblemException } from './problem';
import { APP_CONFIG, type AppConfig } from './config';

/** Liveness, readiness (PostgreSQL + Redis) and Prometheus metrics. */
@Controller()
export class OpsController {
  constructor(@InjectDataSource() private readonly ds: DataSource, @Inject(REDIS) private readonly redis: Redis) {}

  @Get('health')
  @Route({ operationId: 'ops_health', summary: 'Liveness', permission: 'public' })
  health() {
    return { status: 'ok' };
  }

  @Get('ready')
  @Route({ operationId: 'ops_ready', summary: 'Readiness: PostgreSQL and Redis answer', permission: 'public' })
  async ready() {
    const checks = { postgres: false, redis: false };
    checks.postgres = await this.ds.query('SELECT 1').then(() => true, () => false);
    checks.redis = await this.redis.ping().then((p) => p === 'PONG', () => false);
    if (!checks.postgres || !checks.redis) throw new ProblemException(503, 'service_unavailable', Object.entries(checks).filter(([, ok]) => !ok).map(([field]) => ({ field, key: 'unavailable' })));
    return { status: 'ready', checks };
  }
}

/**
 * Prometheus metrics, for the scraper only (issue 12 §10): `Authorization: Bearer <METRICS_TOKEN>`.
 * Without a configured token the route answers 404 to everyone; a missing or wrong token gets 401.
 */
@Controller()
export class MetricsController {
  private readonly tokenDigest: Buffer | undefined;
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.tokenDigest = config.METRICS_TOKEN ? digest(config.METRICS_TOKEN) : undefined;
  }

  @Get('metrics')
  @ApiExcludeEndpoint()
  @Route({ operationId: 'ops_metrics', summary: 'Prometheus metrics (bearer METRICS_TOKEN)', permission: 'public' })
  @Header('content-type', register.contentType)
  @Header('cache-control', 'no-store')
  metrics(@Headers('authorization') authorization?: string) {
    if (!this.tokenDigest) throw new ProblemException(404, 'not_found');
    const given = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    // Compared as SHA-256 digests: equal length, constant time.
    if (!given || !timingSafeEqual(digest(given), this.tokenDigest)) {
      throw new ProblemException(401, 'unauthorized', undefined, { 'www-authenticate': 'Bearer realm="metrics"' });
    }
    return register.metrics();
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
