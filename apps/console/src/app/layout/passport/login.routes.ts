import type { Route } from '@angular/router';
import { provideNzIconsPatch } from 'ng-zorro-antd/icon';
import { GlobalOutline, KeyOutline, LockOutline, SafetyOutline, UserOutline } from '@linggong/console-ui/light';

/** The sign-in page with the few icons it shows (from the light set: see tools/icons/light-icons.mjs). */
export const LOGIN_ROUTES: Route[] = [
  {
    path: '', loadComponent: () => import('./login.page').then((m) => m.LoginPage),
    providers: [provideNzIconsPatch([GlobalOutline, KeyOutline, LockOutline, SafetyOutline, UserOutline])],
  },
];
