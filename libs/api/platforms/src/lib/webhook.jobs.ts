import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { WEBHOOK_ATTEMPTS } from '@linggong/domain';
import { WebhooksService } from './webhooks.service';
import { WEBHOOK_DELIVER_QUEUE, WEBHOOK_SCAN_QUEUE } from './queues';

/**
 * Every 10 seconds: new deliveries for the subscribed events, and a job for each pending one. The job id is the
 * delivery id, so a delivery already queued (or being retried) is not queued twice; one lost with Redis is queued
 * again from its row by the next scan.
 */
@Processor(WEBHOOK_SCAN_QUEUE)
export class WebhookScanJob extends WorkerHost {
  constructor(private readonly webhooks: WebhooksService, @InjectQueue(WEBHOOK_DELIVER_QUEUE) private readonly deliveries: Queue) {
    super();
  }

  async process(): Promise<{ pending: number }> {
    const pending = await this.webhooks.scan();
    if (pending.length) {
      await this.deliveries.addBulk(pending.map((id) => ({
        name: 'deliver', data: { id },
        opts: { jobId: id, attempts: WEBHOOK_ATTEMPTS, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 5000 },
      })));
    }
    return { pending: pending.length };
  }
}

/** One delivery attempt; BullMQ retries a failed one with exponential backoff (2 s, 4 s, 8 s …). */
@Processor(WEBHOOK_DELIVER_QUEUE)
export class WebhookDeliverJob extends WorkerHost {
  private readonly log = new Logger('WebhookDeliverJob');
  constructor(private readonly webhooks: WebhooksService) {
    super();
  }

  async process(job: Job<{ id: string }>): Promise<string> {
    const r = await this.webhooks.deliver(job.data.id, job.attemptsMade + 1);
    if (r === 'delivered') this.log.log(`delivered ${job.data.id}`);
    return r;
  }
}
