import type { Route } from '@angular/router';

/** Mounted at `events` (招聘活动, R-B13): fairs, night markets, caravans, live streams. */
export const EVENT_ROUTES: Route[] = [{ path: '', loadComponent: () => import('./events.page').then((m) => m.EventsPage) }];
