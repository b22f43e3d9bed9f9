import { Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR, calendarCovers, dueAfterWorkingDays } from '@linggong/domain';
import { TenantDb } from '@linggong/api-core';
import { ComplaintTimers, type TimerPayload } from './complaint-timers';
import { ComplaintsService } from './complaints.service';
import { shanghaiToday, timerFacts } from './complaint-rows';
import type { ComplaintRow } from './rows';

export interface SweepResult { open: number; added: number; recounted: number }

/**
 * What the timers do when they fire, and the sweep that rebuilds them (issue 6 §3). Each action
 * re-reads the complaint under a row lock and acts only if the step is still due, so a timer that
 * fires twice, late, or after the deadline moved does nothing the second time.
 */
@Injectable()
export class ComplaintDeadlinesService {
  constructor(private readonly db: TenantDb, private readonly complaints: ComplaintsService, private readonly timers: ComplaintTimers) {}

  /** Runs one timer. Returns what it did ('skipped' when the step is no longer due). */
  fire(p: TimerPayload): Promise<'skipped' | 'ack_overdue' | 'reminded' | 'escalated'> {
    const actor = SYSTEM_ACTOR;
    return this.db.run(actor, async (em) => {
      const [c] = await em.query<ComplaintRow[]>('SELECT * FROM complaints WHERE id = $1 FOR UPDATE', [p.complaintId]);
      if (!c || c.status === 'closed') return 'skipped';
      const today = await shanghaiToday(em);
      const ackDue = c.ack_due;
      const resolveDue = c.resolve_due;
      if (p.kind === 'ack') {
        if (c.acknowledged_at || c.ack_overdue_at || p.due !== ackDue || today <= ackDue) return 'skipped';
        await em.query('UPDATE complaints SET ack_overdue_at = now() WHERE id = $1', [p.complaintId]);
        await this.complaints.step(em, actor, c, 'ack_overdue', `超过受理时限（${ackDue}）仍未受理，已提醒责任人`, { ackDue });
        return 'ack_overdue';
      }
      if (p.kind === 'remind') {
        // A reminder is for the due day itself; after it the escalation speaks.
        if (p.due !== resolveDue || c.reminded_for === resolveDue || today !== resolveDue) return 'skipped';
        await em.query('UPDATE complaints SET reminded_for = $2 WHERE id = $1', [p.complaintId, resolveDue]);
        await this.complaints.step(em, actor, c, 'reminder', `今天（${resolveDue}）是办结期限，请按时办结或申请延期`, { resolveDue });
        return 'reminded';
      }
      if (c.overdue_escalated_at || p.due !== resolveDue || today <= resolveDue) return 'skipped';
      await em.query('UPDATE complaints SET overdue_escalated_at = now() WHERE id = $1', [p.complaintId]);
      await this.complaints.insertEscalation(em, actor, c, 'county_bureau', `超过办结期限（${resolveDue}）未办结，自动上报县级人社部门`, true);
      return 'escalated';
    });
  }

  /**
   * Rebuilds every open complaint's timers from PostgreSQL (after a Redis flush or restart nothing is
   * lost), and recounts provisional due dates once the calendar package covers their year.
   */
  async sweep(): Promise<SweepResult> {
    const rows = await this.db.run(SYSTEM_ACTOR, (em) => em.query<ComplaintRow[]>(`SELECT * FROM complaints WHERE status <> 'closed' ORDER BY resolve_due, id`));
    let added = 0;
    let recounted = 0;
    for (let c of rows) {
      if (c.due_provisional) {
        const updated = await this.recount(c);
        if (updated) {
          c = updated;
          recounted++;
        }
      }
      added += await this.timers.schedule(timerFacts(c));
    }
    return { open: rows.length, added, recounted };
  }

  private recount(c: ComplaintRow): Promise<ComplaintRow | null> {
    const due = dueAfterWorkingDays(c.clock_from, c.resolve_limit_days + c.extension_days);
    const ack = dueAfterWorkingDays(c.received_day, 1);
    if (due.provisional || ack.provisional || !calendarCovers(Number(due.day.slice(0, 4)))) return Promise.resolve(null);
    return this.db.run(SYSTEM_ACTOR, async (em) => {
      await em.query('UPDATE complaints SET resolve_due = $2, ack_due = $3, due_provisional = false, updated_at = now() WHERE id = $1', [c.id, due.day, ack.day]);
      return (await em.query<ComplaintRow[]>('SELECT * FROM complaints WHERE id = $1', [c.id]))[0];
    });
  }

  /** For tests and operators: the timer ids an open complaint should have right now. */
  expectedTimerIds(c: ComplaintRow): string[] {
    return this.timers.timersOf(timerFacts(c)).map((t) => ComplaintTimers.jobId(t.payload));
  }
}
