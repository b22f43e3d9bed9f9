import { Route } from '@angular/router';
import { authGuard } from '@linggong/console-core';
import { CONSOLE_CONTEXT_LIST } from './contexts';

/**
 * Every feature is a lazy route in its own library (libs/console/<context>), declared by its context.
 * The shell (menu, header, ng-zorro layout, the console's icons and menus) is lazy too, behind the auth
 * guard: a public page loads none of it, nor CASL (the guards load it), nor the full zod (issue 17 §10).
 */
export const appRoutes: Route[] = [
  // Its icons are patched in by its own (lazy) route file: the entry imports nothing of ng-zorro's icons.
  { path: 'login', loadChildren: () => import('./layout/passport/login.routes').then((m) => m.LOGIN_ROUTES) },
  // Pages with no sign-in, outside the shell: the market's public pages, the training QR sign-in.
  ...CONSOLE_CONTEXT_LIST.flatMap((c) => c.publicRoutes ?? []),
  { path: '', canActivate: [authGuard], loadChildren: () => import('./layout/shell.routes').then((m) => m.loadShellRoutes()) },
  { path: '**', redirectTo: '' },
];
