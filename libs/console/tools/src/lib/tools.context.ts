import { canGuard, type ConsoleContext } from '@linggong/console-core';

/** What the console wires for the tools context: routes, menu entries, menu icons (issue 11 §4). */
export const TOOLS_CONSOLE: ConsoleContext = {
  name: 'tools',
  routes: [
    { path: 'tools', canMatch: [canGuard('read', 'Tool')], loadChildren: () => import('./tools.routes').then((m) => m.TOOL_ROUTES) },
  ],
  menu: [
    { key: 'menu.tools', icon: 'tool', link: '/tools', testId: 'menu-tools', order: 100, visible: (a) => a.can('read', 'Tool') },
  ],
  icons: () => import('./menu-icons').then((m) => m.MENU_ICONS),
};
