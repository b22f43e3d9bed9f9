import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import { CoreModule, LOG_SERIALIZERS, MetricsController, OpsController, type AppConfig } from '@linggong/api-core';
import { AuditModule } from '@linggong/api-audit';
import { IdentityModule } from '@linggong/api-identity';
import { TenancyModule } from '@linggong/api-tenancy';
import { MarketsModule } from '@linggong/api-markets';
import { LedgerModule } from '@linggong/api-ledger';
import { RegistryModule } from '@linggong/api-registry';
import { JobsModule } from '@linggong/api-jobs';
import { ComplaintsModule } from '@linggong/api-complaints';
import { BullModule } from '@nestjs/bullmq';
import { ToolsModule } from '@linggong/api-tools';
import { TrainingModule } from '@linggong/api-training';
import { EventsModule } from '@linggong/api-events';
import { AssistanceModule } from '@linggong/api-assistance';
import { AnalyticsModule } from '@linggong/api-analytics';
import { SCHEMA } from '@linggong/api-schema';

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
        AuditModule,
        IdentityModule,
        TenancyModule,
        MarketsModule,
        LedgerModule,
        RegistryModule,
        JobsModule,
        ComplaintsModule,
        ToolsModule,
        TrainingModule,
        EventsModule,
        AssistanceModule,
        AnalyticsModule,
      ],
      controllers: [OpsController, MetricsController],
    };
  }
}
