import type { Route } from '@angular/router';
import { provideEchartsCore } from 'ngx-echarts';

/** Mounted at `analytics` (issue 13): the KPI dashboard of every level; ECharts (line, funnel) loads with it only. */
export const ANALYTICS_ROUTES: Route[] = [
  {
    path: '',
    loadComponent: () => import('./analytics.page').then((m) => m.AnalyticsPage),
    providers: [provideEchartsCore({ echarts: () => import('./echarts').then((m) => m.echarts) })],
  },
];
