import type { Route } from '@angular/router';
import { provideNzIconsPatch } from 'ng-zorro-antd/icon';
import {
  AlertOutline, CheckCircleFill, CheckCircleOutline, SearchOutline, CheckOutline, CustomerServiceOutline, ExclamationCircleOutline, InboxOutline, InfoCircleOutline,
  FullscreenOutline, LoadingOutline, MobileOutline, PrinterOutline, QrcodeOutline,
} from '@ant-design/icons-angular/icons';
import { PublicMarketStore } from './public-market.store';

/** Icons the public pages add to the console's static set (apps/console core/icons.ts). */
const PUBLIC_ICONS = [
  AlertOutline, CheckCircleFill, CheckCircleOutline, SearchOutline, CheckOutline, CustomerServiceOutline, ExclamationCircleOutline, InboxOutline, InfoCircleOutline,
  LoadingOutline, MobileOutline, QrcodeOutline,
];

/**
 * Mounted at `m/:marketId`, outside the signed-in shell and with no guard: the market's public
 * pages (issue 4 §7). Nothing here needs a session; an unknown market shows a friendly page.
 */
export const PUBLIC_ROUTES: Route[] = [
  {
    path: '',
    loadComponent: () => import('./public.layout').then((m) => m.PublicLayout),
    providers: [PublicMarketStore, provideNzIconsPatch(PUBLIC_ICONS)],
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

/** Mounted at `markets/:id/qr` inside the shell: the printable check-in QR for a market's gate. */
export const MARKET_QR_ROUTES: Route[] = [
  {
    path: '',
    loadComponent: () => import('./market-qr.page').then((m) => m.MarketQrPage),
    providers: [provideNzIconsPatch([PrinterOutline])],
  },
];

/** Mounted at `markets/:id/gate` inside the shell: the gate screen with the rotating gate code (issue 12 §4). */
export const GATE_SCREEN_ROUTES: Route[] = [
  {
    path: '',
    loadComponent: () => import('./gate-screen.page').then((m) => m.GateScreenPage),
    providers: [provideNzIconsPatch([FullscreenOutline])],
  },
];
