import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule, provideNzIconsPatch } from 'ng-zorro-antd/icon';
import { MessageOutline, QrcodeOutline } from '@ant-design/icons-angular/icons';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzMessageService } from 'ng-zorro-antd/message';
import {
  APPEAL_NOTICE_DAYS, appealDecisionSchema, appealSchema, asSubject, sanctionSchema,
  type PlacementView, type SanctionView, type WorkerView,
} from '@linggong/domain';
import { AuthService, LangService, ProblemService, ShanghaiTimePipe, YuanPipe, fieldError } from '@linggong/console-core';
import { RegistryApi } from './registry.api';

type Dialog = 'sanction' | 'appeal' | 'decide' | 'push' | null;

/**
 * One worker: record, placement history, and disputes / removal with notice and appeal (R-B8); the worker's own job-push
 * page (issue 18 §2, R-G11) as a QR the desk shows them to scan, with the link, or sent to their mobile by SMS.
 */
@Component({
  selector: 'lg-worker-detail',
  imports: [
    RouterLink, ReactiveFormsModule, TranslocoPipe, ShanghaiTimePipe, YuanPipe, NzCardModule, NzButtonModule, NzIconModule, NzTagModule, NzTableModule,
    NzModalModule, NzFormModule, NzInputModule, NzDescriptionsModule, NzSelectModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './worker-detail.page.html',
  providers: [provideNzIconsPatch([QrcodeOutline, MessageOutline])],
  styles: [`.lg-muted { color: rgba(0, 0, 0, 0.45); font-size: 12px; } .lg-mono { font-family: monospace; } .lg-nowrap { white-space: nowrap; } nz-card { margin-bottom: 16px; }
    .lg-notice { white-space: pre-wrap; background: #fafafa; padding: 8px; border-radius: 4px; }
    .lg-qr { text-align: center; } .lg-qr img { width: 280px; height: 280px; } .lg-qr .lg-mono { word-break: break-all; }
    .lg-page-header .lg-actions { display: flex; gap: 8px; }`],
})
export class WorkerDetailPage {
  private readonly route = inject(ActivatedRoute);
  private readonly api = inject(RegistryApi);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly document = inject(DOCUMENT);
  protected readonly fieldError = fieldError;

  private readonly id = this.route.snapshot.paramMap.get('id') ?? '';
  protected readonly worker = signal<WorkerView | null>(null);
  protected readonly placements = signal<PlacementView[]>([]);
  protected readonly sanctions = signal<SanctionView[]>([]);
  protected readonly dialog = signal<Dialog>(null);
  protected readonly current = signal<SanctionView | null>(null);
  protected readonly saving = signal(false);
  protected readonly canDecide = computed(() => {
    this.auth.ability();
    const w = this.worker();
    return !!w && (this.auth.can('update', asSubject('Worker', { tenantId: w.tenantId, marketId: w.marketId })) || this.auth.can('update', 'Worker'));
  });
  /** Who may see the worker's push page link (the API's rule: read Worker, audited) and who may send it by SMS (create Worker). */
  protected readonly canShowPush = computed(() => {
    this.auth.ability();
    const w = this.worker();
    return !!w && this.auth.can('read', asSubject('Worker', { tenantId: w.tenantId, marketId: w.marketId }));
  });
  protected readonly canSendPush = computed(() => {
    this.auth.ability();
    const w = this.worker();
    return !!w && w.jobPush && this.auth.can('create', asSubject('Worker', { tenantId: w.tenantId, marketId: w.marketId }));
  });
  /** The push page: its URL and the QR of it (null while it is fetched). */
  protected readonly push = signal<{ url: string; image: string; subscribed: boolean } | null>(null);
  protected readonly pushSent = signal(false);
  protected readonly canAppeal = computed(() => {
    this.auth.ability();
    return this.auth.can('create', 'Worker');
  });

  protected readonly sanctionForm = this.fb.group({ kind: this.fb.control<'dispute' | 'removal'>('dispute'), reason: '', notice: '' });
  protected readonly appealForm = this.fb.group({ statement: '' });
  protected readonly decideForm = this.fb.group({ decision: this.fb.control<'upheld' | 'overturned'>('upheld'), reason: '' });

  constructor() {
    this.load();
  }

  private load(): void {
    this.api.get(this.id).subscribe({ next: (w) => this.worker.set(w), error: (e) => this.problems.handle(e) });
    this.api.placements(this.id).subscribe({ next: (p) => this.placements.set(p.items), error: (e) => this.problems.handle(e) });
    this.api.sanctions(this.id).subscribe({ next: (s) => this.sanctions.set(s), error: (e) => this.problems.handle(e) });
  }

  protected open(kind: Dialog, s: SanctionView | null = null): void {
    this.current.set(s);
    if (kind === 'sanction') {
      this.sanctionForm.reset({ kind: 'dispute', reason: '', notice: this.lang.t('sanction.noticeTemplate', { days: APPEAL_NOTICE_DAYS }) });
    }
    if (kind === 'appeal') this.appealForm.reset({ statement: '' });
    if (kind === 'decide') this.decideForm.reset({ decision: 'upheld', reason: '' });
    if (kind === 'push') {
      this.push.set(null);
      this.pushSent.set(false);
      // Each showing is a reveal of the worker's own page: the API records it in the audit log (`push.link`).
      this.api.pushLink(this.id).subscribe({ next: (r) => void this.renderPush(r.path, r.subscribed), error: (e) => { this.dialog.set(null); this.problems.handle(e); } });
    }
    this.dialog.set(kind);
  }

  private async renderPush(path: string, subscribed: boolean): Promise<void> {
    const url = `${this.document.location.origin}${path}`;
    // Loaded on first use (the qrcode package, as the training sign-in and the gate's codes).
    const mod: typeof import('qrcode') & { default?: typeof import('qrcode') } = await import('qrcode');
    const QR = mod.default ?? mod;
    this.push.set({ url, subscribed, image: await QR.toDataURL(url, { errorCorrectionLevel: 'M', margin: 1, width: 560 }) });
  }

  protected sendPush(): void {
    this.saving.set(true);
    this.api.sendPushLink(this.id).subscribe({
      next: () => {
        this.saving.set(false);
        this.pushSent.set(true);
        this.message.success(this.lang.t('worker.push.sent'));
      },
      error: (e) => {
        this.saving.set(false);
        this.problems.handle(e);
      },
    });
  }

  protected submitSanction(): void {
    const parsed = this.problems.validate(sanctionSchema, this.sanctionForm.getRawValue(), this.sanctionForm);
    if (parsed) this.run(this.api.impose(this.id, parsed), this.sanctionForm);
  }

  protected submitAppeal(): void {
    const s = this.current();
    const parsed = this.problems.validate(appealSchema, this.appealForm.getRawValue(), this.appealForm);
    if (s && parsed) this.run(this.api.appeal(s.id, parsed.statement), this.appealForm);
  }

  protected submitDecision(): void {
    const s = this.current();
    const parsed = this.problems.validate(appealDecisionSchema, this.decideForm.getRawValue(), this.decideForm);
    if (s && parsed) this.run(this.api.decide(s.id, parsed), this.decideForm);
  }

  private run(req: import('rxjs').Observable<unknown>, form: import('@angular/forms').FormGroup): void {
    this.saving.set(true);
    req.subscribe({
      next: () => {
        this.saving.set(false);
        this.dialog.set(null);
        this.message.success(this.lang.t('common.saved'));
        this.load();
      },
      error: (e) => {
        this.saving.set(false);
        this.problems.handle(e, form);
      },
    });
  }
}
