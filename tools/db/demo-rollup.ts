import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import { CoreModule, type AppConfig } from '@linggong/api-core';
import { AnalyticsCoreModule, AnalyticsService } from '@linggong/api-analytics';
import { SCHEMA } from '@linggong/api-schema';
import { AuditModule } from '@linggong/api-audit';
import { RegionsService } from '@linggong/api-tenancy';
import { ReportsService } from '@linggong/api-reports';
import { DataSource } from 'typeorm';
import { seedDemoReports } from './demo-reports';

@Module({})
class RollupModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: RollupModule,
      imports: [
        CoreModule.forRoot(config, SCHEMA),
        BullModule.forRoot({ connection: { url: config.REDIS_URL }, prefix: `${config.REDIS_PREFIX}:bull` }),
        AnalyticsCoreModule, AuditModule,
      ],
      // The monthly reports of the demo (issue 14) are made through the same service as the console's.
      providers: [RegionsService, ReportsService],
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
    const owner = new DataSource({ type: 'postgres', url: config.DATABASE_OWNER_URL, installExtensions: false, extra: { max: 1 } });
    await owner.initialize();
    let reports: string;
    try {
      reports = r.days || (await owner.query('SELECT 1 FROM analytics_days LIMIT 1')).length ? await seedDemoReports(ctx.get(ReportsService), owner) : 'reports: no sealed days, none made';
    } finally {
      await owner.destroy();
    }
    return `analytics: ${r.rolled} sealed market-days rolled up in ${((Date.now() - started) / 1000).toFixed(1)} s; ${reports}`;
  } finally {
    await ctx.close();
  }
}
