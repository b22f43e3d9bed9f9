import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { LgIcon } from '@linggong/console-ui/light';
import { PublicMarketStore } from './public-market.store';
import { mapHref, phones, telHref } from './format';

/** `/m/:marketId` — the market's own page (R-D1): where, when, whom to call, what it offers, where to complain. */
@Component({
  selector: 'lg-public-market',
  imports: [RouterLink, TranslocoPipe, LgIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './market.page.html',
  styles: [
    `.hero h1 { font-size: 24px; line-height: 1.3; margin-bottom: 4px; }
     .stats { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; margin-bottom: 12px; }
     .stat { display: block; color: inherit !important; text-decoration: none; background: #fff; border-radius: 12px; padding: 12px 16px; }
     .stat b { display: block; font-size: 34px; line-height: 1.2; color: #0958d9; }
     .actions { margin-bottom: 12px; }
     .complaint { border: 2px solid #cf1322; background: #fff1f0; }
     .complaint > h2 { color: #cf1322; font-size: 20px; }
     .complaint .tel { display: flex; align-items: center; justify-content: center; gap: 8px; min-height: 56px; margin-top: 8px;
       border-radius: 12px; background: #cf1322; color: #fff; font-size: 24px; font-weight: 700; text-decoration: none; }
     .tel-row { font-size: 20px; font-weight: 600; text-decoration: none; }
     .tags span { display: inline-block; margin: 0 8px 8px 0; padding: 4px 12px; border-radius: 16px; background: #f0f5ff; color: #1d39c4; }`,
  ],
})
export class PublicMarketPage {
  protected readonly store = inject(PublicMarketStore);
  protected readonly telHref = telHref;
  protected readonly m = computed(() => this.store.market());
  protected readonly complaintPhones = computed(() => phones(this.m()?.complaintHotline));
  protected readonly hotlines = computed(() => phones(this.m()?.hotline));
  protected readonly map = computed(() => {
    const m = this.m();
    return m && m.longitude !== null && m.latitude !== null ? { href: mapHref(m.longitude, m.latitude, m.name), lng: m.longitude, lat: m.latitude } : null;
  });

  constructor() {
    // The counters change all day: read them again whenever the page is opened.
    this.store.refreshIfStale();
  }
}
