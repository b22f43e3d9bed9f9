import { canGuard, type ConsoleContext } from '@linggong/console-core';

/** What the console wires for the platforms context (issue 18 §3–4): routes, menu entry, menu icon. */
export const PLATFORMS_CONSOLE: ConsoleContext = {
  name: 'platforms',
  routes: [
    { path: 'platforms', canMatch: [canGuard('read', 'Platform')], loadChildren: () => import('./platforms.routes').then((m) => m.PLATFORM_ROUTES) },
  ],
  menu: [
    { key: 'menu.platforms', icon: 'api', link: '/platforms', testId: 'menu-platforms', order: 155, visible: (a) => a.can('read', 'Platform') },
  ],
  icons: () => import('./menu-icons').then((m) => m.MENU_ICONS),
};
