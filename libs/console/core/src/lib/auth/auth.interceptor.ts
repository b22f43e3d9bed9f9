import { inject } from '@angular/core';
import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { SessionStore } from './session.store';
import { LangService } from '../i18n/lang.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** CSRF header on writes, Accept-Language for localised problems, and back to /login on 401. */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const session = inject(SessionStore);
  const lang = inject(LangService);
  const router = inject(Router);
  if (!req.url.startsWith('/api/')) return next(req);

  let headers = req.headers.set('Accept-Language', lang.lang());
  const csrf = session.csrfToken();
  if (csrf && !SAFE_METHODS.has(req.method)) headers = headers.set('X-CSRF-Token', csrf);

  return next(req.clone({ headers })).pipe(
    catchError((err: unknown) => {
      // Login and the startup /me call handle their own 401s.
      const own = req.url.startsWith('/api/v1/auth/login') || req.url.startsWith('/api/v1/auth/me');
      if (err instanceof HttpErrorResponse && err.status === 401 && !own) {
        session.me.set(null);
        const returnUrl = router.url.startsWith('/login') ? undefined : router.url;
        void router.navigate(['/login'], { queryParams: returnUrl ? { returnUrl } : {} });
      }
      return throwError(() => err);
    }),
  );
};
