export { QuickhireCoreModule, QuickhireModule } from './lib/quickhire.module';
export { ExpirePostsJob } from './lib/quickhire.jobs';
export { PostsService } from './lib/posts.service';
export { MatchingService, POOL_RECENT_DAYS } from './lib/matching.service';
export { PUBLIC_USER_ID } from './lib/public.service';
export { Quickhire1763800700000 } from './lib/migrations/1763800700000-quickhire';
