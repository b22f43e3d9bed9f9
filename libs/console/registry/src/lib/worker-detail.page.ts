import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
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

type Dialog = 'sanction' | 'appeal' | 'decide' | null;

/** One worker: record, placement history, and disputes / removal with notice and appeal (R-B8). */
@Component({
  selector: 'lg-worker-detail',
  imports: [
    RouterLink, ReactiveFormsModule, TranslocoPipe, ShanghaiTimePipe, YuanPipe, NzCardModule, NzButtonModule, NzIconModule, NzTagModule, NzTableModule,
    NzModalModule, NzFormModule, NzInputModule, NzDescriptionsModule, NzSelectModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './worker-detail.page.html',
  styles: [`.lg-muted { color: rgba(0, 0, 0, 0.45); font-size: 12px; } .lg-mono { font-family: monospace; } .lg-nowrap { white-space: nowrap; } nz-card { margin-bottom: 16px; }
    .lg-notice { white-space: pre-wrap; background: #fafafa; padding: 8px; border-radius: 4px; }`],
})
export class WorkerDetailPage {
  private readonly route = inject(ActivatedRoute);
  private readonly api = inject(RegistryApi);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);
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
    this.dialog.set(kind);
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
