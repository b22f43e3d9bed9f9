import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { multiline,
  appealDecisionSchema, appealSchema, cancelSchema, checkInSchema, completeSchema, confirmSchema, createPostSchema,
  noShowSchema, nonPaymentSchema, placementQuerySchema, postQuerySchema, publicCheckInSchema, queueQuerySchema,
  recommendSchema, reviewPostSchema, sanctionSchema, startSchema, wageReferralSchema, type Actor, type CreatePostInput,
} from '@linggong/domain';
import { CurrentActor, IdPipe, Route, ZodPipe } from '@linggong/api-core';
import { PostsService } from './posts.service';
import { MatchingService } from './matching.service';
import { SanctionsService } from './sanctions.service';
import { PublicService } from './public.service';
import { GateCodeService } from './gate-code.service';

const withdrawSchema = z.strictObject({ reason: multiline(2, 500) });
const candidatesQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(30) });
type Body<S extends z.core.$ZodType> = z.infer<S>;

@ApiTags('jobs')
@Controller('v1')
export class JobsController {
  constructor(
    private readonly posts: PostsService, private readonly matching: MatchingService, private readonly sanctions: SanctionsService,
    private readonly gate: GateCodeService,
  ) {}

  // Posts (R-B4, R-B6, R-E8)

  @Post('markets/:id/posts')
  @Route({ operationId: 'jobs_createPost', summary: 'Submit a job post for review; red flags are raised automatically (R-B6)', permission: ['create', 'Post'], body: createPostSchema, status: 201 })
  createPost(@CurrentActor() actor: Actor, @Param('id', IdPipe) marketId: string, @Body(new ZodPipe(createPostSchema)) body: CreatePostInput) {
    return this.posts.create(actor, marketId, body);
  }

  @Get('posts')
  @Route({ operationId: 'jobs_listPosts', summary: 'Job posts visible to the caller', permission: ['read', 'Post'], query: postQuerySchema })
  listPosts(@CurrentActor() actor: Actor, @Query(new ZodPipe(postQuerySchema, 'query')) q: Body<typeof postQuerySchema>) {
    return this.posts.list(actor, q);
  }

  @Get('posts/:id')
  @Route({ operationId: 'jobs_getPost', summary: 'One job post with its red flags', permission: ['read', 'Post'] })
  getPost(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.posts.get(actor, id);
  }

