import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { register } from 'prom-client';
import { Route } from './route';
import { REDIS, type Redis } from './redis';
import { ProblemException } from './problem';

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

@Controller()
export class MetricsController {
  @Get('metrics')
  @ApiExcludeEndpoint()
  @Route({ operationId: 'ops_metrics', summary: 'Prometheus metrics', permission: 'public' })
  @Header('content-type', register.contentType)
  metrics() {
    return register.metrics();
  }
}
