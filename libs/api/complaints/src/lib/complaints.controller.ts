import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  boardQuerySchema, callbackSchema, complaintRevealSchema, closeComplaintSchema, complaintLimitsSchema, complaintQuerySchema, escalateSchema, escalationReplySchema,
  extensionDecisionSchema, extensionRequestSchema, handlingRecordSchema, intakeComplaintSchema, noticeSchema, publicComplaintSchema,
  publicReopenSchema, reopenSchema, transferSchema, type Actor,
} from '@linggong/domain';
import { CurrentActor, IdPipe, Route, ZodPipe } from '@linggong/api-core';
import { ComplaintsService } from './complaints.service';
import { ComplaintBoardService } from './complaint-board.service';

type In<S extends z.core.$ZodType> = z.infer<S>;
const limitsQuerySchema = z.object({ province: z.string().regex(/^\d{2}$/).optional() });

@ApiTags('complaints')
@Controller('v1')
export class ComplaintsController {
  constructor(private readonly complaints: ComplaintsService, private readonly board: ComplaintBoardService) {}

  @Post('complaints')
  @Route({ operationId: 'complaints_intake', summary: 'Take a complaint by hotline, on site or from 12345; the receiver owns it (首问负责, R-C2)', permission: ['create', 'Complaint'], body: intakeComplaintSchema, status: 201 })
  intake(@CurrentActor() actor: Actor, @Body(new ZodPipe(intakeComplaintSchema)) body: In<typeof intakeComplaintSchema>) {
    return this.complaints.intake(actor, body);
  }

  @Get('complaints')
  @Route({ operationId: 'complaints_list', summary: 'Complaints visible to the caller, open first by due date', permission: ['read', 'Complaint'], query: complaintQuerySchema })
  list(@CurrentActor() actor: Actor, @Query(new ZodPipe(complaintQuerySchema, 'query')) q: In<typeof complaintQuerySchema>) {
    return this.complaints.list(actor, q);
  }

  @Get('complaints/board')
  @Route({ operationId: 'complaints_board', summary: 'Oversight board: open, due soon, overdue, on-time rate, satisfaction, repeats (by operator for authorities, by market for operators)', permission: ['read', 'Complaint'], query: boardQuerySchema })
  boardView(@CurrentActor() actor: Actor, @Query(new ZodPipe(boardQuerySchema, 'query')) q: In<typeof boardQuerySchema>) {
    return this.board.board(actor, q);
  }

  @Get('complaint-limits')
  @Route({ operationId: 'complaints_getLimits', summary: 'Resolution limits in working days per category for a province', permission: ['read', 'ComplaintPolicy'], query: limitsQuerySchema })
  limits(@CurrentActor() actor: Actor, @Query(new ZodPipe(limitsQuerySchema, 'query')) q: In<typeof limitsQuerySchema>) {
    return this.board.limits(actor, q.province);
  }

  @Put('complaint-limits/:province')
  @Route({ operationId: 'complaints_setLimits', summary: 'The province authority sets its resolution limits (issue 6 §3)', permission: ['update', 'ComplaintPolicy'], body: complaintLimitsSchema, status: 200 })
  setLimits(@CurrentActor() actor: Actor, @Param('province') province: string, @Body(new ZodPipe(complaintLimitsSchema)) body: In<typeof complaintLimitsSchema>) {
    return this.board.setLimits(actor, province, body);
  }

