import { Injectable, signal } from '@angular/core';
import type { Me } from '@linggong/domain/light';

/**
 * The signed-in user as the HTTP layer needs it (the CSRF token, forgetting the user on a 401), kept
 * apart from AuthService so the root interceptor does not load CASL into every page: the public pages
 * never sign in and load none of it (issue 17 §10).
 */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  readonly me = signal<Me | null>(null);

  csrfToken(): string | null {
    return this.me()?.csrfToken ?? null;
  }
}
