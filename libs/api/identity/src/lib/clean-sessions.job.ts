import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { SessionService } from './session.service';
import { SESSION_CLEANUP_QUEUE } from './queues';

/** Hourly: remove expired sessions from each user's session index. Idempotent. */
@Processor(SESSION_CLEANUP_QUEUE)
export class CleanSessionsJob extends WorkerHost {
  private readonly log = new Logger(CleanSessionsJob.name);
  constructor(private readonly sessions: SessionService) {
    super();
  }
  async process(job: Job): Promise<{ sets: number; removed: number }> {
    const r = await this.sessions.cleanup();
    await job.updateProgress(100);
    this.log.log(r, 'session cleanup');
    return r;
  }
}
