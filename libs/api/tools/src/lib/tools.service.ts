import { Injectable, type OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  loanQuerySchema, toolQuerySchema,
  type Actor, type CompleteRepairInput, type CreateToolInput, type DecisionInput, type LendInput, type MaintenanceInput, type Page,
  type RequestLoanInput, type ReturnInput, type ToolAccountView, type ToolChargeView, type ToolLoanView, type ToolMaintenanceView, type ToolView,
  damageWithinValue, daysKept, rentalFeeNote, settleReturn,
} from '@linggong/domain';
import { ProblemException, TenantDb, applyAccess, assertAccess, conflict, isoOf, lockRow, newId, notFound, queryRow, queryRows, scopeOf as scope, unprocessable } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { FactsService, LedgerService } from '@linggong/api-ledger';
import { MarketDirectoryService } from '@linggong/api-markets';
import { RegistryDirectoryService } from '@linggong/api-registry';
import { DEFAULT_ALG } from '@linggong/ledger-chain';
import { TOOL_ACCESS as ACCESS_COLUMNS, type ToolChargeRow, type ToolLoanRow, type ToolLoanViewRow, type ToolMaintenanceRow, type ToolWithLoanRow } from './rows';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const TOOL_SELECT = `t.*, al.id AS loan_id, al.status AS loan_status, lw.name AS loan_worker_name`;
const TOOL_FROM = `tools t
  LEFT JOIN tool_loans al ON al.tool_id = t.id AND al.status IN ('requested', 'approved', 'lent')
  LEFT JOIN workers lw ON lw.id = al.worker_id`;
const LOAN_SELECT = `l.*, t.code AS tool_code, t.name AS tool_name, t.category AS tool_category, w.name AS worker_name`;
const LOAN_FROM = `tool_loans l JOIN tools t ON t.id = l.tool_id JOIN workers w ON w.id = l.worker_id`;

/**
 * Tool rental (R-B11; 004 附件4): "安全使用、先批后租、使用签字、量化计价、单个核算". Every step writes its
 * audit event and its work-log entry in the same transaction as the change.
 */
@Injectable()
export class ToolsService implements OnModuleInit {
  constructor(
    private readonly db: TenantDb, private readonly audit: AuditService, private readonly facts: FactsService, private readonly ledger: LedgerService,
    private readonly markets: MarketDirectoryService, private readonly registry: RegistryDirectoryService,
  ) {}

  /** Registers with the work log what a day close should warn about (issue 17 §1): tools handed out and not returned. */
  onModuleInit(): void {
    this.ledger.registerOpenWork(async (em, marketId) => ({ toolsOut: await this.toolsOut(em, marketId) }));
  }

