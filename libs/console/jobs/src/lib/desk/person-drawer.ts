import { ChangeDetectionStrategy, Component, effect, inject, signal, untracked } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzDrawerModule } from 'ng-zorro-antd/drawer';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzSpinModule } from 'ng-zorro-antd/spin';
import { NzEmptyModule } from 'ng-zorro-antd/empty';
import { NzPopconfirmModule } from 'ng-zorro-antd/popconfirm';
import { NzMessageService } from 'ng-zorro-antd/message';
import type { QueuePostsView } from '@linggong/domain';
import { LangService, ProblemService, YuanPipe } from '@linggong/console-core';
import { JobsApi } from '../jobs.api';
import { OccupationPipe } from '../jobs-util';
import { DeskStore } from './desk.store';

type Line = QueuePostsView['posts'][number];

/**
 * Person first (issue 17 §6): a queued worker clicked at the desk → the open posts for the trades they
 * came for, best paid first, each with the compliance guard's answer for them; "no post today for this
 * trade" when there is none; recommend from here; mark them as gone from the queue.
 */
@Component({
  selector: 'lg-desk-person',
  imports: [TranslocoPipe, YuanPipe, OccupationPipe, NzDrawerModule, NzButtonModule, NzTagModule, NzIconModule, NzSpinModule, NzEmptyModule, NzPopconfirmModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <nz-drawer [nzVisible]="!!store.person()" (nzOnClose)="store.person.set(null)" [nzWidth]="560" [nzTitle]="title" [nzFooter]="footer">
      <ng-container *nzDrawerContent>
        <nz-spin [nzSpinning]="loading()">
          @if (view(); as v) {
            <div class="lg-person-trades">
              {{ 'desk.person.cameFor' | transloco }}
              @for (o of v.occupations; track o) { <nz-tag>{{ o | occupation: lang.lang() }}</nz-tag> }
            </div>
            <ul class="lg-person-posts" data-testid="desk-person-posts">
              @for (l of v.posts; track l.post.id) {
                <li class="lg-person-post" [class.lg-blocked]="!!l.blocked" data-testid="desk-person-post">
                  <div class="lg-person-main">
                    <div class="lg-person-title">{{ l.post.title }} <span class="lg-muted">{{ l.post.occupation | occupation: lang.lang() }}</span></div>
                    <div class="lg-muted">{{ l.post.employerName }} · {{ l.post.wageFen | yuan }}/{{ 'post.unit.' + l.post.wageUnit | transloco }} ·
                      {{ 'desk.person.openings' | transloco: { n: openings(l) } }}</div>
                    @if (l.blocked; as b) {
                      <div class="lg-person-refusal" data-testid="desk-person-blocked">
                        <nz-icon nzType="stop" /> {{ 'desk.refusal.rule.' + b.rule | transloco }}
                        @for (it of b.items; track it.code) { <nz-tag nzColor="red">{{ it.name }}</nz-tag> }
                      </div>
                    }
                  </div>
                  @if (l.placed) { <nz-tag nzColor="blue">{{ 'desk.person.placed' | transloco }}</nz-tag> }
                  @else if (!l.blocked) {
                    <button nz-button nzType="primary" nzSize="large" [nzLoading]="recommending() === l.post.id" [disabled]="openings(l) === 0" (click)="recommend(l)" data-testid="desk-person-recommend">
                      {{ 'desk.person.recommend' | transloco }}
                    </button>
                  }
                </li>
              } @empty {
                <nz-empty [nzNotFoundContent]="'desk.person.none' | transloco: { trades: tradeNames(v) }" data-testid="desk-person-none" />
              }
            </ul>
          }
        </nz-spin>
      </ng-container>
    </nz-drawer>
    <ng-template #title>
      @if (view(); as v) { {{ 'desk.queue.number' | transloco: { n: v.entry.queueNumber } }} · {{ v.entry.name }} <span class="lg-muted">{{ v.entry.mobile }}</span> }
    </ng-template>
    <ng-template #footer>
      @if (view(); as v) {
        @if (v.entry.status === 'waiting') {
          <button nz-button nzDanger nz-popconfirm [nzPopconfirmTitle]="'desk.person.leaveConfirm' | transloco: { name: v.entry.name }" (nzOnConfirm)="leave(v)" data-testid="desk-person-leave">
            <nz-icon nzType="logout" /> {{ 'desk.person.leave' | transloco }}
          </button>
        }
      }
    </ng-template>
  `,
  styles: [
    `.lg-person-trades { margin-bottom: 12px; }
     .lg-person-posts { list-style: none; margin: 0; padding: 0; }
     .lg-person-post { display: flex; gap: 12px; align-items: center; padding: 12px 0; border-bottom: 1px solid #f0f0f0; }
     .lg-person-main { flex: 1; min-width: 0; }
     .lg-person-title { font-size: 17px; font-weight: 500; }
     .lg-person-refusal { color: #a8071a; margin-top: 4px; }
     .lg-blocked .lg-person-title { color: rgba(0, 0, 0, 0.55); }
     .lg-muted { color: rgba(0, 0, 0, 0.6); font-size: 14px; font-weight: normal; }`,
  ],
})
export class PersonDrawer {
  protected readonly store = inject(DeskStore);
  protected readonly lang = inject(LangService);
  private readonly api = inject(JobsApi);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);

  protected readonly view = signal<QueuePostsView | null>(null);
  protected readonly loading = signal(false);
  protected readonly recommending = signal<string | null>(null);

  constructor() {
    effect(() => {
      const id = this.store.person();
      if (id) untracked(() => this.load(id));
    });
  }

  protected openings(l: Line): number {
    return Math.max(0, l.post.headcount - l.post.hiredCount);
  }

  protected tradeNames(v: QueuePostsView): string {
    const pipe = new OccupationPipe();
    return v.occupations.map((o) => pipe.transform(o, this.lang.lang())).join('、');
  }

  private load(checkInId: string): void {
    this.view.set(null);
    this.loading.set(true);
    this.api.checkInPosts(checkInId).subscribe({
      next: (v) => {
        if (this.store.person() !== checkInId) return;
        this.view.set(v);
        this.loading.set(false);
      },
      error: (e) => {
        this.loading.set(false);
        this.problems.handle(e);
      },
    });
  }

  protected recommend(l: Line): void {
    const v = this.view();
    if (!v || this.recommending()) return;
    this.recommending.set(l.post.id);
    this.api.recommend(l.post.id, v.entry.workerId).subscribe({
      next: (p) => {
        this.recommending.set(null);
        this.store.person.set(null);
        this.store.confirming.set(p);
        this.store.placementChanged(p);
      },
      error: (e) => {
        this.recommending.set(null);
        // A refusal the list did not foresee (the worker's record changed meanwhile): its title says why.
        if (e instanceof HttpErrorResponse && e.status === 422) this.load(v.entry.checkInId);
        this.problems.handle(e);
      },
    });
  }

  protected leave(v: QueuePostsView): void {
    this.api.leaveQueue(v.entry.checkInId).subscribe({
      next: (entry) => {
        this.store.person.set(null);
        this.store.queue.update((q) => q.filter((x) => x.checkInId !== entry.checkInId));
        this.message.success(this.lang.t('desk.person.left', { name: entry.name }));
      },
      error: (e) => {
        this.problems.handle(e);
        this.store.loadQueue(true);
      },
    });
  }
}
