import { ChangeDetectionStrategy, Component, DestroyRef, ViewEncapsulation, inject } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { RouterLink, RouterOutlet } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { LgIcon } from '@linggong/console-ui/light';
import { LangService } from '@linggong/console-core';

/**
 * The frame of the province-wide job board and the worker's push page (issue 18 §1–2): the public pages' plain
 * mobile header (brand and language switch) and the 12345 hotline at the foot, with the shared `.lg-pub-*` styles.
 */
@Component({
  selector: 'lg-board-layout',
  imports: [RouterOutlet, RouterLink, TranslocoPipe, LgIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  encapsulation: ViewEncapsulation.None,
  styleUrl: '../public.layout.less',
  template: `
    <div class="lg-pub">
      <header class="lg-pub-header">
        <a class="lg-pub-brand" routerLink="/board" data-testid="board-home">
          <span class="lg-pub-mark" aria-hidden="true">零</span>
          <span class="lg-pub-title">{{ 'public.board.brand' | transloco }}</span>
        </a>
        <button type="button" class="lg-pub-lang" data-testid="board-lang" (click)="toggleLang()">
          <lg-icon type="global" /> {{ lang.lang() === 'zh-CN' ? 'EN' : '中文' }}
        </button>
      </header>
      <main class="lg-pub-main"><router-outlet /></main>
      <footer class="lg-pub-footer">
        {{ 'public.complaintLabel' | transloco }} <a href="tel:12345">12345</a>
        <div>{{ 'public.free' | transloco }}</div>
      </footer>
    </div>
  `,
})
export class BoardLayout {
  protected readonly lang = inject(LangService);

  constructor() {
    const title = inject(Title);
    const before = title.getTitle();
    title.setTitle('零工岗位大厅');
    inject(DestroyRef).onDestroy(() => title.setTitle(before));
  }

  protected toggleLang(): void {
    void this.lang.use(this.lang.lang() === 'zh-CN' ? 'en' : 'zh-CN');
  }
}
