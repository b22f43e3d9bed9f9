import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { FormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzDatePickerModule } from 'ng-zorro-antd/date-picker';
import { NzSpinModule } from 'ng-zorro-antd/spin';
import { NzEmptyModule } from 'ng-zorro-antd/empty';
import type { SealView } from '@linggong/domain';
import { ProblemService, ShanghaiTimePipe } from '@linggong/console-core';
import { RegionCascader } from '@linggong/console-ui';
import { LedgerApi, type LedgerAlert } from './ledger.api';
import { BADGE_COLORS, addDays, dateToDay, dayToDate, shanghaiToday } from './ledger-util';

interface County { regionCode: string; regionName: string | null; rows: SealView[] }

/** The authority's review of daily seals (日结核验) across its region, one table per county. */
@Component({
  selector: 'lg-ledger-seals',
  imports: [
    FormsModule, TranslocoPipe, ShanghaiTimePipe, RegionCascader, NzCardModule, NzButtonModule, NzIconModule, NzTagModule,
    NzTableModule, NzAlertModule, NzDatePickerModule, NzSpinModule, NzEmptyModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './seals.page.html',
  styles: ['.lg-link { padding: 0 2px; height: auto; } tr.lg-seal-row { cursor: pointer; } .lg-seals-filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }'],
})
export class SealsPage {
  private readonly api = inject(LedgerApi);
  private readonly problems = inject(ProblemService);
  private readonly router = inject(Router);
  protected readonly colors = BADGE_COLORS;
  protected readonly regionCode = signal<string | null>(null);
  protected readonly range = signal<Date[]>([dayToDate(addDays(shanghaiToday(), -29)), dayToDate(shanghaiToday())]);
  protected readonly seals = signal<SealView[]>([]);
  protected readonly alerts = signal<LedgerAlert[]>([]);
  protected readonly loading = signal(false);
  protected readonly counties = computed<County[]>(() => {
    const by = new Map<string, County>();
    for (const s of this.seals()) {
      const c = by.get(s.regionCode) ?? { regionCode: s.regionCode, regionName: s.regionName, rows: [] };
      c.rows.push(s);
      by.set(s.regionCode, c);
    }
    return [...by.values()].sort((a, b) => a.regionCode.localeCompare(b.regionCode));
  });

  constructor() {
    this.search();
    this.api.alerts().subscribe({ next: (a) => this.alerts.set(a), error: () => this.alerts.set([]) });
  }

  protected search(): void {
    const from = dateToDay(this.range()[0]);
    const to = dateToDay(this.range()[1]);
    if (!from || !to) return;
    this.loading.set(true);
    this.api.seals({ regionCode: this.regionCode(), from, to }).subscribe({
      next: (rows) => {
        this.seals.set([...rows].sort((a, b) => b.businessDay.localeCompare(a.businessDay) || a.marketName.localeCompare(b.marketName)));
        this.loading.set(false);
      },
      error: (e) => {
        this.loading.set(false);
        this.problems.handle(e);
      },
    });
  }

  protected open(marketId: string, day: string): void {
    void this.router.navigate(['/markets', marketId, 'ledger'], { queryParams: { day } });
  }
}
