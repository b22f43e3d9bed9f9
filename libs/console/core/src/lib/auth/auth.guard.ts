import { Injector, inject } from '@angular/core';
import { Router, type CanActivateFn, type CanMatchFn } from '@angular/router';
import type { Action, SubjectName } from '@linggong/domain/light';

/**
 * The guards load AuthService (and CASL with it) on first use, and ask /auth/me once then: the routes
 * that name them are declared at startup, and the public pages, which never pass a guard, load neither
 * (issue 17 §10).
 */
async function authService(injector: Injector) {
  const { AuthService } = await import('./auth.service');
  const auth = injector.get(AuthService);
  await auth.ensureLoaded();
  return auth;
}

/** Signed-in users only. */
export const authGuard: CanActivateFn = async (_route, state) => {
  const injector = inject(Injector);
  const router = inject(Router);
  const auth = await authService(injector);
  if (auth.signedIn()) return true;
  return router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};

/** Only users who may `action` the `subject`; others go home. The API enforces the same rules. */
export function canGuard(action: Action, subject: SubjectName, opts: { beyondOwn?: boolean } = {}): CanMatchFn {
  return async () => {
    const injector = inject(Injector);
    const router = inject(Router);
    const auth = await authService(injector);
    const allowed = opts.beyondOwn ? auth.canBeyondOwn(action, subject) : auth.can(action, subject);
    if (auth.signedIn() && allowed) return true;
    return router.createUrlTree([auth.signedIn() ? '/' : '/login']);
  };
}
