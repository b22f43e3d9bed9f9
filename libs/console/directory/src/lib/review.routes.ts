import type { Route } from '@angular/router';
import { provideNzIconsPatch } from 'ng-zorro-antd/icon';
import { AuditOutline, DiffOutline, DownloadOutline, EnvironmentOutline, SendOutline } from '@ant-design/icons-angular/icons';

/**
 * Mounted at `directory-review` inside the shell: the directory's versions and the county → city →
 * province chain. Apart from the public routes (directory.routes.ts), which must not import the icon
 * package (issue 17 §10).
 */
export const REVIEW_ROUTES: Route[] = [
  {
    path: '',
    loadComponent: () => import('./review.page').then((m) => m.DirectoryReviewPage),
    providers: [provideNzIconsPatch([AuditOutline, DiffOutline, DownloadOutline, EnvironmentOutline, SendOutline])],
  },
];
