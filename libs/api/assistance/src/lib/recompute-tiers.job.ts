import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { TenantDb } from '@linggong/api-core';
import { SYSTEM_ACTOR, type Actor } from '@linggong/domain';
import { AssistanceService, shanghaiToday } from './assistance.service';
import { ASSISTANCE_TIERS_QUEUE } from './queues';

export interface RecomputeTiersPayload { day?: string }
export interface RecomputeTiersResult { day: string; checked: number; changed: number; completed: number }

/** One job per business day: a retry or a second enqueue for the same day is the same job (STYLE.md "Jobs"). */
export const recomputeTiersJobId = (day: string) => `assistance-tiers-${day}`;
export function enqueueRecomputeTiers(queue: Queue, day = shanghaiToday()) {
  return queue.add('recompute-tiers', { day }, { jobId: recomputeTiersJobId(day), removeOnComplete: 100, removeOnFail: 500, attempts: 3 });
}

const BATCH = 500;

/**
 * R-B9 dynamic roster: every consented worker's tier recomputed for the day (waiting time grows
 * daily), and open plans whose package is now done (a referral made at the desk) marked complete.
 * Batches of 500 records, each its own transaction, so market work-log heads are held briefly.
 */
@Injectable()
export class TierRecomputation {
  constructor(private readonly db: TenantDb, private readonly assistance: AssistanceService) {}

  async run(day = shanghaiToday(), actor: Actor = SYSTEM_ACTOR, progress?: (checked: number) => Promise<void>): Promise<RecomputeTiersResult> {
    let after: string | null = null;
    let checked = 0;
    let changed = 0;
    for (;;) {
      const r = await this.db.run(actor, (em) => this.assistance.recomputeBatch(em, actor, day, after, BATCH));
      checked += r.checked;
      changed += r.changed;
      if (progress) await progress(checked);
      if (r.checked < BATCH) break;
      after = r.last;
    }
    let completed = 0;
    for (after = null; ;) {
      const r = await this.db.run(actor, (em) => this.assistance.completeOpenPlans(em, actor, after, BATCH));
      completed += r.completed;
      if (r.checked < BATCH) break;
      after = r.last;
    }
    return { day, checked, changed, completed };
  }
}

@Processor(ASSISTANCE_TIERS_QUEUE)
export class RecomputeTiersJob extends WorkerHost {
  private readonly log = new Logger('RecomputeTiersJob');
  constructor(private readonly tiers: TierRecomputation) {
    super();
  }

  async process(job: Job<RecomputeTiersPayload>): Promise<RecomputeTiersResult> {
    const result = await this.tiers.run(job.data.day ?? shanghaiToday(), SYSTEM_ACTOR, (checked) => job.updateProgress({ checked }));
    if (result.changed || result.completed) this.log.log(`tiers ${result.day}: ${result.changed} changed of ${result.checked}, ${result.completed} plans complete`);
    return result;
  }
}
