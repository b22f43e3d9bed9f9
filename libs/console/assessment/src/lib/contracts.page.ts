import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzSelectModule } from 'ng-zorro-antd/select';
import type { MarketView, OrganisationView } from '@linggong/domain';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { AuthService, MarketsService, OrganisationsService, ProblemService, YuanPipe } from '@linggong/console-core';
import { LgCell, LgListPage, listState, type ListColumn } from '@linggong/console-ui';
import { AssessmentApi, type ContractOperator, type ContractView } from './assessment.api';

/** 合同: the county's contracts with operators (an operator sees its own); legacy ones flagged as needing their terms. */
@Component({
  selector: 'lg-assessment-contracts',
  imports: [LgListPage, LgCell, TranslocoPipe, NzTagModule, YuanPipe, FormsModule, NzButtonModule, NzInputModule, NzModalModule, NzSelectModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <lg-list-page heading="assessment.contracts" [list]="list" [columns]="columns" testId="table-contracts" rowTestId="contract-row">
      <div lgListActions class="lg-toolbar">
        @if (canCreate()) { <button nz-button nzType="primary" (click)="start()" data-testid="contract-create">{{ 'assessment.recordContract' | transloco }}</button> }
      </div>
      <ng-template lgCell="number" [lgCellOf]="list" let-c>{{ c.number }} <span class="lg-muted">v{{ c.version }}</span>
        @if (c.needsTerms) { <nz-tag nzColor="gold" data-testid="contract-needs-terms">{{ 'assessment.needsTerms' | transloco }}</nz-tag> }</ng-template>
      <ng-template lgCell="title" [lgCellOf]="list" let-c>{{ c.title }}<div class="lg-muted">{{ c.operatorName }}</div></ng-template>
      <ng-template lgCell="term" [lgCellOf]="list" let-c>{{ c.termFrom }} ~ {{ c.termTo }}</ng-template>
      <ng-template lgCell="markets" [lgCellOf]="list" let-c>{{ c.marketIds.length }}</ng-template>
      <ng-template lgCell="amount" [lgCellOf]="list" let-c>{{ c.amountFen | yuan }}</ng-template>
      <ng-template lgCell="document" [lgCellOf]="list" let-c><code class="lg-muted">{{ c.documentSm3 ? c.documentSm3.slice(0, 12) + '…' : '—' }}</code></ng-template>
      <ng-template lgCell="actions" [lgCellOf]="list" let-c>
        @if (canAmend() && c.live) { <button nz-button nzSize="small" (click)="startAmend(c)" data-testid="contract-amend">{{ 'assessment.amendContract' | transloco }}</button> }
      </ng-template>
      <nz-modal [nzVisible]="creating()" (nzOnCancel)="creating.set(false)" [nzTitle]="(amending() ? 'assessment.amendContract' : 'assessment.recordContract') | transloco" (nzOnOk)="save()" [nzOkText]="'assessment.submit' | transloco" nzWidth="640px">
        <div *nzModalContent class="lg-form" data-testid="contract-form">
          @if (amending(); as c) {
            <div class="field">{{ 'assessment.operator' | transloco }} <strong data-testid="contract-amend-operator">{{ c.operatorName }}</strong>
              <span class="lg-muted">{{ 'assessment.amendHint' | transloco: { number: c.number, version: c.version } }}</span></div>
          } @else {
            <div class="field">{{ 'assessment.operator' | transloco }}
              <nz-select [ngModel]="operatorId()" (ngModelChange)="pick($event)" nzShowSearch nzServerSearch (nzOnSearch)="searchOperators($event)" [nzPlaceHolder]="'assessment.operatorSearch' | transloco"
                style="width: 100%" data-testid="contract-operator">@for (o of operatorOptions(); track o.id) { <nz-option [nzValue]="o.id" [nzLabel]="o.label" /> }</nz-select>
              <span class="lg-muted">{{ 'assessment.operatorSearch' | transloco }}</span></div>
          }
          <div class="field">{{ 'assessment.markets' | transloco }}
            <nz-select nzMode="multiple" [(ngModel)]="f.marketIds" style="width: 100%" data-testid="contract-markets">@for (m of operatorMarkets(); track m.id) { <nz-option [nzValue]="m.id" [nzLabel]="marketLabel(m)" /> }</nz-select>
            <span class="lg-muted">{{ 'assessment.contractMarketsHint' | transloco }}</span></div>
          <div class="grid">
            <label>{{ 'assessment.contractNumber' | transloco }} <input nz-input [(ngModel)]="f.number" [disabled]="!!amending()" data-testid="contract-number" /></label>
            <label>{{ 'assessment.contractTitle' | transloco }} <input nz-input [(ngModel)]="f.title" /></label>
            <label>{{ 'assessment.termFrom' | transloco }} <input nz-input type="date" [(ngModel)]="f.termFrom" /></label>
            <label>{{ 'assessment.termTo' | transloco }} <input nz-input type="date" [(ngModel)]="f.termTo" /></label>
            <label>{{ 'assessment.amountYuan' | transloco }} <input nz-input type="number" min="0" [(ngModel)]="f.amountYuan" data-testid="contract-amount" /></label>
            <label>{{ 'assessment.resultSharePct' | transloco }} <input nz-input type="number" min="0" max="100" [(ngModel)]="f.resultPct" /></label>
            <label>{{ 'assessment.ratePerHire' | transloco }} <input nz-input type="number" min="0" [(ngModel)]="f.ratePerHireYuan" /></label>
            <label>{{ 'assessment.documentSm3' | transloco }} <input nz-input [(ngModel)]="f.documentSm3" data-testid="contract-sm3" /></label>
          </div>
          <p class="lg-muted">{{ (amending() ? 'assessment.amendScheduleHint' : 'assessment.scheduleHint') | transloco }}</p>
          @if (amending()) {
            <label>{{ 'assessment.amendReason' | transloco }} <textarea nz-input rows="2" [(ngModel)]="f.reason" data-testid="contract-reason"></textarea></label>
          }
        </div>
      </nz-modal>
    </lg-list-page>`,
  styles: [`.lg-form { display: grid; gap: 10px; } .lg-form label, .lg-form .field { display: grid; gap: 4px; } .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }`],
})
export class ContractsPage {
  private readonly api = inject(AssessmentApi);
  private readonly auth = inject(AuthService);
  private readonly orgs = inject(OrganisationsService);
  private readonly marketsApi = inject(MarketsService);
  private readonly problems = inject(ProblemService);
  protected readonly creating = signal(false);
  protected readonly operators = signal<OrganisationView[]>([]);
  private readonly markets = signal<MarketView[]>([]);
  protected readonly operatorId = signal('');
  /** What the county typed in the operator picker, and the server's answer for it (active operators of any county). */
  private readonly operatorTerm = signal('');
  private readonly found = signal<ContractOperator[]>([]);
  private readonly picked = signal<{ id: string; label: string } | null>(null);
  private searchSerial = 0;
  private static label(o: ContractOperator): string {
    return `${o.name}（${o.regionName}${o.creditCode ? ' · ' + o.creditCode : ''}）`;
  }
  /**
   * The picker's options: the operators the county sees (its own, the exiting ones included) until it types; then the
   * search's (`GET /v1/contracts/operators`: active operators by name or credit code, those registered in another
   * county included, issue 15 §1). The chosen one stays among them so its label shows.
   */
  protected readonly operatorOptions = computed(() => {
    const options = this.operatorTerm().length >= 2
      ? this.found().map((o) => ({ id: o.id, label: ContractsPage.label(o) }))
      : this.operators().map((o) => ({ id: o.id, label: o.name }));
    const picked = this.picked();
    return picked && !options.some((o) => o.id === picked.id) ? [picked, ...options] : options;
  });
  protected searchOperators(term: string): void {
    const q = term.trim();
    this.operatorTerm.set(q);
    const serial = ++this.searchSerial;
    if (q.length < 2) { this.found.set([]); return; }
    this.api.contractOperators(q).subscribe({
      next: (rows) => { if (serial === this.searchSerial) this.found.set(rows); },
      error: (e) => this.problems.handle(e),
    });
  }
  protected pick(id: string): void {
    this.picked.set(this.operatorOptions().find((o) => o.id === id) ?? null);
    this.operatorId.set(id);
  }
  protected f = ContractsPage.blank();
  private static blank() {
    return { marketIds: [] as string[], number: '', title: '零工市场委托运营服务合同', termFrom: '', termTo: '', amountYuan: 0, resultPct: 30, ratePerHireYuan: 0, documentSm3: '', reason: '' };
  }
  protected readonly canCreate = computed(() => {
    this.auth.ability();
    return this.auth.can('create', 'Contract');
  });
  /** The county reviewer amends its live contracts (abilities: `update Contract`); others read them. */
  protected readonly canAmend = computed(() => {
    this.auth.ability();
    return this.auth.can('update', 'Contract');
  });
  /** The live version being amended, or null while recording a new contract. */
  protected readonly amending = signal<ContractView | null>(null);
  /**
   * The markets of the county a contract with the chosen operator may list (the API refuses others): the operator's own,
   * those with no operator yet (the county contracts first, then assigns the market: issue 15 §1), and those of an
   * operator that is exiting (the successor's contract for the handover).
   */
  protected readonly operatorMarkets = computed(() => {
    const exiting = new Set(this.operators().filter((o) => o.status === 'exiting').map((o) => o.id));
    const listed = new Set(this.amending()?.marketIds ?? []);
    return this.markets().filter((m) => listed.has(m.id) || (m.regionCode === this.auth.me()?.regionPrefix
      && (m.operatorId === this.operatorId() || !m.operatorId || exiting.has(m.operatorId))));
  });
  private readonly transloco = inject(TranslocoService);
  protected marketLabel(m: MarketView): string {
    if (!m.operatorId) return `${m.name}（${this.transloco.translate('assessment.marketUnassigned')}）`;
    if (m.operatorId !== this.operatorId()) return `${m.name}（${this.transloco.translate('assessment.marketOperatorExiting', { name: m.operatorName ?? '' })}）`;
    return m.name;
  }
  protected start(): void {
    this.amending.set(null);
    this.f = ContractsPage.blank();
    this.operatorId.set('');
    this.open();
  }
  /**
   * The amendment form, filled with the live version's terms: the result-linked share and the rate per started hire read
   * from its schedule and unit rates, kept as they are unless the amount, the share or the rate is changed.
   */
  protected startAmend(c: ContractView): void {
    const rate = c.unitRates.find((r) => r.kpi === 'hires_started')?.rateFen ?? 0;
    this.amending.set(c);
    this.operatorId.set(c.operatorId);
    this.f = {
      marketIds: [...c.marketIds], number: c.number, title: c.title, termFrom: c.termFrom, termTo: c.termTo, amountYuan: c.amountFen / 100,
      resultPct: ContractsPage.linkedPct(c), ratePerHireYuan: rate / 100, documentSm3: c.documentSm3 ?? '', reason: '',
    };
    this.open();
  }
  /** The result-linked share of a version's amount, in whole percent (the form's field). */
  private static linkedPct(c: ContractView): number {
    const linked = c.schedule.filter((x) => x.resultLinked).reduce((a, x) => a + x.amountFen, 0);
    return c.amountFen ? Math.round((linked / c.amountFen) * 100) : 0;
  }
  private open(): void {
    this.operatorTerm.set('');
    this.found.set([]);
    this.orgs.list({ kind: 'operator', pageSize: 100 }).subscribe({ next: (p) => this.operators.set(p.items), error: (e) => this.problems.handle(e) });
    this.marketsApi.list({ pageSize: 200 }).subscribe({ next: (p) => this.markets.set(p.items), error: (e) => this.problems.handle(e) });
    this.creating.set(true);
  }
  /**
   * The county records a contract (R-A3). The form's schedule is the usual shape: the amount in two instalments due at
   * the term's end, the result-linked share and the rest; the API takes any schedule.
   */
  protected save(): void {
    const amountFen = Math.round(Number(this.f.amountYuan) * 100);
    const linked = Math.round((amountFen * Number(this.f.resultPct)) / 100);
    const due = this.f.termTo;
    const rateFen = Math.round(Number(this.f.ratePerHireYuan) * 100);
    const terms = {
      number: this.f.number, title: this.f.title, termFrom: this.f.termFrom, termTo: this.f.termTo, marketIds: this.f.marketIds,
      amountFen, documentSm3: this.f.documentSm3.trim().toLowerCase(),
      schedule: [{ label: '基本运营费', due, amountFen: amountFen - linked, resultLinked: false }, { label: '考核结算', due, amountFen: linked, resultLinked: true }],
      unitRates: rateFen > 0 ? [{ kpi: 'hires_started', rateFen }] : [],
    };
    const c = this.amending();
    const done = { next: () => { this.creating.set(false); this.list.reload(); }, error: (e: unknown) => this.problems.handle(e) };
    if (!c) {
      this.api.createContract({ operatorId: this.operatorId(), ...terms }).subscribe(done);
      return;
    }
    // An amendment keeps what the form does not show: the schedule while the amount and the share stand, the other unit
    // rates, the grade factors.
    const sameMoney = amountFen === c.amountFen && ContractsPage.linkedPct(c) === Number(this.f.resultPct);
    const otherRates = c.unitRates.filter((r) => r.kpi !== 'hires_started');
    this.api.amendContract(c.id, {
      ...terms, reason: this.f.reason.trim(), gradeFactors: c.gradeFactors,
      schedule: sameMoney ? c.schedule : terms.schedule, unitRates: [...otherRates, ...terms.unitRates],
    }).subscribe(done);
  }
  protected readonly list = listState({ filters: {}, load: () => this.api.contracts() });
  protected readonly columns: ListColumn[] = [
    { key: 'number', title: 'assessment.contractNumber' },
    { key: 'title', title: 'assessment.contractTitle' },
    { key: 'term', title: 'assessment.term' },
    { key: 'markets', title: 'assessment.markets', align: 'right' },
    { key: 'amount', title: 'assessment.amount', align: 'right' },
    { key: 'document', title: 'assessment.documentSm3' },
    { key: 'actions', title: 'common.actions' },
  ];
}
