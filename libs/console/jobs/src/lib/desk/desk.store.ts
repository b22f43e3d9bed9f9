import { Injectable, computed, inject, signal } from '@angular/core';
import { asSubject, type ApplicationView, type CandidateView, type MarketView, type PlacementView, type PostView, type QueueEntryView } from '@linggong/domain';
import { AuthService, MarketsService, ProblemService } from '@linggong/console-core';
import { JobsApi } from '../jobs.api';
import { remember, shanghaiToday } from '../jobs-util';

const MARKET_KEY = 'lg.desk.market';

/**
 * The front desk's state for one market and one day: the queue, the open posts, the candidates of
 * the chosen post, today's placements and the placement being confirmed. Provided by the desk page,
 * so every panel of the screen reads and refreshes the same data.
 */
@Injectable()
export class DeskStore {
  private readonly api = inject(JobsApi);
  private readonly marketsApi = inject(MarketsService);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);

  readonly markets = signal<MarketView[]>([]);
  /** Markets where this user may check workers in and recommend them (market staff: their assigned markets). */
  readonly deskMarkets = computed(() => {
    this.auth.ability();
    return this.markets().filter((m) =>
      this.auth.can('create', asSubject('Placement', { marketId: m.id, tenantId: m.operatorId, regionCode: m.regionCode })));
  });
  readonly marketsLoaded = signal(false);
  readonly marketId = signal<string | null>(null);
  readonly market = computed(() => this.deskMarkets().find((m) => m.id === this.marketId()) ?? null);
  readonly today = signal(shanghaiToday());

  readonly queue = signal<QueueEntryView[]>([]);
  readonly queueOccupation = signal<string | null>(null);
  readonly queueLoading = signal(false);
  /** The worker just checked in: their row is highlighted and scrolled into view. */
  readonly highlightWorker = signal<string | null>(null);

  readonly posts = signal<PostView[]>([]);
  readonly postsLoading = signal(false);
  readonly selectedPostId = signal<string | null>(null);
  readonly selectedPost = computed(() => this.posts().find((p) => p.id === this.selectedPostId()) ?? null);
  readonly candidates = signal<CandidateView[]>([]);
  readonly candidatesLoading = signal(false);

  readonly placements = signal<PlacementView[]>([]);
  readonly placementsLoading = signal(false);
  /** Online applications (应聘报名) from the public job board waiting for this market's desk (issue 18 §1). */
  readonly applications = signal<ApplicationView[]>([]);
  /** The placement whose confirmation panel (QR codes) is open, with its codes. */
  readonly confirming = signal<PlacementView | null>(null);
  /** The queued worker whose fitting posts are open at the desk (person first, issue 17 §6): a check-in id. */
  readonly person = signal<string | null>(null);
  readonly refreshedAt = signal<Date | null>(null);

  init(): void {
    this.marketsApi.list({ pageSize: 200 }).subscribe({
      next: (p) => {
        this.markets.set(p.items);
        this.marketsLoaded.set(true);
        const choices = this.deskMarkets();
        const saved = remember(MARKET_KEY);
        const pick = choices.find((m) => m.id === saved) ?? choices[0] ?? null;
        if (pick) this.selectMarket(pick.id);
      },
      error: (e) => {
        this.marketsLoaded.set(true);
        this.problems.handle(e);
      },
    });
  }

  selectMarket(id: string | null): void {
    if (id === this.marketId()) return;
    this.marketId.set(id);
    remember(MARKET_KEY, id);
    this.queue.set([]);
    this.posts.set([]);
    this.placements.set([]);
    this.candidates.set([]);
    this.selectedPostId.set(null);
    this.queueOccupation.set(null);
    this.refresh();
  }

  /** Everything on the screen except the candidates (those follow the chosen post). */
  refresh(quiet = false): void {
    const day = shanghaiToday();
    if (day !== this.today()) this.today.set(day);
    this.loadQueue(quiet);
    this.loadPosts(quiet);
    this.loadPlacements(quiet);
    this.loadApplications();
    this.refreshedAt.set(new Date());
  }

  loadQueue(quiet = false): void {
    const marketId = this.marketId();
    if (!marketId) return;
    if (!quiet) this.queueLoading.set(true);
    this.api.queue(marketId, { occupation: this.queueOccupation(), status: 'waiting' }).subscribe({
      next: (q) => {
        if (marketId !== this.marketId()) return;
        this.queue.set(q);
        this.queueLoading.set(false);
      },
      error: (e) => this.failed(e, this.queueLoading, quiet),
    });
  }

  loadPosts(quiet = false): void {
    const marketId = this.marketId();
    if (!marketId) return;
    if (!quiet) this.postsLoading.set(true);
    this.api.posts({ marketId, status: 'published', pageSize: 100 }).subscribe({
      next: (p) => {
        if (marketId !== this.marketId()) return;
        // The earliest start first: that is the employer waiting at the gate.
        this.posts.set([...p.items].sort((a, b) => a.startAt.localeCompare(b.startAt)));
        this.postsLoading.set(false);
        const sel = this.selectedPostId();
        if (sel && !p.items.some((x) => x.id === sel)) {
          this.selectedPostId.set(null);
          this.candidates.set([]);
        }
      },
      error: (e) => this.failed(e, this.postsLoading, quiet),
    });
  }

  loadPlacements(quiet = false): void {
    const marketId = this.marketId();
    if (!marketId) return;
    if (!quiet) this.placementsLoading.set(true);
    this.api.placements({ marketId, day: this.today(), pageSize: 200 }).subscribe({
      next: (p) => {
        if (marketId !== this.marketId()) return;
        this.placements.set(p.items);
        this.placementsLoading.set(false);
      },
      error: (e) => this.failed(e, this.placementsLoading, quiet),
    });
  }

  selectPost(id: string | null): void {
    this.selectedPostId.set(id);
    this.candidates.set([]);
    this.loadCandidates();
  }

  loadCandidates(): void {
    const postId = this.selectedPostId();
    if (!postId) return;
    this.candidatesLoading.set(true);
    this.api.candidates(postId).subscribe({
      next: (c) => {
        if (postId !== this.selectedPostId()) return;
        this.candidates.set(c);
        this.candidatesLoading.set(false);
      },
      error: (e) => this.failed(e, this.candidatesLoading, false),
    });
  }

  /** A worker was checked in: show them in the queue at once and in the candidates of the chosen post. */
  checkedIn(entry: QueueEntryView): void {
    this.highlightWorker.set(entry.workerId);
    this.queue.update((q) => (q.some((e) => e.checkInId === entry.checkInId) ? q : [...q, entry]));
    this.loadQueue(true);
    this.loadCandidates();
  }

  loadApplications(): void {
    const marketId = this.marketId();
    if (!marketId) return;
    this.api.applications(marketId).subscribe({
      next: (p) => { if (marketId === this.marketId()) this.applications.set(p.items); },
      error: () => undefined,
    });
  }

  /** A placement changed (recommended, confirmed, started…): update the lists and the open panel. */
  placementChanged(p: PlacementView): void {
    this.placements.update((list) => {
      const i = list.findIndex((x) => x.id === p.id);
      const plain: PlacementView = { ...p };
      delete plain.confirmTokens;
      if (i < 0) return [plain, ...list];
      const next = [...list];
      next[i] = plain;
      return next;
    });
    const open = this.confirming();
    if (open?.id === p.id) this.confirming.set({ ...p, confirmTokens: p.confirmTokens ?? open.confirmTokens });
    if (p.status !== 'recommended') {
      this.loadPosts(true);
      this.loadQueue(true);
    }
    this.loadCandidates();
  }

  private failed(e: unknown, loading: { set(v: boolean): void }, quiet: boolean): void {
    loading.set(false);
    // The 15-second refresh stays silent when the network blinks; the next one will try again.
    if (!quiet) this.problems.handle(e);
  }
}
