import { types } from 'pg';
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

/**
 * The one date converter (issue 11 §2): a `date` column (OID 1082) comes back as the `YYYY-MM-DD`
 * text PostgreSQL sends, never as a `Date` at the process's local midnight, so no service converts
 * days itself. Set on the pools the DataSource makes (API, worker, db-cli), not on the global `pg`
 * types, so other `pg` clients in the same process (tests, tools) keep the driver's defaults.
 */
export const PG_TYPES = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === types.builtins.DATE && format !== 'binary' ? (v: string) => v : types.getTypeParser(oid, format as 'text'),
};

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
    extra: { max: role === 'app' ? config.DATABASE_POOL_SIZE : 2, application_name: `linggong-${role}`, connectionTimeoutMillis: 5000, types: PG_TYPES },
    // Failed statements are logged as SQLSTATE only, never with their parameters (issue 12 §8).
    logging: ['error'],
    logger: new SafeQueryLogger(),
  };
}

/** The role migrations grant table privileges to; `db:bootstrap` creates it and puts the app login in it. */
export const APP_ACCESS_ROLE = 'linggong_app_access';
