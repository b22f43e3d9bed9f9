import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTimelineModule } from 'ng-zorro-antd/timeline';
import { NzMessageService } from 'ng-zorro-antd/message';
import type { Observable } from 'rxjs';
import {
  EXIT_GROUNDS, EXIT_STATUSES, HANDOVER_ITEMS, answerExitSchema, asSubject, decideExitSchema, openHandoverSchema, proposeExitSchema,
  type ExitCaseDetailView, type ExitCaseView, type ExitGround, type HandoverView,
} from '@linggong/domain';
import { AuthService, LangService, OrganisationsService, ProblemService, ShanghaiTimePipe, fieldError } from '@linggong/console-core';
import { LgCell, LgListPage, listState, type ListColumn } from '@linggong/console-ui';
import { ExitsApi } from './exits.api';
import type { Operator } from './shared';

type Dialog = 'propose' | 'decide' | 'answer' | 'handover' | null;
export const EXIT_COLORS: Record<string, string> = { proposed: 'orange', approved: 'volcano', exiting: 'red', archived: 'default', rejected: 'green' };

/**
 * 退出 (issue 16 §4, R-F1): the exit cases with their timeline and each market's handover checklist. The county
 * proposes, starts the exit, opens a market's handover to a successor under its contract, completes it and archives;
 * the city approves or refuses; the outgoing operator answers and signs; the successor signs the handovers it takes
 * over (listed below the cases for operators).
 */
