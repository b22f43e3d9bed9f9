import { ChangeDetectionStrategy, Component, effect, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { LgIcon } from '@linggong/console-ui/light';
import type { PublicPostView } from '@linggong/domain/light';
import { LangService } from '@linggong/console-core';
import { PublicApi } from './public.api';
import { PublicMarketStore } from './public-market.store';
import { startLabel, yuan } from './format';

/** `/m/:marketId/jobs` — the open jobs on the market's board, in the words a worker uses. */
@Component({
  selector: 'lg-public-jobs',
  imports: [RouterLink, TranslocoPipe, LgIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './jobs.page.html',
  styles: [
    `.head { display: flex; align-items: baseline; justify-content: space-between; margin: 4px 4px 12px; }
     .head h1 { font-size: 22px; }
     .job h2 { display: block; font-size: 20px; line-height: 1.35; margin: 0; }
     .employer { color: rgba(0, 0, 0, 0.6); margin: 2px 0 6px; }
     .wage { margin: 4px 0; color: #d4380d; font-size: 18px; }
     .wage b { font-size: 32px; line-height: 1.1; }
     .occ { display: inline-block; margin-left: 8px; padding: 0 10px; border-radius: 12px; background: #fff7e6; color: #ad4e00; font-size: 15px; vertical-align: middle; white-space: nowrap; }
     .open { font-weight: 600; color: #237804; }
     .notice { display: flex; gap: 8px; margin: 4px 0 16px; padding: 12px; border-radius: 10px; background: #fffbe6; border: 1px solid #ffe58f; font-size: 16px; }`,
  ],
})
export class PublicJobsPage {
  private readonly api = inject(PublicApi);
  private readonly lang = inject(LangService);
  protected readonly store = inject(PublicMarketStore);
  protected readonly posts = signal<PublicPostView[] | null>(null);
  protected readonly failed = signal(false);
  protected readonly yuan = yuan;

  constructor() {
    effect(() => this.load(this.store.marketId()));
  }

  protected load(marketId = this.store.marketId()): void {
    this.failed.set(false);
    this.api.posts(marketId).subscribe({ next: (p) => this.posts.set(p), error: () => this.failed.set(true) });
  }

  protected start(iso: string): string {
    this.lang.lang();
    return startLabel(iso, (key, params) => this.lang.t(key, params));
  }

  protected period(p: PublicPostView): string {
    return p.period === 'same_day' ? this.lang.t('public.period.same_day') : this.lang.t(`public.period.${p.period}`, { n: p.periodCount });
  }
}
