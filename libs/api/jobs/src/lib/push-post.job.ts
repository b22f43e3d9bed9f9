import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { PushService } from './push.service';
import { POSTS_PUSH_QUEUE } from './queues';

export interface PushPostPayload { postId: string; tenantId: string }

/**
 * The API's side: a published post's push job, added after the review commits. The job id is derived from the
 * post (`push.<postId>`), so a double enqueue does the work once; a Redis outage loses no post (it is on the
 * board) but its push, and is logged.
 */
@Injectable()
export class PushQueue {
  private readonly log = new Logger('PushQueue');
  constructor(@InjectQueue(POSTS_PUSH_QUEUE) private readonly queue: Queue) {}

  static jobId(postId: string): string {
    return `push.${postId}`;
  }

  async enqueueQuietly(p: PushPostPayload): Promise<void> {
    try {
      await this.queue.add('push-post', p, { jobId: PushQueue.jobId(p.postId), attempts: 5, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: { age: 7 * 86_400 }, removeOnFail: 1000 });
    } catch (e) {
      this.log.warn(`push of post ${p.postId} not queued: ${(e as Error).message}`);
    }
  }
}

/** The worker's side: deliver a published post to the workers who opted in and match it (PushService). */
@Processor(POSTS_PUSH_QUEUE)
export class PushPostJob extends WorkerHost {
  constructor(private readonly push: PushService) {
    super();
  }

  process(job: Job<PushPostPayload>): Promise<{ delivered: number; limited: number; sms: number }> {
    return this.push.deliverPost(job.data.postId);
  }
}
