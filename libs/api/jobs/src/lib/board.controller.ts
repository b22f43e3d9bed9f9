import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { applicationQuerySchema, boardApplicationSchema, jobBoardQuerySchema, declineApplicationSchema, type Actor } from '@linggong/domain';
import { CurrentActor, IdPipe, Route, ZodPipe } from '@linggong/api-core';
import { BoardService } from './board.service';
import { PushService } from './push.service';

type In<S extends z.core.$ZodType> = z.infer<S>;

/** The desk's side of the board (issue 18 §1–2): a market's online applications, and a worker's push link. */
@ApiTags('jobs')
@Controller('v1')
export class BoardController {
  constructor(private readonly board: BoardService, private readonly push: PushService) {}

  @Get('markets/:id/applications')
  @Route({ operationId: 'jobs_listApplications', summary: 'A market\'s online applications (应聘报名) from the public job board, for the desk', permission: ['read', 'Placement'], query: applicationQuerySchema })
  list(@CurrentActor() actor: Actor, @Param('id', IdPipe) marketId: string, @Query(new ZodPipe(applicationQuerySchema, 'query')) q: In<typeof applicationQuerySchema>) {
    return this.board.list(actor, marketId, q);
  }

  @Post('applications/:id/recommend')
  @Route({ operationId: 'jobs_recommendApplication', summary: 'Recommend the applicant for the post: a placement, then the usual confirmation, start and 日结 (R-B4, R-B7)', permission: ['create', 'Placement'], status: 201 })
  recommend(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.board.recommend(actor, id);
  }

  @Post('applications/:id/decline')
  @Route({ operationId: 'jobs_declineApplication', summary: 'Decline an online application with a reason', permission: ['update', 'Placement'], body: declineApplicationSchema, status: 200 })
  decline(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(declineApplicationSchema)) body: In<typeof declineApplicationSchema>) {
    return this.board.decline(actor, id, body.reason);
  }

  @Get('workers/:id/push-link')
  @Route({ operationId: 'jobs_pushLink', summary: 'The worker\'s own job-push page link, to show as a QR at the desk (推送, R-G11)', permission: ['read', 'Worker'] })
  pushLink(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.push.link(actor, id, false);
  }

  @Post('workers/:id/push-link/send')
  @Route({ operationId: 'jobs_sendPushLink', summary: 'Send the worker their job-push page link by SMS (the SMS adapter; no gateway in this deployment)', permission: ['create', 'Worker'], status: 200 })
  sendPushLink(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.push.link(actor, id, true);
  }
}

/** The province-wide job board and the worker's push page (issue 18 §1–2): no sign-in; reads and writes rate-limited per IP. */
@ApiTags('public')
@Controller('v1/public')
export class BoardPublicController {
  constructor(private readonly board: BoardService, private readonly push: PushService) {}

  @Get('board/posts')
  @RouteConfig({ publicReadRateLimit: true })
  @Route({ operationId: 'public_boardPosts', summary: 'The province-wide job board: open posts of every open market, by occupation, region, wage, start date and distance (R-E7)', permission: 'public', query: jobBoardQuerySchema })
  search(@Query(new ZodPipe(jobBoardQuerySchema, 'query')) q: In<typeof jobBoardQuerySchema>) {
    return this.board.search(q);
  }

  @Get('board/posts/:id')
  @RouteConfig({ publicReadRateLimit: true })
  @Route({ operationId: 'public_boardPost', summary: 'One open post of the job board with its market and employer', permission: 'public' })
  post(@Param('id', IdPipe) id: string) {
    return this.board.post(id);
  }

  @Post('board/posts/:id/applications')
  @RouteConfig({ publicWriteRateLimit: true })
  @Route({ operationId: 'public_applyToPost', summary: '应聘报名: apply online with a mobile number (an unknown one is registered); the same answer for known and unknown numbers (R-G12)', permission: 'public', body: boardApplicationSchema, status: 200 })
  apply(@Param('id', IdPipe) id: string, @Body(new ZodPipe(boardApplicationSchema)) body: In<typeof boardApplicationSchema>) {
    return this.board.apply(id, body);
  }

  @Get('push/:token')
  @RouteConfig({ publicReadRateLimit: true })
  @Route({ operationId: 'public_pushPage', summary: 'A worker\'s own job-push page (the link sent by QR or SMS): matching posts pushed to them (R-G11)', permission: 'public' })
  page(@Param('token') token: string) {
    return this.push.page(token);
  }

  @Post('push/:token/unsubscribe')
  @RouteConfig({ publicWriteRateLimit: true })
  @Route({ operationId: 'public_pushUnsubscribe', summary: 'Stop job push with one click from the worker\'s page', permission: 'public', status: 200 })
  unsubscribe(@Param('token') token: string) {
    return this.push.unsubscribe(token);
  }
}
