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
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzMessageService } from 'ng-zorro-antd/message';
import {
  asSubject, createEmployerSchema, verifyEmployerSchema, wageReferralSchema,
  type EmployerFlagView, type EmployerView, type MarketView,
} from '@linggong/domain';
import { AuthService, LangService, MarketsService, ProblemService, ShanghaiTimePipe, YuanPipe, compact, fieldError, setFieldError } from '@linggong/console-core';
import { EmployersApi } from './employers.api';

const PAGE_SIZE = 20;
type Dialog = 'create' | 'verify' | 'refer' | null;

/** Employers (用工主体, R-B6): register, verify with evidence, see and add wage-arrears flags (R-B8). */
@Component({
  selector: 'lg-employers',
  imports: [
    FormsModule, ReactiveFormsModule, TranslocoPipe, ShanghaiTimePipe, YuanPipe, NzCardModule, NzButtonModule, NzIconModule, NzTagModule, NzTableModule,
    NzModalModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './employers.page.html',
  styles: [
    `.lg-filters-row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
     .lg-muted { color: rgba(0, 0, 0, 0.45); font-size: 12px; }
     .lg-mono { font-family: monospace; }
     .lg-nowrap { white-space: nowrap; }
     .lg-flag { margin: 4px 0; }`,
  ],
})
export class EmployersPage {
  private readonly api = inject(EmployersApi);
  private readonly marketsApi = inject(MarketsService);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly fieldError = fieldError;
  protected readonly pageSize = PAGE_SIZE;
  protected readonly q = signal('');
  protected readonly status = signal<string | null>(null);
  protected readonly items = signal<EmployerView[]>([]);
  protected readonly total = signal(0);
  protected readonly page = signal(1);
  protected readonly loading = signal(false);
  protected readonly markets = signal<MarketView[]>([]);
  protected readonly createMarkets = computed(() => {
    this.auth.ability();
    return this.markets().filter((m) => this.auth.can('create', asSubject('Employer', { marketId: m.id, tenantId: m.operatorId, regionCode: m.regionCode })));
  });
  protected readonly canCreate = computed(() => {
    this.auth.ability();
    return this.auth.can('create', 'Employer');
  });
  protected readonly expanded = signal<Record<string, EmployerFlagView[] | 'loading'>>({});

  protected readonly dialog = signal<Dialog>(null);
  protected readonly current = signal<EmployerView | null>(null);
  protected readonly saving = signal(false);
  protected readonly createForm = this.fb.group({
    marketId: this.fb.control<string | null>(null), kind: this.fb.control<'company' | 'individual'>('company'), name: '', creditCode: '',
    contactName: '', contactPhone: '', address: '',
  });
  protected readonly verifyForm = this.fb.group({ decision: this.fb.control<'verified' | 'rejected'>('verified'), evidence: '' });
  protected readonly referForm = this.fb.group({
    referredTo: '', amountOwedFen: this.fb.control<number | null>(null), workersAffected: this.fb.control<number | null>(1), description: '',
  });

  constructor() {
    this.marketsApi.list({ pageSize: 200 }).subscribe({ next: (p) => this.markets.set(p.items), error: (e) => this.problems.handle(e) });
    this.load();
  }

  protected can(action: 'update', e: EmployerView): boolean {
    this.auth.ability();
    return this.auth.can(action, asSubject('Employer', { id: e.id, tenantId: e.tenantId, marketId: e.marketId }));
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
    this.api.list({ page: this.page(), pageSize: PAGE_SIZE, q: this.q().trim(), status: this.status() }).subscribe({
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

  protected toggleFlags(e: EmployerView, open: boolean): void {
    if (!open) {
      this.expanded.update((x) => {
        const { [e.id]: closed, ...rest } = x;
        return rest;
      });
      return;
    }
    this.expanded.update((x) => ({ ...x, [e.id]: 'loading' }));
    this.api.flags(e.id).subscribe({
      next: (f) => this.expanded.update((x) => ({ ...x, [e.id]: f })),
      error: (err) => this.problems.handle(err),
    });
  }

  protected flagsOf(e: EmployerView): EmployerFlagView[] {
    const f = this.expanded()[e.id];
    return Array.isArray(f) ? f : [];
  }

  protected open(kind: Dialog, e: EmployerView | null = null): void {
    this.current.set(e);
    if (kind === 'create') {
      const only = this.createMarkets().length === 1 ? this.createMarkets()[0].id : null;
      this.createForm.reset({ marketId: only, kind: 'company', name: '', creditCode: '', contactName: '', contactPhone: '', address: '' });
    }
    if (kind === 'verify') this.verifyForm.reset({ decision: 'verified', evidence: '' });
    if (kind === 'refer') this.referForm.reset({ referredTo: '', amountOwedFen: null, workersAffected: 1, description: '' });
    this.dialog.set(kind);
  }

  protected submitCreate(): void {
    const v = this.createForm.getRawValue();
    const body = compact({ kind: v.kind, name: v.name, creditCode: v.kind === 'company' ? v.creditCode.trim() : '', contactName: v.contactName,
      contactPhone: v.contactPhone.replace(/[\s-]/g, ''), address: v.address });
    if (!v.marketId) setFieldError(this.createForm, 'marketId', this.lang.t('employer.marketRequired'));
    const parsed = this.problems.validate(createEmployerSchema, body, this.createForm);
    if (!parsed || !v.marketId) return;
    this.run(this.api.create(v.marketId, parsed), 'employer.saved', this.createForm);
  }

  protected submitVerify(): void {
    const e = this.current();
    const parsed = this.problems.validate(verifyEmployerSchema, this.verifyForm.getRawValue(), this.verifyForm);
    if (!e || !parsed) return;
    this.run(this.api.verify(e.id, parsed), 'employer.verified', this.verifyForm);
  }

  protected submitRefer(): void {
    const e = this.current();
    const v = this.referForm.getRawValue();
    const body = { referredTo: v.referredTo, amountOwedFen: v.amountOwedFen == null ? undefined : Math.round(v.amountOwedFen * 100), workersAffected: v.workersAffected ?? undefined,
      description: v.description, referredAt: new Date().toISOString() };
    const parsed = this.problems.validate(wageReferralSchema, body, this.referForm);
    if (!e || !parsed) return;
    this.run(this.api.refer(e.id, parsed), 'employer.referred', this.referForm);
  }

  private run(req: import('rxjs').Observable<unknown>, done: string, form: import('@angular/forms').FormGroup): void {
    this.saving.set(true);
    req.subscribe({
      next: () => {
        this.saving.set(false);
        this.dialog.set(null);
        this.message.success(this.lang.t(done));
        this.load();
      },
      error: (err) => {
        this.saving.set(false);
        this.problems.handle(err, form);
      },
    });
  }
}
