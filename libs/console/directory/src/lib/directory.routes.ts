import type { Route } from '@angular/router';
import { provideEchartsCore } from 'ngx-echarts';
import { provideNzIconsPatch } from 'ng-zorro-antd/icon';
import { AuditOutline, DiffOutline, DownloadOutline, EnvironmentOutline, SendOutline } from '@ant-design/icons-angular/icons';

/** Mounted at `directory-review` inside the shell: the directory's versions and the county → city → province chain. */
export const REVIEW_ROUTES: Route[] = [
  {
    path: '',
    loadComponent: () => import('./review.page').then((m) => m.DirectoryReviewPage),
    providers: [provideNzIconsPatch([AuditOutline, DiffOutline, DownloadOutline, EnvironmentOutline, SendOutline])],
  },
];

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
