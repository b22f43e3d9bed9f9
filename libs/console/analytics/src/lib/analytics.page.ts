import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, signal, untracked } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute, Router } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { catchError, from, map, mergeMap, of, Subscription, toArray } from 'rxjs';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzDatePickerModule } from 'ng-zorro-antd/date-picker';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzSpinModule } from 'ng-zorro-antd/spin';
import { NzTooltipModule } from 'ng-zorro-antd/tooltip';
import { NzMessageService } from 'ng-zorro-antd/message';
import { AUTHORITY_KINDS, drillSourceOf, type KpiDef, type KpiFigure, type KpiResult, type MarketView } from '@linggong/domain';
import { AuthService, LangService, MarketsService, ProblemService } from '@linggong/console-core';
import { AnalyticsApi, type Scope } from './analytics.api';
import { PERIOD_KINDS, buckets, isDay, periodOf, rangeProblem, shanghaiToday, type Period, type PeriodKind } from './period';
import { changeOf, formatValue, toneOf } from './format';
import { DrilldownDrawer, type DrillRequest, type Part } from './drilldown.drawer';
import { FunnelChart, TrendChart } from './charts';
import { RollupRunsPanel } from './runs.panel';
import { RankingTable, type Grouping, type RankingOpen } from './ranking.table';
import { BreakdownPanel } from './breakdown.panel';
import { FlagsPanel, type FlagDrill } from './flags.panel';
import { ComparePanel, type CompareOperator } from './compare.panel';
import { MarketMapPanel } from './map.panel';

/** A scope as it appears in the URL: '' (all the user sees), `region:410122`, `operator:<id>`, `market:<id>`. */
interface ScopeOption { key: string; label: string; group: 'all' | 'region' | 'operator' | 'market'; scope: Scope }

const FUNNEL = ['service_visits', 'recommendations', 'hires_confirmed', 'hires_started'] as const;
const DEFAULT_KPI = 'hires_started';

/**
 * The KPI dashboard of every level (issue 13 §4): period and scope in the URL, KPI cards with the previous
 * period, the ranking of the scope's regions, operators or markets against their median (`ranking.table.ts`), a trend and the funnel.
 * Every figure opens the work-log entries behind it.
 */
