import { Body, Controller, Get, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  amendContractSchema, assessmentAppealSchema, auditSchema, createContractSchema, createCycleSchema, createTemplateSchema, cycleListSchema, decideAppealSchema,
  defaultTemplate, designateModelMarketsSchema, modelMarketListQuerySchema, modelObjectionSchema, proposeModelMarketsSchema, revokeModelMarketSchema,
  recomputeSchema, reviewSchema, selfAssessmentSchema, type Actor,
} from '@linggong/domain';
import { CurrentActor, IdPipe, ProblemException, Route, ZodPipe, attachmentDisposition, sendDownload } from '@linggong/api-core';
import { PdfFontMissing } from '@linggong/api-reports';
import { AssessmentService } from './assessment.service';
import { statementPdf, statementXlsx } from './statement';
import { ModelMarketsService } from './model-markets.service';

type In<S extends z.ZodType> = z.infer<S>;
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const contractListSchema = z.object({ operatorId: z.uuid().optional(), all: z.enum(['true', 'false']).optional() });
/** A name (part of it) or a unified social credit code (its start): 2 to 50 characters. */
const operatorSearchSchema = z.object({ q: z.string().trim().min(2).max(50) });
const assessmentListSchema = z.object({ cycleId: z.uuid().optional(), operatorId: z.uuid().optional() });

/** Contracts (政府购买服务, R-A3): the county records them, the operator reads its own (issue 15 §1). */
@ApiTags('assessment')
@Controller('v1/contracts')
export class ContractsController {
  constructor(private readonly svc: AssessmentService) {}

  @Get()
  @Route({ operationId: 'assessment_listContracts', summary: "Contracts the caller reads (the county's, an operator's own); live versions unless all=true", permission: ['read', 'Contract'], query: contractListSchema })
  list(@CurrentActor() actor: Actor, @Query(new ZodPipe(contractListSchema, 'query')) q: In<typeof contractListSchema>) {
    return this.svc.listContracts(actor, { operatorId: q.operatorId, all: q.all === 'true' });
  }

  @Get('operators')
  @Route({ operationId: 'assessment_searchContractOperators', summary: 'The county finds an active operator to contract by name or unified social credit code, one registered in another county included: id, name, credit code, home region', permission: ['create', 'Contract'], query: operatorSearchSchema })
  operators(@CurrentActor() actor: Actor, @Query(new ZodPipe(operatorSearchSchema, 'query')) q: In<typeof operatorSearchSchema>) {
    return this.svc.searchContractOperators(actor, q.q);
  }

  @Post()
  @Route({ operationId: 'assessment_createContract', summary: 'The county records a contract with an operator: term, markets, amount in fen, payment schedule with the result-linked share, unit rates, the signed document by its SM3 hash', permission: ['create', 'Contract'], body: createContractSchema, status: 201 })
  create(@CurrentActor() actor: Actor, @Body(new ZodPipe(createContractSchema)) body: In<typeof createContractSchema>) {
    return this.svc.createContract(actor, body);
  }

  @Get(':id')
  @Route({ operationId: 'assessment_getContract', summary: 'One contract version with its markets and every version of the contract', permission: ['read', 'Contract'] })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.svc.getContract(actor, id);
  }

  @Post(':id/amendments')
  @Route({ operationId: 'assessment_amendContract', summary: 'An amendment: the next version of the contract, with a reason; the amended version stays, superseded', permission: ['update', 'Contract'], body: amendContractSchema, status: 201 })
  amend(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(amendContractSchema)) body: In<typeof amendContractSchema>) {
    return this.svc.amendContract(actor, id, body);
  }
}

/** Indicator templates, owned by the province and versioned (issue 15 §2). */
@ApiTags('assessment')
@Controller('v1/assessment-templates')
export class TemplatesController {
  constructor(private readonly svc: AssessmentService) {}

  @Get()
  @Route({ operationId: 'assessment_listTemplates', summary: "The province's template versions", permission: ['read', 'AssessmentTemplate'] })
  list(@CurrentActor() actor: Actor) {
    return this.svc.listTemplates(actor);
  }

  @Get('default')
  @Route({ operationId: 'assessment_defaultTemplate', summary: 'The default template (产出 50 · 效益 30 · 满意度 10 · 过程与数据质量 10, docs/assessment.md), to start a version from', permission: ['read', 'AssessmentTemplate'] })
  default() {
    return defaultTemplate();
  }

