import type { ConsoleContext } from '@linggong/console-core';

/** What the console wires for the home context: routes, menu entries, menu icons (issue 11 §4). */
export const HOME_CONSOLE: ConsoleContext = {
  name: 'home',
  routes: [
    { path: '', pathMatch: 'full', loadChildren: () => import('./home.routes').then((m) => m.HOME_ROUTES) },
  ],
  menu: [
    { key: 'menu.home', icon: 'home', link: '/', testId: 'menu-home', order: 0, exact: true, visible: () => true },
  ],
  icons: () => import('./menu-icons').then((m) => m.MENU_ICONS),
};
