import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { FlagsResult, RankingGroup, RankingResult } from '@linggong/domain';
import { toParams } from '@linggong/console-core';
import type { Scope } from './analytics.api';

/** HTTP for the reviewer's views (issue 13 §4): red flags (`analytics_flags`) and the ranking (`analytics_ranking`) the map colours by. */
@Injectable({ providedIn: 'root' })
export class ReviewApi {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1/analytics';

  flags(q: { from: string; to: string } & Scope): Observable<FlagsResult> {
    return this.http.get<FlagsResult>(`${this.base}/flags`, { params: toParams(q) });
  }
  ranking(q: { from: string; to: string; groupBy: RankingGroup; kpis?: string[] } & Scope): Observable<RankingResult> {
    return this.http.get<RankingResult>(`${this.base}/ranking`, { params: toParams({ ...q, kpis: q.kpis?.join(',') }) });
  }
}
