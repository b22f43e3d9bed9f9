import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import {
  createEmployerSchema, employerQuerySchema, pickLang, registerWorkerSchema, revealSchema, verifyEmployerSchema, workerQuerySchema,
  type Actor, type CreateEmployerInput, type RegisterWorkerInput,
} from '@linggong/domain';
import { CurrentActor, IdPipe, Route, ZodPipe } from '@linggong/api-core';
import { WorkersService } from './workers.service';
import { EmployersService } from './employers.service';
import { WorkerRosterService } from './roster.service';
import { XLSX_MIME, exportWorkersQuerySchema, importWorkersSchema, type ExportWorkersQuery, type ImportWorkersInput } from './roster';

/** An attachment header with the UTF-8 name for browsers and an ASCII fallback. */
const attachment = (ascii: string, name: string) => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;

@ApiTags('registry')
@Controller('v1')
export class RegistryController {
  constructor(private readonly workers: WorkersService, private readonly employers: EmployersService, private readonly roster: WorkerRosterService) {}

  @Post('markets/:id/workers')
  @Route({ operationId: 'registry_registerWorker', summary: 'Register a worker at a market: name and mobile, consent required (R-B2, R-B3)', permission: ['create', 'Worker'], body: registerWorkerSchema, status: 201 })
  register(@CurrentActor() actor: Actor, @Param('id', IdPipe) marketId: string, @Body(new ZodPipe(registerWorkerSchema)) body: RegisterWorkerInput) {
    return this.workers.register(actor, marketId, body);
  }

  @Get('workers')
  @Route({ operationId: 'registry_listWorkers', summary: 'Workers visible to the caller, masked; `mobile` finds one by blind index', permission: ['read', 'Worker'], query: workerQuerySchema })
  list(@CurrentActor() actor: Actor, @Query(new ZodPipe(workerQuerySchema, 'query')) q: z.infer<typeof workerQuerySchema>) {
    return this.workers.list(actor, q);
  }

  @Post('markets/:id/workers/import')
  @RouteConfig({ bodyLimit: 8 * 1024 * 1024 })
  @Route({ operationId: 'registry_importWorkers', summary: 'Import a worker roster (base64 .xlsx, ≤ 5000 rows): valid rows are registered, the others reported by row; `dryRun` only checks (R-B3)', permission: ['create', 'Worker'], body: importWorkersSchema, status: 200 })
  importWorkers(@CurrentActor() actor: Actor, @Param('id', IdPipe) marketId: string, @Body(new ZodPipe(importWorkersSchema)) body: ImportWorkersInput, @Headers('accept-language') lang?: string) {
    return this.roster.importRoster(actor, marketId, body, pickLang(lang));
  }

  @Get('markets/:id/workers/import-template')
  @Route({ operationId: 'registry_workerImportTemplate', summary: 'The roster import template (.xlsx): header row, an example row, instructions, the occupation dictionary', permission: ['create', 'Worker'], produces: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
  async importTemplate(@CurrentActor() actor: Actor, @Param('id', IdPipe) marketId: string, @Res() reply: FastifyReply) {
    const buf = await this.roster.template(actor, marketId);
    return reply.header('content-type', XLSX_MIME).header('content-disposition', attachment('worker-import-template.xlsx', '零工名册导入模板.xlsx')).send(buf);
  }

  @Get('workers/export')
  @Route({ operationId: 'registry_exportWorkers', summary: 'The workers visible to the caller as .xlsx, phones and ID numbers masked (audited)', permission: ['read', 'Worker'], query: exportWorkersQuerySchema, produces: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
  async exportWorkers(@CurrentActor() actor: Actor, @Query(new ZodPipe(exportWorkersQuerySchema, 'query')) q: ExportWorkersQuery, @Headers('accept-language') lang: string | undefined, @Res() reply: FastifyReply) {
    const buf = await this.roster.exportRoster(actor, q, pickLang(lang));
    const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    return reply.header('content-type', XLSX_MIME).header('content-disposition', attachment(`workers-${day}.xlsx`, `零工实名制台账-${day}.xlsx`)).send(buf);
  }

  @Get('workers/:id')
  @Route({ operationId: 'registry_getWorker', summary: 'One worker, masked', permission: ['read', 'Worker'] })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.workers.get(actor, id);
  }

  @Post('workers/:id/reveal')
  @Route({ operationId: 'registry_revealWorker', summary: 'Reveal a worker\'s full mobile or ID number (audited)', permission: ['reveal', 'Worker'], body: revealSchema, status: 200 })
  reveal(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(revealSchema)) body: z.infer<typeof revealSchema>) {
    return this.workers.reveal(actor, id, body.field);
  }

  @Post('markets/:id/employers')
  @Route({ operationId: 'registry_createEmployer', summary: 'Register an employer (company with credit code, or individual) at a market', permission: ['create', 'Employer'], body: createEmployerSchema, status: 201 })
  createEmployer(@CurrentActor() actor: Actor, @Param('id', IdPipe) marketId: string, @Body(new ZodPipe(createEmployerSchema)) body: CreateEmployerInput) {
    return this.employers.create(actor, marketId, body);
  }

  @Get('employers')
  @Route({ operationId: 'registry_listEmployers', summary: 'Employers visible to the caller', permission: ['read', 'Employer'], query: employerQuerySchema })
  listEmployers(@CurrentActor() actor: Actor, @Query(new ZodPipe(employerQuerySchema, 'query')) q: z.infer<typeof employerQuerySchema>) {
    return this.employers.list(actor, q);
  }

  @Get('employers/:id')
  @Route({ operationId: 'registry_getEmployer', summary: 'One employer', permission: ['read', 'Employer'] })
  getEmployer(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.employers.get(actor, id);
  }

  @Post('employers/:id/verification')
  @Route({ operationId: 'registry_verifyEmployer', summary: 'Verify or reject an employer with evidence (R-B6)', permission: ['update', 'Employer'], body: verifyEmployerSchema, status: 200 })
  verifyEmployer(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(verifyEmployerSchema)) body: z.infer<typeof verifyEmployerSchema>) {
    return this.employers.verify(actor, id, body);
  }
}
