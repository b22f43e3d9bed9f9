import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, output, signal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import type { Subscription } from 'rxjs';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTooltipModule } from 'ng-zorro-antd/tooltip';
import { FLAG_RULES, type FlagEvidence, type FlagsResult, type MarketFlag } from '@linggong/domain';
import { LangService, ProblemService } from '@linggong/console-core';
import type { Scope } from './analytics.api';
import { ReviewApi } from './review.api';
import { downloadXlsx } from './export';

/** A flag's drill-down evidence, for the page's drawer. */
export type FlagDrill = Extract<FlagEvidence, { type: 'drilldown' }> & { title: string; marketName: string };

/**
 * Red flags (issue 13 §4, `analytics_flags`): per market of the scope and period, what an assessment
 * should look at first — unsealed or late days, verification failures, overdue complaints, non-payment,
 * a low settlement rate, a day far above the market's own history. Each opens its evidence: the day's
 * work log, the complaint list, or the entries behind the figure (the page's drill-down drawer).
 */
@Component({
  selector: 'lg-flags-panel',
  imports: [RouterLink, TranslocoPipe, NzCardModule, NzTableModule, NzTagModule, NzButtonModule, NzIconModule, NzTooltipModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <nz-card [nzTitle]="title" [nzExtra]="extra" data-testid="analytics-flags">
      <ng-template #title>{{ 'analytics.flags.title' | transloco }}
        @if (result(); as r) { <span class="lg-muted" data-testid="flags-summary">{{ 'analytics.flags.summary' | transloco: { flags: r.flags.length, markets: flaggedMarkets(), of: r.markets } }}</span> }
      </ng-template>
      <ng-template #extra>
        <button nz-button (click)="export()" [disabled]="loading() || !result()" data-testid="flags-export"><nz-icon nzType="download" /> {{ 'analytics.export' | transloco }}</button>
      </ng-template>
      <nz-table #ft nzSize="small" [nzData]="rows()" [nzLoading]="loading()" [nzPageSize]="20" [nzHideOnSinglePage]="true" data-testid="table-flags">
        <thead>
          <tr>
            <th nzWidth="80px">{{ 'analytics.flags.severity' | transloco }}</th>
            <th>{{ 'analytics.flags.market' | transloco }}</th>
            <th>{{ 'analytics.flags.operator' | transloco }}</th>
            <th>{{ 'analytics.flags.flag' | transloco }}</th>
            <th>{{ 'analytics.flags.explanation' | transloco }}</th>
            <th>{{ 'analytics.flags.evidence' | transloco }}</th>
          </tr>
        </thead>
        <tbody>
          @for (f of ft.data; track $index) {
            <tr data-testid="flag-row" [attr.data-code]="f.code" [attr.data-market]="f.marketId" [attr.data-severity]="f.severity">
              <td><nz-tag [nzColor]="f.severity === 'high' ? 'red' : 'orange'">{{ 'analytics.flags.severities.' + f.severity | transloco }}</nz-tag></td>
              <td>{{ f.marketName }}</td>
              <td>{{ f.operatorName }}</td>
              <td><span nz-tooltip [nzTooltipTitle]="f.rule">{{ f.name }}</span></td>
              <td data-testid="flag-text">{{ f.text }}</td>
              <td>
                @switch (f.evidence.type) {
                  @case ('day') { <a [routerLink]="['/markets', f.marketId, 'ledger']" [queryParams]="{ day: f.evidence.day }" data-testid="flag-evidence">{{ 'analytics.flags.openDay' | transloco: { day: f.evidence.day } }}</a> }
                  @case ('complaints') { <a routerLink="/complaints" [queryParams]="{ marketId: f.marketId, due: 'overdue' }" data-testid="flag-evidence">{{ 'analytics.flags.openComplaints' | transloco }}</a> }
                  @default { <a (click)="openDrill(f)" (keydown.enter)="openDrill(f)" tabindex="0" data-testid="flag-evidence">{{ 'analytics.flags.openEntries' | transloco }}</a> }
                }
              </td>
            </tr>
          }
        </tbody>
      </nz-table>
      <div class="lg-muted lg-mt8">{{ 'analytics.flags.note' | transloco }}</div>
    </nz-card>
  `,
  styles: ['.lg-muted { color: rgba(0, 0, 0, 0.45); font-size: 12px; margin-left: 8px; font-weight: normal; } .lg-mt8 { margin-top: 8px; margin-left: 0; }'],
})
export class FlagsPanel {
  private readonly api = inject(ReviewApi);
  private readonly lang = inject(LangService);
  private readonly problems = inject(ProblemService);
  readonly from = input.required<string>();
  readonly to = input.required<string>();
  readonly scope = input.required<Scope>();
  readonly scopeLabel = input('');
  readonly drill = output<FlagDrill>();

  protected readonly result = signal<FlagsResult | null>(null);
  protected readonly loading = signal(false);
  protected readonly rows = computed(() => {
    const r = this.result();
    const en = this.lang.lang() === 'en';
    return (r?.flags ?? []).map((f) => {
      const rule = FLAG_RULES.find((x) => x.code === f.code);
      return { ...f, name: rule ? (en ? rule.en : rule.zh) : f.code, rule: rule ? (en ? rule.ruleEn : rule.ruleZh) : '', text: en ? f.en : f.zh };
    });
  });
  protected readonly flaggedMarkets = computed(() => new Set((this.result()?.flags ?? []).map((f) => f.marketId)).size);
  private sub: Subscription | null = null;

  constructor() {
    effect(() => {
      const q = { from: this.from(), to: this.to(), ...this.scope() };
      untracked(() => this.load(q));
    });
    inject(DestroyRef).onDestroy(() => this.sub?.unsubscribe());
  }

  private load(q: { from: string; to: string } & Scope): void {
    this.sub?.unsubscribe();
    this.loading.set(true);
    this.sub = this.api.flags(q).subscribe({
      next: (r) => { this.result.set(r); this.loading.set(false); },
      error: (e) => { this.result.set(null); this.loading.set(false); this.problems.handle(e); },
    });
  }

  protected openDrill(f: MarketFlag & { name: string; text: string }): void {
    if (f.evidence.type !== 'drilldown') return;
    this.drill.emit({ ...f.evidence, title: `${f.name} · ${f.marketName}`, marketName: f.marketName });
  }

  protected export(): void {
    const t = (k: string) => this.lang.t(k);
    const head = ['severity', 'market', 'operator', 'flag', 'explanation', 'value', 'threshold', 'days'].map((k) => t(`analytics.flags.${k}`));
    const body = this.rows().map((f) => [t(`analytics.flags.severities.${f.severity}`), f.marketName, f.operatorName, f.name, f.text, f.value, f.threshold, f.days.join(', ') || null]);
    void downloadXlsx(`analytics-flags-${this.from()}-${this.to()}.xlsx`, t('analytics.flags.title'), [[this.scopeLabel(), `${this.from()} – ${this.to()}`], head, ...body]);
  }
}
