import { canGuard, type ConsoleContext } from '@linggong/console-core';

/** What the console wires for the registry context: routes, menu entries, menu icons (issue 11 §4). */
export const REGISTRY_CONSOLE: ConsoleContext = {
  name: 'registry',
  routes: [
    { path: 'workers', canMatch: [canGuard('read', 'Worker')], loadChildren: () => import('./registry.routes').then((m) => m.WORKER_ROUTES) },
    { path: 'employers', canMatch: [canGuard('read', 'Employer')], loadChildren: () => import('./registry.routes').then((m) => m.EMPLOYER_ROUTES) },
  ],
  menu: [
    { key: 'menu.workers', icon: 'idcard', link: '/workers', testId: 'menu-workers', order: 70, visible: (a) => a.can('read', 'Worker') },
    { key: 'menu.employers', icon: 'bank', link: '/employers', testId: 'menu-employers', order: 80, visible: (a) => a.can('read', 'Employer') },
  ],
  icons: () => import('./menu-icons').then((m) => m.MENU_ICONS),
};
