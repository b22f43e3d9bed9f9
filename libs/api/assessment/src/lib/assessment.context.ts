import { defineContext } from '@linggong/api-core';
import { AssessmentModule } from './assessment.module';
import { Assessment1763805100000 } from './migrations/1763805100000-assessment';
import { ModelMarkets1763805600000 } from './migrations/1763805600000-model-markets';
import { LocalTemplates1763805610000 } from './migrations/1763805610000-local-templates';

/** What the apps wire for the assessment context (issue 15; docs/architecture.md "Adding a context"). */
export const ASSESSMENT_CONTEXT = defineContext({
  name: 'assessment',
  api: AssessmentModule,
  migrations: [Assessment1763805100000, ModelMarkets1763805600000, LocalTemplates1763805610000],
  // Model-market tables are region records (no tenant): RLS by region, checked in tests/api/assessment-demo.e2e-spec.ts.
  tenantTables: ['contracts', 'assessments', 'assessment_figures', 'assessment_items'],
  readModels: {
    markets: 'a contract covers markets the operator runs in the county (R-A3); market names on the contract page',
    organisations: "the operator's name on contracts, assessments and the subsidy statement",
    ledger_entries: "a self-assessment's evidence link must name an existing work-log entry of a covered market",
  },
});
