import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { SYSTEM_ACTOR } from '@linggong/domain';
import { PostsService } from './posts.service';
import { POSTS_EXPIRE_QUEUE } from './queues';

/** Hourly: posts past their expiry leave the job board; each closure is written to the market's work log. */
@Processor(POSTS_EXPIRE_QUEUE)
export class ExpirePostsJob extends WorkerHost {
  private readonly log = new Logger('ExpirePostsJob');
  constructor(private readonly posts: PostsService) {
    super();
  }

  async process(): Promise<{ expired: number }> {
    const expired = await this.posts.expire(SYSTEM_ACTOR);
    if (expired) this.log.log(`expired ${expired} posts`);
    return { expired };
  }
}
