import { Inject, Logger, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BullModule, InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, CoreModule, LOG_SERIALIZERS, QueueName, type AppConfig } from '@linggong/api-core';
import { AuditModule, PurgeAuditEventsJob } from '@linggong/api-audit';
import { CleanSessionsJob, IdentityCoreModule } from '@linggong/api-identity';
import { SCHEMA } from '@linggong/api-schema';
import { CloseOverdueDaysJob, LedgerCoreModule, VerifySealsJob } from '@linggong/api-ledger';
import { ExpirePostsJob, JobsCoreModule } from '@linggong/api-jobs';
import { ComplaintTimersJob, ComplaintsCoreModule } from '@linggong/api-complaints';
import { ReconcileDepositsJob, ToolsCoreModule } from '@linggong/api-tools';
import { AssistanceCoreModule, RecomputeTiersJob } from '@linggong/api-assistance';
import { AnalyticsCoreModule, RollupDayJob } from '@linggong/api-analytics';

/** The fixed ids of the worker's job schedulers, by queue (the watchdog checks each is in Redis). */
export const SCHEDULER_IDS: Record<string, string> = {
  [QueueName.AuditRetention]: 'audit-retention-daily',
  [QueueName.SessionCleanup]: 'session-cleanup-hourly',
  [QueueName.LedgerClose]: 'ledger-close-hourly',
  [QueueName.LedgerVerify]: 'ledger-verify-nightly',
  [QueueName.PostsExpire]: 'posts-expire-hourly',
  [QueueName.ComplaintTimers]: 'complaint-sweep',
  [QueueName.ToolsReconcile]: 'tools-reconcile-daily',
  [QueueName.AssistanceTiers]: 'assistance-tiers-daily',
};

/**
 * Registers the repeatable schedules (idempotent: fixed scheduler ids), at boot and again whenever the
 * watchdog finds one missing. Redis may lose its data while the worker runs (a restart without
 * persistence, a FLUSHALL): every WORKER_WATCHDOG_SECONDS the watchdog looks for each scheduler and,
 * if any is gone, registers them all again and runs the complaint sweep, which rebuilds every open
 * complaint's timers from PostgreSQL (issue 12 §12).
 */
