import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, output, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import type { Subscription } from 'rxjs';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTooltipModule } from 'ng-zorro-antd/tooltip';
import { drillMetricOf, type KpiDef, type KpiFigure, type RankingResult, type RankingRow } from '@linggong/domain';
import { LangService, ProblemService } from '@linggong/console-core';
import { AnalyticsApi, type Scope } from './analytics.api';
import { formatValue, toneOf, type Tone } from './format';
import { downloadXlsx } from './export';

/** What a ranking's rows are: the scope's cities or counties (a region level), operators or markets. */
export type Grouping = 'city' | 'county' | 'operator' | 'market';
/** Shown beside the chosen KPI, each sortable and marked when worse than the scope's median. */
const HEADLINE = ['hires_started', 'settlement_rate', 'match_success_rate', 'non_payment_per_100', 'log_timeliness', 'complaints_on_time'];

interface Cell { code: string; value: number | null; text: string; worse: boolean }
interface Row { key: string; id: string; group: Grouping; name: string; regionName: string; markets: number; provisional: boolean; scope: Scope | null; cells: Cell[]; value: number | null; vsMedian: number | null; vsMedianText: string; tone: Tone }
export interface RankingOpen { kpi: KpiDef; scope: Scope; name: string; figure: KpiFigure | null }

/**
 * The ranking of a scope's rows (issue 13 §4) from one `analytics_ranking` call: the grouping the level
 * allows, the chosen KPI with the scope's median and the difference to it, the headline KPIs beside it;
 * every column sorts, and a value worse than the median (by the KPI's direction) is marked.
 */
