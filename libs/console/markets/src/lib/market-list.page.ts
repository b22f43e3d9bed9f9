import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzTableModule, type NzTableQueryParams } from 'ng-zorro-antd/table';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzCardModule } from 'ng-zorro-antd/card';
import { MARKET_STATUSES, type MarketStatus, type MarketView, type OrganisationView } from '@linggong/domain';
import {
  AuthService, CanPipe, MarketsService, OrganisationsService, ProblemService
} from '@linggong/console-core';
import { RegionCascader } from '@linggong/console-ui';
import { MARKET_STATUS_COLORS } from './market-subject';

@Component({
  selector: 'lg-market-list',
  imports: [
    ReactiveFormsModule, RouterLink, TranslocoPipe, CanPipe, RegionCascader, NzTableModule, NzFormModule, NzInputModule,
    NzSelectModule, NzButtonModule, NzIconModule, NzTagModule, NzCardModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './market-list.page.html',
})
export class MarketListPage {
  private readonly markets = inject(MarketsService);
  private readonly problems = inject(ProblemService);
  protected readonly auth = inject(AuthService);
  protected readonly statuses = MARKET_STATUSES;
  protected readonly colors = MARKET_STATUS_COLORS;
  protected readonly rows = signal<MarketView[]>([]);
  protected readonly total = signal(0);
  protected readonly page = signal(1);
  protected readonly pageSize = signal(20);
  protected readonly loading = signal(false);
  protected readonly operators = signal<OrganisationView[]>([]);
  protected readonly filters = inject(NonNullableFormBuilder).group({
    q: '',
    regionCode: this.nullable<string>(),
    status: this.nullable<MarketStatus>(),
    operatorId: this.nullable<string>(),
  });

  constructor() {
    // Only users who see other organisations filter by operator (authorities, platform).
    if (this.auth.canBeyondOwn('read', 'Organisation')) {
      inject(OrganisationsService)
        .list({ kind: 'operator', pageSize: 200 })
        .subscribe({ next: (p) => this.operators.set(p.items), error: () => this.operators.set([]) });
    }
    this.load();
  }

  private nullable<T>() {
    return inject(NonNullableFormBuilder).control<T | null>(null);
  }

  protected search(): void {
    this.page.set(1);
    this.load();
  }

  protected reset(): void {
    this.filters.reset();
    this.search();
  }

  protected onQueryParams(p: NzTableQueryParams): void {
    if (p.pageIndex === this.page() && p.pageSize === this.pageSize()) return;
    this.page.set(p.pageIndex);
    this.pageSize.set(p.pageSize);
    this.load();
  }

  private load(): void {
    this.loading.set(true);
    this.markets.list({ ...this.filters.getRawValue(), page: this.page(), pageSize: this.pageSize() }).subscribe({
      next: (p) => {
        this.rows.set(p.items);
        this.total.set(p.total);
        this.loading.set(false);
      },
      error: (e) => {
        this.loading.set(false);
        this.problems.handle(e);
      },
    });
  }
}
