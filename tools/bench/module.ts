import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { CoreModule, type AppConfig } from '@linggong/api-core';
import { AnalyticsCoreModule } from '@linggong/api-analytics';
import { SCHEMA } from '@linggong/api-schema';

/** The in-process benchmarks' module: core (database, Redis, TenantDb), BullMQ and analytics, plus what the benchmark adds. */
@Module({})
export class BenchModule {
  static forRoot(config: AppConfig, extra: { imports?: Type<unknown>[]; providers?: Provider[] } = {}): DynamicModule {
    return {
      module: BenchModule,
      imports: [
        CoreModule.forRoot(config, SCHEMA),
        BullModule.forRoot({ connection: { url: config.REDIS_URL }, prefix: `${config.REDIS_PREFIX}:bull` }),
        AnalyticsCoreModule, ...(extra.imports ?? []),
      ],
      providers: extra.providers ?? [],
    };
  }
}
