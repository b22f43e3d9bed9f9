import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, output, signal, untracked } from '@angular/core';
import type { Subscription } from 'rxjs';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzDrawerModule } from 'ng-zorro-antd/drawer';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzRadioModule } from 'ng-zorro-antd/radio';
import { FormsModule } from '@angular/forms';
import { DatePipe } from '@angular/common';
import type { AnyDrilldownItem, DrilldownItem } from '@linggong/domain';
import { PayloadText, ProblemService } from '@linggong/console-core';
import { AnalyticsApi, type Scope } from './analytics.api';

export type Part = 'value' | 'numerator' | 'denominator';
/** What the drawer lists: the entries behind one figure of one scope and period. */
export interface DrillRequest {
  kpi: string; title: string; scopeLabel: string; from: string; to: string; scope: Scope;
  /** The parts a user may switch between (a ratio has a numerator and a denominator). */
  parts: Part[]; part: Part;
}
const PAGE_SIZE = 50;

/** The work-log entries behind a figure (analytics_drilldown), paged; each opens the market's day in the work log. */
@Component({
  selector: 'lg-drilldown',
  imports: [FormsModule, RouterLink, TranslocoPipe, DatePipe, NzDrawerModule, NzTableModule, NzTagModule, NzRadioModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <nz-drawer [nzVisible]="!!request()" [nzWidth]="960" (nzOnClose)="closed.emit()" [nzTitle]="request()?.title ?? ''">
      <ng-container *nzDrawerContent>
        @if (request(); as r) {
          <div class="lg-muted">{{ r.scopeLabel }} · {{ r.from }} – {{ r.to }}</div>
          @if (r.parts.length > 1) {
            <nz-radio-group [ngModel]="part()" (ngModelChange)="setPart($event)" data-testid="drill-part">
              <!-- nz-radio-button renders its own <input> inside the label -->
              <!-- eslint-disable-next-line @angular-eslint/template/label-has-associated-control -->
              @for (p of r.parts; track p) { <label nz-radio-button [nzValue]="p">{{ 'analytics.parts.' + p | transloco }}</label> }
            </nz-radio-group>
          }
          <p data-testid="drill-summary">
            {{ 'analytics.drillSummary' | transloco: { total: total(), sum: sum() } }}
          </p>
          <nz-table #t data-testid="table-drilldown" nzSize="small" [nzData]="items()" [nzLoading]="loading()" [nzFrontPagination]="false"
            [nzTotal]="total()" [nzPageIndex]="page()" [nzPageSize]="pageSize" (nzPageIndexChange)="load($event)">
            <thead>
              <tr>
                <th>{{ 'analytics.market' | transloco }}</th>
                @switch (kind()) {
                  @case ('day') {
                    <th>{{ 'analytics.businessDay' | transloco }}</th>
                    <th>{{ 'analytics.drill.sealedAt' | transloco }}</th>
                    <th>{{ 'analytics.drill.entries' | transloco }}</th>
                    <th>{{ 'analytics.drill.failures' | transloco }}</th>
                    <th>{{ 'analytics.entryValue' | transloco }}</th>
                    <th></th>
                  }
                  @case ('staff') {
                    <th>{{ 'analytics.drill.staff' | transloco }}</th>
                    <th>{{ 'analytics.drill.asOf' | transloco }}</th>
                  }
                  @case ('market') {}
                  @default {
                    <th>{{ 'analytics.businessDay' | transloco }}</th>
                    <th>{{ 'analytics.seq' | transloco }}</th>
                    <th>{{ 'analytics.kind' | transloco }}</th>
                    <th>{{ 'analytics.drill.names' | transloco }}</th>
                    <th>{{ 'analytics.fields' | transloco }}</th>
                    <th>{{ 'analytics.entryValue' | transloco }}</th>
                    <th></th>
                  }
                }
              </tr>
            </thead>
            <tbody>
              @for (i of t.data; track $index) {
                <tr data-testid="drill-row">
                  <td>{{ i.marketName }}</td>
                  @switch (i.type) {
                    @case ('day') {
                      <td class="lg-nowrap">{{ i.businessDay }}</td>
                      <td class="lg-nowrap">{{ i.sealedAt ? (i.sealedAt | date: 'yyyy-MM-dd HH:mm' : '+0800') : ('analytics.drill.notSealed' | transloco) }}
                        @if (i.late) { <nz-tag nzColor="red" data-testid="drill-late">{{ 'analytics.drill.late' | transloco }}</nz-tag> }
                        @else { <nz-tag nzColor="green">{{ 'analytics.drill.onTime' | transloco }}</nz-tag> }
                      </td>
                      <td>{{ i.entries }}</td>
                      <td>{{ i.verificationFailures }}</td>
                      <td>{{ i.value }}</td>
                      <td class="lg-nowrap"><a [routerLink]="['/markets', i.marketId, 'ledger']" [queryParams]="{ day: i.businessDay }" data-testid="drill-day-link">{{ 'analytics.openDay' | transloco }}</a></td>
                    }
                    @case ('staff') {
                      <td>{{ i.staffName || i.userId }}</td>
                      <td class="lg-nowrap">{{ i.businessDay }}</td>
                    }
                    @case ('market') {}
                    @default {
                      <td class="lg-nowrap">{{ i.businessDay }}
                        @if (!i.sealed) { <nz-tag nzColor="orange">{{ 'analytics.provisional' | transloco }}</nz-tag> }
                      </td>
                      <td>{{ i.seq }}</td>
                      <td class="lg-nowrap">{{ 'ledger.kind.' + i.kind | transloco }}</td>
                      <td class="lg-names" data-testid="drill-names">
                        @for (n of nameLines(i); track n.key) { <div><span class="lg-muted-inline">{{ 'analytics.drill.' + n.key | transloco }}</span> {{ n.value }}</div> }
                      </td>
                      <td class="lg-fields" data-testid="drill-fields">{{ fields(i) }}
                        @if (i.correctedBy.length) { <div><nz-tag nzColor="purple">{{ 'analytics.correctedBy' | transloco: { seqs: i.correctedBy.join(', ') } }}</nz-tag></div> }
                      </td>
                      <td>{{ i.value }}</td>
                      <td class="lg-nowrap"><a [routerLink]="['/markets', i.marketId, 'ledger']" [queryParams]="{ day: i.businessDay }" data-testid="drill-day-link">{{ 'analytics.openDay' | transloco }}</a></td>
                    }
                  }
                </tr>
              }
            </tbody>
          </nz-table>
        }
      </ng-container>
    </nz-drawer>`,
  styles: [
    `.lg-muted { color: rgba(0, 0, 0, 0.45); margin-bottom: 8px; }
     .lg-nowrap { white-space: nowrap; }
     .lg-fields { font-size: 12px; word-break: break-all; max-width: 360px; }
     .lg-names { font-size: 12px; white-space: nowrap; }
     .lg-muted-inline { color: rgba(0, 0, 0, 0.45); }
     p { margin: 12px 0 8px; }`,
  ],
})
export class DrilldownDrawer {
  private readonly api = inject(AnalyticsApi);
  private readonly problems = inject(ProblemService);
  private readonly payloadText = inject(PayloadText);
  readonly request = input<DrillRequest | null>(null);
  readonly closed = output<void>();
  protected readonly pageSize = PAGE_SIZE;
  protected readonly part = signal<Part>('value');
  protected readonly items = signal<AnyDrilldownItem[]>([]);
  /** What the list holds (entries, days, staff or markets): one kind per figure part. */
  protected readonly kind = signal<AnyDrilldownItem['type']>('entry');
  protected readonly total = signal(0);
  protected readonly sum = signal(0);
  protected readonly page = signal(1);
  protected readonly loading = signal(false);
  private sub: Subscription | null = null;

  constructor() {
    // Only a new request resets the drawer (untracked: switching the part must not re-run this).
    effect(() => {
      const r = this.request();
      if (!r) return;
      untracked(() => {
        this.part.set(r.part);
        this.items.set([]);
        this.load(1);
      });
    });
    inject(DestroyRef).onDestroy(() => this.sub?.unsubscribe());
  }

  protected setPart(p: Part): void {
    this.part.set(p);
    this.load(1);
  }

  protected load(page: number): void {
    const r = this.request();
    if (!r) return;
    this.page.set(page);
    this.loading.set(true);
    // The latest request wins: an earlier page or part still in flight is dropped.
    this.sub?.unsubscribe();
    this.sub = this.api.drilldown({ kpi: r.kpi, part: this.part(), from: r.from, to: r.to, ...r.scope, page, pageSize: PAGE_SIZE }).subscribe({
      next: (p) => {
        this.items.set(p.items);
        this.kind.set(p.items[0]?.type ?? 'entry');
        this.total.set(p.total);
        this.sum.set(p.sum);
        this.loading.set(false);
      },
      error: (e) => {
        this.loading.set(false);
        this.problems.handle(e);
      },
    });
  }

  /** Who and what the entry is about, by name (the API masks what the caller may not see in full). */
  protected nameLines(e: DrilldownItem): { key: string; value: string }[] {
    const n = e.names ?? {};
    return (['worker', 'employer', 'post', 'staff'] as const).filter((k) => n[k])
      .map((k) => (k === 'staff' ? { key: 'recordedBy', value: this.payloadText.recorder(n[k]) } : { key: k, value: n[k] as string }));
  }

  /**
   * The entry's fields as corrected, worded as the work log shows them (labels, values and Beijing times in the
   * user's language, amounts in yuan: PayloadText). Its ids are left out: the names column says who and what
   * the entry is about, and an id without a name (one the user may not read) would say nothing to a reader.
   */
  protected fields(e: DrilldownItem): string {
    return this.payloadText.describe(e.effectivePayload);
  }
}
