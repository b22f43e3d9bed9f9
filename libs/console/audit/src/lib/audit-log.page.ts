import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { JsonPipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzDatePickerModule } from 'ng-zorro-antd/date-picker';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { AuditService, ShanghaiTimePipe } from '@linggong/console-core';
import { LgCell, LgListPage, listState, type ListColumn } from '@linggong/console-ui';

/** A calendar day picked in the browser, as the YYYY-MM-DD the API reads in Asia/Shanghai. */
function day(d: Date | null | undefined): string | null {
  if (!d) return null;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The picker's Date back from a YYYY-MM-DD in the URL (local midnight, as picked). */
function date(s: string | null): Date | null {
  const m = s ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) : null;
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
}

@Component({
  selector: 'lg-audit-log',
  imports: [
    JsonPipe, FormsModule, TranslocoPipe, ShanghaiTimePipe, LgListPage, LgCell, NzInputModule, NzSelectModule, NzButtonModule,
    NzIconModule, NzDatePickerModule, NzTagModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './audit-log.page.html',
  styles: ['.summary { margin: 0; white-space: pre-wrap; word-break: break-all; font-size: 12px; }'],
})
export class AuditLogPage {
  private readonly audit = inject(AuditService);
  protected readonly subjectTypes = ['Organisation', 'User', 'Market', 'Session', 'Region'];
  protected readonly list = listState({
    filters: {
      q: '', action: '', subjectType: null as string | null, subjectId: '', actorUserId: '', from: null as string | null, to: null as string | null,
    },
    load: ({ filters: f, page, pageSize }) =>
      this.audit.list({ ...f, actorUserId: f.actorUserId.trim() || null, subjectId: f.subjectId.trim() || null, page, pageSize }),
  });
  protected readonly columns: ListColumn[] = [
    { key: 'expand', title: '', expand: true, width: '48px' },
    { key: 'time', title: 'audit.time' },
    { key: 'actor', title: 'audit.actor' },
    { key: 'action', title: 'audit.action' },
    { key: 'subject', title: 'audit.subject' },
    { key: 'region', title: 'audit.region' },
    { key: 'ip', title: 'audit.ip' },
  ];
  protected readonly range = computed(() => {
    const from = date(this.list.draft.from());
    const to = date(this.list.draft.to());
    return from && to ? [from, to] : [];
  });

  protected setRange(range: Date[] | null): void {
    this.list.draft.from.set(day(range?.[0]));
    this.list.draft.to.set(day(range?.[1]));
  }
}
