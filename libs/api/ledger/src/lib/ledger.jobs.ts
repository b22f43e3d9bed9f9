import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { SYSTEM_ACTOR } from '@linggong/domain';
import { APP_CONFIG, ProblemException, TenantDb, newId, type AppConfig } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { shanghaiDay } from '@linggong/ledger-chain';
import { LedgerService, addDays } from './ledger.service';
import { LEDGER_CLOSE_QUEUE, LEDGER_VERIFY_QUEUE } from './queues';

/** The jobs' work, callable directly (tests, a manual run) and from BullMQ. */
@Injectable()
export class LedgerJobs {
  constructor(
    private readonly ledger: LedgerService,
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Close, as late, every market's days still open before today once the deadline hour has passed
   * (issue 3 §5; lateness is a KPI input). Idempotent: a closed day is not closed again.
   */
  /** `only` limits the run to some markets (tests, a manual re-run); the schedule passes nothing. */
  async closeOverdue(now = new Date(), only?: string[]): Promise<{ closed: { marketId: string; through: string }[] }> {
    const hour = new Date(now.getTime() + 8 * 3_600_000).getUTCHours();
    const yesterday = addDays(shanghaiDay(now), -1);
    if (hour < this.config.LEDGER_CLOSE_HOUR) return { closed: [] };
    const open: { market_id: string }[] = await this.db.run(SYSTEM_ACTOR, (em) => em.query(
      `SELECT h.market_id FROM ledger_heads h
       WHERE ($2::uuid[] IS NULL OR h.market_id = ANY($2::uuid[]))
         AND (((h.sealed_through IS NULL OR h.sealed_through < $1)
               AND EXISTS (SELECT 1 FROM ledger_entries e WHERE e.market_id = h.market_id AND e.business_day <= $1))
           -- or a day already closed with entries recorded after its seal: they get a supplementary seal (issue 17 §1)
           OR EXISTS (SELECT 1 FROM ledger_entries e WHERE e.market_id = h.market_id AND e.seq > COALESCE((SELECT max(s.last_seq) FROM ledger_seals s WHERE s.market_id = h.market_id), 0) AND e.business_day <= $1))`,
      [yesterday, only ?? null]));
    const closed: { marketId: string; through: string }[] = [];
    for (const { market_id } of open) {
      try {
        await this.ledger.closeDay(SYSTEM_ACTOR, market_id, yesterday, { late: true, system: true });
      } catch (e) {
        // Closed by hand between the listing and here: nothing left for the job, and the other markets still get closed.
        if (e instanceof ProblemException && e.key === 'ledger_already_closed') continue;
        throw e;
      }
      closed.push({ marketId: market_id, through: yesterday });
    }
    return { closed };
  }

  /**
   * Verify one day's seals for every market (default: yesterday) against chain, signature and the
   * authority's receipt; a failure becomes an alert on the market's page and for its county reviewer.
   */
  async verifyDay(day?: string, now = new Date()): Promise<{ day: string; markets: number; failed: string[] }> {
    const target = day ?? addDays(shanghaiDay(now), -1);
    // One snapshot for every market's seals, entries and receipts: a close committing a supplementary part (its seal and
    // receipt together) between two of the verifier's reads must not look like a broken day.
    return this.db.run(SYSTEM_ACTOR, async (em) => {
      const markets: { market_id: string; tenant_id: string | null; region_code: string }[] = await em.query(
        `SELECT DISTINCT s.market_id, m.tenant_id, m.region_code FROM ledger_seals s JOIN markets m ON m.id = s.market_id WHERE s.business_day = $1`, [target]);
      const failed: string[] = [];
      for (const m of markets) {
        const report = await this.ledger.verifyIn(em, m.market_id, target, target);
        if (report.ok || !report.firstBad) continue;
        failed.push(m.market_id);
        const p = report.firstBad;
        const raised: unknown[] = await em.query(
          `INSERT INTO ledger_alerts (id, market_id, tenant_id, region_code, business_day, code, detail, first_bad_seq)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (market_id, business_day, code) DO NOTHING RETURNING id`,
          [newId(), m.market_id, m.tenant_id, m.region_code, target, p.code, `#${p.seq ?? '-'} ${p.detail}`, p.seq]);
        // Once per alert: a rerun of the job (a worker killed after the commit) finds it raised already (issue 12 §12).
        if (!raised.length) continue;
        await this.audit.record(em, null, { action: 'ledger.verification_failed', subjectType: 'Market', subjectId: m.market_id, tenantId: m.tenant_id, regionCode: m.region_code, summary: { day: target, firstBad: p, problems: report.problems.length } });
      }
      return { day: target, markets: markets.length, failed };
    }, 'REPEATABLE READ');
  }
}

@Processor(LEDGER_CLOSE_QUEUE)
export class CloseOverdueDaysJob extends WorkerHost {
  private readonly log = new Logger(CloseOverdueDaysJob.name);
  constructor(private readonly jobs: LedgerJobs) {
    super();
  }
  async process(job: Job<{ now?: string }>) {
    const r = await this.jobs.closeOverdue(job.data.now ? new Date(job.data.now) : new Date());
    await job.updateProgress(100);
    if (r.closed.length) this.log.log({ closed: r.closed.length }, 'closed overdue ledger days');
    return r;
  }
}

@Processor(LEDGER_VERIFY_QUEUE)
export class VerifySealsJob extends WorkerHost {
  private readonly log = new Logger(VerifySealsJob.name);
  constructor(private readonly jobs: LedgerJobs) {
    super();
  }
  async process(job: Job<{ day?: string }>) {
    const r = await this.jobs.verifyDay(job.data.day);
    await job.updateProgress(100);
    this.log.log(r, 'verified ledger seals');
    return r;
  }
}
