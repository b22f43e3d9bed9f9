import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal, effect } from '@angular/core';
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
import { NzDatePickerModule } from 'ng-zorro-antd/date-picker';
import { NzDrawerModule } from 'ng-zorro-antd/drawer';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzMessageService } from 'ng-zorro-antd/message';
import {
  asSubject, certificateSchema, createSessionSchema,
  type CourseDetailView, type EnrolmentDetailView, type EnrolmentView, type TrainingSessionView, type WorkerView,
} from '@linggong/domain';
import { AuthService, LangService, ProblemService, ShanghaiTimePipe, YuanPipe, fieldError, setFieldError } from '@linggong/console-core';
import { TrainingApi } from './training.api';
import { SignaturePad } from '@linggong/console-ui';

type Dialog = 'session' | 'enrol' | 'attend' | 'qr' | 'certificate' | null;
const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** One course (R-B10): its sessions, QR sign-in codes, enrolments, desk attendance with on-screen signature, completion, certificates. */
@Component({
  selector: 'lg-training-course',
  imports: [
    FormsModule, ReactiveFormsModule, RouterLink, TranslocoPipe, ShanghaiTimePipe, YuanPipe, NzCardModule, NzButtonModule, NzIconModule, NzTagModule,
    NzTableModule, NzModalModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzDatePickerModule, NzDrawerModule,
    NzDescriptionsModule, SignaturePad,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './course-detail.page.html',
  styles: [
    `.lg-actions { display: flex; gap: 8px; align-items: center; }
     .lg-muted { color: rgba(0, 0, 0, 0.45); font-size: 12px; }
     .lg-nowrap { white-space: nowrap; }
     .lg-qr { text-align: center; } .lg-qr img { width: 320px; height: 320px; }
     nz-card { margin-bottom: 16px; }`,
  ],
})
export class CourseDetailPage {
  private readonly api = inject(TrainingApi);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly document = inject(DOCUMENT);

  readonly id = input.required<string>();
  protected readonly fieldError = fieldError;
  protected readonly course = signal<CourseDetailView | null>(null);
  protected readonly enrolments = signal<EnrolmentView[]>([]);
  protected readonly canWrite = computed(() => {
    this.auth.ability();
    const c = this.course();
    return !!c && this.auth.can('create', asSubject('Training', { marketId: c.marketId, tenantId: c.tenantId }));
  });
  protected readonly dialog = signal<Dialog>(null);
  protected readonly saving = signal(false);
  protected readonly session = signal<TrainingSessionView | null>(null);
  protected readonly current = signal<EnrolmentView | null>(null);
  protected readonly detail = signal<EnrolmentDetailView | null>(null);
  protected readonly workers = signal<WorkerView[]>([]);
  protected readonly signature = signal<string | null>(null);
  protected readonly qr = signal<{ url: string; image: string } | null>(null);

  protected readonly sessionForm = this.fb.group({
    trainer: '', place: '', topic: '', startsAt: this.fb.control<Date | null>(null), endsAt: this.fb.control<Date | null>(null), hours: this.fb.control<number | null>(null),
  });
  protected readonly enrolForm = this.fb.group({ workerId: this.fb.control<string | null>(null) });
  protected readonly attendForm = this.fb.group({ enrolmentId: this.fb.control<string | null>(null), signature: '' });
  protected readonly certificateForm = this.fb.group({ number: '', issuedOn: this.fb.control<Date | null>(null) });

  constructor() {
    effect(() => this.load(this.id()));
  }

  private load(id: string): void {
    this.api.course(id).subscribe({ next: (c) => this.course.set(c), error: (e) => this.problems.handle(e) });
    this.api.enrolments({ courseId: id, pageSize: 200 }).subscribe({ next: (p) => this.enrolments.set(p.items), error: (e) => this.problems.handle(e) });
  }

  protected ledgerUrl(): string {
    return this.api.ledgerUrl({ courseId: this.id() });
  }

  protected open(kind: Dialog, s: TrainingSessionView | null = null, e: EnrolmentView | null = null): void {
    this.session.set(s);
    this.current.set(e);
    if (kind === 'session') this.sessionForm.reset({ trainer: '', place: '', topic: '', startsAt: null, endsAt: null, hours: null });
    if (kind === 'enrol') {
      this.enrolForm.reset({ workerId: null });
      this.workers.set([]);
    }
    if (kind === 'attend') {
      this.attendForm.reset({ enrolmentId: null, signature: '' });
      this.signature.set(null);
    }
    if (kind === 'certificate') this.certificateForm.reset({ number: '', issuedOn: new Date() });
    if (kind === 'qr' && s) {
      this.qr.set(null);
      this.api.sessionCode(s.id).subscribe({ next: (r) => void this.renderQr(r.token), error: (err) => this.problems.handle(err) });
    }
    this.dialog.set(kind);
  }

  private async renderQr(token: string): Promise<void> {
    const url = `${this.document.location.origin}/t/${encodeURIComponent(token)}`;
    // Loaded on first use, like the desk's confirmation codes.
    const mod: typeof import('qrcode') & { default?: typeof import('qrcode') } = await import('qrcode');
    const QR = mod.default ?? mod;
    this.qr.set({ url, image: await QR.toDataURL(url, { errorCorrectionLevel: 'M', margin: 1, width: 640 }) });
  }

  protected findWorkers(q: string): void {
    if (q.trim().length < 1) return;
    this.api.findWorkers(q.trim()).subscribe({ next: (p) => this.workers.set(p.items), error: (e) => this.problems.handle(e) });
  }

  protected submitSession(): void {
    const v = this.sessionForm.getRawValue();
    const body = { trainer: v.trainer, place: v.place, topic: v.topic, startsAt: v.startsAt?.toISOString(), endsAt: v.endsAt?.toISOString(), hours: v.hours ?? undefined };
    const parsed = this.problems.validate(createSessionSchema, body, this.sessionForm);
    if (!parsed) return;
    this.run(this.api.createSession(this.id(), parsed), 'training.sessionSaved', this.sessionForm);
  }

  protected submitEnrol(): void {
    const v = this.enrolForm.getRawValue();
    if (!v.workerId) {
      setFieldError(this.enrolForm, 'workerId', this.lang.t('training.workerRequired'));
      return;
    }
    this.run(this.api.enrol(this.id(), v.workerId), 'training.enrolledOk', this.enrolForm);
  }

  protected submitAttend(): void {
    const s = this.session();
    const v = this.attendForm.getRawValue();
    if (!v.enrolmentId) setFieldError(this.attendForm, 'enrolmentId', this.lang.t('training.traineeRequired'));
    if (!this.signature()) setFieldError(this.attendForm, 'signature', this.lang.t('training.signatureRequired'));
    if (!s || !v.enrolmentId || !this.signature()) return;
    this.run(this.api.attend(s.id, v.enrolmentId, this.signature() as string), 'training.attended', this.attendForm);
  }

  protected complete(e: EnrolmentView): void {
    this.run(this.api.complete(e.id), 'training.completed', null);
  }

  protected submitCertificate(): void {
    const e = this.current();
    const v = this.certificateForm.getRawValue();
    const issuedOn = v.issuedOn ? new Date(v.issuedOn.getTime() - v.issuedOn.getTimezoneOffset() * 60_000).toISOString().slice(0, 10) : shanghaiToday();
    const parsed = this.problems.validate(certificateSchema, { number: v.number, issuedOn }, this.certificateForm);
    if (!e || !parsed) return;
    this.run(this.api.certificate(e.id, parsed), 'training.certified', this.certificateForm);
  }

  protected show(e: EnrolmentView): void {
    this.api.enrolment(e.id).subscribe({ next: (d) => this.detail.set(d), error: (err) => this.problems.handle(err) });
  }

  protected signatureUrl(id: string): string {
    return this.api.signatureUrl(id);
  }

  protected sessionOf(id: string): TrainingSessionView | undefined {
    return this.course()?.sessionList.find((s) => s.id === id);
  }

  private run(req: import('rxjs').Observable<unknown>, done: string, form: import('@angular/forms').FormGroup | null): void {
    this.saving.set(true);
    req.subscribe({
      next: () => {
        this.saving.set(false);
        this.dialog.set(null);
        this.message.success(this.lang.t(done));
        this.load(this.id());
      },
      error: (err) => {
        this.saving.set(false);
        this.problems.handle(err, form ?? undefined);
      },
    });
  }
}
