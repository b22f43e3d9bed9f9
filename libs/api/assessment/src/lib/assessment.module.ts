import { Module } from '@nestjs/common';
import { AuditModule } from '@linggong/api-audit';
import { AnalyticsCoreModule } from '@linggong/api-analytics';
import { ComplaintsCoreModule } from '@linggong/api-complaints';
import { LedgerCoreModule } from '@linggong/api-ledger';
import { OversightCoreModule } from '@linggong/api-oversight';
import { MarketScopeModule } from '@linggong/api-markets';
import { StaffDirectoryModule } from '@linggong/api-tenancy';
import { AssessmentAssignmentCover } from './assignment-cover';
import { AssessmentService } from './assessment.service';
import {
  AssessmentsController, ContractsController, CyclesController, ModelMarketListsController, ModelMarketsController, TemplatesController,
} from './assessment.controller';
import { AssessmentRectificationSource } from './rectification-source';
import { AssessmentTodos } from './assessment.todos';
import { ModelMarketsService, ModelTitlesService } from './model-markets.service';

/**
 * The assessment service without HTTP: other contexts read results through it (issue 16's rectification), and the
 * public directory reads model-market titles (`ModelTitlesService`).
 */
@Module({ imports: [AuditModule, AnalyticsCoreModule, StaffDirectoryModule, MarketScopeModule], providers: [AssessmentService, ModelTitlesService], exports: [AssessmentService, ModelTitlesService] })
export class AssessmentCoreModule {}

/**
 * The model-market workflow without HTTP (issue 15 §5): it gathers its facts through the ledger's, oversight's and
 * complaints' exported services (needs BullModule.forRoot in the app: the complaints core registers its queue).
 */
@Module({
  imports: [AssessmentCoreModule, OversightCoreModule, LedgerCoreModule, ComplaintsCoreModule, AuditModule],
  providers: [ModelMarketsService],
  exports: [ModelMarketsService],
})
export class ModelMarketsModule {}

/** Contracts, templates, cycles, assessments, subsidy statements and model markets (issue 15). */
@Module({
  imports: [AssessmentCoreModule, ModelMarketsModule, OversightCoreModule, MarketScopeModule],
  controllers: [ContractsController, TemplatesController, CyclesController, AssessmentsController, ModelMarketListsController, ModelMarketsController],
  providers: [AssessmentRectificationSource, AssessmentTodos, AssessmentAssignmentCover],
  exports: [AssessmentCoreModule],
})
export class AssessmentModule {}
