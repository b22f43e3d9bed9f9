export { AssessmentModule, AssessmentCoreModule, ModelMarketsModule } from './lib/assessment.module';
export { AssessmentService, assessmentDigest, type AssessmentResult } from './lib/assessment.service';
export { Assessment1763805100000 } from './lib/migrations/1763805100000-assessment';
export { ASSESSMENT_CONTEXT } from './lib/assessment.context';
export { ModelMarketsService, ModelTitlesService } from './lib/model-markets.service';
export { ModelMarkets1763805600000 } from './lib/migrations/1763805600000-model-markets';
