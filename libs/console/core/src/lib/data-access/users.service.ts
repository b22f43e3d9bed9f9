import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { CreateUserInput, Page, Role, UpdateUserInput, UserView } from '@linggong/domain';
import { toParams, type PageQuery } from './http-params';

export interface UserQuery extends PageQuery { orgId?: string | null; role?: Role | null }

@Injectable({ providedIn: 'root' })
export class UsersService {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1/users';

  list(query: UserQuery = {}): Observable<Page<UserView>> {
    return this.http.get<Page<UserView>>(this.base, { params: toParams(query) });
  }
  get(id: string): Observable<UserView> {
    return this.http.get<UserView>(`${this.base}/${id}`);
  }
  create(body: CreateUserInput): Observable<UserView> {
    return this.http.post<UserView>(this.base, body);
  }
  update(id: string, body: UpdateUserInput): Observable<UserView> {
    return this.http.patch<UserView>(`${this.base}/${id}`, body);
  }
  unlock(id: string): Observable<void> {
    return this.http.post<void>(`${this.base}/${id}/unlock`, {});
  }
  /** Remove the user's second factor (lost phone); audited, the user's sessions end. */
  resetSecondFactor(id: string): Observable<void> {
    return this.http.post<void>(`${this.base}/${id}/second-factor/reset`, {});
  }
  /** The full number; the API records an audit event for every reveal. */
  revealPhone(id: string): Observable<{ phone: string }> {
    return this.http.post<{ phone: string }>(`${this.base}/${id}/reveal-phone`, {});
  }
}