  /** How many of a market's tools are out on loan, in the caller's transaction. */
  async toolsOut(em: EntityManager, marketId: string): Promise<number> {
    const [r] = await em.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM tool_loans WHERE market_id = $1 AND status = 'lent'`, [marketId]);
    return r?.n ?? 0;
  }

  /** A new tool in the market's inventory (工具新增), by the market manager or the operator admin. */
  createTool(actor: Actor, marketId: string, input: CreateToolInput): Promise<ToolView> {
    return this.db.run(actor, async (em) => {
      const m = await this.markets.scopeOf(em, marketId);
      if (!m) throw notFound();
      assertAccess(actor, 'read', 'Market', { id: marketId, tenantId: m.tenantId, regionCode: m.regionCode });
      assertAccess(actor, 'update', 'Tool', { marketId, tenantId: m.tenantId, regionCode: m.regionCode });
      if ((await em.query('SELECT 1 FROM tools WHERE market_id = $1 AND code = $2', [marketId, input.code])).length) throw conflict('tool_exists', 'code');
      const id = newId();
      await em.query(
        `INSERT INTO tools (id, tenant_id, market_id, region_code, code, name, category, condition, value_fen, deposit_fen, daily_fee_fen, note, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [id, m.tenantId, marketId, m.regionCode, input.code, input.name, input.category, input.condition, input.valueFen, input.depositFen,
          input.dailyFeeFen, input.note, actor.userId]);
      const summary = { code: input.code, name: input.name, category: input.category, valueFen: input.valueFen, depositFen: input.depositFen, dailyFeeFen: input.dailyFeeFen };
      await this.facts.record(em, actor, { marketId, kind: 'tool_added', subjectType: 'Tool', subjectId: id, payload: { toolId: id, ...summary, condition: input.condition }, summary });
      return this.toolView(await this.toolRow(em, id));
    });
  }

  listTools(actor: Actor, q: z.infer<typeof toolQuerySchema>): Promise<Page<ToolView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('tools', 't')
        .leftJoin('tool_loans', 'al', `al.tool_id = t.id AND al.status IN ('requested', 'approved', 'lent')`)
        .leftJoin('workers', 'lw', 'lw.id = al.worker_id');
      if (!applyAccess(qb, actor, 'read', 'Tool', ACCESS_COLUMNS('t'))) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      if (q.marketId) qb.andWhere('t.market_id = :mk', { mk: q.marketId });
      if (q.status) qb.andWhere('t.status = :st', { st: q.status });
      if (q.category) qb.andWhere('t.category = :cat', { cat: q.category });
      if (q.q) qb.andWhere('(t.code ILIKE :q OR t.name ILIKE :q)', { q: `%${q.q.replace(/[%_]/g, '')}%` });
      const total = await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>();
      const rows = await qb.select(TOOL_SELECT).orderBy('t.code').addOrderBy('t.id').offset((q.page - 1) * q.pageSize).limit(q.pageSize).getRawMany<ToolWithLoanRow>();
      return { items: rows.map((r) => this.toolView(r)), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
    });
  }

  /** The tool's account (单个核算): every loan, fee, damage charge and repair, with totals. */
  account(actor: Actor, id: string): Promise<ToolAccountView> {
    return this.db.run(actor, async (em) => {
      const row = await this.toolRow(em, id);
      if (!row) throw notFound();
      assertAccess(actor, 'read', 'Tool', scope(row));
      const loans = (await queryRows<ToolLoanViewRow>(em, `SELECT ${LOAN_SELECT} FROM ${LOAN_FROM} WHERE l.tool_id = $1 ORDER BY l.requested_at DESC, l.id`, [id])).map((r) => this.loanView(r));
      const charges: ToolChargeView[] = (await queryRows<ToolChargeRow>(em, 'SELECT * FROM tool_charges WHERE tool_id = $1 ORDER BY created_at DESC, id', [id])).map((r) => ({
        id: r.id, loanId: r.loan_id, kind: r.kind, amountFen: r.amount_fen,
        fromDepositFen: r.from_deposit_fen, note: r.note, createdAt: isoOf(r.created_at),
      }));
      const maintenance = (await queryRows<ToolMaintenanceRow>(em, 'SELECT * FROM tool_maintenance WHERE tool_id = $1 ORDER BY requested_at DESC, id', [id])).map((r) => this.maintenanceView(r));
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      return {
        tool: this.toolView(row), loans, charges, maintenance,
        totals: {
          loans: loans.filter((l: ToolLoanView) => l.lentAt).length,
          daysLent: sum(loans.map((l: ToolLoanView) => l.daysCharged ?? 0)),
          feesFen: sum(charges.filter((c) => c.kind === 'rental_fee').map((c) => c.amountFen)),
          damageFen: sum(charges.filter((c) => c.kind === 'damage').map((c) => c.amountFen)),
          repairCostFen: sum(maintenance.map((m: ToolMaintenanceView) => m.costFen ?? 0)),
          depositHeldFen: sum(loans.filter((l: ToolLoanView) => l.status === 'lent').map((l: ToolLoanView) => l.depositFen)),
        },
      };
    });
  }

  /** The desk asks to lend a tool to a worker; nothing leaves the store until the manager approves (先批后租). */
  requestLoan(actor: Actor, toolId: string, input: RequestLoanInput): Promise<ToolLoanView> {
    return this.db.run(actor, async (em) => {
      const tool = await this.lockTool(em, toolId);
      assertAccess(actor, 'create', 'Tool', scope(tool));
      if (tool.loan_id) throw conflict('tool_loan_active');
      if (tool.status !== 'available') throw conflict('tool_not_available');
      const w = await this.registry.worker(em, input.workerId);
      if (!w || w.tenantId !== tool.tenant_id || w.status !== 'active') throw unprocessable('worker_not_active', 'workerId');
      const id = newId();
      await em.query(
        `INSERT INTO tool_loans (id, tenant_id, market_id, region_code, tool_id, worker_id, days, purpose, deposit_fen, daily_fee_fen, requested_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [id, tool.tenant_id, tool.market_id, tool.region_code, toolId, w.id, input.days, input.purpose, tool.deposit_fen, tool.daily_fee_fen, actor.userId]);
      const payload = { loanId: id, toolId, toolCode: tool.code, workerId: w.id, days: input.days, depositFen: tool.deposit_fen, dailyFeeFen: tool.daily_fee_fen };
      await this.facts.record(em, actor, { marketId: tool.market_id, kind: 'tool_loan_request', subjectType: 'ToolLoan', subjectId: id, payload });
      return this.loanView(await this.loanRow(em, id));
    });
  }

  /** The market manager approves or refuses a loan request; never their own request. */
  decideLoan(actor: Actor, loanId: string, input: DecisionInput): Promise<ToolLoanView> {
    return this.db.run(actor, async (em) => {
      const loan = await this.lockLoan(em, loanId);
      assertAccess(actor, 'verify', 'Tool', scope(loan));
      if (loan.status !== 'requested') throw conflict('tool_loan_state');
      if (loan.requested_by === actor.userId) throw new ProblemException(403, 'approval_same_person');
      await em.query(`UPDATE tool_loans SET status = $2, decided_by = $3, decided_at = now(), decision_note = $4 WHERE id = $1`,
        [loanId, input.decision, actor.userId, input.note]);
      const payload = { loanId, toolId: loan.tool_id, decision: input.decision, note: input.note };
      await this.facts.record(em, actor, { marketId: loan.market_id, kind: 'tool_loan_decision', step: input.decision, subjectType: 'ToolLoan', subjectId: loanId, payload });
      return this.loanView(await this.loanRow(em, loanId));
    });
  }

  /**
   * Hand the tool out (使用签字): only an approved loan, only with the worker's on-screen signature, which
   * is stored by the hash of its bytes; the deposit received is written to the deposit account.
   */
  lend(actor: Actor, loanId: string, input: LendInput): Promise<ToolLoanView> {
    const png = Buffer.from(input.signaturePngBase64, 'base64');
    if (png.length < 67 || !png.subarray(0, 8).equals(PNG_MAGIC) || png.toString('latin1', 12, 16) !== 'IHDR') {
      throw unprocessable('signature_not_png', 'signaturePngBase64');
    }
    return this.db.run(actor, async (em) => {
      const loan = await this.lockLoan(em, loanId);
      assertAccess(actor, 'create', 'Tool', scope(loan));
      if (loan.status === 'requested') throw conflict('tool_loan_not_approved');
      if (loan.status !== 'approved') throw conflict('tool_loan_state');
      const hash = createHash(DEFAULT_ALG).update(png).digest('hex');
      await em.query(
        `INSERT INTO tool_signatures (hash, tenant_id, region_code, alg, mime, size, content) VALUES ($1, $2, $3, $4, 'image/png', $5, $6)
         ON CONFLICT (tenant_id, hash) DO NOTHING`, [hash, loan.tenant_id, loan.region_code, DEFAULT_ALG, png.length, png]);
      await em.query(`UPDATE tool_loans SET status = 'lent', signature_hash = $2, lent_by = $3, lent_at = now() WHERE id = $1`, [loanId, hash, actor.userId]);
      await em.query(`UPDATE tools SET status = 'on_loan', updated_at = now() WHERE id = $1`, [loan.tool_id]);
      const deposit = loan.deposit_fen;
      if (deposit > 0) await this.movement(em, actor, loan, 'received', deposit);
      const payload = {
        loanId, toolId: loan.tool_id, workerId: loan.worker_id, depositFen: deposit, dailyFeeFen: loan.daily_fee_fen,
        approvedBy: loan.decided_by, signatureHash: hash, signatureAlg: DEFAULT_ALG,
      };
      await this.facts.record(em, actor, { marketId: loan.market_id, kind: 'tool_loan', subjectType: 'ToolLoan', subjectId: loanId, payload });
      return this.loanView(await this.loanRow(em, loanId));
    });
  }

  /** A request or approval that was never picked up frees the tool again. */
  cancelLoan(actor: Actor, loanId: string): Promise<ToolLoanView> {
    return this.db.run(actor, async (em) => {
      const loan = await this.lockLoan(em, loanId);
      assertAccess(actor, 'create', 'Tool', scope(loan));
      if (loan.status !== 'requested' && loan.status !== 'approved') throw conflict('tool_loan_state');
      await em.query(`UPDATE tool_loans SET status = 'cancelled' WHERE id = $1`, [loanId]);
      const payload = { loanId, toolId: loan.tool_id, decision: 'cancelled', before: loan.status };
      await this.facts.record(em, actor, { marketId: loan.market_id, kind: 'tool_loan_decision', step: 'cancelled', subjectType: 'ToolLoan', subjectId: loanId, payload });
      return this.loanView(await this.loanRow(em, loanId));
    });
  }

  /**
   * Take the tool back after inspection (交回时要及时检查后方可入库): the fee for the days kept and any
   * damage charge come out of the deposit, the rest is refunded; a damaged tool waits for repair.
   */
  returnLoan(actor: Actor, loanId: string, input: ReturnInput): Promise<ToolLoanView> {
    return this.db.run(actor, async (em) => {
      const loan = await this.lockLoan(em, loanId);
      assertAccess(actor, 'create', 'Tool', scope(loan));
      if (loan.status !== 'lent') throw conflict('tool_loan_state');
      const tool = await queryRow<{ value_fen: number }>(em, 'SELECT value_fen FROM tools WHERE id = $1', [loan.tool_id]) as { value_fen: number };
      if (!damageWithinValue(input.damageFen, tool.value_fen)) throw unprocessable('damage_above_value', 'damageFen');
      const [{ now }] = await em.query<{ now: Date }[]>('SELECT now() AS now');
      const days = daysKept(loan.lent_at as Date, now);
      const s = settleReturn(loan.deposit_fen, loan.daily_fee_fen, days, input.damageFen, tool.value_fen);
      await em.query(
        `UPDATE tool_loans SET status = 'returned', returned_by = $2, returned_at = now(), return_condition = $3, inspection_note = $4,
           days_charged = $5, fee_fen = $6, damage_fen = $7, deposit_refunded_fen = $8, deposit_forfeited_fen = $9, balance_due_fen = $10 WHERE id = $1`,
        [loanId, actor.userId, input.condition, input.inspectionNote, days, s.feeFen, s.damageFen, s.refundedFen, s.forfeitedFen, s.balanceDueFen]);
      await em.query(`UPDATE tools SET status = $2, condition = $3, updated_at = now() WHERE id = $1`,
        [loan.tool_id, input.condition === 'damaged' ? 'damaged' : 'available', input.condition]);
      const charge = async (kind: 'rental_fee' | 'damage', amount: number, fromDeposit: number, note: string) => {
        if (amount <= 0) return;
        await em.query(
          `INSERT INTO tool_charges (id, tenant_id, market_id, region_code, tool_id, loan_id, kind, amount_fen, from_deposit_fen, note, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [newId(), loan.tenant_id, loan.market_id, loan.region_code, loan.tool_id, loanId, kind, amount, fromDeposit, note, actor.userId]);
      };
      await charge('rental_fee', s.feeFen, s.feeFromDepositFen,
        rentalFeeNote(days, loan.daily_fee_fen, s.feeCapped));
      await charge('damage', s.damageFen, s.damageFromDepositFen, input.inspectionNote);
      if (s.refundedFen > 0) await this.movement(em, actor, loan, 'refunded', s.refundedFen);
      if (s.forfeitedFen > 0) await this.movement(em, actor, loan, 'forfeited', s.forfeitedFen);
      const payload = {
        loanId, toolId: loan.tool_id, workerId: loan.worker_id, condition: input.condition, inspectionNote: input.inspectionNote,
        daysCharged: days, feeFen: s.feeFen, damageFen: s.damageFen, depositRefundedFen: s.refundedFen, depositForfeitedFen: s.forfeitedFen,
        balanceDueFen: s.balanceDueFen,
      };
      await this.facts.record(em, actor, { marketId: loan.market_id, kind: 'tool_return', subjectType: 'ToolLoan', subjectId: loanId, payload });
      return this.loanView(await this.loanRow(em, loanId));
    });
  }

  listLoans(actor: Actor, q: z.infer<typeof loanQuerySchema>): Promise<Page<ToolLoanView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('tool_loans', 'l').innerJoin('tools', 't', 't.id = l.tool_id').innerJoin('workers', 'w', 'w.id = l.worker_id');
      if (!applyAccess(qb, actor, 'read', 'Tool', ACCESS_COLUMNS('l'))) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      if (q.marketId) qb.andWhere('l.market_id = :mk', { mk: q.marketId });
      if (q.toolId) qb.andWhere('l.tool_id = :tl', { tl: q.toolId });
      if (q.status) qb.andWhere('l.status = :st', { st: q.status });
      const total = await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>();
      const rows = await qb.select(LOAN_SELECT).orderBy('l.requested_at', 'DESC').addOrderBy('l.id').offset((q.page - 1) * q.pageSize).limit(q.pageSize).getRawMany<ToolLoanViewRow>();
      return { items: rows.map((r) => this.loanView(r)), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
    });
  }

  /** The worker's signature on a loan, as the PNG that was signed. */
  signature(actor: Actor, loanId: string): Promise<{ hash: string; content: Buffer }> {
    return this.db.run(actor, async (em) => {
      const loan = await queryRow<Pick<ToolLoanRow, 'tenant_id' | 'region_code' | 'market_id' | 'signature_hash'>>(em, 'SELECT tenant_id, region_code, market_id, signature_hash FROM tool_loans WHERE id = $1', [loanId]);
      if (!loan) throw notFound();
      assertAccess(actor, 'read', 'Tool', scope(loan));
      if (!loan.signature_hash) throw notFound();
      const sig = await queryRow<{ content: Buffer }>(em, 'SELECT content FROM tool_signatures WHERE tenant_id = $1 AND hash = $2', [loan.tenant_id, loan.signature_hash]);
      if (!sig) throw notFound();
      // A person's handwriting is personal data: every view of it is an audit event.
      await this.audit.record(em, actor, { action: 'tool.signature_view', subjectType: 'ToolLoan', subjectId: loanId, ...scope(loan), summary: { hash: loan.signature_hash } });
      return { hash: loan.signature_hash, content: sig.content };
    });
  }

  /** Apply for repair or write-off (维修、报损报废的申报). */
  requestMaintenance(actor: Actor, toolId: string, input: MaintenanceInput): Promise<ToolMaintenanceView> {
    return this.db.run(actor, async (em) => {
      const tool = await this.lockTool(em, toolId);
      assertAccess(actor, 'create', 'Tool', scope(tool));
      if (tool.loan_id) throw conflict('tool_loan_active');
      if (tool.status !== 'available' && tool.status !== 'damaged') throw conflict('tool_state');
      if ((await em.query(`SELECT 1 FROM tool_maintenance WHERE tool_id = $1 AND status IN ('requested', 'approved')`, [toolId])).length) throw conflict('maintenance_state');
      const id = newId();
      await em.query(
        `INSERT INTO tool_maintenance (id, tenant_id, market_id, region_code, tool_id, kind, reason, estimate_fen, requested_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [id, tool.tenant_id, tool.market_id, tool.region_code, toolId, input.kind, input.reason, input.kind === 'repair' ? input.estimateFen : 0, actor.userId]);
      const payload = { maintenanceId: id, toolId, toolCode: tool.code, kind: input.kind, step: 'requested', reason: input.reason, estimateFen: input.estimateFen };
      await this.facts.record(em, actor, { marketId: tool.market_id, kind: 'tool_maintenance', step: 'requested', subjectType: 'Tool', subjectId: toolId, payload });
      return this.maintenanceView((await queryRow<ToolMaintenanceRow>(em, 'SELECT * FROM tool_maintenance WHERE id = $1', [id])) as ToolMaintenanceRow);
    });
  }

  /** The manager approves or refuses a repair or write-off; an approved write-off takes the tool out of service for good. */
  decideMaintenance(actor: Actor, id: string, input: DecisionInput): Promise<ToolMaintenanceView> {
    return this.db.run(actor, async (em) => {
      const mt = await this.lockMaintenance(em, id);
      assertAccess(actor, 'verify', 'Tool', scope(mt));
      if (mt.status !== 'requested') throw conflict('maintenance_state');
      if (mt.requested_by === actor.userId) throw new ProblemException(403, 'approval_same_person');
      const scrap = mt.kind === 'scrap' && input.decision === 'approved';
      await em.query(
        `UPDATE tool_maintenance SET status = $2, decided_by = $3, decided_at = now(), decision_note = $4,
           completed_by = CASE WHEN $5 THEN $3::uuid END, completed_at = CASE WHEN $5 THEN now() END WHERE id = $1`,
        [id, scrap ? 'completed' : input.decision, actor.userId, input.note, scrap]);
      if (input.decision === 'approved') {
        await em.query(`UPDATE tools SET status = $2, updated_at = now() WHERE id = $1`, [mt.tool_id, scrap ? 'scrapped' : 'in_repair']);
      }
      const payload = { maintenanceId: id, toolId: mt.tool_id, kind: mt.kind, step: input.decision, note: input.note };
      await this.facts.record(em, actor, { marketId: mt.market_id, kind: 'tool_maintenance', step: input.decision, subjectType: 'Tool', subjectId: mt.tool_id, payload });
      return this.maintenanceView((await queryRow<ToolMaintenanceRow>(em, 'SELECT * FROM tool_maintenance WHERE id = $1', [id])) as ToolMaintenanceRow);
    });
  }

  /** The repair is done: its cost goes on the tool's account and the tool goes back into the store. */
  completeRepair(actor: Actor, id: string, input: CompleteRepairInput): Promise<ToolMaintenanceView> {
    return this.db.run(actor, async (em) => {
      const mt = await this.lockMaintenance(em, id);
      assertAccess(actor, 'create', 'Tool', scope(mt));
      if (mt.status !== 'approved' || mt.kind !== 'repair') throw conflict('maintenance_state');
      await em.query(`UPDATE tool_maintenance SET status = 'completed', cost_fen = $2, completion_note = $3, completed_by = $4, completed_at = now() WHERE id = $1`,
        [id, input.costFen, input.note, actor.userId]);
      await em.query(`UPDATE tools SET status = 'available', condition = 'good', updated_at = now() WHERE id = $1`, [mt.tool_id]);
      const payload = { maintenanceId: id, toolId: mt.tool_id, kind: 'repair', step: 'completed', costFen: input.costFen, note: input.note };
      await this.facts.record(em, actor, { marketId: mt.market_id, kind: 'tool_maintenance', step: 'completed', subjectType: 'Tool', subjectId: mt.tool_id, payload });
      return this.maintenanceView((await queryRow<ToolMaintenanceRow>(em, 'SELECT * FROM tool_maintenance WHERE id = $1', [id])) as ToolMaintenanceRow);
    });
  }

  private async movement(em: EntityManager, actor: Actor, loan: ToolLoanRow, kind: 'received' | 'refunded' | 'forfeited', amount: number) {
    await em.query(
      `INSERT INTO tool_deposit_movements (id, tenant_id, market_id, region_code, loan_id, kind, amount_fen, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [newId(), loan.tenant_id, loan.market_id, loan.region_code, loan.id, kind, amount, actor.userId]);
  }

  // Every state change locks its row first (api-core `lockRow`, issue 12): a second request waits and then sees the new state.
  private async lockTool(em: EntityManager, id: string): Promise<ToolWithLoanRow> {
    if (!(await lockRow(em, 'tools', id, 'id'))) throw notFound();
    return this.toolRow(em, id);
  }
  private async lockLoan(em: EntityManager, id: string): Promise<ToolLoanRow> {
    const row = await lockRow<ToolLoanRow>(em, 'tool_loans', id);
    if (!row) throw notFound();
    return row;
  }
  private async lockMaintenance(em: EntityManager, id: string): Promise<ToolMaintenanceRow> {
    const row = await lockRow<ToolMaintenanceRow>(em, 'tool_maintenance', id);
    if (!row) throw notFound();
    return row;
  }
  private async toolRow(em: EntityManager, id: string): Promise<ToolWithLoanRow> {
    const [row] = await em.query<ToolWithLoanRow[]>(`SELECT ${TOOL_SELECT} FROM ${TOOL_FROM} WHERE t.id = $1`, [id]);
    return row;
  }
  private async loanRow(em: EntityManager, id: string): Promise<ToolLoanViewRow> {
    const [row] = await em.query<ToolLoanViewRow[]>(`SELECT ${LOAN_SELECT} FROM ${LOAN_FROM} WHERE l.id = $1`, [id]);
    return row;
  }

  private toolView(r: ToolWithLoanRow): ToolView {
    return {
      id: r.id, tenantId: r.tenant_id, marketId: r.market_id, code: r.code, name: r.name,
      category: r.category, condition: r.condition, status: r.status,
      valueFen: r.value_fen, depositFen: r.deposit_fen, dailyFeeFen: r.daily_fee_fen, note: r.note,
      createdAt: isoOf(r.created_at),
      activeLoan: r.loan_id ? { id: r.loan_id, status: r.loan_status as ToolLoanView['status'], workerName: r.loan_worker_name ?? '' } : null,
    };
  }

  private loanView(r: ToolLoanViewRow): ToolLoanView {
    return {
      id: r.id, tenantId: r.tenant_id, marketId: r.market_id, toolId: r.tool_id,
      toolCode: r.tool_code, toolName: r.tool_name, category: r.tool_category,
      workerId: r.worker_id, workerName: r.worker_name, status: r.status, days: r.days,
      purpose: r.purpose, depositFen: r.deposit_fen, dailyFeeFen: r.daily_fee_fen,
      requestedAt: isoOf(r.requested_at), requestedBy: r.requested_by, decidedAt: isoOf(r.decided_at),
      decidedBy: r.decided_by, decisionNote: r.decision_note, lentAt: isoOf(r.lent_at),
      signatureHash: r.signature_hash, returnedAt: isoOf(r.returned_at),
      returnCondition: r.return_condition, inspectionNote: r.inspection_note,
      daysCharged: r.days_charged, feeFen: r.fee_fen, damageFen: r.damage_fen,
      depositRefundedFen: r.deposit_refunded_fen, depositForfeitedFen: r.deposit_forfeited_fen, balanceDueFen: r.balance_due_fen,
    };
  }

  private maintenanceView(r: ToolMaintenanceRow): ToolMaintenanceView {
    return {
      id: r.id, toolId: r.tool_id, kind: r.kind, status: r.status,
      reason: r.reason, estimateFen: r.estimate_fen, costFen: r.cost_fen, requestedAt: isoOf(r.requested_at),
      decidedAt: isoOf(r.decided_at), decisionNote: r.decision_note, completedAt: isoOf(r.completed_at),
    };
  }
}