@Component({
  selector: 'lg-analytics',
  imports: [
    FormsModule, TranslocoPipe, NzCardModule, NzSelectModule, NzDatePickerModule, NzTagModule, NzButtonModule, NzIconModule,
    NzSpinModule, NzTooltipModule, DrilldownDrawer, TrendChart, FunnelChart, RollupRunsPanel, RankingTable, BreakdownPanel, FlagsPanel, ComparePanel, MarketMapPanel,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './analytics.page.html',
  styleUrl: './analytics.page.less',
})
export class AnalyticsPage {
  private readonly api = inject(AnalyticsApi);
  private readonly marketsApi = inject(MarketsService);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly lang = inject(LangService);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  private readonly message = inject(NzMessageService);

  protected readonly periodKinds = PERIOD_KINDS;
  protected readonly language = this.lang.lang;
  private readonly query = toSignal(this.route.queryParamMap, { requireSync: true });

  protected readonly catalogue = signal<KpiDef[]>([]);
  protected readonly markets = signal<MarketView[]>([]);
  /** The figures wait for the markets: the scope options and the ranking's rows come from them. */
  protected readonly ready = signal(false);
  protected readonly result = signal<KpiResult | null>(null);
  protected readonly loading = signal(false);
  /** The ranking table is shown (two rows or more); the KPI picker moves to the trend otherwise. */
  protected readonly rankingShown = signal(false);
  protected readonly trend = signal<{ label: string; value: number | null }[]>([]);
  protected readonly trendLoading = signal(false);
  protected readonly settled = signal<number | null>(null);
  protected readonly drill = signal<DrillRequest | null>(null);

  /** The period in the URL (`period`, `from`, `to`; a rolling one without dates ends today); bad input falls back with a message. */
  protected readonly period = computed<Period & { problem: string | null }>(() => {
    const q = this.query();
    const kind = (PERIOD_KINDS as readonly string[]).includes(q.get('period') ?? '') ? (q.get('period') as PeriodKind) : 'last30';
    const today = shanghaiToday();
    const from = q.get('from');
    const to = q.get('to');
    if (kind === 'custom') {
      const problem = rangeProblem(from ?? '', to ?? '');
      return problem ? { ...periodOf('last30', today), problem } : { kind, from: from as string, to: to as string, problem: null };
    }
    const anchor = isDay(from) ? from : today;
    const base = kind.startsWith('last') && isDay(to) ? periodOf(kind, to) : periodOf(kind, anchor);
    return { ...base, problem: from && !isDay(from) ? 'analytics.badDate' : null };
  }, { equal: (a, b) => a.kind === b.kind && a.from === b.from && a.to === b.to && a.problem === b.problem });
  protected readonly scopeKey = computed(() => this.query().get('scope') ?? '');
  protected readonly kpiCode = computed(() => {
    const k = this.query().get('kpi') ?? DEFAULT_KPI;
    return this.catalogue().some((c) => c.code === k) || !this.catalogue().length ? k : DEFAULT_KPI;
  });
  protected readonly kpi = computed(() => this.catalogue().find((k) => k.code === this.kpiCode()) ?? null);

  private readonly role = computed<'authority' | 'admin' | 'staff'>(() => {
    const me = this.auth.me();
    if (!me) return 'staff';
    if (me.org.kind === 'platform' || AUTHORITY_KINDS.includes(me.org.kind)) return 'authority';
    return me.roles.includes('operator_admin') ? 'admin' : 'staff';
  });
  protected readonly isAuthority = computed(() => this.role() === 'authority');
  /** Operator admins (and the platform) may roll sealed days up again and follow the runs. */
  protected readonly canRerun = computed(() => {
    this.auth.ability();
    return this.auth.can('update', 'Analytics');
  });

  /** What the user may pick: everything it sees, then its counties, operators and markets (from the markets it may read). */
  protected readonly scopeOptions = computed<ScopeOption[]>(() => {
    const ms = this.markets();
    this.language(); // the labels follow the language
    const opts: ScopeOption[] = [{ key: '', label: this.lang.t('analytics.scopeAll'), group: 'all', scope: {} }];
    if (this.role() === 'authority') {
      const counties = new Map<string, string>();
      for (const m of ms) counties.set(m.regionCode, m.regionName ?? m.regionCode);
      if (counties.size > 1) for (const [code, name] of [...counties].sort()) opts.push({ key: `region:${code}`, label: name, group: 'region', scope: { regionCode: code } });
    }
    if (this.role() !== 'staff') {
      const ops = new Map<string, string>();
      for (const m of ms) if (m.operatorId) ops.set(m.operatorId, m.operatorName ?? m.operatorId);
      if (this.role() === 'authority' || ops.size > 1) for (const [id, name] of ops) opts.push({ key: `operator:${id}`, label: name, group: 'operator', scope: { operatorId: id } });
    }
    for (const m of ms) opts.push({ key: `market:${m.id}`, label: m.name, group: 'market', scope: { marketId: m.id } });
    return opts;
  });
  protected readonly scopeGroups = computed(() => {
    const groups: { group: ScopeOption['group']; options: ScopeOption[] }[] = [];
    for (const o of this.scopeOptions()) {
      const g = groups.find((x) => x.group === o.group);
      if (g) g.options.push(o);
      else groups.push({ group: o.group, options: [o] });
    }
    return groups;
  });
  protected readonly scope = computed<ScopeOption>(() => this.scopeOptions().find((o) => o.key === this.scopeKey()) ?? this.scopeOptions()[0], {
    equal: (a, b) => a.key === b.key && a.label === b.label,
  });

  /** The figures of the cards, in catalogue order. */
  protected readonly cards = computed(() => {
    const r = this.result();
    const lang = this.language();
    if (!r) return [];
    return this.catalogue().map((k) => {
      const f = r.figures.find((x) => x.code === k.code);
      const change = f ? changeOf(f.value, f.previous, f.unit, lang) : null;
      return {
        def: k, figure: f ?? null, value: f ? formatValue(f.value, f.unit, lang) : '—', previous: f ? formatValue(f.previous, f.unit, lang) : '—',
        change: change?.text ?? null, tone: f ? toneOf(change?.delta ?? null, f.direction) : 'neutral', drillable: drillSourceOf(k, 'value') !== null,
      };
    });
  });

  /** The rows the ranking may group the scope into, by its level (`?group=`, default the first). */
  protected readonly groupings = computed<Grouping[]>(() => {
    const s = this.scope();
    if (s.group === 'market') return [];
    if (this.role() !== 'authority' || s.group === 'operator') return ['market'];
    const code = s.scope.regionCode;
    const level = code ? (code.length === 2 ? 'province' : code.length === 4 ? 'city' : 'county') : this.auth.me()?.org.kind;
    switch (level) {
      case 'province': return ['city', 'county', 'market'];
      case 'city': return ['county', 'operator', 'market'];
      case 'county': return ['operator', 'market'];
      default: return ['operator', 'market'];
    }
  });
  protected readonly group = computed<Grouping>(() => {
    const g = this.query().get('group') as Grouping | null;
    const gs = this.groupings();
    return g && gs.includes(g) ? g : (gs[0] ?? 'market');
  });

  protected readonly funnel = computed(() => {
    const r = this.result();
    this.language(); // the stage names follow the language
    if (!r) return [];
    const stages = FUNNEL.map((code) => ({ name: this.lang.t(`analytics.funnel.${code}`), value: r.figures.find((f) => f.code === code)?.value ?? 0 }));
    return [...stages, { name: this.lang.t('analytics.funnel.settled'), value: this.settled() ?? 0 }];
  });
  protected readonly provisional = computed(() => this.result()?.figures.some((f) => f.provisional) ?? false);

  // ---- the reviewer's views (issue 13 §4): red flags, two operators side by side, the province map (their own components)

  /** The markets of the chosen scope (from the markets list the user may read). */
  private readonly scopeMarketsList = computed(() => {
    const s = this.scope().scope;
    return this.markets().filter((m) => (s.regionCode ? m.regionCode.startsWith(s.regionCode) : true) && (s.operatorId ? m.operatorId === s.operatorId : true) && (s.marketId ? m.id === s.marketId : true));
  });
  /** The operators with markets in the scope, for the comparison (an authority's, with at least two). */
  protected readonly compareOperators = computed<CompareOperator[]>(() => {
    if (!this.isAuthority() || this.scope().group === 'market' || this.scope().group === 'operator') return [];
    const ops = new Map<string, string>();
    for (const m of this.scopeMarketsList()) if (m.operatorId) ops.set(m.operatorId, m.operatorName ?? m.operatorId);
    return ops.size < 2 ? [] : [...ops].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  });
  protected readonly compareInitial = computed<[string | null, string | null]>(() => [this.query().get('a'), this.query().get('b')]);
  /** The map's region: the chosen region, else the user's (a city or a province), else the province all the markets share. */
  protected readonly mapRegion = computed<string | null>(() => {
    if (!this.isAuthority()) return null;
    const s = this.scope().scope;
    const own = this.auth.me()?.org.regionCode ?? '';
    if (s.regionCode) return s.regionCode;
    if (own && own.length <= 4) return own;
    if (own) return null; // a county reviewer: the ranking and flags are enough for one county
    const provinces = new Set(this.markets().map((m) => m.regionCode.slice(0, 2)));
    return provinces.size === 1 ? [...provinces][0] : null;
  });
  protected readonly showMap = computed(() => this.mapRegion() !== null && this.scope().group !== 'market' && this.scope().group !== 'operator');

  /** A flag's evidence made of entries: the drawer, as for a figure. */
  protected openFlag(e: FlagDrill): void {
    const k = this.catalogue().find((c) => c.code === e.kpi);
    if (!k) return;
    const parts: Part[] = k.formula.type === 'ratio' || k.formula.type === 'demand_ratio' ? ['numerator', 'denominator'] : ['value'];
    this.drill.set({ kpi: e.kpi, title: e.title, scopeLabel: e.marketName, from: e.from, to: e.to, scope: { marketId: e.marketId }, parts, part: e.part });
  }

  private subs: Subscription[] = [];
  private trendSub: Subscription | null = null;

  constructor() {
    this.api.catalogue().subscribe({ next: (c) => this.catalogue.set(c), error: (e) => this.problems.handle(e) });
    this.marketsApi.list({ pageSize: 200 }).subscribe({
      next: (p) => { this.markets.set(p.items); this.ready.set(true); },
      error: (e) => { this.ready.set(true); this.problems.handle(e); },
    });
    // Bad input in the URL: say so in the user's language (the page shows the default period instead).
    effect(() => {
      const p = this.period().problem;
      if (p) this.message.warning(this.lang.t(p));
    });
    effect(() => {
      const p = this.period();
      const s = this.scope();
      if (!this.catalogue().length || !this.ready()) return;
      untracked(() => this.load(p, s));
    });
    effect(() => {
      const p = this.period();
      const s = this.scope();
      const code = this.kpiCode();
      if (!this.catalogue().length || !this.ready()) return;
      untracked(() => this.loadTrend(p, s.scope, code));
    });
    this.destroyRef.onDestroy(() => {
      this.subs.forEach((x) => x.unsubscribe());
      this.trendSub?.unsubscribe();
    });
  }

  private load(p: Period, s: ScopeOption): void {
    this.subs.forEach((x) => x.unsubscribe());
    this.loading.set(true);
    this.result.set(null);
    this.settled.set(null);
    const q = { from: p.from, to: p.to, ...s.scope };
    this.subs = [
      this.api.kpis(q).subscribe({
        next: (r) => { this.result.set(r); this.loading.set(false); },
        error: (e) => { this.loading.set(false); this.problems.handle(e); },
      }),
      // The funnel's last stage: settlements recorded, the numerator of the settlement rate (its entries' sum).
      this.api.drilldown({ kpi: 'settlement_rate', part: 'numerator', ...q, pageSize: 1 }).subscribe({ next: (d) => this.settled.set(d.sum), error: () => this.settled.set(null) }),
    ];
  }

  private loadTrend(p: Period, scope: Scope, code: string): void {
    this.trendSub?.unsubscribe();
    const bs = buckets(p.from, p.to);
    this.trendLoading.set(true);
    this.trendSub = from(bs).pipe(
      mergeMap((b) => this.api.kpis({ from: b.from, to: b.to, kpis: [code], ...scope }).pipe(
        map((r) => ({ label: b.label, value: r.figures[0]?.value ?? null })), catchError(() => of({ label: b.label, value: null }))), 3),
      toArray(),
    ).subscribe((pts) => {
      this.trend.set(bs.map((b) => pts.find((x) => x.label === b.label) ?? { label: b.label, value: null }));
      this.trendLoading.set(false);
    });
  }

  protected navigate(params: Record<string, string | null>): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams: params, queryParamsHandling: 'merge' });
  }
  protected setKind(kind: PeriodKind): void {
    if (kind === 'custom') { this.navigate({ period: 'custom', from: this.period().from, to: this.period().to }); return; }
    const p = periodOf(kind, this.period().to);
    this.navigate({ period: kind, from: kind.startsWith('last') ? null : p.from, to: kind.startsWith('last') ? p.to : null });
  }
  protected setAnchor(d: Date | null): void {
    if (!d) return;
    const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const kind = this.period().kind;
    if (kind.startsWith('last')) this.navigate({ to: day, from: null });
    else this.navigate({ from: periodOf(kind as Exclude<PeriodKind, 'custom'>, day).from, to: null });
  }
  protected setRange(r: Date[] | null): void {
    if (!r || r.length !== 2) return;
    const f = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const problem = rangeProblem(f(r[0]), f(r[1]));
    if (problem) { this.message.warning(this.lang.t(problem)); return; }
    this.navigate({ period: 'custom', from: f(r[0]), to: f(r[1]) });
  }
  protected anchorDate = computed(() => new Date(`${this.period().kind.startsWith('last') ? this.period().to : this.period().from}T00:00:00`));
  protected rangeDates = computed(() => [new Date(`${this.period().from}T00:00:00`), new Date(`${this.period().to}T00:00:00`)]);

  protected name(k: KpiDef | null): string {
    return !k ? '' : this.language() === 'en' ? k.en : k.zh;
  }
  protected definition(k: KpiDef): string {
    return this.language() === 'en' ? k.definitionEn : k.definitionZh;
  }

  /** Open the entries behind a figure: a ratio opens on its numerator with the denominator a click away. */
  protected open(k: KpiDef, scope: Scope, scopeLabel: string, f: KpiFigure | null): void {
    if (drillSourceOf(k, 'value') === null) return;
    const parts: Part[] = drillSourceOf(k, 'denominator') ? ['numerator', 'denominator'] : ['value'];
    const p = this.period();
    this.drill.set({
      kpi: k.code, title: `${this.name(k)} · ${f ? formatValue(f.value, f.unit, this.language()) : ''}`, scopeLabel, from: p.from, to: p.to, scope, parts, part: parts[0],
    });
  }
  /** A point of the trend: the entries of that bucket (day, week or month) for the chosen KPI. */
  protected openBucket(i: number): void {
    const k = this.kpi();
    const b = buckets(this.period().from, this.period().to)[i];
    if (!k || !b || drillSourceOf(k, 'value') === null) return;
    const parts: Part[] = drillSourceOf(k, 'denominator') ? ['numerator', 'denominator'] : ['value'];
    const point = this.trend()[i];
    this.drill.set({
      kpi: k.code, title: `${this.name(k)} · ${point ? formatValue(point.value, k.unit, this.language()) : ''}`, scopeLabel: this.scope().label,
      from: b.from, to: b.to, scope: this.scope().scope, parts, part: parts[0],
    });
  }
  /** A stage of the funnel: its KPI's entries (settled: the settlement rate's numerator). */
  protected openStage(i: number): void {
    const code = i < FUNNEL.length ? FUNNEL[i] : 'settlement_rate';
    const k = this.catalogue().find((c) => c.code === code);
    if (!k) return;
    this.open(k, this.scope().scope, this.scope().label, this.result()?.figures.find((f) => f.code === code) ?? null);
  }
  protected openRanked(e: RankingOpen): void {
    this.open(e.kpi, e.scope, e.name, e.figure);
  }
  protected drillable(k: KpiDef | null): boolean {
    return !!k && drillSourceOf(k, 'value') !== null;
  }
}
