import type { Route } from '@angular/router';
import { provideEchartsCore } from 'ngx-echarts';

/** Mounted at `directory` outside the shell, no sign-in: the public directory, its map and the job catalogue (issue 14 §2). */
export const PUBLIC_DIRECTORY_ROUTES: Route[] = [
  {
    path: '',
    providers: [provideEchartsCore({ echarts: () => import('./echarts').then((m) => m.echarts) })],
    children: [
      { path: '', loadComponent: () => import('./public-directory.page').then((m) => m.PublicDirectoryPage) },
      { path: 'l/:id', loadComponent: () => import('./public-listing.page').then((m) => m.PublicListingPage) },
    ],
  },
];
