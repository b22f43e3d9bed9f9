import { ChangeDetectionStrategy, Component, ElementRef, computed, effect, inject } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzSpinModule } from 'ng-zorro-antd/spin';
import { NzEmptyModule } from 'ng-zorro-antd/empty';
import { LangService } from '@linggong/console-core';
import { OccupationPipe, occupationChoices } from '../jobs-util';
import { DeskStore } from './desk.store';

/** Today's check-in queue (签到排队): who is waiting, for what, and for how long. */
@Component({
  selector: 'lg-desk-queue',
  imports: [FormsModule, TranslocoPipe, OccupationPipe, NzCardModule, NzSelectModule, NzTagModule, NzIconModule, NzSpinModule, NzEmptyModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <nz-card [nzTitle]="title" [nzExtra]="filter" class="lg-desk-card" data-testid="desk-queue">
      <nz-spin [nzSpinning]="store.queueLoading()">
        <ol class="lg-queue" tabindex="0" [attr.aria-label]="'desk.queue.title' | transloco">
          @for (q of store.queue(); track q.checkInId) {
            <li class="lg-queue-row" [class.lg-hit]="q.workerId === store.highlightWorker()" [attr.data-worker]="q.workerId" data-testid="desk-queue-row"
              tabindex="0" [title]="'desk.person.open' | transloco" (click)="store.person.set(q.checkInId)"
              (keydown.enter)="store.person.set(q.checkInId)" (keydown.space)="$event.preventDefault(); store.person.set(q.checkInId)">
              <div class="lg-queue-no">{{ 'desk.queue.number' | transloco: { n: q.queueNumber } }}</div>
              <div class="lg-queue-main">
                <div class="lg-queue-name">
                  {{ q.name }} <span class="lg-mono">{{ q.mobile }}</span>
                  @if (q.age !== null || q.gender) {
                    <span class="lg-queue-who">
                      @if (q.age !== null) { {{ 'desk.age' | transloco: { age: q.age } }} }
                      @if (q.gender) { {{ 'desk.gender.' + q.gender | transloco }} }
                    </span>
                  }
                </div>
                <div class="lg-queue-tags">
                  @for (o of q.occupations; track o) { <nz-tag>{{ o | occupation: lang.lang() }}</nz-tag> }
                  @if (q.hardshipTier > 0) { <nz-tag nzColor="red" data-testid="desk-badge-hardship">{{ 'desk.badge.hardship' | transloco: { tier: q.hardshipTier } }}</nz-tag> }
                  @if (q.noShows > 0) { <nz-tag nzColor="orange" data-testid="desk-badge-noshow">{{ 'desk.badge.noShows' | transloco: { n: q.noShows } }}</nz-tag> }
                  @if (q.channel === 'qr') { <nz-tag nzColor="blue">{{ 'desk.badge.qr' | transloco }}</nz-tag> }
                </div>
              </div>
              <div class="lg-queue-wait" [class.lg-long]="q.waitedMinutes >= 60">
                {{ 'desk.queue.waited' | transloco: { m: q.waitedMinutes } }}
              </div>
            </li>
          } @empty {
            <nz-empty [nzNotFoundContent]="'desk.queue.empty' | transloco" />
          }
        </ol>
      </nz-spin>
    </nz-card>
    <ng-template #title>
      <nz-icon nzType="team" /> {{ 'desk.queue.title' | transloco }}
      <span class="lg-count">{{ store.queue().length }}</span>
    </ng-template>
    <ng-template #filter>
      <label class="lg-sr-only" for="lg-queue-occupation">{{ 'desk.queue.allOccupations' | transloco }}</label>
      <nz-select class="lg-queue-filter" nzId="lg-queue-occupation" nzAllowClear nzShowSearch [ngModel]="store.queueOccupation()" (ngModelChange)="setOccupation($event)"
        [nzPlaceHolder]="'desk.queue.allOccupations' | transloco" data-testid="desk-queue-occupation">
        @for (o of occupations(); track o) { <nz-option [nzValue]="o" [nzLabel]="o | occupation: lang.lang()" /> }
      </nz-select>
    </ng-template>
  `,
  styles: [
    `.lg-queue { list-style: none; margin: 0; padding: 0; max-height: 560px; overflow-y: auto; }
     .lg-queue-row { display: flex; gap: 12px; align-items: center; padding: 10px 4px; border-bottom: 1px solid #f0f0f0; cursor: pointer; }
     .lg-queue-row:hover, .lg-queue-row:focus-visible { background: #e6f4ff; }
     .lg-queue-row.lg-hit { background: #f6ffed; outline: 2px solid #95de64; }
     .lg-queue-no { min-width: 64px; font-size: 24px; font-weight: 600; color: #0958d9; }
     .lg-queue-main { flex: 1; min-width: 0; }
     .lg-queue-name { font-size: 18px; font-weight: 500; }
     .lg-queue-who { margin-left: 8px; font-size: 14px; font-weight: normal; color: rgba(0, 0, 0, 0.65); }
     .lg-queue-tags { margin-top: 4px; }
     .lg-queue-tags nz-tag { margin-bottom: 2px; }
     .lg-queue-wait { font-size: 16px; white-space: nowrap; color: rgba(0, 0, 0, 0.65); }
     .lg-queue-wait.lg-long { color: #d4380d; font-weight: 600; }
     .lg-queue-filter { width: 160px; }
     .lg-mono { font-family: monospace; font-size: 15px; font-weight: normal; color: rgba(0, 0, 0, 0.65); margin-left: 6px; }
     .lg-count { margin-left: 8px; padding: 0 10px; border-radius: 12px; background: #0958d9; color: #fff; font-size: 14px; }`,
  ],
})
export class QueuePanel {
  protected readonly store = inject(DeskStore);
  protected readonly lang = inject(LangService);
  private readonly host = inject(ElementRef<HTMLElement>);
  /** The market's occupations first, then the rest of the dictionary. */
  protected readonly occupations = computed(() => occupationChoices(this.store.market()?.occupations));

  constructor() {
    // Bring the worker just checked in into view, so the clerk can read the number out.
    effect(() => {
      const id = this.store.highlightWorker();
      if (!id || !this.store.queue().some((q) => q.workerId === id)) return;
      setTimeout(() => (this.host.nativeElement as HTMLElement).querySelector(`[data-worker="${id}"]`)?.scrollIntoView({ block: 'nearest' }));
    });
  }

  protected setOccupation(o: string | null): void {
    this.store.queueOccupation.set(o);
    this.store.loadQueue();
  }
}
