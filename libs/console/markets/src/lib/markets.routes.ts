import type { Route } from '@angular/router';
import { canGuard } from '@linggong/console-core';

export const MARKET_ROUTES: Route[] = [
  { path: '', loadComponent: () => import('./market-list.page').then((m) => m.MarketListPage) },
  {
    path: 'new',
    canMatch: [canGuard('create', 'Market')],
    loadComponent: () => import('./market-registration.page').then((m) => m.MarketRegistrationPage),
  },
  { path: ':id', loadComponent: () => import('./market-detail.page').then((m) => m.MarketDetailPage) },
  {
    path: ':id/registration',
    canMatch: [canGuard('register', 'Market')],
    loadComponent: () => import('./market-registration.page').then((m) => m.MarketRegistrationPage),
  },
  {
    path: ':id/operations',
    canMatch: [canGuard('operate', 'Market')],
    loadComponent: () => import('./market-operations.page').then((m) => m.MarketOperationsPage),
  },
];
