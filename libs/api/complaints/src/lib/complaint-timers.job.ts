import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { ComplaintDeadlinesService } from './complaint-deadlines.service';
import type { TimerPayload } from './complaint-timers';
import { COMPLAINT_TIMERS_QUEUE } from './queues';

/**
 * The complaint-timers queue: delayed `ack` / `remind` / `escalate` jobs, one per complaint, step and
 * due date, and the repeatable `sweep` that rebuilds them from PostgreSQL (issue 6 §3).
 */
@Processor(COMPLAINT_TIMERS_QUEUE)
export class ComplaintTimersJob extends WorkerHost {
  private readonly log = new Logger('ComplaintTimersJob');
  constructor(private readonly deadlines: ComplaintDeadlinesService) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    if (job.name === 'sweep') {
      const r = await this.deadlines.sweep();
      if (r.added || r.recounted) this.log.log(`sweep: ${r.open} open, ${r.added} timers rebuilt, ${r.recounted} provisional deadlines recounted`);
      return r;
    }
    const done = await this.deadlines.fire(job.data as TimerPayload);
    if (done !== 'skipped') this.log.log(`complaint ${(job.data as TimerPayload).complaintId}: ${done}`);
    return { done };
  }
}
