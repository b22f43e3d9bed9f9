import { canGuard, type ConsoleContext } from '@linggong/console-core';

/** What the console wires for the ledger context: routes, menu entries, menu icons (issue 11 §4). */
export const LEDGER_CONSOLE: ConsoleContext = {
  name: 'ledger',
  routes: [
    { path: 'markets/:id/ledger', canMatch: [canGuard('read', 'Ledger')], loadChildren: () => import('./ledger.routes').then((m) => m.LEDGER_ROUTES) },
    { path: 'ledger/seals', canMatch: [canGuard('verify', 'Ledger')], loadChildren: () => import('./ledger.routes').then((m) => m.SEALS_ROUTES) },
  ],
  menu: [
    // 日结核验 is for whoever closes days or oversees them (issue 17 §5): the desk writes entries but has no use for it.
    { key: 'menu.ledgerSeals', icon: 'safety-certificate', link: '/ledger/seals', testId: 'menu-ledger', order: 150,
      visible: (a) => a.can('verify', 'Ledger') && (a.can('close', 'Ledger') || !a.can('create', 'Ledger')) },
  ],
  icons: () => import('./menu-icons').then((m) => m.MENU_ICONS),
};
