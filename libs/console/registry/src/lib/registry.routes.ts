import type { Route } from '@angular/router';

/** Mounted at `workers` (the roster of registered workers, 零工登记). */
export const WORKER_ROUTES: Route[] = [
  { path: '', loadComponent: () => import('./workers.page').then((m) => m.WorkersPage) },
  { path: ':id', loadComponent: () => import('./worker-detail.page').then((m) => m.WorkerDetailPage) },
];

/** Mounted at `employers` (用工主体: registration, verification, wage-arrears flags). */
export const EMPLOYER_ROUTES: Route[] = [{ path: '', loadComponent: () => import('./employers.page').then((m) => m.EmployersPage) }];
