import { canGuard, type ConsoleContext } from '@linggong/console-core';

/** What the console wires for the jobs context: routes, menu entries, menu icons (issue 11 §4). */
export const JOBS_CONSOLE: ConsoleContext = {
  name: 'jobs',
  routes: [
    { path: 'desk', canMatch: [canGuard('create', 'Placement')], loadChildren: () => import('./jobs.routes').then((m) => m.DESK_ROUTES) },
    { path: 'posts', canMatch: [canGuard('read', 'Post')], loadChildren: () => import('./jobs.routes').then((m) => m.POST_ROUTES) },
  ],
  menu: [
    { key: 'menu.desk', icon: 'thunderbolt', link: '/desk', testId: 'menu-desk', order: 50, visible: (a) => a.can('create', 'Placement') },
    { key: 'menu.posts', icon: 'solution', link: '/posts', testId: 'menu-posts', order: 60, visible: (a) => a.can('read', 'Post') },
  ],
  icons: () => import('./menu-icons').then((m) => m.MENU_ICONS),
};
