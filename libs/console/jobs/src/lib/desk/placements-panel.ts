import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzRadioModule } from 'ng-zorro-antd/radio';
import { NzDatePickerModule } from 'ng-zorro-antd/date-picker';
import { NzMessageService } from 'ng-zorro-antd/message';
import { NzModalService } from 'ng-zorro-antd/modal';
import type { Observable } from 'rxjs';
import {
  EARLY_SETTLEMENT_MINUTES, agreedDayPayFen, cancelSchema, completeSchema, noShowSchema, nonPaymentSchema, type PlacementStatus, type PlacementView,
} from '@linggong/domain';
import { LangService, ProblemService, ShanghaiTimePipe, fieldError, setFieldError } from '@linggong/console-core';
import { JobsApi, type PayMethod } from '../jobs.api';
import { dateToShanghaiIso, fenToYuan, shanghaiNowAsLocal, yuanToFen } from '../jobs-util';
import { YuanPipe } from '@linggong/console-core';
import { DeskStore } from './desk.store';

type Action = 'complete' | 'noShow' | 'cancel' | 'nonPayment';

export const STATUS_COLORS: Record<PlacementStatus, string> = {
  // geekblue, not cyan: cyan's text fails the 4.5:1 contrast (axe, issue 17 §11).
  recommended: 'blue', confirmed: 'geekblue', started: 'green', completed: 'default', no_show: 'orange', cancelled: 'default',
};
const METHODS: PayMethod[] = ['cash', 'wechat', 'alipay', 'bank', 'other'];

