import { Processor, WorkerHost } from '@nestjs/bullmq';
import { RectificationService } from './rectification.service';
import { OVERSIGHT_ESCALATION_QUEUE } from './queues';

/** The daily escalation of overdue rectification orders to the city (09:00 Asia/Shanghai; idempotent: each order once). */
@Processor(OVERSIGHT_ESCALATION_QUEUE)
export class EscalateOverdueRectificationsJob extends WorkerHost {
  constructor(private readonly rectifications: RectificationService) {
    super();
  }
  async process() {
    return { escalated: (await this.rectifications.escalateOverdue()).length };
  }
}
