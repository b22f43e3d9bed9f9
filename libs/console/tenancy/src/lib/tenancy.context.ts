import { canGuard, type ConsoleContext } from '@linggong/console-core';

/** What the console wires for the tenancy context: routes, menu entries, menu icons (issue 11 §4). */
export const TENANCY_CONSOLE: ConsoleContext = {
  name: 'tenancy',
  routes: [
    { path: 'organisations', canMatch: [canGuard('read', 'Organisation', { beyondOwn: true })], loadChildren: () => import('./tenancy.routes').then((m) => m.ORGANISATION_ROUTES) },
    { path: 'users', canMatch: [canGuard('read', 'User', { beyondOwn: true })], loadChildren: () => import('./tenancy.routes').then((m) => m.USER_ROUTES) },
  ],
  menu: [
    { key: 'menu.organisations', icon: 'apartment', link: '/organisations', testId: 'menu-organisations', order: 10, visible: (a) => a.canBeyondOwn('read', 'Organisation') },
    { key: 'menu.users', icon: 'team', link: '/users', testId: 'menu-users', order: 20, visible: (a) => a.canBeyondOwn('read', 'User') || a.can('create', 'User') },
  ],
  icons: () => import('./menu-icons').then((m) => m.MENU_ICONS),
};
