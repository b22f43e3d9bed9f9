import { canGuard, type ConsoleContext } from '@linggong/console-core';

/** What the console wires for the complaints context: routes, menu entries, menu icons (issue 11 §4). */
export const COMPLAINTS_CONSOLE: ConsoleContext = {
  name: 'complaints',
  routes: [
    { path: 'complaints', canMatch: [canGuard('read', 'Complaint')], loadChildren: () => import('./complaints.routes').then((m) => m.COMPLAINT_ROUTES) },
  ],
  menu: [
    { key: 'menu.complaints', icon: 'customer-service', link: '/complaints', testId: 'menu-complaints', order: 90, visible: (a) => a.can('read', 'Complaint') },
  ],
  icons: () => import('./menu-icons').then((m) => m.MENU_ICONS),
};
