import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { FormsModule, NonNullableFormBuilder, ReactiveFormsModule, type FormGroup } from '@angular/forms';
import { ActivatedRoute, RouterLink } from '@angular/router';
import type { Observable } from 'rxjs';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzModalModule, NzModalService } from 'ng-zorro-antd/modal';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzTimelineModule } from 'ng-zorro-antd/timeline';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzMessageService } from 'ng-zorro-antd/message';
import {
  COMPLAINT_RESULTS, ESCALATION_TARGETS, HANDLING_KINDS, SATISFACTION, asSubject,
  callbackSchema, closeComplaintSchema, escalateSchema, escalationReplySchema, extensionRequestSchema, handlingRecordSchema, noticeSchema,
  reopenSchema, transferSchema, type ComplaintEscalationView, type ComplaintView,
} from '@linggong/domain';
import { AuthService, LangService, ProblemService, ShanghaiTimePipe, compact, fieldError } from '@linggong/console-core';
import { ComplaintsApi } from './complaints.api';
import { DUE_COLOUR } from './complaint-labels';

type Dialog = 'record' | 'notice' | 'transfer' | 'extension' | 'escalate' | 'reply' | 'close' | 'callback' | 'reopen' | null;

/** One complaint: deadlines, parties, every step on a timeline, and the handler's actions (R-C2, R-D2). */
@Component({
  selector: 'lg-complaint-detail',
  imports: [
    FormsModule, ReactiveFormsModule, RouterLink, TranslocoPipe, ShanghaiTimePipe, NzCardModule, NzButtonModule, NzIconModule, NzTagModule,
    NzModalModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzDescriptionsModule, NzTimelineModule, NzAlertModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './complaint-detail.page.html',
  styles: [
    `.lg-actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0; }
     .lg-muted { color: rgba(0, 0, 0, 0.45); font-size: 12px; }
     .lg-mono { font-family: monospace; }
     .lg-grid { display: grid; grid-template-columns: 2fr 1fr; gap: 16px; }
     .lg-item { margin-bottom: 8px; }
     @media (max-width: 1100px) { .lg-grid { grid-template-columns: 1fr; } }`,
  ],
})
export class ComplaintDetailPage {
  private readonly route = inject(ActivatedRoute);
  private readonly id = () => this.route.snapshot.paramMap.get('id') ?? '';
  private readonly api = inject(ComplaintsApi);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly modal = inject(NzModalService);
  private readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly handlingKinds = HANDLING_KINDS;
  protected readonly targets = ESCALATION_TARGETS;
  protected readonly results = COMPLAINT_RESULTS;
  protected readonly satisfaction = SATISFACTION;
  protected readonly dueColour = DUE_COLOUR;
  protected readonly fieldError = fieldError;
  protected readonly c = signal<ComplaintView | null>(null);
  protected readonly dialog = signal<Dialog>(null);
  protected readonly saving = signal(false);
  protected readonly colleagues = signal<{ id: string; displayName: string }[]>([]);
  protected readonly replying = signal<ComplaintEscalationView | null>(null);

  protected readonly recordForm = this.fb.group({ kind: this.fb.control<string>('call'), content: '' });
  protected readonly noticeForm = this.fb.group({ items: '', note: '' });
  protected readonly transferForm = this.fb.group({ toUserId: this.fb.control<string | null>(null), reason: '' });
  protected readonly extensionForm = this.fb.group({ workingDays: this.fb.control<number | null>(5), reason: '' });
  protected readonly escalateForm = this.fb.group({ target: this.fb.control<string>('county_bureau'), reason: '', amountYuan: this.fb.control<number | null>(null), workersAffected: this.fb.control<number | null>(1), employerId: this.fb.control<string | null>(null) });
  protected readonly employers = this.api.employerPicker((e) => this.problems.handle(e));
  protected readonly replyForm = this.fb.group({ step: this.fb.control<'accepted' | 'concluded'>('accepted'), note: '', reference: '' });
  protected readonly closeForm = this.fb.group({ result: this.fb.control<string | null>(null), summary: '' });
  protected readonly callbackForm = this.fb.group({ satisfaction: this.fb.control<string | null>(null), note: '' });
  protected readonly reopenForm = this.fb.group({ reason: '' });

  private scope = computed(() => {
    const c = this.c();
    return c ? asSubject('Complaint', { id: c.id, tenantId: c.tenantId, regionCode: c.regionCode, marketId: c.marketId, ownerUserId: c.ownerUserId }) : null;
  });
  protected readonly canHandle = computed(() => {
    this.auth.ability();
    const s = this.scope();
    return !!s && this.auth.can('update', s);
  });
  protected readonly canReveal = computed(() => {
    this.auth.ability();
    const s = this.scope();
    return !!s && this.auth.can('reveal', s);
  });
  protected readonly revealed = signal<Partial<Record<'name' | 'mobile', string>>>({});
  protected readonly canApprove = computed(() => {
    this.auth.ability();
    const s = this.scope();
    return !!s && this.auth.can('verify', s);
  });
  protected readonly isCounty = computed(() => this.auth.me()?.org.kind === 'county');
  protected readonly me = computed(() => this.auth.me()?.id ?? '');
  protected readonly canTransfer = computed(() => this.c()?.ownerUserId === this.me() || !!this.auth.me()?.roles.includes('operator_admin'));
  protected readonly canReopen = computed(() => {
    const until = this.c()?.reopenUntil;
    return !!until && Date.parse(until) > Date.now();
  });
  protected readonly pendingExtension = computed(() => this.c()?.extensions.find((x) => x.status === 'pending') ?? null);
  protected readonly pendingTransfer = computed(() => this.c()?.transfers.find((x) => x.status === 'pending') ?? null);
  protected readonly firstNoticeItems = computed(() => this.c()?.notices[0]?.items ?? []);

  constructor() {
    this.load();
  }

  protected load(): void {
    this.api.get(this.id()).subscribe({ next: (c) => this.c.set(c), error: (e) => this.problems.handle(e) });
  }

  protected open(kind: Dialog, esc: ComplaintEscalationView | null = null): void {
    this.recordForm.reset({ kind: 'call', content: '' });
    this.noticeForm.reset({ items: this.firstNoticeItems().join('\n'), note: '' });
    this.transferForm.reset({ toUserId: null, reason: '' });
    this.extensionForm.reset({ workingDays: 5, reason: '' });
    this.escalateForm.reset({ target: this.c()?.category === 'wage_arrears' ? 'labour_inspection' : 'county_bureau', reason: '', amountYuan: null, workersAffected: 1, employerId: this.c()?.employerId ?? null });
    this.replyForm.reset({ step: esc?.status === 'accepted' ? 'concluded' : 'accepted', note: '', reference: '' });
    this.closeForm.reset({ result: null, summary: '' });
    this.callbackForm.reset({ satisfaction: null, note: '' });
    this.reopenForm.reset({ reason: '' });
    this.replying.set(esc);
    if (kind === 'transfer') this.api.targets(this.id()).subscribe({ next: (t) => this.colleagues.set(t), error: (e) => this.problems.handle(e) });
    this.dialog.set(kind);
  }

  protected reveal(field: 'name' | 'mobile'): void {
    this.api.reveal(this.id(), field).subscribe({
      next: (r) => this.revealed.update((x) => ({ ...x, [field]: r.value ?? '—' })),
      error: (e) => this.problems.handle(e),
    });
  }

  protected acknowledge(): void {
    this.run(this.api.acknowledge(this.id()), 'complaint.done.acknowledged');
  }

  protected decideTransfer(accept: boolean): void {
    this.run(this.api.decideTransfer(this.id(), accept), accept ? 'complaint.done.transferAccepted' : 'complaint.done.transferDeclined');
  }

  protected decideExtension(approve: boolean): void {
    this.run(this.api.decideExtension(this.id(), { approve }), 'complaint.done.extensionDecided');
  }

  protected submit(): void {
    const id = this.id();
    switch (this.dialog()) {
      case 'record': {
        const p = this.problems.validate(handlingRecordSchema, this.recordForm.getRawValue(), this.recordForm);
        if (p) this.run(this.api.record(id, p), 'complaint.done.recorded', this.recordForm);
        return;
      }
      case 'notice': {
        // One material per line (or separated by 、，;), as a clerk would write the list.
        const v = this.noticeForm.getRawValue();
        const items = v.items.split(/[\n、，,；;]+/).map((x) => x.trim()).filter(Boolean);
        const p = this.problems.validate(noticeSchema, compact({ items, note: v.note }), this.noticeForm);
        if (p) this.sendNotice(p);
        return;
      }
      case 'transfer': {
        const p = this.problems.validate(transferSchema, compact(this.transferForm.getRawValue()), this.transferForm);
        if (p) this.run(this.api.transfer(id, p), 'complaint.done.transferRequested', this.transferForm);
        return;
      }
      case 'extension': {
        const p = this.problems.validate(extensionRequestSchema, compact(this.extensionForm.getRawValue()), this.extensionForm);
        if (p) this.run(this.api.requestExtension(id, p), 'complaint.done.extensionRequested', this.extensionForm);
        return;
      }
      case 'escalate': {
        const v = this.escalateForm.getRawValue();
        const labour = v.target === 'labour_inspection';
        const body = compact({ target: v.target, reason: v.reason, amountOwedFen: labour && v.amountYuan != null ? Math.round(v.amountYuan * 100) : null,
          workersAffected: labour ? v.workersAffected : null, employerId: labour && !this.c()?.employerId ? v.employerId : null });
        const p = this.problems.validate(escalateSchema, body, this.escalateForm);
        if (p) this.run(this.api.escalate(id, p), 'complaint.done.escalated', this.escalateForm);
        return;
      }
      case 'reply': {
        const esc = this.replying();
        const p = this.problems.validate(escalationReplySchema, compact(this.replyForm.getRawValue()), this.replyForm);
        if (p && esc) this.run(this.api.reply(id, esc.id, esc.target === 'county_bureau', p), 'complaint.done.replied', this.replyForm);
        return;
      }
      case 'close': {
        const p = this.problems.validate(closeComplaintSchema, compact(this.closeForm.getRawValue()), this.closeForm);
        if (p) this.run(this.api.close(id, p), 'complaint.done.closed', this.closeForm);
        return;
      }
      case 'callback': {
        const p = this.problems.validate(callbackSchema, compact(this.callbackForm.getRawValue()), this.callbackForm);
        if (p) this.run(this.api.callback(id, p), 'complaint.done.callback', this.callbackForm);
        return;
      }
      case 'reopen': {
        const p = this.problems.validate(reopenSchema, this.reopenForm.getRawValue(), this.reopenForm);
        if (p) this.run(this.api.reopen(id, p), 'complaint.done.reopened', this.reopenForm);
        return;
      }
      default:
        return;
    }
  }

  /** 一次性告知: a later notice asking for something new needs the handler's explicit confirmation. */
  private sendNotice(body: { items: string[]; note?: string; confirmNewItems: boolean }): void {
    this.saving.set(true);
    this.api.notice(this.id(), body).subscribe({
      next: (c) => this.done(c, 'complaint.done.notice'),
      error: (e: unknown) => {
        this.saving.set(false);
        const newItems = e instanceof HttpErrorResponse && e.status === 409 ? (e.error?.newItems as string[] | undefined) : undefined;
        if (!newItems) {
          this.problems.handle(e, this.noticeForm);
          return;
        }
        this.modal.confirm({
          nzTitle: this.lang.t('complaint.noticeWarnTitle'),
          nzContent: this.lang.t('complaint.noticeWarnText', { items: newItems.join('、') }),
          nzOkText: this.lang.t('complaint.noticeWarnOk'), nzOkDanger: true,
          nzOnOk: () => this.sendNotice({ ...body, confirmNewItems: true }),
        });
      },
    });
  }

  private run(req: Observable<ComplaintView>, done: string, form?: FormGroup): void {
    this.saving.set(true);
    req.subscribe({
      next: (c) => this.done(c, done),
      error: (e) => {
        this.saving.set(false);
        this.problems.handle(e, form);
      },
    });
  }

  private done(c: ComplaintView, key: string): void {
    this.saving.set(false);
    this.dialog.set(null);
    this.c.set(c);
    this.message.success(this.lang.t(key));
  }
}
