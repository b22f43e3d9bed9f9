import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import {
  INDUSTRY_SECTIONS, asSubject, createEmployerSchema, verifyEmployerSchema, wageReferralSchema,
  type EmployerFlagView, type EmployerView, type MarketView,
} from '@linggong/domain';
import { AuthService, LangService, MarketsService, ProblemService, ShanghaiTimePipe, YuanPipe, compact, fieldError, setFieldError } from '@linggong/console-core';
import { LgCell, LgListPage, formDialog, listState, type ListColumn } from '@linggong/console-ui';
import { EmployersApi } from './employers.api';


/** Employers (用工主体, R-B6): register, verify with evidence, see and add wage-arrears flags (R-B8). */
@Component({
  selector: 'lg-employers',
  imports: [
    FormsModule, ReactiveFormsModule, TranslocoPipe, ShanghaiTimePipe, YuanPipe, LgListPage, LgCell, NzButtonModule, NzIconModule, NzTagModule,
    NzModalModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './employers.page.html',
  styles: [
    `.lg-flag { margin: 4px 0; }`,
  ],
})
export class EmployersPage {
  private readonly api = inject(EmployersApi);
  private readonly marketsApi = inject(MarketsService);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  protected readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly fieldError = fieldError;
  protected readonly list = listState({
    filters: { q: '', status: null as string | null },
    load: ({ filters, page, pageSize }) => this.api.list({ page, pageSize, q: filters.q.trim(), status: filters.status }),
  });
  protected readonly columns: ListColumn[] = [
    { key: 'flags', title: '', expand: true, width: '40px' },
    { key: 'name', title: 'employer.name' },
    { key: 'kind', title: 'employer.kind', className: 'lg-nowrap' },
    { key: 'creditCode', title: 'employer.creditCode', className: 'lg-mono' },
    { key: 'contact', title: 'employer.contact' },
    { key: 'status', title: 'employer.statusLabel' },
    { key: 'createdAt', title: 'employer.createdAt' },
    { key: 'actions', title: 'common.actions' },
  ];
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

  /** GB/T 4754—2017 sections A–T for the employer's industry (issue 14: demand by industry). */
  protected readonly industries = INDUSTRY_SECTIONS;
  protected readonly current = signal<EmployerView | null>(null);
  protected readonly createForm = this.fb.group({
    marketId: this.fb.control<string | null>(null), kind: this.fb.control<'company' | 'individual'>('company'), name: '', creditCode: '',
    contactName: '', contactPhone: '', address: '', industry: this.fb.control<string | null>(null),
  });
  protected readonly verifyForm = this.fb.group({ decision: this.fb.control<'verified' | 'rejected'>('verified'), evidence: '' });
  protected readonly referForm = this.fb.group({
    referredTo: '', amountOwedFen: this.fb.control<number | null>(null), workersAffected: this.fb.control<number | null>(1), description: '',
  });

  protected readonly createDialog = formDialog({
    form: this.createForm,
    submit: () => {
      const v = this.createForm.getRawValue();
      const body = compact({ kind: v.kind, name: v.name, creditCode: v.kind === 'company' ? v.creditCode.trim() : '', contactName: v.contactName,
        contactPhone: v.contactPhone.replace(/[\s-]/g, ''), address: v.address, industry: v.industry ?? undefined });
      if (!v.marketId) setFieldError(this.createForm, 'marketId', this.lang.t('employer.marketRequired'));
      const parsed = this.problems.validate(createEmployerSchema, body, this.createForm);
      return parsed && v.marketId ? this.api.create(v.marketId, parsed) : null;
    },
    success: () => this.lang.t('employer.saved'),
    saved: () => this.list.reload(),
  });
  protected readonly verifyDialog = formDialog({
    form: this.verifyForm,
    submit: () => {
      const e = this.current();
      const parsed = this.problems.validate(verifyEmployerSchema, this.verifyForm.getRawValue(), this.verifyForm);
      return e && parsed ? this.api.verify(e.id, parsed) : null;
    },
    success: () => this.lang.t('employer.verified'),
    saved: () => this.list.reload(),
  });
  protected readonly referDialog = formDialog({
    form: this.referForm,
    submit: () => {
      const e = this.current();
      const v = this.referForm.getRawValue();
      const body = { referredTo: v.referredTo, amountOwedFen: v.amountOwedFen == null ? undefined : Math.round(v.amountOwedFen * 100), workersAffected: v.workersAffected ?? undefined,
        description: v.description, referredAt: new Date().toISOString() };
      const parsed = this.problems.validate(wageReferralSchema, body, this.referForm);
      return e && parsed ? this.api.refer(e.id, parsed) : null;
    },
    success: () => this.lang.t('employer.referred'),
    saved: () => this.list.reload(),
  });

  constructor() {
    this.marketsApi.list({ pageSize: 200 }).subscribe({ next: (p) => this.markets.set(p.items), error: (e) => this.problems.handle(e) });
  }

  protected can(action: 'update', e: EmployerView): boolean {
    this.auth.ability();
    return this.auth.can(action, asSubject('Employer', { id: e.id, tenantId: e.tenantId, marketId: e.marketId }));
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

  protected openCreate(): void {
    const only = this.createMarkets().length === 1 ? this.createMarkets()[0].id : null;
    this.createDialog.show({ marketId: only, kind: 'company', name: '', creditCode: '', contactName: '', contactPhone: '', address: '', industry: null });
  }

  protected openVerify(e: EmployerView): void {
    this.current.set(e);
    this.verifyDialog.show({ decision: 'verified', evidence: '' });
  }

  protected openRefer(e: EmployerView): void {
    this.current.set(e);
    this.referDialog.show({ referredTo: '', amountOwedFen: null, workersAffected: 1, description: '' });
  }
}
