import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
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
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { NzMessageService } from 'ng-zorro-antd/message';
import {
  COMPLAINT_CATEGORIES, asSubject, intakeComplaintSchema, type ComplaintSummaryView, type MarketView,
} from '@linggong/domain';
import { AuthService, LangService, MarketsService, ProblemService, ShanghaiTimePipe, compact, fieldError } from '@linggong/console-core';
import { ComplaintsApi } from './complaints.api';
import { DUE_COLOUR } from './complaint-labels';

const PAGE_SIZE = 20;

/** 投诉举报: the handler's list (open first, by due date) and taking a complaint by hotline, on site or from 12345. */
@Component({
  selector: 'lg-complaints',
  imports: [
    FormsModule, ReactiveFormsModule, RouterLink, TranslocoPipe, ShanghaiTimePipe, NzCardModule, NzButtonModule, NzIconModule, NzTagModule,
    NzTableModule, NzModalModule, NzFormModule, NzInputModule, NzSelectModule, NzCheckboxModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './complaints.page.html',
  styles: [
    `.lg-filters-row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
     .lg-muted { color: rgba(0, 0, 0, 0.45); font-size: 12px; }
     .lg-mono { font-family: monospace; }
     .lg-nowrap { white-space: nowrap; }
     .lg-code { font-size: 20px; font-family: monospace; letter-spacing: 2px; }`,
  ],
})
export class ComplaintsPage {
  private readonly api = inject(ComplaintsApi);
  private readonly marketsApi = inject(MarketsService);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly router = inject(Router);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly categories = COMPLAINT_CATEGORIES;
  protected readonly dueColour = DUE_COLOUR;
  protected readonly fieldError = fieldError;
  protected readonly pageSize = PAGE_SIZE;
  protected readonly status = signal<string | null>('open');
  // `?due=overdue&marketId=` (the analytics red flag "complaints overdue" links here).
  private readonly query = inject(ActivatedRoute).snapshot.queryParamMap;
  protected readonly due = signal<string | null>(['overdue', 'soon'].includes(this.query.get('due') ?? '') ? this.query.get('due') : null);
  protected readonly marketId = signal<string | null>(/^[0-9a-f-]{36}$/.test(this.query.get('marketId') ?? '') ? this.query.get('marketId') : null);
  protected readonly category = signal<string | null>(null);
  protected readonly mine = signal(false);
  protected readonly q = signal('');
  protected readonly items = signal<ComplaintSummaryView[]>([]);
  protected readonly total = signal(0);
  protected readonly page = signal(1);
  protected readonly loading = signal(false);
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

  protected readonly dialog = signal(false);
  protected readonly saving = signal(false);
  protected readonly issued = signal<{ reference: string; trackingCode: string; id: string } | null>(null);
  protected readonly form = this.fb.group({
    marketId: this.fb.control<string | null>(null), channel: this.fb.control<'hotline' | 'on_site' | 'gov_12345'>('hotline'), govReference: '',
    category: this.fb.control<string | null>(null), content: '', anonymous: false, name: '', mobile: '', about: '',
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
    this.api.list({ page: this.page(), pageSize: PAGE_SIZE, status: this.status(), due: this.due(), marketId: this.marketId(), category: this.category(), q: this.q().trim() || null, mine: this.mine() ? 'true' : null })
      .subscribe({
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

  protected openIntake(): void {
    const only = this.intakeMarkets().length === 1 ? this.intakeMarkets()[0].id : null;
    this.form.reset({ marketId: only, channel: 'hotline', govReference: '', category: null, content: '', anonymous: false, name: '', mobile: '', about: '' });
    this.dialog.set(true);
  }

  protected submit(): void {
    const v = this.form.getRawValue();
    const body = compact({ ...v, mobile: v.mobile.replace(/[\s-]/g, ''), govReference: v.channel === 'gov_12345' ? v.govReference : '', name: v.anonymous ? '' : v.name });
    const parsed = this.problems.validate(intakeComplaintSchema, { ...body, anonymous: v.anonymous }, this.form);
    if (!parsed) return;
    this.saving.set(true);
    this.api.intake(parsed).subscribe({
      next: (r) => {
        this.saving.set(false);
        this.dialog.set(false);
        this.message.success(this.lang.t('complaint.taken'));
        this.issued.set({ reference: r.complaint.reference, trackingCode: r.trackingCode ?? '', id: r.complaint.id });
        this.load();
      },
      error: (e) => {
        this.saving.set(false);
        this.problems.handle(e, this.form);
      },
    });
  }

  protected openIssued(): void {
    const i = this.issued();
    this.issued.set(null);
    if (i) void this.router.navigate(['/complaints', i.id]);
  }
}
