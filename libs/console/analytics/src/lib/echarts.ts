// Only the parts the analytics page draws: ECharts core, line, funnel and bar series, grid/tooltip/legend, canvas renderer.
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, FunnelChart, BarChart, GridComponent, TooltipComponent, CanvasRenderer]);
export { echarts };
