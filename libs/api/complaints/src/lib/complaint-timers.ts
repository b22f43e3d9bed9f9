import { Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { nextDay } from '@linggong/domain';
import { COMPLAINT_TIMERS_QUEUE } from './queues';

/** What a complaint's timers need: its id, tenant and due dates (Asia/Shanghai days). */
export interface TimerFacts {
  id: string; tenantId: string; ackDue: string; resolveDue: string; acknowledged: boolean; ackOverdue: boolean; remindedFor: string | null; escalated: boolean;
}
export type TimerKind = 'ack' | 'remind' | 'escalate';
export interface TimerPayload { complaintId: string; tenantId: string; kind: TimerKind; due: string }

/** The moment a day (Asia/Shanghai) is over: a step due that day is late from then on. */
export const endOfDay = (day: string) => Date.parse(`${nextDay(day)}T00:00:00+08:00`);
/** Reminders go out at 09:00 on the due day, when the office is open. */
export const remindAt = (day: string) => Date.parse(`${day}T09:00:00+08:00`);

/**
 * The BullMQ side of complaint deadlines (issue 6 §3). The due dates are in PostgreSQL; a timer is a
 * delayed job whose id is derived from (complaint, kind, due date), so scheduling the same timer twice
 * is a no-op and a moved deadline gets a new timer while the old one finds nothing to do. The job
 * itself re-reads the row and acts only if the step is still due, which is what makes an escalation
 * happen exactly once however many times its timer is rebuilt.
 */
@Injectable()
export class ComplaintTimers {
  private readonly log = new Logger('ComplaintTimers');
  constructor(@InjectQueue(COMPLAINT_TIMERS_QUEUE) private readonly queue: Queue) {}

  static jobId(p: Pick<TimerPayload, 'complaintId' | 'kind' | 'due'>): string {
    return `complaint.${p.complaintId}.${p.kind}.${p.due}`;
  }

  timersOf(c: TimerFacts): { payload: TimerPayload; at: number }[] {
    const out: { payload: TimerPayload; at: number }[] = [];
    const base = { complaintId: c.id, tenantId: c.tenantId };
    if (!c.acknowledged && !c.ackOverdue) out.push({ payload: { ...base, kind: 'ack', due: c.ackDue }, at: endOfDay(c.ackDue) });
    // The reminder is for the due day only; once that day is over the escalation takes its place.
    if (c.remindedFor !== c.resolveDue && Date.now() < endOfDay(c.resolveDue)) out.push({ payload: { ...base, kind: 'remind', due: c.resolveDue }, at: remindAt(c.resolveDue) });
    if (!c.escalated) out.push({ payload: { ...base, kind: 'escalate', due: c.resolveDue }, at: endOfDay(c.resolveDue) });
    return out;
  }

  /** Adds the complaint's timers (a timer already in Redis is left as it is). Returns how many were added. */
  async schedule(c: TimerFacts): Promise<number> {
    let added = 0;
    for (const t of this.timersOf(c)) {
      const jobId = ComplaintTimers.jobId(t.payload);
      const existing = await this.queue.getJob(jobId);
      if (existing) {
        // A timer that already ran while its step is still due (it fired early, or failed) runs again.
        const state = await existing.getState();
        if ((state !== 'completed' && state !== 'failed') || t.at > Date.now()) continue;
        await existing.remove();
      }
      await this.queue.add(t.payload.kind, t.payload, {
        jobId, delay: Math.max(0, t.at - Date.now()), attempts: 5, backoff: { type: 'exponential', delay: 30_000 },
        removeOnComplete: { age: 7 * 86_400 }, removeOnFail: 1000,
      });
      added++;
    }
    return added;
  }

  /**
   * After a request's commit: a Redis outage must not lose the complaint (it is already in
   * PostgreSQL), so a failure is logged and left to the sweep, which rebuilds every missing timer.
   */
  async scheduleQuietly(c: TimerFacts): Promise<void> {
    try {
      await this.schedule(c);
    } catch (e) {
      this.log.warn(`timers of complaint ${c.id} left to the sweep: ${(e as Error).message}`);
    }
  }

  async timerJobIds(): Promise<string[]> {
    const jobs = await this.queue.getJobs(['delayed', 'waiting', 'active']);
    return jobs.map((j) => String(j.id));
  }
}
