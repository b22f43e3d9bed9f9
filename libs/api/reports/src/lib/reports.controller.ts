import { Body, Controller, Get, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import {
  createReportSchema, releaseListSchema, releasePathSchema, reportBoardSchema, reportListSchema, reportNarrativeSchema, reportPreviewSchema, reviewReportSchema,
  type Actor, type ReleaseView,
} from '@linggong/domain';
import { CurrentActor, IdPipe, ProblemException, Route, TenantDb, ZodPipe, attachmentDisposition, queryRows, sendDownload } from '@linggong/api-core';
import { ReportsService } from './reports.service';
import { reportPdf, reportXlsx } from './document';
import { PdfFontMissing } from './pdf';

type In<S extends z.ZodType> = z.infer<S>;
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Monthly supply–demand reports and their chain county → city → province (issue 14 §3–4; R-E3–E6). */
@ApiTags('reports')
@Controller('v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService, private readonly db: TenantDb) {}

  @Get('preview')
  @Route({ operationId: 'reports_preview', summary: 'The monthly supply–demand figures of a region the caller reads, without a report (from the rollups)', permission: ['read', 'SupplyDemandReport'], query: reportPreviewSchema })
  preview(@CurrentActor() actor: Actor, @Query(new ZodPipe(reportPreviewSchema, 'query')) q: In<typeof reportPreviewSchema>) {
    return this.reports.preview(actor, q.regionCode, q.month);
  }

  @Get()
  @Route({ operationId: 'reports_list', summary: "Reports of the caller's region and below (every version), newest month first; figures left out", permission: ['read', 'SupplyDemandReport'], query: reportListSchema })
  list(@CurrentActor() actor: Actor, @Query(new ZodPipe(reportListSchema, 'query')) q: In<typeof reportListSchema>) {
    return this.reports.list(actor, q);
  }

  @Post()
  @Route({ operationId: 'reports_create', summary: "Draft the caller's own region's report for a month (county reviewer or city analyst); the next version after a return", permission: ['create', 'SupplyDemandReport'], body: createReportSchema, status: 201 })
  create(@CurrentActor() actor: Actor, @Body(new ZodPipe(createReportSchema)) body: In<typeof createReportSchema>) {
    return this.reports.create(actor, body);
  }

  @Get('board')
  @Route({ operationId: 'reports_board', summary: "The province's board: per city and month expected, submitted, on time, late, returned; reporting and on-time rates", permission: ['read', 'SupplyDemandReport'], query: reportBoardSchema })
  board(@CurrentActor() actor: Actor, @Query(new ZodPipe(reportBoardSchema, 'query')) q: In<typeof reportBoardSchema>) {
    return this.reports.board(actor, q);
  }

  @Get('reminders')
  @Route({ operationId: 'reports_reminders', summary: "Deadline reminders sent to the caller's region (three working days before and on the day)", permission: ['read', 'SupplyDemandReport'] })
  reminders(@CurrentActor() actor: Actor) {
    return this.db.run(actor, (em) => queryRows<{ region_code: string; month: string; kind: string; day: string }>(em,
      'SELECT region_code, month, kind, day FROM report_reminders WHERE region_code = $1 ORDER BY day DESC LIMIT 24', [actor.regionPrefix ?? '']));
  }

  @Get(':id')
  @Route({ operationId: 'reports_get', summary: 'One report with its figures, narrative, attached county narratives, deadline and digest', permission: ['read', 'SupplyDemandReport'] })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.reports.get(actor, id);
  }

  @Post(':id/refresh')
  @Route({ operationId: 'reports_refresh', summary: "Recompute a draft's figures from the rollups", permission: ['update', 'SupplyDemandReport'], status: 200 })
  refresh(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.reports.refresh(actor, id);
  }

  @Put(':id/narrative')
  @Route({ operationId: 'reports_saveNarrative', summary: "The analyst's analysis and countermeasures (a draft only)", permission: ['update', 'SupplyDemandReport'], body: reportNarrativeSchema })
  narrative(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(reportNarrativeSchema)) body: In<typeof reportNarrativeSchema>) {
    return this.reports.saveNarrative(actor, id, body);
  }

  @Post(':id/submit')
  @Route({ operationId: 'reports_submit', summary: "Submit: figures recomputed and frozen with the narrative (a city's with its counties' narratives) under an SM3 digest; on time by the deadline", permission: ['update', 'SupplyDemandReport'], status: 200 })
  submit(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.reports.submit(actor, id);
  }

  @Post(':id/review')
  @Route({ operationId: 'reports_review', summary: "The province accepts a city's submitted report or returns it with a reason; the month is released once every city is accepted", permission: ['verify', 'SupplyDemandReport'], body: reviewReportSchema, status: 200 })
  review(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(reviewReportSchema)) body: In<typeof reviewReportSchema>) {
    return this.reports.review(actor, id, body);
  }

  @Get(':id/pdf')
  @Route({ operationId: 'reports_pdf', summary: 'The report as PDF (Chinese, embedded CJK font)', permission: ['read', 'SupplyDemandReport'], produces: 'application/pdf' })
  async pdf(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Res() reply: FastifyReply) {
    const r = await this.reports.get(actor, id);
    let content: Buffer;
    try {
      content = await reportPdf(r);
    } catch (e) {
      if (e instanceof PdfFontMissing) throw new ProblemException(503, 'report_pdf_font');
      throw e;
    }
    return sendDownload(reply, { content, filename: `report-${r.regionCode}-${r.month}-v${r.version}.pdf`, type: 'application/pdf' });
  }

  @Get(':id/xlsx')
  @Route({ operationId: 'reports_xlsx', summary: 'The report as .xlsx (one sheet per table)', permission: ['read', 'SupplyDemandReport'], produces: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
  async xlsx(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Res() reply: FastifyReply) {
    const r = await this.reports.get(actor, id);
    const buf = await reportXlsx(r);
    return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentDisposition(`供求分析-${r.regionCode}-${r.month}-v${r.version}.xlsx`, `report-${r.regionCode}-${r.month}`))
      .header('cache-control', 'no-store').send(buf);
  }
}

