import type { Type } from '@nestjs/common';
import type { JobsOptions, RepeatOptions } from 'bullmq';
import type { MigrationInterface } from 'typeorm';
import type { AppConfig } from './config';

type Ctor<T> = new (...args: never[]) => T;

/** A repeatable job the worker keeps registered under a fixed id (the watchdog checks each is in Redis). */
export interface ContextSchedule {
  queue: string;
  /** Fixed scheduler id: registering twice is a no-op. */
  id: string;
  repeat: Pick<RepeatOptions, 'pattern' | 'tz' | 'every'>;
  /** The job name the processor sees. */
  name: string;
  data?: Record<string, unknown> | ((config: AppConfig) => Record<string, unknown>);
  opts?: JobsOptions;
}

/**
 * A one-off job the worker adds at boot and again whenever the watchdog finds a schedule missing from
 * Redis (e.g. rebuilding timers from PostgreSQL after a FLUSHALL). Its job id is
 * `<idPrefix>-<boot|watchdog>-<epoch ms>`.
 */
export interface ContextBootJob {
  queue: string;
  name: string;
  data: Record<string, unknown>;
  idPrefix: string;
}

/**
 * What a bounded context gives the apps to wire (issue 11 §4): the apps and `libs/api/schema` hold a
 * list of these and nothing per context. Declared in `libs/api/<ctx>/src/lib/<ctx>.context.ts`.
 */
export interface ApiContext {
  name: string;
  /** The module the API imports (controllers included). */
  api?: Type;
  /** The module the worker imports (services its jobs need, no controllers). */
  worker?: Type;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: Function[];
  migrations: Ctor<MigrationInterface>[];
  /** Its tables that carry tenant rows: RLS enabled and forced (checked by tests/api/rls). */
  tenantTables: readonly string[];
  /**
   * Other contexts' tables its SQL reads, each with the reason (issue 11 §5). Anything else of another
   * context is read through that context's exported service; tests/api/boundaries fails on an
   * undeclared read, and on a migration that alters another context's table.
   */
  readModels?: Readonly<Record<string, string>>;
  /** BullMQ queues it owns (registered by the worker). */
  queues?: readonly string[];
  /** BullMQ processors, run by the worker only. */
  jobs?: Type[];
  schedules?: readonly ContextSchedule[];
  bootJobs?: readonly ContextBootJob[];
}

/** Identity function that type-checks a context's declaration. */
export function defineContext(c: ApiContext): ApiContext {
  return c;
}
