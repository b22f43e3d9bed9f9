import type { Route } from '@angular/router';
import { provideNzIconsPatch } from 'ng-zorro-antd/icon';
import {
  AlertOutline, ArrowLeftOutline, CheckCircleFill, CheckCircleOutline, CheckOutline, ClockCircleOutline, CustomerServiceOutline, DisconnectOutline,
  EnvironmentOutline, ExclamationCircleOutline, EyeOutline, FileTextOutline, FullscreenOutline, GlobalOutline, HomeOutline, IdcardOutline, InboxOutline,
  InfoCircleOutline, LoadingOutline, MobileOutline, PhoneOutline, PrinterOutline, QrcodeOutline, ReloadOutline, SafetyCertificateOutline, SearchOutline,
  ShopOutline, StopOutline, TeamOutline, ToolOutline, UserOutline,
} from '@ant-design/icons-angular/icons';
import { PublicMarketStore } from './public-market.store';

/**
 * Every icon the public pages show: the console's static set and menus are provided on the signed-in
 * shell's route only, so a public page loads none of them (issue 17 §10).
 */
const PUBLIC_ICONS = [
  AlertOutline, ArrowLeftOutline, CheckCircleFill, CheckCircleOutline, CheckOutline, ClockCircleOutline, CustomerServiceOutline, DisconnectOutline,
  EnvironmentOutline, ExclamationCircleOutline, EyeOutline, FileTextOutline, GlobalOutline, HomeOutline, IdcardOutline, InboxOutline,
  InfoCircleOutline, LoadingOutline, MobileOutline, PhoneOutline, QrcodeOutline, ReloadOutline, SafetyCertificateOutline, SearchOutline,
  ShopOutline, StopOutline, TeamOutline, ToolOutline, UserOutline,
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

/**
 * `/checkin`, `/jobs`, `/complaint` without a market (issue 17 §9): back to the market this phone last
 * opened, or a page telling a worker to scan the gate QR, with the complaint hotline; never the staff login.
 */
export const noMarketRoutes = (page: string): Route[] => [{
  path: '',
  loadComponent: () => import('./no-market.page').then((m) => m.PublicNoMarketPage),
  data: { page },
  providers: [provideNzIconsPatch(PUBLIC_ICONS)],
}];

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
