import { canGuard, type ConsoleContext } from '@linggong/console-core';

/** What the console wires for the training context: routes, menu entries, menu icons (issue 11 §4). */
export const TRAINING_CONSOLE: ConsoleContext = {
  name: 'training',
  routes: [
    { path: 'training', canMatch: [canGuard('read', 'Training')], loadChildren: () => import('./training.routes').then((m) => m.TRAINING_ROUTES) },
  ],
  publicRoutes: [
    // The training QR sign-in page a trainee's phone opens (R-B10): no sign-in, outside the shell.
    { path: 't/:token', loadChildren: () => import('./training.routes').then((m) => m.TRAINING_SIGN_IN_ROUTES) },
  ],
  menu: [
    { key: 'menu.training', icon: 'read', link: '/training', testId: 'menu-training', order: 110, visible: (a) => a.can('read', 'Training') },
  ],
  icons: () => import('./menu-icons').then((m) => m.MENU_ICONS),
};
