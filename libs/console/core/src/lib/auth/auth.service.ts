import { Injectable, computed, inject, signal } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import { createMongoAbility } from '@casl/ability';
import { firstValueFrom, tap, type Observable } from 'rxjs';
import type { Action, AppAbility, LoginInput, LoginResult, Me, SubjectName, TaggedSubject } from '@linggong/domain';

const API = '/api/v1/auth';

/**
 * The signed-in user and what they may do. The session itself is the httpOnly cookie; the CSRF
 * token is kept in memory only and reloaded from /auth/me after a page reload.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly current = signal<Me | null>(null);
  readonly me = this.current.asReadonly();
  readonly signedIn = computed(() => this.current() !== null);
  readonly ability = computed<AppAbility>(() =>
    createMongoAbility<AppAbility>(this.current()?.rules ?? [], {
      detectSubjectType: (o) => (o as TaggedSubject).__typename,
    }),
  );

  csrfToken(): string | null {
    return this.current()?.csrfToken ?? null;
  }

  can(action: Action, subject: SubjectName | TaggedSubject): boolean {
    return this.ability().can(action, subject);
  }

  /**
   * Whether the user may act on rows other than their own user/organisation — the rule every
   * user has (`read` own User/Organisation by id) does not earn a menu entry.
   */
  canBeyondOwn(action: Action, subject: SubjectName): boolean {
    return this.ability()
      .rulesFor(action, subject)
      .some((r) => !r.inverted && !(r.conditions && Object.keys(r.conditions).join() === 'id'));
  }

  login(input: LoginInput): Observable<LoginResult> {
    return this.http
      .post<LoginResult>(`${API}/login`, input)
      .pipe(tap((r) => this.current.set({ ...r.user, csrfToken: r.csrfToken })));
  }

  /** Called once at startup: a 401 just means nobody is signed in on this browser. */
  async loadMe(): Promise<Me | null> {
    try {
      const me = await firstValueFrom(this.http.get<Me>(`${API}/me`));
      this.current.set(me);
    } catch {
      this.current.set(null);
    }
    return this.current();
  }

  logout(): Observable<void> {
    return this.http.post<void>(`${API}/logout`, {}).pipe(tap({ finalize: () => this.clear() }));
  }

  /** Ends every session of this user on every device. */
  revokeAll(): Observable<void> {
    return this.http.post<void>(`${API}/revoke-all`, {}).pipe(tap({ finalize: () => this.clear() }));
  }

  changePassword(currentPassword: string, newPassword: string): Observable<void> {
    return this.http.post<void>(`${API}/password`, { currentPassword, newPassword });
  }

  clear(): void {
    this.current.set(null);
  }
}
