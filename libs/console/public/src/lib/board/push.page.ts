import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { LgIcon } from '@linggong/console-ui/light';
import type { PushPageView } from '@linggong/domain/light';
import { LangService } from '@linggong/console-core';
import { startLabel, yuan } from '../format';
import { BoardApi } from './board.api';

/**
 * `/w/:token` — a worker's own job-push page (推送, issue 18 §2; R-G11), reached by the link sent by SMS or shown as a
 * QR at the desk: the new posts of their trades in their county pushed to them, each with its link to apply, and
 * one button to stop the pushes.
 */
@Component({
  selector: 'lg-push-page',
  imports: [RouterLink, TranslocoPipe, LgIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './board.styles.css',
  template: `
    @if (missing()) {
      <div class="lg-pub-card lg-pub-state" data-testid="push-missing"><h1>{{ 'public.push.invalid' | transloco }}</h1>
        <a routerLink="/board" class="lg-pub-btn">{{ 'public.push.board' | transloco }}</a></div>
    } @else if (page(); as p) {
      <h1 class="board-h1" data-testid="push-heading">{{ 'public.push.title' | transloco: { name: p.workerName } }}</h1>
      <p class="lg-pub-card">
        @if (p.subscribed) {
          <span data-testid="push-subscribed">{{ 'public.push.subscribed' | transloco: { trades: p.occupations.join('、'), n: p.dailyLimit } }}</span>
        } @else {
          <span role="status" data-testid="push-unsubscribed">{{ 'public.push.unsubscribed' | transloco }}</span>
        }
      </p>
      @for (i of p.items; track i.id) {
        <article class="lg-pub-card board-job" data-testid="push-item">
          <h2 class="board-h1">{{ i.title }} <span class="occ">{{ i.occupation }}</span></h2>
          <div class="wage"><b>{{ yuan(i.wageFen) }}</b> {{ 'public.wageUnit.' + i.wageUnit | transloco }}</div>
          <dl>
            <div><dt>{{ 'public.board.market' | transloco }}</dt><dd>{{ i.marketName }}</dd></div>
            <div><dt>{{ 'public.jobs.startLabel' | transloco }}</dt><dd>{{ start(i.startAt) }}</dd></div>
          </dl>
          <a class="lg-pub-btn board-apply" [routerLink]="['/board/p', i.id]">{{ 'public.board.apply' | transloco }}<span class="lg-sr-only">：{{ i.title }}</span></a>
        </article>
      } @empty {
        <p class="lg-pub-card" data-testid="push-empty">{{ 'public.push.empty' | transloco }}</p>
      }
      @if (p.subscribed) {
        <button type="button" class="lg-pub-btn lg-pub-btn-ghost" (click)="unsubscribe()" [disabled]="busy()" data-testid="push-unsubscribe">{{ 'public.push.stop' | transloco }}</button>
      }
    }
  `,
})
export class PushPage {
  private readonly api = inject(BoardApi);
  private readonly lang = inject(LangService);
  private readonly token = inject(ActivatedRoute).snapshot.paramMap.get('token') ?? '';
  protected readonly yuan = yuan;
  protected readonly page = signal<PushPageView | null>(null);
  protected readonly missing = signal(false);
  protected readonly busy = signal(false);

  constructor() {
    this.api.pushPage(this.token).subscribe({ next: (p) => this.page.set(p), error: () => this.missing.set(true) });
  }

  protected unsubscribe(): void {
    this.busy.set(true);
    this.api.unsubscribe(this.token).subscribe({
      next: () => {
        this.busy.set(false);
        const p = this.page();
        if (p) this.page.set({ ...p, subscribed: false });
      },
      error: () => this.busy.set(false),
    });
  }

  protected start(iso: string): string {
    this.lang.lang();
    return startLabel(iso, (key, params) => this.lang.t(key, params));
  }
}
