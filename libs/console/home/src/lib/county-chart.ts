import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { NgxEchartsDirective } from 'ngx-echarts';
import type { Overview } from '@linggong/domain';

/** Markets per county as a bar chart. */
@Component({
  selector: 'lg-county-chart',
  imports: [NgxEchartsDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div echarts class="chart" [options]="options()" data-testid="chart-markets-by-county"></div>`,
  styles: ['.chart { height: 320px; width: 100%; }'],
})
export class CountyChart {
  readonly data = input.required<Overview['marketsByCounty']>();
  readonly seriesName = input('');
  protected readonly options = computed(() => {
    const rows = this.data();
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 16, top: 24, bottom: 56 },
      xAxis: {
        type: 'category',
        data: rows.map((r) => r.regionName ?? r.regionCode),
        axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: this.seriesName(), data: rows.map((r) => r.count), barMaxWidth: 36, itemStyle: { color: '#1677ff' } }],
    };
  });
}
