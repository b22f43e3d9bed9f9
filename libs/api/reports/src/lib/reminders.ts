import { Injectable, Logger } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { SYSTEM_ACTOR, reportDeadline } from '@linggong/domain';
import { TenantDb, queryRows } from '@linggong/api-core';
import { AnalyticsService } from '@linggong/api-analytics';
import { AuditService } from '@linggong/api-audit';
import { shanghaiDay } from '@linggong/ledger-chain';
import { REPORTS_REMINDERS_QUEUE } from './queues';

const prevMonth = (m: string) => {
  const [y, mm] = m.split('-').map(Number);
  return mm === 1 ? `${y - 1}-12` : `${y}-${String(mm - 1).padStart(2, '0')}`;
};

/**
 * Deadline reminders (issue 14 §4): three working days before a month's deadline and on the day, every
 * city and county with markets whose report of that month is not submitted is reminded once (a row in
 * `report_reminders`, keyed by region, month and kind, so a job run twice reminds once). The project has
 * no SMS or e-mail channel: the reminder is the notice the reports page shows the region's analysts
 * (`GET /v1/reports/reminders`) and an audit event under the region.
 */
@Injectable()
export class ReportRemindersService {
  private readonly log = new Logger('ReportReminders');
  constructor(private readonly db: TenantDb, private readonly analytics: AnalyticsService, private readonly audit: AuditService) {}

  async run(now = new Date()): Promise<{ reminded: number }> {
    const today = shanghaiDay(now);
    // A deadline falls in the month after the one reported on, or just after it (a 28th moved past a long holiday).
    const candidates = [prevMonth(today.slice(0, 7)), prevMonth(prevMonth(today.slice(0, 7)))];
    let reminded = 0;
    for (const month of candidates) {
      let d;
      try { d = reportDeadline(month); } catch { continue; }
      const kind = d.remindOn[1] === today ? 'due' : d.remindOn[0] === today ? 'before' : null;
      if (!kind) continue;
      reminded += await this.db.run(SYSTEM_ACTOR, async (em) => {
        const markets = await this.analytics.scopeMarkets(em, SYSTEM_ACTOR, {});
        const regions = [...new Set(markets.flatMap((m) => [m.regionCode, m.regionCode.slice(0, 4)]))];
        const done = await queryRows<{ region_code: string }>(em,
          `SELECT region_code FROM supply_demand_reports WHERE month = $1 AND status IN ('submitted', 'accepted')`, [month]);
        const late = regions.filter((r) => !done.some((x) => x.region_code === r));
        let n = 0;
        for (const region of late) {
          const ins = await em.query(`INSERT INTO report_reminders (region_code, month, kind, day) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING region_code`, [region, month, kind, today]);
          if (!ins.length) continue;
          n++;
          await this.audit.record(em, SYSTEM_ACTOR, { action: 'report.remind', subjectType: 'SupplyDemandReport', regionCode: region, summary: { month, kind, due: d.due } });
        }
        return n;
      });
    }
    if (reminded) this.log.log({ reminded, today }, 'report reminders');
    return { reminded };
  }
}

/** The daily reminder run (09:00 Asia/Shanghai). */
@Processor(REPORTS_REMINDERS_QUEUE)
export class ReportRemindersJob extends WorkerHost {
  constructor(private readonly reminders: ReportRemindersService) {
    super();
  }
  process() {
    return this.reminders.run();
  }
}
