import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { AuthService, ProblemService } from '@linggong/console-core';
import { LgCell, LgListPage, listState, type ListColumn } from '@linggong/console-ui';
import { AssessmentApi, type ContractView, type TemplateView } from './assessment.api';
import { STATE_COLOUR } from './labels';

/** 考核评估: the cycles board — every cycle the caller reads, by state (open, data frozen, published). */
@Component({
  selector: 'lg-assessment-cycles',
  imports: [LgListPage, LgCell, FormsModule, RouterLink, TranslocoPipe, NzButtonModule, NzSelectModule, NzTagModule, NzInputModule, NzModalModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <lg-list-page heading="assessment.cycles" [list]="list" [columns]="columns" testId="table-cycles" rowTestId="cycle-row">
      <div lgListActions class="lg-toolbar">
        <a nz-button routerLink="/assessment/results" data-testid="assessment-results-link">{{ 'assessment.results' | transloco }}</a>
        @if (canOpen()) { <button nz-button nzType="primary" (click)="startOpen()" data-testid="cycle-open">{{ 'assessment.openCycle' | transloco }}</button> }
      </div>
      <div lgListFilters class="lg-toolbar lg-filters">
        <nz-select style="width: 160px" nzAllowClear [ngModel]="list.draft.state()" (ngModelChange)="list.set({ state: $event })" [nzPlaceHolder]="'assessment.state' | transloco" data-testid="cycle-filter-state">
          @for (s of states; track s) { <nz-option [nzValue]="s" [nzLabel]="'assessment.cycleState.' + s | transloco" /> }
        </nz-select>
      </div>
      <ng-template lgCell="name" [lgCellOf]="list" let-c><a [routerLink]="['/assessment/cycles', c.id]">{{ c.name }}</a><div class="lg-muted">{{ c.templateName }} v{{ c.templateVersion }}</div></ng-template>
      <ng-template lgCell="period" [lgCellOf]="list" let-c>{{ c.periodFrom }} ~ {{ c.periodTo }}</ng-template>
      <ng-template lgCell="deadlines" [lgCellOf]="list" let-c>{{ 'assessment.cutoff' | transloco }} {{ c.cutoff }} · {{ 'assessment.selfDeadline' | transloco }} {{ c.selfDeadline }}</ng-template>
      <ng-template lgCell="progress" [lgCellOf]="list" let-c>{{ c.published }} / {{ c.assessments }}</ng-template>
      <ng-template lgCell="state" [lgCellOf]="list" let-c><nz-tag [nzColor]="colour[c.state]" data-testid="cycle-state">{{ 'assessment.cycleState.' + c.state | transloco }}</nz-tag></ng-template>
      <nz-modal [nzVisible]="opening()" (nzOnCancel)="opening.set(false)" [nzTitle]="'assessment.openCycle' | transloco" (nzOnOk)="open()" [nzOkText]="'assessment.submit' | transloco" nzWidth="640px">
        <div *nzModalContent class="lg-form" data-testid="cycle-form">
          <label>{{ 'assessment.cycle' | transloco }} <input nz-input [(ngModel)]="form.name" data-testid="cycle-name" /></label>
          <div class="field">{{ 'assessment.kind' | transloco }}
            <nz-select [(ngModel)]="form.kind" style="width: 100%">@for (k of kinds; track k) { <nz-option [nzValue]="k" [nzLabel]="'assessment.kinds.' + k | transloco" /> }</nz-select></div>
          <div class="field">{{ 'assessment.templates' | transloco }}
            <nz-select [(ngModel)]="form.templateId" style="width: 100%" data-testid="cycle-template">@for (t of templates(); track t.id) { <nz-option [nzValue]="t.id" [nzLabel]="t.name + ' v' + t.version" /> }</nz-select></div>
          <div class="field">{{ 'assessment.contracts' | transloco }}
            <nz-select nzMode="multiple" [(ngModel)]="form.contractIds" style="width: 100%" data-testid="cycle-contracts">@for (c of contracts(); track c.id) { <nz-option [nzValue]="c.id" [nzLabel]="c.operatorName + ' · ' + c.number" /> }</nz-select></div>
          <div class="dates">
            @for (f of dateFields; track f) { <label>{{ 'assessment.' + f | transloco }} <input nz-input type="date" [(ngModel)]="form[f]" [attr.data-testid]="'cycle-' + f" /></label> }
            <label>{{ 'assessment.samplePct' | transloco }} <input nz-input type="number" min="0" max="100" [(ngModel)]="form.samplePct" /></label>
          </div>
        </div>
      </nz-modal>
    </lg-list-page>`,
  styles: [`.lg-form { display: grid; gap: 10px; } .lg-form label, .lg-form .field { display: grid; gap: 4px; } .dates { display: grid; grid-template-columns: repeat(3, 1fr); gap: 10px; }`],
})
export class CyclesPage {
  private readonly api = inject(AssessmentApi);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  protected readonly kinds = ['quarterly', 'annual', 'special'];
  protected readonly dateFields = ['periodFrom', 'periodTo', 'cutoff', 'selfDeadline', 'reviewDeadline'] as const;
  protected readonly opening = signal(false);
  protected readonly templates = signal<TemplateView[]>([]);
  protected readonly contracts = signal<ContractView[]>([]);
  protected form = { name: '', kind: 'quarterly', templateId: '', contractIds: [] as string[], samplePct: 30, periodFrom: '', periodTo: '', cutoff: '', selfDeadline: '', reviewDeadline: '' };
  protected readonly canOpen = computed(() => {
    this.auth.ability();
    return this.auth.can('create', 'AssessmentCycle');
  });

  /** The province or a county opens a cycle (issue 15 §3): a pinned template version, contracts of its region, dates. */
  protected startOpen(): void {
    this.api.templates().subscribe({ next: (t) => { this.templates.set(t); if (!this.form.templateId && t[0]) this.form.templateId = t[0].id; }, error: (e) => this.problems.handle(e) });
    this.api.liveContracts().subscribe({ next: (c) => this.contracts.set(c), error: (e) => this.problems.handle(e) });
    this.opening.set(true);
  }
  protected open(): void {
    this.api.openCycle({ ...this.form, samplePct: Number(this.form.samplePct) }).subscribe({
      next: () => { this.opening.set(false); this.list.reload(); },
      error: (e) => this.problems.handle(e),
    });
  }
  protected readonly states = ['open', 'frozen', 'published'];
  protected readonly colour = STATE_COLOUR;
  protected readonly list = listState({ filters: { state: null as string | null }, load: ({ filters }) => this.api.cycles(filters.state) });
  protected readonly columns: ListColumn[] = [
    { key: 'name', title: 'assessment.cycle' },
    { key: 'period', title: 'assessment.period' },
    { key: 'deadlines', title: 'assessment.deadlines' },
    { key: 'progress', title: 'assessment.publishedOf' },
    { key: 'state', title: 'assessment.state' },
  ];
}
