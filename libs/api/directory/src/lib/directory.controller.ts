import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  directoryDiffQuerySchema, directoryFreezeSchema, directoryListingQuerySchema, directoryPointQuerySchema, directoryPointSchema,
  directoryPointUpdateSchema, directoryReturnSchema, directoryVersionQuerySchema, publicDirectoryQuerySchema, type Actor, type DirectoryPointInput,
} from '@linggong/domain';
import { CurrentActor, IdPipe, Route, ZodPipe } from '@linggong/api-core';
import { DirectoryService } from './directory.service';
import { DirectoryPublicService } from './public.service';
import { XLSX_MIME } from './ministry-xlsx';

type In<S extends z.ZodType> = z.infer<S>;
const ministryQuerySchema = z.object({
  year: z.coerce.number().int().min(2000, { error: 'directory_year' }).max(2100, { error: 'directory_year' }),
  province: z.string().regex(/^\d{2}$/, { error: 'directory_region' }).optional(),
});
const listingQuery = directoryListingQuerySchema.extend({ versionId: z.string().regex(/^[0-9a-f-]{36}$/i, { error: 'bad_request' }).optional() });
const attachment = (ascii: string, utf8: string) => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(utf8)}`;

/** The market directory (名录, R-E1): versions, the county → city → province chain, gathering points, the ministry's .xlsx. */
@ApiTags('directory')
@Controller('v1/directory')
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Get('versions')
  @Route({ operationId: 'directory_listVersions', summary: 'Directory versions of the caller\'s province (operators: those with their listings), with review counts per city', permission: ['read', 'Directory'], query: directoryVersionQuerySchema })
  versions(@CurrentActor() actor: Actor, @Query(new ZodPipe(directoryVersionQuerySchema, 'query')) q: In<typeof directoryVersionQuerySchema>) {
    return this.directory.listVersions(actor, q);
  }

  @Post('versions')
  @Route({ operationId: 'directory_freeze', summary: 'Freeze the province\'s directory now (on demand): a new version with the quarter\'s figures to date (province)', permission: ['publish', 'Directory'], body: directoryFreezeSchema, status: 201 })
  freeze(@CurrentActor() actor: Actor, @Body(new ZodPipe(directoryFreezeSchema)) body: In<typeof directoryFreezeSchema>) {
    return this.directory.freeze(actor, body);
  }

  @Get('versions/:id')
  @Route({ operationId: 'directory_getVersion', summary: 'One directory version with its review counts per city', permission: ['read', 'Directory'] })
  version(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.directory.getVersion(actor, id);
  }

  @Get('versions/:id/diff')
  @Route({ operationId: 'directory_diff', summary: 'What changed from another version of the same province (?from=): listings added, removed, fields changed', permission: ['read', 'Directory'], query: directoryDiffQuerySchema })
  diff(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Query(new ZodPipe(directoryDiffQuerySchema, 'query')) q: In<typeof directoryDiffQuerySchema>) {
    return this.directory.diff(actor, id, q.from);
  }

  @Post('versions/:id/compile')
  @Route({ operationId: 'directory_compile', summary: 'The city compiles its counties\' listings of a version once every one is confirmed (city)', permission: ['compile', 'Directory'], status: 200 })
  compile(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.directory.compile(actor, id);
  }

  @Post('versions/:id/publish')
  @Route({ operationId: 'directory_publish', summary: 'The province publishes a version once every city has compiled it; the public directory shows it (province)', permission: ['publish', 'Directory'], status: 200 })
  publish(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.directory.publish(actor, id);
  }

  @Get('listings')
  @Route({ operationId: 'directory_listListings', summary: 'Listings the caller may read (?versionId, status, regionCode, q): the county\'s to review, the operator\'s sent back', permission: ['read', 'Directory'], query: listingQuery })
  listings(@CurrentActor() actor: Actor, @Query(new ZodPipe(listingQuery, 'query')) q: In<typeof listingQuery>) {
    return this.directory.listListings(actor, q);
  }

  @Post('listings/:id/confirm')
  @Route({ operationId: 'directory_confirm', summary: 'The county confirms a listing of its county', permission: ['verify', 'Directory'], status: 200 })
  confirm(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.directory.confirm(actor, id);
  }

  @Post('listings/:id/return')
  @Route({ operationId: 'directory_return', summary: 'The county sends a market\'s listing back to its operator with the reason (a correction)', permission: ['verify', 'Directory'], body: directoryReturnSchema, status: 200 })
  sendBack(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(directoryReturnSchema)) body: In<typeof directoryReturnSchema>) {
    return this.directory.sendBack(actor, id, body.reason);
  }

  @Post('listings/:id/resubmit')
  @Route({ operationId: 'directory_resubmit', summary: 'The operator resubmits a listing sent back, with the market\'s details as now fixed', permission: ['operate', 'Directory'], status: 200 })
  resubmit(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.directory.resubmit(actor, id);
  }

  @Get('points')
  @Route({ operationId: 'directory_listPoints', summary: 'Gathering points the counties listed (no operator; R-A2)', permission: ['read', 'Directory'], query: directoryPointQuerySchema })
  points(@CurrentActor() actor: Actor, @Query(new ZodPipe(directoryPointQuerySchema, 'query')) q: In<typeof directoryPointQuerySchema>) {
    return this.directory.listPoints(actor, q);
  }

  @Post('points')
  @Route({ operationId: 'directory_createPoint', summary: 'The county lists a gathering point no operator runs (spontaneous or commercial), with its estimates (R-A2)', permission: ['create', 'Directory'], body: directoryPointSchema, status: 201 })
  createPoint(@CurrentActor() actor: Actor, @Body(new ZodPipe(directoryPointSchema)) body: DirectoryPointInput) {
    return this.directory.createPoint(actor, body);
  }

  @Post('points/:id')
  @Route({ operationId: 'directory_updatePoint', summary: 'The county updates a gathering point (from the next version on)', permission: ['update', 'Directory'], body: directoryPointUpdateSchema, status: 200 })
  updatePoint(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(directoryPointUpdateSchema)) body: In<typeof directoryPointUpdateSchema>) {
    return this.directory.updatePoint(actor, id, body);
  }

  @Post('points/:id/remove')
  @Route({ operationId: 'directory_removePoint', summary: 'The county removes a gathering point from later versions', permission: ['update', 'Directory'], status: 200 })
  removePoint(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.directory.removePoint(actor, id);
  }

  @Get('ministry-report')
  @Route({ operationId: 'directory_ministryReport', summary: 'The yearly directory for the ministry as .xlsx, in the 38号 field order, from the year\'s latest published version (province)', permission: ['publish', 'Directory'], query: ministryQuerySchema, produces: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
  async ministry(@CurrentActor() actor: Actor, @Query(new ZodPipe(ministryQuerySchema, 'query')) q: In<typeof ministryQuerySchema>, @Res() reply: FastifyReply) {
    const f = await this.directory.ministryReport(actor, q.year, q.province);
    return reply.header('content-type', XLSX_MIME).header('content-disposition', attachment(`directory-${q.year}.xlsx`, f.filename)).send(f.content);
  }
}

/** The public directory, map and job statistics catalogue (issue 14 §2): no sign-in, published data only, rate-limited per IP. */
@ApiTags('public')
@Controller('v1/public/directory')
export class DirectoryPublicController {
  constructor(private readonly pub: DirectoryPublicService) {}

  @Get()
  @RouteConfig({ publicReadRateLimit: true })
  @Route({ operationId: 'public_directory', summary: 'The published market directory (latest version of each province): region tree, listings; ?region= and ?q= (occupation or place)', permission: 'public', query: publicDirectoryQuerySchema })
  directory(@Query(new ZodPipe(publicDirectoryQuerySchema, 'query')) q: In<typeof publicDirectoryQuerySchema>) {
    return this.pub.directory(q);
  }

  @Get('catalogue')
  @RouteConfig({ publicReadRateLimit: true })
  @Route({ operationId: 'public_jobCatalogue', summary: '零工岗位信息统计目录: open posts and places by occupation across the published markets (?region=)', permission: 'public', query: publicDirectoryQuerySchema })
  catalogue(@Query(new ZodPipe(publicDirectoryQuerySchema, 'query')) q: In<typeof publicDirectoryQuerySchema>) {
    return this.pub.catalogue(q.region);
  }

  @Get('model-markets')
  @RouteConfig({ publicReadRateLimit: true })
  @Route({ operationId: 'public_modelMarkets', summary: '示范零工市场: the markets under 公示 (with its dates) and the designated model markets, province and city level', permission: 'public' })
  modelMarkets() {
    return this.pub.modelMarkets();
  }

  @Get('listings/:id')
  @RouteConfig({ publicReadRateLimit: true })
  @Route({ operationId: 'public_directoryListing', summary: 'One published listing: hours, hotline, address, occupations, figures', permission: 'public' })
  listing(@Param('id', IdPipe) id: string) {
    return this.pub.listing(id);
  }
}
