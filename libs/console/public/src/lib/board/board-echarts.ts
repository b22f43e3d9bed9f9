// The job board map's ECharts parts only (geo, scatter points, tooltip, canvas): the public directory's set, loaded
// with the map (a deferred block of the board page), never with the list.
import * as echarts from 'echarts/core';
import { ScatterChart } from 'echarts/charts';
import { GeoComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([ScatterChart, GeoComponent, TooltipComponent, CanvasRenderer]);
export { echarts };
