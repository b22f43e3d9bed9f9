import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NgxEchartsDirective } from 'ngx-echarts';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzMessageService } from 'ng-zorro-antd/message';
import { asSubject } from '@linggong/domain';
import { AuthService, LangService, ProblemService } from '@linggong/console-core';
import { AssessmentApi, type AssessmentDetail, type ItemView } from './assessment.api';
import { GRADE_COLOUR, STATE_COLOUR } from './labels';

interface Draft { score: number | null; text: string; hash: string }

/**
 * 考核工作台: one assessment — each item with its frozen figure and its drill-down (the analytics page on that
 * market, KPI and period), the evidence, the self / county / audit / appeal scores side by side, the radar of the
 * first-level indicators, and the step the caller may take now (self-assessment, review, audit, appeal, decision).
 */
@Component({
  selector: 'lg-assessment-workspace',
  imports: [FormsModule, RouterLink, TranslocoPipe, NgxEchartsDirective, NzButtonModule, NzCardModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzTableModule, NzTagModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: [`.chart { height: 300px; width: 100%; } .head { display: flex; gap: 24px; flex-wrap: wrap; align-items: flex-start; } .head > * { flex: 1 1 320px; }
    .score { width: 80px; } .muted { color: #595959; font-size: 12px; } td { vertical-align: top; }`],
  template: `
    @if (a(); as a) {
      <div class="head">
        <nz-card [nzTitle]="a.operatorName" data-testid="assessment-head">
          <p>{{ 'assessment.contractNumber' | transloco }}: {{ a.contractNumber }} · <a [routerLink]="['/assessment/cycles', a.cycleId]">{{ a.cycleName }}</a> ({{ a.periodFrom }} ~ {{ a.periodTo }})</p>
          <p><nz-tag [nzColor]="colour[a.state]" data-testid="assessment-state">{{ 'assessment.stateName.' + a.state | transloco }}</nz-tag>
            @if (a.sampled) { <nz-tag nzColor="purple">{{ 'assessment.sampled' | transloco }}</nz-tag> }</p>
          @if (a.grade) {
            <p data-testid="assessment-result">{{ 'assessment.total' | transloco }} <b>{{ a.total }}</b> ·
              <nz-tag [nzColor]="grades[a.grade]">{{ 'assessment.grade.' + a.grade | transloco }}</nz-tag> {{ 'assessment.consequence.' + a.consequence | transloco }}</p>
          }
          <p class="muted">{{ 'assessment.deadlines' | transloco }}: {{ 'assessment.selfDeadline' | transloco }} {{ a.deadlines.self }} · {{ 'assessment.reviewDeadline' | transloco }} {{ a.deadlines.review }}
            @if (a.deadlines.appeal) { · {{ 'assessment.appealDeadline' | transloco }} {{ a.deadlines.appeal }} }</p>
          @if (a.figures) { <p class="muted" data-testid="figures-digest">{{ 'assessment.frozen' | transloco }} v{{ a.figures.version }} · {{ a.figures.digest }}</p> }
          @if (a.appeal) { <p data-testid="assessment-appeal">{{ 'assessment.appealTitle' | transloco }}: {{ a.appeal.reason }} @if (a.appeal.decision) { → {{ 'assessment.decision.' + a.appeal.decision | transloco }}: {{ a.appeal.decisionReason }} }</p> }
        </nz-card>
        <nz-card [nzTitle]="'assessment.radar' | transloco"><div echarts class="chart" [options]="radar()" data-testid="assessment-radar"></div></nz-card>
      </div>

      <nz-table [nzData]="a.items" [nzShowPagination]="false" nzSize="small" [nzFrontPagination]="false" data-testid="assessment-items">
        <thead><tr>
          <th>{{ 'assessment.item' | transloco }}</th><th>{{ 'assessment.weight' | transloco }}</th><th>{{ 'assessment.figure' | transloco }}</th>
          <th>{{ 'assessment.self' | transloco }}</th><th>{{ 'assessment.county' | transloco }}</th><th>{{ 'assessment.audit' | transloco }}</th>
          <th>{{ 'assessment.appealScore' | transloco }}</th><th>{{ 'assessment.finalPoints' | transloco }}</th>
        </tr></thead>
        <tbody>
          @for (i of a.items; track i.code) {
            <tr data-testid="item-row" [attr.data-code]="i.code">
              <td><div class="muted">{{ i.pathNames.slice(0, -1).join(' / ') }}</div>{{ i.zh }}
                @if (i.kind === 'evidence') { <nz-tag>{{ 'assessment.evidenceItem' | transloco }}</nz-tag> }</td>
              <td>{{ i.weight }}</td>
              <td>
                @if (i.kpi) {
                  {{ i.value ?? '—' }} @if (i.provisional) { <span class="muted">*</span> }
                  <div class="muted">{{ 'assessment.targetFloor' | transloco: { target: i.kpi.target, floor: i.kpi.floor } }} → {{ i.rulePoints }}</div>
                  @for (l of drill(i, a); track l.marketId) { <div><a [routerLink]="['/analytics']" [queryParams]="l.query" data-testid="item-drilldown">{{ 'assessment.drilldown' | transloco }} · {{ l.name }}</a></div> }
                } @else {
                  @for (e of i.evidence; track $index) { <div class="muted">{{ e.attachmentSm3 ? e.attachmentSm3.slice(0, 12) + '…' : ('assessment.logEntry' | transloco) + ' #' + e.seq }}</div> }
                }
              </td>
              <td>{{ i.selfScore ?? '' }} <div class="muted">{{ i.selfExplanation }}</div>
                @if (step() === 'self' && i.kind === 'evidence') {
                  <nz-input-number class="score" [nzMin]="0" [nzMax]="i.weight" [(ngModel)]="draft[i.code].score" [attr.data-testid]="'self-score-' + i.code" />
                  <input nz-input [(ngModel)]="draft[i.code].text" [placeholder]="'assessment.explanation' | transloco" />
                  <input nz-input [(ngModel)]="draft[i.code].hash" [placeholder]="'assessment.evidenceHash' | transloco" />
                }</td>
              <td>{{ i.countyScore ?? '' }} <div class="muted">{{ i.countyComment }}</div>
                @if (step() === 'review') {
                  @if (i.kind === 'evidence') { <nz-input-number class="score" [nzMin]="0" [nzMax]="i.weight" [(ngModel)]="draft[i.code].score" [attr.data-testid]="'county-score-' + i.code" /> }
                  <input nz-input [(ngModel)]="draft[i.code].text" [placeholder]="'assessment.comment' | transloco" />
                }</td>
              <td>{{ i.auditScore ?? '' }} <div class="muted">{{ i.auditReason }}</div>
                @if (step() === 'audit') {
                  <nz-input-number class="score" [nzMin]="0" [nzMax]="i.weight" [(ngModel)]="draft[i.code].score" />
                  <input nz-input [(ngModel)]="draft[i.code].text" [placeholder]="'assessment.reason' | transloco" />
                }</td>
              <td>{{ i.appealScore ?? '' }}
                @if (step() === 'decide') { <nz-input-number class="score" [nzMin]="0" [nzMax]="i.weight" [(ngModel)]="draft[i.code].score" /> }</td>
              <td><b>{{ i.finalPoints }}</b></td>
            </tr>
          }
        </tbody>
      </nz-table>

      @if (step(); as st) {
        <nz-card [nzTitle]="'assessment.step.' + st | transloco" style="margin-top: 16px" data-testid="assessment-step">
          @if (st === 'appeal' || st === 'decide') {
            @if (st === 'decide') {
              <nz-select style="width: 200px" [(ngModel)]="decision" data-testid="appeal-decision">
                <nz-option nzValue="upheld" [nzLabel]="'assessment.decision.upheld' | transloco" /><nz-option nzValue="rejected" [nzLabel]="'assessment.decision.rejected' | transloco" />
              </nz-select>
            }
            <textarea nz-input rows="3" [(ngModel)]="reason" [placeholder]="'assessment.reason' | transloco" data-testid="step-reason"></textarea>
          }
          <button nz-button nzType="primary" style="margin-top: 8px" (click)="submit(st)" [nzLoading]="saving()" data-testid="step-submit">{{ 'assessment.submit' | transloco }}</button>
        </nz-card>
      }
    }`,
})
export class WorkspacePage {
  private readonly api = inject(AssessmentApi);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly id = inject(ActivatedRoute).snapshot.paramMap.get('id') ?? '';
  protected readonly colour = STATE_COLOUR;
  protected readonly grades = GRADE_COLOUR;
  protected readonly a = signal<AssessmentDetail | null>(null);
  protected readonly saving = signal(false);
  protected draft: Record<string, Draft> = {};
  protected reason = '';
  protected decision: 'upheld' | 'rejected' = 'upheld';

  constructor() {
    this.load();
  }

  private load(): void {
    this.api.get(this.id).subscribe({
      next: (a) => {
        this.draft = Object.fromEntries(a.items.map((i) => [i.code, { score: null, text: '', hash: '' }]));
        this.a.set(a);
      },
      error: (e) => this.problems.handle(e),
    });
  }

  /** The step the caller may take now, from its abilities and the assessment's state. */
  protected readonly step = computed<'self' | 'review' | 'audit' | 'appeal' | 'decide' | null>(() => {
    this.auth.ability();
    const a = this.a();
    if (!a) return null;
    const scope = asSubject('Assessment', { tenantId: a.operatorId, regionCode: a.regionCode });
    const me = this.auth.me();
    if (a.state === 'self' && a.deadlines.selfOpen && this.auth.can('operate', scope)) return 'self';
    if ((a.state === 'review' || (a.state === 'self' && !a.deadlines.selfOpen)) && me?.org.kind === 'county' && this.auth.can('update', 'Assessment')) return 'review';
    if (a.state === 'reviewed' && a.sampled && me?.org.kind !== 'county' && this.auth.can('verify', 'Assessment')) return 'audit';
    if (a.state === 'published' && this.auth.can('operate', scope)) return 'appeal';
    if (a.state === 'appealed' && this.auth.can('close', 'Assessment')) return 'decide';
    return null;
  });

  /** The share of each first-level indicator's points earned (final points ÷ weight), in percent. */
  protected readonly radar = computed(() => {
    const a = this.a();
    const groups = new Map<string, { name: string; weight: number; points: number }>();
    for (const i of a?.items ?? []) {
      const g = groups.get(i.path[0]) ?? { name: i.pathNames[0], weight: 0, points: 0 };
      g.weight += i.weight;
      g.points += i.finalPoints;
      groups.set(i.path[0], g);
    }
    const list = [...groups.values()];
    return {
      animation: false, tooltip: {},
      radar: { indicator: list.map((g) => ({ name: `${g.name} (${g.weight})`, max: 100 })) },
      series: [{ type: 'radar', data: [{ value: list.map((g) => Math.round((g.points / g.weight) * 1000) / 10), name: a?.operatorName ?? '', areaStyle: { opacity: 0.2 } }] }],
    };
  });

  /** The figure's drill-down on the analytics page: its market, KPI and the cycle's period. */
  protected drill(i: ItemView, a: AssessmentDetail): { marketId: string; name: string; query: Record<string, string> }[] {
    return i.drilldown.map((u) => {
      const marketId = new URL(u, 'http://x').searchParams.get('marketId') ?? '';
      return { marketId, name: a.markets.find((m) => m.id === marketId)?.name ?? '', query: { period: 'custom', from: a.periodFrom, to: a.periodTo, kpi: i.kpi?.code ?? '', scope: `market:${marketId}` } };
    });
  }

  protected submit(step: 'self' | 'review' | 'audit' | 'appeal' | 'decide'): void {
    const a = this.a();
    if (!a) return;
    const d = this.draft;
    const evidence = a.items.filter((i) => i.kind === 'evidence');
    const req = step === 'self'
      ? this.api.put(a.id, 'self-assessment', { items: evidence.map((i) => ({ code: i.code, score: d[i.code].score ?? 0, explanation: d[i.code].text, evidence: d[i.code].hash ? [{ attachmentSm3: d[i.code].hash.trim() }] : [] })) })
      : step === 'review'
        ? this.api.put(a.id, 'review', { items: a.items.map((i) => ({ code: i.code, ...(i.kind === 'evidence' ? { score: d[i.code].score ?? undefined } : {}), comment: d[i.code].text })) })
        : step === 'audit'
          ? this.api.put(a.id, 'audit', { items: a.items.filter((i) => d[i.code].score !== null).map((i) => ({ code: i.code, score: d[i.code].score, reason: d[i.code].text })) })
          : step === 'appeal'
            ? this.api.post(a.id, 'appeal', { reason: this.reason, items: [] })
            : this.api.post(a.id, 'appeal-decision', { decision: this.decision, reason: this.reason, items: a.items.filter((i) => d[i.code].score !== null).map((i) => ({ code: i.code, score: d[i.code].score })) });
    this.saving.set(true);
    req.subscribe({
      next: () => { this.saving.set(false); this.message.success(this.lang.t('assessment.saved')); this.reason = ''; this.load(); },
      error: (e) => { this.saving.set(false); this.problems.handle(e); },
    });
  }
}
