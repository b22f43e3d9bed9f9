import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute } from '@angular/router';
import { map, tap } from 'rxjs';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzRadioModule } from 'ng-zorro-antd/radio';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { AuthService, ProblemService } from '@linggong/console-core';
import { LgCell, LgListPage, listState, type ListColumn } from '@linggong/console-ui';
import { AssessmentApi, type ModelListDetail, type ModelTitleView } from './assessment.api';
import { MODEL_STATE_COLOUR } from './model-markets.page';

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * One model-market list (issue 15 §5): its markets with their reasons, state and objections; the granting authority
 * records objections during 公示, designates after it (someone other than the proposer; each objected market kept or
 * dropped with a reason) and revokes a title with reasons. Below: the markets the rules excluded, and why.
 */
@Component({
  selector: 'lg-model-market-list',
  imports: [LgListPage, LgCell, FormsModule, TranslocoPipe, NzButtonModule, NzInputModule, NzModalModule, NzRadioModule, NzSelectModule, NzTagModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <lg-list-page [heading]="detail()?.title ?? 'assessment.model.lists'" [list]="list" [columns]="columns" testId="table-model-markets" rowTestId="model-market-row">
      <div lgListActions class="lg-toolbar">
        @if (detail(); as d) {
          <nz-tag [nzColor]="colour[d.state]" data-testid="model-list-state">{{ 'assessment.model.state.' + d.state | transloco }}</nz-tag>
          <span class="lg-muted" data-testid="model-notice">{{ 'assessment.model.level.' + d.level | transloco }} · {{ 'assessment.model.notice' | transloco }} {{ d.noticeFrom }} ~ {{ d.noticeUntil }}</span>
          @if (own() && d.state === 'notice' && inNotice()) { <button nz-button (click)="startObjection()" data-testid="model-object">{{ 'assessment.model.recordObjection' | transloco }}</button> }
          @if (own() && d.state === 'notice' && !inNotice()) { <button nz-button nzType="primary" (click)="startDesignation()" data-testid="model-designate">{{ 'assessment.model.designate' | transloco }}</button> }
        }
      </div>
      <ng-template lgCell="name" [lgCellOf]="list" let-m>{{ m.name }}<div class="lg-muted">{{ m.regionCode }}</div></ng-template>
      <ng-template lgCell="state" [lgCellOf]="list" let-m><nz-tag [nzColor]="colour[m.state]" data-testid="model-market-state">{{ 'assessment.model.state.' + m.state | transloco }}</nz-tag></ng-template>
      <ng-template lgCell="reasons" [lgCellOf]="list" let-m>
        @for (r of m.reasons; track r.key) { <div class="lg-muted">{{ 'assessment.model.reason.' + r.key | transloco: r.params ?? {} }}</div> }
        @if (m.decisionReason) { <div>{{ 'assessment.model.decision' | transloco }}：{{ m.decisionReason }}</div> }
        @if (m.revokedReason) { <div class="revoked">{{ 'assessment.model.revokedBecause' | transloco }}：{{ m.revokedReason }}</div> }
      </ng-template>
      <ng-template lgCell="objections" [lgCellOf]="list" let-m>
        @for (o of m.objections ?? []; track o.id) { <div data-testid="model-objection">{{ 'assessment.model.channel.' + o.channel | transloco }}：{{ o.content }}</div> }
      </ng-template>
      <ng-template lgCell="actions" [lgCellOf]="list" let-m>
        @if (own() && m.state === 'designated') { <button nz-button nzSize="small" nzDanger (click)="startRevoke(m)" data-testid="model-revoke">{{ 'assessment.model.revoke' | transloco }}</button> }
      </ng-template>
    </lg-list-page>
    @if (detail(); as d) {
      <section class="excluded" data-testid="model-excluded-list">
        <h3>{{ 'assessment.model.excludedHeading' | transloco: { day: d.evaluation.day } }}</h3>
        @for (m of excluded(); track m.marketId) {
          <div data-testid="model-excluded"><b>{{ m.name }}</b>
            @for (e of m.exclusions; track e.key) { <nz-tag nzColor="red">{{ 'assessment.model.exclusion.' + e.key | transloco: e.params ?? {} }}</nz-tag> }</div>
        } @empty { <p class="lg-muted">{{ 'assessment.model.noneExcluded' | transloco }}</p> }
      </section>
    }
    <nz-modal [nzVisible]="mode() === 'object'" (nzOnCancel)="mode.set(null)" [nzTitle]="'assessment.model.recordObjection' | transloco" (nzOnOk)="object()" [nzOkText]="'assessment.submit' | transloco">
      <div *nzModalContent class="lg-form" data-testid="model-objection-form">
        <nz-select [(ngModel)]="objection.marketId" style="width: 100%" data-testid="model-objection-market">@for (m of inList(); track m.marketId) { <nz-option [nzValue]="m.marketId" [nzLabel]="m.name" /> }</nz-select>
        <nz-select [(ngModel)]="objection.channel" style="width: 100%">@for (c of channels; track c) { <nz-option [nzValue]="c" [nzLabel]="'assessment.model.channel.' + c | transloco" /> }</nz-select>
        <textarea nz-input rows="3" [(ngModel)]="objection.content" data-testid="model-objection-content"></textarea>
      </div>
    </nz-modal>
    <nz-modal [nzVisible]="mode() === 'designate'" (nzOnCancel)="mode.set(null)" [nzTitle]="'assessment.model.designate' | transloco" (nzOnOk)="designate()" [nzOkText]="'assessment.model.designate' | transloco" nzWidth="640px">
      <div *nzModalContent class="lg-form" data-testid="model-designation-form">
        <p class="lg-muted">{{ 'assessment.model.designateHint' | transloco }}</p>
        @for (dc of decisions; track dc.marketId) {
          <div class="decision"><b>{{ dc.name }}</b>
            <nz-radio-group [(ngModel)]="dc.keep">
              <!-- nz-radio renders its own <input> inside the label -->
              <!-- eslint-disable-next-line @angular-eslint/template/label-has-associated-control -->
              <label nz-radio [nzValue]="true">{{ 'assessment.model.keep' | transloco }}</label>
              <!-- eslint-disable-next-line @angular-eslint/template/label-has-associated-control -->
              <label nz-radio [nzValue]="false" data-testid="model-drop">{{ 'assessment.model.drop' | transloco }}</label>
            </nz-radio-group>
            <input nz-input [(ngModel)]="dc.reason" [placeholder]="'assessment.model.reasonPlaceholder' | transloco" data-testid="model-decision-reason" /></div>
        }
      </div>
    </nz-modal>
    <nz-modal [nzVisible]="mode() === 'revoke'" (nzOnCancel)="mode.set(null)" [nzTitle]="'assessment.model.revoke' | transloco" (nzOnOk)="revoke()" [nzOkText]="'assessment.model.revoke' | transloco">
      <div *nzModalContent><textarea nz-input rows="3" [(ngModel)]="revokeReason" data-testid="model-revoke-reason" [placeholder]="'assessment.model.reasonPlaceholder' | transloco"></textarea></div>
    </nz-modal>`,
  styles: [`.lg-form { display: grid; gap: 10px; } .excluded { margin-top: 16px; display: grid; gap: 6px; } .decision { display: grid; gap: 4px; } .revoked { color: #a8071a; }`],
})
export class ModelMarketListPage {
  private readonly api = inject(AssessmentApi);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly id = inject(ActivatedRoute).snapshot.paramMap.get('id') ?? '';
  protected readonly colour = MODEL_STATE_COLOUR;
  protected readonly channels = ['letter', 'phone', 'email', 'visit', 'online'];
  protected readonly detail = signal<ModelListDetail | null>(null);
  protected readonly mode = signal<'object' | 'designate' | 'revoke' | null>(null);
  protected objection = { marketId: '', channel: 'letter', content: '' };
  protected decisions: { marketId: string; name: string; keep: boolean; reason: string }[] = [];
  protected revokeReason = '';
  private revoking: ModelTitleView | null = null;
  /** The granting authority itself (the province for its list, the city for its own). */
  protected readonly own = computed(() => {
    this.auth.ability();
    const d = this.detail();
    return !!d && this.auth.can('update', 'ModelMarket') && this.auth.me()?.regionPrefix === d.regionCode;
  });
  protected readonly inNotice = computed(() => today() <= (this.detail()?.noticeUntil ?? ''));
  protected readonly excluded = computed(() => this.detail()?.evaluation.markets.filter((m) => !m.eligible) ?? []);
  protected readonly inList = computed(() => this.detail()?.markets.filter((m) => m.state === 'notice') ?? []);
  protected readonly list = listState<Record<string, never>, ModelTitleView>({
    filters: {},
    load: () => this.api.modelList(this.id).pipe(tap((d) => this.detail.set(d)), map((d) => ({ items: d.markets, total: d.markets.length, page: 1, pageSize: Math.max(d.markets.length, 1) }))),
  });
  protected readonly columns: ListColumn[] = [
    { key: 'name', title: 'assessment.model.market' },
    { key: 'state', title: 'assessment.state' },
    { key: 'reasons', title: 'assessment.model.reasons' },
    { key: 'objections', title: 'assessment.model.objections' },
    { key: 'actions', title: '' },
  ];
  private done = { next: () => { this.mode.set(null); this.list.reload(); }, error: (e: unknown) => this.problems.handle(e) };

  protected startObjection(): void {
    this.objection = { marketId: this.inList()[0]?.marketId ?? '', channel: 'letter', content: '' };
    this.mode.set('object');
  }
  protected object(): void {
    this.api.modelObjection(this.id, this.objection).subscribe(this.done);
  }
  /** Each market with an objection needs a decision; the others are designated as they stand. */
  protected startDesignation(): void {
    this.decisions = this.inList().filter((m) => (m.objections ?? []).length).map((m) => ({ marketId: m.marketId, name: m.name, keep: true, reason: '' }));
    this.mode.set('designate');
  }
  protected designate(): void {
    this.api.designateModelMarkets(this.id, this.decisions.map(({ marketId, keep, reason }) => ({ marketId, keep, reason }))).subscribe(this.done);
  }
  protected startRevoke(m: ModelTitleView): void {
    this.revoking = m;
    this.revokeReason = '';
    this.mode.set('revoke');
  }
  protected revoke(): void {
    if (this.revoking) this.api.revokeModelMarket(this.revoking.id, this.revokeReason).subscribe(this.done);
  }
}
