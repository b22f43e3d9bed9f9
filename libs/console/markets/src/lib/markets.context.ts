import { canGuard, type ConsoleContext } from '@linggong/console-core';

/** What the console wires for the markets context: routes, menu entries, menu icons (issue 11 §4). */
export const MARKETS_CONSOLE: ConsoleContext = {
  name: 'markets',
  routes: [
    { path: 'markets', canMatch: [canGuard('read', 'Market')], loadChildren: () => import('./markets.routes').then((m) => m.MARKET_ROUTES) },
  ],
  menu: [
    { key: 'menu.markets', icon: 'shop', link: '/markets', testId: 'menu-markets', order: 40, visible: (a) => a.can('read', 'Market') },
  ],
  icons: () => import('./menu-icons').then((m) => m.MENU_ICONS),
};
