import type { Route } from '@angular/router';
import { loadContextIcons, provideConsoleContexts, provideNzLocale, shellRoutesOf } from '@linggong/console-core';
import { CONSOLE_CONTEXT_LIST } from '../contexts';
import { CONSOLE_ICONS } from '../core/icons';
import { Shell } from './shell';

/**
 * The signed-in console: the shell (menu, header, ng-zorro layout), the console's icons and the
 * contexts' menus (their icons loaded first), lazily behind the auth guard so the public pages load none of it (issue 17 §10).
 */
export async function loadShellRoutes(): Promise<Route[]> {
  const icons = [...CONSOLE_ICONS, ...(await loadContextIcons(CONSOLE_CONTEXT_LIST))];
  return [
    {
      path: '', component: Shell,
      providers: [...provideConsoleContexts(CONSOLE_CONTEXT_LIST, icons), provideNzLocale()],
      children: shellRoutesOf(CONSOLE_CONTEXT_LIST),
    },
  ];
}
