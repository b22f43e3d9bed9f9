import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTooltipModule } from 'ng-zorro-antd/tooltip';
import { NzDrawerModule } from 'ng-zorro-antd/drawer';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzDividerModule } from 'ng-zorro-antd/divider';
import { NzMessageService } from 'ng-zorro-antd/message';
import {
  OCCUPATION_NAMES, POST_STATUSES, asSubject, type MarketView, type PostStatus, type PostView, type ProhibitedWorkView, type RedFlag,
} from '@linggong/domain';
import { AuthService, LangService, MarketsService, ProblemService, ShanghaiTimePipe } from '@linggong/console-core';
import { JobsApi } from '../jobs.api';
import { OccupationPipe } from '../jobs-util';
import { YuanPipe, formatYuan } from '@linggong/console-core';
import { LgCell, LgListPage, listState, type ListColumn } from '@linggong/console-ui';
import { PostForm } from './post-form';

export const POST_STATUS_COLORS: Record<PostStatus, string> = {
  pending_review: 'gold', published: 'green', rejected: 'red', filled: 'blue', expired: 'default', withdrawn: 'default',
};

/** Job posts (岗位): list with filters and red flags, 发布岗位, and the reviewer's drawer (publish, reject, withdraw) (R-B6). */
@Component({
  selector: 'lg-posts',
  imports: [
    LgListPage, LgCell, FormsModule, TranslocoPipe, ShanghaiTimePipe, OccupationPipe, YuanPipe, NzButtonModule, NzIconModule, NzTagModule,
    NzInputModule, NzSelectModule, NzTooltipModule, NzDrawerModule, NzDescriptionsModule, NzAlertModule, NzDividerModule, PostForm,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './posts.page.html',
  styles: [
    `.lg-post-title { font-weight: 500; }
     .lg-flags nz-tag { margin-bottom: 2px; cursor: help; }
     textarea[data-testid='post-review-reason'] { margin-bottom: 8px; }
     .lg-review-actions { display: flex; flex-wrap: wrap; gap: 8px; }
     .lg-flag-row { margin-bottom: 8px; }
     .lg-hazard { margin-bottom: 6px; }`,
  ],
})
export class PostsPage {
  private readonly api = inject(JobsApi);
  private readonly marketsApi = inject(MarketsService);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  protected readonly list = listState({
    filters: { marketId: null as string | null, status: null as PostStatus | null, occupation: null as string | null, q: '' },
    load: ({ filters: f, page, pageSize }) => this.api.posts({
      page, pageSize, marketId: f.marketId, status: (POST_STATUSES as readonly (string | null)[]).includes(f.status) ? f.status : null, occupation: f.occupation, q: f.q.trim(),
    }),
  });
  protected readonly lang = inject(LangService);

  protected readonly statuses = POST_STATUSES;
  protected readonly occupations = OCCUPATION_NAMES;
  protected readonly colors = POST_STATUS_COLORS;

  // Filters and the list

  protected readonly markets = signal<MarketView[]>([]);
  private readonly hazards = signal<ProhibitedWorkView[]>([]);
  /** Markets where the user may submit posts (market staff: their assigned markets). */
  protected readonly createMarkets = computed(() => {
    this.auth.ability();
    return this.markets().filter((m) => this.auth.can('create', asSubject('Post', { marketId: m.id, tenantId: m.operatorId, regionCode: m.regionCode })));
  });
  protected readonly canCreate = computed(() => this.createMarkets().length > 0);
  /** Authorities (county reviewer and above) read posts; they do not act on them. */
  protected readonly readOnly = computed(() => {
    this.auth.ability();
    return !this.auth.can('update', 'Post') && !this.auth.can('verify', 'Post');
  });
  protected readonly formOpen = signal(false);

  // The drawer: details, review, withdrawal
  protected readonly current = signal<PostView | null>(null);
  protected readonly reason = signal('');
  protected readonly acting = signal<'published' | 'rejected' | 'withdraw' | null>(null);
  protected readonly reasonError = signal('');

  protected readonly rowAttrs = (p: PostView) => ({ 'data-status': p.status });
  protected readonly columns: ListColumn[] = [
    { key: 'title', title: 'post.titleField' },
    { key: 'marketName', title: 'post.market' },
    { key: 'occupation', title: 'post.occupation', className: 'lg-nowrap' },
    { key: 'hired', title: 'post.hired', className: 'lg-nowrap' },
    { key: 'wage', title: 'post.wage', className: 'lg-nowrap' },
    { key: 'startAt', title: 'post.startAt', className: 'lg-nowrap' },
    { key: 'status', title: 'common.status', className: 'lg-nowrap' },
    { key: 'flags', title: 'post.redFlags', className: 'lg-flags' },
    { key: 'actions', title: 'common.actions' },
  ];

  constructor() {
    this.marketsApi.list({ pageSize: 200 }).subscribe({ next: (p) => this.markets.set(p.items), error: (e) => this.problems.handle(e) });
    this.api.prohibitedWork().subscribe({ next: (h) => this.hazards.set(h), error: () => undefined });
  }

  private subject(p: PostView) {
    return asSubject('Post', { id: p.id, tenantId: p.tenantId, marketId: p.marketId });
  }

  protected canReview(p: PostView): boolean {
    this.auth.ability();
    return p.status === 'pending_review' && this.auth.can('verify', this.subject(p));
  }

  protected canWithdraw(p: PostView): boolean {
    this.auth.ability();
    return (p.status === 'pending_review' || p.status === 'published') && this.auth.can('update', this.subject(p));
  }

  /** A red flag's detail in words, for the tooltip and the drawer. */
  protected flagDetail(f: RedFlag): string {
    const d = f.detail as Record<string, unknown>;
    switch (f.code) {
      case 'wage_below_median':
        return this.lang.t(`post.flagDetail.wage_below_median.${d['basis'] === 'local_posts' ? 'local' : 'reference'}`, {
          day: formatYuan(Number(d['dayWageFen'])), median: formatYuan(Number(d['medianDayFen'])), samples: d['samples'],
        });
      case 'worker_fee': {
        const words = Array.isArray(d['words']) ? (d['words'] as string[]).join('、') : '';
        return this.lang.t(words ? 'post.flagDetail.worker_fee_words' : 'post.flagDetail.worker_fee', { fee: formatYuan(Number(d['workerFeeFen'] ?? 0)), words });
      }
      case 'employer_unverified':
        return this.lang.t('post.flagDetail.employer_unverified', { status: this.lang.t(`post.employerStatus.${String(d['status'])}`) });
      case 'employer_flagged':
        return this.lang.t('post.flagDetail.employer_flagged', { n: d['openFlags'] });
      default:
        return '';
    }
  }

  protected hazardOf(code: string): ProhibitedWorkView | undefined {
    return this.hazards().find((h) => h.code === code);
  }

  protected openDrawer(p: PostView): void {
    this.current.set(p);
    this.reason.set('');
    this.reasonError.set('');
  }

  protected act(kind: 'published' | 'rejected' | 'withdraw'): void {
    const p = this.current();
    if (!p || this.acting()) return;
    const reason = this.reason().trim();
    // R-B6: a rejection or a withdrawal says why (the employer and the county reviewer read it).
    if (kind === 'rejected' && reason.length < 4) {
      this.reasonError.set(this.lang.t('post.review.reasonRequired'));
      return;
    }
    if (kind === 'withdraw' && reason.length < 2) {
      this.reasonError.set(this.lang.t('post.review.withdrawReasonRequired'));
      return;
    }
    this.reasonError.set('');
    this.acting.set(kind);
    const call = kind === 'withdraw' ? this.api.withdraw(p.id, reason) : this.api.review(p.id, kind, reason);
    call.subscribe({
      next: (fresh) => {
        this.acting.set(null);
        this.current.set(fresh);
        this.list.patch((rows) => rows.map((x) => (x.id === fresh.id ? fresh : x)));
        this.message.success(this.lang.t(`post.review.done.${kind}`, { title: fresh.title }));
      },
      error: (e) => {
        this.acting.set(null);
        this.problems.handle(e);
      },
    });
  }

  protected onSaved(p: PostView): void {
    this.list.search();
    this.openDrawer(p);
  }
}
