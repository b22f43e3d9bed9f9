import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzStatisticModule } from 'ng-zorro-antd/statistic';
import { NzIconModule } from 'ng-zorro-antd/icon';
import type { ComplaintBoardView, ComplaintSummaryView } from '@linggong/domain';
import { ProblemService } from '@linggong/console-core';
import { ComplaintsApi } from './complaints.api';
import { DUE_COLOUR } from './complaint-labels';

/**
 * Oversight board (issue 6 §8): the county reviewer's view across its operators, the operator's
 * across its markets — open, due soon, overdue, on-time rate, satisfaction, one-time-notice
 * breaches, repeat complainants and employers — with the overdue and due-soon complaints listed.
 */
@Component({
  selector: 'lg-complaint-board',
  imports: [FormsModule, RouterLink, TranslocoPipe, NzCardModule, NzTableModule, NzTagModule, NzSelectModule, NzStatisticModule, NzIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './complaint-board.page.html',
  styles: [
    `.lg-stats { display: grid; grid-template-columns: repeat(6, 1fr); gap: 12px; margin-bottom: 16px; }
     .lg-two { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; margin-top: 16px; }
     .lg-muted { color: rgba(0, 0, 0, 0.45); font-size: 12px; }
     .lg-mono { font-family: monospace; }
     @media (max-width: 1100px) { .lg-stats { grid-template-columns: repeat(3, 1fr); } .lg-two { grid-template-columns: 1fr; } }`,
  ],
})
export class ComplaintBoardPage {
  private readonly api = inject(ComplaintsApi);
  private readonly problems = inject(ProblemService);
  protected readonly dueColour = DUE_COLOUR;
  protected readonly days = signal(90);
  protected readonly board = signal<ComplaintBoardView | null>(null);
  protected readonly attention = signal<ComplaintSummaryView[]>([]);

  constructor() {
    this.load();
  }

  protected load(): void {
    this.api.board(this.days()).subscribe({ next: (b) => this.board.set(b), error: (e) => this.problems.handle(e) });
    this.api.list({ status: 'open', pageSize: 50 }).subscribe({
      next: (p) => this.attention.set(p.items.filter((c) => c.dueState === 'overdue' || c.dueState === 'due_soon')),
      error: (e) => this.problems.handle(e),
    });
  }

  protected pct(v: number | null): string {
    return v === null ? '—' : `${v}%`;
  }
}
