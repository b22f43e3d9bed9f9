import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { AnyDrilldownItem, BreakdownDimension, BreakdownResult, KpiDef, KpiResult, Page, RankingGroup, RankingResult } from '@linggong/domain';
import { toParams } from '@linggong/console-core';

/** One scope of `analytics_kpis` / `analytics_drilldown`: nothing (all the caller sees), a region, an operator or a market. */
export interface Scope { regionCode?: string; operatorId?: string; marketId?: string }
export type DrilldownPage = Page<AnyDrilldownItem> & { sum: number };
/** A rollup run (`analytics_listRuns`): re-rolls sealed days; the worker reports `done/total`. */
export interface RollupRun {
  id: string; marketId: string | null; reason: string; from: string; to: string; status: 'queued' | 'running' | 'done' | 'failed';
  total: number; done: number; error: string | null; requestedAt: string; finishedAt: string | null;
}

/** HTTP for the analytics context (issue 13): the catalogue, figures and the entries behind a figure. */
@Injectable({ providedIn: 'root' })
export class AnalyticsApi {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1/analytics';

  catalogue(): Observable<KpiDef[]> {
    return this.http.get<KpiDef[]>(`${this.base}/catalogue`);
  }
  /** Figures of a period for a scope; `kpis` empty = every KPI of the catalogue. */
  kpis(q: { from: string; to: string; kpis?: string[] } & Scope): Observable<KpiResult> {
    return this.http.get<KpiResult>(`${this.base}/kpis`, { params: toParams({ ...q, kpis: q.kpis?.join(',') }) });
  }
  /** One row per market, operator or region (`regionLevel`) of the scope, every KPI (`kpis` empty), with the scope's medians. */
  ranking(q: { from: string; to: string; groupBy: RankingGroup; regionLevel?: 'province' | 'city' | 'county'; kpis?: string[] } & Scope): Observable<RankingResult> {
    return this.http.get<RankingResult>(`${this.base}/ranking`, { params: toParams({ ...q, kpis: q.kpis?.join(',') }) });
  }
  runs(): Observable<RollupRun[]> {
    return this.http.get<RollupRun[]>(`${this.base}/runs`);
  }
  requestRun(body: { marketId?: string; from: string; to: string }): Observable<RollupRun> {
    return this.http.post<RollupRun>(`${this.base}/runs`, body);
  }
  /** One KPI per value of a dimension (`analytics_breakdown`). */
  breakdown(q: { kpi: string; by: BreakdownDimension; from: string; to: string } & Scope): Observable<BreakdownResult> {
    return this.http.get<BreakdownResult>(`${this.base}/breakdown`, { params: toParams(q) });
  }
  drilldown(q: { kpi: string; from: string; to: string; part?: 'value' | 'numerator' | 'denominator'; page?: number; pageSize?: number } & Scope): Observable<DrilldownPage> {
    return this.http.get<DrilldownPage>(`${this.base}/drilldown`, { params: toParams(q) });
  }
}
