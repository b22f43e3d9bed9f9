import { canGuard, type ConsoleContext } from '@linggong/console-core';

/** What the console wires for the directory context (issue 14 §1–2): the chain inside the shell, the public directory outside it. */
export const DIRECTORY_CONSOLE: ConsoleContext = {
  name: 'directory',
  routes: [
    { path: 'directory-review', canMatch: [canGuard('read', 'Directory')], loadChildren: () => import('./review.routes').then((m) => m.REVIEW_ROUTES) },
  ],
  publicRoutes: [
    { path: 'directory', loadChildren: () => import('./directory.routes').then((m) => m.PUBLIC_DIRECTORY_ROUTES) },
  ],
  menu: [
    { key: 'menu.directory', icon: 'profile', link: '/directory-review', testId: 'menu-directory', order: 145, visible: (a) => a.can('read', 'Directory') },
  ],
  icons: () => import('./menu-icons').then((m) => m.MENU_ICONS),
};
