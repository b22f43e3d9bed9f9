import { canGuard, type ConsoleContext } from '@linggong/console-core';

/** What the console wires for the audit context: routes, menu entries, menu icons (issue 11 §4). */
export const AUDIT_CONSOLE: ConsoleContext = {
  name: 'audit',
  routes: [
    { path: 'audit', canMatch: [canGuard('read', 'AuditEvent')], loadChildren: () => import('./audit.routes').then((m) => m.AUDIT_ROUTES) },
  ],
  menu: [
    { key: 'menu.audit', icon: 'audit', link: '/audit', testId: 'menu-audit', order: 160, visible: (a) => a.can('read', 'AuditEvent') },
  ],
  icons: () => import('./menu-icons').then((m) => m.MENU_ICONS),
};
