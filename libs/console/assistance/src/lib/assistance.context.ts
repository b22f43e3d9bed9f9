import { canGuard, type ConsoleContext } from '@linggong/console-core';

/** What the console wires for the assistance context: routes, menu entries, menu icons (issue 11 §4). */
export const ASSISTANCE_CONSOLE: ConsoleContext = {
  name: 'assistance',
  routes: [
    { path: 'assistance', canMatch: [canGuard('read', 'Assistance')], loadChildren: () => import('./assistance.routes').then((m) => m.ASSISTANCE_ROUTES) },
    { path: 'services', canMatch: [canGuard('read', 'ServiceRecord')], loadChildren: () => import('./assistance.routes').then((m) => m.SERVICE_RECORD_ROUTES) },
  ],
  menu: [
    { key: 'menu.assistance', icon: 'heart', link: '/assistance', testId: 'menu-assistance', order: 130, visible: (a) => a.can('read', 'Assistance') },
    { key: 'menu.services', icon: 'customer-service', link: '/services', testId: 'menu-services', order: 140, visible: (a) => a.can('read', 'ServiceRecord') },
  ],
  icons: () => import('./menu-icons').then((m) => m.MENU_ICONS),
};
