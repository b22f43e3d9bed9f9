import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import { reconciliationQuerySchema, type Actor, type Page, type ToolReconciliationView } from '@linggong/domain';
import { TenantDb, assertAccess, isoOf, newId, notFound, queryRow, queryRows } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { MarketDirectoryService } from '@linggong/api-markets';
import { shanghaiDay } from '@linggong/ledger-chain';
import type { ToolReconciliationRow } from './rows';

export interface ReconcileResult { day: string; markets: number; mismatched: string[]; failed: string[] }

/**
 * The daily deposit reconciliation (R-B11 单个核算; 附件4 第五条(三) 财务统一管理): per market, the deposits
 * the outstanding loans say are held must equal what the append-only deposit account adds up to
 * (received − refunded − forfeited), and loan by loan each kind of movement must equal what the loan
 * records (received: its deposit once lent; refunded, forfeited: what its return wrote down). A
 * difference means a movement or a loan was altered outside the application; it is written down and
 * shown to the market manager.
 */
@Injectable()
export class DepositReconciliationService {
  private readonly log = new Logger('DepositReconciliation');
  constructor(private readonly db: TenantDb, private readonly audit: AuditService, private readonly markets: MarketDirectoryService) {}

  /**
   * Every market with deposit activity (the job, as the system actor), or the given ones. Each market in
   * its own transaction: one that fails (no operator, a database error) is logged and skipped, the
   * others are still reconciled.
   */
  /**
   * `nightly`: the scheduled run, once per market and day — a market that already has its nightly row
   * for the day is not written again (the job may run twice: a worker killed after the commit).
   */
  async run(actor: Actor, opts: { day?: string; marketIds?: string[]; nightly?: boolean } = {}): Promise<ReconcileResult> {
    const day = opts.day ?? shanghaiDay(new Date());
    const ids: string[] = opts.marketIds ?? await this.db.run(actor, async (em) => (await queryRows<{ market_id: string }>(em,
      'SELECT market_id FROM tool_loans UNION SELECT market_id FROM tool_deposit_movements')).map((r) => r.market_id));
    const mismatched: string[] = [];
    const failed: string[] = [];
    for (const marketId of ids) {
      try {
        const view = await this.db.run(actor, (em) => this.reconcileIn(em, actor, marketId, day, opts.nightly ? 'nightly' : null));
        if (view.status === 'mismatch') mismatched.push(marketId);
      } catch (e) {
        failed.push(marketId);
        // The error as `err`: a failed statement is logged by its SQLSTATE only (LOG_SERIALIZERS, issue 12 §8).
        this.log.error({ err: e, marketId, day }, 'deposit reconciliation of a market failed');
      }
    }
    return { day, markets: ids.length, mismatched, failed };
  }

  /** The manager's "check now" for one market (the same check as the nightly job). */
  reconcileMarket(actor: Actor, marketId: string): Promise<ToolReconciliationView> {
    return this.db.run(actor, async (em) => {
      const m = await this.markets.scopeOf(em, marketId);
      if (!m) throw notFound();
      assertAccess(actor, 'verify', 'Tool', { marketId, tenantId: m.tenantId, regionCode: m.regionCode });
      return this.reconcileIn(em, actor, marketId, shanghaiDay(new Date()));
    });
  }

  list(actor: Actor, marketId: string, q: z.infer<typeof reconciliationQuerySchema>): Promise<Page<ToolReconciliationView>> {
    return this.db.run(actor, async (em) => {
      const m = await this.markets.scopeOf(em, marketId);
      if (!m) throw notFound();
      assertAccess(actor, 'read', 'Tool', { marketId, tenantId: m.tenantId, regionCode: m.regionCode });
      const [{ n }] = await em.query('SELECT count(*)::int AS n FROM tool_reconciliations WHERE market_id = $1', [marketId]);
      const rows = await queryRows<ToolReconciliationRow>(em,
        `SELECT * FROM tool_reconciliations WHERE market_id = $1 ORDER BY business_day DESC, checked_at DESC, id DESC LIMIT $2 OFFSET $3`,
        [marketId, q.pageSize, (q.page - 1) * q.pageSize]);
      return { items: rows.map((r) => this.view(r)), total: n, page: q.page, pageSize: q.pageSize };
    });
  }

