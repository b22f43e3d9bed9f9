import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AnalyticsService } from './analytics.service';
import type { RollupPayload } from './rollup.queue';
import { ANALYTICS_ROLLUP_QUEUE } from './queues';

/**
 * Rolls up sealed work-log days (issue 13 §2): one day after a close or a correction, a manual run
 * with its progress in `analytics_runs`, or the nightly catch-up of days never rolled or changed since.
 */
@Processor(ANALYTICS_ROLLUP_QUEUE)
export class RollupDayJob extends WorkerHost {
  private readonly log = new Logger(RollupDayJob.name);
  constructor(private readonly analytics: AnalyticsService) {
    super();
  }
  async process(job: Job<RollupPayload>) {
    const d = job.data;
    if ('runId' in d) return this.analytics.executeRun(d.runId, (pct) => job.updateProgress(pct));
    if ('catchUp' in d) {
      const r = await this.analytics.catchUp(d.days);
      await job.updateProgress(100);
      return r;
    }
    const rolled = await this.analytics.rollupDay(d.marketId, d.day);
    await job.updateProgress(100);
    if (!rolled) this.log.debug({ ...d }, 'day not sealed or market gone: nothing rolled');
    return { rolled };
  }
}
