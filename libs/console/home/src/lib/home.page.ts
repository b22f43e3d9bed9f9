import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { catchError, of } from 'rxjs';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzGridModule } from 'ng-zorro-antd/grid';
import { NzStatisticModule } from 'ng-zorro-antd/statistic';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzSpinModule } from 'ng-zorro-antd/spin';
import { NzEmptyModule } from 'ng-zorro-antd/empty';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { AUTHORITY_KINDS, type OversightSummary, type Overview, type TodoItem } from '@linggong/domain';
import { AuthService, OverviewService, ProblemService } from '@linggong/console-core';
import { CountyChart } from './county-chart';

export const STATUS_COLORS: Record<string, string> = { preparing: 'default', open: 'green', suspended: 'orange', closed: 'red' };

@Component({
  selector: 'lg-home',
  imports: [
    RouterLink, TranslocoPipe, NzCardModule, NzGridModule, NzStatisticModule, NzTableModule, NzTagModule, NzSpinModule,
    NzEmptyModule, NzIconModule, CountyChart,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './home.page.html',
  styleUrl: './home.page.less',
})
export class HomePage {
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  protected readonly statusColors = STATUS_COLORS;
  protected readonly overview = toSignal<Overview | null | undefined>(
    inject(OverviewService)
      .get()
      .pipe(
        catchError((e) => {
          this.problems.handle(e);
          return of(null);
        }),
      ),
  );
  /** Rectification orders and samples in the caller's scope (issue 16): the county's dashboard and the operator's home. */
  protected readonly oversight = toSignal<OversightSummary | null>(
    inject(OverviewService).oversight().pipe(catchError(() => of(null))),
    { initialValue: null },
  );
  protected readonly canSeeRectifications = computed(() => {
    this.auth.ability();
    return this.auth.can('read', 'Rectification');
  });
  /** Which home to show: by the signed-in user's organisation kind. */
  protected readonly variant = computed<'platform' | 'authority' | 'operator'>(() => {
    const kind = this.auth.me()?.org.kind;
    if (kind === 'operator') return 'operator';
    if (kind && AUTHORITY_KINDS.includes(kind)) return 'authority';
    return 'platform';
  });
  protected readonly orgName = computed(() => this.auth.me()?.org.name ?? '');
  /** What to do now (issue 17 §5): undefined while loading, [] when nothing waits. */
  protected readonly todo = toSignal<TodoItem[] | null | undefined>(
    inject(OverviewService)
      .todo()
      .pipe(
        catchError((e) => {
          this.problems.handle(e);
          return of(null);
        }),
      ),
  );
}
