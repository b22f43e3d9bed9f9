import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { Router } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzDatePickerModule } from 'ng-zorro-antd/date-picker';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzMessageService } from 'ng-zorro-antd/message';
import {
  CALLBACK_DEFAULT_THRESHOLD, CALLBACK_OUTCOMES, CALLBACK_STATUSES, asSubject, createCallbackSampleSchema,
  type CallbackCallView, type CallbackOutcome, type CallbackSampleDetailView, type CallbackSampleView,
} from '@linggong/domain';
import { AuthService, LangService, OrganisationsService, ProblemService, fieldError } from '@linggong/console-core';
import { LgCell, LgListPage, listState, type ListColumn } from '@linggong/console-ui';
import { OversightApi } from './oversight.api';
import { OUTCOME_COLORS, dayOf, type Operator } from './shared';

/**
 * 抽查回访 (issue 16 §2): the county commits to a sample (the seed's hash is shown at once), draws it from the
 * sealed work log (the seed is then shown, so anyone can re-derive it), reveals a sampled worker's mobile for
 * the call (audited), follows the call script, records each outcome and completes the sample.
 */
@Component({
  selector: 'lg-callbacks',
  imports: [
    LgListPage, LgCell, FormsModule, ReactiveFormsModule, TranslocoPipe, NzButtonModule, NzIconModule, NzTagModule,
    NzModalModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzDatePickerModule, NzAlertModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './callbacks.page.html',
})
export class CallbacksPage {
  private readonly api = inject(OversightApi);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly router = inject(Router);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly list = listState({
    filters: { status: null as string | null },
    load: ({ filters, page, pageSize }) => this.api.samples({ page, pageSize, status: filters.status }),
  });
  protected readonly fieldError = fieldError;
  protected readonly statuses = CALLBACK_STATUSES;
  protected readonly outcomes = CALLBACK_OUTCOMES;
  protected readonly outcomeColors = OUTCOME_COLORS;
  protected readonly operators = signal<Operator[]>([]);
  protected readonly details = signal<Record<string, CallbackSampleDetailView>>({});
  protected readonly revealed = signal<Record<string, string>>({});
  protected readonly drafts: Record<string, { outcome: CallbackOutcome | null; note: string }> = {};
  protected readonly dialog = signal(false);
  protected readonly saving = signal(false);
  protected readonly form = this.fb.group({
    operatorId: this.fb.control<string | null>(null), from: this.fb.control<Date | null>(null), to: this.fb.control<Date | null>(null),
    size: this.fb.control<number | null>(20), threshold: this.fb.control<number | null>(CALLBACK_DEFAULT_THRESHOLD),
  });

  protected readonly columns: ListColumn[] = [
    { key: 'expand', title: '', expand: true, width: '40px' },
    { key: 'operator', title: 'callback.operator', width: '220px' },
    { key: 'period', title: 'callback.period', className: 'lg-nowrap' },
    { key: 'size', title: 'callback.size', className: 'lg-nowrap' },
    { key: 'status', title: 'callback.status', className: 'lg-nowrap' },
    { key: 'rate', title: 'callback.rate', className: 'lg-nowrap', testId: 'callback-rate' },
    { key: 'actions', title: 'common.actions', className: 'lg-nowrap' },
  ];

  constructor() {
    if (this.canCreate()) {
      inject(OrganisationsService).list({ kind: 'operator', pageSize: 200 }).subscribe({ next: (p) => this.operators.set(p.items), error: (e) => this.problems.handle(e) });
    }
  }

  protected canCreate(): boolean {
    this.auth.ability();
    return this.auth.can('create', 'CallbackSample');
  }
  protected can(s: CallbackSampleView, action: 'update' | 'reveal'): boolean {
    this.auth.ability();
    return this.auth.can(action, asSubject('CallbackSample', { tenantId: s.tenantId, regionCode: s.regionCode }));
  }
  protected canOrder(s: CallbackSampleView): boolean {
    this.auth.ability();
    return s.status === 'completed' && this.auth.can('create', asSubject('Rectification', { tenantId: s.tenantId, regionCode: s.regionCode }));
  }

  protected toggle(s: CallbackSampleView, open: boolean): void {
    if (open) this.fetch(s.id);
  }
  protected detailOf(s: CallbackSampleView): CallbackSampleDetailView | null {
    return this.details()[s.id] ?? null;
  }
  protected draft(c: CallbackCallView): { outcome: CallbackOutcome | null; note: string } {
    return (this.drafts[c.id] ??= { outcome: null, note: '' });
  }
  private fetch(id: string): void {
    this.api.sample(id).subscribe({ next: (d) => this.details.update((x) => ({ ...x, [id]: d })), error: (e) => this.problems.handle(e) });
  }

  protected openCreate(): void {
    this.form.reset({ operatorId: null, from: null, to: null, size: 20, threshold: CALLBACK_DEFAULT_THRESHOLD });
    this.dialog.set(true);
  }
  protected submitCreate(): void {
    const v = this.form.getRawValue();
    const parsed = this.problems.validate(createCallbackSampleSchema, {
      operatorId: v.operatorId ?? undefined, from: dayOf(v.from), to: dayOf(v.to), size: v.size ?? undefined, threshold: v.threshold ?? undefined,
    }, this.form);
    if (!parsed) return;
    this.saving.set(true);
    this.api.commit(parsed).subscribe({
      next: () => { this.saving.set(false); this.dialog.set(false); this.message.success(this.lang.t('callback.committed')); this.list.reload(); },
      error: (e) => { this.saving.set(false); this.problems.handle(e, this.form); },
    });
  }

  protected draw(s: CallbackSampleView): void {
    this.api.draw(s.id).subscribe({
      next: (d) => { this.details.update((x) => ({ ...x, [s.id]: d })); this.message.success(this.lang.t('callback.drawn')); this.list.reload(); },
      error: (e) => this.problems.handle(e),
    });
  }
  protected complete(s: CallbackSampleView): void {
    this.api.complete(s.id).subscribe({
      next: (d) => {
        this.details.update((x) => ({ ...x, [s.id]: d }));
        this.message.success(this.lang.t(d.inspectionId ? 'callback.completedLow' : 'callback.completed'));
        this.list.reload();
      },
      error: (e) => this.problems.handle(e),
    });
  }
  protected reveal(s: CallbackSampleView, c: CallbackCallView): void {
    this.api.reveal(s.id, c.workerId).subscribe({
      next: (r) => this.revealed.update((x) => ({ ...x, [c.workerId]: r.mobile })),
      error: (e) => this.problems.handle(e),
    });
  }
  protected record(s: CallbackSampleView, c: CallbackCallView): void {
    const d = this.draft(c);
    if (!d.outcome) {
      this.message.warning(this.lang.t('callback.chooseOutcome'));
      return;
    }
    this.api.outcome(s.id, c.id, { outcome: d.outcome, note: d.note }).subscribe({
      next: (x) => { this.details.update((m) => ({ ...m, [s.id]: x })); this.message.success(this.lang.t('callback.recorded')); },
      error: (e) => this.problems.handle(e),
    });
  }
  protected order(s: CallbackSampleView): void {
    void this.router.navigate(['/rectifications'], { queryParams: { orderKind: 'callback_sample', orderId: s.id } });
  }
}