const CSV_HEAD = ['province', 'month', 'table', 'code', 'name', 'demand', 'seekers', 'ratio', 'posts', 'average_day_wage_yuan'];
const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  // Quote everything textual; neutralise spreadsheet formulas (CSV injection).
  return /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `"'${s.replace(/"/g, '""')}"` : /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
/** The open-data CSV of a release: one row per published figure. */
export function releaseCsv(r: ReleaseView): string {
  const rows: unknown[][] = [
    [r.provinceCode, r.month, 'total', '', r.provinceName, r.totals.demand, r.totals.seekers, r.totals.ratio, '', ''],
    ...r.ratioByIndustry.map((x) => [r.provinceCode, r.month, 'ratio_by_industry', x.code, x.name, x.demand, '', x.ratio, '', '']),
    ...r.ratioByOccupation.map((x) => [r.provinceCode, r.month, 'ratio_by_occupation', '', x.occupation, x.demand, x.seekers, x.ratio, '', '']),
    ...r.wageByIndustry.map((x) => [r.provinceCode, r.month, 'wage_by_industry', x.code, x.name, '', '', '', x.posts, x.averageDayWageFen === null ? '' : (x.averageDayWageFen / 100).toFixed(2)]),
  ];
  return `\ufeff${[CSV_HEAD, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** The release's path parameters, checked (400 in the caller's language for a bad province code or month). */
function releasePath(province: string, month: string): In<typeof releasePathSchema> {
  const r = releasePathSchema.safeParse({ province, month });
  if (!r.success) throw new ProblemException(400, 'validation_failed', r.error.issues.map((i) => ({ field: String(i.path[0] ?? 'month'), key: i.message })));
  return r.data;
}

/** The public monthly release (R-E4): no sign-in, stable URLs, only months the province has accepted. */
@ApiTags('public')
@Controller('v1/public/releases')
export class PublicReleasesController {
  constructor(private readonly reports: ReportsService) {}

  @Get()
  @Route({ operationId: 'public_releases', summary: 'Published monthly releases (province, month, totals), newest first; `?province=41`', permission: 'public', query: releaseListSchema })
  list(@Query(new ZodPipe(releaseListSchema, 'query')) q: In<typeof releaseListSchema>) {
    return this.reports.releases(q.province);
  }

  @Get(':province/:month/release.json')
  @Route({ operationId: 'public_releaseJson', summary: "Open data (JSON): a province's accepted month — 求人倍率 by main industry and occupation, average day wage by industry, with its SM3 digest; 404 before acceptance", permission: 'public' })
  json(@Param('province') province: string, @Param('month') month: string) {
    const p = releasePath(province, month);
    return this.reports.release(p.province, p.month);
  }

  @Get(':province/:month/release.csv')
  @Route({ operationId: 'public_releaseCsv', summary: 'Open data (CSV, UTF-8 with BOM): the same figures as release.json, one row per figure', permission: 'public', produces: 'text/csv' })
  async csv(@Param('province') province: string, @Param('month') month: string, @Res() reply: FastifyReply) {
    const p = releasePath(province, month);
    const r = await this.reports.release(p.province, p.month);
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', attachmentDisposition(`release-${p.province}-${p.month}.csv`))
      .header('cache-control', 'public, max-age=300').send(releaseCsv(r));
  }
}
