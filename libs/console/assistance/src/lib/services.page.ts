import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzRadioModule } from 'ng-zorro-antd/radio';
import { NzMessageService } from 'ng-zorro-antd/message';
import {
  SERVICE_CHANNELS, SERVICE_KINDS, asSubject, serviceRecordSchema,
  type EmployerView, type MarketView, type ServiceRecordView, type WorkerView,
} from '@linggong/domain';
import { AuthService, LangService, MarketsService, ProblemService, ShanghaiTimePipe, compact, fieldError, setFieldError } from '@linggong/console-core';
import { AssistanceApi } from './assistance.api';

const PAGE_SIZE = 20;

/**
 * 服务记录 (R-B12, R-B14): vocational guidance, policy consultation, labour-contract guidance, rights
 * guidance and accident-insurance information, each a short record against a worker or an employer.
 */
@Component({
  selector: 'lg-service-records',
  imports: [
    FormsModule, ReactiveFormsModule, TranslocoPipe, ShanghaiTimePipe, NzCardModule, NzButtonModule, NzIconModule, NzTagModule, NzTableModule,
    NzModalModule, NzFormModule, NzInputModule, NzSelectModule, NzRadioModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './services.page.html',
  styles: [
    `.lg-filters-row { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; }
     .lg-muted { color: rgba(0, 0, 0, 0.45); font-size: 12px; }
     .lg-nowrap { white-space: nowrap; }`,
  ],
})
export class ServiceRecordsPage {
  private readonly api = inject(AssistanceApi);
  private readonly marketsApi = inject(MarketsService);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly fieldError = fieldError;
  protected readonly kinds = SERVICE_KINDS;
  protected readonly channels = SERVICE_CHANNELS;
  protected readonly pageSize = PAGE_SIZE;
  protected readonly markets = signal<MarketView[]>([]);
  protected readonly kind = signal<string | null>(null);
  protected readonly items = signal<ServiceRecordView[]>([]);
  protected readonly total = signal(0);
  protected readonly page = signal(1);
  protected readonly loading = signal(false);
  protected readonly createMarkets = computed(() => {
    this.auth.ability();
    return this.markets().filter((m) => this.auth.can('create', asSubject('ServiceRecord', { marketId: m.id, tenantId: m.operatorId, regionCode: m.regionCode })));
  });
  protected readonly canCreate = computed(() => {
    this.auth.ability();
    return this.auth.can('create', 'ServiceRecord');
  });

  protected readonly dialog = signal(false);
  protected readonly saving = signal(false);
  protected readonly worker = signal<WorkerView | null>(null);
  protected readonly employers = signal<EmployerView[]>([]);
  protected readonly form = this.fb.group({
    marketId: this.fb.control<string | null>(null), kind: this.fb.control<(typeof SERVICE_KINDS)[number]>('vocational_guidance'),
    party: this.fb.control<'worker' | 'employer'>('worker'), mobile: '', employerId: this.fb.control<string | null>(null),
    channel: this.fb.control<(typeof SERVICE_CHANNELS)[number]>('desk'), summary: '', outcome: '',
  });

  constructor() {
    this.marketsApi.list({ pageSize: 200 }).subscribe({ next: (p) => this.markets.set(p.items), error: (e) => this.problems.handle(e) });
    this.load();
  }

  protected search(): void {
    this.page.set(1);
    this.load();
  }
  protected onPage(p: number): void {
    this.page.set(p);
    this.load();
  }

  private load(): void {
    this.loading.set(true);
    this.api.services({ page: this.page(), pageSize: PAGE_SIZE, kind: this.kind() }).subscribe({
      next: (p) => {
        this.items.set(p.items);
        this.total.set(p.total);
        this.loading.set(false);
      },
      error: (e) => {
        this.loading.set(false);
        this.problems.handle(e);
      },
    });
  }

  protected open(): void {
    const only = this.createMarkets().length === 1 ? this.createMarkets()[0].id : null;
    this.worker.set(null);
    this.form.reset({ marketId: only, kind: 'vocational_guidance', party: 'worker', mobile: '', employerId: null, channel: 'desk', summary: '', outcome: '' });
    this.dialog.set(true);
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

  protected submit(): void {
    const v = this.form.getRawValue();
    const body = compact({
      kind: v.kind, workerId: v.party === 'worker' ? this.worker()?.id : undefined, employerId: v.party === 'employer' ? v.employerId : undefined,
      occurredAt: new Date().toISOString(), channel: v.channel, summary: v.summary, outcome: v.outcome,
    });
    if (!v.marketId) setFieldError(this.form, 'marketId', this.lang.t('employer.marketRequired'));
    const parsed = this.problems.validate(serviceRecordSchema, body, this.form);
    if (!parsed || !v.marketId) return;
    this.saving.set(true);
    this.api.createService(v.marketId, parsed).subscribe({
      next: () => {
        this.saving.set(false);
        this.dialog.set(false);
        this.message.success(this.lang.t('service.saved'));
        this.load();
      },
      error: (err) => {
        this.saving.set(false);
        this.problems.handle(err, this.form);
      },
    });
  }
}
