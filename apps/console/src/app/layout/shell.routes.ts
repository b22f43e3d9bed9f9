import type { Route } from '@angular/router';
import { provideConsoleContexts, provideNzLocale, shellRoutesOf } from '@linggong/console-core';
import { CONSOLE_CONTEXT_LIST } from '../contexts';
import { CONSOLE_ICONS } from '../core/icons';
import { Shell } from './shell';

/**
 * The signed-in console: the shell (menu, header, ng-zorro layout), the console's icons and the
 * contexts' menus, loaded lazily behind the auth guard so the public pages load none of it (issue 17 §10).
 */
export const SHELL_ROUTES: Route[] = [
  {
    path: '', component: Shell,
    providers: [...provideConsoleContexts(CONSOLE_CONTEXT_LIST, CONSOLE_ICONS), provideNzLocale()],
    children: shellRoutesOf(CONSOLE_CONTEXT_LIST),
  },
];
