import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { Page, RegisterWorkerInput, WorkerView } from '@linggong/domain';
import { toParams } from '@linggong/console-core';

export type RevealField = 'mobile' | 'idNumber';
export interface WorkerQuery { page?: number; pageSize?: number; q?: string | null; marketId?: string | null; mobile?: string | null }
export interface RevealResult { field: RevealField; value: string | null }

/** The workers' registry API (the only place this library talks HTTP). */
@Injectable({ providedIn: 'root' })
export class RegistryApi {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1';

  list(query: WorkerQuery): Observable<Page<WorkerView>> {
    return this.http.get<Page<WorkerView>>(`${this.base}/workers`, { params: toParams(query) });
  }
  get(id: string): Observable<WorkerView> {
    return this.http.get<WorkerView>(`${this.base}/workers/${encodeURIComponent(id)}`);
  }
  register(marketId: string, body: RegisterWorkerInput): Observable<WorkerView> {
    return this.http.post<WorkerView>(`${this.base}/markets/${encodeURIComponent(marketId)}/workers`, body);
  }
  /** Audited on the server: every call is an audit event. */
  reveal(id: string, field: RevealField): Observable<RevealResult> {
    return this.http.post<RevealResult>(`${this.base}/workers/${encodeURIComponent(id)}/reveal`, { field });
  }
}
