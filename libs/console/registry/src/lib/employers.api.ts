import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { z } from 'zod';
import type { CreateEmployerInput, EmployerFlagView, EmployerView, Page, verifyEmployerSchema, wageReferralSchema } from '@linggong/domain';
import { toParams } from '@linggong/console-core';

export interface EmployerQuery { page?: number; pageSize?: number; q?: string | null; status?: string | null }

/** Employers (用工主体) with verification and wage-arrears flags (R-B6, R-B8). */
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
}
