import type { Route } from '@angular/router';
export const MARKET_ROUTES: Route[] = [];
