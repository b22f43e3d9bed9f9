import type { Route } from '@angular/router';

/** Mounted at `board` outside the shell, no sign-in: the province-wide job board and one post with its application (issue 18 §1). */
export const BOARD_ROUTES: Route[] = [
  {
    path: '', loadComponent: () => import('./board.layout').then((m) => m.BoardLayout),
    children: [
      { path: '', loadComponent: () => import('./board.page').then((m) => m.BoardPage) },
      { path: 'p/:id', loadComponent: () => import('./board-post.page').then((m) => m.BoardPostPage) },
    ],
  },
];

/** Mounted at `w/:token`: a worker's own job-push page (issue 18 §2). */
export const PUSH_ROUTES: Route[] = [
  {
    path: '', loadComponent: () => import('./board.layout').then((m) => m.BoardLayout),
    children: [{ path: '', loadComponent: () => import('./push.page').then((m) => m.PushPage) }],
  },
];
