import type { Route } from '@angular/router';

/** Mounted at `platforms` (第三方平台接入, R-E8): registered platforms, and each one's webhook delivery log. */
export const PLATFORM_ROUTES: Route[] = [
  { path: '', loadComponent: () => import('./platforms.page').then((m) => m.PlatformsPage) },
  { path: ':id/deliveries', loadComponent: () => import('./deliveries.page').then((m) => m.DeliveriesPage) },
];
