import type { DataSourceOptions, MigrationInterface } from 'typeorm';
import type { AppConfig } from './config';
import { SafeQueryLogger } from './log-safety';

type Ctor<T> = new (...args: never[]) => T;
/** Entities and migrations are listed as classes (the API is bundled; no globs). */
export interface Schema {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  migrations: Ctor<MigrationInterface>[];
}

/** `app`: the non-owner role the API and worker use. `owner`: migrations only. */
export function dataSourceOptions(config: AppConfig, role: 'app' | 'owner', schema: Schema): DataSourceOptions {
  return {
    type: 'postgres',
    url: role === 'app' ? config.DATABASE_URL : config.DATABASE_OWNER_URL,
    entities: schema.entities,
    migrations: schema.migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    installExtensions: false,
    // A request waits at most 5 s for a connection: during a database outage it gets its 503 promptly.
    extra: { max: role === 'app' ? config.DATABASE_POOL_SIZE : 2, application_name: `linggong-${role}`, connectionTimeoutMillis: 5000 },
    // Failed statements are logged as SQLSTATE only, never with their parameters (issue 12 §8).
    logging: ['error'],
    logger: new SafeQueryLogger(),
  };
}

/** The role migrations grant table privileges to; `db:bootstrap` creates it and puts the app login in it. */
export const APP_ACCESS_ROLE = 'linggong_app_access';
