import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { LgIcon } from '@linggong/console-ui/light';
import { OCCUPATION_NAMES, type BoardPostView } from '@linggong/domain/light';
import { LangService } from '@linggong/console-core';
import { startLabel, toFen, yuan } from '../format';
import { BoardApi, type BoardRegion, type BoardSearch } from './board.api';
import { BoardMap, type BoardMapPoint } from './board-map';

const PAGE = 20;

/**
 * 零工岗位大厅 (issue 18 §1; R-E7): the open posts of every open market of the province, no sign-in, phones first.
 * Search by trade, county, lowest wage, start date and distance from where the worker stands (the phone's location,
 * asked for only on a tap and never stored); a list, or the markets on the county map (loaded only when shown). The
 * search is in the URL (without the location), so a link can be shared. Native controls and plain markup (axe-core).
 */
@Component({
  selector: 'lg-board',
  imports: [RouterLink, TranslocoPipe, LgIcon, BoardMap],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './board.styles.css',
  template: `
    <h1 class="board-h1" data-testid="board-heading">{{ 'public.board.title' | transloco }}</h1>
    <p class="board-notice" data-testid="board-reviewed"><lg-icon type="safety-certificate" /> <span>{{ 'public.board.reviewed' | transloco }}</span></p>

    <form class="lg-pub-card board-form" role="search" (submit)="$event.preventDefault(); search()" data-testid="board-search">
      <div class="board-grid">
        <label>{{ 'public.board.occupation' | transloco }}
          <select name="occupation" (change)="occupation.set($any($event.target).value)" data-testid="board-occupation">
            <option value="">{{ 'public.board.anyOccupation' | transloco }}</option>
            @for (o of occupations; track o) { <option [value]="o" [selected]="o === occupation()">{{ o }}</option> }
          </select>
        </label>
        <label>{{ 'public.board.county' | transloco }}
          <select name="region" (change)="region.set($any($event.target).value)" data-testid="board-region">
            <option value="">{{ 'public.board.anyCounty' | transloco }}</option>
            @for (r of counties(); track r.code) { <option [value]="r.code" [selected]="r.code === region()">{{ r.name ?? r.code }}</option> }
          </select>
        </label>
        <label>{{ 'public.board.minWage' | transloco }}
          <input name="minWage" type="text" inputmode="decimal" [value]="minWage()" (input)="minWage.set($any($event.target).value)" [placeholder]="'public.board.minWageHint' | transloco" data-testid="board-min-wage" />
        </label>
        <label>{{ 'public.board.startFrom' | transloco }}
          <input name="startFrom" type="date" [value]="startFrom()" (input)="startFrom.set($any($event.target).value)" data-testid="board-start-from" />
        </label>
        <label>{{ 'public.board.sort' | transloco }}
          <select name="sort" (change)="sort.set($any($event.target).value)" data-testid="board-sort">
            <option value="start" [selected]="sort() === 'start'">{{ 'public.board.sortStart' | transloco }}</option>
            <option value="wage" [selected]="sort() === 'wage'">{{ 'public.board.sortWage' | transloco }}</option>
            <option value="distance" [disabled]="!here()" [selected]="sort() === 'distance'">{{ 'public.board.sortDistance' | transloco }}</option>
          </select>
        </label>
      </div>
      <div class="board-where">
        <button type="button" class="lg-pub-link" (click)="locate()" data-testid="board-locate"><lg-icon type="environment" /> {{ 'public.board.locate' | transloco }}</button>
        <span class="lg-pub-muted" role="status" data-testid="board-where">{{ whereText() }}</span>
      </div>
      @if (invalid()) { <p class="lg-pub-error" role="alert">{{ invalid() }}</p> }
      <button type="submit" class="lg-pub-btn" data-testid="board-go"><lg-icon type="search" /> {{ 'public.board.search' | transloco }}</button>
    </form>

    <div class="board-views" role="group" [attr.aria-label]="'public.board.view' | transloco">
      <button type="button" [attr.aria-pressed]="view() === 'list'" [class.on]="view() === 'list'" (click)="view.set('list')" data-testid="board-view-list">{{ 'public.board.list' | transloco }}</button>
      <button type="button" [attr.aria-pressed]="view() === 'map'" [class.on]="view() === 'map'" (click)="view.set('map')" data-testid="board-view-map">{{ 'public.board.map' | transloco }}</button>
    </div>

    @if (view() === 'map') {
      <section class="lg-pub-card" [attr.aria-label]="'public.board.map' | transloco">
        <!-- Loaded as soon as the map is asked for (the default, on idle, may wait on a busy phone), never with the list. -->
        @defer (on immediate) {
          <lg-board-map [region]="mapRegion()" [points]="points()" [none]="'public.board.mapNone' | transloco" (pick)="market.set($event); view.set('list')" />
        } @placeholder {
          <p class="lg-pub-muted">{{ 'public.loading' | transloco }}</p>
        }
      </section>
    }

    @if (failed()) {
      <div class="lg-pub-card lg-pub-state">
        <h2>{{ 'public.network' | transloco }}</h2>
        <button type="button" class="lg-pub-btn" (click)="load(false)"><lg-icon type="reload" /> {{ 'public.retry' | transloco }}</button>
      </div>
    } @else {
      <h2 class="board-count" data-testid="board-count">
        {{ 'public.board.count' | transloco: { n: total() } }}
        @if (market()) { · {{ marketName() }} <button type="button" class="lg-pub-link" (click)="market.set(null)">{{ 'public.board.allMarkets' | transloco }}</button> }
      </h2>
      @for (p of shown(); track p.id) {
        <article class="lg-pub-card board-job" data-testid="board-post" [attr.data-post]="p.id">
          <h3>{{ p.title }} <span class="occ">{{ p.occupation }}</span></h3>
          <div class="wage"><b>{{ yuan(p.wageFen) }}</b> {{ 'public.wageUnit.' + p.wageUnit | transloco }}</div>
          <dl>
            <div><dt>{{ 'public.board.employer' | transloco }}</dt><dd>{{ p.employerName }}
              @if (p.employerVerified) { <span class="ok">{{ 'public.board.verified' | transloco }}</span> } @else { <span class="warn">{{ 'public.board.unverified' | transloco }}</span> }</dd></div>
            <div><dt>{{ 'public.board.market' | transloco }}</dt><dd>{{ p.marketName }}@if (p.distanceKm !== null) { · {{ 'public.board.km' | transloco: { km: p.distanceKm } }} }</dd></div>
            <div><dt>{{ 'public.jobs.startLabel' | transloco }}</dt><dd>{{ start(p.startAt) }} · {{ period(p) }}</dd></div>
            <div><dt>{{ 'public.board.openings' | transloco }}</dt><dd>{{ 'public.jobs.openings' | transloco: { n: p.openings } }}</dd></div>
          </dl>
          <a class="lg-pub-btn board-apply" [routerLink]="['/board/p', p.id]" data-testid="board-open">{{ 'public.board.apply' | transloco }}<span class="lg-sr-only">：{{ p.title }}</span></a>
        </article>
      } @empty {
        <p class="lg-pub-card" data-testid="board-empty">{{ 'public.board.empty' | transloco }}</p>
      }
      @if (!market() && items().length < total()) {
        <button type="button" class="lg-pub-btn lg-pub-btn-ghost" (click)="load(true)" data-testid="board-more">{{ 'public.board.more' | transloco }}</button>
      }
    }
  `,
})
export class BoardPage {
  private readonly api = inject(BoardApi);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly lang = inject(LangService);
  protected readonly yuan = yuan;
  protected readonly occupations = OCCUPATION_NAMES;

