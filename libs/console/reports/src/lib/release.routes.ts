import type { Route } from '@angular/router';

/** Mounted at `releases` (R-E4), outside the shell: the province's accepted months, no sign-in. */
export const RELEASE_ROUTES: Route[] = [{ path: '', loadComponent: () => import('./release.page').then((m) => m.ReleasePage) }];
