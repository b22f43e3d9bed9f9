import { canGuard, type ConsoleContext } from '@linggong/console-core';

/** What the console wires for the reports context (issue 14): the monthly reports and board, and the public release. */
export const REPORTS_CONSOLE: ConsoleContext = {
  name: 'reports',
  routes: [
    { path: 'reports', canMatch: [canGuard('read', 'SupplyDemandReport')], loadChildren: () => import('./reports.routes').then((m) => m.REPORT_ROUTES) },
  ],
  publicRoutes: [
    // The public monthly release (R-E4): no sign-in, outside the shell.
    { path: 'releases', loadChildren: () => import('./release.routes').then((m) => m.RELEASE_ROUTES) },
  ],
  menu: [
    { key: 'menu.reports', icon: 'file-text', link: '/reports', testId: 'menu-reports', order: 35, visible: (a) => a.can('read', 'SupplyDemandReport') },
  ],
  icons: () => import('./menu-icons').then((m) => m.MENU_ICONS),
};
