import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { MARKET_STATUSES, type MarketStatus, type OrganisationView } from '@linggong/domain';
import { AuthService, CanPipe, MarketsService, OrganisationsService } from '@linggong/console-core';
import { LgCell, LgListPage, RegionCascader, listState, type ListColumn } from '@linggong/console-ui';
import { MARKET_STATUS_COLORS } from './market-subject';

@Component({
  selector: 'lg-market-list',
  imports: [
    FormsModule, RouterLink, TranslocoPipe, CanPipe, RegionCascader, LgListPage, LgCell, NzInputModule, NzSelectModule, NzButtonModule,
    NzIconModule, NzTagModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './market-list.page.html',
})
export class MarketListPage {
  private readonly markets = inject(MarketsService);
  protected readonly auth = inject(AuthService);
  protected readonly statuses = MARKET_STATUSES;
  protected readonly colors = MARKET_STATUS_COLORS;
  protected readonly operators = signal<OrganisationView[]>([]);
  protected readonly list = listState({
    filters: { q: '', regionCode: null as string | null, status: null as MarketStatus | null, operatorId: null as string | null },
    load: (query) => this.markets.list({ ...query.filters, page: query.page, pageSize: query.pageSize }),
  });
  protected readonly columns: ListColumn[] = [
    { key: 'name', title: 'market.name' },
    { key: 'type', title: 'market.type' },
    { key: 'region', title: 'market.region' },
    { key: 'operator', title: 'market.operator' },
    { key: 'mode', title: 'market.mode' },
    { key: 'status', title: 'common.status' },
    { key: 'actions', title: 'common.actions' },
  ];

  constructor() {
    // Only users who see other organisations filter by operator (authorities, platform).
    if (this.auth.canBeyondOwn('read', 'Organisation')) {
      inject(OrganisationsService)
        .list({ kind: 'operator', pageSize: 200 })
        .subscribe({ next: (p) => this.operators.set(p.items), error: () => this.operators.set([]) });
    }
  }
}
