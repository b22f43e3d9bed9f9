import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import {
  closePlanSchema, hardshipSchema, openPlanSchema, packageSchema, planQuerySchema, planStepSchema, publicWelfareSchema, serviceQuerySchema, serviceRecordSchema,
  type Actor, type HardshipInput, type PackageInput, type PlanStepInput, type ServiceRecordInput,
} from '@linggong/domain';
import { CurrentActor, IdPipe, Route, ZodPipe } from '@linggong/api-core';
import { AssistanceService } from './assistance.service';
import { ServiceRecordsService } from './service-records.service';

@ApiTags('assistance')
@Controller('v1')
export class AssistanceController {
  constructor(private readonly assistance: AssistanceService, private readonly services: ServiceRecordsService) {}

  @Post('workers/:id/hardship')
  @Route({ operationId: 'assistance_recordHardship', summary: 'Record (or replace) a worker\'s hardship categories with their consent, encrypted; the tier follows (R-B9)', permission: ['update', 'Assistance'], body: hardshipSchema, status: 200 })
  recordHardship(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(hardshipSchema)) body: HardshipInput) {
    return this.assistance.recordHardship(actor, id, body);
  }

  @Post('workers/:id/hardship/withdrawal')
  @Route({ operationId: 'assistance_withdrawHardship', summary: 'The person withdraws consent: the hardship record is erased, the tier falls to 0, an open plan closes', permission: ['update', 'Assistance'], status: 200 })
  withdrawHardship(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.assistance.withdrawHardship(actor, id);
  }

  @Get('workers/:id/hardship')
  @Route({ operationId: 'assistance_getHardship', summary: 'A worker\'s hardship categories in clear (audited; operator staff only)', permission: ['reveal', 'Assistance'] })
  getHardship(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.assistance.getHardship(actor, id);
  }

  @Get('workers/:id/assistance')
  @Route({ operationId: 'assistance_forWorker', summary: 'A worker\'s tier, waiting days, plans and public-welfare posts (no categories)', permission: ['read', 'Assistance'] })
  forWorker(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.assistance.forWorker(actor, id);
  }

  @Post('workers/:id/assistance-plans')
  @Route({ operationId: 'assistance_openPlan', summary: 'Open an assistance plan with the province\'s service package (R-B9 1 guidance / 3 referrals / 1 training)', permission: ['create', 'Assistance'], body: openPlanSchema, status: 201 })
  openPlan(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(openPlanSchema)) body: z.infer<typeof openPlanSchema>) {
    return this.assistance.openPlan(actor, id, body);
  }

  @Post('workers/:id/public-welfare-posts')
  @Route({ operationId: 'assistance_placePublicWelfare', summary: 'Record a placement in a public-welfare post (公益性岗位, R-B9)', permission: ['create', 'Assistance'], body: publicWelfareSchema, status: 201 })
  placePublicWelfare(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(publicWelfareSchema)) body: z.infer<typeof publicWelfareSchema>) {
    return this.assistance.placePublicWelfare(actor, id, body);
  }

  @Get('assistance-plans')
  @Route({ operationId: 'assistance_listPlans', summary: 'The assistance roster: plans with package progress and who is behind plan', permission: ['read', 'Assistance'], query: planQuerySchema })
  listPlans(@CurrentActor() actor: Actor, @Query(new ZodPipe(planQuerySchema, 'query')) q: z.infer<typeof planQuerySchema>) {
    return this.assistance.list(actor, q);
  }

  @Get('assistance-plans/:id')
  @Route({ operationId: 'assistance_getPlan', summary: 'One plan with its steps', permission: ['read', 'Assistance'] })
  getPlan(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.assistance.getPlan(actor, id);
  }

  @Post('assistance-plans/:id/steps')
  @Route({ operationId: 'assistance_addStep', summary: 'Record a referral, a training or a follow-up; a follow-up with stable_employment closes the plan', permission: ['update', 'Assistance'], body: planStepSchema, status: 201 })
  addStep(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(planStepSchema)) body: PlanStepInput) {
    return this.assistance.addStep(actor, id, body);
  }

  @Post('assistance-plans/:id/closure')
  @Route({ operationId: 'assistance_closePlan', summary: 'Close a plan for another reason than stable work (moved away, declined further help)', permission: ['update', 'Assistance'], body: closePlanSchema, status: 200 })
  closePlan(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(closePlanSchema)) body: z.infer<typeof closePlanSchema>) {
    return this.assistance.closePlan(actor, id, body.reason);
  }

  @Get('assistance-packages')
  @Route({ operationId: 'assistance_listPackages', summary: 'The service package per province (00 = default)', permission: 'authenticated' })
  packages(@CurrentActor() actor: Actor) {
    return this.assistance.packages(actor);
  }

  @Put('assistance-packages/:code')
  @Route({ operationId: 'assistance_setPackage', summary: 'Set a province\'s service package (2-digit province code; 00 = the default, platform only)', permission: ['update', 'AssistancePackage'], body: packageSchema, status: 200 })
  setPackage(@CurrentActor() actor: Actor, @Param('code') code: string, @Body(new ZodPipe(packageSchema)) body: PackageInput) {
    return this.assistance.setPackage(actor, code, body);
  }

  @Post('markets/:id/service-records')
  @Route({ operationId: 'assistance_createServiceRecord', summary: 'Record a guidance or information service for a worker or an employer (R-B12, R-B14)', permission: ['create', 'ServiceRecord'], body: serviceRecordSchema, status: 201 })
  createServiceRecord(@CurrentActor() actor: Actor, @Param('id', IdPipe) marketId: string, @Body(new ZodPipe(serviceRecordSchema)) body: ServiceRecordInput) {
    return this.services.create(actor, marketId, body);
  }

  @Get('service-records')
  @Route({ operationId: 'assistance_listServiceRecords', summary: 'Service records visible to the caller', permission: ['read', 'ServiceRecord'], query: serviceQuerySchema })
  listServiceRecords(@CurrentActor() actor: Actor, @Query(new ZodPipe(serviceQuerySchema, 'query')) q: z.infer<typeof serviceQuerySchema>) {
    return this.services.list(actor, q);
  }
}
