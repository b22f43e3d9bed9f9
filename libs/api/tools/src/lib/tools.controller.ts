import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import {
  completeRepairSchema, createToolSchema, decisionSchema, lendSchema, loanQuerySchema, maintenanceSchema, reconciliationQuerySchema,
  requestLoanSchema, returnSchema, toolQuerySchema,
  type Actor, type CompleteRepairInput, type CreateToolInput, type DecisionInput, type LendInput, type MaintenanceInput,
  type RequestLoanInput, type ReturnInput,
} from '@linggong/domain';
import { CurrentActor, IdPipe, Route, ZodPipe, sendDownload } from '@linggong/api-core';
import { ToolsService } from './tools.service';
import { DepositReconciliationService } from './deposit-reconciliation.service';

/** Tool rental (R-B11; 004 附件4): inventory, loans with approval and signature, returns, repairs, deposits. */
@ApiTags('tools')
@Controller('v1')
export class ToolsController {
  constructor(private readonly tools: ToolsService, private readonly deposits: DepositReconciliationService) {}

  @Post('markets/:id/tools')
  @Route({ operationId: 'tools_createTool', summary: 'Add a tool to a market\'s inventory with its value, deposit and daily fee (simple tools: deposit only)', permission: ['update', 'Tool'], body: createToolSchema, status: 201 })
  create(@CurrentActor() actor: Actor, @Param('id', IdPipe) marketId: string, @Body(new ZodPipe(createToolSchema)) body: CreateToolInput) {
    return this.tools.createTool(actor, marketId, body);
  }

  @Get('tools')
  @Route({ operationId: 'tools_listTools', summary: 'The tool inventory visible to the caller, with any loan in progress', permission: ['read', 'Tool'], query: toolQuerySchema })
  list(@CurrentActor() actor: Actor, @Query(new ZodPipe(toolQuerySchema, 'query')) q: z.infer<typeof toolQuerySchema>) {
    return this.tools.listTools(actor, q);
  }

  @Get('tools/:id')
  @Route({ operationId: 'tools_getTool', summary: 'One tool and its account (单个核算): loans, fees, damage charges, repairs and totals', permission: ['read', 'Tool'] })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.tools.account(actor, id);
  }

  @Post('tools/:id/loans')
  @Route({ operationId: 'tools_requestLoan', summary: 'Ask to lend the tool to a worker; the market manager must approve before it is handed out (先批后租)', permission: ['create', 'Tool'], body: requestLoanSchema, status: 201 })
  requestLoan(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(requestLoanSchema)) body: RequestLoanInput) {
    return this.tools.requestLoan(actor, id, body);
  }

  @Post('tools/:id/maintenance')
  @Route({ operationId: 'tools_requestMaintenance', summary: 'Apply for a repair or a write-off (报损/报废) of the tool', permission: ['create', 'Tool'], body: maintenanceSchema, status: 201 })
  requestMaintenance(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(maintenanceSchema)) body: MaintenanceInput) {
    return this.tools.requestMaintenance(actor, id, body);
  }

  @Get('tool-loans')
  @Route({ operationId: 'tools_listLoans', summary: 'Tool loans visible to the caller, newest first', permission: ['read', 'Tool'], query: loanQuerySchema })
  listLoans(@CurrentActor() actor: Actor, @Query(new ZodPipe(loanQuerySchema, 'query')) q: z.infer<typeof loanQuerySchema>) {
    return this.tools.listLoans(actor, q);
  }

  @Post('tool-loans/:id/decision')
  @Route({ operationId: 'tools_decideLoan', summary: 'The market manager approves or refuses a loan request (not their own)', permission: ['verify', 'Tool'], body: decisionSchema, status: 200 })
  decideLoan(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(decisionSchema)) body: DecisionInput) {
    return this.tools.decideLoan(actor, id, body);
  }

  @Post('tool-loans/:id/lend')
  @Route({ operationId: 'tools_lend', summary: 'Hand out an approved loan against the worker\'s on-screen signature (PNG); the deposit is received', permission: ['create', 'Tool'], body: lendSchema, status: 200 })
  lend(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(lendSchema)) body: LendInput) {
    return this.tools.lend(actor, id, body);
  }

  @Post('tool-loans/:id/cancel')
  @Route({ operationId: 'tools_cancelLoan', summary: 'Cancel a loan request or approval that was never handed out', permission: ['create', 'Tool'], status: 200 })
  cancel(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.tools.cancelLoan(actor, id);
  }

  @Post('tool-loans/:id/return')
  @Route({ operationId: 'tools_return', summary: 'Take the tool back with an inspection: fee for the days kept and any damage charge from the deposit, the rest refunded', permission: ['create', 'Tool'], body: returnSchema, status: 200 })
  returnLoan(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(returnSchema)) body: ReturnInput) {
    return this.tools.returnLoan(actor, id, body);
  }

  @Get('tool-loans/:id/signature')
  @Route({ operationId: 'tools_getSignature', summary: 'The worker\'s signature on the loan (image/png; the ETag is its hash; never cached, every view is audited)', permission: ['read', 'Tool'], produces: 'image/png' })
  async signature(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Res() reply: FastifyReply) {
    const s = await this.tools.signature(actor, id);
    return sendDownload(reply, { content: s.content, filename: `signature-${id}.png`, type: 'image/png', headers: { etag: `"${s.hash}"` } });
  }

  @Post('tool-maintenance/:id/decision')
  @Route({ operationId: 'tools_decideMaintenance', summary: 'The market manager approves or refuses a repair or write-off (not their own request)', permission: ['verify', 'Tool'], body: decisionSchema, status: 200 })
  decideMaintenance(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(decisionSchema)) body: DecisionInput) {
    return this.tools.decideMaintenance(actor, id, body);
  }

  @Post('tool-maintenance/:id/completion')
  @Route({ operationId: 'tools_completeRepair', summary: 'Record an approved repair as done, with its cost; the tool returns to the store', permission: ['create', 'Tool'], body: completeRepairSchema, status: 200 })
  completeRepair(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(completeRepairSchema)) body: CompleteRepairInput) {
    return this.tools.completeRepair(actor, id, body);
  }

  @Get('markets/:id/tool-reconciliations')
  @Route({ operationId: 'tools_listReconciliations', summary: 'The market\'s daily deposit reconciliations, newest first; a mismatch lists the loans concerned', permission: ['read', 'Tool'], query: reconciliationQuerySchema })
  reconciliations(@CurrentActor() actor: Actor, @Param('id', IdPipe) marketId: string, @Query(new ZodPipe(reconciliationQuerySchema, 'query')) q: z.infer<typeof reconciliationQuerySchema>) {
    return this.deposits.list(actor, marketId, q);
  }

  @Post('markets/:id/tool-reconciliations')
  @Route({ operationId: 'tools_reconcile', summary: 'Reconcile the market\'s deposits now (the nightly job does the same)', permission: ['verify', 'Tool'], status: 200 })
  reconcile(@CurrentActor() actor: Actor, @Param('id', IdPipe) marketId: string) {
    return this.deposits.reconcileMarket(actor, marketId);
  }
}
