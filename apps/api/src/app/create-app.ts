import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { configureHttp, createFastifyAdapter, type AppConfig } from '@linggong/api-core';
import { AppModule, type AppOptions } from './app.module';

/** Build the HTTP application (used by main.ts and by the in-process e2e tests). */
export async function createApiApp(config: AppConfig, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options), createFastifyAdapter(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // Nest buffers its Logger until listen(); the in-process tests never listen, so flush now.
  app.flushLogs();
  await configureHttp(app, config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
