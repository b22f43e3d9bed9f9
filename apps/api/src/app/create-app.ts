import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { configureHttp, createFastifyAdapter, type AppConfig } from '@linggong/api-core';
import { AppModule, type AppOptions } from './app.module';
import { OPENAPI_VIEWS } from './openapi-views.generated';

/**
 * Build the HTTP application (used by main.ts and by the in-process e2e tests). `rawBody`: Nest keeps each JSON
 * body's bytes on `req.rawBody` (same parser otherwise): a platform's signature is over the exact bytes it sent.
 */
export async function createApiApp(config: AppConfig, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options), createFastifyAdapter(config), { bufferLogs: true, rawBody: true });
  app.useLogger(app.get(Logger));
  // Nest buffers its Logger until listen(); the in-process tests never listen, so flush now.
  app.flushLogs();
  await configureHttp(app, config, OPENAPI_VIEWS);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
