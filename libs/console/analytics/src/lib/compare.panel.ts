import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { forkJoin, type Subscription } from 'rxjs';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTooltipModule } from 'ng-zorro-antd/tooltip';
import type { KpiDef, KpiResult } from '@linggong/domain';
import { LangService, ProblemService } from '@linggong/console-core';
import { AnalyticsApi } from './analytics.api';
import { formatValue } from './format';
import { downloadXlsx } from './export';

export interface CompareOperator { id: string; name: string }

/**
 * Two operators side by side (issue 13 §4): every KPI of the catalogue for both over the period, each
 * counting only its markets inside the scope's region (`analytics_kpis` with `operatorId` + `regionCode`),
 * the better one marked by the KPI's direction (none for KPIs without one). `?a=&b=` keep the choice.
 */
@Component({
  selector: 'lg-compare-panel',
  imports: [FormsModule, TranslocoPipe, NzCardModule, NzSelectModule, NzTableModule, NzTagModule, NzButtonModule, NzIconModule, NzTooltipModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <nz-card [nzTitle]="'analytics.compare.title' | transloco" [nzExtra]="extra" data-testid="analytics-compare">
      <ng-template #extra>
        <button nz-button (click)="export()" [disabled]="loading() || !rows().length" data-testid="compare-export"><nz-icon nzType="download" /> {{ 'analytics.export' | transloco }}</button>
      </ng-template>
      <div class="lg-row">
        @for (side of [0, 1]; track side) {
          <nz-select class="lg-op" nzShowSearch [nzPlaceHolder]="'analytics.compare.pick' | transloco" [ngModel]="picked()[side]" (ngModelChange)="pick(side, $event)" [attr.data-testid]="'compare-pick-' + side">
            @for (o of operators(); track o.id) { <nz-option [nzValue]="o.id" [nzLabel]="o.name" [nzDisabled]="o.id === picked()[1 - side]" /> }
          </nz-select>
          @if (side === 0) { <span class="lg-vs">vs</span> }
        }
      </div>
      @if (rows().length) {
        <nz-table #ct nzSize="small" [nzData]="rows()" [nzLoading]="loading()" [nzFrontPagination]="false" [nzShowPagination]="false" data-testid="table-compare">
          <thead>
            <tr>
              <th>{{ 'analytics.compare.kpi' | transloco }}</th>
              <th data-testid="compare-head-0">{{ nameOf(picked()[0]) }}</th>
              <th data-testid="compare-head-1">{{ nameOf(picked()[1]) }}</th>
            </tr>
          </thead>
          <tbody>
            @for (r of ct.data; track r.code) {
              <tr data-testid="compare-row" [attr.data-kpi]="r.code" [attr.data-better]="r.better">
                <td><span nz-tooltip [nzTooltipTitle]="r.definition">{{ r.name }}</span></td>
                @for (side of [0, 1]; track side) {
                  <td [class.lg-better]="r.better === side" [attr.data-testid]="'compare-value-' + side">
                    {{ r.text[side] }}
                    @if (r.better === side) { <nz-tag nzColor="green" data-testid="compare-better">{{ 'analytics.compare.better' | transloco }}</nz-tag> }
                  </td>
                }
              </tr>
            }
          </tbody>
        </nz-table>
        <div class="lg-muted">{{ 'analytics.compare.note' | transloco }}</div>
      } @else {
        <div class="lg-muted">{{ 'analytics.compare.empty' | transloco }}</div>
      }
    </nz-card>
  `,
  styles: [
    '.lg-row { display: flex; gap: 8px; align-items: center; margin-bottom: 12px; flex-wrap: wrap; }',
    '.lg-op { width: 300px; } .lg-vs { color: rgba(0, 0, 0, 0.45); }',
    '.lg-better { font-weight: 600; } .lg-muted { color: rgba(0, 0, 0, 0.45); font-size: 12px; margin-top: 8px; }',
  ],
})
export class ComparePanel {
  private readonly api = inject(AnalyticsApi);
  private readonly lang = inject(LangService);
  private readonly problems = inject(ProblemService);
  readonly from = input.required<string>();
  readonly to = input.required<string>();
  /** The scope's region (the operators count only their markets inside it); empty: all the user sees. */
  readonly regionCode = input<string | undefined>(undefined);
  readonly scopeLabel = input('');
  readonly operators = input.required<CompareOperator[]>();
  readonly catalogue = input.required<KpiDef[]>();
  /** Initial choice (from the URL). */
  readonly initial = input<[string | null, string | null]>([null, null]);

  protected readonly picked = signal<[string | null, string | null]>([null, null]);
  protected readonly results = signal<[KpiResult, KpiResult] | null>(null);
  protected readonly loading = signal(false);
  private sub: Subscription | null = null;

  protected readonly rows = computed(() => {
    const res = this.results();
    const lang = this.lang.lang();
    if (!res) return [];
    return this.catalogue().map((k) => {
      const f = res.map((r) => r.figures.find((x) => x.code === k.code) ?? null);
      const v = f.map((x) => x?.value ?? null);
      let better: 0 | 1 | null = null;
      if (v[0] !== null && v[1] !== null && v[0] !== v[1] && k.direction !== 'none') {
        better = (k.direction === 'up') === (v[0] > v[1]) ? 0 : 1;
      }
      return {
        code: k.code, name: lang === 'en' ? k.en : k.zh, definition: lang === 'en' ? k.definitionEn : k.definitionZh, unit: k.unit, values: v, better,
        text: v.map((x) => formatValue(x, k.unit, lang) + (k.unit === 'percent' || k.unit === 'fen' || x === null ? '' : ` ${this.lang.t(`analytics.units.${k.unit}`)}`)),
      };
    });
  });

  constructor() {
    effect(() => {
      const init = this.initial();
      const ops = this.operators();
      untracked(() => {
        const valid = (id: string | null) => (id && ops.some((o) => o.id === id) ? id : null);
        const [a, b] = [valid(init[0]), valid(init[1])];
        // Two operators and nothing chosen: compare them straight away.
        this.picked.set(a || b ? [a, b] : ops.length === 2 ? [ops[0].id, ops[1].id] : [null, null]);
      });
    });
    effect(() => {
      const [a, b] = this.picked();
      const q = { from: this.from(), to: this.to(), regionCode: this.regionCode() };
      untracked(() => this.load(a, b, q));
    });
    inject(DestroyRef).onDestroy(() => this.sub?.unsubscribe());
  }

  protected pick(side: number, id: string | null): void {
    const p = [...this.picked()] as [string | null, string | null];
    p[side] = id;
    this.picked.set(p);
  }
  protected nameOf(id: string | null): string {
    return this.operators().find((o) => o.id === id)?.name ?? '';
  }

  private load(a: string | null, b: string | null, q: { from: string; to: string; regionCode?: string }): void {
    this.sub?.unsubscribe();
    if (!a || !b) { this.results.set(null); return; }
    this.loading.set(true);
    const scope = (id: string) => ({ ...q, operatorId: id, ...(q.regionCode ? { regionCode: q.regionCode } : {}) });
    this.sub = forkJoin([this.api.kpis(scope(a)), this.api.kpis(scope(b))]).subscribe({
      next: (r) => { this.results.set(r); this.loading.set(false); },
      error: (e) => { this.results.set(null); this.loading.set(false); this.problems.handle(e); },
    });
  }

  protected export(): void {
    const t = (k: string) => this.lang.t(k);
    const [a, b] = this.picked();
    const head = [t('analytics.compare.kpi'), this.nameOf(a), this.nameOf(b), t('analytics.compare.unit'), t('analytics.compare.better')];
    const body = this.rows().map((r) => [r.name, r.values[0], r.values[1], t(`analytics.units.${r.unit}`), r.better === null ? null : this.nameOf(this.picked()[r.better])]);
    void downloadXlsx(`analytics-compare-${this.from()}-${this.to()}.xlsx`, t('analytics.compare.title'), [[this.scopeLabel(), `${this.from()} – ${this.to()}`], head, ...body]);
  }
}
