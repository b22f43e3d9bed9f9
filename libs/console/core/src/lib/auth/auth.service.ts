import { Injectable, computed, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import { createMongoAbility } from '@casl/ability';
import { firstValueFrom, tap, type Observable } from 'rxjs';
import {
  isChallenge,
  type Action, type AppAbility, type LoginInput, type LoginResponse, type LoginResult, type Me, type RecoveryCodes,
  type SecondFactorStatus, type SubjectName, type TaggedSubject, type TotpEnrolment,
} from '@linggong/domain/light';

import { SessionStore } from './session.store';

const API = '/api/v1/auth';

/**
 * The signed-in user and what they may do. The session itself is the httpOnly cookie; the CSRF
 * token is kept in memory only and reloaded from /auth/me after a page reload.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly current = inject(SessionStore).me;
  /** The one /auth/me call of this page load (made by the first guard that needs it, never by a public page). */
  private loading: Promise<Me | null> | null = null;
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

  /**
   * Whether someone is signed in on this browser, asked once: the guards of the signed-in pages call it,
   * so the sign-in-free pages never call /auth/me (and never log its 401).
   */
  ensureLoaded(): Promise<Me | null> {
    this.loading ??= this.loadMe();
    return this.loading;
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

  /** The password step: a session, or a second-factor challenge (no session yet). */
  login(input: LoginInput): Observable<LoginResponse> {
    return this.http.post<LoginResponse>(`${API}/login`, input).pipe(tap((r) => this.signedInWith(r)));
  }

  /** The second step: a code from the authenticator app, or a recovery code. */
  secondFactor(challenge: string, answer: { code: string } | { recoveryCode: string }): Observable<LoginResult> {
    return this.http.post<LoginResult>(`${API}/login/second-factor`, { challenge, ...answer }).pipe(tap((r) => this.signedInWith(r)));
  }

  /** The second step of a user who must enrol: the first code from the new secret; returns the recovery codes. */
  enrol(challenge: string, code: string): Observable<LoginResult & RecoveryCodes> {
    return this.http.post<LoginResult & RecoveryCodes>(`${API}/login/enrol`, { challenge, code }).pipe(tap((r) => this.signedInWith(r)));
  }

  secondFactorStatus(): Observable<SecondFactorStatus> {
    return this.http.get<SecondFactorStatus>(`${API}/second-factor`);
  }
  startEnrolment(): Observable<TotpEnrolment> {
    return this.http.post<TotpEnrolment>(`${API}/second-factor/enrolment`, {});
  }
  confirmEnrolment(code: string): Observable<RecoveryCodes> {
    return this.http.post<RecoveryCodes>(`${API}/second-factor/enrolment/confirm`, { code });
  }
  regenerateRecoveryCodes(code: string): Observable<RecoveryCodes> {
    return this.http.post<RecoveryCodes>(`${API}/second-factor/recovery-codes`, { code });
  }

  private signedInWith(r: LoginResponse): void {
    if (!isChallenge(r)) {
      this.current.set({ ...r.user, csrfToken: r.csrfToken });
      this.loading = Promise.resolve(this.current());
    }
  }

  /** A 401 just means nobody is signed in on this browser. */
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
