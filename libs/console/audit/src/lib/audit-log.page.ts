import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { JsonPipe } from '@angular/common';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzTableModule, type NzTableQueryParams } from 'ng-zorro-antd/table';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzDatePickerModule } from 'ng-zorro-antd/date-picker';
import { NzTagModule } from 'ng-zorro-antd/tag';
import type { AuditEventView } from '@linggong/domain';
import { AuditService, ProblemService, ShanghaiTimePipe, type AuditQuery } from '@linggong/console-core';

/** A calendar day picked in the browser, as the YYYY-MM-DD the API reads in Asia/Shanghai. */
function day(d: Date | null | undefined): string | null {
  if (!d) return null;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

@Component({
  selector: 'lg-audit-log',
  imports: [
    JsonPipe, ReactiveFormsModule, TranslocoPipe, ShanghaiTimePipe, NzTableModule, NzFormModule, NzInputModule,
    NzSelectModule, NzButtonModule, NzIconModule, NzCardModule, NzDatePickerModule, NzTagModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './audit-log.page.html',
  styles: ['.summary { margin: 0; white-space: pre-wrap; word-break: break-all; font-size: 12px; }'],
})
export class AuditLogPage {
  private readonly audit = inject(AuditService);
  private readonly problems = inject(ProblemService);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly subjectTypes = ['Organisation', 'User', 'Market', 'Session', 'Region'];
  protected readonly rows = signal<AuditEventView[]>([]);
  protected readonly total = signal(0);
  protected readonly page = signal(1);
  protected readonly pageSize = signal(20);
  protected readonly loading = signal(false);
  protected readonly expanded = signal<Set<string>>(new Set());
  protected readonly filters = this.fb.group({
    q: '',
    action: '',
    subjectType: this.fb.control<string | null>(null),
    subjectId: '',
    actorUserId: '',
    range: this.fb.control<Date[]>([]),
  });

  constructor() {
    this.load();
  }

  protected toggle(id: string, open: boolean): void {
    this.expanded.update((s) => {
      const next = new Set(s);
      if (open) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  protected search(): void {
    this.page.set(1);
    this.load();
  }
  protected reset(): void {
    this.filters.reset();
    this.search();
  }
  protected onQueryParams(p: NzTableQueryParams): void {
    if (p.pageIndex === this.page() && p.pageSize === this.pageSize()) return;
    this.page.set(p.pageIndex);
    this.pageSize.set(p.pageSize);
    this.load();
  }

  private load(): void {
    const { range, ...f } = this.filters.getRawValue();
    const query: AuditQuery = {
      ...f,
      actorUserId: f.actorUserId.trim() || null,
      subjectId: f.subjectId.trim() || null,
      from: day(range?.[0]),
      to: day(range?.[1]),
      page: this.page(),
      pageSize: this.pageSize(),
    };
    this.loading.set(true);
    this.audit.list(query).subscribe({
      next: (p) => {
        this.rows.set(p.items);
        this.total.set(p.total);
        this.loading.set(false);
      },
      error: (e) => {
        this.loading.set(false);
        this.problems.handle(e);
      },
    });
  }
}
