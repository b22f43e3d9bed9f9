import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { DirectoryFreezeService } from './freeze.service';
import { DIRECTORY_QUEUE } from './queues';

/**
 * Freezes the directory at quarter end (issue 14 §1; 003 (十) quarterly updates): the last complete quarter
 * of every province with an open market, once (the unique quarter-end version makes a rerun a no-op).
 */
@Processor(DIRECTORY_QUEUE)
export class FreezeDirectoryJob extends WorkerHost {
  constructor(private readonly freezer: DirectoryFreezeService) {
    super();
  }
  async process(job: Job) {
    const r = await this.freezer.quarterEnd();
    await job.updateProgress(100);
    return r;
  }
}
