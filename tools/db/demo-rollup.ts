import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import { CoreModule, type AppConfig } from '@linggong/api-core';
import { AnalyticsCoreModule, AnalyticsService } from '@linggong/api-analytics';
import { SCHEMA } from '@linggong/api-schema';
import { AuditModule } from '@linggong/api-audit';
import { RegionsService } from '@linggong/api-tenancy';
import { ReportsService } from '@linggong/api-reports';
import { CallbackService, ExitService, InspectionsService, OversightCoreModule, RectificationService } from '@linggong/api-oversight';
import { DataSource } from 'typeorm';
import { seedDemoReports } from './demo-reports';
import { seedDemoExit, seedDemoOversight } from './demo-oversight';

@Module({})
class RollupModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: RollupModule,
      imports: [
        CoreModule.forRoot(config, SCHEMA),
        BullModule.forRoot({ connection: { url: config.REDIS_URL }, prefix: `${config.REDIS_PREFIX}:bull` }),
        AnalyticsCoreModule, AuditModule, OversightCoreModule,
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
      const sealed = r.days || (await owner.query('SELECT 1 FROM analytics_days LIMIT 1')).length;
      reports = sealed ? await seedDemoReports(ctx.get(ReportsService), owner) : 'reports: no sealed days, none made';
      // Oversight at the failing operator (issue 16 §5): a call-back sample needs its sealed days too.
      if (sealed) reports += `; ${await seedDemoOversight({ callbacks: ctx.get(CallbackService), inspections: ctx.get(InspectionsService), rectifications: ctx.get(RectificationService) }, owner)}`;
      // An exit case in progress at the same operator (issue 16 §4, §6).
      if (sealed) reports += `; ${await seedDemoExit(ctx.get(ExitService), owner)}`;
    } finally {
      await owner.destroy();
    }
    return `analytics: ${r.rolled} sealed market-days rolled up in ${((Date.now() - started) / 1000).toFixed(1)} s; ${reports}`;
  } finally {
    await ctx.close();
  }
}
