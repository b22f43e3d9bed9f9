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
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzRadioModule } from 'ng-zorro-antd/radio';
import { NzDatePickerModule } from 'ng-zorro-antd/date-picker';
import { NzMessageService } from 'ng-zorro-antd/message';
import type { Observable } from 'rxjs';
import {
  CHECK_RESULTS, INSPECTION_KINDS, INSPECTION_PLAN_KINDS, INSPECTION_STATUSES, ONSITE_CHECKLIST, SEVERITIES, asSubject, createInspectionPlanSchema,
  createInspectionSchema, inspectionReportSchema, type InspectionDetailView, type InspectionPlanView, type InspectionView, type MarketView, type Severity,
} from '@linggong/domain';
import { AuthService, LangService, MarketsService, OrganisationsService, ProblemService, fieldError } from '@linggong/console-core';
import { LgCell, LgListPage, listState, type ListColumn } from '@linggong/console-ui';
import { OversightApi } from './oversight.api';
import { SEVERITY_COLORS, dayOf, type Operator } from './shared';

type Dialog = 'plan' | 'inspection' | 'report' | null;
interface FindingDraft { code: string | null; text: string; severity: Severity; photos: string }

/**
 * 督导检查 (issue 16 §1): the county's or city's plans, inspections of an operator (on site, online, documents,
 * follow-up) and their reports against the R-F5 on-site checklist, with findings (photos by hash, severity) and
 * the score. The operator reads its reported inspections here.
 */
