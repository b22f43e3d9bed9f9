import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import {
  createEventSchema, eventAttendanceSchema, eventQuerySchema, eventStatusSchema, linkPostsSchema, type Actor, type CreateEventInput,
} from '@linggong/domain';
import { CurrentActor, IdPipe, Route, ZodPipe } from '@linggong/api-core';
import { EventsService } from './events.service';

type In<S extends z.ZodType> = z.infer<S>;

/** Events (R-B13): gig fairs, night markets, caravans, live-streamed recruiting. */
@ApiTags('events')
@Controller('v1')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post('markets/:id/events')
  @Route({ operationId: 'events_create', summary: 'Plan an event: fair, night market, caravan or live stream; time and place or stream URL (R-B13)', permission: ['create', 'MarketEvent'], body: createEventSchema, status: 201 })
  create(@CurrentActor() actor: Actor, @Param('id', IdPipe) marketId: string, @Body(new ZodPipe(createEventSchema)) body: CreateEventInput) {
    return this.events.create(actor, marketId, body);
  }

  @Get('events')
  @Route({ operationId: 'events_list', summary: 'Events visible to the caller, with posts and hires counted', permission: ['read', 'MarketEvent'], query: eventQuerySchema })
  list(@CurrentActor() actor: Actor, @Query(new ZodPipe(eventQuerySchema, 'query')) q: In<typeof eventQuerySchema>) {
    return this.events.list(actor, q);
  }

  @Get('events/:id')
  @Route({ operationId: 'events_get', summary: 'One event with its linked posts and the hires from each', permission: ['read', 'MarketEvent'] })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.events.get(actor, id);
  }

  @Post('events/:id/status')
  @Route({ operationId: 'events_setStatus', summary: 'Mark a planned event held (once started) or cancelled (with a reason)', permission: ['update', 'MarketEvent'], body: eventStatusSchema, status: 200 })
  setStatus(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(eventStatusSchema)) body: In<typeof eventStatusSchema>) {
    return this.events.setStatus(actor, id, body);
  }

  @Post('events/:id/attendance')
  @Route({ operationId: 'events_recordAttendance', summary: 'Record how many workers and employers came (viewers for a live stream)', permission: ['update', 'MarketEvent'], body: eventAttendanceSchema, status: 200 })
  attendance(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(eventAttendanceSchema)) body: In<typeof eventAttendanceSchema>) {
    return this.events.recordAttendance(actor, id, body);
  }

  @Post('events/:id/posts')
  @Route({ operationId: 'events_linkPosts', summary: 'Link the posts that came with the event; hires are counted from their placements', permission: ['update', 'MarketEvent'], body: linkPostsSchema, status: 200 })
  linkPosts(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(linkPostsSchema)) body: In<typeof linkPostsSchema>) {
    return this.events.linkPosts(actor, id, body);
  }
}
