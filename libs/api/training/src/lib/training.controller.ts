import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  certificateSchema, courseQuerySchema, createCourseSchema, createSessionSchema, demandSummaryQuerySchema, deskAttendanceSchema, enrolSchema,
  enrolmentQuerySchema, pickLang, publicAttendanceSchema, trainingDemandQuerySchema, trainingDemandSchema, trainingLedgerQuerySchema,
  type Actor, type CreateCourseInput, type CreateSessionInput, type TrainingDemandInput,
} from '@linggong/domain';
import { CurrentActor, IdPipe, Route, ZodPipe, sendDownload } from '@linggong/api-core';
import { TrainingService } from './training.service';
import { TrainingPublicService } from './training-public.service';
import { XLSX_MIME } from './training-ledger';

type In<S extends z.ZodType> = z.infer<S>;
/** An attachment header with the UTF-8 name for browsers and an ASCII fallback. */
const attachment = (ascii: string, name: string) => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** Training (R-B10): demand, catalogue, sessions, enrolment, attendance, completion, certificates, the 培训台账. */
@ApiTags('training')
@Controller('v1')
export class TrainingController {
  constructor(private readonly training: TrainingService) {}

  @Post('markets/:id/training/demands')
  @Route({ operationId: 'training_createDemand', summary: 'Record a worker\'s training demand (occupation, skill) at a market (R-B10)', permission: ['create', 'Training'], body: trainingDemandSchema, status: 201 })
  createDemand(@CurrentActor() actor: Actor, @Param('id', IdPipe) marketId: string, @Body(new ZodPipe(trainingDemandSchema)) body: TrainingDemandInput) {
    return this.training.createDemand(actor, marketId, body);
  }

  @Get('training/demands')
  @Route({ operationId: 'training_listDemands', summary: 'Training demand visible to the caller', permission: ['read', 'Training'], query: trainingDemandQuerySchema })
  listDemands(@CurrentActor() actor: Actor, @Query(new ZodPipe(trainingDemandQuerySchema, 'query')) q: In<typeof trainingDemandQuerySchema>) {
    return this.training.listDemands(actor, q);
  }

  @Get('training/demand-summary')
  @Route({ operationId: 'training_demandSummary', summary: 'Demand per occupation against the course catalogue; occupations that lack a course first', permission: ['read', 'Training'], query: demandSummaryQuerySchema })
  demandSummary(@CurrentActor() actor: Actor, @Query(new ZodPipe(demandSummaryQuerySchema, 'query')) q: In<typeof demandSummaryQuerySchema>) {
    return this.training.demandSummary(actor, q);
  }

  @Post('markets/:id/training/courses')
  @Route({ operationId: 'training_createCourse', summary: 'Add a course to the catalogue: occupation, hours, classroom or online, free or not', permission: ['create', 'Training'], body: createCourseSchema, status: 201 })
  createCourse(@CurrentActor() actor: Actor, @Param('id', IdPipe) marketId: string, @Body(new ZodPipe(createCourseSchema)) body: CreateCourseInput) {
    return this.training.createCourse(actor, marketId, body);
  }

  @Get('training/courses')
  @Route({ operationId: 'training_listCourses', summary: 'The course catalogue visible to the caller', permission: ['read', 'Training'], query: courseQuerySchema })
  listCourses(@CurrentActor() actor: Actor, @Query(new ZodPipe(courseQuerySchema, 'query')) q: In<typeof courseQuerySchema>) {
    return this.training.listCourses(actor, q);
  }

  @Get('training/courses/:id')
  @Route({ operationId: 'training_getCourse', summary: 'One course with its sessions', permission: ['read', 'Training'] })
  getCourse(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.training.getCourse(actor, id);
  }

