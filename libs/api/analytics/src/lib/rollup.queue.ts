import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { LedgerService } from '@linggong/api-ledger';
import { ANALYTICS_ROLLUP_QUEUE } from './queues';

export type RollupPayload = { marketId: string; day: string } | { runId: string } | { catchUp: true; days?: number };

/**
 * Enqueues rollups (issue 13 §2). Subscribes to the ledger's "sealed days changed" (after a close or a
 * correction commits), so the ledger knows nothing of analytics. The job id is the business key —
 * market, day and the change that caused it (`seal`, or `correction-<seq>`) — so a double
 * notification rolls the day once, and each later correction gets its own job.
 */
@Injectable()
export class RollupQueue implements OnModuleInit {
  private readonly log = new Logger('RollupQueue');
  constructor(@InjectQueue(ANALYTICS_ROLLUP_QUEUE) private readonly queue: Queue, private readonly ledger: LedgerService) {}

  onModuleInit(): void {
    this.ledger.onSealedDaysChanged((marketId, days, cause) => this.enqueueDays(marketId, days, cause));
  }

  static dayJobId(marketId: string, day: string, cause: string): string {
    return `rollup.${marketId}.${day}.${cause}`;
  }

  async enqueueDays(marketId: string, days: string[], cause: string): Promise<void> {
    try {
      await this.queue.addBulk(days.map((day) => ({
        name: 'day', data: { marketId, day } satisfies RollupPayload,
        opts: { jobId: RollupQueue.dayJobId(marketId, day, cause), attempts: 5, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: 1000, removeOnFail: 1000 },
      })));
    } catch (e) {
      // Redis down: the nightly catch-up rolls the day up later.
      this.log.warn(`could not enqueue rollup of ${marketId} ${days.join(',')}: ${(e as Error).message}`);
    }
  }

  async enqueueRun(runId: string): Promise<void> {
    await this.queue.add('run', { runId } satisfies RollupPayload, { jobId: `rollup-run.${runId}`, attempts: 3, removeOnComplete: 1000, removeOnFail: 1000 });
  }
}
