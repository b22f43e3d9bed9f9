import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { OversightSummary, Overview, TodoItem } from '@linggong/domain';

@Injectable({ providedIn: 'root' })
export class OverviewService {
  private readonly http = inject(HttpClient);
  /** Home page data for the caller's scope (region, tenant or everything). */
  get(): Observable<Overview> {
    return this.http.get<Overview>('/api/v1/overview');
  }
  /** What the caller can act on now, from every context (issue 17 §5). */
  todo(): Observable<TodoItem[]> {
    return this.http.get<TodoItem[]>('/api/v1/overview/todo');
  }
  /** Oversight figures for the home page (issue 16): open, overdue and escalated rectification orders, samples, inspections. */
  oversight(): Observable<OversightSummary> {
    return this.http.get<OversightSummary>('/api/v1/oversight/summary');
  }
}
