import { Inject, Logger, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { BullModule, getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, CoreModule, LOG_SERIALIZERS, type AppConfig } from '@linggong/api-core';
import { CONTEXTS, SCHEMA } from '@linggong/api-schema';

const SCHEDULES = CONTEXTS.flatMap((c) => c.schedules ?? []);
const BOOT_JOBS = CONTEXTS.flatMap((c) => c.bootJobs ?? []);

/** The fixed ids of the worker's job schedulers, by queue (the watchdog checks each is in Redis). */
export const SCHEDULER_IDS: Record<string, string> = Object.fromEntries(SCHEDULES.map((s) => [s.queue, s.id]));

/**
 * Registers every context's repeatable schedules (idempotent: fixed scheduler ids), at boot and again
 * whenever the watchdog finds one missing. Redis may lose its data while the worker runs (a restart
 * without persistence, a FLUSHALL): every WORKER_WATCHDOG_SECONDS the watchdog looks for each scheduler
 * and, if any is gone, registers them all again and adds the contexts' boot jobs, which rebuild what
 * lived only in Redis (the complaint sweep rebuilds every open complaint's timers from PostgreSQL;
 * issue 12 §12).
 */
class Schedules implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Schedules');
  private timer?: NodeJS.Timeout;
  private checking = false;
  constructor(private readonly refs: ModuleRef, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onApplicationBootstrap() {
    await this.register();
    await this.bootJobs('boot');
    this.timer = setInterval(() => void this.watch(), this.config.WORKER_WATCHDOG_SECONDS * 1000);
    this.timer.unref();
  }

  onApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
  }

  private queue(name: string): Queue {
    return this.refs.get<Queue>(getQueueToken(name), { strict: false });
  }

  /** The schedulers missing from Redis (by id). */
  async missing(): Promise<string[]> {
    const out: string[] = [];
    for (const s of SCHEDULES) if (!(await this.queue(s.queue).getJobScheduler(s.id))) out.push(s.id);
    return out;
  }

  /** One watchdog round; a Redis outage is logged and tried again next round. */
  async watch(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const gone = await this.missing();
      if (!gone.length) return;
      this.log.warn(`job schedulers missing from Redis (${gone.join(', ')}): registering them again and re-adding the boot jobs`);
      await this.register();
      await this.bootJobs('watchdog');
    } catch (e) {
      this.log.error(`schedule watchdog: ${(e as Error).message}`);
    } finally {
      this.checking = false;
    }
  }

  private async bootJobs(why: 'boot' | 'watchdog') {
    for (const j of BOOT_JOBS) {
      await this.queue(j.queue).add(j.name, j.data, { jobId: `${j.idPrefix}-${why}-${Date.now()}`, removeOnComplete: true, removeOnFail: 50 });
    }
  }

  async register() {
    for (const s of SCHEDULES) {
      const data = typeof s.data === 'function' ? s.data(this.config) : (s.data ?? {});
      await this.queue(s.queue).upsertJobScheduler(s.id, s.repeat, { name: s.name, data, opts: s.opts });
    }
  }
}

/**
 * The worker: the same libraries as the API, no HTTP, BullMQ processors only. Every context's worker
 * module, queues, jobs and schedules come from its declaration in `CONTEXTS` (libs/api/schema).
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    const queues = CONTEXTS.flatMap((c) => c.queues ?? []).map((name) => BullModule.registerQueue({ name }));
    return {
      module: WorkerModule,
      imports: [
        LoggerModule.forRoot({ pinoHttp: { level: config.LOG_LEVEL, serializers: LOG_SERIALIZERS } }),
        CoreModule.forRoot(config, SCHEMA),
        BullModule.forRoot({ connection: { url: config.REDIS_URL }, prefix: `${config.REDIS_PREFIX}:bull` }),
        ...queues,
        ...CONTEXTS.flatMap((c) => (c.worker ? [c.worker] : [])),
      ],
      providers: [...CONTEXTS.flatMap((c) => c.jobs ?? []), Schedules],
    };
  }
}
