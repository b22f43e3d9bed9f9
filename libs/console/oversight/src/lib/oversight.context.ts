import { canGuard, type ConsoleContext } from '@linggong/console-core';

/** What the console wires for the oversight context (issue 16): routes, menu entries, menu icons. */
export const OVERSIGHT_CONSOLE: ConsoleContext = {
  name: 'oversight',
  routes: [
    { path: 'callbacks', canMatch: [canGuard('read', 'CallbackSample')], loadChildren: () => import('./oversight.routes').then((m) => m.CALLBACK_ROUTES) },
    { path: 'rectifications', canMatch: [canGuard('read', 'Rectification')], loadChildren: () => import('./oversight.routes').then((m) => m.RECTIFICATION_ROUTES) },
    { path: 'inspections', canMatch: [canGuard('read', 'Inspection')], loadChildren: () => import('./oversight.routes').then((m) => m.INSPECTION_ROUTES) },
    { path: 'exits', canMatch: [canGuard('read', 'ExitCase')], loadChildren: () => import('./oversight.routes').then((m) => m.EXIT_ROUTES) },
  ],
  menu: [
    { key: 'menu.inspections', icon: 'safety-certificate', link: '/inspections', testId: 'menu-inspections', order: 200, visible: (a) => a.can('read', 'Inspection') },
    { key: 'menu.callbacks', icon: 'phone', link: '/callbacks', testId: 'menu-callbacks', order: 201, visible: (a) => a.can('read', 'CallbackSample') },
    { key: 'menu.rectifications', icon: 'issues-close', link: '/rectifications', testId: 'menu-rectifications', order: 202, visible: (a) => a.can('read', 'Rectification') },
    { key: 'menu.exits', icon: 'logout', link: '/exits', testId: 'menu-exits', order: 203, visible: (a) => a.can('read', 'ExitCase') },
  ],
  icons: () => import('./menu-icons').then((m) => m.MENU_ICONS),
};
