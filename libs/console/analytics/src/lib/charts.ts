import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { NgxEchartsDirective } from 'ngx-echarts';

/** One KPI over the period's buckets (days, weeks or months). */
@Component({
  selector: 'lg-trend-chart',
  imports: [NgxEchartsDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div echarts class="chart" [options]="options()" (chartClick)="pick.emit($event.dataIndex)" data-testid="chart-trend"></div>`,
  styles: ['.chart { height: 300px; width: 100%; }'],
})
export class TrendChart {
  readonly points = input.required<{ label: string; value: number | null }[]>();
  readonly seriesName = input('');
  /** A point clicked: its index (the page opens that bucket's entries). */
  readonly pick = output<number>();
  protected readonly options = computed(() => ({
    animation: false,
    tooltip: { trigger: 'axis' },
    grid: { left: 56, right: 16, top: 24, bottom: 40 },
    xAxis: { type: 'category', data: this.points().map((p) => p.label) },
    yAxis: { type: 'value' },
    series: [{ type: 'line', name: this.seriesName(), data: this.points().map((p) => p.value), connectNulls: false, smooth: false, itemStyle: { color: '#1677ff' } }],
  }));
}

/** The service funnel: check-ins → recommended → confirmed → started → settled. */
@Component({
  selector: 'lg-funnel-chart',
  imports: [NgxEchartsDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div echarts class="chart" [options]="options()" (chartClick)="pick.emit($event.dataIndex)" data-testid="chart-funnel"></div>`,
  styles: ['.chart { height: 300px; width: 100%; }'],
})
export class FunnelChart {
  readonly stages = input.required<{ name: string; value: number }[]>();
  /** A stage clicked: its index. */
  readonly pick = output<number>();
  protected readonly options = computed(() => {
    const max = Math.max(1, ...this.stages().map((s) => s.value));
    return {
      animation: false,
      tooltip: { trigger: 'item', formatter: '{b}: {c}' },
      series: [{
        type: 'funnel', sort: 'none', left: '10%', width: '80%', top: 8, bottom: 8, min: 0, max, gap: 2,
        label: { show: true, position: 'inside', formatter: '{b}  {c}' },
        data: this.stages(),
      }],
    };
  });
}
