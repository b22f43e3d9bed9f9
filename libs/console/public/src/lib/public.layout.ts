import { ChangeDetectionStrategy, Component, DestroyRef, ViewEncapsulation, computed, effect, inject } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ActivatedRoute, RouterLink, RouterOutlet } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { LgIcon } from '@linggong/console-ui/light';
import { LangService } from '@linggong/console-core';
import { PublicMarketStore } from './public-market.store';
import { phones, telHref } from './format';

/**
 * The frame of the public, sign-in-free pages (issue 4 §7): a plain mobile header with the market's
 * name and a language switch, the page, and the complaint hotline at the foot of every page (R-D1).
 * Its stylesheet is global on purpose (`.lg-pub-*` classes shared by the pages).
 */
@Component({
  selector: 'lg-public-layout',
  imports: [RouterOutlet, RouterLink, TranslocoPipe, LgIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  encapsulation: ViewEncapsulation.None,
  templateUrl: './public.layout.html',
  styleUrl: './public.layout.less',
})
export class PublicLayout {
  protected readonly store = inject(PublicMarketStore);
  protected readonly lang = inject(LangService);
  protected readonly telHref = telHref;
  protected readonly complaintPhones = computed(() => phones(this.store.market()?.complaintHotline));

  constructor() {
    const destroyRef = inject(DestroyRef);
    inject(ActivatedRoute)
      .paramMap.pipe(takeUntilDestroyed(destroyRef))
      .subscribe((p) => this.store.load(p.get('marketId') ?? ''));
    // The tab and the WeChat share card show the market's name rather than the console's.
    const title = inject(Title);
    const consoleTitle = title.getTitle();
    effect(() => {
      const m = this.store.market();
      if (m) title.setTitle(m.name);
    });
    destroyRef.onDestroy(() => title.setTitle(consoleTitle));
  }

  protected toggleLang(): void {
    void this.lang.use(this.lang.lang() === 'zh-CN' ? 'en' : 'zh-CN');
  }
}
