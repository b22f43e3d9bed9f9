import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { registerWorkerSchema, revealSchema, workerQuerySchema, type Actor, type RegisterWorkerInput } from '@linggong/domain';
import { CurrentActor, IdPipe, Route, ZodPipe } from '@linggong/api-core';
import { WorkersService } from './workers.service';

@ApiTags('registry')
@Controller('v1')
export class RegistryController {
  constructor(private readonly workers: WorkersService) {}

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
}
