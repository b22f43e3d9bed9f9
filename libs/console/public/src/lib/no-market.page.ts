import { ChangeDetectionStrategy, Component, ViewEncapsulation, inject } from '@angular/core';
import { ActivatedRoute, Router } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { LgIcon } from '@linggong/console-ui/light';
import { LangService } from '@linggong/console-core';
import { lastMarket } from './public-market.store';

/**
 * `/checkin`, `/jobs`, `/complaint` typed or shared without a market (issue 17 §9): a phone that opened a
 * market's page before goes straight to that market's page; otherwise a page a worker can use — scan the
 * QR at the market's gate, or call the complaint hotline 12345 — never the staff sign-in.
 */
@Component({
  selector: 'lg-public-no-market',
  imports: [TranslocoPipe, LgIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  encapsulation: ViewEncapsulation.None,
  styleUrl: './public.layout.less',
  template: `
    <div class="lg-pub">
      <header class="lg-pub-header">
        <span class="lg-pub-brand"><span class="lg-pub-mark" aria-hidden="true">零</span><span class="lg-pub-title">{{ 'public.brand' | transloco }}</span></span>
        <button type="button" class="lg-pub-lang" data-testid="public-lang" (click)="toggleLang()">
          <lg-icon type="global" /> {{ lang.lang() === 'zh-CN' ? 'EN' : '中文' }}
        </button>
      </header>
      <main class="lg-pub-main">
        <section class="lg-pub-card lg-pub-state" data-testid="public-no-market">
          <lg-icon type="qrcode" />
          <h1>{{ 'public.noMarket.title' | transloco }}</h1>
          <p>{{ 'public.noMarket.scan' | transloco }}</p>
          <p>{{ 'public.noMarket.desk' | transloco }}</p>
        </section>
        <section class="lg-pub-card">
          <h2><lg-icon type="customer-service" /> {{ 'public.noMarket.complaint' | transloco }}</h2>
          <p>{{ 'public.noMarket.complaintHint' | transloco }}</p>
          <a class="lg-pub-btn" href="tel:12345" data-testid="public-no-market-12345"><lg-icon type="phone" /> 12345</a>
        </section>
      </main>
    </div>
  `,
})
export class PublicNoMarketPage {
  protected readonly lang = inject(LangService);

  constructor() {
    const page = inject(ActivatedRoute).snapshot.data['page'] as string;
    const market = lastMarket();
    if (market) void inject(Router).navigate(['/m', market, page], { replaceUrl: true });
  }

  protected toggleLang(): void {
    void this.lang.use(this.lang.lang() === 'zh-CN' ? 'en' : 'zh-CN');
  }
}
