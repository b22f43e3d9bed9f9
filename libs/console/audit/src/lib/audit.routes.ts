import type { Route } from '@angular/router';
export const AUDIT_ROUTES: Route[] = [];
