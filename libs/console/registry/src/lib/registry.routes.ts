import type { Route } from '@angular/router';

/** Mounted at `workers` (the roster of registered workers, 零工登记). */
export const WORKER_ROUTES: Route[] = [{ path: '', loadComponent: () => import('./workers.page').then((m) => m.WorkersPage) }];
