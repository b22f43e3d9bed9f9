import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { SYSTEM_ACTOR } from '@linggong/domain';
import { DepositReconciliationService, type ReconcileResult } from './deposit-reconciliation.service';
import { TOOLS_RECONCILE_QUEUE } from './queues';

/**
 * `nightly`: the scheduled run (the scheduler's template sets it), written once per market and day; a
 * job without it (a manual re-check through the queue) adds a row to the day's history like the
 * manager's "check now".
 */
export interface ReconcileDepositsPayload { day?: string; marketIds?: string[]; nightly?: boolean }

/** Daily: every market's deposits held vs its deposit account (R-B11); mismatches are written for the manager. */
@Processor(TOOLS_RECONCILE_QUEUE)
export class ReconcileDepositsJob extends WorkerHost {
  private readonly log = new Logger('ReconcileDepositsJob');
  constructor(private readonly deposits: DepositReconciliationService) {
    super();
  }

  async process(job: Job<ReconcileDepositsPayload>): Promise<ReconcileResult> {
    // The nightly run once per market and day: a rerun after a crash finds its rows already written (issue 12 §12).
    const result = await this.deposits.run(SYSTEM_ACTOR, { day: job.data?.day, marketIds: job.data?.marketIds, nightly: job.data?.nightly === true });
    await job.updateProgress(100);
    if (result.mismatched.length) this.log.warn(`deposit mismatch in ${result.mismatched.length} market(s) on ${result.day}`);
    if (result.failed.length) this.log.error(`deposit reconciliation failed in ${result.failed.length} market(s) on ${result.day}: ${result.failed.join(', ')}`);
    return result;
  }
}
