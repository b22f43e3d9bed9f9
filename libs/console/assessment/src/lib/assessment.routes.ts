import type { Route } from '@angular/router';
import { provideEchartsCore } from 'ngx-echarts';

/** Mounted at `assessment` (issue 15); ECharts (radar only) loads with the workspace. */
export const ASSESSMENT_ROUTES: Route[] = [
  { path: '', loadComponent: () => import('./cycles.page').then((m) => m.CyclesPage) },
  { path: 'templates', loadComponent: () => import('./templates.page').then((m) => m.TemplatesPage) },
  { path: 'contracts', loadComponent: () => import('./contracts.page').then((m) => m.ContractsPage) },
  { path: 'results', loadComponent: () => import('./results.page').then((m) => m.ResultsPage) },
  { path: 'model-markets', loadComponent: () => import('./model-markets.page').then((m) => m.ModelMarketsPage) },
  { path: 'model-markets/:id', loadComponent: () => import('./model-market-list.page').then((m) => m.ModelMarketListPage) },
  { path: 'cycles/:id', loadComponent: () => import('./cycle.page').then((m) => m.CyclePage) },
  {
    path: ':id', loadComponent: () => import('./workspace.page').then((m) => m.WorkspacePage),
    providers: [provideEchartsCore({ echarts: () => import('./echarts').then((m) => m.echarts) })],
  },
];