  private async reconcileIn(em: EntityManager, actor: Actor, marketId: string, day: string, runKey: 'nightly' | null = null): Promise<ToolReconciliationView> {
    const m = await this.markets.scopeOf(em, marketId);
    if (!m || !m.tenantId) throw notFound();
    if (runKey) {
      const done = await queryRow<ToolReconciliationRow>(em, `SELECT * FROM tool_reconciliations WHERE market_id = $1 AND business_day = $2 AND run_key = $3`, [marketId, day, runKey]);
      if (done) return this.view(done);
    }
    // Loan by loan, each kind of movement against what the loan records: received against its deposit
    // (once lent or returned), refunded and forfeited against what its return wrote down, and — when
    // those agree — what a lent loan holds against received − refunded − forfeited. Movements of a loan
    // that no longer exists count too (FULL JOIN).
    const rows: {
      loan_id: string; lent: boolean; expected: string; net: string;
      exp_received: string; received: string; exp_refunded: string; refunded: string; exp_forfeited: string; forfeited: string;
    }[] = await em.query(
      `WITH l AS (SELECT id, status = 'lent' AS lent, CASE WHEN status = 'lent' THEN deposit_fen ELSE 0 END AS expected,
                    CASE WHEN status IN ('lent', 'returned') THEN deposit_fen ELSE 0 END AS exp_received,
                    coalesce(deposit_refunded_fen, 0) AS exp_refunded, coalesce(deposit_forfeited_fen, 0) AS exp_forfeited
                  FROM tool_loans WHERE market_id = $1),
            mv AS (SELECT loan_id, sum(CASE WHEN kind IN ('received', 'taken_over') THEN amount_fen ELSE -amount_fen END) AS net,
                     -- A deposit handed over with its market (issue 16 §4) leaves the outgoing operator's account
                     -- ('handed_over') and enters the successor's ('taken_over'): for the loan it is still received once.
                     coalesce(sum(CASE kind WHEN 'received' THEN amount_fen WHEN 'taken_over' THEN amount_fen WHEN 'handed_over' THEN -amount_fen END), 0) AS received,
                     coalesce(sum(amount_fen) FILTER (WHERE kind = 'refunded'), 0) AS refunded,
                     coalesce(sum(amount_fen) FILTER (WHERE kind = 'forfeited'), 0) AS forfeited
                   FROM tool_deposit_movements WHERE market_id = $1 GROUP BY loan_id)
       SELECT coalesce(l.id, mv.loan_id) AS loan_id, coalesce(l.lent, false) AS lent, coalesce(l.expected, 0) AS expected, coalesce(mv.net, 0) AS net,
              coalesce(l.exp_received, 0) AS exp_received, coalesce(mv.received, 0) AS received,
              coalesce(l.exp_refunded, 0) AS exp_refunded, coalesce(mv.refunded, 0) AS refunded,
              coalesce(l.exp_forfeited, 0) AS exp_forfeited, coalesce(mv.forfeited, 0) AS forfeited
       FROM l FULL JOIN mv ON mv.loan_id = l.id
       ORDER BY 1`, [marketId]);
    const outstanding = rows.reduce((s, r) => s + Number(r.expected), 0);
    const ledger = rows.reduce((s, r) => s + Number(r.net), 0);
    const problems: ToolReconciliationView['problems'] = [];
    for (const r of rows) {
      const before = problems.length;
      for (const kind of ['received', 'refunded', 'forfeited'] as const) {
        const expectedFen = Number(r[`exp_${kind}`]);
        const movementsFen = Number(r[kind]);
        if (expectedFen !== movementsFen) problems.push({ loanId: r.loan_id, kind, expectedFen, movementsFen });
      }
      if (problems.length === before && Number(r.expected) !== Number(r.net)) {
        problems.push({ loanId: r.loan_id, kind: 'held', expectedFen: Number(r.expected), movementsFen: Number(r.net) });
      }
    }
    const status = problems.length || outstanding !== ledger ? 'mismatch' : 'ok';
    const [row] = await em.query<ToolReconciliationRow[]>(
      `INSERT INTO tool_reconciliations (id, tenant_id, market_id, region_code, business_day, status, outstanding_fen, ledger_fen, difference_fen, outstanding_loans, problems, run_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       RETURNING *`,
      [newId(), m.tenantId, marketId, m.regionCode, day, status, outstanding, ledger, ledger - outstanding, rows.filter((r) => r.lent).length, JSON.stringify(problems), runKey]);
    await this.audit.record(em, actor, {
      action: 'tool.deposit_reconcile', subjectType: 'ToolReconciliation', subjectId: row.id, tenantId: m.tenantId, regionCode: m.regionCode,
      summary: { marketId, day, status, outstandingFen: outstanding, ledgerFen: ledger, problems: problems.length },
    });
    return this.view(row);
  }

  private view(r: ToolReconciliationRow): ToolReconciliationView {
    return {
      id: r.id, marketId: r.market_id, businessDay: r.business_day, status: r.status,
      outstandingFen: Number(r.outstanding_fen), ledgerFen: Number(r.ledger_fen), differenceFen: Number(r.difference_fen),
      outstandingLoans: r.outstanding_loans, problems: r.problems,
      checkedAt: isoOf(r.checked_at),
    };
  }
}
