import { ActivatedRoute } from '@angular/router';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule, NonNullableFormBuilder, ReactiveFormsModule, type FormGroup } from '@angular/forms';
import type { Observable } from 'rxjs';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzDrawerModule } from 'ng-zorro-antd/drawer';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzMessageService } from 'ng-zorro-antd/message';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzRadioModule } from 'ng-zorro-antd/radio';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTabsModule } from 'ng-zorro-antd/tabs';
import { NzTagModule } from 'ng-zorro-antd/tag';
import {
  asSubject, completeRepairSchema, createToolSchema, decisionSchema, maintenanceSchema, requestLoanSchema, returnSchema,
  type MarketView, type ToolAccountView, type ToolLoanView, type ToolMaintenanceView, type ToolReconciliationView, type ToolView, type WorkerView,
} from '@linggong/domain';
import { AuthService, LangService, MarketsService, ProblemService, ShanghaiTimePipe, YuanPipe, setFieldError, fieldError } from '@linggong/console-core';
import { ToolsApi } from './tools.api';
import { SignaturePad } from '@linggong/console-ui';

type Dialog = 'create' | 'request' | 'decide' | 'lend' | 'return' | 'maintenance' | 'decideMaintenance' | 'complete' | null;
const fen = (yuan: number | null | undefined) => (yuan == null ? undefined : Math.round(yuan * 100));
const STATUS_COLOR: Record<string, string> = {
  available: 'green', on_loan: 'blue', damaged: 'red', in_repair: 'orange', scrapped: 'default',
  requested: 'orange', approved: 'cyan', rejected: 'red', lent: 'blue', returned: 'green', cancelled: 'default', completed: 'green',
};

/**
 * 工具租赁 (R-B11; 004 附件4): the market's inventory, loan requests for the manager's approval, hand-out
 * against the worker's on-screen signature, return with inspection, repair and write-off requests,
 * each tool's account, and the daily deposit reconciliation with any mismatch on top.
 */
