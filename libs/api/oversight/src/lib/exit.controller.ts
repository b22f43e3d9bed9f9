import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { answerExitSchema, decideExitSchema, exitQuerySchema, handoverQuerySchema, openHandoverSchema, proposeExitSchema, signHandoverSchema, type Actor } from '@linggong/domain';
import { CurrentActor, IdPipe, Route, ZodPipe } from '@linggong/api-core';
import { ExitService } from './exit.service';

type In<S extends z.ZodType> = z.infer<S>;

/** Exit of a failing operator and the handover of its markets (退出 · 移交, issue 16 §4; R-F1). */
@ApiTags('oversight')
@Controller('v1')
export class ExitController {
  constructor(private readonly exits: ExitService) {}

  @Post('exit-cases')
  @Route({ operationId: 'oversight_proposeExit', summary: 'The county proposes the exit of an operator of the county, with its grounds and the working days it has to answer', permission: ['create', 'ExitCase'], body: proposeExitSchema, status: 201 })
  propose(@CurrentActor() actor: Actor, @Body(new ZodPipe(proposeExitSchema)) body: In<typeof proposeExitSchema>) {
    return this.exits.propose(actor, body);
  }

  @Get('exit-cases')
  @Route({ operationId: 'oversight_listExits', summary: 'Exit cases visible to the caller', permission: ['read', 'ExitCase'], query: exitQuerySchema })
  list(@CurrentActor() actor: Actor, @Query(new ZodPipe(exitQuerySchema, 'query')) q: In<typeof exitQuerySchema>) {
    return this.exits.list(actor, q);
  }

  @Get('exit-cases/:id')
  @Route({ operationId: 'oversight_getExit', summary: 'One exit case with its timeline, its handovers and the markets still to hand over', permission: ['read', 'ExitCase'] })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.exits.get(actor, id);
  }

  @Post('exit-cases/:id/decision')
  @Route({ operationId: 'oversight_decideExit', summary: 'The city approves or refuses a proposed exit (another person at another level); approval notifies the operator and opens its answer window', permission: ['read', 'ExitCase'], body: decideExitSchema, status: 200 })
  decide(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(decideExitSchema)) body: In<typeof decideExitSchema>) {
    return this.exits.decide(actor, id, body);
  }

  @Post('exit-cases/:id/answer')
  @Route({ operationId: 'oversight_answerExit', summary: 'The operator answers the notice, once, within its working days', permission: ['operate', 'ExitCase'], body: answerExitSchema, status: 200 })
  answer(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(answerExitSchema)) body: In<typeof answerExitSchema>) {
    return this.exits.answer(actor, id, body);
  }

  @Post('exit-cases/:id/start')
  @Route({ operationId: 'oversight_startExit', summary: 'The county starts the exit once answered or the window has passed: the operator takes no new business', permission: ['update', 'ExitCase'], status: 200 })
  start(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.exits.start(actor, id);
  }

  @Post('exit-cases/:id/handovers')
  @Route({ operationId: 'oversight_openHandover', summary: "The county opens a market's handover to a successor holding a live contract in the county; the checklist is listed", permission: ['update', 'ExitCase'], body: openHandoverSchema, status: 201 })
  openHandover(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(openHandoverSchema)) body: In<typeof openHandoverSchema>) {
    return this.exits.openHandover(actor, id, body);
  }

  @Post('exit-cases/:id/archive')
  @Route({ operationId: 'oversight_archiveExit', summary: 'The county archives the case once every market has passed: the operator is read-only for good', permission: ['update', 'ExitCase'], status: 200 })
  archive(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.exits.archive(actor, id);
  }

  @Get('handovers')
  @Route({ operationId: 'oversight_listHandovers', summary: "Handovers the caller reads: an operator's as outgoing or successor, an authority's region's", permission: ['read', 'ExitCase'], query: handoverQuerySchema })
  listHandovers(@CurrentActor() actor: Actor, @Query(new ZodPipe(handoverQuerySchema, 'query')) q: In<typeof handoverQuerySchema>) {
    return this.exits.listHandovers(actor, q);
  }

  @Get('handovers/:id')
  @Route({ operationId: 'oversight_getHandover', summary: 'One handover with its checklist and signatures (the outgoing operator, the successor and the authorities read it)', permission: ['read', 'ExitCase'] })
  getHandover(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.exits.getHandover(actor, id);
  }

  @Post('handovers/:id/signatures')
  @Route({ operationId: 'oversight_signHandover', summary: "An admin of the outgoing or the successor operator signs the checklist's digest for its side", permission: ['operate', 'ExitCase'], body: signHandoverSchema, status: 200 })
  sign(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(signHandoverSchema)) body: In<typeof signHandoverSchema>) {
    return this.exits.sign(actor, id, body);
  }

  @Post('handovers/:id/complete')
  @Route({ operationId: 'oversight_completeHandover', summary: "The county completes a signed handover: the market's living rows pass to the successor and its work log continues with a handover entry", permission: ['update', 'ExitCase'], status: 200 })
  complete(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.exits.completeHandover(actor, id);
  }

  @Get('handovers/:id/package')
  @Route({ operationId: 'oversight_handoverPackage', summary: "The bureau's handover package: the market's work log (JSONL), receipts, public key and a manifest, for tools/ledger-verify", permission: ['read', 'ExitCase'] })
  package(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.exits.handoverPackage(actor, id);
  }
}
