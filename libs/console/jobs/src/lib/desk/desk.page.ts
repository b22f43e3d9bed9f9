import { ChangeDetectionStrategy, Component, DOCUMENT, inject, viewChild } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { interval } from 'rxjs';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzEmptyModule } from 'ng-zorro-antd/empty';
import { NzTooltipModule } from 'ng-zorro-antd/tooltip';
import { ShanghaiTimePipe } from '@linggong/console-core';
import { DeskStore } from './desk.store';
import { CheckinBar } from './checkin-bar';
import { QueuePanel } from './queue-panel';
import { PostsPanel } from './posts-panel';
import { ConfirmPanel } from './confirm-panel';
import { PlacementsPanel } from './placements-panel';
import { PersonDrawer } from './person-drawer';
import { ApplicationsPanel } from './applications-panel';

/** The queue, posts and placements refresh this often (other desks and phones change them). */
const REFRESH_MS = 15_000;

/**
 * 即时快招 front desk (R-B4, R-B5, R-B7): built for a crowded gate early in the morning, by staff who
 * are not computer people: large type, one box that takes a scanner or the keyboard (F2 jumps to it),
 * the queue on the left, the open posts and their ranked candidates on the right, today's hires below.
 */
@Component({
  selector: 'lg-desk',
  imports: [
    FormsModule, TranslocoPipe, ShanghaiTimePipe, NzSelectModule, NzButtonModule, NzIconModule, NzEmptyModule, NzTooltipModule,
    CheckinBar, QueuePanel, PostsPanel, ConfirmPanel, PlacementsPanel, PersonDrawer, ApplicationsPanel,
  ],
  providers: [DeskStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(document:keydown.f2)': 'focusCheckIn($event)' },
  template: `
    <div class="lg-desk">
      <div class="lg-desk-head">
        <h2><nz-icon nzType="thunderbolt" /> {{ 'desk.title' | transloco }}</h2>
        @if (store.deskMarkets().length > 1) {
          <label class="lg-sr-only" for="lg-desk-market-select">{{ 'desk.market' | transloco }}</label>
          <nz-select class="lg-desk-market" nzId="lg-desk-market-select" nzSize="large" nzShowSearch [ngModel]="store.marketId()" (ngModelChange)="store.selectMarket($event)"
            [nzPlaceHolder]="'desk.market' | transloco" data-testid="desk-market">
            @for (m of store.deskMarkets(); track m.id) { <nz-option [nzValue]="m.id" [nzLabel]="m.name" /> }
          </nz-select>
        } @else if (store.market(); as m) {
          <span class="lg-desk-market-name" data-testid="desk-market"><nz-icon nzType="shop" /> {{ m.name }}</span>
        }
        <span class="lg-desk-sub">{{ store.today() }}</span>
        <span class="lg-desk-spacer"></span>
        @if (store.refreshedAt(); as at) {
          <span class="lg-desk-sub" nz-tooltip [nzTooltipTitle]="'desk.autoRefresh' | transloco">{{ 'desk.refreshedAt' | transloco: { time: (at | shanghai).slice(11) } }}</span>
        }
        @if (store.marketId(); as id) {
          <!-- The gate screen (rotating gate code for the public check-in, issue 12 §4), for the display at the entrance. -->
          <a nz-button nzSize="large" [href]="'/markets/' + id + '/gate'" target="_blank" rel="noopener" data-testid="desk-gate"><nz-icon nzType="qrcode" /> {{ 'public.gate.action' | transloco }}</a>
        }
        <button nz-button nzSize="large" (click)="store.refresh()" data-testid="desk-refresh"><nz-icon nzType="reload" /> {{ 'desk.refresh' | transloco }}</button>
      </div>

      @if (store.marketsLoaded() && !store.deskMarkets().length) {
        <nz-empty [nzNotFoundContent]="'desk.noMarket' | transloco" />
      } @else {
        <div class="lg-desk-checkin">
          <lg-desk-checkin />
          <div class="lg-desk-keys">{{ 'desk.keys' | transloco }}</div>
        </div>
        <lg-desk-applications />
        <div class="lg-desk-main">
          <lg-desk-queue class="lg-desk-left" />
          <lg-desk-posts class="lg-desk-right" />
        </div>
        <lg-desk-placements />
        <lg-desk-confirm />
        <lg-desk-person />
      }
    </div>
  `,
  styles: [
    `.lg-desk { font-size: 16px; }
     .lg-desk-head { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; margin-bottom: 12px; }
     .lg-desk-head h2 { margin: 0; font-size: 24px; }
     .lg-desk-market { width: 280px; }
     .lg-desk-market-name { font-size: 20px; font-weight: 500; color: #0958d9; }
     .lg-desk-sub { color: rgba(0, 0, 0, 0.55); }
     .lg-desk-spacer { flex: 1; }
     .lg-desk-checkin { background: #fff; padding: 16px; border-radius: 8px; margin-bottom: 16px; border: 1px solid #f0f0f0; }
     .lg-desk-keys { margin-top: 6px; color: rgba(0, 0, 0, 0.65); font-size: 13px; }
     .lg-desk-main { display: grid; grid-template-columns: minmax(360px, 5fr) minmax(420px, 7fr); gap: 16px; margin-bottom: 16px; align-items: start; }
     @media (max-width: 1100px) { .lg-desk-main { grid-template-columns: 1fr; } }
     :host ::ng-deep .lg-desk-card > .ant-card-head { font-size: 18px; }`,
  ],
})
export class DeskPage {
  protected readonly store = inject(DeskStore);
  private readonly document = inject(DOCUMENT);
  private readonly checkin = viewChild(CheckinBar);

  constructor() {
    this.store.init();
    interval(REFRESH_MS).pipe(takeUntilDestroyed()).subscribe(() => {
      // A hidden tab (another screen in front) does not need to poll.
      if (!this.document.hidden) this.store.refresh(true);
    });
  }

  protected focusCheckIn(e: Event): void {
    e.preventDefault();
    this.checkin()?.focus();
  }
}
