import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import {
  COMPLAINT_CATEGORIES, asSubject, intakeComplaintSchema, type MarketView,
} from '@linggong/domain';
import { AuthService, LangService, MarketsService, ProblemService, ShanghaiTimePipe, compact, fieldError } from '@linggong/console-core';
import { LgCell, LgListPage, formDialog, listState, type ListColumn } from '@linggong/console-ui';
import { ComplaintsApi } from './complaints.api';
import { DUE_COLOUR } from './complaint-labels';

/** 投诉举报: the handler's list (open first, by due date) and taking a complaint by hotline, on site or from 12345. */
@Component({
  selector: 'lg-complaints',
  imports: [
    LgListPage, LgCell, FormsModule, ReactiveFormsModule, RouterLink, TranslocoPipe, ShanghaiTimePipe, NzButtonModule, NzIconModule, NzTagModule,
    NzModalModule, NzFormModule, NzInputModule, NzSelectModule, NzCheckboxModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './complaints.page.html',
  styles: [
    `.lg-code { font-size: 20px; font-family: monospace; letter-spacing: 2px; }`,
  ],
})
export class ComplaintsPage {
  private readonly api = inject(ComplaintsApi);
  private readonly marketsApi = inject(MarketsService);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly lang = inject(LangService);
  private readonly router = inject(Router);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly list = listState({
    // `?due=overdue&marketId=` is also the target of the analytics red flag "complaints overdue".
    filters: { status: 'open' as string | null, due: null as string | null, marketId: null as string | null, category: null as string | null, q: '', mine: false },
    load: ({ filters: f, page, pageSize }) => this.api.list({ page, pageSize, status: f.status, due: f.due, marketId: f.marketId, category: f.category, q: f.q.trim() || null, mine: f.mine ? 'true' : null }),
  });
  protected readonly categories = COMPLAINT_CATEGORIES;
  protected readonly dueColour = DUE_COLOUR;
  protected readonly fieldError = fieldError;
  protected readonly markets = signal<MarketView[]>([]);
  protected readonly intakeMarkets = computed(() => {
    this.auth.ability();
    return this.markets().filter((m) => this.auth.can('create', asSubject('Complaint', { marketId: m.id, tenantId: m.operatorId, regionCode: m.regionCode })));
  });
  protected readonly canIntake = computed(() => {
    this.auth.ability();
    return this.auth.can('create', 'Complaint');
  });
  protected readonly canBoard = computed(() => {
    this.auth.ability();
    return this.auth.can('read', 'Complaint');
  });

  protected readonly issued = signal<{ reference: string; trackingCode: string; id: string } | null>(null);
  protected readonly form = this.fb.group({
    marketId: this.fb.control<string | null>(null), channel: this.fb.control<'hotline' | 'on_site' | 'gov_12345'>('hotline'), govReference: '',
    category: this.fb.control<string | null>(null), content: '', anonymous: false, name: '', mobile: '', about: '',
    employerId: this.fb.control<string | null>(null),
  });
  protected readonly employers = this.api.employerPicker((e) => this.problems.handle(e));

  protected readonly dialog = formDialog({
    form: this.form,
    submit: () => {
      const v = this.form.getRawValue();
      const body = compact({ ...v, employerId: v.employerId ?? '', mobile: v.mobile.replace(/[\s-]/g, ''), govReference: v.channel === 'gov_12345' ? v.govReference : '', name: v.anonymous ? '' : v.name });
      const parsed = this.problems.validate(intakeComplaintSchema, { ...body, anonymous: v.anonymous }, this.form);
      return parsed ? this.api.intake(parsed) : null;
    },
    success: () => this.lang.t('complaint.taken'),
    saved: (r) => {
      this.issued.set({ reference: r.complaint.reference, trackingCode: r.trackingCode ?? '', id: r.complaint.id });
      this.list.reload();
    },
  });
  protected readonly columns: ListColumn[] = [
    { key: 'reference', title: 'complaint.reference', className: 'lg-mono lg-nowrap' },
    { key: 'category', title: 'complaint.category', className: 'lg-nowrap' },
    { key: 'content', title: 'complaint.content' },
    { key: 'channel', title: 'complaint.channel', className: 'lg-nowrap' },
    { key: 'owner', title: 'complaint.owner', className: 'lg-nowrap' },
    { key: 'receivedAt', title: 'complaint.receivedAt', className: 'lg-nowrap' },
    { key: 'resolveDue', title: 'complaint.resolveDue', className: 'lg-nowrap' },
    { key: 'status', title: 'common.status', className: 'lg-nowrap' },
  ];

  constructor() {
    this.marketsApi.list({ pageSize: 200 }).subscribe({ next: (p) => this.markets.set(p.items), error: (e) => this.problems.handle(e) });
  }

  protected openIntake(): void {
    const only = this.intakeMarkets().length === 1 ? this.intakeMarkets()[0].id : null;
    this.form.reset({ marketId: only, channel: 'hotline', govReference: '', category: null, content: '', anonymous: false, name: '', mobile: '', about: '', employerId: null });
    this.dialog.show();
  }

  protected openIssued(): void {
    const i = this.issued();
    this.issued.set(null);
    if (i) void this.router.navigate(['/complaints', i.id]);
  }
}
