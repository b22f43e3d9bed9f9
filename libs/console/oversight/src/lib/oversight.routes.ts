import type { Route } from '@angular/router';

/** Mounted at `callbacks` (抽查回访): samples, the draw, the calls. */
export const CALLBACK_ROUTES: Route[] = [{ path: '', loadComponent: () => import('./callbacks.page').then((m) => m.CallbacksPage) }];
/** Mounted at `rectifications` (整改): the board of orders. */
export const RECTIFICATION_ROUTES: Route[] = [{ path: '', loadComponent: () => import('./rectifications.page').then((m) => m.RectificationsPage) }];
/** Mounted at `inspections` (督导检查): plans, inspections and their reports. */
export const INSPECTION_ROUTES: Route[] = [{ path: '', loadComponent: () => import('./inspections.page').then((m) => m.InspectionsPage) }];

export const EXIT_ROUTES: Route[] = [{ path: '', loadComponent: () => import('./exits.page').then((m) => m.ExitsPage) }];
