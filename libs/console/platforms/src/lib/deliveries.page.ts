import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { DELIVERY_STATUSES, WEBHOOK_EVENTS, type PlatformView } from '@linggong/domain';
import { ProblemService, ShanghaiTimePipe } from '@linggong/console-core';
import { LgCell, LgListPage, listState, type ListColumn } from '@linggong/console-ui';
import { PlatformsApi } from './platforms.api';

/** A platform's webhook delivery log (issue 18 §4): each event, its attempts, the last answer, delivered or failed. */
@Component({
  selector: 'lg-platform-deliveries',
  imports: [LgListPage, LgCell, FormsModule, RouterLink, TranslocoPipe, ShanghaiTimePipe, NzButtonModule, NzTagModule, NzSelectModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './deliveries.page.html',
})
export class DeliveriesPage {
  private readonly api = inject(PlatformsApi);
  private readonly problems = inject(ProblemService);
  protected readonly id = inject(ActivatedRoute).snapshot.paramMap.get('id') ?? '';
  protected readonly platform = signal<PlatformView | null>(null);
  protected readonly statuses = DELIVERY_STATUSES;
  protected readonly events = WEBHOOK_EVENTS;
  protected readonly list = listState({
    filters: { status: null as string | null, event: null as string | null },
    load: ({ filters, page, pageSize }) => this.api.deliveries(this.id, { page, pageSize, status: filters.status, event: filters.event }),
  });
  protected readonly columns: ListColumn[] = [
    { key: 'event', title: 'platform.event', className: 'lg-nowrap' },
    { key: 'eventKey', title: 'platform.eventKey', width: '220px', className: 'lg-break' },
    { key: 'status', title: 'platform.deliveryStatus', className: 'lg-nowrap', testId: 'delivery-status' },
    { key: 'attempts', title: 'platform.attempts', className: 'lg-nowrap' },
    { key: 'last', title: 'platform.lastAnswer', width: '180px' },
    { key: 'createdAt', title: 'platform.createdAt', className: 'lg-nowrap' },
    { key: 'id', title: 'platform.deliveryId', width: '160px', className: 'lg-break' },
  ];

  constructor() {
    this.api.get(this.id).subscribe({ next: (p) => this.platform.set(p), error: (e) => this.problems.handle(e) });
  }
}
