import type { Route } from '@angular/router';

export const AUDIT_ROUTES: Route[] = [{ path: '', loadComponent: () => import('./audit-log.page').then((m) => m.AuditLogPage) }];