class Schedules implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Schedules');
  private timer?: NodeJS.Timeout;
  private checking = false;
  constructor(
    @InjectQueue(QueueName.AuditRetention) private readonly retention: Queue,
    @InjectQueue(QueueName.SessionCleanup) private readonly sessions: Queue,
    @InjectQueue(QueueName.LedgerClose) private readonly ledgerClose: Queue,
    @InjectQueue(QueueName.LedgerVerify) private readonly ledgerVerify: Queue,
    @InjectQueue(QueueName.PostsExpire) private readonly postsExpire: Queue,
    @InjectQueue(QueueName.ComplaintTimers) private readonly complaintTimers: Queue,
    @InjectQueue(QueueName.ToolsReconcile) private readonly toolsReconcile: Queue,
    @InjectQueue(QueueName.AssistanceTiers) private readonly assistanceTiers: Queue,
    @InjectQueue(QueueName.AnalyticsRollup) private readonly analyticsRollup: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}
  async onApplicationBootstrap() {
    await this.register();
    await this.sweepComplaints('boot');
    this.timer = setInterval(() => void this.watch(), this.config.WORKER_WATCHDOG_SECONDS * 1000);
    this.timer.unref();
  }

  onApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
  }

  private get queues(): Record<string, Queue> {
    return {
      [QueueName.AuditRetention]: this.retention, [QueueName.SessionCleanup]: this.sessions, [QueueName.LedgerClose]: this.ledgerClose,
      [QueueName.LedgerVerify]: this.ledgerVerify, [QueueName.PostsExpire]: this.postsExpire, [QueueName.ComplaintTimers]: this.complaintTimers,
      [QueueName.ToolsReconcile]: this.toolsReconcile, [QueueName.AssistanceTiers]: this.assistanceTiers,
    };
  }

  /** The schedulers missing from Redis (by id). */
  async missing(): Promise<string[]> {
    const out: string[] = [];
    for (const [queue, id] of Object.entries(SCHEDULER_IDS)) {
      if (!(await this.queues[queue].getJobScheduler(id))) out.push(id);
    }
    return out;
  }

  /** One watchdog round; a Redis outage is logged and tried again next round. */
  async watch(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const gone = await this.missing();
      if (!gone.length) return;
      this.log.warn(`job schedulers missing from Redis (${gone.join(', ')}): registering them again and rebuilding complaint timers`);
      await this.register();
      await this.sweepComplaints('watchdog');
    } catch (e) {
      this.log.error(`schedule watchdog: ${(e as Error).message}`);
    } finally {
      this.checking = false;
    }
  }

  private sweepComplaints(why: string) {
    return this.complaintTimers.add('sweep', {}, { jobId: `complaint-sweep-${why}-${Date.now()}`, removeOnComplete: true, removeOnFail: 50 });
  }

  async register() {
    // 03:30 Asia/Shanghai, daily: the quiet hour of a gig market.
    await this.retention.upsertJobScheduler('audit-retention-daily', { pattern: '30 3 * * *', tz: 'Asia/Shanghai' }, {
      name: 'purge-audit-events', data: { keepDays: this.config.AUDIT_RETENTION_DAYS },
      opts: { removeOnComplete: 100, removeOnFail: 500, attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
    });
    await this.sessions.upsertJobScheduler('session-cleanup-hourly', { every: 3_600_000 }, {
      name: 'clean-sessions', data: {}, opts: { removeOnComplete: 50, removeOnFail: 200 },
    });
    // Hourly: once past LEDGER_CLOSE_HOUR, any day still open before today is closed as late.
    await this.ledgerClose.upsertJobScheduler('ledger-close-hourly', { pattern: '5 * * * *', tz: 'Asia/Shanghai' }, {
      name: 'close-overdue-days', data: {}, opts: { removeOnComplete: 100, removeOnFail: 500, attempts: 3 },
    });
    // Nightly: verify yesterday's seals for every market; failures become alerts.
    await this.ledgerVerify.upsertJobScheduler('ledger-verify-nightly', { pattern: '0 4 * * *', tz: 'Asia/Shanghai' }, {
      name: 'verify-seals', data: {}, opts: { removeOnComplete: 100, removeOnFail: 500, attempts: 3 },
    });
    // Hourly: posts past their expiry leave the job board (issue 4).
    await this.postsExpire.upsertJobScheduler('posts-expire-hourly', { pattern: '0 * * * *', tz: 'Asia/Shanghai' }, {
      name: 'expire-posts', data: {}, opts: { removeOnComplete: 100, removeOnFail: 500, attempts: 3 },
    });
    // Every 10 minutes (and at boot and after a loss, above): rebuild any complaint timer missing from Redis (issue 6 §3).
    await this.complaintTimers.upsertJobScheduler('complaint-sweep', { every: 600_000 }, {
      name: 'sweep', data: {}, opts: { removeOnComplete: 50, removeOnFail: 200, attempts: 3 },
    });
    // Nightly at 21:30 Asia/Shanghai, after the markets close: deposits held vs the deposit account (R-B11).
    await this.toolsReconcile.upsertJobScheduler('tools-reconcile-daily', { pattern: '30 21 * * *', tz: 'Asia/Shanghai' }, {
      name: 'reconcile-deposits', data: { nightly: true }, opts: { removeOnComplete: 100, removeOnFail: 500, attempts: 3 },
    });
    // 02:30 Asia/Shanghai, daily: hardship tiers follow waiting time (R-B9, issue 5); the day is the business key.
    await this.assistanceTiers.upsertJobScheduler('assistance-tiers-daily', { pattern: '30 2 * * *', tz: 'Asia/Shanghai' }, {
      name: 'recompute-tiers', data: {}, opts: { removeOnComplete: 100, removeOnFail: 500, attempts: 3 },
    });
    // 04:30 Asia/Shanghai, after the overdue closes and the seal verification: roll up sealed days never
    // rolled or changed since (a lost notification, a correction, a verification alert); and once at boot.
    await this.analyticsRollup.upsertJobScheduler('analytics-catch-up-nightly', { pattern: '30 4 * * *', tz: 'Asia/Shanghai' }, {
      name: 'catch-up', data: { catchUp: true }, opts: { removeOnComplete: 100, removeOnFail: 500, attempts: 3 },
    });
    await this.analyticsRollup.add('catch-up', { catchUp: true }, { jobId: `analytics-catch-up-boot-${Date.now()}`, removeOnComplete: true, removeOnFail: 50 });
  }
}

/** The worker: the same libraries as the API, no HTTP, BullMQ processors only. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    const queues = [QueueName.AuditRetention, QueueName.SessionCleanup, QueueName.LedgerClose, QueueName.LedgerVerify, QueueName.PostsExpire, QueueName.ComplaintTimers, QueueName.ToolsReconcile, QueueName.AssistanceTiers, QueueName.AnalyticsRollup].map((name) => BullModule.registerQueue({ name }));
    return {
      module: WorkerModule,
      imports: [
        LoggerModule.forRoot({ pinoHttp: { level: config.LOG_LEVEL, serializers: LOG_SERIALIZERS } }),
        CoreModule.forRoot(config, SCHEMA),
        BullModule.forRoot({ connection: { url: config.REDIS_URL }, prefix: `${config.REDIS_PREFIX}:bull` }),
        ...queues,
        AuditModule,
        IdentityCoreModule,
        LedgerCoreModule,
        JobsCoreModule,
        ComplaintsCoreModule,
        ToolsCoreModule,
        AssistanceCoreModule,
        AnalyticsCoreModule,
      ],
      providers: [PurgeAuditEventsJob, CleanSessionsJob, CloseOverdueDaysJob, VerifySealsJob, ExpirePostsJob, ComplaintTimersJob, ReconcileDepositsJob, RecomputeTiersJob, RollupDayJob, Schedules],
    };
  }
}
