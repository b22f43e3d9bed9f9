import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  APPEAL_NOTICE_DAYS, appealDecisionSchema, sanctionSchema, wageReferralSchema,
  type Actor, type EmployerFlagView, type SanctionView,
} from '@linggong/domain';
import { ProblemException, TenantDb, assertAccess, lockRow, newId, notFound, rowForChange } from '@linggong/api-core';
import { FactsService } from '@linggong/api-ledger';
import { RegistryDirectoryService, type EmployerFacts, type WorkerFacts } from '@linggong/api-registry';

type Row = Record<string, unknown>;
const APPEAL_DAYS = APPEAL_NOTICE_DAYS;

/**
 * R-B8: quality disputes and removal of a worker from the market, each with a reason, a written
 * notice and an appeal decided by someone other than who imposed it; wage-arrears referrals of
 * employers and the flags that follow them into post review.
 */
@Injectable()
export class SanctionsService {
  constructor(private readonly db: TenantDb, private readonly facts: FactsService, private readonly registry: RegistryDirectoryService) {}

  impose(actor: Actor, workerId: string, input: z.infer<typeof sanctionSchema>): Promise<SanctionView> {
    return this.db.run(actor, async (em) => {
      await this.worker(em, actor, workerId, 'update');
      // The worker is locked before its status is read, so two removals at once make one (issue 12).
      await lockRow(em, 'workers', workerId);
      const w = (await this.registry.worker(em, workerId)) as WorkerFacts;
      if (input.kind === 'removal' && w.status === 'removed') throw new ProblemException(409, 'worker_removed');
      if (input.placementId) {
        const [pl] = await em.query('SELECT worker_id FROM placements WHERE id = $1', [input.placementId]);
        if (!pl || pl.worker_id !== workerId) throw new ProblemException(422, 'validation_failed', [{ field: 'placementId', key: 'not_found' }]);
      }
      // Recorded at the worker's registration market, whose manager (or the operator admin) decides.
      const marketId = w.marketId;
      const id = newId();
      await em.query(
        `INSERT INTO worker_sanctions (id, tenant_id, market_id, region_code, worker_id, placement_id, kind, reason, notice, appeal_deadline, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() + make_interval(days => $10), $11)`,
        [id, w.tenantId, marketId, w.regionCode, workerId, input.placementId ?? null, input.kind, input.reason, input.notice, APPEAL_DAYS, actor.userId]);
      if (input.kind === 'removal') await this.registry.setWorkerStatus(em, workerId, 'removed');
      await this.facts.record(em, actor, { marketId, kind: 'worker_sanction', step: input.kind, subjectType: 'Worker', subjectId: workerId, payload: { sanctionId: id, workerId, kind: input.kind, reason: input.reason, appealDays: APPEAL_DAYS } });
      return this.view(em, id);
    });
  }

  /** Staff record the worker's appeal, in the worker's words, before the deadline. */
  appeal(actor: Actor, id: string, statement: string): Promise<SanctionView> {
    return this.db.run(actor, async (em) => {
      const s = await this.sanction(em, actor, id, 'create');
      if (s['status'] !== 'active') throw new ProblemException(409, 'sanction_state');
      const [{ late }] = await em.query('SELECT appeal_deadline < now() AS late FROM worker_sanctions WHERE id = $1', [id]);
      if (late) throw new ProblemException(409, 'appeal_deadline_passed');
      await em.query(`UPDATE worker_sanctions SET status = 'appealed', appeal_statement = $2, appealed_at = now() WHERE id = $1`, [id, statement]);
      await this.facts.record(em, actor, { marketId: String(s['market_id']), kind: 'appeal', step: 'lodged', subjectType: 'Worker', subjectId: String(s['worker_id']), payload: { sanctionId: id, step: 'lodged' } });
      return this.view(em, id);
    });
  }

  decide(actor: Actor, id: string, input: z.infer<typeof appealDecisionSchema>): Promise<SanctionView> {
    return this.db.run(actor, async (em) => {
      const s = await this.sanction(em, actor, id, 'update');
      if (s['status'] !== 'appealed') throw new ProblemException(409, 'sanction_state');
      if (s['created_by'] === actor.userId) throw new ProblemException(409, 'appeal_same_person');
      await em.query('UPDATE worker_sanctions SET status = $2, decision_reason = $3, decided_by = $4, decided_at = now() WHERE id = $1', [id, input.decision, input.reason, actor.userId]);
      if (input.decision === 'overturned' && s['kind'] === 'removal') {
        await this.registry.setWorkerStatus(em, String(s['worker_id']), 'active');
      }
      await this.facts.record(em, actor, { marketId: String(s['market_id']), kind: 'appeal', step: 'decided', subjectType: 'Worker', subjectId: String(s['worker_id']), payload: { sanctionId: id, step: 'decided', decision: input.decision, reason: input.reason } });
      return this.view(em, id);
    });
  }

