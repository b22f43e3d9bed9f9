import { Route } from '@angular/router';
import { authGuard, canGuard } from '@linggong/console-core';
import { Shell } from './layout/shell';

/** Every feature is a lazy route in its own library (libs/console/<context>). */
export const appRoutes: Route[] = [
  { path: 'login', loadComponent: () => import('./layout/passport/login.page').then((m) => m.LoginPage) },
  // Public market pages (QR check-in, jobs, hire confirmation): no sign-in, outside the shell (issue 4 §7).
  { path: 'm/:marketId', loadChildren: () => import('@linggong/console-public').then((m) => m.PUBLIC_ROUTES) },
  // The training QR sign-in page a trainee's phone opens (R-B10): no sign-in, outside the shell.
  { path: 't/:token', loadChildren: () => import('@linggong/console-training').then((m) => m.TRAINING_SIGN_IN_ROUTES) },
  {
    path: '',
    component: Shell,
    canActivate: [authGuard],
    children: [
      { path: '', pathMatch: 'full', loadChildren: () => import('@linggong/console-home').then((m) => m.HOME_ROUTES) },
      {
        path: 'organisations',
        canMatch: [canGuard('read', 'Organisation', { beyondOwn: true })],
        loadChildren: () => import('@linggong/console-tenancy').then((m) => m.ORGANISATION_ROUTES),
      },
      {
        path: 'users',
        canMatch: [canGuard('read', 'User', { beyondOwn: true })],
        loadChildren: () => import('@linggong/console-tenancy').then((m) => m.USER_ROUTES),
      },
      {
        path: 'markets/:id/ledger',
        canMatch: [canGuard('read', 'Ledger')],
        loadChildren: () => import('@linggong/console-ledger').then((m) => m.LEDGER_ROUTES),
      },
      {
        // The gate screen with the rotating gate code: staff who check workers in (issue 12 §4).
        path: 'markets/:id/gate',
        canMatch: [canGuard('create', 'Placement')],
        loadChildren: () => import('@linggong/console-public').then((m) => m.GATE_SCREEN_ROUTES),
      },
      {
        path: 'markets/:id/qr',
        canMatch: [canGuard('read', 'Market')],
        loadChildren: () => import('@linggong/console-public').then((m) => m.MARKET_QR_ROUTES),
      },
      {
        path: 'ledger/seals',
        canMatch: [canGuard('verify', 'Ledger')],
        loadChildren: () => import('@linggong/console-ledger').then((m) => m.SEALS_ROUTES),
      },
      {
        path: 'markets',
        canMatch: [canGuard('read', 'Market')],
        loadChildren: () => import('@linggong/console-markets').then((m) => m.MARKET_ROUTES),
      },
      {
        path: 'desk',
        canMatch: [canGuard('create', 'Placement')],
        loadChildren: () => import('@linggong/console-jobs').then((m) => m.DESK_ROUTES),
      },
      {
        path: 'posts',
        canMatch: [canGuard('read', 'Post')],
        loadChildren: () => import('@linggong/console-jobs').then((m) => m.POST_ROUTES),
      },
      {
        path: 'workers',
        canMatch: [canGuard('read', 'Worker')],
        loadChildren: () => import('@linggong/console-registry').then((m) => m.WORKER_ROUTES),
      },
      {
        path: 'employers',
        canMatch: [canGuard('read', 'Employer')],
        loadChildren: () => import('@linggong/console-registry').then((m) => m.EMPLOYER_ROUTES),
      },
      {
        path: 'complaints',
        canMatch: [canGuard('read', 'Complaint')],
        loadChildren: () => import('@linggong/console-complaints').then((m) => m.COMPLAINT_ROUTES),
      },
      {
        path: 'tools',
        canMatch: [canGuard('read', 'Tool')],
        loadChildren: () => import('@linggong/console-tools').then((m) => m.TOOL_ROUTES),
      },
      {
        path: 'training',
        canMatch: [canGuard('read', 'Training')],
        loadChildren: () => import('@linggong/console-training').then((m) => m.TRAINING_ROUTES),
      },
      {
        path: 'events',
        canMatch: [canGuard('read', 'MarketEvent')],
        loadChildren: () => import('@linggong/console-events').then((m) => m.EVENT_ROUTES),
      },
      {
        // KPI dashboard of every level (issue 13): figures from the sealed work log, each drilling down to its entries.
        path: 'analytics',
        canMatch: [canGuard('read', 'Analytics')],
        loadChildren: () => import('@linggong/console-analytics').then((m) => m.ANALYTICS_ROUTES),
      },
      {
        path: 'assistance',
        canMatch: [canGuard('read', 'Assistance')],
        loadChildren: () => import('@linggong/console-assistance').then((m) => m.ASSISTANCE_ROUTES),
      },
      {
        path: 'services',
        canMatch: [canGuard('read', 'ServiceRecord')],
        loadChildren: () => import('@linggong/console-assistance').then((m) => m.SERVICE_RECORD_ROUTES),
      },
      {
        path: 'audit',
        canMatch: [canGuard('read', 'AuditEvent')],
        loadChildren: () => import('@linggong/console-audit').then((m) => m.AUDIT_ROUTES),
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
