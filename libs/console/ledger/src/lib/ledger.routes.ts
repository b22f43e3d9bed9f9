import type { Route } from '@angular/router';

/** Mounted at `markets/:id/ledger` (the market's daily log). */
export const LEDGER_ROUTES: Route[] = [{ path: '', loadComponent: () => import('./market-ledger.page').then((m) => m.MarketLedgerPage) }];

/** Mounted at `ledger/seals` (the authority's review of daily seals across its region). */
export const SEALS_ROUTES: Route[] = [{ path: '', loadComponent: () => import('./seals.page').then((m) => m.SealsPage) }];
