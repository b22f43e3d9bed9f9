import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  KPI_CODES, childRegionLength, computeKpi, rankingMedian, requireKpi, worseThanMedian,
  type Actor, type RankingQuery, type RankingResult, type RankingRow,
} from '@linggong/domain';
import { ProblemException, TenantDb } from '@linggong/api-core';
import { OrganisationsService, RegionsService } from '@linggong/api-tenancy';
import { AnalyticsService, type ScopeMarket } from './analytics.service';
import { aggregateRegionOf } from './region-aggregates';

/** The longest common prefix of region codes, cut to a whole level (2, 4 or 6 digits). */
function commonRegion(codes: string[]): string {
  let p = codes[0] ?? '';
  for (const c of codes) while (!c.startsWith(p)) p = p.slice(0, -2);
  return p.slice(0, p.length - (p.length % 2));
}

/**
 * `analytics_ranking` (issue 13 §4): the rows below a scope in one call. The scope's markets are the
 * ones `analytics_kpis` would count (same CASL conditions, same 404s); each row's figures are
 * `AnalyticsService.inputs` over that row's markets within the scope, so a row equals `analytics_kpis`
 * for the same markets, and an operator's row never counts its markets outside the scope. A region row
 * of an authority's (or the platform's) whole region reads that region's pre-aggregates, as `analytics_kpis` does.
 */
@Injectable()
export class RankingService {
  constructor(
    private readonly db: TenantDb, private readonly analytics: AnalyticsService,
    private readonly regions: RegionsService, private readonly orgs: OrganisationsService,
  ) {}

  ranking(actor: Actor, q: RankingQuery): Promise<RankingResult> {
    return this.db.run(actor, async (em) => {
      await em.query(`SET LOCAL work_mem = '64MB'`);
      const markets = await this.analytics.scopeMarkets(em, actor, q);
      const groups = await this.groups(em, actor, q, markets);
      const codes = q.kpis ?? [...KPI_CODES];
      const defs = codes.map(requireKpi);
      // A child region of a whole region an authority sees is itself whole: its pre-aggregates stand for its markets.
      const whole = q.groupBy === 'region' && aggregateRegionOf(actor, q) !== null;
      const rows: RankingRow[] = [];
      // Markets and operators: every row's figures in one round of statements over the scope's markets (`groupInputs`).
      const grouped = whole ? null : await this.analytics.groupInputs(em, groups.map((g) => ({ key: g.id, markets: g.markets })), q.from, q.to);
      // Child regions: each from its pre-aggregates; the markets' last seals and staff and every row's stored vector read once.
      const reads = whole ? await this.analytics.scopeReads(em, markets, groups.map((g) => g.id), [[q.from, q.to]]) : undefined;
      for (const g of groups) {
        const cur = grouped?.get(g.id) ?? await this.analytics.inputs(em, g.markets, q.from, q.to, g.id, reads);
        rows.push({
          group: q.groupBy, id: g.id, name: g.name, regionCode: g.regionCode, regionName: g.regionName, markets: g.markets.length,
          provisional: cur.provisional, figures: defs.map((k) => ({ code: k.code, value: computeKpi(k, cur.inputs), worse: null })),
        });
      }
      const medians = defs.map((k, i) => ({ code: k.code, value: rankingMedian(rows.map((r) => r.figures[i].value)), unit: k.unit, direction: k.direction }));
      for (const r of rows) r.figures.forEach((f, i) => { f.worse = worseThanMedian(f.value, medians[i].value, defs[i].direction); });
      return { from: q.from, to: q.to, groupBy: q.groupBy, markets: markets.length, medians, provisional: rows.some((r) => r.provisional), rows };
    });
  }

  /** The scope's markets split into rows: each market, each operator's markets, or each child region's markets. */
  private async groups(em: EntityManager, actor: Actor, q: RankingQuery, markets: ScopeMarket[]) {
    type Group = { id: string; name: string; regionCode: string; regionName: string | null; markets: ScopeMarket[] };
    const by = new Map<string, ScopeMarket[]>();
    let keyOf: (m: ScopeMarket) => string;
    if (q.groupBy === 'market') keyOf = (m) => m.id;
    else if (q.groupBy === 'operator') keyOf = (m) => m.tenantId;
    else {
      // The scope's region: the one asked for, else the caller's own (none for an operator or the platform: provinces).
      const base = q.regionCode ?? (actor.orgKind === 'platform' || actor.orgKind === 'operator' ? '' : (actor.regionPrefix ?? ''));
      const len = childRegionLength(base, q.regionLevel);
      if (len === null) throw new ProblemException(422, 'validation_failed', [{ field: 'groupBy', key: 'analytics_no_child_regions' }]);
      keyOf = (m) => m.regionCode.slice(0, len);
    }
    for (const m of markets) by.set(keyOf(m), [...(by.get(keyOf(m)) ?? []), m]);
    const regionOf = new Map([...by].map(([key, ms]) => [key, q.groupBy === 'region' ? key : commonRegion(ms.map((m) => m.regionCode))]));
    const regionNames = await this.regions.names(em, [...regionOf.values()]);
    const opNames = new Map<string, string>();
    if (q.groupBy === 'operator') {
      for (const id of by.keys()) opNames.set(id, (await this.orgs.findVisible(em, id))?.name ?? id);
    }
    const out: Group[] = [...by].map(([key, ms]) => {
      const regionCode = regionOf.get(key) ?? '';
      const name = q.groupBy === 'market' ? ms[0].name : q.groupBy === 'operator' ? (opNames.get(key) ?? key) : (regionNames.get(key) ?? key);
      return { id: key, name, regionCode, regionName: regionNames.get(regionCode) ?? null, markets: ms };
    });
    return out.sort((a, b) => a.regionCode.localeCompare(b.regionCode) || a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id));
  }
}
