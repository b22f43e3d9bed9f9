import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { map, tap } from 'rxjs';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { AuthService, ProblemService } from '@linggong/console-core';
import { LgCell, LgListPage, listState, type ListColumn } from '@linggong/console-ui';
import { AssessmentApi, type AssessmentSummary, type CycleView } from './assessment.api';
import { GRADE_COLOUR, STATE_COLOUR } from './labels';

/** One cycle: its assessments (operator, contract, step, total, grade) and, for the opener, freeze and publish. */
@Component({
  selector: 'lg-assessment-cycle',
  imports: [LgListPage, LgCell, RouterLink, TranslocoPipe, NzButtonModule, NzTagModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <lg-list-page [heading]="cycle()?.name ?? 'assessment.cycle'" [list]="list" [columns]="columns" testId="table-assessments" rowTestId="assessment-row">
      <div lgListActions class="lg-toolbar">
        @if (cycle(); as c) {
          <nz-tag [nzColor]="colour[c.state]" data-testid="cycle-state">{{ 'assessment.cycleState.' + c.state | transloco }}</nz-tag>
          <span class="lg-muted">{{ c.periodFrom }} ~ {{ c.periodTo }}</span>
          @if (opener() && c.state === 'open') { <button nz-button nzType="primary" (click)="act('freeze')" data-testid="cycle-freeze">{{ 'assessment.freeze' | transloco }}</button> }
          @if (opener() && c.state === 'frozen') { <button nz-button nzType="primary" (click)="act('publish')" data-testid="cycle-publish">{{ 'assessment.publish' | transloco }}</button> }
        }
      </div>
      <ng-template lgCell="operator" [lgCellOf]="list" let-a><a [routerLink]="['/assessment', a.id]" data-testid="assessment-link">{{ a.operatorName }}</a><div class="lg-muted">{{ a.contractNumber }}</div></ng-template>
      <ng-template lgCell="state" [lgCellOf]="list" let-a>
        <nz-tag [nzColor]="colour[a.state]">{{ 'assessment.stateName.' + a.state | transloco }}</nz-tag>
        @if (a.sampled) { <nz-tag nzColor="purple">{{ 'assessment.sampled' | transloco }}</nz-tag> }
      </ng-template>
      <ng-template lgCell="total" [lgCellOf]="list" let-a>{{ a.total ?? '—' }}</ng-template>
      <ng-template lgCell="grade" [lgCellOf]="list" let-a>
        @if (a.grade) { <nz-tag [nzColor]="grades[a.grade]" data-testid="assessment-grade">{{ 'assessment.grade.' + a.grade | transloco }}</nz-tag> <span class="lg-muted">{{ 'assessment.consequence.' + a.consequence | transloco }}</span> }
      </ng-template>
    </lg-list-page>`,
})
export class CyclePage {
  private readonly api = inject(AssessmentApi);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly id = inject(ActivatedRoute).snapshot.paramMap.get('id') ?? '';
  protected readonly colour = STATE_COLOUR;
  protected readonly grades = GRADE_COLOUR;
  protected readonly cycle = signal<CycleView | null>(null);
  protected readonly opener = computed(() => {
    this.auth.ability();
    const c = this.cycle();
    return !!c && this.auth.can('publish', 'AssessmentCycle') && this.auth.me()?.regionPrefix === c.regionCode;
  });
  protected readonly list = listState<Record<string, never>, AssessmentSummary>({
    filters: {},
    load: () => this.api.cycle(this.id).pipe(
      tap((c) => this.cycle.set(c)),
      map((c) => ({ items: c.assessments, total: c.assessments.length, page: 1, pageSize: Math.max(c.assessments.length, 1) })),
    ),
  });
  protected readonly columns: ListColumn[] = [
    { key: 'operator', title: 'assessment.operator' },
    { key: 'state', title: 'assessment.state' },
    { key: 'total', title: 'assessment.total' },
    { key: 'grade', title: 'assessment.gradeTitle' },
  ];

  protected act(action: 'freeze' | 'publish'): void {
    this.api.cycleAction(this.id, action).subscribe({ next: () => this.list.reload(), error: (e) => this.problems.handle(e) });
  }
}
