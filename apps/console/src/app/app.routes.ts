import { Route } from '@angular/router';
import { authGuard, shellRoutesOf } from '@linggong/console-core';
import { Shell } from './layout/shell';
import { CONSOLE_CONTEXT_LIST } from './contexts';

/** Every feature is a lazy route in its own library (libs/console/<context>), declared by its context. */
export const appRoutes: Route[] = [
  { path: 'login', loadComponent: () => import('./layout/passport/login.page').then((m) => m.LoginPage) },
  // Pages with no sign-in, outside the shell: the market's public pages, the training QR sign-in.
  ...CONSOLE_CONTEXT_LIST.flatMap((c) => c.publicRoutes ?? []),
  { path: '', component: Shell, canActivate: [authGuard], children: shellRoutesOf(CONSOLE_CONTEXT_LIST) },
  { path: '**', redirectTo: '' },
];
