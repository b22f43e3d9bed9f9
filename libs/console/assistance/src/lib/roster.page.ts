import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule, NonNullableFormBuilder, ReactiveFormsModule, type FormGroup } from '@angular/forms';
import type { Observable } from 'rxjs';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzDrawerModule } from 'ng-zorro-antd/drawer';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzMessageService } from 'ng-zorro-antd/message';
import { NzPopconfirmModule } from 'ng-zorro-antd/popconfirm';
import {
  HARDSHIP_CATEGORIES, STEP_KINDS, asSubject, closePlanSchema, hardshipSchema, openPlanSchema, packageSchema, planStepSchema, publicWelfareSchema,
  type AssistancePackage, type HardshipView, type MarketView, type PlanView, type PublicWelfareView, type WorkerView,
} from '@linggong/domain';
import { AuthService, LangService, MarketsService, ProblemService, ShanghaiTimePipe, compact, fieldError } from '@linggong/console-core';
import { LgCell, LgListPage, listState, type ListColumn } from '@linggong/console-ui';
import { AssistanceApi } from './assistance.api';
type Dialog = 'new' | 'step' | 'welfare' | 'close' | 'package' | null;
const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * 困难零工帮扶台账 (R-B9): the manager's roster of assistance plans — tier, package progress
 * (1 guidance / 3 referrals / 1 training), follow-ups, who is behind plan — and the desk's forms:
 * record hardship with consent and open a plan, record a step or follow-up, a public-welfare post.
 */
