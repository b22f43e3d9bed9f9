import { ChangeDetectionStrategy, Component, computed, effect, inject, input, model, output, signal, untracked } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzDatePickerModule } from 'ng-zorro-antd/date-picker';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzMessageService } from 'ng-zorro-antd/message';
import {
  POST_PERIODS, WAGE_UNITS, createPostSchema, type EmployerView, type MarketView, type PostView, type ProhibitedWorkView,
} from '@linggong/domain';
import { LangService, ProblemService, fieldError, setFieldError } from '@linggong/console-core';
import { JobsApi } from '../jobs.api';
import { OccupationPipe, dateToShanghaiIso, occupationChoices, shanghaiNowAsLocal, yuanToFen } from '../jobs-util';

/** 发布岗位: a job post taken at the desk (or by phone), submitted for review (R-B4, R-B6, R-B7). */
@Component({
  selector: 'lg-post-form',
  imports: [
    ReactiveFormsModule, TranslocoPipe, OccupationPipe, NzModalModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule,
    NzDatePickerModule, NzButtonModule, NzTagModule, NzAlertModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './post-form.html',
  styles: [
    `.lg-post-form { font-size: 15px; }
     .lg-post-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0 16px; }
     .lg-post-grid .lg-wide { grid-column: 1 / -1; }
     .lg-post-pair { display: flex; gap: 8px; }
     .lg-post-pair nz-input-number { flex: 1; }
     .lg-post-pair nz-select { width: 120px; }
     .lg-option-sub { display: block; color: rgba(0, 0, 0, 0.45); font-size: 12px; white-space: normal; }
     .lg-hazard-src { color: rgba(0, 0, 0, 0.55); font-size: 12px; margin-top: 4px; }`,
  ],
})
export class PostForm {
  private readonly api = inject(JobsApi);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  protected readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);

  readonly open = model(false);
  /** Markets where the user may submit posts. */
  readonly markets = input<MarketView[]>([]);
  readonly defaultMarket = input<string | null>(null);
  readonly saved = output<PostView>();

  protected readonly units = WAGE_UNITS;
  protected readonly periods = POST_PERIODS;
  protected readonly fieldError = fieldError;
  protected readonly saving = signal(false);
  protected readonly employers = signal<EmployerView[]>([]);
  protected readonly hazardList = signal<ProhibitedWorkView[]>([]);

  protected readonly form = this.fb.group({
    marketId: this.fb.control<string | null>(null),
    employerId: this.fb.control<string | null>(null),
    occupation: this.fb.control<string | null>(null),
    title: '',
    headcount: this.fb.control<number | null>(1),
    wageYuan: this.fb.control<number | null>(null),
    wageUnit: this.fb.control<(typeof WAGE_UNITS)[number]>('day'),
    period: this.fb.control<(typeof POST_PERIODS)[number]>('same_day'),
    periodCount: this.fb.control<number | null>(1),
    startAt: this.fb.control<Date | null>(null),
    place: '',
    requirements: '',
    skills: this.fb.control<string[]>([]),
    workerFeeYuan: this.fb.control<number | null>(0),
    hazards: this.fb.control<string[]>([]),
  });
  private readonly marketId = toSignal(this.form.controls.marketId.valueChanges, { initialValue: null });
  protected readonly occupations = computed(() => occupationChoices(this.markets().find((m) => m.id === this.marketId())?.occupations));
  private readonly hazardCodes = toSignal(this.form.controls.hazards.valueChanges, { initialValue: [] as string[] });
  protected readonly chosenHazards = computed(() => this.hazardList().filter((h) => this.hazardCodes().includes(h.code)));
  private readonly fee = toSignal(this.form.controls.workerFeeYuan.valueChanges, { initialValue: 0 as number | null });
  protected readonly feeWarning = computed(() => (this.fee() ?? 0) > 0);
  private readonly employerId = toSignal(this.form.controls.employerId.valueChanges, { initialValue: null });
  protected readonly employerUnverified = computed(() => {
    const e = this.employers().find((x) => x.id === this.employerId());
    return !!e && e.status !== 'verified';
  });

  constructor() {
    effect(() => {
      // Only opening resets the form; the lists loading afterwards must not wipe what is being typed.
      if (this.open()) untracked(() => this.reset());
    });
    this.form.controls.period.valueChanges.pipe(takeUntilDestroyed()).subscribe((p) => {
      if (p === 'same_day') this.form.controls.periodCount.setValue(1);
    });
    this.form.controls.occupation.valueChanges.pipe(takeUntilDestroyed()).subscribe((o) => {
      // The occupation is a fair first title; staff add the place or the work ("物流园卸货").
      if (o && !this.form.controls.title.value.trim()) this.form.controls.title.setValue(o);
    });
  }

  private reset(): void {
    const choices = this.markets();
    const market = choices.find((m) => m.id === this.defaultMarket()) ?? (choices.length === 1 ? choices[0] : null);
    this.form.reset({
      marketId: market?.id ?? null, employerId: null, occupation: null, title: '', headcount: 1, wageYuan: null, wageUnit: 'day', period: 'same_day',
      periodCount: 1, startAt: shanghaiNowAsLocal(60), place: '', requirements: '', skills: [], workerFeeYuan: 0, hazards: [],
    });
    if (!this.employers().length) {
      this.api.employers().subscribe({
        next: (p) => this.employers.set([...p.items].sort((a, b) => Number(b.status === 'verified') - Number(a.status === 'verified'))),
        error: (e) => this.problems.handle(e),
      });
    }
    if (!this.hazardList().length) {
      this.api.prohibitedWork().subscribe({ next: (h) => this.hazardList.set(h), error: (e) => this.problems.handle(e) });
    }
  }

  protected submit(): void {
    const v = this.form.getRawValue();
    const body = {
      employerId: v.employerId ?? '',
      occupation: v.occupation ?? '',
      title: v.title.trim(),
      headcount: v.headcount ?? 0,
      wageFen: yuanToFen(v.wageYuan),
      wageUnit: v.wageUnit,
      period: v.period,
      periodCount: v.period === 'same_day' ? 1 : (v.periodCount ?? 0),
      startAt: v.startAt ? dateToShanghaiIso(v.startAt) : '',
      place: v.place.trim(),
      requirements: v.requirements.trim(),
      skills: v.skills,
      workerFeeFen: yuanToFen(v.workerFeeYuan),
      hazards: v.hazards,
    };
    if (!v.marketId) setFieldError(this.form, 'marketId', this.lang.t('post.form.marketRequired'));
    if (v.wageYuan === null) setFieldError(this.form, 'wageYuan', this.lang.t('post.form.wageRequired'));
    const parsed = this.problems.validate(createPostSchema, body, this.form);
    if (!parsed || !v.marketId || v.wageYuan === null) return;
    this.saving.set(true);
    this.api.createPost(v.marketId, parsed).subscribe({
      next: (p) => {
        this.saving.set(false);
        this.open.set(false);
        this.message.success(this.lang.t(p.redFlags.length ? 'post.form.savedFlagged' : 'post.form.saved', { title: p.title, n: p.redFlags.length }));
        this.saved.emit(p);
      },
      error: (e) => {
        this.saving.set(false);
        this.problems.handle(e, this.form);
      },
    });
  }
}