@Component({
  selector: 'lg-tools',
  imports: [
    FormsModule, ReactiveFormsModule, TranslocoPipe, ShanghaiTimePipe, YuanPipe, SignaturePad, NzAlertModule, NzButtonModule, NzCardModule,
    NzDescriptionsModule, NzDrawerModule, NzFormModule, NzIconModule, NzInputModule, NzInputNumberModule, NzModalModule, NzRadioModule,
    NzSelectModule, NzTableModule, NzTabsModule, NzTagModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './tools.page.html',
  styles: [
    `.lg-filters-row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
     .lg-muted { color: rgba(0, 0, 0, 0.45); font-size: 12px; }
     .lg-mono { font-family: monospace; }
     .lg-nowrap { white-space: nowrap; }
     .lg-sig-img { height: 40px; border: 1px solid #f0f0f0; background: #fff; }
     .lg-recon { margin-bottom: 12px; }
     .lg-error { color: #ff4d4f; margin-top: 4px; }`,
  ],
})
export class ToolsPage {
  private readonly api = inject(ToolsApi);
  private readonly marketsApi = inject(MarketsService);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  /** `?tab=loans` opens the loans (the home's to-do items link there). */
  protected readonly startTab = inject(ActivatedRoute).snapshot.queryParamMap.get('tab') === 'loans' ? 1 : 0;
  private readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly fieldError = fieldError;
  protected readonly color = STATUS_COLOR;
  protected readonly markets = signal<MarketView[]>([]);
  protected readonly marketId = signal<string | null>(null);
  protected readonly market = computed(() => this.markets().find((m) => m.id === this.marketId()) ?? null);
  protected readonly status = signal<string | null>(null);
  protected readonly q = signal('');
  protected readonly tools = signal<ToolView[]>([]);
  protected readonly loans = signal<ToolLoanView[]>([]);
  protected readonly loanStatus = signal<string | null>(null);
  protected readonly loading = signal(false);
  protected readonly recon = signal<ToolReconciliationView | null>(null);
  protected readonly account = signal<ToolAccountView | null>(null);
  protected readonly pendingApprovals = computed(() => this.loans().filter((l) => l.status === 'requested').length);

  protected readonly dialog = signal<Dialog>(null);
  protected readonly tool = signal<ToolView | null>(null);
  protected readonly loan = signal<ToolLoanView | null>(null);
  protected readonly job = signal<ToolMaintenanceView | null>(null);
  protected readonly saving = signal(false);
  protected readonly signature = signal<string | null>(null);
  protected readonly sigError = signal<string | null>(null);
  protected readonly workerOptions = signal<WorkerView[]>([]);

  protected readonly createForm = this.fb.group({
    code: '', name: '', category: this.fb.control<'simple' | 'regular'>('simple'), condition: this.fb.control<'good' | 'worn'>('good'),
    valueFen: this.fb.control<number | null>(null), depositFen: this.fb.control<number | null>(null), dailyFeeFen: this.fb.control<number | null>(0), note: '',
  });
  protected readonly requestForm = this.fb.group({ workerId: this.fb.control<string | null>(null), days: this.fb.control<number | null>(1), purpose: '' });
  protected readonly decideForm = this.fb.group({ decision: this.fb.control<'approved' | 'rejected'>('approved'), note: '' });
  protected readonly returnForm = this.fb.group({
    condition: this.fb.control<'good' | 'worn' | 'damaged'>('good'), inspectionNote: '', damageFen: this.fb.control<number | null>(null),
  });
  protected readonly maintenanceForm = this.fb.group({ kind: this.fb.control<'repair' | 'scrap'>('repair'), reason: '', estimateFen: this.fb.control<number | null>(null) });
  protected readonly completeForm = this.fb.group({ costFen: this.fb.control<number | null>(null), note: '' });
  /** A form for the signature's field error (the pad itself is not a form control). */
  protected readonly lendForm = this.fb.group({ signaturePngBase64: '' });

  constructor() {
    this.marketsApi.list({ pageSize: 200 }).subscribe({
      next: (p) => {
        this.markets.set(p.items);
        if (p.items.length) this.selectMarket(p.items[0].id);
      },
      error: (e) => this.problems.handle(e),
    });
  }

  private scopeOf(marketId: string, tenantId?: string) {
    const m = this.markets().find((x) => x.id === marketId);
    return { marketId, tenantId: tenantId ?? m?.operatorId ?? undefined, regionCode: m?.regionCode };
  }
  /** What the actor may do at the selected market (the API checks again). */
  protected may(action: 'create' | 'update' | 'verify', marketId = this.marketId()): boolean {
    this.auth.ability();
    return !!marketId && this.auth.can(action, asSubject('Tool', this.scopeOf(marketId)));
  }

  protected selectMarket(id: string): void {
    this.marketId.set(id);
    this.reload();
  }

  protected reload(): void {
    const marketId = this.marketId();
    if (!marketId) return;
    this.loading.set(true);
    this.api.tools({ marketId, status: this.status(), q: this.q().trim() || null, pageSize: 200 }).subscribe({
      next: (p) => { this.tools.set(p.items); this.loading.set(false); },
      error: (e) => { this.loading.set(false); this.problems.handle(e); },
    });
    this.api.loans({ marketId, status: this.loanStatus(), pageSize: 100 }).subscribe({ next: (p) => this.loans.set(p.items), error: (e) => this.problems.handle(e) });
    this.api.reconciliations(marketId).subscribe({ next: (p) => this.recon.set(p.items[0] ?? null), error: (e) => this.problems.handle(e) });
  }

  protected reconcileNow(): void {
    const marketId = this.marketId();
    if (!marketId) return;
    this.api.reconcile(marketId).subscribe({
      next: (r) => { this.recon.set(r); this.message.info(this.lang.t(r.status === 'ok' ? 'tools.reconOk' : 'tools.reconMismatchShort')); },
      error: (e) => this.problems.handle(e),
    });
  }

  protected openAccount(t: ToolView): void {
    this.api.account(t.id).subscribe({ next: (a) => this.account.set(a), error: (e) => this.problems.handle(e) });
  }
  protected signatureUrl(l: ToolLoanView): string {
    return this.api.signatureUrl(l.id);
  }

  protected searchWorkers(q: string): void {
    if (!q.trim()) return;
    this.api.workers(q.trim()).subscribe({ next: (p) => this.workerOptions.set(p.items.filter((w) => w.status === 'active')), error: (e) => this.problems.handle(e) });
  }

  protected open(kind: Dialog, t: ToolView | null = null, l: ToolLoanView | null = null, j: ToolMaintenanceView | null = null): void {
    this.tool.set(t);
    this.loan.set(l);
    this.job.set(j);
    if (kind === 'create') this.createForm.reset({ code: '', name: '', category: 'simple', condition: 'good', valueFen: null, depositFen: null, dailyFeeFen: 0, note: '' });
    if (kind === 'request') { this.requestForm.reset({ workerId: null, days: 1, purpose: '' }); this.workerOptions.set([]); }
    if (kind === 'decide' || kind === 'decideMaintenance') this.decideForm.reset({ decision: 'approved', note: '' });
    if (kind === 'lend') { this.signature.set(null); this.sigError.set(null); this.lendForm.reset({ signaturePngBase64: '' }); }
    if (kind === 'return') this.returnForm.reset({ condition: 'good', inspectionNote: '', damageFen: null });
    if (kind === 'maintenance') this.maintenanceForm.reset({ kind: 'repair', reason: '', estimateFen: null });
    if (kind === 'complete') this.completeForm.reset({ costFen: null, note: '' });
    this.dialog.set(kind);
  }

  protected submitCreate(): void {
    const v = this.createForm.getRawValue();
    const marketId = this.marketId();
    const body = { code: v.code.trim(), name: v.name, category: v.category, condition: v.condition, valueFen: fen(v.valueFen), depositFen: fen(v.depositFen),
      dailyFeeFen: v.category === 'simple' ? 0 : fen(v.dailyFeeFen) ?? 0, note: v.note };
    const parsed = this.problems.validate(createToolSchema, body, this.createForm);
    if (!parsed || !marketId) return;
    this.run(this.api.createTool(marketId, parsed), 'tools.created', this.createForm);
  }

  protected submitRequest(): void {
    const t = this.tool();
    const v = this.requestForm.getRawValue();
    if (!v.workerId) setFieldError(this.requestForm, 'workerId', this.lang.t('tools.workerRequired'));
    const parsed = this.problems.validate(requestLoanSchema, { workerId: v.workerId ?? '', days: v.days ?? 1, purpose: v.purpose }, this.requestForm);
    if (!t || !parsed || !v.workerId) return;
    this.run(this.api.requestLoan(t.id, parsed), 'tools.requested', this.requestForm);
  }

  protected submitDecide(): void {
    const parsed = this.problems.validate(decisionSchema, this.decideForm.getRawValue(), this.decideForm);
    const l = this.loan();
    const j = this.job();
    if (!parsed) return;
    if (this.dialog() === 'decide' && l) this.run(this.api.decideLoan(l.id, parsed), parsed.decision === 'approved' ? 'tools.approved' : 'tools.rejected', this.decideForm);
    if (this.dialog() === 'decideMaintenance' && j) this.run(this.api.decideMaintenance(j.id, parsed), parsed.decision === 'approved' ? 'tools.approved' : 'tools.rejected', this.decideForm);
  }

  protected onSignature(dataUrl: string | null): void {
    // The tools API takes the PNG's base64 without the data-URL prefix.
    const png = dataUrl ? dataUrl.replace(/^data:image\/png;base64,/, '') : null;
    this.signature.set(png);
    if (png) this.sigError.set(null);
  }

  protected submitLend(): void {
    const l = this.loan();
    const sig = this.signature();
    if (!sig) {
      this.sigError.set(this.lang.t('tools.signatureRequired'));
      return;
    }
    if (!l) return;
    this.run(this.api.lend(l.id, sig), 'tools.lent', this.lendForm, (field) => field === 'signaturePngBase64' && this.sigError.set(fieldError(this.lendForm.controls.signaturePngBase64)));
  }

  protected submitReturn(): void {
    const l = this.loan();
    const v = this.returnForm.getRawValue();
    const parsed = this.problems.validate(returnSchema, { condition: v.condition, inspectionNote: v.inspectionNote, damageFen: v.condition === 'damaged' ? fen(v.damageFen) ?? 0 : 0 }, this.returnForm);
    if (!l || !parsed) return;
    this.run(this.api.returnLoan(l.id, parsed), 'tools.returned', this.returnForm);
  }

  protected cancelLoan(l: ToolLoanView): void {
    this.run(this.api.cancel(l.id), 'tools.cancelled', this.decideForm);
  }

  protected submitMaintenance(): void {
    const t = this.tool();
    const v = this.maintenanceForm.getRawValue();
    const parsed = this.problems.validate(maintenanceSchema, { kind: v.kind, reason: v.reason, estimateFen: v.kind === 'repair' ? fen(v.estimateFen) ?? 0 : 0 }, this.maintenanceForm);
    if (!t || !parsed) return;
    this.run(this.api.requestMaintenance(t.id, parsed), 'tools.maintenanceRequested', this.maintenanceForm);
  }

  protected submitComplete(): void {
    const j = this.job();
    const v = this.completeForm.getRawValue();
    const parsed = this.problems.validate(completeRepairSchema, { costFen: fen(v.costFen), note: v.note }, this.completeForm);
    if (!j || !parsed) return;
    this.run(this.api.completeRepair(j.id, parsed), 'tools.repaired', this.completeForm);
  }

  private run(req: Observable<unknown>, done: string, form: FormGroup, onFieldError?: (field: string) => void): void {
    this.saving.set(true);
    req.subscribe({
      next: () => {
        this.saving.set(false);
        this.dialog.set(null);
        this.message.success(this.lang.t(done));
        const open = this.account();
        if (open) this.api.account(open.tool.id).subscribe({ next: (a) => this.account.set(a) });
        this.reload();
      },
      error: (err) => {
        this.saving.set(false);
        const p = this.problems.handle(err, form);
        for (const e of p.errors ?? []) onFieldError?.(e.field);
      },
    });
  }
}
