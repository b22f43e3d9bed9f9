import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import {
  callbackOutcomeSchema, callbackQuerySchema, callbackRevealSchema, createCallbackSampleSchema, createInspectionPlanSchema, createInspectionSchema,
  createRectificationSchema, inspectionPlanQuerySchema, inspectionQuerySchema, inspectionReportSchema, oversightKpiQuerySchema,
  rectificationEvidenceSchema, rectificationNoteSchema, rectificationQuerySchema, rectificationVerifySchema, OVERSIGHT_KPIS, type Actor,
} from '@linggong/domain';
import { CurrentActor, IdPipe, Route, ZodPipe } from '@linggong/api-core';
import { CallbackService } from './callback.service';
import { RectificationService } from './rectification.service';
import { InspectionsService } from './inspections.service';

type In<S extends z.ZodType> = z.infer<S>;

/** Call-back sampling (抽查回访, issue 16 §2; R-F1, R-F3). */
@ApiTags('oversight')
@Controller('v1')
export class CallbackController {
  constructor(private readonly callbacks: CallbackService, private readonly rectifications: RectificationService) {}

  @Post('callback-samples')
  @Route({ operationId: 'oversight_commitSample', summary: 'Commit to a call-back sample of an operator in the county: a random seed whose hash is published now', permission: ['create', 'CallbackSample'], body: createCallbackSampleSchema, status: 201 })
  commit(@CurrentActor() actor: Actor, @Body(new ZodPipe(createCallbackSampleSchema)) body: In<typeof createCallbackSampleSchema>) {
    return this.callbacks.commit(actor, body);
  }

  @Get('callback-samples')
  @Route({ operationId: 'oversight_listSamples', summary: 'Call-back samples visible to the caller', permission: ['read', 'CallbackSample'], query: callbackQuerySchema })
  list(@CurrentActor() actor: Actor, @Query(new ZodPipe(callbackQuerySchema, 'query')) q: In<typeof callbackQuerySchema>) {
    return this.callbacks.list(actor, q);
  }

  @Get('callback-samples/:id')
  @Route({ operationId: 'oversight_getSample', summary: 'One sample: seed hash (the seed once drawn), candidates digest, sampled entries and outcomes', permission: ['read', 'CallbackSample'] })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.callbacks.get(actor, id);
  }

  @Post('callback-samples/:id/draw')
  @Route({ operationId: 'oversight_drawSample', summary: 'Draw the sample from the sealed work log of the period by the published rule, and reveal the seed', permission: ['update', 'CallbackSample'], status: 200 })
  draw(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.callbacks.draw(actor, id);
  }

  @Post('callback-samples/:id/reveal')
  @Route({ operationId: 'oversight_revealContact', summary: 'A sampled worker’s mobile for the call (audited); a worker outside the sample is refused (403, audited)', permission: ['reveal', 'CallbackSample'], body: callbackRevealSchema, status: 200 })
  reveal(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(callbackRevealSchema)) body: In<typeof callbackRevealSchema>) {
    return this.callbacks.reveal(actor, id, body.workerId);
  }

  @Post('callback-samples/:id/calls/:callId/outcome')
  @Route({ operationId: 'oversight_recordOutcome', summary: 'Record a call’s outcome: confirmed, not reachable, denies the work, details differ (once)', permission: ['update', 'CallbackSample'], body: callbackOutcomeSchema, status: 200 })
  outcome(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Param('callId', IdPipe) callId: string, @Body(new ZodPipe(callbackOutcomeSchema)) body: In<typeof callbackOutcomeSchema>) {
    return this.callbacks.recordOutcome(actor, id, callId, body);
  }

  @Post('callback-samples/:id/complete')
  @Route({ operationId: 'oversight_completeSample', summary: 'Complete the sample: the agreement rate is fixed; below the threshold a follow-up inspection opens', permission: ['update', 'CallbackSample'], status: 200 })
  complete(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.callbacks.complete(actor, id);
  }

  @Get('oversight/kpis')
  @Route({ operationId: 'oversight_kpis', summary: 'Oversight KPIs (抽查回访一致率) over the completed samples of a period, in the caller’s scope', permission: ['read', 'CallbackSample'], query: oversightKpiQuerySchema })
  kpis(@CurrentActor() actor: Actor, @Query(new ZodPipe(oversightKpiQuerySchema, 'query')) q: In<typeof oversightKpiQuerySchema>) {
    return this.callbacks.kpis(actor, q);
  }

  @Get('oversight/kpi-catalogue')
  @Route({ operationId: 'oversight_kpiCatalogue', summary: 'The oversight KPIs’ definitions (code, names, definition, unit, basis)', permission: 'authenticated' })
  catalogue() {
    return OVERSIGHT_KPIS;
  }

  @Get('oversight/summary')
  @Route({ operationId: 'oversight_summary', summary: 'Home-page figures: open, overdue and escalated rectification orders, samples in progress, inspections planned', permission: 'authenticated' })
  summary(@CurrentActor() actor: Actor) {
    return this.rectifications.summary(actor);
  }
}

/** Rectification orders (整改, issue 16 §3). */
@ApiTags('oversight')
@Controller('v1/rectifications')
export class RectificationController {
  constructor(private readonly rectifications: RectificationService) {}

