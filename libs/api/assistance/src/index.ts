export { AssistanceCoreModule, AssistanceModule } from './lib/assistance.module';
export { AssistanceService } from './lib/assistance.service';
export { ServiceRecordsService } from './lib/service-records.service';
export { RecomputeTiersJob, TierRecomputation, enqueueRecomputeTiers, recomputeTiersJobId, type RecomputeTiersResult } from './lib/recompute-tiers.job';
export { Assistance1763800900000 } from './lib/migrations/1763800900000-assistance';
export { AssistancePackagesRls1763800950000 } from './lib/migrations/1763800950000-assistance-packages-rls';
export { ASSISTANCE_TIERS_QUEUE } from './lib/queues';
export { ASSISTANCE_CONTEXT } from './lib/assistance.context';