@Component({
  selector: 'lg-ranking',
  imports: [FormsModule, TranslocoPipe, NzCardModule, NzSelectModule, NzTableModule, NzTagModule, NzButtonModule, NzIconModule, NzTooltipModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: [`
    .lg-w160 { width: 160px; } .lg-w280 { width: 280px; } .lg-ml8 { margin-left: 8px; } .lg-mt16 { margin-top: 16px; } .lg-mb8 { margin-bottom: 8px; }
    .lg-muted { color: rgba(0, 0, 0, 0.45); font-size: 12px; }
    .lg-worse { color: #cf1322; font-weight: 600; }
    .lg-median td { background: #fafafa; color: rgba(0, 0, 0, 0.55); font-style: italic; }
    .lg-prov { margin-left: 4px; vertical-align: middle; }
    .lg-tone-good { color: #389e0d; } .lg-tone-bad { color: #cf1322; } .lg-tone-neutral { color: rgba(0, 0, 0, 0.45); }
  `],
  template: `
    @if (shown()) {
      <nz-card [nzTitle]="'analytics.rank.title' | transloco" class="lg-mt16" [nzExtra]="rankExtra" data-testid="analytics-ranking">
        <ng-template #rankExtra>
          <nz-select class="lg-w160" [ngModel]="group()" (ngModelChange)="groupChange.emit($event)" data-testid="analytics-group" [nzDisabled]="groupings().length < 2">
            @for (g of groupings(); track g) { <nz-option [nzValue]="g" [nzLabel]="'analytics.rank.' + g | transloco" /> }
          </nz-select>
          <nz-select class="lg-w280 lg-ml8" nzShowSearch [ngModel]="kpiCode()" (ngModelChange)="kpiChange.emit($event)" data-testid="analytics-kpi">
            @for (k of catalogue(); track k.code) { <nz-option [nzValue]="k.code" [nzLabel]="name(k)" /> }
          </nz-select>
          <button nz-button class="lg-ml8" (click)="export()" [disabled]="loading()" data-testid="analytics-export"><nz-icon nzType="download" /> {{ 'analytics.export' | transloco }}</button>
        </ng-template>
        @if (kpi(); as k) { <div class="lg-muted lg-mb8">{{ definition(k) }}</div> }
        <nz-table #rt nzSize="small" [nzData]="rows()" [nzLoading]="loading()" [nzFrontPagination]="false" [nzShowPagination]="false" [nzScroll]="{ x: '1200px' }" data-testid="table-ranking">
          <thead>
            <tr>
              <th>{{ 'analytics.rank.type' | transloco }}</th>
              <th [nzSortFn]="sortName">{{ 'analytics.rank.name' | transloco }}</th>
              <th>{{ 'analytics.rank.region' | transloco }}</th>
              <th [nzSortFn]="sortMarkets">{{ 'analytics.rank.markets' | transloco }}</th>
              @for (c of columns(); track c.code; let i = $index) {
                <th [nzSortFn]="sorts()[i]" [attr.data-testid]="i === 0 ? 'rank-sort-value' : 'rank-sort-' + c.code" [attr.data-kpi]="c.code">{{ name(c) }}</th>
                @if (i === 0) { <th [nzSortFn]="sortMedian">{{ 'analytics.rank.vsMedian' | transloco }}</th> }
              }
            </tr>
          </thead>
          <tbody>
            <tr class="lg-median" data-testid="rank-median">
              <td></td><td>{{ 'analytics.rank.medianRow' | transloco }}</td><td></td><td></td>
              @for (m of medianCells(); track m.code; let i = $index) {
                <td [attr.data-kpi]="m.code">{{ m.text }}</td>
                @if (i === 0) { <td></td> }
              }
            </tr>
            @for (r of rt.data; track r.key) {
              <tr data-testid="rank-row" [attr.data-type]="r.group" [attr.data-key]="r.key">
                <td><nz-tag [nzColor]="r.group === 'market' ? 'default' : 'geekblue'">{{ 'analytics.rank.' + r.group | transloco }}</nz-tag></td>
                <td>{{ r.name }}</td>
                <td class="lg-muted">{{ r.regionName }}</td>
                <td>{{ r.markets }}</td>
                @for (c of r.cells; track c.code; let i = $index) {
                  <td [class.lg-worse]="c.worse" [attr.data-worse]="c.worse" [attr.data-kpi]="c.code" [attr.data-testid]="i === 0 ? 'rank-value' : 'rank-cell'">
                    @if (i === 0 && drillable() && r.scope && c.value !== null) { <a (click)="openRow(r)" (keydown.enter)="openRow(r)" tabindex="0" data-testid="rank-drill">{{ c.text }}</a> }
                    @else { {{ c.text }} }
                    @if (c.worse) { <span nz-tooltip [nzTooltipTitle]="'analytics.rank.worse' | transloco" data-testid="rank-worse"> ▼</span> }
                    @if (i === 0 && r.provisional) { <nz-tag nzColor="orange" class="lg-prov">{{ 'analytics.provisional' | transloco }}</nz-tag> }
                  </td>
                  @if (i === 0) { <td [class]="'lg-tone-' + r.tone" data-testid="rank-vs-median">{{ r.vsMedianText }}</td> }
                }
              </tr>
            }
          </tbody>
        </nz-table>
      </nz-card>
    }
  `,
})
export class RankingTable {
  private readonly api = inject(AnalyticsApi);
  private readonly lang = inject(LangService);
  private readonly problems = inject(ProblemService);

  readonly from = input.required<string>();
  readonly to = input.required<string>();
  readonly scope = input.required<Scope>();
  /** The scope is the user's whole one (an operator's row may then drill by operator: the API limits it to the same markets). */
  readonly wholeScope = input(false);
  readonly scopeLabel = input('');
  readonly groupings = input.required<Grouping[]>();
  readonly group = input.required<Grouping>();
  readonly kpiCode = input.required<string>();
  readonly catalogue = input.required<KpiDef[]>();
  readonly groupChange = output<Grouping>();
  readonly kpiChange = output<string>();
  readonly open = output<RankingOpen>();
  /** Whether the table is shown (two rows or more, or one with another grouping to pick): the page moves the KPI picker to the trend otherwise. */
  readonly visible = output<boolean>();

  protected readonly result = signal<RankingResult | null>(null);
  protected readonly loading = signal(false);
  private sub: Subscription | null = null;

  protected readonly shown = computed(() => (this.result()?.rows.length ?? 0) >= (this.groupings().length > 1 ? 1 : 2));
  protected readonly kpi = computed(() => this.catalogue().find((k) => k.code === this.kpiCode()) ?? null);
  protected readonly columns = computed(() => {
    const cat = this.catalogue();
    const first = this.kpi();
    return [...(first ? [first] : []), ...HEADLINE.filter((c) => c !== first?.code).map((c) => cat.find((k) => k.code === c)).filter((k): k is KpiDef => !!k)];
  });
  protected readonly drillable = computed(() => { const k = this.kpi(); return !!k && drillMetricOf(k, 'value') !== null; });

  protected readonly medianCells = computed(() => {
    const r = this.result();
    const lang = this.lang.lang();
    return this.columns().map((k) => {
      const m = r?.medians.find((x) => x.code === k.code)?.value ?? null;
      return { code: k.code, value: m, text: formatValue(m, k.unit, lang) };
    });
  });

  protected readonly rows = computed<Row[]>(() => {
    const r = this.result();
    const lang = this.lang.lang();
    if (!r) return [];
    const cols = this.columns();
    const first = cols[0];
    const med = this.medianCells()[0]?.value ?? null;
    return r.rows.map((row) => {
      const cells = cols.map((k) => {
        const f = row.figures.find((x) => x.code === k.code);
        return { code: k.code, value: f?.value ?? null, text: formatValue(f?.value ?? null, k.unit, lang), worse: f?.worse === true };
      });
      const value = cells[0]?.value ?? null;
      const vsMedian = value !== null && med !== null ? Math.round((value - med) * 100) / 100 : null;
      const unit = first?.unit ?? 'count';
      return {
        key: `${this.groupOf(row)}:${row.id}`, id: row.id, group: this.groupOf(row), name: row.name, regionName: row.regionName ?? row.regionCode,
        markets: row.markets, provisional: row.provisional, scope: this.rowScope(row), cells, value, vsMedian,
        vsMedianText: vsMedian === null ? '—' : `${vsMedian > 0 ? '+' : vsMedian < 0 ? '−' : '±'}${formatValue(Math.abs(vsMedian), unit, lang)}`,
        tone: toneOf(vsMedian, first?.direction ?? 'none'),
      };
    });
  });

  /** One comparator per KPI column (rows without a value last in either order is not promised: nulls sort lowest). */
  protected readonly sorts = computed(() => this.columns().map((_, i) => (a: Row, b: Row) => (a.cells[i]?.value ?? -Infinity) - (b.cells[i]?.value ?? -Infinity)));
  protected readonly sortName = (a: Row, b: Row) => a.name.localeCompare(b.name, 'zh-CN');
  protected readonly sortMarkets = (a: Row, b: Row) => a.markets - b.markets;
  protected readonly sortMedian = (a: Row, b: Row) => (a.vsMedian ?? -Infinity) - (b.vsMedian ?? -Infinity);

  constructor() {
    effect(() => {
      const q = { from: this.from(), to: this.to(), ...this.scope() };
      const g = this.group();
      const allowed = this.groupings();
      untracked(() => this.load(q, allowed.includes(g) ? g : null));
    });
    effect(() => { const v = this.shown(); untracked(() => this.visible.emit(v)); });
    inject(DestroyRef).onDestroy(() => this.sub?.unsubscribe());
  }

  private load(q: { from: string; to: string } & Scope, g: Grouping | null): void {
    this.sub?.unsubscribe();
    if (!g) { this.result.set(null); this.loading.set(false); return; }
    this.loading.set(true);
    const level = g === 'city' || g === 'county' ? g : undefined;
    this.sub = this.api.ranking({ ...q, groupBy: level ? 'region' : (g as 'operator' | 'market'), regionLevel: level }).subscribe({
      next: (r) => { this.result.set(r); this.loading.set(false); },
      error: (e) => { this.result.set(null); this.loading.set(false); this.problems.handle(e); },
    });
  }

  private groupOf(row: RankingRow): Grouping {
    if (row.group !== 'region') return row.group;
    return row.id.length === 4 ? 'city' : row.id.length === 6 ? 'county' : 'city';
  }
  /** The scope a row's figure drills to: exact for markets and regions; an operator's only when the scope is the user's whole one. */
  private rowScope(row: RankingRow): Scope | null {
    if (row.group === 'market') return { marketId: row.id };
    if (row.group === 'region') return { regionCode: row.id };
    return this.wholeScope() || this.scope().operatorId === row.id ? { operatorId: row.id } : null;
  }

  protected name(k: KpiDef | null): string {
    return !k ? '' : this.lang.lang() === 'en' ? k.en : k.zh;
  }
  protected definition(k: KpiDef): string {
    return this.lang.lang() === 'en' ? k.definitionEn : k.definitionZh;
  }
  protected openRow(r: Row): void {
    const k = this.kpi();
    if (!k || !r.scope) return;
    const f = this.result()?.rows.find((x) => x.id === r.id)?.figures.find((x) => x.code === k.code);
    this.open.emit({ kpi: k, scope: r.scope, name: r.name, figure: f ? { code: k.code, value: f.value, previous: null, unit: k.unit, direction: k.direction, provisional: r.provisional } : null });
  }

  /** The ranking's rows (in the API's order: region, then name), as an .xlsx file built in the browser (numbers stay numbers). */
  protected export(): void {
    const t = (key: string) => this.lang.t(key);
    const cols = this.columns();
    const head = [t('analytics.rank.type'), t('analytics.rank.name'), this.name(cols[0] ?? null), t('analytics.rank.median'), t('analytics.rank.vsMedian'),
      t('analytics.rank.region'), t('analytics.rank.markets'), ...cols.slice(1).map((k) => this.name(k)), t('analytics.provisional')];
    const med = this.medianCells()[0]?.value ?? null;
    const body = this.rows().map((r) => [t(`analytics.rank.${r.group}`), r.name, r.value, med, r.vsMedian, r.regionName, r.markets,
      ...r.cells.slice(1).map((c) => c.value), r.provisional ? t('analytics.provisional') : null]);
    const scope = [this.scopeLabel(), `${this.from()} – ${this.to()}`];
    downloadXlsx(`analytics-${cols[0]?.code ?? ''}-${this.from()}-${this.to()}.xlsx`, this.name(cols[0] ?? null), [scope, head, ...body]);
  }
}
