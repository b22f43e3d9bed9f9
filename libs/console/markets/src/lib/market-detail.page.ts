import { ChangeDetectionStrategy, Component, computed, inject, input, signal, effect } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule, provideNzIconsPatch } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzSpinModule } from 'ng-zorro-antd/spin';
import { QrcodeOutline } from '@ant-design/icons-angular/icons';
import { asSubject, type MarketView } from '@linggong/domain';
import { AuthService, MarketsService, ProblemService, ShanghaiTimePipe } from '@linggong/console-core';
import { MARKET_STATUS_COLORS, marketSubject } from './market-subject';

@Component({
  selector: 'lg-market-detail',
  imports: [RouterLink, TranslocoPipe, ShanghaiTimePipe, NzDescriptionsModule, NzCardModule, NzButtonModule, NzIconModule, NzTagModule, NzSpinModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './market-detail.page.html',
  // The icon of the gate-QR action (page in libs/console/public) is not in the console's static set.
  providers: [provideNzIconsPatch([QrcodeOutline])],
})
export class MarketDetailPage {
  readonly id = input.required<string>();
  private readonly markets = inject(MarketsService);
  private readonly problems = inject(ProblemService);
  private readonly auth = inject(AuthService);
  protected readonly colors = MARKET_STATUS_COLORS;
  protected readonly market = signal<MarketView | null>(null);
  /** Authority fields vs operator fields: each side edits only its own (R-A3). */
  protected readonly canRegister = computed(() => {
    const m = this.market();
    return !!m && this.auth.can('register', marketSubject(m));
  });
  protected readonly canOperate = computed(() => {
    const m = this.market();
    return !!m && this.auth.can('operate', marketSubject(m));
  });

  protected readonly canReadLedger = computed(() => {
    const m = this.market();
    return !!m && this.auth.can('read', asSubject('Ledger', { marketId: m.id, tenantId: m.operatorId, regionCode: m.regionCode }));
  });
  /** Staff who check workers in at this market open its gate screen (the rotating gate code, issue 12 §4). */
  protected readonly canCheckIn = computed(() => {
    const m = this.market();
    return !!m && this.auth.can('create', asSubject('Placement', { marketId: m.id, tenantId: m.operatorId, regionCode: m.regionCode }));
  });
  protected readonly canReadWorkers = computed(() => {
    const m = this.market();
    return !!m && this.auth.can('read', asSubject('Worker', { marketId: m.id, tenantId: m.operatorId, regionCode: m.regionCode }));
  });

  constructor() {
    effect(() => {
      const id = this.id();
      this.markets.get(id).subscribe({ next: (m) => this.market.set(m), error: (e) => this.problems.handle(e) });
    });
  }
}
