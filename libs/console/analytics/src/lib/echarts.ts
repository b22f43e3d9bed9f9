// Only the parts the analytics page draws: ECharts core, line and funnel series, grid/tooltip/legend, canvas renderer.
import * as echarts from 'echarts/core';
import { FunnelChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, FunnelChart, GridComponent, TooltipComponent, CanvasRenderer]);
export { echarts };