  @Post()
  @Route({ operationId: 'oversight_orderRectification', summary: 'Order rectification from a reported inspection or a completed call-back sample: items, severity, responsible person, deadline in working days', permission: ['create', 'Rectification'], body: createRectificationSchema, status: 201 })
  order(@CurrentActor() actor: Actor, @Body(new ZodPipe(createRectificationSchema)) body: In<typeof createRectificationSchema>) {
    return this.rectifications.order(actor, body);
  }

  @Get()
  @Route({ operationId: 'oversight_listRectifications', summary: 'Rectification orders visible to the caller (status, overdue, escalated)', permission: ['read', 'Rectification'], query: rectificationQuerySchema })
  list(@CurrentActor() actor: Actor, @Query(new ZodPipe(rectificationQuerySchema, 'query')) q: In<typeof rectificationQuerySchema>) {
    return this.rectifications.list(actor, q);
  }

  @Get(':id')
  @Route({ operationId: 'oversight_getRectification', summary: 'One order with its timeline', permission: ['read', 'Rectification'] })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.rectifications.get(actor, id);
  }

  @Post(':id/start')
  @Route({ operationId: 'oversight_startRectification', summary: 'The operator starts rectifying (待整改 → 整改中)', permission: ['update', 'Rectification'], body: rectificationNoteSchema, status: 200 })
  start(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(rectificationNoteSchema)) body: In<typeof rectificationNoteSchema>) {
    return this.rectifications.start(actor, id, body);
  }

  @Post(':id/evidence')
  @Route({ operationId: 'oversight_submitRectification', summary: 'The operator submits its evidence (整改中 → 已整改): a note and work-log attachments by hash', permission: ['update', 'Rectification'], body: rectificationEvidenceSchema, status: 200 })
  submit(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(rectificationEvidenceSchema)) body: In<typeof rectificationEvidenceSchema>) {
    return this.rectifications.submit(actor, id, body);
  }

  @Post(':id/verification')
  @Route({ operationId: 'oversight_verifyRectification', summary: 'The county verifies: pass (→ 已验证), partial or fail (→ back to 整改中)', permission: ['verify', 'Rectification'], body: rectificationVerifySchema, status: 200 })
  verify(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(rectificationVerifySchema)) body: In<typeof rectificationVerifySchema>) {
    return this.rectifications.verify(actor, id, body);
  }

  @Post(':id/close')
  @Route({ operationId: 'oversight_closeRectification', summary: 'The county closes a verified order (已验证 → 已关闭)', permission: ['close', 'Rectification'], body: rectificationNoteSchema, status: 200 })
  close(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(rectificationNoteSchema)) body: In<typeof rectificationNoteSchema>) {
    return this.rectifications.close(actor, id, body);
  }
}

/** Inspection plans and inspections (督导检查, issue 16 §1). */
@ApiTags('oversight')
@Controller('v1')
export class InspectionsController {
  constructor(private readonly inspections: InspectionsService) {}

  @Post('inspection-plans')
  @Route({ operationId: 'oversight_createPlan', summary: 'A county’s or city’s inspection plan: annual, quarterly or special', permission: ['create', 'Inspection'], body: createInspectionPlanSchema, status: 201 })
  createPlan(@CurrentActor() actor: Actor, @Body(new ZodPipe(createInspectionPlanSchema)) body: In<typeof createInspectionPlanSchema>) {
    return this.inspections.createPlan(actor, body);
  }

  @Get('inspection-plans')
  @Route({ operationId: 'oversight_listPlans', summary: 'Inspection plans of the caller’s region', permission: ['read', 'Inspection'], query: inspectionPlanQuerySchema })
  listPlans(@CurrentActor() actor: Actor, @Query(new ZodPipe(inspectionPlanQuerySchema, 'query')) q: In<typeof inspectionPlanQuerySchema>) {
    return this.inspections.listPlans(actor, q);
  }

  @Post('inspections')
  @Route({ operationId: 'oversight_createInspection', summary: 'Schedule an inspection of an operator (on site, online, documents, follow-up), optionally of one market and under a plan', permission: ['create', 'Inspection'], body: createInspectionSchema, status: 201 })
  create(@CurrentActor() actor: Actor, @Body(new ZodPipe(createInspectionSchema)) body: In<typeof createInspectionSchema>) {
    return this.inspections.create(actor, body);
  }

  @Get('inspections')
  @Route({ operationId: 'oversight_listInspections', summary: 'Inspections visible to the caller (an operator sees its reported ones)', permission: ['read', 'Inspection'], query: inspectionQuerySchema })
  list(@CurrentActor() actor: Actor, @Query(new ZodPipe(inspectionQuerySchema, 'query')) q: In<typeof inspectionQuerySchema>) {
    return this.inspections.list(actor, q);
  }

  @Get('inspections/:id')
  @Route({ operationId: 'oversight_getInspection', summary: 'One inspection with its checklist, findings and score', permission: ['read', 'Inspection'] })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.inspections.get(actor, id);
  }

  @Post('inspections/:id/report')
  @Route({ operationId: 'oversight_reportInspection', summary: 'Report an inspection once: checklist results, findings with photo hashes and severity, summary; the score follows', permission: ['update', 'Inspection'], body: inspectionReportSchema, status: 200 })
  report(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(inspectionReportSchema)) body: In<typeof inspectionReportSchema>) {
    return this.inspections.report(actor, id, body);
  }
}