  @Post()
  @Route({ operationId: 'assessment_createTemplate', summary: 'The province saves the next version of a template (weights total 100, bands cover 0–100)', permission: ['create', 'AssessmentTemplate'], body: createTemplateSchema, status: 201 })
  create(@CurrentActor() actor: Actor, @Body(new ZodPipe(createTemplateSchema)) body: In<typeof createTemplateSchema>) {
    return this.svc.createTemplate(actor, body);
  }

  @Post(':id/local')
  @Route({ operationId: 'assessment_createLocalTemplate', summary: "A city or county saves a local version of a province version: local items within the province's budget, their points taken from the province's leaves", permission: ['create', 'AssessmentTemplate'], body: createTemplateSchema, status: 201 })
  createLocal(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(createTemplateSchema)) body: In<typeof createTemplateSchema>) {
    return this.svc.createLocalTemplate(actor, id, body);
  }

  @Get(':id')
  @Route({ operationId: 'assessment_getTemplate', summary: 'One template version', permission: ['read', 'AssessmentTemplate'] })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.svc.getTemplate(actor, id);
  }
}

/** Assessment cycles (issue 15 §3). */
@ApiTags('assessment')
@Controller('v1/assessment-cycles')
export class CyclesController {
  constructor(private readonly svc: AssessmentService) {}

  @Get()
  @Route({ operationId: 'assessment_listCycles', summary: 'Cycles the caller reads, by state (open, frozen, published)', permission: ['read', 'Assessment'], query: cycleListSchema })
  list(@CurrentActor() actor: Actor, @Query(new ZodPipe(cycleListSchema, 'query')) q: In<typeof cycleListSchema>) {
    return this.svc.listCycles(actor, q);
  }

  @Post()
  @Route({ operationId: 'assessment_openCycle', summary: 'The province or a county opens a cycle for contracts of its region, pinning a template version, with its period, cutoff and deadlines', permission: ['create', 'AssessmentCycle'], body: createCycleSchema, status: 201 })
  open(@CurrentActor() actor: Actor, @Body(new ZodPipe(createCycleSchema)) body: In<typeof createCycleSchema>) {
    return this.svc.openCycle(actor, body);
  }

  @Get(':id')
  @Route({ operationId: 'assessment_getCycle', summary: 'One cycle with its pinned template and the assessments the caller reads', permission: ['read', 'Assessment'] })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.svc.getCycle(actor, id);
  }

  @Post(':id/freeze')
  @Route({ operationId: 'assessment_freezeCycle', summary: 'From the data cutoff: KPI figures computed from the rollups and frozen with their digest; items scored by rule; the audit sample drawn', permission: ['publish', 'AssessmentCycle'], status: 200 })
  freeze(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.svc.freezeCycle(actor, id);
  }

  @Post(':id/publish')
  @Route({ operationId: 'assessment_publishCycle', summary: 'Publish the results (grade and consequence) once every assessment is reviewed and every sampled one audited', permission: ['publish', 'AssessmentCycle'], status: 200 })
  publish(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.svc.publishCycle(actor, id);
  }
}

/** Assessments of a cycle: self-assessment, county review, sample audit, appeal, result and subsidy (issue 15 §3–4). */
@ApiTags('assessment')
@Controller('v1/assessments')
export class AssessmentsController {
  constructor(private readonly svc: AssessmentService) {}

  @Get()
  @Route({ operationId: 'assessment_list', summary: 'Assessments the caller reads (an operator its own), by cycle or operator', permission: ['read', 'Assessment'], query: assessmentListSchema })
  list(@CurrentActor() actor: Actor, @Query(new ZodPipe(assessmentListSchema, 'query')) q: In<typeof assessmentListSchema>) {
    return this.svc.listAssessments(actor, q);
  }

  @Get('results')
  @Route({ operationId: 'assessment_results', summary: 'Published results (total, grade, consequence, final or under appeal), newest first', permission: ['read', 'Assessment'], query: assessmentListSchema })
  results(@CurrentActor() actor: Actor, @Query(new ZodPipe(assessmentListSchema, 'query')) q: In<typeof assessmentListSchema>) {
    return this.svc.results(actor, q);
  }

