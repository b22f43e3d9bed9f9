import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import {
  marketOperationsSchema, marketQuerySchema, registerMarketSchema, updateMarketRegistrationSchema,
  type Actor, type MarketOperationsInput, type RegisterMarketInput, type UpdateMarketRegistrationInput,
} from '@linggong/domain';
import { CurrentActor, IdPipe, Route, TodoRegistry, ZodPipe } from '@linggong/api-core';
import { MarketsService } from './markets.service';

@ApiTags('markets')
@Controller('v1/markets')
export class MarketsController {
  constructor(private readonly markets: MarketsService) {}

  @Get()
  @Route({ operationId: 'markets_list', summary: 'Markets visible to the caller', permission: ['read', 'Market'], query: marketQuerySchema })
  list(@CurrentActor() actor: Actor, @Query(new ZodPipe(marketQuerySchema, 'query')) q: z.infer<typeof marketQuerySchema>) {
    return this.markets.list(actor, q);
  }

  @Get(':id')
  @Route({ operationId: 'markets_get', summary: 'One market', permission: ['read', 'Market'] })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.markets.get(actor, id);
  }

  @Post()
  @Route({ operationId: 'markets_register', summary: 'Register a market and assign its operator (county authority)', permission: ['create', 'Market'], body: registerMarketSchema, status: 201 })
  register(@CurrentActor() actor: Actor, @Body(new ZodPipe(registerMarketSchema)) body: RegisterMarketInput) {
    return this.markets.register(actor, body);
  }

  @Patch(':id/registration')
  @Route({ operationId: 'markets_updateRegistration', summary: 'Change registration: name, type, nature, mode, operator, status (county authority)', permission: ['register', 'Market'], body: updateMarketRegistrationSchema })
  updateRegistration(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(updateMarketRegistrationSchema)) body: UpdateMarketRegistrationInput) {
    return this.markets.updateRegistration(actor, id, body);
  }

  @Patch(':id/operations')
  @Route({ operationId: 'markets_updateOperations', summary: 'Change operating details: address, location, hours, contacts, hotline, occupations (operator)', permission: ['operate', 'Market'], body: marketOperationsSchema })
  updateOperations(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body(new ZodPipe(marketOperationsSchema)) body: MarketOperationsInput) {
    return this.markets.updateOperations(actor, id, body);
  }
}

@ApiTags('markets')
@Controller('v1/overview')
export class OverviewController {
  constructor(private readonly markets: MarketsService, private readonly todos: TodoRegistry) {}

  @Get()
  @Route({ operationId: 'markets_overview', summary: 'Home-page figures for the caller\'s scope', permission: 'authenticated' })
  overview(@CurrentActor() actor: Actor) {
    return this.markets.overview(actor);
  }

  @Get('todo')
  @Route({ operationId: 'markets_todo', summary: 'What to do now, for the caller\'s role: each context\'s open work the caller can act on (queue, 日结, days to close, loans, complaints due, markets flagged)', permission: 'authenticated' })
  todo(@CurrentActor() actor: Actor) {
    return this.todos.collect(actor);
  }
}
