import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzRadioModule } from 'ng-zorro-antd/radio';
import {
  SERVICE_CHANNELS, SERVICE_KINDS, asSubject, serviceRecordSchema,
  type EmployerView, type MarketView, type WorkerView,
} from '@linggong/domain';
import { AuthService, LangService, MarketsService, ProblemService, ShanghaiTimePipe, compact, fieldError, setFieldError } from '@linggong/console-core';
import { LgCell, LgListPage, formDialog, listState, type ListColumn } from '@linggong/console-ui';
import { AssistanceApi } from './assistance.api';

/**
 * 服务记录 (R-B12, R-B14): vocational guidance, policy consultation, labour-contract guidance, rights
 * guidance and accident-insurance information, each a short record against a worker or an employer.
 */
@Component({
  selector: 'lg-service-records',
  imports: [
    LgListPage, LgCell, FormsModule, ReactiveFormsModule, TranslocoPipe, ShanghaiTimePipe, NzButtonModule, NzIconModule, NzTagModule,
    NzModalModule, NzFormModule, NzInputModule, NzSelectModule, NzRadioModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './services.page.html',
})
export class ServiceRecordsPage {
  private readonly api = inject(AssistanceApi);
  private readonly marketsApi = inject(MarketsService);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly list = listState({
    filters: { kind: null as string | null },
    load: ({ filters, page, pageSize }) => this.api.services({ page, pageSize, kind: filters.kind }),
  });
  protected readonly fieldError = fieldError;
  protected readonly kinds = SERVICE_KINDS;
  protected readonly channels = SERVICE_CHANNELS;
  protected readonly markets = signal<MarketView[]>([]);
  protected readonly createMarkets = computed(() => {
    this.auth.ability();
    return this.markets().filter((m) => this.auth.can('create', asSubject('ServiceRecord', { marketId: m.id, tenantId: m.operatorId, regionCode: m.regionCode })));
  });
  protected readonly canCreate = computed(() => {
    this.auth.ability();
    return this.auth.can('create', 'ServiceRecord');
  });

  protected readonly worker = signal<WorkerView | null>(null);
  protected readonly employers = signal<EmployerView[]>([]);
  protected readonly form = this.fb.group({
    marketId: this.fb.control<string | null>(null), kind: this.fb.control<(typeof SERVICE_KINDS)[number]>('vocational_guidance'),
    party: this.fb.control<'worker' | 'employer'>('worker'), mobile: '', employerId: this.fb.control<string | null>(null),
    channel: this.fb.control<(typeof SERVICE_CHANNELS)[number]>('desk'), summary: '', outcome: '',
  });

  protected readonly dialog = formDialog({
    form: this.form,
    submit: () => {
      const v = this.form.getRawValue();
      const body = compact({
        kind: v.kind, workerId: v.party === 'worker' ? this.worker()?.id : undefined, employerId: v.party === 'employer' ? v.employerId : undefined,
        occurredAt: new Date().toISOString(), channel: v.channel, summary: v.summary, outcome: v.outcome,
      });
      if (!v.marketId) setFieldError(this.form, 'marketId', this.lang.t('employer.marketRequired'));
      const parsed = this.problems.validate(serviceRecordSchema, body, this.form);
      return parsed && v.marketId ? this.api.createService(v.marketId, parsed) : null;
    },
    success: () => this.lang.t('service.saved'),
    saved: () => this.list.reload(),
  });
  protected readonly columns: ListColumn[] = [
    { key: 'occurredAt', title: 'service.occurredAt', className: 'lg-nowrap' },
    { key: 'kind', title: 'service.kindLabel' },
    { key: 'party', title: 'service.party' },
    { key: 'channel', title: 'service.channelLabel', className: 'lg-nowrap' },
    { key: 'summary', title: 'service.summary' },
  ];

  constructor() {
    this.marketsApi.list({ pageSize: 200 }).subscribe({ next: (p) => this.markets.set(p.items), error: (e) => this.problems.handle(e) });
  }

  protected open(): void {
    const only = this.createMarkets().length === 1 ? this.createMarkets()[0].id : null;
    this.worker.set(null);
    this.form.reset({ marketId: only, kind: 'vocational_guidance', party: 'worker', mobile: '', employerId: null, channel: 'desk', summary: '', outcome: '' });
    this.dialog.show();
  }

  protected findWorker(): void {
    const mobile = this.form.getRawValue().mobile.replace(/[\s-]/g, '');
    this.api.findWorker(mobile).subscribe({
      next: (p) => {
        this.worker.set(p.items[0] ?? null);
        if (!p.items[0]) setFieldError(this.form, 'mobile', this.lang.t('assistance.workerNotFound'));
      },
      error: (e) => this.problems.handle(e, this.form),
    });
  }

  protected searchEmployers(q: string): void {
    if (q.trim().length < 1) return;
    this.api.findEmployers(q.trim()).subscribe({ next: (p) => this.employers.set(p.items), error: (e) => this.problems.handle(e) });
  }
}
