import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { KPIS, breakdownQuerySchema, drilldownQuerySchema, flagsQuerySchema, kpiQuerySchema, rankingQuerySchema, rollupRunSchema, type Actor, type BreakdownQuery, type DrilldownQuery, type FlagsQuery, type KpiQuery, type RankingQuery } from '@linggong/domain';
import { CurrentActor, Route, ZodPipe } from '@linggong/api-core';
import { AnalyticsService } from './analytics.service';
import { FlagsService } from './flags.service';
import { RankingService } from './ranking.service';

/** KPIs from the sealed work log (issue 13; R-E3, R-E6, R-F1): figures, the entries behind them, rollup runs. */
@ApiTags('analytics')
@Controller('v1/analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService, private readonly rankings: RankingService, private readonly flagsOf: FlagsService) {}

  @Get('catalogue')
  @Route({ operationId: 'analytics_catalogue', summary: 'The KPI catalogue: code, names, definition, unit, direction, source kinds and fields, requirement, official or ours', permission: ['read', 'Analytics'] })
  catalogue() {
    return KPIS;
  }

  @Get('kpis')
  @Route({ operationId: 'analytics_kpis', summary: 'Figures for a scope (market, operator or region; default all the caller sees), a period and KPI codes, with the previous period of equal length; unsealed days live and flagged provisional', permission: ['read', 'Analytics'], query: kpiQuerySchema })
  kpis(@CurrentActor() actor: Actor, @Query(new ZodPipe(kpiQuerySchema, 'query')) q: KpiQuery) {
    return this.analytics.kpis(actor, q);
  }

  @Get('ranking')
  @Route({ operationId: 'analytics_ranking', summary: 'One row per market, operator or child region of a scope (an operator counts only its markets inside the scope) with the requested KPIs, the scope median of each and a provisional mark', permission: ['read', 'Analytics'], query: rankingQuerySchema })
  ranking(@CurrentActor() actor: Actor, @Query(new ZodPipe(rankingQuerySchema, 'query')) q: RankingQuery) {
    return this.rankings.ranking(actor, q);
  }

  @Get('drilldown')
  @Route({ operationId: 'analytics_drilldown', summary: 'The work-log entries behind one figure (or its numerator or denominator), paged; for a count KPI the total equals the figure', permission: ['read', 'Analytics'], query: drilldownQuerySchema })
  drilldown(@CurrentActor() actor: Actor, @Query(new ZodPipe(drilldownQuerySchema, 'query')) q: DrilldownQuery) {
    return this.analytics.drilldown(actor, q);
  }

  @Get('breakdown')
  @Route({ operationId: 'analytics_breakdown', summary: 'One KPI (a count, ratio or median) per value of occupation, industry, worker gender or age band, for a scope and a period; the parts of a count add up to the whole', permission: ['read', 'Analytics'], query: breakdownQuerySchema })
  breakdown(@CurrentActor() actor: Actor, @Query(new ZodPipe(breakdownQuerySchema, 'query')) q: BreakdownQuery) {
    return this.analytics.breakdown(actor, q);
  }

  @Get('flags')
  @Route({ operationId: 'analytics_flags', summary: 'Red flags per market of a scope and period: days not sealed or sealed late, verification failures, overdue complaints, non-payment reports, a low settlement rate, a day far above the market\'s own history; each with severity, explanation and evidence', permission: ['read', 'Analytics'], query: flagsQuerySchema })
  flags(@CurrentActor() actor: Actor, @Query(new ZodPipe(flagsQuerySchema, 'query')) q: FlagsQuery) {
    return this.flagsOf.flags(actor, q);
  }

  @Get('runs')
  @Route({ operationId: 'analytics_listRuns', summary: 'Recent rollup runs and their progress', permission: ['read', 'Analytics'] })
  runs(@CurrentActor() actor: Actor) {
    return this.analytics.listRuns(actor);
  }

  @Post('runs')
  @Route({ operationId: 'analytics_requestRun', summary: 'Roll up sealed days again (one market, or all the caller may re-run) for a range; the worker does it and reports progress', permission: ['update', 'Analytics'], body: rollupRunSchema, status: 202 })
  requestRun(@CurrentActor() actor: Actor, @Body(new ZodPipe(rollupRunSchema)) body: z.infer<typeof rollupRunSchema>) {
    return this.analytics.requestRun(actor, body);
  }
}
