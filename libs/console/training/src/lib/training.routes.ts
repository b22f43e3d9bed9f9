import type { Route } from '@angular/router';

/** Mounted at `training` (技能培训, R-B10): the catalogue with the demand summary, and one course. */
export const TRAINING_ROUTES: Route[] = [
  { path: '', loadComponent: () => import('./courses.page').then((m) => m.CoursesPage) },
  { path: ':id', loadComponent: () => import('./course-detail.page').then((m) => m.CourseDetailPage) },
];

/** Mounted at `t/:token`, outside the shell and with no guard: the QR sign-in page a trainee's phone opens. */
export const TRAINING_SIGN_IN_ROUTES: Route[] = [{ path: '', loadComponent: () => import('./sign-in.page').then((m) => m.TrainingSignInPage) }];
