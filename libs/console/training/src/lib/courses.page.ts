import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import {
  OCCUPATION_NAMES, asSubject, createCourseSchema, trainingDemandSchema,
  type DemandSummaryRow, type MarketView, type WorkerView,
} from '@linggong/domain';
import { AuthService, LangService, MarketsService, ProblemService, ShanghaiTimePipe, YuanPipe, fieldError, setFieldError } from '@linggong/console-core';
import { LgCell, LgListPage, formDialog, listState, type ListColumn } from '@linggong/console-ui';
import { TrainingApi } from './training.api';

/** 技能培训 (R-B10): the demand summary (which occupations lack a course), the course catalogue, demand and course forms. */
@Component({
  selector: 'lg-training-courses',
  imports: [
    LgListPage, LgCell, NzCardModule, FormsModule, ReactiveFormsModule, RouterLink, TranslocoPipe, ShanghaiTimePipe, YuanPipe, NzButtonModule, NzIconModule, NzTagModule,
    NzModalModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzCheckboxModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './courses.page.html',
  styles: [
    `.lg-summary { display: flex; flex-wrap: wrap; gap: 8px; }`,
  ],
})
export class CoursesPage {
  private readonly api = inject(TrainingApi);
  private readonly marketsApi = inject(MarketsService);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly list = listState({
    filters: { q: '', marketId: null as string | null },
    load: ({ filters, page, pageSize }) => {
      this.api.demandSummary(filters.marketId).subscribe({ next: (s) => this.summary.set(s), error: (e) => this.problems.handle(e) });
      return this.api.courses({ page, pageSize, q: filters.q.trim(), marketId: filters.marketId });
    },
  });
  protected readonly fieldError = fieldError;
  protected readonly occupations = OCCUPATION_NAMES;
  protected readonly summary = signal<DemandSummaryRow[]>([]);
  protected readonly markets = signal<MarketView[]>([]);
  protected readonly writableMarkets = computed(() => {
    this.auth.ability();
    return this.markets().filter((m) => this.auth.can('create', asSubject('Training', { marketId: m.id, tenantId: m.operatorId, regionCode: m.regionCode })));
  });
  protected readonly canCreate = computed(() => this.writableMarkets().length > 0);
  protected readonly ledgerUrl = computed(() => this.api.ledgerUrl({ marketId: this.list.filters().marketId }));

  protected readonly workers = signal<WorkerView[]>([]);
  protected readonly courseForm = this.fb.group({
    marketId: this.fb.control<string | null>(null), title: '', occupation: this.fb.control<string | null>(null), skill: '',
    hours: this.fb.control<number | null>(null), mode: this.fb.control<'classroom' | 'online'>('classroom'), free: true,
    feeFen: this.fb.control<number | null>(null), provider: '', completionPercent: this.fb.control<number | null>(80), description: '',
  });
  protected readonly demandForm = this.fb.group({
    marketId: this.fb.control<string | null>(null), workerId: this.fb.control<string | null>(null), occupation: this.fb.control<string | null>(null), skill: '', note: '',
  });

  protected readonly courseDialog = formDialog({
    form: this.courseForm,
    submit: () => {
      const v = this.courseForm.getRawValue();
      const body = {
        title: v.title, occupation: v.occupation ?? undefined, skill: v.skill, hours: v.hours ?? undefined, mode: v.mode, free: v.free,
        feeFen: v.free ? 0 : v.feeFen == null ? 0 : Math.round(v.feeFen * 100), provider: v.provider, completionPercent: v.completionPercent ?? undefined,
        description: v.description,
      };
      if (!v.marketId) setFieldError(this.courseForm, 'marketId', this.lang.t('training.marketRequired'));
      const parsed = this.problems.validate(createCourseSchema, body, this.courseForm);
      return parsed && v.marketId ? this.api.createCourse(v.marketId, parsed) : null;
    },
    success: () => this.lang.t('training.courseSaved'),
    saved: () => this.list.reload(),
  });
  protected readonly demandDialog = formDialog({
    form: this.demandForm,
    submit: () => {
      const v = this.demandForm.getRawValue();
      if (!v.marketId) setFieldError(this.demandForm, 'marketId', this.lang.t('training.marketRequired'));
      const parsed = this.problems.validate(trainingDemandSchema, { workerId: v.workerId ?? undefined, occupation: v.occupation ?? undefined, skill: v.skill, note: v.note }, this.demandForm);
      return parsed && v.marketId ? this.api.createDemand(v.marketId, parsed) : null;
    },
    success: () => this.lang.t('training.demandSaved'),
    saved: () => this.list.reload(),
  });
  protected readonly columns: ListColumn[] = [
    { key: 'course', title: 'training.course' },
    { key: 'occupation', title: 'training.occupation', className: 'lg-nowrap' },
    { key: 'mode', title: 'training.mode', className: 'lg-nowrap' },
    { key: 'hours', title: 'training.hours', className: 'lg-nowrap' },
    { key: 'sessions', title: 'training.sessions', className: 'lg-nowrap' },
    { key: 'enrolled', title: 'training.enrolled', className: 'lg-nowrap' },
    { key: 'marketName', title: 'training.market' },
    { key: 'createdAt', title: 'training.createdAt' },
  ];

  constructor() {
    this.marketsApi.list({ pageSize: 200 }).subscribe({ next: (p) => this.markets.set(p.items), error: (e) => this.problems.handle(e) });
  }

  protected open(kind: 'course' | 'demand'): void {
    const only = this.writableMarkets().length === 1 ? this.writableMarkets()[0].id : null;
    if (kind === 'course') {
      this.courseForm.reset({ marketId: only, title: '', occupation: null, skill: '', hours: null, mode: 'classroom', free: true, feeFen: null, provider: '', completionPercent: 80, description: '' });
    } else {
      this.demandForm.reset({ marketId: only, workerId: null, occupation: null, skill: '', note: '' });
      this.workers.set([]);
    }
    (kind === 'course' ? this.courseDialog : this.demandDialog).show();
  }

  protected findWorkers(q: string): void {
    if (q.trim().length < 1) return;
    this.api.findWorkers(q.trim()).subscribe({ next: (p) => this.workers.set(p.items), error: (e) => this.problems.handle(e) });
  }
}
