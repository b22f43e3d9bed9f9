export { JobsCoreModule, JobsModule } from './lib/jobs.module';
export { ExpirePostsJob } from './lib/expire-posts.job';
export { PostsService } from './lib/posts.service';
export { MatchingService, POOL_RECENT_DAYS } from './lib/matching.service';
export { SanctionsService } from './lib/sanctions.service';
export { PUBLIC_USER_ID } from './lib/public.service';
export { Jobs1763800700000 } from './lib/migrations/1763800700000-jobs';
export { RankingPolicies1763800710000 } from './lib/migrations/1763800710000-ranking-policies';
