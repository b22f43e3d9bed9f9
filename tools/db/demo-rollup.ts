import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import { CoreModule, type AppConfig } from '@linggong/api-core';
import { AnalyticsCoreModule, AnalyticsService } from '@linggong/api-analytics';
import { SCHEMA } from '@linggong/api-schema';

@Module({})
class RollupModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: RollupModule,
      imports: [
        CoreModule.forRoot(config, SCHEMA),
        BullModule.forRoot({ connection: { url: config.REDIS_URL }, prefix: `${config.REDIS_PREFIX}:bull` }),
        AnalyticsCoreModule,
      ],
    };
  }
}

/**
 * Roll up every sealed demo day not rolled up yet (issue 13 §5), through the same service and as the
 * same application role as the worker's catch-up, so figures exist the moment someone signs in.
 * Incremental: a second `db setup` finds nothing stale and returns at once.
 */
export async function rollupDemo(config: AppConfig, days = 400): Promise<string> {
  const started = Date.now();
  const ctx = await NestFactory.createApplicationContext(RollupModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    const r = await ctx.get(AnalyticsService).catchUp(days);
    return `analytics: ${r.rolled} sealed market-days rolled up in ${((Date.now() - started) / 1000).toFixed(1)} s`;
  } finally {
    await ctx.close();
  }
}
