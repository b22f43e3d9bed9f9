import type { Route } from '@angular/router';

/** Mounted at `assistance` (困难零工帮扶台账, R-B9). */
export const ASSISTANCE_ROUTES: Route[] = [{ path: '', loadComponent: () => import('./roster.page').then((m) => m.AssistanceRosterPage) }];

/** Mounted at `services` (职业指导、政策咨询等服务记录, R-B12, R-B14). */
export const SERVICE_RECORD_ROUTES: Route[] = [{ path: '', loadComponent: () => import('./services.page').then((m) => m.ServiceRecordsPage) }];
