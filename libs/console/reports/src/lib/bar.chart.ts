import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { NgxEchartsDirective } from 'ngx-echarts';

/** A bar chart of one or more series over categories (the report's charts). */
@Component({
  selector: 'lg-report-bar',
  imports: [NgxEchartsDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div echarts class="chart" [options]="options()" [attr.data-testid]="testId()"></div>`,
  styles: ['.chart { height: 280px; width: 100%; }'],
})
export class ReportBarChart {
  readonly categories = input.required<string[]>();
  readonly series = input.required<{ name: string; data: (number | null)[] }[]>();
  readonly testId = input('report-chart');
  protected readonly options = computed(() => ({
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 72 },
    xAxis: { type: 'category', data: this.categories(), axisLabel: { interval: 0, rotate: this.categories().length > 4 ? 30 : 0 } },
    yAxis: { type: 'value' },
    series: this.series().map((s) => ({ type: 'bar', name: s.name, data: s.data })),
  }));
}