  // The form's fields as signals bound to plain elements (no @angular/forms: a public page's JavaScript budget, issue 17 §10).
  protected readonly occupation = signal('');
  protected readonly region = signal('');
  protected readonly minWage = signal('');
  protected readonly startFrom = signal('');
  protected readonly sort = signal<'start' | 'wage' | 'distance'>('start');
  protected readonly here = signal<{ lat: number; lng: number } | null>(null);
  protected readonly locating = signal<'idle' | 'asking' | 'denied'>('idle');
  protected readonly view = signal<'list' | 'map'>('list');
  protected readonly items = signal<BoardPostView[]>([]);
  protected readonly total = signal(0);
  protected readonly failed = signal(false);
  protected readonly invalid = signal('');
  protected readonly market = signal<string | null>(null);
  private readonly regions = signal<BoardRegion[]>([]);
  private query: BoardSearch = {};

  protected readonly counties = computed(() => this.regions().filter((r) => r.code.length === 6));
  protected readonly shown = computed(() => (this.market() ? this.items().filter((p) => p.marketId === this.market()) : this.items()));
  protected readonly marketName = computed(() => this.items().find((p) => p.marketId === this.market())?.marketName ?? '');
  protected readonly mapRegion = computed(() => (this.query.region && this.query.region.length >= 4 ? this.query.region : '41'));
  protected readonly points = computed<BoardMapPoint[]>(() => {
    const by = new Map<string, BoardMapPoint>();
    for (const p of this.items()) {
      if (p.latitude == null || p.longitude == null) continue;
      const m = by.get(p.marketId) ?? { id: p.marketId, name: p.marketName, lat: p.latitude, lng: p.longitude, posts: 0 };
      m.posts++;
      by.set(p.marketId, m);
    }
    return [...by.values()];
  });
  protected readonly whereText = computed(() => {
    this.lang.lang();
    const h = this.here();
    if (h) return this.lang.t('public.board.located');
    return this.locating() === 'asking' ? this.lang.t('public.board.locating') : this.locating() === 'denied' ? this.lang.t('public.board.locateDenied') : '';
  });

