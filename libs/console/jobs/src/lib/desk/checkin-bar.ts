import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, computed, effect, inject, signal, viewChild } from '@angular/core';
import { FormsModule, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { NzMessageService } from 'ng-zorro-antd/message';
import { registerWorkerSchema, type QueueEntryView } from '@linggong/domain';
import { LangService, ProblemService, fieldError } from '@linggong/console-core';
import { JobsApi } from '../jobs.api';
import { OccupationPipe, extractMobile, occupationChoices } from '../jobs-util';
import { DeskStore } from './desk.store';

interface Done { name: string; queueNumber: number; created: boolean; registered: boolean }

/** The last check-in's line stays long enough to read the number out, then clears. */
const DONE_MS = 30_000;

/**
 * The check-in box at the top of the desk: a scanner or the keyboard gives a mobile number and
 * Enter; a known worker is checked in at once, an unknown one gets a four-field registration inline.
 */
@Component({
  selector: 'lg-desk-checkin',
  imports: [
    FormsModule, ReactiveFormsModule, TranslocoPipe, OccupationPipe, NzButtonModule, NzIconModule, NzInputModule, NzFormModule, NzSelectModule,
    NzCheckboxModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './checkin-bar.html',
  styles: [
    `.lg-checkin { display: flex; gap: 12px; align-items: stretch; }
     .lg-checkin-input.ant-input { flex: 1; height: 64px; font-size: 30px; letter-spacing: 2px; font-variant-numeric: tabular-nums; }
     .lg-checkin-input::placeholder { font-size: 20px; letter-spacing: 0; }
     .lg-checkin-button.ant-btn { height: 64px; min-width: 140px; font-size: 22px; }
     .lg-checkin-done { margin-top: 10px; font-size: 20px; color: #389e0d; }
     .lg-checkin-done.lg-again { color: #d48806; }
     .lg-checkin-register { margin-top: 12px; padding: 16px; border: 2px solid #faad14; border-radius: 8px; background: #fffbe6; font-size: 16px; }
     .lg-checkin-register h3 { margin: 0 0 12px; font-size: 18px; }
     .lg-checkin-fields { display: grid; grid-template-columns: 200px 200px minmax(240px, 1fr); gap: 0 12px; }
     .lg-checkin-consent { font-size: 16px; }
     .lg-checkin-actions { display: flex; gap: 12px; }`,
  ],
})
export class CheckinBar {
  protected readonly store = inject(DeskStore);
  private readonly api = inject(JobsApi);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  protected readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly box = viewChild<ElementRef<HTMLInputElement>>('box');
  private readonly nameInput = viewChild<ElementRef<HTMLInputElement>>('nameInput');

  protected readonly fieldError = fieldError;
  protected readonly value = signal('');
  protected readonly busy = signal(false);
  protected readonly done = signal<Done | null>(null);
  private doneTimer: ReturnType<typeof setTimeout> | undefined;
  protected readonly registering = signal(false);
  protected readonly form = this.fb.group({ name: '', mobile: '', occupations: this.fb.control<string[]>([]), consent: false });
  /** The market's own occupations first, then the rest of the dictionary. */
  protected readonly occupations = computed(() => occupationChoices(this.store.market()?.occupations));

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.doneTimer));
    // Ready to scan as soon as the market is known (the box is disabled until then), and after a market change.
    effect(() => {
      if (this.store.marketId()) setTimeout(() => this.focus());
    });
  }

  focus(): void {
    const el = this.box()?.nativeElement;
    el?.focus();
    el?.select();
  }

  protected submit(): void {
    const marketId = this.store.marketId();
    if (!marketId || this.busy()) return;
    const raw = this.value().trim();
    if (!raw) return;
    const mobile = extractMobile(raw);
    if (!mobile) {
      this.message.warning(this.lang.t('desk.checkin.badMobile'), { nzDuration: 4000 });
      this.focus();
      return;
    }
    this.busy.set(true);
    this.done.set(null);
    this.api.findWorker(mobile).subscribe({
      next: (page) => {
        const worker = page.items[0];
        if (worker) {
          this.registering.set(false);
          this.checkIn(marketId, worker.id, false);
          return;
        }
        this.busy.set(false);
        this.openRegistration(mobile);
      },
      error: (e) => {
        this.busy.set(false);
        this.problems.handle(e);
      },
    });
  }

  private openRegistration(mobile: string): void {
    this.form.reset({ name: '', mobile, occupations: [], consent: false });
    this.registering.set(true);
    setTimeout(() => this.nameInput()?.nativeElement.focus());
  }

  protected cancelRegistration(): void {
    this.registering.set(false);
    this.focus();
  }

  protected register(): void {
    const marketId = this.store.marketId();
    if (!marketId || this.busy()) return;
    const v = this.form.getRawValue();
    const body = { name: v.name.trim(), mobile: v.mobile.replace(/[\s-]/g, ''), occupations: v.occupations, consent: v.consent };
    const parsed = this.problems.validate(registerWorkerSchema, body, this.form);
    if (!parsed) return;
    this.busy.set(true);
    this.api.registerWorker(marketId, parsed).subscribe({
      next: (w) => this.checkIn(marketId, w.id, true),
      error: (e) => {
        this.busy.set(false);
        this.problems.handle(e, this.form);
      },
    });
  }

  private checkIn(marketId: string, workerId: string, registered: boolean): void {
    this.api.checkIn(marketId, workerId).subscribe({
      next: (r) => {
        this.busy.set(false);
        this.registering.set(false);
        this.value.set('');
        this.show(r.entry, r.created, registered);
        this.store.checkedIn(r.entry);
        this.focus();
      },
      error: (e) => {
        this.busy.set(false);
        this.problems.handle(e);
        this.focus();
      },
    });
  }

  private show(entry: QueueEntryView, created: boolean, registered: boolean): void {
    const done = { name: entry.name, queueNumber: entry.queueNumber, created, registered };
    this.done.set(done);
    clearTimeout(this.doneTimer);
    this.doneTimer = setTimeout(() => {
      if (this.done() === done) this.done.set(null);
    }, DONE_MS);
  }
}
