import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@linggong/api-core';
import { AuditService } from './audit.service';
import { AUDIT_RETENTION_QUEUE } from './queues';

export interface PurgeAuditEventsPayload { keepDays: number }

/** Daily: delete audit events older than AUDIT_RETENTION_DAYS (at least 180; issue 2 §6). Idempotent. */
@Processor(AUDIT_RETENTION_QUEUE)
export class PurgeAuditEventsJob extends WorkerHost {
  private readonly log = new Logger(PurgeAuditEventsJob.name);
  constructor(private readonly audit: AuditService, @Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }
  async process(job: Job<PurgeAuditEventsPayload>): Promise<{ deleted: number }> {
    const keepDays = Math.max(job.data.keepDays ?? this.config.AUDIT_RETENTION_DAYS, 180);
    const deleted = await this.audit.purge(keepDays);
    await job.updateProgress(100);
    this.log.log({ keepDays, deleted }, 'audit retention');
    return { deleted };
  }
}