  @Get(':id')
  @Route({ operationId: 'assessment_get', summary: 'The workspace: each item with its frozen figure and drill-down, evidence, self / county / audit / appeal scores; figure versions and digests', permission: ['read', 'Assessment'] })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.svc.getAssessment(actor, id);
  }

  @Put(':id/self-assessment')
  @Route({ operationId: 'assessment_selfAssess', summary: "The operator's claimed scores on evidence items with evidence (attachment hashes, work-log entries) and explanations, by the deadline", permission: ['operate', 'Assessment'], body: selfAssessmentSchema })
  selfAssess(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(selfAssessmentSchema)) body: In<typeof selfAssessmentSchema>) {
    return this.svc.selfAssess(actor, id, body);
  }

  @Put(':id/review')
  @Route({ operationId: 'assessment_review', summary: 'The county review: a score on every evidence item, a comment on any item (separation of duties)', permission: ['update', 'Assessment'], body: reviewSchema })
  review(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(reviewSchema)) body: In<typeof reviewSchema>) {
    return this.svc.review(actor, id, body);
  }

  @Put(':id/audit')
  @Route({ operationId: 'assessment_audit', summary: 'The city or province sample audit of a sampled assessment; adjustments with reasons', permission: ['verify', 'Assessment'], body: auditSchema })
  audit(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(auditSchema)) body: In<typeof auditSchema>) {
    return this.svc.auditSample(actor, id, body);
  }

  @Post(':id/appeal')
  @Route({ operationId: 'assessment_appeal', summary: 'The operator appeals a published result once, with reasons, within the appeal days', permission: ['operate', 'Assessment'], body: assessmentAppealSchema, status: 200 })
  appeal(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(assessmentAppealSchema)) body: In<typeof assessmentAppealSchema>) {
    return this.svc.appeal(actor, id, body);
  }

  @Post(':id/appeal-decision')
  @Route({ operationId: 'assessment_decideAppeal', summary: 'Someone other than the reviewer upholds (with new item scores) or rejects the appeal; the result becomes final', permission: ['close', 'Assessment'], body: decideAppealSchema, status: 200 })
  decide(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(decideAppealSchema)) body: In<typeof decideAppealSchema>) {
    return this.svc.decideAppeal(actor, id, body);
  }

  @Post(':id/recompute')
  @Route({ operationId: 'assessment_recompute', summary: 'Recompute the frozen figures as an explicit new version with a reason (before publication only)', permission: ['publish', 'AssessmentCycle'], body: recomputeSchema, status: 200 })
  recompute(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(recomputeSchema)) body: In<typeof recomputeSchema>) {
    return this.svc.recompute(actor, id, body);
  }

  @Get(':id/statement')
  @Route({ operationId: 'assessment_statement', summary: 'The subsidy statement (R-F2): result-linked share × grade factor + workload × unit rates from the frozen figures', permission: ['read', 'Assessment'] })
  statement(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.svc.statement(actor, id);
  }

  @Get(':id/statement.xlsx')
  @Route({ operationId: 'assessment_statementXlsx', summary: 'The subsidy statement as .xlsx', permission: ['read', 'Assessment'], produces: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
  async statementXlsx(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Res() reply: FastifyReply) {
    const s = await this.svc.statement(actor, id);
    const buf = await statementXlsx(s);
    return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentDisposition(`补助结算单-${s.contract.number}-${s.cycle.periodTo}.xlsx`, `statement-${id}`))
      .header('cache-control', 'no-store').send(buf);
  }

  @Get(':id/statement.pdf')
  @Route({ operationId: 'assessment_statementPdf', summary: 'The subsidy statement as PDF (Chinese, embedded CJK font; 503 without one)', permission: ['read', 'Assessment'], produces: 'application/pdf' })
  async statementPdf(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Res() reply: FastifyReply) {
    const s = await this.svc.statement(actor, id);
    let content: Buffer;
    try {
      content = await statementPdf(s);
    } catch (e) {
      if (e instanceof PdfFontMissing) throw new ProblemException(503, 'report_pdf_font');
      throw e;
    }
    return sendDownload(reply, { content, filename: `statement-${s.contract.number}-${s.cycle.periodTo}.pdf`, type: 'application/pdf' });
  }

  @Post(':id/statement/approval')
  @Route({ operationId: 'assessment_approveStatement', summary: 'The county approves the subsidy statement; its snapshot and digest are kept', permission: ['update', 'Assessment'], status: 200 })
  approve(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.svc.approveStatement(actor, id);
  }
}

