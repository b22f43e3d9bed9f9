import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  feedChangesQuerySchema, feedChangesSchema, feedDirectoryQuerySchema, feedPostPageSchema, feedPostsQuerySchema, releaseListSchema, releasePathSchema,
} from '@linggong/domain';
import { ProblemException, Route, ZodPipe } from '@linggong/api-core';
import { FeedService, etagOf } from './feed.service';

type In<S extends z.ZodType> = z.infer<S>;

/** ETag on every answer; a matching If-None-Match gets 304 with no body (Fastify drops it). */
function conditional<T>(req: FastifyRequest, reply: FastifyReply, body: T): T {
  const tag = etagOf(body);
  void reply.header('etag', tag).header('cache-control', 'public, max-age=60');
  const given = req.headers['if-none-match'];
  if (typeof given === 'string' && given.split(',').map((s) => s.trim().replace(/^W\//, '')).includes(tag)) void reply.status(304);
  return body;
}

/**
 * The province feed (issue 18 §4; docs/api.md "The province feed"): documented JSON for aggregators and the
 * province's platform — the directory, open posts with a changes-since cursor, the monthly releases. No sign-in,
 * published data only, rate-limited per IP, ETag / If-None-Match on every answer.
 */
@ApiTags('feed')
@Controller('v1/feed')
export class FeedController {
  constructor(private readonly feed: FeedService) {}

  @Get('posts')
  @RouteConfig({ publicReadRateLimit: true })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' })
  @Route({ operationId: 'feed_openPosts', summary: 'Open posts of a region now (published, not expired), newest first, paged; `changesCursor` continues with feed_postChanges', permission: 'public', query: feedPostsQuerySchema, response: feedPostPageSchema })
  async posts(@Query(new ZodPipe(feedPostsQuerySchema, 'query')) q: In<typeof feedPostsQuerySchema>, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return conditional(req, reply, await this.feed.openPosts(q));
  }

  @Get('posts/changes')
  @RouteConfig({ publicReadRateLimit: true })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' })
  @Route({ operationId: 'feed_postChanges', summary: 'Post changes (published, closed) of a region after a cursor, in work-log order; `nextCursor` for the next call', permission: 'public', query: feedChangesQuerySchema, response: feedChangesSchema })
  async changes(@Query(new ZodPipe(feedChangesQuerySchema, 'query')) q: In<typeof feedChangesQuerySchema>, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return conditional(req, reply, await this.feed.changes(q));
  }

  @Get('directory')
  @RouteConfig({ publicReadRateLimit: true })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' })
  @Route({ operationId: 'feed_directory', summary: 'The published market directory of a region: listings paged by id; `since` keeps only versions published after it', permission: 'public', query: feedDirectoryQuerySchema })
  async directory(@Query(new ZodPipe(feedDirectoryQuerySchema, 'query')) q: In<typeof feedDirectoryQuerySchema>, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return conditional(req, reply, await this.feed.directoryListings(q));
  }

  @Get('releases')
  @RouteConfig({ publicReadRateLimit: true })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' })
  @Route({ operationId: 'feed_releases', summary: 'The monthly releases (provinces that accepted every city\'s report), newest first; `?province=41`', permission: 'public', query: releaseListSchema })
  async releases(@Query(new ZodPipe(releaseListSchema, 'query')) q: In<typeof releaseListSchema>, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return conditional(req, reply, await this.feed.releases(q.province));
  }

  @Get('releases/:province/:month')
  @RouteConfig({ publicReadRateLimit: true })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' })
  @Route({ operationId: 'feed_release', summary: 'One monthly release: 求人倍率 by industry and occupation, day wages, totals, SM3 digest; 404 before the province accepts', permission: 'public' })
  async release(@Param('province') province: string, @Param('month') month: string, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const p = releasePathSchema.safeParse({ province, month });
    if (!p.success) throw new ProblemException(404, 'not_found');
    return conditional(req, reply, await this.feed.release(p.data.province, p.data.month));
  }
}