/** Today's placements at the market, with the day's remaining steps: start, 日结, no-show, cancel, non-payment. */
@Component({
  selector: 'lg-desk-placements',
  imports: [
    FormsModule, ReactiveFormsModule, TranslocoPipe, ShanghaiTimePipe, YuanPipe, NzCardModule, NzTableModule, NzButtonModule, NzTagModule, NzIconModule,
    NzModalModule, NzFormModule, NzInputModule, NzInputNumberModule, NzRadioModule, NzDatePickerModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './placements-panel.html',
  styles: [
    `.lg-pl-actions { display: flex; flex-wrap: wrap; gap: 6px; }
     .lg-pl-name { font-size: 16px; font-weight: 500; }
     .lg-muted { color: rgba(0, 0, 0, 0.55); font-size: 13px; }
     .lg-pl-form { font-size: 16px; }
     .lg-pl-form nz-input-number { width: 220px; }
     .lg-pl-check { color: #237804; }
     .lg-pl-wait { color: rgba(0, 0, 0, 0.65); }`,
  ],
})
export class PlacementsPanel {
  protected readonly store = inject(DeskStore);
  private readonly api = inject(JobsApi);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly modal = inject(NzModalService);
  private readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly colors = STATUS_COLORS;
  protected readonly methods = METHODS;
  protected readonly fieldError = fieldError;
  protected readonly busy = signal<string | null>(null);
  protected readonly action = signal<{ kind: Action; placement: PlacementView } | null>(null);
  protected readonly saving = signal(false);

  protected readonly completeForm = this.fb.group({
    amountYuan: this.fb.control<number | null>(null),
    paidBy: '',
    method: this.fb.control<PayMethod>('cash'),
    paidAt: this.fb.control<Date | null>(null),
    note: '',
  });
  protected readonly noShowForm = this.fb.group({ party: this.fb.control<'worker' | 'employer'>('worker'), note: '' });
  protected readonly cancelForm = this.fb.group({ reason: '' });
  protected readonly nonPaymentForm = this.fb.group({ amountYuan: this.fb.control<number | null>(null), description: '' });

  /** Opens the confirmation panel again; a recommendation gets new QR codes (the old ones were not kept). */
  protected openConfirm(p: PlacementView): void {
    if (p.status !== 'recommended') {
      this.store.confirming.set(p);
      return;
    }
    this.busy.set(p.id);
    this.api.reissueTokens(p.id).subscribe({
      next: (fresh) => {
        this.busy.set(null);
        this.store.confirming.set(fresh);
      },
      error: (e) => {
        this.busy.set(null);
        this.problems.handle(e);
      },
    });
  }

  protected start(p: PlacementView): void {
    this.busy.set(p.id);
    this.api.start(p.id).subscribe({
      next: (fresh) => {
        this.busy.set(null);
        this.store.placementChanged(fresh);
        this.message.success(this.lang.t('desk.confirm.started', { name: fresh.workerName }));
      },
      error: (e) => {
        this.busy.set(null);
        this.problems.handle(e);
      },
    });
  }

  protected open(kind: Action, p: PlacementView): void {
    if (kind === 'complete') {
      // The agreed wage is the likely amount (a day's, or the hourly wage × 8); staff correct it if not.
      const agreed = agreedDayPayFen(p.wageFen, p.wageUnit);
      this.completeForm.reset({ amountYuan: agreed === null ? null : fenToYuan(agreed), paidBy: p.employerName, method: 'cash', paidAt: shanghaiNowAsLocal(), note: '' });
    }
    if (kind === 'noShow') this.noShowForm.reset({ party: 'worker', note: '' });
    if (kind === 'cancel') this.cancelForm.reset({ reason: '' });
    if (kind === 'nonPayment') this.nonPaymentForm.reset({ amountYuan: null, description: '' });
    this.action.set({ kind, placement: p });
  }

  /** What the 日结 amount was prefilled from, shown under the field. */
  protected agreedHint(p: PlacementView): string | null {
    if (p.wageUnit === 'day') return this.lang.t('desk.complete.agreedDay', { yuan: fenToYuan(p.wageFen) });
    if (p.wageUnit === 'hour') return this.lang.t('desk.complete.agreedHour', { yuan: fenToYuan(p.wageFen) });
    return null;
  }

  protected submit(): void {
    const a = this.action();
    if (!a || this.saving()) return;
    const started = a.placement.startedAt ? Date.parse(a.placement.startedAt) : null;
    const minutes = started === null ? null : Math.floor((Date.now() - started) / 60_000);
    if (a.kind === 'complete' && minutes !== null && minutes < EARLY_SETTLEMENT_MINUTES) {
      this.modal.confirm({
        nzTitle: this.lang.t('desk.complete.earlyTitle'),
        nzContent: this.lang.t('desk.complete.earlyText', { m: Math.max(minutes, 0), name: a.placement.workerName }),
        nzOkText: this.lang.t('desk.complete.earlyOk'),
        nzOnOk: () => this.send(a),
      });
      return;
    }
    this.send(a);
  }

  private send(a: { kind: Action; placement: PlacementView }): void {
    const id = a.placement.id;
    let call: Observable<PlacementView> | null = null;
    let done = '';
    if (a.kind === 'complete') {
      const v = this.completeForm.getRawValue();
      if (v.amountYuan === null) setFieldError(this.completeForm, 'amountYuan', this.lang.t('desk.complete.amountRequired'));
      const body = { amountPaidFen: yuanToFen(v.amountYuan), paidBy: v.paidBy.trim(), paidAt: v.paidAt ? dateToShanghaiIso(v.paidAt) : '', method: v.method, note: v.note.trim() };
      const parsed = this.problems.validate(completeSchema, body, this.completeForm);
      if (!parsed || v.amountYuan === null) return;
      call = this.api.complete(id, parsed);
      done = 'desk.complete.done';
    } else if (a.kind === 'noShow') {
      const parsed = this.problems.validate(noShowSchema, this.noShowForm.getRawValue(), this.noShowForm);
      if (!parsed) return;
      call = this.api.noShow(id, parsed.party, parsed.note);
      done = 'desk.noShow.done';
    } else if (a.kind === 'cancel') {
      const parsed = this.problems.validate(cancelSchema, this.cancelForm.getRawValue(), this.cancelForm);
      if (!parsed) return;
      call = this.api.cancel(id, parsed.reason);
      done = 'desk.cancel.done';
    } else {
      const v = this.nonPaymentForm.getRawValue();
      const parsed = this.problems.validate(nonPaymentSchema, { amountOwedFen: yuanToFen(v.amountYuan), description: v.description.trim() }, this.nonPaymentForm);
      if (!parsed) return;
      call = this.api.nonPayment(id, parsed.amountOwedFen, parsed.description);
      done = 'desk.nonPayment.done';
    }
    this.saving.set(true);
    call.subscribe({
      next: (p) => {
        this.saving.set(false);
        this.action.set(null);
        this.store.placementChanged(p);
        this.message.success(this.lang.t(done, { name: p.workerName }));
      },
      error: (e) => {
        this.saving.set(false);
        const form = a.kind === 'complete' ? this.completeForm : a.kind === 'noShow' ? this.noShowForm : a.kind === 'cancel' ? this.cancelForm : this.nonPaymentForm;
        this.problems.handle(e, form);
      },
    });
  }
}