const eligibilityQuerySchema = z.object({ cycleId: z.uuid(), minGrade: z.enum(['excellent', 'good', 'fair', 'poor']).optional() });

/** Model market lists (示范零工市场, issue 15 §5): proposal under 公示, objections, designation. */
@ApiTags('assessment')
@Controller('v1/model-market-lists')
export class ModelMarketListsController {
  constructor(private readonly svc: ModelMarketsService) {}

  @Get()
  @Route({ operationId: 'modelMarkets_lists', summary: 'Model market lists the caller reads (its own and those of the authorities above it), newest first', permission: ['read', 'ModelMarket'] })
  lists(@CurrentActor() actor: Actor) {
    return this.svc.lists(actor);
  }

  @Get('eligibility')
  @Route({ operationId: 'modelMarkets_eligibility', summary: "The rules applied today to every market of a published cycle in the caller's region: candidates with reasons, excluded markets with why (nothing written)", permission: ['create', 'ModelMarket'], query: eligibilityQuerySchema })
  eligibility(@CurrentActor() actor: Actor, @Query(new ZodPipe(eligibilityQuerySchema, 'query')) q: In<typeof eligibilityQuerySchema>) {
    return this.svc.eligibility(actor, q);
  }

  @Post()
  @Route({ operationId: 'modelMarkets_propose', summary: 'The province (provincial title) or a city (city-level title, its own markets) proposes candidates from a published cycle; they stand under 公示 for noticeDays days', permission: ['create', 'ModelMarket'], body: proposeModelMarketsSchema, status: 201 })
  propose(@CurrentActor() actor: Actor, @Body(new ZodPipe(proposeModelMarketsSchema)) body: In<typeof proposeModelMarketsSchema>) {
    return this.svc.propose(actor, body);
  }

  @Get(':id')
  @Route({ operationId: 'modelMarkets_list', summary: 'One list: its markets (state, reasons, objections) and the evaluation of every market of the cycle it was proposed on', permission: ['read', 'ModelMarket'] })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.svc.list(actor, id);
  }

  @Post(':id/objections')
  @Route({ operationId: 'modelMarkets_object', summary: 'An objection received during 公示 (letter, phone, email, visit, online), recorded by the granting authority', permission: ['update', 'ModelMarket'], body: modelObjectionSchema, status: 201 })
  object(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(modelObjectionSchema)) body: In<typeof modelObjectionSchema>) {
    return this.svc.object(actor, id, body);
  }

  @Post(':id/designation')
  @Route({ operationId: 'modelMarkets_designate', summary: 'After 公示, someone other than the proposer designates: each market with an objection kept or dropped with a reason, the others designated', permission: ['publish', 'ModelMarket'], body: designateModelMarketsSchema, status: 200 })
  designate(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(designateModelMarketsSchema)) body: In<typeof designateModelMarketsSchema>) {
    return this.svc.designate(actor, id, body);
  }
}

/** Model market titles (issue 15 §5): each market's title by level and state; revocation. */
@ApiTags('assessment')
@Controller('v1/model-markets')
export class ModelMarketsController {
  constructor(private readonly svc: ModelMarketsService) {}

  @Get()
  @Route({ operationId: 'modelMarkets_titles', summary: "Titles in the caller's region (under 公示, designated, dropped, revoked), by state and level", permission: ['read', 'ModelMarket'], query: modelMarketListQuerySchema })
  titles(@CurrentActor() actor: Actor, @Query(new ZodPipe(modelMarketListQuerySchema, 'query')) q: In<typeof modelMarketListQuerySchema>) {
    return this.svc.titlesOf(actor, q);
  }

  @Post(':id/revocation')
  @Route({ operationId: 'modelMarkets_revoke', summary: 'The granting authority revokes a designated title, with reasons', permission: ['close', 'ModelMarket'], body: revokeModelMarketSchema, status: 200 })
  revoke(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(revokeModelMarketSchema)) body: In<typeof revokeModelMarketSchema>) {
    return this.svc.revoke(actor, id, body);
  }
}
