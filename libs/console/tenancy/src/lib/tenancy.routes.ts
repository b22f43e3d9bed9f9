import type { Route } from '@angular/router';
export const ORGANISATION_ROUTES: Route[] = [];
export const USER_ROUTES: Route[] = [];
