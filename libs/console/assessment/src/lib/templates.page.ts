import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzMessageService } from 'ng-zorro-antd/message';
import { bandProblems, kpiOf, leavesOf, type IndicatorNode, type TemplateBody } from '@linggong/domain';
import { AuthService, LangService, ProblemService } from '@linggong/console-core';
import { AssessmentApi, type TemplateView } from './assessment.api';

const round2 = (x: number) => Math.round(x * 100) / 100;
/** A parent's weight is the sum of its children's (the rule the API checks): recomputed before showing and saving. */
function withSums(nodes: IndicatorNode[]): IndicatorNode[] {
  return nodes.map((n) => {
    if (!n.children?.length) return n;
    const children = withSums(n.children);
    return { ...n, children, weight: round2(children.reduce((s, c) => s + c.weight, 0)) };
  });
}

/**
 * 指标体系: the province's template editor; for a city or county (issue 15 §2), the local version of a province version:
 * local evidence items added under a second-level indicator, their points taken from the province's leaves (whose
 * weights may only fall), the local total against the province's budget, bands as the province set them.
 *
 * The province's template editor — the tree of 一级 / 二级 / 三级 indicators, leaf weights with the live
 * total (parents add up their children), KPI targets and floors, evidence items added or removed, the grade bands;
 * saved as the next version (the API checks weights and bands and answers with the numbers).
 */