  listForWorker(actor: Actor, workerId: string): Promise<SanctionView[]> {
    return this.db.run(actor, async (em) => {
      await this.worker(em, actor, workerId, 'read');
      const rows: Row[] = await em.query('SELECT * FROM worker_sanctions WHERE worker_id = $1 ORDER BY created_at DESC', [workerId]);
      return rows.map(sanctionView);
    });
  }

  /** R-B8: an employer's wage arrears referred to labour inspection (劳动监察); the flag shows in post review. */
  refer(actor: Actor, employerId: string, input: z.infer<typeof wageReferralSchema>): Promise<EmployerFlagView> {
    return this.db.run(actor, async (em) => {
      const e = await this.registry.employer(em, employerId);
      if (!e) throw notFound();
      assertAccess(actor, 'update', 'Employer', { tenantId: e.tenantId, regionCode: e.regionCode, marketId: e.marketId });
      return this.referIn(em, actor, e, input);
    });
  }

  /**
   * The referral inside the caller's transaction, for other contexts (a wage-arrears complaint
   * escalated to labour inspection, issue 6 §6): the flag row, the employer's red flag, the work log
   * and the audit trail. The caller has checked its own access.
   */
  async referIn(em: EntityManager, actor: Actor, e: EmployerFacts, input: z.infer<typeof wageReferralSchema>): Promise<EmployerFlagView> {
    const id = newId();
    await em.query(
      `INSERT INTO employer_flags (id, tenant_id, market_id, region_code, employer_id, kind, amount_owed_fen, workers_affected, description, referred_to, referred_at, created_by)
       VALUES ($1, $2, $3, $4, $5, 'wage_arrears_referral', $6, $7, $8, $9, $10, $11)`,
      [id, e.tenantId, e.marketId, e.regionCode, e.id, input.amountOwedFen, input.workersAffected, input.description, input.referredTo, new Date(input.referredAt), actor.userId]);
    await this.registry.flagEmployer(em, e.id);
    await this.facts.record(em, actor, { marketId: e.marketId, kind: 'wage_referral', subjectType: 'Employer', subjectId: e.id, payload: { flagId: id, employerId: e.id, referredTo: input.referredTo, amountOwedFen: input.amountOwedFen, workersAffected: input.workersAffected } });
    return flagView((await em.query('SELECT * FROM employer_flags WHERE id = $1', [id]))[0]);
  }

  flags(actor: Actor, employerId: string): Promise<EmployerFlagView[]> {
    return this.db.run(actor, async (em) => {
      const e = await this.registry.employer(em, employerId);
      if (!e) throw notFound();
      assertAccess(actor, 'read', 'Employer', { tenantId: e.tenantId, regionCode: e.regionCode, marketId: e.marketId });
      return (await em.query('SELECT * FROM employer_flags WHERE employer_id = $1 ORDER BY created_at DESC', [employerId])).map(flagView);
    });
  }

  private async worker(em: EntityManager, actor: Actor, id: string, action: 'read' | 'update'): Promise<WorkerFacts> {
    const w = await this.registry.worker(em, id);
    if (!w) throw notFound();
    assertAccess(actor, action, 'Worker', { tenantId: w.tenantId, regionCode: w.regionCode, marketId: w.marketId });
    return w;
  }

  /** The sanction, locked for its state change (api-core `rowForChange`, issue 12). */
  private sanction(em: EntityManager, actor: Actor, id: string, action: 'create' | 'update'): Promise<Row> {
    return rowForChange(em, actor, action, 'Worker', 'worker_sanctions', id,
      (s) => ({ tenantId: s['tenant_id'] as string, regionCode: s['region_code'] as string, marketId: s['market_id'] as string }));
  }

  private async view(em: EntityManager, id: string): Promise<SanctionView> {
    return sanctionView((await em.query('SELECT * FROM worker_sanctions WHERE id = $1', [id]))[0]);
  }
}

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

function sanctionView(r: Row): SanctionView {
  return {
    id: String(r['id']), workerId: String(r['worker_id']), marketId: String(r['market_id']), kind: r['kind'] as SanctionView['kind'],
    reason: String(r['reason']), notice: String(r['notice']), status: String(r['status']), noticeAt: iso(r['notice_at']) as string,
    appealDeadline: iso(r['appeal_deadline']) as string, appealStatement: (r['appeal_statement'] as string) ?? null, appealedAt: iso(r['appealed_at']),
    decisionReason: (r['decision_reason'] as string) ?? null, decidedAt: iso(r['decided_at']), placementId: (r['placement_id'] as string) ?? null,
    createdAt: iso(r['created_at']) as string,
  };
}

function flagView(r: Row): EmployerFlagView {
  return {
    id: String(r['id']), employerId: String(r['employer_id']), marketId: String(r['market_id']), kind: r['kind'] as EmployerFlagView['kind'],
    amountOwedFen: Number(r['amount_owed_fen']), workersAffected: Number(r['workers_affected']), description: String(r['description']),
    referredTo: (r['referred_to'] as string) ?? null, placementId: (r['placement_id'] as string) ?? null, status: String(r['status']),
    createdAt: iso(r['created_at']) as string,
  };
}
