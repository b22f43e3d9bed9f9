import type { Route } from '@angular/router';
import { provideEchartsCore } from 'ngx-echarts';
import { HomePage } from './home.page';

export const HOME_ROUTES: Route[] = [
  {
    path: '',
    component: HomePage,
    // A second dynamic import: ECharts arrives only when a chart is drawn.
    providers: [provideEchartsCore({ echarts: () => import('./echarts').then((m) => m.echarts) })],
  },
];
