import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { ActivatedRoute } from '@angular/router';
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
  RECTIFICATION_SOURCES, RECTIFICATION_STATUSES, SEVERITIES, VERDICTS, asSubject, createRectificationSchema, rectificationEvidenceSchema,
  rectificationVerifySchema, type RectificationDetailView, type RectificationSource, type RectificationView,
} from '@linggong/domain';
import { AuthService, LangService, ProblemService, ShanghaiTimePipe, fieldError } from '@linggong/console-core';
import { LgCell, LgListPage, listState, type ListColumn } from '@linggong/console-ui';
import { OversightApi } from './oversight.api';
import { RECTIFICATION_COLORS, SEVERITY_COLORS } from './shared';

type Dialog = 'order' | 'evidence' | 'verify' | null;

/**
 * 整改 (issue 16 §3): the board of rectification orders. The county orders one from a reported inspection or a
 * completed call-back sample, verifies the evidence (pass, partial, fail) and closes it; the operator starts it
 * and submits its evidence. Overdue orders (past their working-day deadline) are marked, and those escalated
 * to the city too.
 */
@Component({
  selector: 'lg-rectifications',
  imports: [
    LgListPage, LgCell, FormsModule, ReactiveFormsModule, TranslocoPipe, ShanghaiTimePipe, NzButtonModule, NzIconModule, NzTagModule,
    NzModalModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzTimelineModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './rectifications.page.html',
})
export class RectificationsPage {
  private readonly api = inject(OversightApi);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly list = listState({
    filters: { status: null as string | null, overdue: null as string | null },
    load: ({ filters, page, pageSize }) => this.api.rectifications({ page, pageSize, status: filters.status, overdue: filters.overdue }),
  });
  protected readonly fieldError = fieldError;
  protected readonly statuses = RECTIFICATION_STATUSES;
  protected readonly severities = SEVERITIES;
  protected readonly verdicts = VERDICTS;
  protected readonly sourceKinds = RECTIFICATION_SOURCES.filter((k) => k !== 'assessment');
  protected readonly colors = RECTIFICATION_COLORS;
  protected readonly severityColors = SEVERITY_COLORS;
  protected readonly details = signal<Record<string, RectificationDetailView>>({});
  protected readonly sources = signal<{ id: string; label: string }[]>([]);
  protected readonly dialog = signal<Dialog>(null);
  protected readonly current = signal<RectificationView | null>(null);
  protected readonly saving = signal(false);

  protected readonly orderForm = this.fb.group({
    sourceKind: this.fb.control<RectificationSource>('inspection'), sourceId: this.fb.control<string | null>(null), title: '',
    items: '', severity: this.fb.control<(typeof SEVERITIES)[number]>('major'), responsiblePerson: '', deadlineDays: this.fb.control<number | null>(10),
  });
  protected readonly evidenceForm = this.fb.group({ note: '', attachments: '' });
  protected readonly verifyForm = this.fb.group({ verdict: this.fb.control<(typeof VERDICTS)[number]>('pass'), note: '' });

  protected readonly columns: ListColumn[] = [
    { key: 'expand', title: '', expand: true, width: '40px' },
    { key: 'title', title: 'rectification.name', width: '240px' },
    { key: 'source', title: 'rectification.source', className: 'lg-nowrap' },
    { key: 'severity', title: 'rectification.severity', className: 'lg-nowrap' },
    { key: 'responsible', title: 'rectification.responsible', className: 'lg-nowrap' },
    { key: 'due', title: 'rectification.due', className: 'lg-nowrap', testId: 'rectification-due' },
    { key: 'status', title: 'rectification.status', className: 'lg-nowrap' },
    { key: 'actions', title: 'common.actions', className: 'lg-nowrap' },
  ];

  constructor() {
    // Arriving from a sample or an inspection with "order rectification": the dialog opens on that source.
    const q = inject(ActivatedRoute).snapshot.queryParamMap;
    const kind = q.get('orderKind') as RectificationSource | null;
    const id = q.get('orderId');
    if (kind && id && this.canOrder()) this.openOrder(kind, id);
  }

  protected canOrder(): boolean {
    this.auth.ability();
    return this.auth.can('create', 'Rectification');
  }
  protected can(r: RectificationView, action: 'update' | 'verify' | 'close'): boolean {
    this.auth.ability();
    return this.auth.can(action, asSubject('Rectification', { tenantId: r.tenantId, regionCode: r.regionCode }));
  }
  protected toggle(r: RectificationView, open: boolean): void {
    if (open) this.api.rectification(r.id).subscribe({ next: (d) => this.details.update((x) => ({ ...x, [r.id]: d })), error: (e) => this.problems.handle(e) });
  }
  protected detailOf(r: RectificationView): RectificationDetailView | null {
    return this.details()[r.id] ?? null;
  }

  protected openOrder(kind: RectificationSource = 'inspection', id: string | null = null): void {
    this.orderForm.reset({ sourceKind: kind, sourceId: id, title: '', items: '', severity: 'major', responsiblePerson: '', deadlineDays: 10 });
    this.loadSources(kind, id);
    this.dialog.set('order');
  }
  protected loadSources(kind: RectificationSource, keep: string | null = null): void {
    this.orderForm.controls.sourceId.setValue(keep);
    const req: Observable<{ items: { id: string; operatorName: string | null }[] }> = kind === 'callback_sample'
      ? this.api.samples({ status: 'completed', pageSize: 200 }) : this.api.inspections({ status: 'reported', pageSize: 200 });
    req.subscribe({
      next: (p) => this.sources.set(p.items.map((x) => {
        const extra = x as { from?: string; to?: string; rate?: number | null; scheduledOn?: string; kind?: string };
        const what = kind === 'callback_sample' ? `${extra.from}～${extra.to} · ${extra.rate ?? '—'}%` : `${extra.scheduledOn} · ${this.lang.t('inspection.kinds.' + extra.kind)}`;
        return { id: x.id, label: `${x.operatorName ?? ''} · ${what}` };
      })),
      error: (e) => this.problems.handle(e),
    });
  }
  protected submitOrder(): void {
    const v = this.orderForm.getRawValue();
    const items = v.items.split('\n').map((s) => s.trim()).filter(Boolean).map((text) => ({ text, severity: v.severity }));
    const parsed = this.problems.validate(createRectificationSchema, {
      source: { kind: v.sourceKind, id: v.sourceId ?? '' }, title: v.title, items, severity: v.severity, responsiblePerson: v.responsiblePerson,
      deadlineDays: v.deadlineDays ?? undefined,
    }, this.orderForm);
    if (!parsed) return;
    this.run(this.api.order(parsed), 'rectification.ordered', this.orderForm);
  }

  protected open(kind: Dialog, r: RectificationView): void {
    this.current.set(r);
    if (kind === 'evidence') this.evidenceForm.reset({ note: '', attachments: '' });
    if (kind === 'verify') this.verifyForm.reset({ verdict: 'pass', note: '' });
    this.dialog.set(kind);
  }
  protected start(r: RectificationView): void {
    this.run(this.api.start(r.id), 'rectification.started', null);
  }
  protected close(r: RectificationView): void {
    this.run(this.api.close(r.id), 'rectification.closedDone', null);
  }
  protected submitEvidence(): void {
    const r = this.current();
    const v = this.evidenceForm.getRawValue();
    const parsed = this.problems.validate(rectificationEvidenceSchema, { note: v.note, attachments: v.attachments.split(/[\s,，]+/).filter(Boolean) }, this.evidenceForm);
    if (!r || !parsed) return;
    this.run(this.api.evidence(r.id, parsed), 'rectification.submitted', this.evidenceForm);
  }
  protected submitVerify(): void {
    const r = this.current();
    const parsed = this.problems.validate(rectificationVerifySchema, this.verifyForm.getRawValue(), this.verifyForm);
    if (!r || !parsed) return;
    this.run(this.api.verify(r.id, parsed), 'rectification.verified', this.verifyForm);
  }

  private run(req: Observable<unknown>, done: string, form: import('@angular/forms').FormGroup | null): void {
    this.saving.set(true);
    req.subscribe({
      next: () => { this.saving.set(false); this.dialog.set(null); this.details.set({}); this.message.success(this.lang.t(done)); this.list.reload(); },
      error: (err) => { this.saving.set(false); this.problems.handle(err, form ?? undefined); },
    });
  }
}
