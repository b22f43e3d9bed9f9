import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import {
  attachmentUploadSchema, closeDayParamSchema, closeDaySchema, correctionSchema, ledgerEntryQuerySchema, ledgerExportQuerySchema, ledgerRangeSchema,
  manualEntrySchema, sealQuerySchema, type Actor, type CorrectionInput, type ManualEntryInput,
} from '@linggong/domain';
import { CurrentActor, IdPipe, ProblemException, Route, ZodPipe, sendDownload } from '@linggong/api-core';
import { LedgerService } from './ledger.service';
import { AttachmentsService } from './attachments.service';
import { ledgerWorkbook } from './xlsx';

type Range = z.infer<typeof ledgerRangeSchema>;

@ApiTags('ledger')
@Controller('v1/markets/:id/ledger')
export class MarketLedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Get('entries')
  @Route({ operationId: 'ledger_listEntries', summary: 'A market\'s work-log entries (corrected values and history)', permission: ['read', 'Ledger'], query: ledgerEntryQuerySchema })
  entries(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Query(new ZodPipe(ledgerEntryQuerySchema, 'query')) q: z.infer<typeof ledgerEntryQuerySchema>) {
    return this.ledger.listEntries(actor, id, q);
  }

  @Get('days')
  @Route({ operationId: 'ledger_listDays', summary: 'Per business day: totals by kind, seal and verification state', permission: ['read', 'Ledger'], query: ledgerRangeSchema })
  days(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Query(new ZodPipe(ledgerRangeSchema, 'query')) q: Range) {
    return this.ledger.listDays(actor, id, q.from, q.to);
  }

  @Post('entries')
  @Route({ operationId: 'ledger_appendManual', summary: 'Record a manual entry (patrol, fair, visit, note)', permission: ['create', 'Ledger'], body: manualEntrySchema, status: 201 })
  append(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(manualEntrySchema)) body: ManualEntryInput) {
    return this.ledger.appendManual(actor, id, body);
  }

  @Post('entries/:seq/corrections')
  @Route({ operationId: 'ledger_correct', summary: 'Correct an entry: a new entry pointing at it, with a reason; only the fields CORRECTABLE_FIELDS allows for its kind (never ids), ≤ 10 keys, depth 2, 4 KiB', permission: ['create', 'Ledger'], body: correctionSchema, status: 201 })
  correct(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Param('seq', new ParseIntPipe({ errorHttpStatusCode: 404 })) seq: number, @Body(new ZodPipe(correctionSchema)) body: CorrectionInput) {
    return this.ledger.correct(actor, id, seq, body);
  }

  @Get('close-preview')
  @Route({ operationId: 'ledger_closePreview', summary: 'What closing through a day would seal', permission: ['close', 'Ledger'], query: closeDayParamSchema })
  preview(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Query(new ZodPipe(closeDayParamSchema, 'query')) q: { day: string }) {
    return this.ledger.closePreview(actor, id, q.day);
  }

  @Post('days/:day/close')
  @Route({ operationId: 'ledger_closeDay', summary: '日结: seal every open day (and the unsealed rest of a closed one) through this one; closing today before the market\'s closing time needs a reason', permission: ['close', 'Ledger'], body: closeDaySchema, status: 201 })
  close(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Param('day') day: string, @Body(new ZodPipe(closeDaySchema)) body: z.infer<typeof closeDaySchema>) {
    const r = closeDayParamSchema.safeParse({ day });
    if (!r.success) throw new ProblemException(404, 'not_found');
    return this.ledger.closeDay(actor, id, day, { reason: body.reason });
  }

  @Get('verifications')
  @Route({ operationId: 'ledger_listVerifications', summary: 'Recorded checks (校验) of the market\'s work log: who verified which range, when, the result', permission: ['read', 'Ledger'] })
  verifications(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.ledger.listVerifications(actor, id);
  }

  @Get('verify')
  @Route({ operationId: 'ledger_verify', summary: 'Verify chain, seals, signatures and receipts for a date range; returns the first broken link', permission: ['verify', 'Ledger'], query: ledgerRangeSchema })
  verify(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Query(new ZodPipe(ledgerRangeSchema, 'query')) q: Range) {
    return this.ledger.verify(actor, id, q.from, q.to);
  }

  @Get('export')
  @Route({ operationId: 'ledger_export', summary: 'Export a date range: JSONL (entries + seals, for the offline verifier) or XLSX (for people)', permission: ['read', 'Ledger'], query: ledgerExportQuerySchema, produces: 'application/x-ndjson, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
  async export(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Query(new ZodPipe(ledgerExportQuerySchema, 'query')) q: z.infer<typeof ledgerExportQuerySchema>, @Res() reply: FastifyReply) {
    if (q.format === 'xlsx') {
      const page = await this.ledger.listEntries(actor, id, { from: q.from, to: q.to, page: 1, pageSize: 100000 });
      const name = page.items[0]?.marketId ?? id;
      const buf = await ledgerWorkbook(await this.ledger.marketName(actor, id), q.from, q.to, [...page.items].reverse());
      return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="ledger-${name}-${q.from}-${q.to}.xlsx"`).send(buf);
    }
    const body = await this.ledger.exportJsonl(actor, id, q.from, q.to);
    return reply.header('content-type', 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="ledger-${id}-${q.from}-${q.to}.jsonl"`).send(body);
  }

  @Get('receipts')
  @Route({ operationId: 'ledger_exportReceipts', summary: 'The authority\'s receipts (seal digests) as JSONL, for the offline verifier', permission: ['verify', 'Ledger'], query: ledgerRangeSchema, produces: 'application/x-ndjson' })
  async receipts(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Query(new ZodPipe(ledgerRangeSchema, 'query')) q: Range, @Res() reply: FastifyReply) {
    const body = await this.ledger.exportReceipts(actor, id, q.from, q.to);
    return reply.header('content-type', 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="receipts-${id}-${q.from}-${q.to}.jsonl"`).send(body);
  }
}

@ApiTags('ledger')
@Controller('v1/ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerService, private readonly attachments: AttachmentsService) {}

  @Get('seals')
  @Route({ operationId: 'ledger_listSeals', summary: 'Seals across the caller\'s region: late days, receipts, verification state', permission: ['read', 'Ledger'], query: sealQuerySchema })
  seals(@CurrentActor() actor: Actor, @Query(new ZodPipe(sealQuerySchema, 'query')) q: z.infer<typeof sealQuerySchema>) {
    return this.ledger.listSeals(actor, q);
  }

  @Get('alerts')
  @Route({ operationId: 'ledger_listAlerts', summary: 'Failed verifications the caller should see', permission: ['read', 'Ledger'] })
  alerts(@CurrentActor() actor: Actor) {
    return this.ledger.listAlerts(actor);
  }

  @Post('attachments')
  @RouteConfig({ bodyLimit: 8 * 1024 * 1024 })
  @Route({ operationId: 'ledger_uploadAttachment', summary: 'Upload a photo or document (base64, ≤ 5 MB); stored per tenant by its hash, citable only by the same tenant\'s entries', permission: ['create', 'Ledger'], body: attachmentUploadSchema, status: 201 })
  upload(@CurrentActor() actor: Actor, @Body(new ZodPipe(attachmentUploadSchema)) body: z.infer<typeof attachmentUploadSchema>) {
    return this.attachments.upload(actor, body);
  }

  @Get('attachments/:hash')
  @Route({ operationId: 'ledger_getAttachment', summary: 'Download an attachment by its hash: the caller\'s own tenant\'s copy, or one its tenant cited in the caller\'s region; always Content-Disposition: attachment, type sniffed (PNG, JPEG, GIF, WebP, PDF, else application/octet-stream), nosniff; audited', permission: ['read', 'Ledger'], produces: 'image/png, image/jpeg, application/pdf, application/octet-stream' })
  async download(@CurrentActor() actor: Actor, @Param('hash') hash: string, @Res() reply: FastifyReply) {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new ProblemException(404, 'not_found');
    const a = await this.attachments.get(actor, hash);
    // Never the uploader's type: sniffed image or PDF, else application/octet-stream; always a download.
    return sendDownload(reply, { content: a.content, filename: a.filename });
  }
}
