import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { LgCell, LgListPage, listState, type ListColumn } from '@linggong/console-ui';
import { AssessmentApi } from './assessment.api';
import { GRADE_COLOUR } from './labels';

/** 考核结果: published results, newest first (history); each opens its workspace with the radar chart. */
@Component({
  selector: 'lg-assessment-results',
  imports: [LgListPage, LgCell, RouterLink, TranslocoPipe, NzTagModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <lg-list-page heading="assessment.results" [list]="list" [columns]="columns" testId="table-results" rowTestId="result-row">
      <ng-template lgCell="cycle" [lgCellOf]="list" let-r><a [routerLink]="['/assessment', r.assessmentId]">{{ r.cycleName }}</a><div class="lg-muted">{{ r.periodFrom }} ~ {{ r.periodTo }}</div></ng-template>
      <ng-template lgCell="grade" [lgCellOf]="list" let-r><nz-tag [nzColor]="grades[r.grade]">{{ 'assessment.grade.' + r.grade | transloco }}</nz-tag></ng-template>
      <ng-template lgCell="consequence" [lgCellOf]="list" let-r>{{ 'assessment.consequence.' + r.consequence | transloco }}</ng-template>
      <ng-template lgCell="final" [lgCellOf]="list" let-r>{{ (r.final ? 'assessment.final' : 'assessment.appealOpen') | transloco }}@if (r.appealed) { · {{ 'assessment.appealed' | transloco }} }</ng-template>
    </lg-list-page>`,
})
export class ResultsPage {
  private readonly api = inject(AssessmentApi);
  protected readonly grades = GRADE_COLOUR;
  protected readonly list = listState({ filters: {}, load: () => this.api.results() });
  protected readonly columns: ListColumn[] = [
    { key: 'cycle', title: 'assessment.cycle' },
    { key: 'regionCode', title: 'assessment.region' },
    { key: 'total', title: 'assessment.total', align: 'right' },
    { key: 'grade', title: 'assessment.gradeTitle' },
    { key: 'consequence', title: 'assessment.consequenceTitle' },
    { key: 'final', title: 'assessment.state' },
  ];
}