@Component({
  selector: 'lg-assistance-roster',
  imports: [
    LgListPage, LgCell, FormsModule, ReactiveFormsModule, TranslocoPipe, ShanghaiTimePipe, NzButtonModule, NzIconModule, NzTagModule,
    NzModalModule, NzDrawerModule, NzPopconfirmModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzCheckboxModule, NzDescriptionsModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './roster.page.html',
  styles: [
    `.lg-progress { display: flex; gap: 6px; flex-wrap: wrap; }
     .lg-step { border-left: 3px solid #1677ff; padding: 4px 10px; margin: 8px 0; }
     .lg-cats { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 6px 12px; }`,
  ],
})
export class AssistanceRosterPage {
  private readonly api = inject(AssistanceApi);
  private readonly marketsApi = inject(MarketsService);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly list = listState({
    filters: { mobile: '', marketId: null as string | null, status: 'open' as string | null, behindOnly: false },
    // A searched mobile number stays out of the URL (lists show numbers masked).
    transient: ['mobile'],
    load: ({ filters: f, page, pageSize }) => {
      const mobile = f.mobile.replace(/[\s-]/g, '');
      return this.api.plans({ page, pageSize, marketId: f.marketId, status: f.status, behind: f.behindOnly ? 'true' : null, mobile: /^1\d{10}$/.test(mobile) ? mobile : null });
    },
  });
  protected readonly fieldError = fieldError;
  protected readonly categories = HARDSHIP_CATEGORIES;
  protected readonly stepKinds = STEP_KINDS;
  protected readonly markets = signal<MarketView[]>([]);
  protected readonly canSearchMobile = computed(() => !!this.auth.me()?.tenantId);
  protected readonly canCreate = computed(() => {
    this.auth.ability();
    return this.auth.can('create', 'Assistance');
  });

  /** Province auditors set their province's package; the platform also the default ('00'). */
  protected readonly canConfigure = computed(() => {
    this.auth.ability();
    return this.auth.can('update', 'AssistancePackage');
  });
  protected readonly packages = signal<AssistancePackage[]>([]);
  protected readonly packageForm = this.fb.group({
    regionCode: '', guidance: this.fb.control<number | null>(1), referrals: this.fb.control<number | null>(3), training: this.fb.control<number | null>(1),
    followUpDays: this.fb.control<number | null>(30), behindDays: this.fb.control<number | null>(60),
  });

  protected readonly current = signal<PlanView | null>(null);
  protected readonly welfare = signal<PublicWelfareView[]>([]);
  protected readonly hardship = signal<HardshipView | null>(null);
  protected readonly dialog = signal<Dialog>(null);
  protected readonly saving = signal(false);

  protected readonly found = signal<WorkerView | null>(null);
  protected readonly lookup = this.fb.group({ mobile: '' });
  protected readonly newForm = this.fb.group({
    categories: this.fb.control<string[]>([]), evidence: '', consent: false, goal: '实现稳定就业', note: '',
  });
  protected readonly stepForm = this.fb.group({
    kind: this.fb.control<(typeof STEP_KINDS)[number]>('follow_up'), note: '', courseName: '', referredTo: '',
    outcome: this.fb.control<string | null>('still_seeking'), employerName: '',
  });
  protected readonly welfareForm = this.fb.group({ employerName: '', postName: '', startOn: '', endOn: '', note: '' });
  protected readonly closeForm = this.fb.group({ reason: '' });

  protected readonly rowAttrs = (p: PlanView) => ({ 'data-behind': p.behind });
  protected readonly columns: ListColumn[] = [
    { key: 'worker', title: 'assistance.worker' },
    { key: 'tier', title: 'assistance.tier', className: 'lg-nowrap' },
    { key: 'marketName', title: 'assistance.market' },
    { key: 'package', title: 'assistance.package' },
    { key: 'daysOpen', title: 'assistance.daysOpen', className: 'lg-nowrap' },
    { key: 'nextFollowUp', title: 'assistance.nextFollowUp', className: 'lg-nowrap' },
    { key: 'status', title: 'common.status' },
    { key: 'actions', title: 'common.actions' },
  ];

  constructor() {
    this.marketsApi.list({ pageSize: 200 }).subscribe({ next: (p) => this.markets.set(p.items), error: (e) => this.problems.handle(e) });
  }

  protected canUpdate(p: PlanView): boolean {
    this.auth.ability();
    return (p.status === 'active' || p.status === 'package_complete')
      && this.auth.can('update', asSubject('Assistance', { tenantId: p.tenantId, marketId: p.marketId }));
  }

  protected canReveal(p: PlanView): boolean {
    this.auth.ability();
    return this.auth.can('reveal', asSubject('Assistance', { tenantId: p.tenantId, marketId: p.marketId }));
  }
  // ── Plan drawer ──

  protected openPlan(p: PlanView): void {
    this.current.set(p);
    this.hardship.set(null);
    this.welfare.set([]);
    this.api.plan(p.id).subscribe({ next: (v) => this.current.set(v), error: (e) => this.problems.handle(e) });
    this.api.forWorker(p.workerId).subscribe({ next: (v) => this.welfare.set(v.publicWelfare), error: (e) => this.problems.handle(e) });
  }

  /** Reading the categories is an audited sensitive read: only on request. */
  protected showHardship(): void {
    const p = this.current();
    if (!p) return;
    this.api.hardship(p.workerId).subscribe({ next: (h) => this.hardship.set(h), error: (e) => this.problems.handle(e) });
  }

  /** R-B9 consent withdrawn: the record is erased and the plan closes (the API does both in one transaction). */
  protected withdraw(): void {
    const p = this.current();
    if (!p) return;
    this.api.withdrawHardship(p.workerId).subscribe({
      next: () => {
        this.message.success(this.lang.t('assistance.withdrawn'));
        this.hardship.set(null);
        this.openPlan(p);
        this.list.reload();
      },
      error: (e) => this.problems.handle(e),
    });
  }

  // ── Dialogs ──

  protected open(kind: Dialog): void {
    if (kind === 'new') {
      this.found.set(null);
      this.lookup.reset({ mobile: '' });
      this.newForm.reset({ categories: [], evidence: '', consent: false, goal: '实现稳定就业', note: '' });
    }
    if (kind === 'step') this.stepForm.reset({ kind: 'follow_up', note: '', courseName: '', referredTo: '', outcome: 'still_seeking', employerName: '' });
    if (kind === 'welfare') this.welfareForm.reset({ employerName: '', postName: '', startOn: shanghaiToday(), endOn: '', note: '' });
    if (kind === 'close') this.closeForm.reset({ reason: '' });
    if (kind === 'package') {
      const code = (this.auth.me()?.regionPrefix ?? '').slice(0, 2) || '00';
      this.api.packages().subscribe({
        next: (list) => {
          this.packages.set(list);
          const p = list.find((x) => x.regionCode === code) ?? list.find((x) => x.regionCode === '00');
          this.packageForm.reset({ regionCode: code, guidance: p?.guidance ?? 1, referrals: p?.referrals ?? 3, training: p?.training ?? 1,
            followUpDays: p?.followUpDays ?? 30, behindDays: p?.behindDays ?? 60 });
        },
        error: (e) => this.problems.handle(e),
      });
    }
    this.dialog.set(kind);
  }

  protected findWorker(): void {
    const mobile = this.lookup.getRawValue().mobile.replace(/[\s-]/g, '');
    this.api.findWorker(mobile).subscribe({
      next: (p) => {
        this.found.set(p.items[0] ?? null);
        if (!p.items[0]) this.message.warning(this.lang.t('assistance.workerNotFound'));
      },
      error: (e) => this.problems.handle(e, this.lookup),
    });
  }

  protected toggleCategory(c: string, on: boolean): void {
    const now = this.newForm.controls.categories.value.filter((x) => x !== c);
    this.newForm.controls.categories.setValue(on ? [...now, c] : now);
  }

  /** Hardship first (with consent), then the plan: two requests, each complete on its own. */
  protected submitNew(): void {
    const w = this.found();
    const v = this.newForm.getRawValue();
    const h = this.problems.validate(hardshipSchema, { categories: v.categories, consent: v.consent || undefined, evidence: v.evidence }, this.newForm);
    const plan = this.problems.validate(openPlanSchema, { goal: v.goal, note: v.note }, this.newForm);
    if (!w || !h || !plan) return;
    this.saving.set(true);
    this.api.recordHardship(w.id, h).subscribe({
      next: () => this.run(this.api.openPlan(w.id, plan), 'assistance.planOpened', this.newForm, (p) => this.openPlan(p)),
      error: (e) => {
        this.saving.set(false);
        this.problems.handle(e, this.newForm);
      },
    });
  }

  protected submitStep(): void {
    const p = this.current();
    const v = this.stepForm.getRawValue();
    const body = compact({
      kind: v.kind, occurredAt: new Date().toISOString(), note: v.note,
      courseName: v.kind === 'training' ? v.courseName : '', referredTo: v.kind === 'referral' ? v.referredTo : '',
      outcome: v.kind === 'follow_up' ? (v.outcome ?? '') : '', employerName: v.kind === 'follow_up' && v.outcome === 'stable_employment' ? v.employerName : '',
    });
    const parsed = this.problems.validate(planStepSchema, body, this.stepForm);
    if (!p || !parsed) return;
    this.run(this.api.addStep(p.id, parsed), 'assistance.stepSaved', this.stepForm, (np) => this.current.set(np));
  }

  protected submitWelfare(): void {
    const p = this.current();
    const parsed = this.problems.validate(publicWelfareSchema, this.welfareForm.getRawValue(), this.welfareForm);
    if (!p || !parsed) return;
    this.run(this.api.placePublicWelfare(p.workerId, parsed), 'assistance.welfareSaved', this.welfareForm, () => this.openPlan(p));
  }

  protected submitClose(): void {
    const p = this.current();
    const parsed = this.problems.validate(closePlanSchema, this.closeForm.getRawValue(), this.closeForm);
    if (!p || !parsed) return;
    this.run(this.api.close(p.id, parsed.reason), 'assistance.planClosed', this.closeForm, (np) => this.current.set(np));
  }

  protected submitPackage(): void {
    const { regionCode, ...v } = this.packageForm.getRawValue();
    const parsed = this.problems.validate(packageSchema, v, this.packageForm);
    if (!parsed) return;
    this.run(this.api.setPackage(regionCode.trim(), parsed), 'assistance.packageSaved', this.packageForm);
  }

  private run<T>(req: Observable<T>, done: string, form: FormGroup, after?: (v: T) => void): void {
    this.saving.set(true);
    req.subscribe({
      next: (v) => {
        this.saving.set(false);
        this.dialog.set(null);
        this.message.success(this.lang.t(done));
        after?.(v);
        this.list.reload();
      },
      error: (err) => {
        this.saving.set(false);
        this.problems.handle(err, form);
      },
    });
  }
}
