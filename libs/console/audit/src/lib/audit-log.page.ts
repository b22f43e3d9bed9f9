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
import { PUBLIC_USER_ID, auditActionParts } from '@linggong/domain';
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
  styles: ['.summary { margin: 0; white-space: pre-wrap; word-break: break-all; font-size: 12px; }', '.lg-muted { color: rgba(0, 0, 0, 0.65); font-size: 12px; }'],
})
export class AuditLogPage {
  /** Subject types whose word is the console's shared one (`subject.*`); the others are the audit log's own. */
  private static readonly SHARED_SUBJECTS = new Set(['Organisation', 'User', 'Market', 'Session', 'Region', 'AuditEvent']);
  private readonly audit = inject(AuditService);
  /** A sign-in-free public page's actions (QR registration, check-in, complaints) have no person behind them. */
  protected readonly publicUserId = PUBLIC_USER_ID;
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

  /**
   * The label keys of an action (issue 17 §4), from one catalogue: a business fact is labelled with its
   * work-log kind's word (`ledger.kind.*`, the same word the work log shows) and its step
   * (`ledger.step.<kind>.*`); an audit-only action with `audit.act.*`. An action the catalogue does not
   * know shows its code.
   */
  protected actionKeys(action: string): string[] | null {
    const p = auditActionParts(action);
    if (!p) return null;
    if ('code' in p) return [`audit.act.${p.code.replace(/\./g, ':')}`];
    return p.step ? [`ledger.kind.${p.kind}`, `ledger.step.${p.kind}.${p.step}`] : [`ledger.kind.${p.kind}`];
  }

  protected subjectKey(type: string): string {
    return AuditLogPage.SHARED_SUBJECTS.has(type) ? `subject.${type}` : `audit.subjectTypes.${type}`;
  }

  protected setRange(range: Date[] | null): void {
    this.list.draft.from.set(day(range?.[0]));
    this.list.draft.to.set(day(range?.[1]));
  }
}
