import { HandoverRegistry } from './handover';
import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from './config';
import { dataSourceOptions, type Schema } from './database';
import { TenantDb } from './tenant-db';
import { Pii } from './pii';
import { TodoRegistry } from './todo';
import { REDIS, createRedis, type Redis } from './redis';

class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown() {
    await this.redis.quit().catch(() => undefined);
  }
}

/** Config, database (as the non-owner app role) and Redis, shared by the API and the worker. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, schema: Schema): DynamicModule {
    return {
      module: CoreModule,
      imports: [TypeOrmModule.forRoot(dataSourceOptions(config, 'app', schema))],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: REDIS, useFactory: () => createRedis(config) },
        RedisCloser,
        TenantDb,
        Pii,
        TodoRegistry,
        HandoverRegistry,
      ],
      exports: [APP_CONFIG, REDIS, TenantDb, Pii, TodoRegistry, HandoverRegistry],
    };
  }
}
