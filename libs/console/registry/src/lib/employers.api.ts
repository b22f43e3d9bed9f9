import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { z } from 'zod';
import type {
  CreateEmployerInput, EmployerFlagView, EmployerView, Page, PlacementView, SanctionView, appealDecisionSchema, sanctionSchema,
  verifyEmployerSchema, wageReferralSchema,
} from '@linggong/domain';
import { toParams } from '@linggong/console-core';

export interface EmployerQuery { page?: number; pageSize?: number; q?: string | null; status?: string | null }

/** Employers (用工主体) with verification and flags, and a worker's disputes, removals and appeals (R-B6, R-B8). */
@Injectable({ providedIn: 'root' })
export class EmployersApi {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1';

  list(query: EmployerQuery): Observable<Page<EmployerView>> {
    return this.http.get<Page<EmployerView>>(`${this.base}/employers`, { params: toParams(query) });
  }
  create(marketId: string, body: CreateEmployerInput): Observable<EmployerView> {
    return this.http.post<EmployerView>(`${this.base}/markets/${encodeURIComponent(marketId)}/employers`, body);
  }
  verify(id: string, body: z.infer<typeof verifyEmployerSchema>): Observable<EmployerView> {
    return this.http.post<EmployerView>(`${this.base}/employers/${encodeURIComponent(id)}/verification`, body);
  }
  flags(id: string): Observable<EmployerFlagView[]> {
    return this.http.get<EmployerFlagView[]>(`${this.base}/employers/${encodeURIComponent(id)}/flags`);
  }
  refer(id: string, body: z.infer<typeof wageReferralSchema>): Observable<EmployerFlagView> {
    return this.http.post<EmployerFlagView>(`${this.base}/employers/${encodeURIComponent(id)}/wage-referrals`, body);
  }
  sanctions(workerId: string): Observable<SanctionView[]> {
    return this.http.get<SanctionView[]>(`${this.base}/workers/${encodeURIComponent(workerId)}/sanctions`);
  }
  impose(workerId: string, body: z.input<typeof sanctionSchema>): Observable<SanctionView> {
    return this.http.post<SanctionView>(`${this.base}/workers/${encodeURIComponent(workerId)}/sanctions`, body);
  }
  appeal(id: string, statement: string): Observable<SanctionView> {
    return this.http.post<SanctionView>(`${this.base}/sanctions/${encodeURIComponent(id)}/appeal`, { statement });
  }
  decide(id: string, body: z.infer<typeof appealDecisionSchema>): Observable<SanctionView> {
    return this.http.post<SanctionView>(`${this.base}/sanctions/${encodeURIComponent(id)}/decision`, body);
  }
  placements(workerId: string): Observable<Page<PlacementView>> {
    return this.http.get<Page<PlacementView>>(`${this.base}/placements`, { params: toParams({ workerId, pageSize: 50 }) });
  }
}
