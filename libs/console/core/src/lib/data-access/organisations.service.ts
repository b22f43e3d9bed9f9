import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { OrgKind, OrganisationView, Page } from '@linggong/domain';
import { toParams, type PageQuery } from './http-params';

export interface OrganisationQuery extends PageQuery { kind?: OrgKind | null; regionCode?: string | null }
export interface CreateOrganisationBody {
  kind: OrgKind; name: string; regionCode: string; creditCode?: string; contactName?: string; contactPhone?: string;
}
export interface UpdateOrganisationBody { name?: string; contactName?: string; contactPhone?: string; status?: 'active' | 'exited' }

@Injectable({ providedIn: 'root' })
export class OrganisationsService {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1/organisations';

  list(query: OrganisationQuery = {}): Observable<Page<OrganisationView>> {
    return this.http.get<Page<OrganisationView>>(this.base, { params: toParams(query) });
  }
  get(id: string): Observable<OrganisationView> {
    return this.http.get<OrganisationView>(`${this.base}/${id}`);
  }
  create(body: CreateOrganisationBody): Observable<OrganisationView> {
    return this.http.post<OrganisationView>(this.base, body);
  }
  update(id: string, body: UpdateOrganisationBody): Observable<OrganisationView> {
    return this.http.patch<OrganisationView>(`${this.base}/${id}`, body);
  }
  /** The contact's full mobile (lists show it masked); the API records an audit event for every reveal. */
  revealContact(id: string): Observable<{ contactPhone: string | null }> {
    return this.http.post<{ contactPhone: string | null }>(`${this.base}/${id}/reveal-contact`, {});
  }
}
