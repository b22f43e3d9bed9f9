import type { Route } from '@angular/router';

/** Mounted at `complaints` (投诉举报: the handler's list, one complaint, the oversight board). */
export const COMPLAINT_ROUTES: Route[] = [
  { path: '', loadComponent: () => import('./complaints.page').then((m) => m.ComplaintsPage) },
  { path: 'board', loadComponent: () => import('./complaint-board.page').then((m) => m.ComplaintBoardPage) },
  { path: ':id', loadComponent: () => import('./complaint-detail.page').then((m) => m.ComplaintDetailPage) },
];