  constructor() {
    this.api.regions().subscribe({ next: (d) => this.regions.set(d.regions), error: () => undefined });
    this.route.queryParamMap.subscribe((p) => {
      this.occupation.set(p.get('occupation') ?? '');
      this.region.set(p.get('region') ?? '');
      const min = Number(p.get('minWageFen') ?? '');
      this.minWage.set(min > 0 ? String(min / 100) : '');
      this.startFrom.set(p.get('startFrom') ?? '');
      const sort = p.get('sort');
      this.sort.set(sort === 'wage' || (sort === 'distance' && this.here()) ? sort : 'start');
      this.query = {
        occupation: this.occupation() || undefined, region: this.region() || undefined, minWageFen: min > 0 ? min : undefined,
        startFrom: this.startFrom() || undefined, sort: this.sort(),
      };
      this.load(false);
    });
  }

  protected search(): void {
    const fen = this.minWage().trim() ? toFen(this.minWage()) : null;
    if (this.minWage().trim() && fen === null) {
      this.invalid.set(this.lang.t('public.board.minWageInvalid'));
      return;
    }
    this.invalid.set('');
    this.market.set(null);
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { occupation: this.occupation() || null, region: this.region() || null, minWageFen: fen || null, startFrom: this.startFrom() || null, sort: this.sort() === 'start' ? null : this.sort() },
    });
  }

  /** The phone's position, asked for on a tap only: distance to each market, and the nearest first. */
  protected locate(): void {
    const geo = globalThis.navigator?.geolocation;
    if (!geo) {
      this.locating.set('denied');
      return;
    }
    this.locating.set('asking');
    geo.getCurrentPosition(
      (pos) => {
        this.here.set({ lat: Math.round(pos.coords.latitude * 1e4) / 1e4, lng: Math.round(pos.coords.longitude * 1e4) / 1e4 });
        this.locating.set('idle');
        this.sort.set('distance');
        this.query = { ...this.query, sort: 'distance' };
        this.load(false);
      },
      () => this.locating.set('denied'),
      { maximumAge: 600_000, timeout: 15_000 },
    );
  }

  protected load(more: boolean): void {
    this.failed.set(false);
    const h = this.here();
    const q: BoardSearch = { ...this.query, ...(h ? { lat: h.lat, lng: h.lng } : {}), page: more ? Math.floor(this.items().length / PAGE) + 1 : 1, pageSize: PAGE };
    if (q.sort === 'distance' && !h) q.sort = 'start';
    this.api.search(q).subscribe({
      next: (r) => {
        this.items.set(more ? [...this.items(), ...r.items] : r.items);
        this.total.set(r.total);
      },
      error: () => this.failed.set(true),
    });
  }

  protected start(iso: string): string {
    this.lang.lang();
    return startLabel(iso, (key, params) => this.lang.t(key, params));
  }

  protected period(p: BoardPostView): string {
    return p.period === 'same_day' ? this.lang.t('public.period.same_day') : this.lang.t(`public.period.${p.period}`, { n: p.periodCount });
  }
}
