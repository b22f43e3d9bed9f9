import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import {
  createOrganisationSchema, createUserSchema, organisationQuerySchema, regionQuerySchema, updateOrganisationSchema,
  updateUserSchema, userQuerySchema, type Actor, type CreateUserInput, type UpdateUserInput,
} from '@linggong/domain';
import { CurrentActor, IdPipe, ProblemException, Route, ZodPipe } from '@linggong/api-core';
import { RegionsService } from './regions.service';
import { OrganisationsService } from './organisations.service';
import { UsersService } from './users.service';

@ApiTags('tenancy')
@Controller('v1/regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @Get()
  @Route({ operationId: 'tenancy_listRegions', summary: 'GB/T 2260 regions: provinces, or the children of `parent`', permission: ['read', 'Region'], query: regionQuerySchema })
  list(@CurrentActor() actor: Actor, @Query(new ZodPipe(regionQuerySchema, 'query')) q: z.infer<typeof regionQuerySchema>) {
    return this.regions.children(actor, q.parent);
  }

  @Get(':code')
  @Route({ operationId: 'tenancy_getRegion', summary: 'One region', permission: ['read', 'Region'] })
  get(@CurrentActor() actor: Actor, @Param('code') code: string) {
    if (!/^\d{2,6}$/.test(code)) throw new ProblemException(404, 'not_found');
    return this.regions.get(actor, code);
  }
}

@ApiTags('tenancy')
@Controller('v1/organisations')
export class OrganisationsController {
  constructor(private readonly orgs: OrganisationsService) {}

  @Get()
  @Route({ operationId: 'tenancy_listOrganisations', summary: 'Organisations visible to the caller', permission: ['read', 'Organisation'], query: organisationQuerySchema })
  list(@CurrentActor() actor: Actor, @Query(new ZodPipe(organisationQuerySchema, 'query')) q: z.infer<typeof organisationQuerySchema>) {
    return this.orgs.list(actor, q);
  }

  @Get(':id')
  @Route({ operationId: 'tenancy_getOrganisation', summary: 'One organisation', permission: ['read', 'Organisation'] })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.orgs.get(actor, id);
  }

  @Post()
  @Route({ operationId: 'tenancy_createOrganisation', summary: 'Create an authority or operator organisation (platform admin)', permission: ['create', 'Organisation'], body: createOrganisationSchema, status: 201 })
  create(@CurrentActor() actor: Actor, @Body(new ZodPipe(createOrganisationSchema)) body: z.infer<typeof createOrganisationSchema>) {
    return this.orgs.create(actor, body);
  }

  @Patch(':id')
  @Route({ operationId: 'tenancy_updateOrganisation', summary: 'Update an organisation; status "exited" makes an operator read-only', permission: ['update', 'Organisation'], body: updateOrganisationSchema })
  update(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(updateOrganisationSchema)) body: z.infer<typeof updateOrganisationSchema>) {
    return this.orgs.update(actor, id, body);
  }

  @Post(':id/reveal-contact')
  @Route({ operationId: 'tenancy_revealOrganisationContact', summary: 'Reveal the contact\'s full mobile number (audited); lists and pages show it masked', permission: ['reveal', 'Organisation'], status: 200 })
  revealContact(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.orgs.revealContact(actor, id);
  }
}

@ApiTags('tenancy')
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Route({ operationId: 'tenancy_listUsers', summary: 'Users visible to the caller (phones masked)', permission: ['read', 'User'], query: userQuerySchema })
  list(@CurrentActor() actor: Actor, @Query(new ZodPipe(userQuerySchema, 'query')) q: z.infer<typeof userQuerySchema>) {
    return this.users.list(actor, q);
  }

  @Get(':id')
  @Route({ operationId: 'tenancy_getUser', summary: 'One user (phone masked)', permission: ['read', 'User'] })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.users.get(actor, id);
  }

  @Post()
  @Route({ operationId: 'tenancy_createUser', summary: 'Create a user with roles and market assignments', permission: ['create', 'User'], body: createUserSchema, status: 201 })
  create(@CurrentActor() actor: Actor, @Body(new ZodPipe(createUserSchema)) body: CreateUserInput) {
    return this.users.create(actor, body);
  }

  @Patch(':id')
  @Route({ operationId: 'tenancy_updateUser', summary: 'Change name, phone, roles, markets or status (ends the user\'s sessions when scope changes)', permission: ['update', 'User'], body: updateUserSchema })
  update(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(updateUserSchema)) body: UpdateUserInput) {
    return this.users.update(actor, id, body);
  }

  @Post(':id/unlock')
  @Route({ operationId: 'tenancy_unlockUser', summary: 'Clear a sign-in lockout', permission: ['unlock', 'User'], status: 204 })
  unlock(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.users.unlock(actor, id);
  }

  @Post(':id/second-factor/reset')
  @Route({ operationId: 'tenancy_resetSecondFactor', summary: 'Remove a user\'s second factor and recovery codes (audited; ends their sessions; a user who must have one enrols again at the next sign-in)', permission: ['unlock', 'User'], status: 204 })
  resetSecondFactor(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.users.resetSecondFactor(actor, id);
  }

  @Post(':id/reveal-phone')
  @Route({ operationId: 'tenancy_revealUserPhone', summary: 'Reveal the full phone number (audited)', permission: ['reveal', 'User'], status: 200 })
  reveal(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.users.revealPhone(actor, id);
  }
}
