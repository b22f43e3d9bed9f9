import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal, untracked } from '@angular/core';
import type { Subscription } from 'rxjs';
import { FormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NgxEchartsDirective } from 'ngx-echarts';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzRadioModule } from 'ng-zorro-antd/radio';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzSpinModule } from 'ng-zorro-antd/spin';
import { BREAKDOWN_DIMENSIONS, breaksDown, occupationOf, type BreakdownDimension, type BreakdownResult, type KpiDef } from '@linggong/domain';
import { LangService, ProblemService } from '@linggong/console-core';
import { AnalyticsApi, type Scope } from './analytics.api';
import { formatValue } from './format';
import { downloadXlsx } from './export';

/**
 * A KPI broken down by occupation, industry, worker gender or age band (`analytics_breakdown`): a bar
 * chart and the table behind it, exported like the page's other tables. Follows the page's KPI when it
 * splits (counts, ratios, medians); otherwise starts on hires started.
 */
@Component({
  selector: 'lg-breakdown-panel',
  imports: [FormsModule, TranslocoPipe, NgxEchartsDirective, NzCardModule, NzSelectModule, NzRadioModule, NzTableModule, NzButtonModule, NzIconModule, NzSpinModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <nz-card [nzTitle]="('analytics.breakdown.title' | transloco) + ' · ' + kpiName()" [nzExtra]="extra" data-testid="analytics-breakdown">
      <ng-template #extra>
        <nz-select class="lg-w220" nzShowSearch [ngModel]="code()" (ngModelChange)="code.set($event)" data-testid="breakdown-kpi">
          @for (k of splittable(); track k.code) { <nz-option [nzValue]="k.code" [nzLabel]="name(k)" /> }
        </nz-select>
        <nz-radio-group class="lg-ml8" [ngModel]="by()" (ngModelChange)="by.set($event)" data-testid="breakdown-by">
          <!-- nz-radio-button renders its own <input> inside the label -->
          <!-- eslint-disable-next-line @angular-eslint/template/label-has-associated-control -->
          @for (d of dimensions; track d) { <label nz-radio-button [nzValue]="d" [attr.data-by]="d">{{ 'analytics.breakdown.by.' + d | transloco }}</label> }
        </nz-radio-group>
        <button nz-button class="lg-ml8" (click)="export()" [disabled]="loading() || !result()" data-testid="breakdown-export"><nz-icon nzType="download" /> {{ 'analytics.export' | transloco }}</button>
      </ng-template>
      <div class="lg-muted">{{ 'analytics.breakdown.note' | transloco }}</div>
      <nz-spin [nzSpinning]="loading()">
        @if (rows().length) {
          <div echarts class="chart" [options]="options()" data-testid="chart-breakdown"></div>
        } @else {
          <div class="lg-muted lg-empty">{{ 'analytics.breakdown.empty' | transloco }}</div>
        }
        <nz-table #bt nzSize="small" [nzData]="rows()" [nzFrontPagination]="false" [nzShowPagination]="false" data-testid="table-breakdown">
          <thead>
            <tr>
              <th>{{ 'analytics.breakdown.by.' + by() | transloco }}</th>
              <th>{{ 'analytics.breakdown.figure' | transloco }}</th>
              @if (isRatio()) { <th>{{ 'analytics.breakdown.numerator' | transloco }}</th><th>{{ 'analytics.breakdown.denominator' | transloco }}</th> }
            </tr>
          </thead>
          <tbody>
            @for (r of bt.data; track r.value) {
              <tr data-testid="breakdown-row" [attr.data-value]="r.value">
                <td>{{ r.label }}</td>
                <td data-testid="breakdown-figure">{{ r.text }}</td>
                @if (isRatio()) { <td>{{ r.numerator }}</td><td>{{ r.denominator }}</td> }
              </tr>
            }
            @if (result(); as res) {
              <tr class="lg-total" data-testid="breakdown-total">
                <td>{{ 'analytics.breakdown.total' | transloco }}</td>
                <td>{{ format(res.total) }}</td>
                @if (isRatio()) { <td>{{ sumOf('numerator') }}</td><td>{{ sumOf('denominator') }}</td> }
              </tr>
            }
          </tbody>
        </nz-table>
      </nz-spin>
    </nz-card>`,
  styles: [
    `.chart { height: 280px; width: 100%; }
     .lg-muted { color: rgba(0, 0, 0, 0.45); margin-bottom: 8px; }
     .lg-empty { padding: 24px 0; text-align: center; }
     .lg-w220 { width: 220px; }
     .lg-ml8 { margin-left: 8px; }
     .lg-total td { font-weight: 600; }`,
  ],
})
export class BreakdownPanel {
  private readonly api = inject(AnalyticsApi);
  private readonly problems = inject(ProblemService);
  private readonly lang = inject(LangService);
  readonly catalogue = input.required<KpiDef[]>();
  /** The page's KPI (followed when it splits). */
  readonly kpiCode = input<string>('hires_started');
  readonly from = input.required<string>();
  readonly to = input.required<string>();
  readonly scope = input<Scope>({});
  readonly scopeLabel = input('');

  protected readonly dimensions = BREAKDOWN_DIMENSIONS;
  protected readonly code = signal('hires_started');
  protected readonly by = signal<BreakdownDimension>('occupation');
  protected readonly result = signal<BreakdownResult | null>(null);
  protected readonly loading = signal(false);
  private sub: Subscription | null = null;

  protected readonly splittable = computed(() => this.catalogue().filter(breaksDown));
  protected readonly kpi = computed(() => this.catalogue().find((k) => k.code === this.code()) ?? null);
  protected readonly kpiName = computed(() => this.name(this.kpi()));
  protected readonly isRatio = computed(() => this.kpi()?.formula.type === 'ratio');
  protected readonly rows = computed(() => {
    this.lang.lang();
    const r = this.result();
    return (r?.parts ?? []).map((p) => ({ ...p, label: this.label(r?.by ?? 'occupation', p.value), text: this.format(p.figure) }));
  });
  protected readonly options = computed(() => {
    const rows = this.rows();
    return {
      animation: false,
      tooltip: { trigger: 'axis' },
      grid: { left: 56, right: 16, top: 16, bottom: 56 },
      xAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value' },
      series: [{ type: 'bar', name: this.kpiName(), data: rows.map((r) => r.figure), itemStyle: { color: '#1677ff' }, barMaxWidth: 40 }],
    };
  });

  constructor() {
    // The page's KPI, when it splits.
    effect(() => {
      const c = this.kpiCode();
      const k = this.catalogue().find((x) => x.code === c);
      if (k && breaksDown(k)) untracked(() => this.code.set(c));
    });
    effect(() => {
      const q = { kpi: this.code(), by: this.by(), from: this.from(), to: this.to(), ...this.scope() };
      if (!this.catalogue().length) return;
      untracked(() => this.load(q));
    });
    inject(DestroyRef).onDestroy(() => this.sub?.unsubscribe());
  }

  private load(q: { kpi: string; by: BreakdownDimension; from: string; to: string } & Scope): void {
    this.loading.set(true);
    this.sub?.unsubscribe();
    this.sub = this.api.breakdown(q).subscribe({
      next: (r) => { this.result.set(r); this.loading.set(false); },
      error: (e) => { this.result.set(null); this.loading.set(false); this.problems.handle(e); },
    });
  }

  protected name(k: KpiDef | null): string {
    return !k ? '' : this.lang.lang() === 'en' ? k.en : k.zh;
  }
  protected format(v: number | null): string {
    const k = this.kpi();
    return k ? formatValue(v, k.unit, this.lang.lang()) : '';
  }
  protected sumOf(part: 'numerator' | 'denominator'): number {
    return (this.result()?.parts ?? []).reduce((t, p) => t + (p[part] ?? 0), 0);
  }
  /** A dimension value as a reader says it: occupations in the dictionary's English for en, categories, genders, "not recorded". */
  private label(by: BreakdownDimension, v: string): string {
    if (!v) return this.lang.t('analytics.breakdown.unknown');
    if (by === 'occupation') return this.lang.lang() === 'en' ? (occupationOf(v)?.en ?? v) : v;
    if (by === 'industry' || by === 'gender') return this.lang.t(`analytics.breakdown.${by}.${v}`);
    return v;
  }

  /** The table as shown, as an .xlsx (the page's export). */
  protected export(): void {
    const r = this.result();
    const k = this.kpi();
    if (!r || !k) return;
    const t = (key: string) => this.lang.t(key);
    const head = [t(`analytics.breakdown.by.${r.by}`), this.name(k), ...(this.isRatio() ? [t('analytics.breakdown.numerator'), t('analytics.breakdown.denominator')] : [])];
    const body = this.rows().map((x) => [x.label, x.figure, ...(this.isRatio() ? [x.numerator, x.denominator] : [])]);
    const total = [t('analytics.breakdown.total'), r.total, ...(this.isRatio() ? [this.sumOf('numerator'), this.sumOf('denominator')] : [])];
    downloadXlsx(`analytics-${k.code}-${r.by}-${r.from}-${r.to}.xlsx`, this.name(k), [[this.scopeLabel(), `${r.from} – ${r.to}`], head, ...body, total]);
  }
}