@Component({
  selector: 'lg-inspections',
  imports: [
    LgListPage, LgCell, FormsModule, ReactiveFormsModule, TranslocoPipe, NzButtonModule, NzIconModule, NzTagModule, NzModalModule,
    NzFormModule, NzInputModule, NzSelectModule, NzRadioModule, NzDatePickerModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './inspections.page.html',
})
export class InspectionsPage {
  private readonly api = inject(OversightApi);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly router = inject(Router);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly list = listState({
    filters: { status: null as string | null, kind: null as string | null },
    load: ({ filters, page, pageSize }) => this.api.inspections({ page, pageSize, status: filters.status, kind: filters.kind }),
  });
  protected readonly fieldError = fieldError;
  protected readonly kinds = INSPECTION_KINDS;
  protected readonly planKinds = INSPECTION_PLAN_KINDS;
  protected readonly statuses = INSPECTION_STATUSES;
  protected readonly checklist = ONSITE_CHECKLIST;
  protected readonly results = CHECK_RESULTS;
  protected readonly severities = SEVERITIES;
  protected readonly severityColors = SEVERITY_COLORS;
  protected readonly operators = signal<Operator[]>([]);
  protected readonly markets = signal<MarketView[]>([]);
  protected readonly plans = signal<InspectionPlanView[]>([]);
  protected readonly details = signal<Record<string, InspectionDetailView>>({});
  protected readonly dialog = signal<Dialog>(null);
  protected readonly current = signal<InspectionView | null>(null);
  protected readonly saving = signal(false);
  protected checks: Record<string, string> = {};
  protected findings: FindingDraft[] = [];
  protected summary = '';

  protected readonly planForm = this.fb.group({ kind: this.fb.control<(typeof INSPECTION_PLAN_KINDS)[number]>('quarterly'), title: '', from: this.fb.control<Date | null>(null), to: this.fb.control<Date | null>(null), note: '' });
  protected readonly inspectionForm = this.fb.group({
    planId: this.fb.control<string | null>(null), operatorId: this.fb.control<string | null>(null), marketId: this.fb.control<string | null>(null),
    kind: this.fb.control<(typeof INSPECTION_KINDS)[number]>('on_site'), scheduledOn: this.fb.control<Date | null>(null), note: '',
  });

  protected readonly columns: ListColumn[] = [
    { key: 'expand', title: '', expand: true, width: '40px' },
    { key: 'operator', title: 'inspection.operator', width: '240px' },
    { key: 'kind', title: 'inspection.kind', className: 'lg-nowrap' },
    { key: 'scheduledOn', title: 'inspection.scheduledOn', className: 'lg-nowrap' },
    { key: 'status', title: 'inspection.status', className: 'lg-nowrap' },
    { key: 'score', title: 'inspection.score', className: 'lg-nowrap', testId: 'inspection-score' },
    { key: 'actions', title: 'common.actions', className: 'lg-nowrap' },
  ];

  constructor() {
    if (this.canCreate()) {
      inject(OrganisationsService).list({ kind: 'operator', pageSize: 200 }).subscribe({ next: (p) => this.operators.set(p.items), error: (e) => this.problems.handle(e) });
      inject(MarketsService).list({ pageSize: 200 }).subscribe({ next: (p) => this.markets.set(p.items), error: (e) => this.problems.handle(e) });
      this.api.plans({ pageSize: 200 }).subscribe({ next: (p) => this.plans.set(p.items), error: (e) => this.problems.handle(e) });
    }
  }

  protected canCreate(): boolean {
    this.auth.ability();
    return this.auth.can('create', 'Inspection');
  }
  protected can(i: InspectionView): boolean {
    this.auth.ability();
    return this.auth.can('update', asSubject('Inspection', { tenantId: i.tenantId, regionCode: i.regionCode }));
  }
  protected canOrder(i: InspectionView): boolean {
    this.auth.ability();
    return i.status === 'reported' && this.auth.can('create', asSubject('Rectification', { tenantId: i.tenantId, regionCode: i.regionCode }));
  }
  protected marketsOf(operatorId: string | null): MarketView[] {
    return this.markets().filter((m) => m.operatorId === operatorId);
  }
  protected toggle(i: InspectionView, open: boolean): void {
    if (open) this.api.inspection(i.id).subscribe({ next: (d) => this.details.update((x) => ({ ...x, [i.id]: d })), error: (e) => this.problems.handle(e) });
  }
  protected detailOf(i: InspectionView): InspectionDetailView | null {
    return this.details()[i.id] ?? null;
  }
  protected resultOf(d: InspectionDetailView, code: string): string {
    return d.results.find((r) => r.code === code)?.result ?? '';
  }

  protected open(kind: Dialog, i: InspectionView | null = null): void {
    this.current.set(i);
    if (kind === 'plan') this.planForm.reset({ kind: 'quarterly', title: '', from: null, to: null, note: '' });
    if (kind === 'inspection') this.inspectionForm.reset({ planId: null, operatorId: null, marketId: null, kind: 'on_site', scheduledOn: null, note: '' });
    if (kind === 'report') {
      this.checks = Object.fromEntries(ONSITE_CHECKLIST.map((c) => [c.code, 'pass']));
      this.findings = [];
      this.summary = '';
    }
    this.dialog.set(kind);
  }
  protected addFinding(): void {
    this.findings = [...this.findings, { code: null, text: '', severity: 'major', photos: '' }];
  }
  protected removeFinding(k: number): void {
    this.findings = this.findings.filter((_, j) => j !== k);
  }

  protected submitPlan(): void {
    const v = this.planForm.getRawValue();
    const parsed = this.problems.validate(createInspectionPlanSchema, { kind: v.kind, title: v.title, from: dayOf(v.from), to: dayOf(v.to), note: v.note }, this.planForm);
    if (!parsed) return;
    this.run(this.api.createPlan(parsed), 'inspection.planSaved', this.planForm, () => this.api.plans({ pageSize: 200 }).subscribe({ next: (p) => this.plans.set(p.items) }));
  }
  protected submitInspection(): void {
    const v = this.inspectionForm.getRawValue();
    const parsed = this.problems.validate(createInspectionSchema, {
      planId: v.planId ?? undefined, operatorId: v.operatorId ?? undefined, marketId: v.marketId ?? undefined, kind: v.kind, scheduledOn: dayOf(v.scheduledOn), note: v.note,
    }, this.inspectionForm);
    if (!parsed) return;
    this.run(this.api.createInspection(parsed), 'inspection.saved', this.inspectionForm);
  }
  protected submitReport(): void {
    const i = this.current();
    const body = {
      results: ONSITE_CHECKLIST.map((c) => ({ code: c.code, result: this.checks[c.code] ?? 'na', note: '' })),
      findings: this.findings.map((f) => ({ code: f.code ?? undefined, text: f.text, severity: f.severity, photos: f.photos.split(/[\s,，]+/).filter(Boolean) })),
      summary: this.summary,
    };
    const parsed = inspectionReportSchema.safeParse(body);
    if (!parsed.success) {
      this.message.error(this.lang.t('inspection.reportInvalid'));
      return;
    }
    if (!i) return;
    this.run(this.api.report(i.id, parsed.data), 'inspection.reported', null);
  }
  protected order(i: InspectionView): void {
    void this.router.navigate(['/rectifications'], { queryParams: { orderKind: 'inspection', orderId: i.id } });
  }

  private run(req: Observable<unknown>, done: string, form: import('@angular/forms').FormGroup | null, after?: () => void): void {
    this.saving.set(true);
    req.subscribe({
      next: () => { this.saving.set(false); this.dialog.set(null); this.details.set({}); this.message.success(this.lang.t(done)); this.list.reload(); after?.(); },
      error: (err) => { this.saving.set(false); this.problems.handle(err, form ?? undefined); },
    });
  }
}
