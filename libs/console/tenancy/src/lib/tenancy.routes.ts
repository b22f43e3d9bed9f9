import type { Route } from '@angular/router';

export const ORGANISATION_ROUTES: Route[] = [
  { path: '', loadComponent: () => import('./organisations/organisation-list.page').then((m) => m.OrganisationListPage) },
];

export const USER_ROUTES: Route[] = [
  { path: '', loadComponent: () => import('./users/user-list.page').then((m) => m.UserListPage) },
];
