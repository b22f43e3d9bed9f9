import type { Route } from '@angular/router';
import { provideEchartsCore } from 'ngx-echarts';

/** Mounted at `reports` (issue 14): monthly supply–demand reports, the chain and the province's board; ECharts loads with it only. */
export const REPORT_ROUTES: Route[] = [
  {
    path: '',
    loadComponent: () => import('./reports.page').then((m) => m.ReportsPage),
    providers: [provideEchartsCore({ echarts: () => import('./echarts').then((m) => m.echarts) })],
  },
];
