import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import {
  createEmployerSchema, employerQuerySchema, registerWorkerSchema, revealSchema, verifyEmployerSchema, workerQuerySchema,
  type Actor, type CreateEmployerInput, type RegisterWorkerInput,
} from '@linggong/domain';
import { CurrentActor, IdPipe, Route, ZodPipe } from '@linggong/api-core';
import { WorkersService } from './workers.service';
import { EmployersService } from './employers.service';

@ApiTags('registry')
@Controller('v1')
export class RegistryController {
  constructor(private readonly workers: WorkersService, private readonly employers: EmployersService) {}

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