  @Post('posts/:id/review')
  @Route({ operationId: 'jobs_reviewPost', summary: 'Publish or reject (with a reason) a submitted post (R-B6)', permission: ['verify', 'Post'], body: reviewPostSchema, status: 200 })
  review(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(reviewPostSchema)) body: Body<typeof reviewPostSchema>) {
    return this.posts.review(actor, id, body);
  }

  @Post('posts/:id/withdraw')
  @Route({ operationId: 'jobs_withdrawPost', summary: 'Take a post off the board', permission: ['update', 'Post'], body: withdrawSchema, status: 200 })
  withdraw(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(withdrawSchema)) body: Body<typeof withdrawSchema>) {
    return this.posts.withdraw(actor, id, body.reason);
  }

  @Get('posts/:id/candidates')
  @Route({ operationId: 'jobs_rankCandidates', summary: 'Ranked candidates for a post, with score parts and compliance blocks (R-B4, R-B7, R-B9)', permission: ['read', 'Placement'], query: candidatesQuerySchema })
  candidates(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Query(new ZodPipe(candidatesQuerySchema, 'query')) q: Body<typeof candidatesQuerySchema>) {
    return this.matching.candidates(actor, id, q.limit);
  }

  @Get('prohibited-work')
  @Route({ operationId: 'jobs_listProhibitedWork', summary: 'The prohibited-work list for women and minors, with legal sources (R-B7)', permission: 'authenticated' })
  prohibitedWork(@CurrentActor() actor: Actor) {
    return this.posts.prohibitedWork(actor);
  }

  // Check-in and queue (R-B4)

  @Post('markets/:id/check-ins')
  @Route({ operationId: 'jobs_checkIn', summary: 'Check a worker in for today at the desk (idempotent per day)', permission: ['create', 'Placement'], body: checkInSchema, status: 200 })
  checkIn(@CurrentActor() actor: Actor, @Param('id', IdPipe) marketId: string, @Body(new ZodPipe(checkInSchema)) body: Body<typeof checkInSchema>) {
    return this.matching.checkIn(actor, marketId, body.workerId, body.occupations);
  }

  @Get('markets/:id/gate-code')
  @Route({ operationId: 'jobs_gateCode', summary: 'The market\'s current gate code for the gate screen: proof of presence for the public check-in (rotates every 3 minutes)', permission: ['create', 'Placement'] })
  gateCode(@CurrentActor() actor: Actor, @Param('id', IdPipe) marketId: string) {
    return this.gate.current(actor, marketId);
  }

  @Get('markets/:id/queue')
  @Route({ operationId: 'jobs_queue', summary: 'Today\'s check-in queue at a market, by occupation', permission: ['read', 'Placement'], query: queueQuerySchema })
  queue(@CurrentActor() actor: Actor, @Param('id', IdPipe) marketId: string, @Query(new ZodPipe(queueQuerySchema, 'query')) q: Body<typeof queueQuerySchema>) {
    return this.matching.queue(actor, marketId, q);
  }

  @Get('check-ins/:id/posts')
  @Route({ operationId: 'jobs_checkInPosts', summary: 'Person first: the open posts at the market for what a queued worker came for, with the compliance guard\'s answer for them', permission: ['read', 'Placement'] })
  checkInPosts(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.matching.postsFor(actor, id);
  }

  @Post('check-ins/:id/leave')
  @Route({ operationId: 'jobs_leaveQueue', summary: 'Mark a waiting worker as gone from today\'s queue (checking in again brings them back)', permission: ['create', 'Placement'], status: 200 })
  leaveQueue(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.matching.leave(actor, id);
  }

  // Placements (R-B4, R-B5)

  @Post('placements')
  @Route({ operationId: 'jobs_recommend', summary: 'Recommend a worker for a post; the compliance guard may refuse with the legal basis (R-B7)', permission: ['create', 'Placement'], body: recommendSchema, status: 201 })
  recommend(@CurrentActor() actor: Actor, @Body(new ZodPipe(recommendSchema)) body: Body<typeof recommendSchema>) {
    return this.matching.recommend(actor, body.postId, body.workerId);
  }

  @Get('placements')
  @Route({ operationId: 'jobs_listPlacements', summary: 'Placements (recommendations, hires, settlements)', permission: ['read', 'Placement'], query: placementQuerySchema })
  listPlacements(@CurrentActor() actor: Actor, @Query(new ZodPipe(placementQuerySchema, 'query')) q: Body<typeof placementQuerySchema>) {
    return this.matching.list(actor, q);
  }

  @Get('placements/:id')
  @Route({ operationId: 'jobs_getPlacement', summary: 'One placement', permission: ['read', 'Placement'] })
  getPlacement(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.matching.get(actor, id);
  }

  @Post('placements/:id/tokens')
  @Route({ operationId: 'jobs_reissueTokens', summary: 'New confirmation QR codes for both parties (the old ones stop working)', permission: ['update', 'Placement'], status: 200 })
  tokens(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.matching.reissueTokens(actor, id);
  }

  @Post('placements/:id/confirm')
  @Route({ operationId: 'jobs_confirm', summary: 'Record the employer\'s and/or the worker\'s confirmation at the desk', permission: ['update', 'Placement'], body: confirmSchema, status: 200 })
  confirm(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(confirmSchema)) body: Body<typeof confirmSchema>) {
    return this.matching.confirm(actor, id, body.party);
  }

  @Post('placements/:id/start')
  @Route({ operationId: 'jobs_start', summary: 'Record that work started (same-day start, R-B4)', permission: ['update', 'Placement'], body: startSchema, status: 200 })
  start(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(startSchema)) body: Body<typeof startSchema>) {
    return this.matching.start(actor, id, body.startedAt);
  }

  @Post('placements/:id/complete')
  @Route({ operationId: 'jobs_complete', summary: 'Completion and 日结 settlement: amount, payer, time, method (R-B5)', permission: ['update', 'Placement'], body: completeSchema, status: 200 })
  complete(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(completeSchema)) body: Body<typeof completeSchema>) {
    return this.matching.complete(actor, id, body);
  }

  @Post('placements/:id/no-show')
  @Route({ operationId: 'jobs_noShow', summary: 'Record a no-show by the worker or the employer', permission: ['update', 'Placement'], body: noShowSchema, status: 200 })
  noShow(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(noShowSchema)) body: Body<typeof noShowSchema>) {
    return this.matching.noShow(actor, id, body);
  }

  @Post('placements/:id/cancel')
  @Route({ operationId: 'jobs_cancel', summary: 'Cancel a placement before work starts, with a reason', permission: ['update', 'Placement'], body: cancelSchema, status: 200 })
  cancel(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(cancelSchema)) body: Body<typeof cancelSchema>) {
    return this.matching.cancel(actor, id, body.reason);
  }

  @Post('placements/:id/non-payment')
  @Route({ operationId: 'jobs_reportNonPayment', summary: 'A worker reports not being paid: flags the employer and opens a case (R-B5, R-B8)', permission: ['update', 'Placement'], body: nonPaymentSchema, status: 200 })
  nonPayment(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(nonPaymentSchema)) body: Body<typeof nonPaymentSchema>) {
    return this.matching.reportNonPayment(actor, id, body);
  }

  // Disputes, removal and appeal (R-B8); wage-arrears referrals

  @Post('workers/:id/sanctions')
  @Route({ operationId: 'jobs_imposeSanction', summary: 'Record a quality dispute or remove a worker from the market, with reason and notice (R-B8)', permission: ['update', 'Worker'], body: sanctionSchema, status: 201 })
  impose(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(sanctionSchema)) body: Body<typeof sanctionSchema>) {
    return this.sanctions.impose(actor, id, body);
  }

  @Get('workers/:id/sanctions')
  @Route({ operationId: 'jobs_listSanctions', summary: 'A worker\'s disputes and removals with their appeals', permission: ['read', 'Worker'] })
  listSanctions(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.sanctions.listForWorker(actor, id);
  }

  @Post('sanctions/:id/appeal')
  @Route({ operationId: 'jobs_appeal', summary: 'Record the worker\'s appeal before the deadline', permission: ['create', 'Worker'], body: appealSchema, status: 200 })
  appeal(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(appealSchema)) body: Body<typeof appealSchema>) {
    return this.sanctions.appeal(actor, id, body.statement);
  }

  @Post('sanctions/:id/decision')
  @Route({ operationId: 'jobs_decideAppeal', summary: 'Decide an appeal (by someone other than who imposed the sanction)', permission: ['update', 'Worker'], body: appealDecisionSchema, status: 200 })
  decide(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(appealDecisionSchema)) body: Body<typeof appealDecisionSchema>) {
    return this.sanctions.decide(actor, id, body);
  }

  @Post('employers/:id/wage-referrals')
  @Route({ operationId: 'jobs_referWageArrears', summary: 'Refer an employer\'s wage arrears to labour inspection (R-B8)', permission: ['update', 'Employer'], body: wageReferralSchema, status: 201 })
  refer(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(wageReferralSchema)) body: Body<typeof wageReferralSchema>) {
    return this.sanctions.refer(actor, id, body);
  }

  @Get('employers/:id/flags')
  @Route({ operationId: 'jobs_listEmployerFlags', summary: 'Non-payment reports and wage-arrears referrals of an employer', permission: ['read', 'Employer'] })
  flags(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.sanctions.flags(actor, id);
  }
}

