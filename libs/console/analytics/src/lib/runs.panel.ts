import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, input, signal } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzProgressModule } from 'ng-zorro-antd/progress';
import { NzMessageService } from 'ng-zorro-antd/message';
import { LangService, ProblemService, ShanghaiTimePipe } from '@linggong/console-core';
import { AnalyticsApi, type RollupRun } from './analytics.api';
import { addDays, shanghaiToday } from './period';

const COLORS: Record<RollupRun['status'], string> = { queued: 'default', running: 'processing', done: 'success', failed: 'error' };

/**
 * Rollup runs (issue 13 §2, "progress visible to an admin"): the last runs with their progress, polled
 * while one is queued or running, and a re-roll of the period's sealed days for the chosen market or
 * everything the user may re-run (`analytics_requestRun`, sealed days only: the range stops yesterday).
 */
@Component({
  selector: 'lg-rollup-runs',
  imports: [TranslocoPipe, ShanghaiTimePipe, NzCardModule, NzTableModule, NzTagModule, NzButtonModule, NzIconModule, NzProgressModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <nz-card [nzTitle]="'analytics.runs.title' | transloco" [nzExtra]="extra" data-testid="analytics-runs">
      <ng-template #extra>
        <button nz-button [disabled]="!range()" [nzLoading]="saving()" (click)="request()" data-testid="analytics-rerun">
          <nz-icon nzType="redo" /> {{ 'analytics.runs.rerun' | transloco: { from: range()?.from ?? '', to: range()?.to ?? '' } }}
        </button>
      </ng-template>
      <nz-table #t nzSize="small" [nzData]="runs()" [nzShowPagination]="false" [nzPageSize]="10" data-testid="table-runs">
        <thead><tr>
          <th>{{ 'analytics.runs.requestedAt' | transloco }}</th><th>{{ 'analytics.runs.reason' | transloco }}</th>
          <th>{{ 'analytics.runs.range' | transloco }}</th><th>{{ 'analytics.runs.status' | transloco }}</th><th>{{ 'analytics.runs.progress' | transloco }}</th>
        </tr></thead>
        <tbody>
          @for (r of t.data; track r.id) {
            <tr data-testid="run-row">
              <td class="lg-nowrap">{{ r.requestedAt | shanghai }}</td>
              <td>{{ 'analytics.runs.reasons.' + r.reason | transloco }}</td>
              <td class="lg-nowrap">{{ r.from }} – {{ r.to }}</td>
              <td><nz-tag [nzColor]="colors[r.status]" data-testid="run-status">{{ 'analytics.runs.statuses.' + r.status | transloco }}</nz-tag>
                @if (r.error) { <div class="lg-muted">{{ r.error }}</div> }</td>
              <td class="lg-w200"><nz-progress nzSize="small" [nzPercent]="r.total ? Math.round((r.done / r.total) * 100) : (r.status === 'done' ? 100 : 0)" [nzFormat]="fmt(r)" /></td>
            </tr>
          }
        </tbody>
      </nz-table>
    </nz-card>`,
  styles: ['.lg-nowrap { white-space: nowrap; } .lg-muted { color: rgba(0,0,0,.45); font-size: 12px; } .lg-w200 { width: 200px; }'],
})
export class RollupRunsPanel {
  private readonly api = inject(AnalyticsApi);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  readonly from = input.required<string>();
  readonly to = input.required<string>();
  readonly marketId = input<string | undefined>(undefined);
  protected readonly Math = Math;
  protected readonly colors = COLORS;
  protected readonly runs = signal<RollupRun[]>([]);
  protected readonly saving = signal(false);
  /** Sealed days only: the period cut at yesterday; null when nothing of it is sealed yet. */
  protected readonly range = computed(() => {
    const yesterday = addDays(shanghaiToday(), -1);
    const to = this.to() < yesterday ? this.to() : yesterday;
    return this.from() <= to ? { from: this.from(), to } : null;
  });
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    this.load();
    inject(DestroyRef).onDestroy(() => this.timer && clearTimeout(this.timer));
  }

  protected fmt(r: RollupRun): (pct: number) => string {
    return () => `${r.done}/${r.total}`;
  }

  private load(): void {
    this.api.runs().subscribe({
      next: (rs) => {
        this.runs.set(rs);
        if (this.timer) clearTimeout(this.timer);
        if (rs.some((r) => r.status === 'queued' || r.status === 'running')) this.timer = setTimeout(() => this.load(), 3000);
      },
      error: (e) => this.problems.handle(e),
    });
  }

  protected request(): void {
    const r = this.range();
    if (!r) return;
    this.saving.set(true);
    this.api.requestRun({ ...r, marketId: this.marketId() }).subscribe({
      next: () => {
        this.saving.set(false);
        this.message.success(this.lang.t('analytics.runs.requested'));
        this.load();
      },
      error: (e) => {
        this.saving.set(false);
        this.problems.handle(e);
      },
    });
  }
}