  @Post('training/courses/:id/sessions')
  @Route({ operationId: 'training_createSession', summary: 'Schedule a session: trainer, place, start and end, hours', permission: ['create', 'Training'], body: createSessionSchema, status: 201 })
  createSession(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(createSessionSchema)) body: CreateSessionInput) {
    return this.training.createSession(actor, id, body);
  }

  @Post('training/courses/:id/enrolments')
  @Route({ operationId: 'training_enrol', summary: 'Enrol a registered worker (optionally answering their demand)', permission: ['create', 'Training'], body: enrolSchema, status: 201 })
  enrol(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(enrolSchema)) body: In<typeof enrolSchema>) {
    return this.training.enrol(actor, id, body);
  }

  @Post('training/sessions/:id/qr-code')
  @Route({ operationId: 'training_issueSessionCode', summary: 'A new QR sign-in code for the session (the previous one stops working)', permission: ['update', 'Training'], status: 200 })
  issueCode(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.training.issueSessionToken(actor, id);
  }

  @Post('training/sessions/:id/attendance')
  @Route({ operationId: 'training_recordAttendance', summary: 'Record attendance signed on the desk screen (PNG data URL); refused outside the session\'s sign-in window', permission: ['create', 'Training'], body: deskAttendanceSchema, status: 201 })
  attend(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(deskAttendanceSchema)) body: In<typeof deskAttendanceSchema>) {
    return this.training.recordDeskAttendance(actor, id, body);
  }

  @Get('training/enrolments')
  @Route({ operationId: 'training_listEnrolments', summary: 'Enrolments with attendance, hours and the subsidy flag', permission: ['read', 'Training'], query: enrolmentQuerySchema })
  listEnrolments(@CurrentActor() actor: Actor, @Query(new ZodPipe(enrolmentQuerySchema, 'query')) q: In<typeof enrolmentQuerySchema>) {
    return this.training.listEnrolments(actor, q);
  }

  @Get('training/enrolments/:id')
  @Route({ operationId: 'training_getEnrolment', summary: 'One enrolment: attendance, subsidy reasons, later referrals and hires (培训+技能+推荐+就业)', permission: ['read', 'Training'] })
  getEnrolment(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.training.getEnrolment(actor, id);
  }

  @Post('training/enrolments/:id/completion')
  @Route({ operationId: 'training_complete', summary: 'Complete the course when the attended hours reach the required share', permission: ['update', 'Training'], status: 200 })
  complete(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.training.complete(actor, id);
  }

  @Post('training/enrolments/:id/certificate')
  @Route({ operationId: 'training_issueCertificate', summary: 'Record the certificate (number, issue date) of a completed enrolment', permission: ['update', 'Training'], body: certificateSchema, status: 200 })
  certificate(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(certificateSchema)) body: In<typeof certificateSchema>) {
    return this.training.issueCertificate(actor, id, body);
  }

  @Get('training/attendance/:id/signature')
  @Route({ operationId: 'training_getSignature', summary: 'The trainee\'s on-screen signature (PNG); its hash is in the attendance and the work log', permission: ['read', 'Training'], produces: 'image/png' })
  async signature(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Res() reply: FastifyReply) {
    const s = await this.training.signature(actor, id);
    return sendDownload(reply, { content: s.png, filename: `signature-${id}.png`, type: 'image/png', headers: { 'x-content-hash': s.hash } });
  }

  @Get('training/ledger')
  @Route({ operationId: 'training_exportLedger', summary: 'The training ledger (培训台账) as .xlsx, masked (audited)', permission: ['read', 'Training'], query: trainingLedgerQuerySchema, produces: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
  async exportLedger(@CurrentActor() actor: Actor, @Query(new ZodPipe(trainingLedgerQuerySchema, 'query')) q: In<typeof trainingLedgerQuerySchema>, @Headers('accept-language') lang: string | undefined, @Res() reply: FastifyReply) {
    const buf = await this.training.exportLedger(actor, q, pickLang(lang));
    const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    return reply.header('content-type', XLSX_MIME).header('content-disposition', attachment(`training-ledger-${day}.xlsx`, `培训台账-${day}.xlsx`)).send(buf);
  }
}

/** The QR sign-in page's API: no sign-in; the code names the session (R-B10). */
@ApiTags('public')
@Controller('v1/public/training-sessions/:token')
export class TrainingPublicController {
  constructor(private readonly pub: TrainingPublicService) {}

  @Get()
  @Route({ operationId: 'public_trainingSession', summary: 'The session a QR sign-in code belongs to', permission: 'public' })
  session(@Param('token') token: string) {
    return this.pub.session(token);
  }

  @Post('attendance')
  @RouteConfig({ publicWriteRateLimit: true })
  @Route({ operationId: 'public_trainingAttend', summary: 'A trainee signs in for the session by mobile number (QR page); refused outside the sign-in window', permission: 'public', body: publicAttendanceSchema, status: 200 })
  attend(@Param('token') token: string, @Body(new ZodPipe(publicAttendanceSchema)) body: In<typeof publicAttendanceSchema>) {
    return this.pub.attend(token, body.mobile);
  }
}