/** Public, sign-in-free routes for the market's mobile pages (issue 4 §7). Writes are rate-limited per IP. */
@ApiTags('public')
@Controller('v1/public/markets/:id')
export class PublicController {
  constructor(private readonly pub: PublicService) {}

  @Get()
  @Route({ operationId: 'public_market', summary: 'The market\'s public page: address, hours, contacts, services, complaint hotline (R-D1)', permission: 'public' })
  market(@Param('id', IdPipe) id: string) {
    return this.pub.market(id);
  }

  @Get('posts')
  @Route({ operationId: 'public_posts', summary: 'The market\'s open jobs', permission: 'public' })
  posts(@Param('id', IdPipe) id: string) {
    return this.pub.posts(id);
  }

  @Post('check-ins')
  @RouteConfig({ publicWriteRateLimit: true })
  @Route({ operationId: 'public_checkIn', summary: 'Check in for today on the QR page with name, mobile, consent and the gate code (a new mobile is registered); the same answer for known and unknown numbers', permission: 'public', body: publicCheckInSchema, status: 200 })
  checkIn(@Param('id', IdPipe) id: string, @Body(new ZodPipe(publicCheckInSchema)) body: Body<typeof publicCheckInSchema>) {
    return this.pub.checkIn(id, body);
  }

  @Get('confirmations/:token')
  @Route({ operationId: 'public_confirmation', summary: 'What a confirmation QR is for (the job, the other party masked)', permission: 'public' })
  confirmation(@Param('id', IdPipe) id: string, @Param('token') token: string) {
    return this.pub.confirmation(id, token);
  }

  @Post('confirmations/:token')
  @RouteConfig({ publicWriteRateLimit: true })
  @Route({ operationId: 'public_confirm', summary: 'Confirm a recommended hire by scanning its QR', permission: 'public', status: 200 })
  confirm(@Param('id', IdPipe) id: string, @Param('token') token: string) {
    return this.pub.confirm(id, token);
  }

  @Post('confirmations/:token/non-payment')
  @RouteConfig({ publicWriteRateLimit: true })
  @Route({ operationId: 'public_reportNonPayment', summary: 'The worker reports not being paid from their own confirmation link', permission: 'public', body: nonPaymentSchema, status: 200 })
  nonPayment(@Param('id', IdPipe) id: string, @Param('token') token: string, @Body(new ZodPipe(nonPaymentSchema)) body: Body<typeof nonPaymentSchema>) {
    return this.pub.nonPayment(id, token, body);
  }
}