  @Get('complaints/:id')
  @Route({ operationId: 'complaints_get', summary: 'One complaint with its records, notices, transfers, extensions and escalations', permission: ['read', 'Complaint'] })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.complaints.get(actor, id);
  }

  @Post('complaints/:id/reveal')
  @Route({ operationId: 'complaints_revealContact', summary: 'The complainant\'s name or mobile in full, for a callback (audited)', permission: ['reveal', 'Complaint'], body: complaintRevealSchema, status: 200 })
  reveal(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(complaintRevealSchema)) body: In<typeof complaintRevealSchema>) {
    return this.complaints.reveal(actor, id, body.field);
  }

  @Get('complaints/:id/transfer-targets')
  @Route({ operationId: 'complaints_transferTargets', summary: 'Who can take the complaint over at its market', permission: ['update', 'Complaint'] })
  targets(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.complaints.transferTargets(actor, id);
  }

  @Post('complaints/:id/acknowledge')
  @Route({ operationId: 'complaints_acknowledge', summary: 'Acknowledge receipt (within 1 working day)', permission: ['update', 'Complaint'], status: 200 })
  acknowledge(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.complaints.acknowledge(actor, id);
  }

  @Post('complaints/:id/records')
  @Route({ operationId: 'complaints_addRecord', summary: 'A handling record: call, visit, mediation, referral, decision or message (also in the work log)', permission: ['update', 'Complaint'], body: handlingRecordSchema, status: 201 })
  record(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(handlingRecordSchema)) body: In<typeof handlingRecordSchema>) {
    return this.complaints.record(actor, id, body);
  }

  @Post('complaints/:id/notices')
  @Route({ operationId: 'complaints_notice', summary: 'One-time notification of every missing material (一次性告知); a later notice asking for more is refused unless confirmed', permission: ['update', 'Complaint'], body: noticeSchema, status: 201 })
  notice(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(noticeSchema)) body: In<typeof noticeSchema>) {
    return this.complaints.notice(actor, id, body);
  }

  @Post('complaints/:id/transfers')
  @Route({ operationId: 'complaints_transfer', summary: 'Ask a colleague to take the complaint over; ownership moves only when accepted', permission: ['update', 'Complaint'], body: transferSchema, status: 201 })
  transfer(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(transferSchema)) body: In<typeof transferSchema>) {
    return this.complaints.transfer(actor, id, body);
  }

  @Post('complaints/:id/transfers/accept')
  @Route({ operationId: 'complaints_acceptTransfer', summary: 'The named colleague accepts the transfer and becomes the owner', permission: ['update', 'Complaint'], status: 200 })
  accept(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.complaints.decideTransfer(actor, id, true);
  }

  @Post('complaints/:id/transfers/decline')
  @Route({ operationId: 'complaints_declineTransfer', summary: 'The named colleague declines; the first receiver keeps it', permission: ['update', 'Complaint'], status: 200 })
  decline(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.complaints.decideTransfer(actor, id, false);
  }

  @Post('complaints/:id/extensions')
  @Route({ operationId: 'complaints_requestExtension', summary: 'Ask for more working days, with a reason', permission: ['update', 'Complaint'], body: extensionRequestSchema, status: 201 })
  requestExtension(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(extensionRequestSchema)) body: In<typeof extensionRequestSchema>) {
    return this.complaints.requestExtension(actor, id, body);
  }

  @Post('complaints/:id/extensions/decision')
  @Route({ operationId: 'complaints_decideExtension', summary: 'Approve or refuse the pending extension (someone other than who asked)', permission: ['verify', 'Complaint'], body: extensionDecisionSchema, status: 200 })
  decideExtension(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(extensionDecisionSchema)) body: In<typeof extensionDecisionSchema>) {
    return this.complaints.decideExtension(actor, id, body);
  }

  @Post('complaints/:id/escalations')
  @Route({ operationId: 'complaints_escalate', summary: 'Escalate to the county bureau, refer wage arrears to labour inspection (employer flagged), or to the police', permission: ['update', 'Complaint'], body: escalateSchema, status: 201 })
  escalate(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(escalateSchema)) body: In<typeof escalateSchema>) {
    return this.complaints.escalate(actor, id, body);
  }

  @Post('complaints/:id/escalations/:escalationId/reply')
  @Route({ operationId: 'complaints_recordReferralReply', summary: 'Record what labour inspection or the police answered (acceptance, outcome, their reference)', permission: ['update', 'Complaint'], body: escalationReplySchema, status: 200 })
  referralReply(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Param('escalationId', IdPipe) escalationId: string, @Body(new ZodPipe(escalationReplySchema)) body: In<typeof escalationReplySchema>) {
    return this.complaints.replyEscalation(actor, id, escalationId, body, 'external');
  }

  @Post('complaints/:id/escalations/:escalationId/county-reply')
  @Route({ operationId: 'complaints_countyReply', summary: 'The county bureau accepts what was escalated to it and records the outcome', permission: ['verify', 'Complaint'], body: escalationReplySchema, status: 200 })
  countyReply(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Param('escalationId', IdPipe) escalationId: string, @Body(new ZodPipe(escalationReplySchema)) body: In<typeof escalationReplySchema>) {
    return this.complaints.replyEscalation(actor, id, escalationId, body, 'county');
  }

  @Post('complaints/:id/close')
  @Route({ operationId: 'complaints_close', summary: 'Close with a result', permission: ['update', 'Complaint'], body: closeComplaintSchema, status: 200 })
  close(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(closeComplaintSchema)) body: In<typeof closeComplaintSchema>) {
    return this.complaints.close(actor, id, body);
  }

  @Post('complaints/:id/callback')
  @Route({ operationId: 'complaints_callback', summary: 'Record the callback (回访) and the complainant\'s satisfaction', permission: ['update', 'Complaint'], body: callbackSchema, status: 200 })
  callback(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(callbackSchema)) body: In<typeof callbackSchema>) {
    return this.complaints.callback(actor, id, body);
  }

  @Post('complaints/:id/reopen')
  @Route({ operationId: 'complaints_reopen', summary: 'Reopen at the complainant\'s request within the reopening period', permission: ['update', 'Complaint'], body: reopenSchema, status: 200 })
  reopen(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(reopenSchema)) body: In<typeof reopenSchema>) {
    return this.complaints.reopen(actor, id, body);
  }
}

/** The public complaint channel (R-D1): no sign-in; writes rate-limited per IP. */
@ApiTags('public')
@Controller('v1/public')
export class PublicComplaintsController {
  constructor(private readonly complaints: ComplaintsService) {}

  @Post('markets/:id/complaints')
  @RouteConfig({ publicWriteRateLimit: true })
  @Route({ operationId: 'public_fileComplaint', summary: 'File a complaint on the market\'s public page (anonymous allowed); returns a tracking code', permission: 'public', body: publicComplaintSchema, status: 201 })
  file(@Param('id', IdPipe) id: string, @Body(new ZodPipe(publicComplaintSchema)) body: In<typeof publicComplaintSchema>) {
    return this.complaints.submitPublic(id, body);
  }

  @Get('complaints/:code')
  @Route({ operationId: 'public_trackComplaint', summary: 'A complaint\'s progress by its tracking code', permission: 'public' })
  track(@Param('code') code: string) {
    return this.complaints.publicStatus(code);
  }

  @Post('complaints/:code/reopen')
  @RouteConfig({ publicWriteRateLimit: true })
  @Route({ operationId: 'public_reopenComplaint', summary: 'The complainant reopens a closed complaint within the reopening period', permission: 'public', body: publicReopenSchema, status: 200 })
  reopen(@Param('code') code: string, @Body(new ZodPipe(publicReopenSchema)) body: In<typeof publicReopenSchema>) {
    return this.complaints.reopenPublic(code, body.reason);
  }
}
