import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { AuthService, ProblemService } from '@linggong/console-core';
import { LgCell, LgListPage, listState, type ListColumn } from '@linggong/console-ui';
import { AssessmentApi, type CycleView, type ModelEvaluation } from './assessment.api';

export const MODEL_STATE_COLOUR: Record<string, string> = { notice: 'gold', designated: 'green', dropped: 'default', revoked: 'red' };

/**
 * 示范零工市场 (issue 15 §5): the model-market lists the caller reads; the province (provincial title) or a city
 * (city-level title) proposes a list from a published cycle — the rules' answer for every market shown first:
 * candidates with their reasons, excluded markets with why — and it stands under 公示.
 */
@Component({
  selector: 'lg-model-markets',
  imports: [LgListPage, LgCell, FormsModule, RouterLink, TranslocoPipe, NzButtonModule, NzCheckboxModule, NzInputModule, NzModalModule, NzSelectModule, NzTagModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <lg-list-page heading="assessment.model.lists" [list]="list" [columns]="columns" testId="table-model-lists" rowTestId="model-list-row">
      <div lgListActions class="lg-toolbar">
        @if (canPropose()) { <button nz-button nzType="primary" (click)="start()" data-testid="model-propose">{{ 'assessment.model.propose' | transloco }}</button> }
      </div>
      <ng-template lgCell="title" [lgCellOf]="list" let-l><a [routerLink]="['/assessment/model-markets', l.id]" data-testid="model-list-link">{{ l.title }}</a><div class="lg-muted">{{ l.cycleName }}</div></ng-template>
      <ng-template lgCell="level" [lgCellOf]="list" let-l>{{ 'assessment.model.level.' + l.level | transloco }}</ng-template>
      <ng-template lgCell="notice" [lgCellOf]="list" let-l>{{ l.noticeFrom }} ~ {{ l.noticeUntil }}</ng-template>
      <ng-template lgCell="state" [lgCellOf]="list" let-l><nz-tag [nzColor]="colour[l.state]" data-testid="model-list-state">{{ 'assessment.model.state.' + l.state | transloco }}</nz-tag></ng-template>
      <ng-template lgCell="counts" [lgCellOf]="list" let-l>{{ l.markets }} · {{ 'assessment.model.designatedCount' | transloco: { n: l.designated } }} · {{ 'assessment.model.objectionCount' | transloco: { n: l.objections } }}</ng-template>
      <nz-modal [nzVisible]="proposing()" (nzOnCancel)="proposing.set(false)" [nzTitle]="'assessment.model.propose' | transloco" (nzOnOk)="propose()" [nzOkText]="'assessment.model.startNotice' | transloco" nzWidth="760px">
        <div *nzModalContent class="lg-form" data-testid="model-form">
          <div class="field">{{ 'assessment.cycle' | transloco }}
            <nz-select [ngModel]="cycleId()" (ngModelChange)="pick($event)" style="width: 100%" data-testid="model-cycle">
              @for (c of cycles(); track c.id) { <nz-option [nzValue]="c.id" [nzLabel]="c.name" /> }
            </nz-select></div>
          <div class="grid">
            <label>{{ 'assessment.model.title' | transloco }} <input nz-input [(ngModel)]="title" data-testid="model-title" /></label>
            <label>{{ 'assessment.model.noticeDays' | transloco }} <input nz-input type="number" min="5" max="30" [(ngModel)]="noticeDays" data-testid="model-notice-days" /></label>
          </div>
          @if (evaluation(); as ev) {
            <p class="lg-muted">{{ 'assessment.model.rulesHint' | transloco: { day: ev.day } }}</p>
            <ul class="markets" data-testid="model-evaluation">
              @for (m of ev.markets; track m.marketId) {
                <li [attr.data-testid]="m.eligible ? 'model-candidate' : 'model-excluded'">
                  @if (m.eligible) {
                    <!-- nz-checkbox renders its own <input> inside the label -->
                    <!-- eslint-disable-next-line @angular-eslint/template/label-has-associated-control -->
                    <label nz-checkbox [ngModel]="chosen().has(m.marketId)" (ngModelChange)="toggle(m.marketId, $event)">{{ m.name }}</label>
                  }
                  @else { <span class="lg-muted">{{ m.name }}</span> }
                  @if (m.grade) { <nz-tag>{{ 'assessment.grade.' + m.grade | transloco }} {{ m.total }}</nz-tag> }
                  @for (e of m.exclusions; track e.key) { <nz-tag nzColor="red">{{ 'assessment.model.exclusion.' + e.key | transloco: e.params ?? {} }}</nz-tag> }
                  @for (r of m.reasons; track r.key) { <span class="lg-muted reason">{{ 'assessment.model.reason.' + r.key | transloco: r.params ?? {} }}</span> }
                </li>
              }
            </ul>
          }
        </div>
      </nz-modal>
    </lg-list-page>`,
  styles: [`.lg-form { display: grid; gap: 10px; } .lg-form label, .lg-form .field { display: grid; gap: 4px; } .grid { display: grid; grid-template-columns: 2fr 1fr; gap: 10px; }
    .markets { list-style: none; padding: 0; margin: 0; display: grid; gap: 6px; max-height: 360px; overflow: auto; } .markets li { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
    .markets label { display: inline-flex; } .reason::after { content: '·'; margin-left: 6px; } .reason:last-child::after { content: ''; }`],
})
export class ModelMarketsPage {
  private readonly api = inject(AssessmentApi);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  protected readonly colour = MODEL_STATE_COLOUR;
  protected readonly proposing = signal(false);
  protected readonly cycles = signal<CycleView[]>([]);
  protected readonly cycleId = signal('');
  protected readonly evaluation = signal<ModelEvaluation | null>(null);
  protected readonly chosen = signal(new Set<string>());
  protected title = '';
  protected noticeDays = 7;
  protected readonly canPropose = computed(() => {
    this.auth.ability();
    return this.auth.can('create', 'ModelMarket');
  });
  protected readonly list = listState({ filters: {}, load: () => this.api.modelLists() });
  protected readonly columns: ListColumn[] = [
    { key: 'title', title: 'assessment.model.title' },
    { key: 'level', title: 'assessment.model.levelTitle' },
    { key: 'notice', title: 'assessment.model.notice' },
    { key: 'state', title: 'assessment.state' },
    { key: 'counts', title: 'assessment.markets' },
  ];

  protected start(): void {
    this.api.cycles('published').subscribe({ next: (p) => this.cycles.set(p.items), error: (e) => this.problems.handle(e) });
    this.evaluation.set(null);
    this.cycleId.set('');
    this.proposing.set(true);
  }
  /** The rules' answer for the chosen cycle (nothing written): every candidate ticked to start with. */
  protected pick(id: string): void {
    this.cycleId.set(id);
    this.api.modelEligibility(id).subscribe({
      next: (ev) => {
        this.evaluation.set(ev);
        this.chosen.set(new Set(ev.markets.filter((m) => m.eligible).map((m) => m.marketId)));
        if (!this.title) this.title = `示范零工市场拟认定名单（${ev.cycle.name}）`;
      },
      error: (e) => this.problems.handle(e),
    });
  }
  protected toggle(id: string, on: boolean): void {
    const next = new Set(this.chosen());
    if (on) next.add(id); else next.delete(id);
    this.chosen.set(next);
  }
  protected propose(): void {
    this.api.proposeModelMarkets({ cycleId: this.cycleId(), title: this.title, noticeDays: Number(this.noticeDays), marketIds: [...this.chosen()] })
      .subscribe({ next: () => { this.proposing.set(false); this.list.reload(); }, error: (e) => this.problems.handle(e) });
  }
}
