import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { AuditEventView, Page } from '@linggong/domain';
import { toParams, type PageQuery } from './http-params';

export interface AuditQuery extends PageQuery {
  action?: string | null; subjectType?: string | null; subjectId?: string | null; actorUserId?: string | null;
  from?: string | null; to?: string | null;
}

@Injectable({ providedIn: 'root' })
export class AuditService {
  private readonly http = inject(HttpClient);
  list(query: AuditQuery = {}): Observable<Page<AuditEventView>> {
    return this.http.get<Page<AuditEventView>>('/api/v1/audit-events', { params: toParams(query) });
  }
}
