import { canGuard, type ConsoleContext } from '@linggong/console-core';

/** What the console wires for the events context: routes, menu entries, menu icons (issue 11 §4). */
export const EVENTS_CONSOLE: ConsoleContext = {
  name: 'events',
  routes: [
    { path: 'events', canMatch: [canGuard('read', 'MarketEvent')], loadChildren: () => import('./events.routes').then((m) => m.EVENT_ROUTES) },
  ],
  menu: [
    { key: 'menu.events', icon: 'flag', link: '/events', testId: 'menu-events', order: 120, visible: (a) => a.can('read', 'MarketEvent') },
  ],
  icons: () => import('./menu-icons').then((m) => m.MENU_ICONS),
};