@Component({
  selector: 'lg-exits',
  imports: [
    LgListPage, LgCell, FormsModule, ReactiveFormsModule, TranslocoPipe, ShanghaiTimePipe, NzButtonModule, NzIconModule, NzTagModule,
    NzModalModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzTimelineModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './exits.page.html',
})
export class ExitsPage {
  private readonly api = inject(ExitsApi);
  private readonly auth = inject(AuthService);
  private readonly orgs = inject(OrganisationsService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly list = listState({
    // `case`: one case, as the home's to-do links to it (cleared with its tag).
    filters: { status: null as string | null, case: null as string | null },
    load: ({ filters, page, pageSize }) => this.api.cases({ page, pageSize, status: filters.status, case: filters.case }),
  });
  protected readonly handoverList = listState({
    filters: {}, prefix: 'h',
    load: ({ page, pageSize }) => this.api.handovers({ page, pageSize }),
  });
  protected readonly fieldError = fieldError;
  protected readonly statuses = EXIT_STATUSES;
  protected readonly grounds = EXIT_GROUNDS;
  protected readonly items = HANDOVER_ITEMS;
  protected readonly colors = EXIT_COLORS;
  protected readonly details = signal<Record<string, ExitCaseDetailView>>({});
  protected readonly operators = signal<Operator[]>([]);
  /** The successor's live contracts; only those listing the handed-over market are offered (issue 15 §1). */
  private readonly successorContracts = signal<{ id: string; label: string; marketIds: string[] }[] | null>(null);
  private readonly handoverMarket = signal<string | null>(null);
  protected readonly contracts = computed(() => (this.successorContracts() ?? []).filter((k) => k.marketIds.includes(this.handoverMarket() ?? '')));
  protected readonly noCoveringContract = computed(() => this.successorContracts() !== null && !this.contracts().length);
  protected readonly dialog = signal<Dialog>(null);
  protected readonly current = signal<ExitCaseDetailView | null>(null);
  protected readonly saving = signal(false);
  protected readonly isOperator = computed(() => this.auth.me()?.org.kind === 'operator');

  protected readonly proposeForm = this.fb.group({
    operatorId: this.fb.control<string | null>(null), grounds: this.fb.control<ExitGround[]>([]), reason: '', answerDays: this.fb.control<number | null>(5),
  });
  protected readonly decideForm = this.fb.group({ decision: this.fb.control<'approved' | 'rejected'>('approved'), note: '' });
  protected readonly answerForm = this.fb.group({ text: '' });
  protected readonly handoverForm = this.fb.group({ marketId: this.fb.control<string | null>(null), successorId: this.fb.control<string | null>(null), contractId: this.fb.control<string | null>(null) });

  protected readonly columns: ListColumn[] = [
    { key: 'expand', title: '', expand: true, width: '40px' },
    { key: 'operator', title: 'exit.operator', width: '240px' },
    { key: 'grounds', title: 'exit.grounds' },
    { key: 'answer', title: 'exit.answerDue', className: 'lg-nowrap' },
    { key: 'status', title: 'exit.status', className: 'lg-nowrap' },
    { key: 'actions', title: 'common.actions', className: 'lg-nowrap' },
  ];
  protected readonly handoverColumns: ListColumn[] = [
    { key: 'market', title: 'exit.market', width: '240px' },
    { key: 'successor', title: 'exit.successor' },
    { key: 'signatures', title: 'exit.signatures' },
    { key: 'status', title: 'exit.status', className: 'lg-nowrap' },
    { key: 'actions', title: 'common.actions', className: 'lg-nowrap' },
  ];

  constructor() {
    // The successor's live contracts, whenever the successor changes.
    this.handoverForm.controls.successorId.valueChanges.subscribe((v) => this.loadContracts(v));
    this.handoverForm.controls.marketId.valueChanges.subscribe((v) => this.handoverMarket.set(v));
    if (this.canPropose()) this.orgs.list({ kind: 'operator', pageSize: 200 }).subscribe({ next: (p) => this.operators.set(p.items), error: (e) => this.problems.handle(e) });
  }

  protected canPropose(): boolean {
    this.auth.ability();
    return this.auth.can('create', 'ExitCase');
  }
  protected can(c: { tenantId: string; regionCode: string }, action: 'update' | 'verify' | 'operate'): boolean {
    this.auth.ability();
    return this.auth.can(action, asSubject('ExitCase', { tenantId: c.tenantId, regionCode: c.regionCode }));
  }
  protected mine(tenantId: string): boolean {
    return this.auth.me()?.org.id === tenantId;
  }
  protected toggle(c: ExitCaseView, open: boolean): void {
    if (open) this.refresh(c.id);
  }
  private refresh(caseId: string): void {
    this.api.case(caseId).subscribe({ next: (d) => this.details.update((x) => ({ ...x, [caseId]: d })), error: (e) => this.problems.handle(e) });
  }
  protected detailOf(c: ExitCaseView): ExitCaseDetailView | null {
    return this.details()[c.id] ?? null;
  }
  protected item(h: HandoverView, key: string) {
    return h.checklist.find((i) => i.item === key);
  }

  protected openPropose(): void {
    this.proposeForm.reset({ operatorId: null, grounds: [], reason: '', answerDays: 5 });
    this.dialog.set('propose');
  }
  protected submitPropose(): void {
    const v = this.proposeForm.getRawValue();
    const parsed = this.problems.validate(proposeExitSchema, { operatorId: v.operatorId ?? '', grounds: v.grounds, reason: v.reason, answerDays: v.answerDays ?? undefined }, this.proposeForm);
    if (parsed) this.run(this.api.propose(parsed), 'exit.proposed', this.proposeForm);
  }
  protected open(kind: Dialog, c: ExitCaseView): void {
    this.api.case(c.id).subscribe({
      next: (d) => {
        this.current.set(d);
        if (kind === 'decide') this.decideForm.reset({ decision: 'approved', note: '' });
        if (kind === 'answer') this.answerForm.reset({ text: '' });
        if (kind === 'handover') {
          this.handoverForm.reset({ marketId: d.markets[0]?.id ?? null, successorId: null, contractId: null });
          this.handoverMarket.set(d.markets[0]?.id ?? null);
        }
        this.dialog.set(kind);
      },
      error: (e) => this.problems.handle(e),
    });
  }
  protected submitDecide(): void {
    const c = this.current();
    const parsed = this.problems.validate(decideExitSchema, { ...this.decideForm.getRawValue(), note: this.decideForm.getRawValue().note || undefined }, this.decideForm);
    if (c && parsed) this.run(this.api.decide(c.id, parsed), 'exit.decided', this.decideForm, c.id);
  }
  protected submitAnswer(): void {
    const c = this.current();
    const parsed = this.problems.validate(answerExitSchema, this.answerForm.getRawValue(), this.answerForm);
    if (c && parsed) this.run(this.api.answer(c.id, parsed), 'exit.answered2', this.answerForm, c.id);
  }
  private loadContracts(successorId: string | null): void {
    this.handoverForm.controls.contractId.setValue(null);
    this.successorContracts.set(null);
    if (!successorId) return;
    this.api.contracts(successorId).subscribe({
      next: (list) => this.successorContracts.set(list.map((k) => ({ id: k.id, marketIds: k.marketIds, label: `${k.number} · ${k.title} · ${k.termFrom}～${k.termTo}` }))),
      error: (e) => this.problems.handle(e),
    });
  }
  protected submitHandover(): void {
    const c = this.current();
    const v = this.handoverForm.getRawValue();
    const parsed = this.problems.validate(openHandoverSchema, { marketId: v.marketId ?? '', successorId: v.successorId ?? '', contractId: v.contractId ?? '' }, this.handoverForm);
    if (c && parsed) this.run(this.api.openHandover(c.id, parsed), 'exit.handoverOpened', this.handoverForm, c.id);
  }
  protected start(c: ExitCaseView): void {
    this.run(this.api.start(c.id), 'exit.started', null, c.id);
  }
  protected archive(c: ExitCaseView): void {
    this.run(this.api.archive(c.id), 'exit.archivedDone', null, c.id);
  }
  protected sign(h: HandoverView, side: 'outgoing' | 'successor'): void {
    this.run(this.api.sign(h.id, { side }), 'exit.signed', null, h.caseId);
  }
  protected complete(h: HandoverView): void {
    this.run(this.api.complete(h.id), 'exit.completed', null, h.caseId);
  }
  /** The bureau's handover package, saved as one JSON file (manifest and files; tools/ledger-verify checks the files). */
  protected download(h: HandoverView): void {
    this.api.package(h.id).subscribe({
      next: (pkg) => {
        const url = URL.createObjectURL(new Blob([JSON.stringify(pkg, null, 2)], { type: 'application/json' }));
        const a = document.createElement('a');
        a.href = url;
        a.download = `handover-${h.marketId}.json`;
        a.click();
        URL.revokeObjectURL(url);
      },
      error: (e) => this.problems.handle(e),
    });
  }

  private run(req: Observable<unknown>, done: string, form: import('@angular/forms').FormGroup | null, caseId?: string): void {
    this.saving.set(true);
    req.subscribe({
      next: () => {
        this.saving.set(false);
        this.dialog.set(null);
        this.message.success(this.lang.t(done));
        this.list.reload();
        this.handoverList.reload();
        if (caseId && this.details()[caseId]) this.refresh(caseId);
      },
      error: (err) => { this.saving.set(false); this.problems.handle(err, form ?? undefined); },
    });
  }
}
