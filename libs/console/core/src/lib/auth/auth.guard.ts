import { inject } from '@angular/core';
import { Router, type CanActivateFn, type CanMatchFn } from '@angular/router';
import type { Action, SubjectName } from '@linggong/domain';
import { AuthService } from './auth.service';

/** Signed-in users only; the startup initializer has already tried /auth/me. */
export const authGuard: CanActivateFn = (_route, state) => {
  const auth = inject(AuthService);
  if (auth.signedIn()) return true;
  return inject(Router).createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};

/** Only users who may `action` the `subject`; others go home. The API enforces the same rules. */
export function canGuard(action: Action, subject: SubjectName, opts: { beyondOwn?: boolean } = {}): CanMatchFn {
  return () => {
    const auth = inject(AuthService);
    const allowed = opts.beyondOwn ? auth.canBeyondOwn(action, subject) : auth.can(action, subject);
    if (auth.signedIn() && allowed) return true;
    return inject(Router).createUrlTree([auth.signedIn() ? '/' : '/login']);
  };
}
