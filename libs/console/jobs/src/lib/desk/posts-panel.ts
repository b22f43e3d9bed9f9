import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { DecimalPipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzSpinModule } from 'ng-zorro-antd/spin';
import { NzEmptyModule } from 'ng-zorro-antd/empty';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzTooltipModule } from 'ng-zorro-antd/tooltip';
import type { CandidateView, ComplianceRefusal, PostView } from '@linggong/domain';
import { LangService, ProblemService } from '@linggong/console-core';
import { JobsApi } from '../jobs.api';
import { OccupationPipe, shortTime } from '../jobs-util';
import { YuanPipe } from '@linggong/console-core';
import { DeskStore } from './desk.store';

interface Refused { worker: string; title: string; refusal: ComplianceRefusal; legalSource: string }

/** The market's open posts, and for the chosen one its ranked candidates with a 推荐 button each. */
@Component({
  selector: 'lg-desk-posts',
  imports: [
    DecimalPipe, RouterLink, TranslocoPipe, OccupationPipe, YuanPipe, NzCardModule, NzButtonModule, NzTagModule, NzIconModule, NzSpinModule, NzEmptyModule,
    NzModalModule, NzTooltipModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './posts-panel.html',
  styles: [
    `.lg-posts { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 10px; max-height: 330px; overflow-y: auto; padding: 2px; }
     .lg-post { text-align: left; border: 2px solid #d9d9d9; border-radius: 8px; padding: 10px 12px; background: #fff; cursor: pointer; font-size: 15px; }
     .lg-post:hover, .lg-post:focus-visible { border-color: #69b1ff; outline: none; }
     .lg-post.lg-on { border-color: #1677ff; background: #e6f4ff; }
     .lg-post-title { font-size: 18px; font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
     .lg-post-line { display: flex; justify-content: space-between; gap: 8px; margin-top: 4px; }
     .lg-post-wage { font-size: 20px; font-weight: 600; color: #d4380d; }
     .lg-post-open { font-size: 18px; font-weight: 600; color: #237804; }
     .lg-post-open.lg-none { color: rgba(0, 0, 0, 0.65); }
     .lg-muted { color: rgba(0, 0, 0, 0.55); }
     .lg-ellipsis { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
     .lg-cands { margin-top: 16px; }
     .lg-cands h3 { font-size: 18px; margin: 0 0 8px; }
     .lg-cand-list { max-height: 560px; overflow-y: auto; }
     .lg-cand { display: flex; gap: 12px; align-items: center; padding: 10px 4px; border-bottom: 1px solid #f0f0f0; }
     .lg-cand.lg-blocked { background: #fafafa; color: rgba(0, 0, 0, 0.45); }
     .lg-cand-rank { min-width: 32px; font-size: 18px; color: rgba(0, 0, 0, 0.45); }
     .lg-cand-main { flex: 1; min-width: 0; }
     .lg-cand-name { font-size: 18px; font-weight: 500; }
     .lg-cand-parts { font-size: 13px; color: rgba(0, 0, 0, 0.55); }
     .lg-cand-block { font-size: 14px; color: #cf1322; }
     .lg-cand-block nz-tag { white-space: normal; margin-top: 2px; }
     .lg-cand-score { font-size: 24px; font-weight: 600; min-width: 64px; text-align: right; color: #1677ff; }
     .lg-blocked .lg-cand-score { color: rgba(0, 0, 0, 0.25); }
     .lg-cand-go.ant-btn { height: 48px; min-width: 96px; font-size: 18px; }
     .lg-refusal li { margin-bottom: 8px; font-size: 16px; }
     .lg-source { font-size: 14px; color: rgba(0, 0, 0, 0.65); }`,
  ],
})
export class PostsPanel {
  protected readonly store = inject(DeskStore);
  private readonly api = inject(JobsApi);
  private readonly problems = inject(ProblemService);
  protected readonly lang = inject(LangService);
  protected readonly shortTime = shortTime;

  protected readonly recommending = signal<string | null>(null);
  protected readonly refused = signal<Refused | null>(null);

  protected openings(p: PostView): number {
    return Math.max(0, p.headcount - p.hiredCount);
  }

  protected onKey(e: KeyboardEvent, p: PostView): void {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.store.selectPost(p.id);
    }
  }

  protected recommend(c: CandidateView): void {
    const post = this.store.selectedPost();
    if (!post || this.recommending()) return;
    this.recommending.set(c.workerId);
    this.api.recommend(post.id, c.workerId).subscribe({
      next: (p) => {
        this.recommending.set(null);
        this.store.confirming.set(p);
        this.store.placementChanged(p);
      },
      error: (e) => {
        this.recommending.set(null);
        const body = e instanceof HttpErrorResponse ? (e.error as { title?: string; refusal?: ComplianceRefusal; legalSource?: string } | null) : null;
        if (e instanceof HttpErrorResponse && e.status === 422 && body?.refusal) {
          // R-B7: the guard refused; the refusal is already in the work log. Show why, with the law.
          this.refused.set({ worker: c.name, title: body.title ?? '', refusal: body.refusal, legalSource: body.legalSource ?? body.refusal.legalSource });
          this.store.loadCandidates();
        } else {
          this.problems.handle(e);
        }
      },
    });
  }
}
