import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  deliveryQuerySchema, deliveryViewSchema, disablePlatformSchema, platformOutcomeSchema, platformOutcomeViewSchema, platformPostPageSchema, platformPostResultSchema, platformPostSchema,
  platformPostsQuerySchema, platformQuerySchema, platformSecretViewSchema, platformViewSchema, registerPlatformSchema, type Actor,
} from '@linggong/domain';
import { CurrentActor, IdPipe, ProblemException, Route, ZodPipe, pageSchema } from '@linggong/api-core';
import { PlatformsService } from './platforms.service';
import { WebhooksService } from './webhooks.service';
import { IngestService } from './ingest.service';
import { Signed, type CallingPlatform } from './platform-auth.guard';

type In<S extends z.ZodType> = z.infer<S>;
type SignedReq = { platform?: CallingPlatform };
const platformOf = (req: SignedReq): CallingPlatform => {
  if (!req.platform) throw new ProblemException(401, 'platform_signature_missing');
  return req.platform;
};
const marketQuery = platformPostsQuerySchema.extend({ marketId: z.string().uuid() });

/** Registering third-party platforms (issue 18 §3, R-E8): county authorities and operator admins. */
@ApiTags('platforms')
@Controller('v1')
export class PlatformsController {
  constructor(private readonly platforms: PlatformsService, private readonly webhooks: WebhooksService) {}

  @Get('platforms/:id/deliveries')
  @Route({ operationId: 'platforms_listDeliveries', summary: 'The webhook delivery log of a platform: each event, its attempts, last answer and state', permission: ['read', 'Platform'], query: deliveryQuerySchema, response: pageSchema(deliveryViewSchema) })
  deliveries(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Query(new ZodPipe(deliveryQuerySchema, 'query')) q: In<typeof deliveryQuerySchema>) {
    return this.webhooks.list(actor, id, q);
  }

  @Post('platforms')
  @Route({ operationId: 'platforms_register', summary: 'Register a third-party platform for a set of markets; the answer holds its secret, shown this once', permission: ['create', 'Platform'], body: registerPlatformSchema, response: platformSecretViewSchema, status: 201 })
  register(@CurrentActor() actor: Actor, @Body(new ZodPipe(registerPlatformSchema)) body: In<typeof registerPlatformSchema>) {
    return this.platforms.register(actor, body);
  }

  @Get('platforms')
  @Route({ operationId: 'platforms_list', summary: 'Platforms the caller registered or supervises', permission: ['read', 'Platform'], query: platformQuerySchema, response: pageSchema(platformViewSchema) })
  list(@CurrentActor() actor: Actor, @Query(new ZodPipe(platformQuerySchema, 'query')) q: In<typeof platformQuerySchema>) {
    return this.platforms.list(actor, q);
  }

  @Get('platforms/:id')
  @Route({ operationId: 'platforms_get', summary: 'One platform (never its secret)', permission: ['read', 'Platform'], response: platformViewSchema })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.platforms.get(actor, id);
  }

  @Post('platforms/:id/rotate')
  @Route({ operationId: 'platforms_rotate', summary: 'A new secret, shown this once; the old one stops working at once', permission: ['update', 'Platform'], response: platformSecretViewSchema, status: 200 })
  rotate(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.platforms.rotate(actor, id);
  }

  @Post('platforms/:id/disable')
  @Route({ operationId: 'platforms_disable', summary: 'Disable a platform: every call with its key is refused from now on', permission: ['update', 'Platform'], body: disablePlatformSchema, response: platformViewSchema, status: 200 })
  disable(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(disablePlatformSchema)) body: In<typeof disablePlatformSchema>) {
    return this.platforms.disable(actor, id, body.reason);
  }
}

/** The signed interface third-party platforms call (issue 18 §3; docs/api.md "Signed platform calls"). */
@ApiTags('connect')
@Controller('v1/connect')
export class ConnectController {
  constructor(private readonly ingest: IngestService) {}

  @Post('posts')
  @Signed('posts:write')
  @Route({ operationId: 'connect_pushPost', summary: 'Push a post (scope posts:write): reviewed like a desk post; idempotent on platform + externalId', permission: 'public', body: platformPostSchema, response: platformPostResultSchema, status: 200 })
  pushPost(@Req() req: SignedReq, @Body(new ZodPipe(platformPostSchema)) body: In<typeof platformPostSchema>) {
    return this.ingest.post(platformOf(req), body);
  }

  @Post('outcomes')
  @Signed('outcomes:write')
  @Route({ operationId: 'connect_pushOutcome', summary: 'Report a hire, start or settlement (scope outcomes:write): appended to the market\'s work log with its source; idempotent on platform + step + externalId', permission: 'public', body: platformOutcomeSchema, response: platformOutcomeViewSchema, status: 200 })
  pushOutcome(@Req() req: SignedReq, @Body(new ZodPipe(platformOutcomeSchema)) body: In<typeof platformOutcomeSchema>) {
    return this.ingest.outcome(platformOf(req), body);
  }

  @Get('posts')
  @Signed('posts:read')
  @Route({ operationId: 'connect_listPosts', summary: 'The platform\'s own posts at one market with their review state (scope posts:read)', permission: 'public', query: marketQuery, response: platformPostPageSchema })
  listPosts(@Req() req: SignedReq, @Query(new ZodPipe(marketQuery, 'query')) q: In<typeof marketQuery>) {
    const { marketId, ...rest } = q;
    return this.ingest.myPosts(platformOf(req), marketId, rest);
  }
}
