import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { FormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzInputModule } from 'ng-zorro-antd/input';
import type { ApplicationView } from '@linggong/domain';
import { LangService, ProblemService, ShanghaiTimePipe } from '@linggong/console-core';
import { OccupationPipe } from '../jobs-util';
import { JobsApi } from '../jobs.api';
import { DeskStore } from './desk.store';

/**
 * 应聘报名 (issue 18 §1; R-G12): online applications from the province's public job board for this market's posts.
 * The desk calls the applicant, then recommends them (a placement: the confirmation panel opens with both QR codes,
 * and the usual chain follows) or declines with a reason. Shown only when there are some.
 */
@Component({
  selector: 'lg-desk-applications',
  imports: [FormsModule, TranslocoPipe, OccupationPipe, ShanghaiTimePipe, NzCardModule, NzButtonModule, NzTagModule, NzIconModule, NzInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (store.applications().length) {
      <nz-card [nzTitle]="title" class="lg-desk-card lg-apps" data-testid="desk-applications">
        <ul class="lg-apps-list">
          @for (a of store.applications(); track a.id) {
            <li class="lg-apps-row" data-testid="desk-application" [attr.data-post]="a.postId">
              <div class="lg-apps-main">
                <div><b>{{ a.workerName }}</b> <span class="lg-mono">{{ a.workerMobile }}</span> <nz-tag nzColor="blue">{{ 'desk.applications.online' | transloco }}</nz-tag></div>
                <div class="lg-apps-sub">{{ 'desk.applications.for' | transloco: { title: a.postTitle } }} · {{ a.occupation | occupation: lang.lang() }} · {{ (a.createdAt | shanghai).slice(11, 16) }}</div>
              </div>
              @if (declining() === a.id) {
                <label class="lg-sr-only" [attr.for]="'lg-decline-' + a.id">{{ 'desk.applications.reason' | transloco }}</label>
                <input nz-input [id]="'lg-decline-' + a.id" [(ngModel)]="reason" [placeholder]="'desk.applications.reason' | transloco" data-testid="desk-application-reason" />
                <button nz-button nzDanger (click)="decline(a)" [disabled]="reason.trim().length < 2" data-testid="desk-application-decline-ok">{{ 'desk.applications.declineOk' | transloco }}</button>
                <button nz-button (click)="declining.set(null)">{{ 'desk.applications.cancel' | transloco }}</button>
              } @else {
                <button nz-button nzType="primary" nzSize="large" [nzLoading]="busy() === a.id" (click)="recommend(a)" data-testid="desk-application-recommend">
                  <nz-icon nzType="check" /> {{ 'desk.applications.recommend' | transloco }}
                </button>
                <button nz-button nzSize="large" (click)="declining.set(a.id); reason = ''" data-testid="desk-application-decline">{{ 'desk.applications.decline' | transloco }}</button>
              }
            </li>
          }
        </ul>
      </nz-card>
      <ng-template #title>
        <nz-icon nzType="solution" /> {{ 'desk.applications.title' | transloco }} <span class="lg-count">{{ store.applications().length }}</span>
        <span class="lg-apps-hint">{{ 'desk.applications.hint' | transloco }}</span>
      </ng-template>
    }
  `,
  styles: [
    `.lg-apps { margin-bottom: 16px; }
     .lg-apps-list { list-style: none; margin: 0; padding: 0; }
     .lg-apps-row { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; padding: 10px 0; border-bottom: 1px solid #f0f0f0; }
     .lg-apps-main { flex: 1; min-width: 240px; }
     .lg-apps-sub, .lg-apps-hint { color: rgba(0, 0, 0, 0.65); font-size: 14px; }
     .lg-apps-hint { margin-left: 12px; font-weight: normal; }
     .lg-apps-row input { width: 220px; }`,
  ],
})
export class ApplicationsPanel {
  protected readonly store = inject(DeskStore);
  protected readonly lang = inject(LangService);
  private readonly api = inject(JobsApi);
  private readonly problems = inject(ProblemService);
  protected readonly busy = signal<string | null>(null);
  protected readonly declining = signal<string | null>(null);
  protected reason = '';

  protected recommend(a: ApplicationView): void {
    if (this.busy()) return;
    this.busy.set(a.id);
    this.api.recommendApplication(a.id).subscribe({
      next: (p) => {
        this.busy.set(null);
        this.store.confirming.set(p);
        this.store.placementChanged(p);
        this.store.loadApplications();
      },
      error: (e) => {
        this.busy.set(null);
        this.problems.handle(e);
        if (e instanceof HttpErrorResponse && e.status === 409) this.store.loadApplications();
      },
    });
  }

  protected decline(a: ApplicationView): void {
    this.api.declineApplication(a.id, this.reason.trim()).subscribe({
      next: () => {
        this.declining.set(null);
        this.store.loadApplications();
      },
      error: (e) => this.problems.handle(e),
    });
  }
}