@Component({
  selector: 'lg-assessment-templates',
  imports: [FormsModule, TranslocoPipe, NzButtonModule, NzCardModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzTableModule, NzTagModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: [`.bar { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; margin-bottom: 16px; } .l1 { font-weight: 600; background: #fafafa; }
    .l2 { padding-left: 16px; font-weight: 500; } .l3 { padding-left: 32px; } .bad { color: #cf1322; font-weight: 600; } .ok { color: #237804; font-weight: 600; } .num { width: 90px; }`],
  template: `
    <h2>{{ 'assessment.templates' | transloco }}</h2>
    <div class="bar">
      <nz-select style="width: 280px" [ngModel]="sourceId()" (ngModelChange)="pick($event)" data-testid="template-source">
        @if (!localMode()) { <nz-option nzValue="" [nzLabel]="'assessment.defaultTemplate' | transloco" /> }
        @for (t of sources(); track t.id) { <nz-option [nzValue]="t.id" [nzLabel]="t.name + ' v' + t.version + (t.regionCode ? ' · ' + t.regionCode : '')" /> }
      </nz-select>
      <input nz-input style="width: 240px" [(ngModel)]="name" [placeholder]="'assessment.templateName' | transloco" data-testid="template-name" />
      <span data-testid="template-total" [class]="total() === 100 ? 'ok' : 'bad'">{{ 'assessment.liveTotal' | transloco: { total: total() } }}</span>
      @if (localMode()) {
        <span data-testid="template-local-total" [class]="localTotal() <= body().localBudget ? 'ok' : 'bad'">{{ 'assessment.localTotal' | transloco: { total: localTotal(), budget: body().localBudget } }}</span>
      }
      <button nz-button nzType="primary" (click)="save()" [nzLoading]="saving()" data-testid="template-save">{{ 'assessment.saveVersion' | transloco }}</button>
    </div>
    <nz-table [nzData]="rows()" [nzShowPagination]="false" [nzFrontPagination]="false" nzSize="small" data-testid="template-tree">
      <thead><tr><th>{{ 'assessment.item' | transloco }}</th><th>{{ 'assessment.weight' | transloco }}</th><th>{{ 'assessment.kpiOrEvidence' | transloco }}</th><th>{{ 'assessment.target' | transloco }}</th><th>{{ 'assessment.floor' | transloco }}</th><th></th></tr></thead>
      <tbody>
        @for (r of rows(); track r.key) {
          <tr [attr.data-testid]="'tpl-row-' + r.node.code">
            <td [class]="'l' + r.level">@if (r.node.local) { <nz-tag nzColor="purple" data-testid="tpl-local">{{ 'assessment.localItem' | transloco }}</nz-tag> }
              @if (localMode() && r.node.local) { <input nz-input style="width: 200px" [ngModel]="r.node.zh" (ngModelChange)="setName(r.path, $event)" [attr.data-testid]="'tpl-name-' + r.node.code" /> } @else { {{ r.node.zh }} }</td>
            <td>@if (r.leaf) { <nz-input-number class="num" [nzMin]="0" [nzMax]="100" [nzStep]="1" [ngModel]="r.node.weight" (ngModelChange)="setWeight(r.path, $event)" [attr.data-testid]="'tpl-weight-' + r.node.code" /> } @else { <b>{{ r.node.weight }}</b> }</td>
            <td>@if (r.node.kpi) { {{ kpiName(r.node.kpi.kpi) }} <nz-tag>{{ (r.node.kpi.direction === 'higher' ? 'assessment.higher' : 'assessment.lower') | transloco }}</nz-tag> }
              @if (r.node.evidence) { <nz-tag nzColor="blue">{{ 'assessment.evidenceItem' | transloco }}</nz-tag> {{ r.node.evidence.requirement }} }</td>
            <td>@if (r.node.kpi) { <nz-input-number class="num" [ngModel]="r.node.kpi.target" (ngModelChange)="setKpi(r.path, 'target', $event)" [nzDisabled]="localMode()" /> }</td>
            <td>@if (r.node.kpi) { <nz-input-number class="num" [ngModel]="r.node.kpi.floor" (ngModelChange)="setKpi(r.path, 'floor', $event)" [nzDisabled]="localMode()" /> }</td>
            <td>
              @if (r.level === 2) { <button nz-button nzSize="small" (click)="addEvidence(r.path)" [attr.data-testid]="'tpl-add-' + r.node.code">{{ 'assessment.addEvidence' | transloco }}</button> }
              @if (r.leaf && (!localMode() || r.node.local)) { <button nz-button nzSize="small" nzDanger (click)="remove(r.path)">{{ 'assessment.remove' | transloco }}</button> }
            </td>
          </tr>
        }
      </tbody>
    </nz-table>
    <nz-card [nzTitle]="'assessment.bands' | transloco" style="margin-top: 16px">
      @for (b of body().bands; track b.grade; let i = $index) {
        <div class="bar">
          <span style="width: 40px">{{ 'assessment.grade.' + b.grade | transloco }}</span>
          <nz-input-number class="num" [nzMin]="0" [nzMax]="100" [ngModel]="b.min" (ngModelChange)="setBand(i, 'min', $event)" [nzDisabled]="localMode()" [attr.data-testid]="'band-min-' + b.grade" /> ~
          <nz-input-number class="num" [nzMin]="0" [nzMax]="100" [ngModel]="b.max" (ngModelChange)="setBand(i, 'max', $event)" [nzDisabled]="localMode()" />
          <span>{{ 'assessment.consequence.' + b.consequence | transloco }}</span>
        </div>
      }
      @for (p of bandIssues(); track $index) { <div class="bad" data-testid="band-problem">{{ p }}</div> }
    </nz-card>`,
})
export class TemplatesPage {
  private readonly api = inject(AssessmentApi);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly auth = inject(AuthService);
  /** A city or county edits a local version of a province version. */
  protected readonly localMode = computed(() => ['city', 'county'].includes(this.auth.me()?.org.kind ?? ''));
  protected readonly versions = signal<TemplateView[]>([]);
  /** The versions to start from: the province's (and, for a city or county, its own local ones). */
  protected readonly sources = computed(() => this.versions().filter((v) => !this.localMode() || !v.regionCode || v.regionCode === this.auth.me()?.regionPrefix));
  protected readonly localTotal = computed(() => round2(leavesOf(this.body().indicators).filter((l) => l.node.local).reduce((s, l) => s + l.node.weight, 0)));
  protected readonly sourceId = signal('');
  protected readonly body = signal<TemplateBody>({ indicators: [], bands: [], localBudget: 10 });
  protected readonly saving = signal(false);
  protected name = '省级考核指标体系';

  protected readonly total = computed(() => round2(this.body().indicators.reduce((s, n) => s + n.weight, 0)));
  protected readonly rows = computed(() => {
    const out: { key: string; node: IndicatorNode; level: number; leaf: boolean; path: number[] }[] = [];
    const walk = (nodes: IndicatorNode[], level: number, path: number[]) => nodes.forEach((n, i) => {
      out.push({ key: [...path, i].join('.'), node: n, level, leaf: !n.children?.length, path: [...path, i] });
      if (n.children?.length) walk(n.children, level + 1, [...path, i]);
    });
    walk(this.body().indicators, 1, []);
    return out;
  });
  protected readonly bandIssues = computed(() => bandProblems(this.body().bands).map((p) => this.lang.t(`assessment.bandProblem.${p.key}`, p.params)));

  constructor() {
    this.api.templates().subscribe({
      next: (v) => {
        this.versions.set(v);
        // A city or county starts from the newest province version (there is no default for a local version).
        if (this.localMode()) { const first = v.find((x) => !x.regionCode); if (first) this.pick(first.id); }
      },
      error: (e) => this.problems.handle(e),
    });
    if (!this.localMode()) this.pick('');
  }

  protected pick(id: string): void {
    this.sourceId.set(id);
    const t = this.versions().find((v) => v.id === id);
    if (t) {
      this.name = this.localMode() && !t.regionCode ? `${t.name}（${this.lang.t('assessment.localItem')}）` : t.name;
      this.body.set(structuredClone(t.body));
      return;
    }
    this.api.defaultTemplate().subscribe({ next: (b) => this.body.set(b), error: (e) => this.problems.handle(e) });
  }

  protected kpiName(code: string): string {
    const k = kpiOf(code);
    return k ? (this.lang.lang() === 'en' ? k.en : k.zh) : code;
  }

  /** Change the node at `path` (indices from the top) and recompute the parents' weights. */
  private edit(path: number[], fn: (n: IndicatorNode, siblings: IndicatorNode[], index: number) => void): void {
    const b = structuredClone(this.body());
    let list = b.indicators;
    for (const i of path.slice(0, -1)) list = list[i].children ?? [];
    fn(list[path[path.length - 1]], list, path[path.length - 1]);
    this.body.set({ ...b, indicators: withSums(b.indicators) });
  }
  protected setWeight(path: number[], w: number | null): void {
    this.edit(path, (n) => { n.weight = Number(w ?? 0); });
  }
  protected setKpi(path: number[], field: 'target' | 'floor', v: number | null): void {
    this.edit(path, (n) => { if (n.kpi) n.kpi[field] = Number(v ?? 0); });
  }
  protected remove(path: number[]): void {
    this.edit(path, (_n, siblings, i) => { siblings.splice(i, 1); });
  }
  protected addEvidence(path: number[]): void {
    const label = this.lang.t('assessment.newEvidence');
    const local = this.localMode();
    this.edit(path, (n) => {
      const code = `${n.code}.local${(n.children?.length ?? 0) + 1}`;
      n.children = [...(n.children ?? []), { code, zh: label, weight: 1, evidence: { requirement: label }, ...(local ? { local: true } : {}) }];
    });
  }
  protected setName(path: number[], zh: string): void {
    this.edit(path, (n) => { n.zh = zh; if (n.evidence) n.evidence.requirement = zh; });
  }
  protected setBand(i: number, field: 'min' | 'max', v: number | null): void {
    const b = structuredClone(this.body());
    b.bands[i][field] = Number(v ?? 0);
    this.body.set(b);
  }

  protected save(): void {
    this.saving.set(true);
    const body = { ...this.body(), indicators: withSums(this.body().indicators) };
    const picked = this.versions().find((v) => v.id === this.sourceId());
    const save = this.localMode() ? this.api.saveLocalTemplate(picked?.baseId ?? picked?.id ?? '', this.name.trim(), body) : this.api.saveTemplate(this.name.trim(), body);
    save.subscribe({
      next: (t) => {
        this.saving.set(false);
        this.message.success(this.lang.t('assessment.versionSaved', { version: t.version }));
        this.versions.update((v) => [t, ...v]);
        this.sourceId.set(t.id);
      },
      error: (e) => { this.saving.set(false); this.problems.handle(e); },
    });
  }
}
