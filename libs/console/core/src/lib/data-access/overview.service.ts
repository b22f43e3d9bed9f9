import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { Overview } from '@linggong/domain';

@Injectable({ providedIn: 'root' })
export class OverviewService {
  private readonly http = inject(HttpClient);
  /** Home page data for the caller's scope (region, tenant or everything). */
  get(): Observable<Overview> {
    return this.http.get<Overview>('/api/v1/overview');
  }
}
