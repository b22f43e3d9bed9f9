import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { Title } from '@angular/platform-browser';
import { TranslocoPipe } from '@jsverse/transloco';
import type { PublicListing } from '@linggong/domain';
import { LangService } from '@linggong/console-core';
import { DirectoryApi } from './directory.api';
import { PUBLIC_DIRECTORY_STYLES } from './public.styles';

/** One market (or gathering point) of the published directory: hours and hotline first, then the 38号 fields (R-E1). */
@Component({
  selector: 'lg-public-listing',
  imports: [RouterLink, TranslocoPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: [PUBLIC_DIRECTORY_STYLES],
  template: `
    <header class="dir-header">
      <a class="dir-brand" routerLink="/directory" data-testid="listing-back">← {{ 'directory.public.title' | transloco }}</a>
      <button type="button" class="dir-lang" (click)="toggleLang()" [attr.aria-label]="(lang.lang() === 'zh-CN' ? 'EN' : '中文') + ' · ' + ('directory.public.switchLang' | transloco)">{{ lang.lang() === 'zh-CN' ? 'EN' : '中文' }}</button>
    </header>
    <main>
      @if (l(); as l) {
        <article class="dir-card" data-testid="listing-page">
          <h1 style="font-size: 22px; margin: 0 0 6px">{{ l.name }}</h1>
          @for (t of l.modelTitles; track t.level) {
            <p class="dir-model" [class.dir-model-notice]="t.state === 'notice'" [class.dir-model-designated]="t.state === 'designated'" data-testid="listing-page-model-title">
              {{ 'directory.public.model.' + t.state | transloco: { level: ('directory.public.model.level.' + t.level | transloco), until: t.noticeUntil } }}</p>
          }
          <div class="dir-muted">{{ l.cityName }}{{ l.regionName }} · {{ 'directory.natures.' + l.nature | transloco }}</div>
          <div class="dir-row"><b>{{ 'directory.hours' | transloco }}</b><span data-testid="listing-page-hours">{{ l.openingHours ?? '—' }}</span></div>
          @if (l.hotline) { <div class="dir-row"><b>{{ 'directory.hotline' | transloco }}</b><a class="dir-tel" [href]="'tel:' + l.hotline" data-testid="listing-page-hotline">{{ l.hotline }}</a></div> }
          @for (c of l.contacts; track $index) { <div class="dir-row"><b>{{ c.title ?? ('directory.contact' | transloco) }}</b><span>{{ c.name }} <a [href]="'tel:' + c.phone">{{ c.phone }}</a></span></div> }
          <div class="dir-row"><b>{{ 'directory.address' | transloco }}</b><span>{{ l.address ?? '—' }}</span></div>
          <div class="dir-row"><b>{{ 'directory.occupations' | transloco }}</b><span>{{ l.occupations.join('、') || '—' }}</span></div>
          <div class="dir-row"><b>{{ 'directory.seekerScale' | transloco }}</b><span>{{ l.seekerScale ?? '—' }}</span></div>
          <div class="dir-row"><b>{{ 'directory.mainOccupations' | transloco }}</b><span>{{ l.mainOccupations.join('、') || '—' }}</span></div>
          <div class="dir-row"><b>{{ 'directory.dailyHires' | transloco }}</b><span>{{ l.dailyHires ?? '—' }}</span></div>
          <p class="dir-muted">{{ 'directory.public.asOf' | transloco: { quarter: l.quarter, day: l.publishedAt.slice(0, 10) } }}</p>
          <div class="dir-links">
            @if (l.marketId) { <a [routerLink]="['/m', l.marketId]" data-testid="listing-page-market">{{ 'directory.public.marketPage' | transloco }}</a> }
            <a routerLink="/directory">{{ 'directory.public.back' | transloco }}</a>
          </div>
        </article>
      } @else if (missing()) {
        <p class="dir-card" data-testid="listing-missing">{{ 'directory.public.missing' | transloco }}</p>
      }
    </main>
  `,
})
export class PublicListingPage {
  private readonly api = inject(DirectoryApi);
  protected readonly lang = inject(LangService);
  protected readonly l = signal<(PublicListing & { quarter: string; publishedAt: string }) | null>(null);
  protected readonly missing = signal(false);

  constructor() {
    const title = inject(Title);
    inject(ActivatedRoute).paramMap.subscribe((p) => this.api.publicListing(p.get('id') ?? '').subscribe({
      next: (l) => { this.l.set(l); title.setTitle(l.name); },
      error: () => this.missing.set(true),
    }));
  }
  protected toggleLang(): void {
    void this.lang.use(this.lang.lang() === 'zh-CN' ? 'en' : 'zh-CN');
  }
}
