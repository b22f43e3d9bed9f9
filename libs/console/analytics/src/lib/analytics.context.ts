import { canGuard, type ConsoleContext } from '@linggong/console-core';

/** What the console wires for the analytics context: routes, menu entries, menu icons (issue 11 §4). */
export const ANALYTICS_CONSOLE: ConsoleContext = {
  name: 'analytics',
  routes: [
    // KPI dashboard of every level (issue 13): figures from the sealed work log, each drilling down to its entries.
    { path: 'analytics', canMatch: [canGuard('read', 'Analytics')], loadChildren: () => import('./analytics.routes').then((m) => m.ANALYTICS_ROUTES) },
  ],
  menu: [
    { key: 'menu.analytics', icon: 'bar-chart', link: '/analytics', testId: 'menu-analytics', order: 30, visible: (a) => a.can('read', 'Analytics') },
  ],
  icons: () => import('./menu-icons').then((m) => m.MENU_ICONS),
};
