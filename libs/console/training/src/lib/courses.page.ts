import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
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
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { NzMessageService } from 'ng-zorro-antd/message';
import {
  OCCUPATION_NAMES, asSubject, createCourseSchema, trainingDemandSchema,
  type CourseView, type DemandSummaryRow, type MarketView, type WorkerView,
} from '@linggong/domain';
import { AuthService, LangService, MarketsService, ProblemService, ShanghaiTimePipe, YuanPipe, fieldError, setFieldError } from '@linggong/console-core';
import { TrainingApi } from './training.api';

const PAGE_SIZE = 20;

/** 技能培训 (R-B10): the demand summary (which occupations lack a course), the course catalogue, demand and course forms. */
@Component({
  selector: 'lg-training-courses',
  imports: [
    FormsModule, ReactiveFormsModule, RouterLink, TranslocoPipe, ShanghaiTimePipe, YuanPipe, NzCardModule, NzButtonModule, NzIconModule, NzTagModule,
    NzTableModule, NzModalModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzCheckboxModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './courses.page.html',
  styles: [
    `.lg-filters-row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
     .lg-muted { color: rgba(0, 0, 0, 0.45); font-size: 12px; }
     .lg-nowrap { white-space: nowrap; }
     .lg-actions { display: flex; gap: 8px; align-items: center; }
     .lg-summary { display: flex; flex-wrap: wrap; gap: 8px; }`,
  ],
})
export class CoursesPage {
  private readonly api = inject(TrainingApi);
  private readonly marketsApi = inject(MarketsService);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly fieldError = fieldError;
  protected readonly occupations = OCCUPATION_NAMES;
  protected readonly pageSize = PAGE_SIZE;
  protected readonly items = signal<CourseView[]>([]);
  protected readonly total = signal(0);
  protected readonly page = signal(1);
  protected readonly loading = signal(false);
  protected readonly q = signal('');
  protected readonly marketId = signal<string | null>(null);
  protected readonly summary = signal<DemandSummaryRow[]>([]);
  protected readonly markets = signal<MarketView[]>([]);
  protected readonly writableMarkets = computed(() => {
    this.auth.ability();
    return this.markets().filter((m) => this.auth.can('create', asSubject('Training', { marketId: m.id, tenantId: m.operatorId, regionCode: m.regionCode })));
  });
  protected readonly canCreate = computed(() => this.writableMarkets().length > 0);
  protected readonly ledgerUrl = computed(() => this.api.ledgerUrl({ marketId: this.marketId() }));

  protected readonly dialog = signal<'course' | 'demand' | null>(null);
  protected readonly saving = signal(false);
  protected readonly workers = signal<WorkerView[]>([]);
  protected readonly courseForm = this.fb.group({
    marketId: this.fb.control<string | null>(null), title: '', occupation: this.fb.control<string | null>(null), skill: '',
    hours: this.fb.control<number | null>(null), mode: this.fb.control<'classroom' | 'online'>('classroom'), free: true,
    feeFen: this.fb.control<number | null>(null), provider: '', completionPercent: this.fb.control<number | null>(80), description: '',
  });
  protected readonly demandForm = this.fb.group({
    marketId: this.fb.control<string | null>(null), workerId: this.fb.control<string | null>(null), occupation: this.fb.control<string | null>(null), skill: '', note: '',
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
    this.api.courses({ page: this.page(), pageSize: PAGE_SIZE, q: this.q().trim(), marketId: this.marketId() }).subscribe({
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
    this.api.demandSummary(this.marketId()).subscribe({ next: (s) => this.summary.set(s), error: (e) => this.problems.handle(e) });
  }

  protected open(kind: 'course' | 'demand'): void {
    const only = this.writableMarkets().length === 1 ? this.writableMarkets()[0].id : null;
    if (kind === 'course') {
      this.courseForm.reset({ marketId: only, title: '', occupation: null, skill: '', hours: null, mode: 'classroom', free: true, feeFen: null, provider: '', completionPercent: 80, description: '' });
    } else {
      this.demandForm.reset({ marketId: only, workerId: null, occupation: null, skill: '', note: '' });
      this.workers.set([]);
    }
    this.dialog.set(kind);
  }

  protected findWorkers(q: string): void {
    if (q.trim().length < 1) return;
    this.api.findWorkers(q.trim()).subscribe({ next: (p) => this.workers.set(p.items), error: (e) => this.problems.handle(e) });
  }

  protected submitCourse(): void {
    const v = this.courseForm.getRawValue();
    const body = {
      title: v.title, occupation: v.occupation ?? undefined, skill: v.skill, hours: v.hours ?? undefined, mode: v.mode, free: v.free,
      feeFen: v.free ? 0 : v.feeFen == null ? 0 : Math.round(v.feeFen * 100), provider: v.provider, completionPercent: v.completionPercent ?? undefined,
      description: v.description,
    };
    if (!v.marketId) setFieldError(this.courseForm, 'marketId', this.lang.t('training.marketRequired'));
    const parsed = this.problems.validate(createCourseSchema, body, this.courseForm);
    if (!parsed || !v.marketId) return;
    this.run(this.api.createCourse(v.marketId, parsed), 'training.courseSaved', this.courseForm);
  }

  protected submitDemand(): void {
    const v = this.demandForm.getRawValue();
    if (!v.marketId) setFieldError(this.demandForm, 'marketId', this.lang.t('training.marketRequired'));
    const parsed = this.problems.validate(trainingDemandSchema, { workerId: v.workerId ?? undefined, occupation: v.occupation ?? undefined, skill: v.skill, note: v.note }, this.demandForm);
    if (!parsed || !v.marketId) return;
    this.run(this.api.createDemand(v.marketId, parsed), 'training.demandSaved', this.demandForm);
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
