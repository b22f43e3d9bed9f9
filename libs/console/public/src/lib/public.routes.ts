import type { Route } from '@angular/router';
import { PublicMarketStore } from './public-market.store';

/**
 * Mounted at `m/:marketId`, outside the signed-in shell and with no guard: the market's public
 * pages (issue 4 §7). Nothing here needs a session; an unknown market shows a friendly page.
 */
export const PUBLIC_ROUTES: Route[] = [
  {
    path: '',
    loadComponent: () => import('./public.layout').then((m) => m.PublicLayout),
    providers: [PublicMarketStore],
    children: [
      { path: '', loadComponent: () => import('./market.page').then((m) => m.PublicMarketPage) },
      { path: 'jobs', loadComponent: () => import('./jobs.page').then((m) => m.PublicJobsPage) },
      { path: 'checkin', loadComponent: () => import('./checkin.page').then((m) => m.PublicCheckinPage) },
      { path: 'complaint', loadComponent: () => import('./complaint.page').then((m) => m.PublicComplaintPage) },
      { path: 'c/:token', loadComponent: () => import('./confirmation.page').then((m) => m.PublicConfirmationPage) },
      { path: '**', redirectTo: '' },
    ],
  },
];

/**
 * `/checkin`, `/jobs`, `/complaint` without a market (issue 17 §9): back to the market this phone last
 * opened, or a page telling a worker to scan the gate QR, with the complaint hotline; never the staff login.
 */
export const noMarketRoutes = (page: string): Route[] => [{
  path: '',
  loadComponent: () => import('./no-market.page').then((m) => m.PublicNoMarketPage),
  data: { page },
}];

/** Mounted at `markets/:id/qr` inside the shell: the printable check-in QR for a market's gate. */
export const MARKET_QR_ROUTES: Route[] = [
  {
    path: '',
    loadComponent: () => import('./market-qr.page').then((m) => m.MarketQrPage),
  },
];

/** Mounted at `markets/:id/gate` inside the shell: the gate screen with the rotating gate code (issue 12 §4). */
export const GATE_SCREEN_ROUTES: Route[] = [
  {
    path: '',
    loadComponent: () => import('./gate-screen.page').then((m) => m.GateScreenPage),
  },
];
