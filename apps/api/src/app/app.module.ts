import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import { CoreModule, LOG_SERIALIZERS, MetricsController, OpsController, type AppConfig } from '@linggong/api-core';
import { BullModule } from '@nestjs/bullmq';
import { CONTEXTS, SCHEMA } from '@linggong/api-schema';

export interface AppOptions {
  /** Where the JSON log goes (default stdout); the log-safety test captures it. */
  logStream?: DestinationStream;
}

/** Composition only: the contexts, their shared core, and JSON logging. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppOptions = {}): DynamicModule {
    const pinoOptions = {
      level: config.LOG_LEVEL,
      genReqId: (req) => String(req.headers['x-request-id'] ?? ''),
      customProps: (req) => {
        const actor = (req as { actor?: { userId: string; tenantId?: string; orgId: string } }).actor;
        return actor ? { userId: actor.userId, tenantId: actor.tenantId ?? null, orgId: actor.orgId } : {};
      },
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
      // Tokens and tracking codes in paths, phone numbers in queries, SQL parameters: never logged (issue 12 §8).
      serializers: LOG_SERIALIZERS,
      autoLogging: { ignore: (req) => req.url === '/api/health' || req.url === '/metrics' },
    } satisfies Options;
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({ pinoHttp: options.logStream ? [pinoOptions, options.logStream] : pinoOptions }),
        CoreModule.forRoot(config, SCHEMA),
        // The API enqueues delayed jobs (complaint timers); the worker processes them.
        BullModule.forRoot({ connection: { url: config.REDIS_URL }, prefix: `${config.REDIS_PREFIX}:bull` }),
        // Every context's API module, from its declaration (libs/api/<ctx>/src/lib/<ctx>.context.ts).
        ...CONTEXTS.flatMap((c) => (c.api ? [c.api] : [])),
      ],
      controllers: [OpsController, MetricsController],
    };
  }
}
