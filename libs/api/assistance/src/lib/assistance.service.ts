import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  HARDSHIP_CATEGORIES, LONG_WAIT_DAYS, behindPlan, hardshipTier, packageDone, waitingDays,
  type Action, type Actor, type AssistancePackage, type PackageInput, type HardshipCategory, type HardshipInput, type HardshipView, type Page,
  type PlanStepInput, type PlanStepView, type PlanView, type PublicWelfareView, type WorkerAssistanceView,
  openPlanSchema, planQuerySchema, publicWelfareSchema,
} from '@linggong/domain';
import { Pii, TenantDb, applyAccess, assertAccess, conflict, lockKey, newId, notFound, rowForChange, unprocessable } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { FactsService } from '@linggong/api-ledger';
import { RegistryDirectoryService, type WorkerWaiting } from '@linggong/api-registry';

type Row = Record<string, unknown>;
const OPEN = `('active', 'package_complete')`;
const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
const dayOf = (v: unknown) => (v ? String(v) : null);
/** TypeORM answers UPDATE/DELETE … RETURNING on PostgreSQL with [rows, affected]. */
const returned = (res: unknown): Row[] => (Array.isArray(res) && Array.isArray(res[0]) ? (res[0] as Row[]) : (res as Row[]));

/** Today's date in Asia/Shanghai: the business day waiting time and follow-ups are counted in. */
export const shanghaiToday = (now = Date.now()) => new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);

interface Sealed { categories: HardshipCategory[]; evidence: string }

/**
 * Assistance for difficult workers (R-B9): hardship records with consent (encrypted), the derived
 * tier written to the worker row through the registry (the candidate ranking reads it), per-person
 * plans with the province's service package tracked to completion, follow-ups until stable work,
 * public-welfare posts (公益性岗位) and the manager's roster.
 *
 * How the package is counted (documented in the README): guidance = the worker's service records of
 * kind vocational_guidance since the plan's opening day (this context's table); referrals = the
 * worker's recommendations in the 即时快招 context since that day (a read-only count of `placements`,
 * cancelled ones excluded) plus referral steps recorded by hand for referrals outside the system;
 * training = training steps on the plan (the training context is separate and not depended on).
 */
@Injectable()
export class AssistanceService {
  constructor(
    private readonly db: TenantDb,
    private readonly pii: Pii,
    private readonly audit: AuditService,
    private readonly facts: FactsService,
    private readonly registry: RegistryDirectoryService,
  ) {}

  // ── Hardship record ────────────────────────────────────────────────────────────────────────

  recordHardship(actor: Actor, workerId: string, input: HardshipInput): Promise<HardshipView> {
    return this.db.run(actor, async (em) => {
      await this.worker(em, actor, workerId, 'update');
      // One change of a worker's record at a time, so two at once make a record and an update, not two records (issue 12).
      await lockKey(em, `hardship:${workerId}`);
      const w = await this.worker(em, actor, workerId, 'update');
      const sealed: Sealed = { categories: [...new Set(input.categories)].sort((a, b) => HARDSHIP_CATEGORIES.indexOf(a) - HARDSHIP_CATEGORIES.indexOf(b)), evidence: input.evidence };
      const data = this.pii.encrypt(JSON.stringify(sealed));
      const [existing] = await em.query('SELECT id FROM hardship_records WHERE worker_id = $1', [workerId]);
      const recordId: string = existing ? String(existing.id) : newId();
      if (existing) {
        await em.query('UPDATE hardship_records SET data_enc = $2, consent_at = now(), recorded_by = $3, updated_at = now() WHERE id = $1', [existing.id, data, actor.userId]);
      } else {
        await em.query(
          `INSERT INTO hardship_records (id, tenant_id, market_id, region_code, worker_id, data_enc, consent_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, now(), $7)`,
          [recordId, w.tenantId, w.marketId, w.regionCode, workerId, data, actor.userId]);
      }
      const waiting = waitingDays(w.registeredOn, w.lastWorkedOn, shanghaiToday());
      const tier = hardshipTier(sealed.categories, waiting);
      if (tier !== w.hardshipTier) await this.registry.setHardshipTier(em, workerId, tier);
      // The work log and the audit trail cannot be erased: they carry that a record changed and its id, never the
      // categories nor the tier (which live in the erasable record and on workers.hardship_tier).
      await this.facts.record(em, actor, { marketId: w.marketId, kind: 'hardship_record', step: existing ? 'updated' : 'recorded', subjectType: 'Worker', subjectId: workerId, payload: { workerId, recordId, change: existing ? 'updated' : 'recorded', consent: true }, summary: { recordId, consent: true, updated: Boolean(existing) } });
      return this.hardshipView(em, workerId, sealed, waiting, tier);
    });
  }

  /**
   * The person withdraws consent (R-B9 "with their own consent"): the record is erased, the tier falls
   * to 0 and an open plan is closed; the work log keeps that consent was withdrawn, nothing more.
   */
  withdrawHardship(actor: Actor, workerId: string): Promise<{ workerId: string; tier: number; closedPlanId: string | null }> {
    return this.db.run(actor, async (em) => {
      await this.worker(em, actor, workerId, 'update');
      await lockKey(em, `hardship:${workerId}`);
      const w = await this.worker(em, actor, workerId, 'update');
      const [rec] = returned(await em.query('DELETE FROM hardship_records WHERE worker_id = $1 RETURNING id', [workerId]));
      if (!rec) throw notFound();
      if (w.hardshipTier !== 0) await this.registry.setHardshipTier(em, workerId, 0);
      const [open] = returned(await em.query(
        `UPDATE assistance_plans SET status = 'closed', closed_at = now(), closed_by = $2, close_reason = '本人撤回同意', next_follow_up_on = NULL
         WHERE worker_id = $1 AND status IN ${OPEN} RETURNING id`, [workerId, actor.userId]));
      const planId = open ? String(open['id']) : null;
      await this.facts.record(em, actor, { marketId: w.marketId, kind: 'hardship_record', step: 'withdrawn', subjectType: 'Worker', subjectId: workerId, payload: { workerId, recordId: String(rec['id']), change: 'withdrawn', consent: false }, summary: { closedPlanId: planId } });
      if (planId) await this.facts.record(em, actor, { marketId: w.marketId, kind: 'assistance_plan', step: 'closed', subjectType: 'AssistancePlan', subjectId: planId, payload: { planId, workerId, step: 'closed', reason: 'consent_withdrawn' } });
      return { workerId, tier: 0, closedPlanId: planId };
    });
  }

  /** The categories in clear: a sensitive read (DESIGN.md "Personal data"), audited, never for authorities. */
  getHardship(actor: Actor, workerId: string): Promise<HardshipView> {
    return this.db.run(actor, async (em) => {
      const w = await this.worker(em, actor, workerId, 'reveal');
      const sealed = await this.sealed(em, workerId);
      if (!sealed) throw notFound();
      await this.audit.record(em, actor, { action: 'hardship.read', subjectType: 'Worker', subjectId: workerId, tenantId: w.tenantId, regionCode: w.regionCode, summary: {} });
      const waiting = waitingDays(w.registeredOn, w.lastWorkedOn, shanghaiToday());
      return this.hardshipView(em, workerId, sealed, waiting, w.hardshipTier);
    });
  }

  // ── Plans ──────────────────────────────────────────────────────────────────────────────────

  openPlan(actor: Actor, workerId: string, input: z.infer<typeof openPlanSchema>): Promise<PlanView> {
    return this.db.run(actor, async (em) => {
      const w = await this.worker(em, actor, workerId, 'create');
      // The record's row is locked until this plan commits: a withdrawal waits (and then closes the plan),
      // or it came first and there is no record to open a plan on. Two openings for one worker queue here too.
      if (!(await this.sealed(em, workerId, true))) throw unprocessable('hardship_record_required', 'workerId');
      const [open] = await em.query(`SELECT id FROM assistance_plans WHERE worker_id = $1 AND status IN ${OPEN}`, [workerId]);
      if (open) throw conflict('plan_exists');
      const pkg = await this.packageFor(em, w.regionCode);
      const id = newId();
      await em.query(
        `INSERT INTO assistance_plans (id, tenant_id, market_id, region_code, worker_id, goal, note, pkg_guidance, pkg_referrals, pkg_training,
           follow_up_days, behind_days, opened_by, next_follow_up_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::smallint, $12, $13, $14::date + $11::int)`,
        [id, w.tenantId, w.marketId, w.regionCode, workerId, input.goal, input.note, pkg.guidance, pkg.referrals, pkg.training,
          pkg.followUpDays, pkg.behindDays, actor.userId, shanghaiToday()]);
      await this.facts.record(em, actor, { marketId: w.marketId, kind: 'assistance_plan', step: 'opened', subjectType: 'AssistancePlan', subjectId: id, payload: { planId: id, workerId, step: 'opened', package: { guidance: pkg.guidance, referrals: pkg.referrals, training: pkg.training } } });
      await this.refreshCompletion(em, actor, [id]);
      return this.planView(em, id, true);
    });
  }

  addStep(actor: Actor, planId: string, input: PlanStepInput): Promise<PlanView> {
    return this.db.run(actor, async (em) => {
      const p = await this.plan(em, actor, planId, 'update');
      if (!['active', 'package_complete'].includes(String(p['status']))) throw conflict('plan_closed');
      if (Date.parse(input.occurredAt) > Date.now() + 60_000) throw unprocessable('ledger_future_time', 'occurredAt');
      if (shanghaiToday(Date.parse(input.occurredAt)) < shanghaiToday(new Date(p['opened_at'] as string).getTime())) throw unprocessable('step_before_plan', 'occurredAt');
      const stepId = newId();
      await em.query(
        `INSERT INTO assistance_steps (id, tenant_id, market_id, region_code, plan_id, kind, occurred_at, note, course_name, referred_to, outcome, employer_name, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [stepId, p['tenant_id'], p['market_id'], p['region_code'], planId, input.kind, input.occurredAt, input.note,
          input.kind === 'training' ? input.courseName : null, input.kind === 'referral' ? input.referredTo : null,
          input.kind === 'follow_up' ? input.outcome : null, input.outcome === 'stable_employment' ? input.employerName : null, actor.userId]);
      if (input.kind === 'follow_up') {
        const day = shanghaiToday(Date.parse(input.occurredAt));
        await em.query(
          `UPDATE assistance_plans SET last_follow_up_on = GREATEST(COALESCE(last_follow_up_on, $2::date), $2::date),
             next_follow_up_on = GREATEST(COALESCE(last_follow_up_on, $2::date), $2::date) + follow_up_days WHERE id = $1`, [planId, day]);
        // R-B9: follow-ups go on until the person is in stable work, which closes the plan.
        if (input.outcome === 'stable_employment') {
          await em.query(`UPDATE assistance_plans SET status = 'stable_employment', closed_at = now(), closed_by = $2, stable_employer = $3, next_follow_up_on = NULL WHERE id = $1`, [planId, actor.userId, input.employerName]);
        }
      }
      await this.facts.record(em, actor, {
        marketId: String(p['market_id']), kind: 'assistance_step', subjectType: 'AssistancePlan', subjectId: planId,
        payload: { planId, stepId, workerId: p['worker_id'], kind: input.kind, occurredAt: new Date(input.occurredAt).toISOString(), ...(input.courseName && input.kind === 'training' ? { courseName: input.courseName } : {}), ...(input.outcome && input.kind === 'follow_up' ? { outcome: input.outcome } : {}) },
      });
      if (input.outcome === 'stable_employment') {
        await this.facts.record(em, actor, { marketId: String(p['market_id']), kind: 'assistance_plan', step: 'stable_employment', subjectType: 'AssistancePlan', subjectId: planId, payload: { planId, workerId: p['worker_id'], step: 'stable_employment' } });
      } else {
        await this.refreshCompletion(em, actor, [planId]);
      }
      return this.planView(em, planId, true);
    });
  }

  closePlan(actor: Actor, planId: string, reason: string): Promise<PlanView> {
    return this.db.run(actor, async (em) => {
      const p = await this.plan(em, actor, planId, 'update');
      if (!['active', 'package_complete'].includes(String(p['status']))) throw conflict('plan_closed');
      await em.query(`UPDATE assistance_plans SET status = 'closed', closed_at = now(), closed_by = $2, close_reason = $3, next_follow_up_on = NULL WHERE id = $1`, [planId, actor.userId, reason]);
      await this.facts.record(em, actor, { marketId: String(p['market_id']), kind: 'assistance_plan', step: 'closed', subjectType: 'AssistancePlan', subjectId: planId, payload: { planId, workerId: p['worker_id'], step: 'closed', reason } });
      return this.planView(em, planId, true);
    });
  }

  getPlan(actor: Actor, planId: string): Promise<PlanView> {
    return this.db.run(actor, async (em) => {
      await this.plan(em, actor, planId, 'read');
      return this.planView(em, planId, true);
    });
  }

  /** The roster (R-B9 动态台账): open plans first behind, then by tier; `behind` uses the rule of `behindPlan`. */
  list(actor: Actor, q: z.infer<typeof planQuerySchema>): Promise<Page<PlanView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('assistance_plans', 'p');
      if (!applyAccess(qb, actor, 'read', 'Assistance', { tenantId: 'p.tenant_id', regionCode: 'p.region_code', marketId: 'p.market_id' })) {
        return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      }
      const today = shanghaiToday();
      // The SQL form of behindPlan (libs/domain), for filtering and ordering; the views use the function itself.
      const behindSql = `(p.status IN ${OPEN} AND ((p.status = 'active' AND (:today::date - (p.opened_at AT TIME ZONE 'Asia/Shanghai')::date) > p.behind_days)
        OR p.next_follow_up_on < :today::date))`;
      qb.setParameter('today', today);
      if (q.marketId) qb.andWhere('p.market_id = :market', { market: q.marketId });
      if (q.workerId) qb.andWhere('p.worker_id = :worker', { worker: q.workerId });
      if (q.mobile) {
        // Only an operator's staff look a person up by mobile (the registry's blind index is per operator).
        const w = actor.tenantId ? await this.registry.workerByMobile(em, actor.tenantId, q.mobile) : null;
        qb.andWhere('p.worker_id = :byMobile', { byMobile: w?.id ?? '00000000-0000-0000-0000-000000000000' });
      }
      if (q.status === 'open') qb.andWhere(`p.status IN ${OPEN}`);
      else if (q.status) qb.andWhere('p.status = :status', { status: q.status });
      if (q.behind === 'true') qb.andWhere(behindSql);
      if (q.behind === 'false') qb.andWhere(`NOT ${behindSql}`);
      const total = await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>();
      const ids = (await qb.select('p.id', 'id').addSelect(behindSql, 'behind').addSelect(`p.status IN ${OPEN}`, 'open')
        .orderBy('open', 'DESC').addOrderBy('behind', 'DESC').addOrderBy('p.opened_at', 'ASC').addOrderBy('p.id')
        .offset((q.page - 1) * q.pageSize).limit(q.pageSize).getRawMany<{ id: string }>()).map((r) => r.id);
      return { items: await this.planViews(em, ids, false), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
    });
  }

  // ── Public-welfare posts (公益性岗位) and a worker's summary ─────────────────────────────────

  placePublicWelfare(actor: Actor, workerId: string, input: z.infer<typeof publicWelfareSchema>): Promise<PublicWelfareView> {
    return this.db.run(actor, async (em) => {
      const w = await this.worker(em, actor, workerId, 'create');
      // 公益性岗位 are for people in hardship: a consented record is required (locked, as for a plan, against a withdrawal).
      if (!(await this.sealed(em, workerId, true))) throw unprocessable('hardship_record_required_welfare', 'workerId');
      const [open] = await em.query(`SELECT id FROM assistance_plans WHERE worker_id = $1 AND status IN ${OPEN}`, [workerId]);
      const id = newId();
      await em.query(
        `INSERT INTO public_welfare_posts (id, tenant_id, market_id, region_code, worker_id, plan_id, employer_name, post_name, start_on, end_on, note, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [id, w.tenantId, w.marketId, w.regionCode, workerId, open?.id ?? null, input.employerName, input.postName, input.startOn, input.endOn, input.note, actor.userId]);
      await this.facts.record(em, actor, { marketId: w.marketId, kind: 'public_welfare_post', subjectType: 'Worker', subjectId: workerId, payload: { placementId: id, workerId, planId: open?.id ?? null, postName: input.postName, startOn: input.startOn, endOn: input.endOn } });
      const [row] = await em.query(`SELECT *, to_char(start_on, 'YYYY-MM-DD') AS start_s, to_char(end_on, 'YYYY-MM-DD') AS end_s FROM public_welfare_posts WHERE id = $1`, [id]);
      return welfareView(row);
    });
  }

  forWorker(actor: Actor, workerId: string): Promise<WorkerAssistanceView> {
    return this.db.run(actor, async (em) => {
      const w = await this.worker(em, actor, workerId, 'read');
      const [rec] = await em.query('SELECT 1 FROM hardship_records WHERE worker_id = $1', [workerId]);
      const planIds = (await em.query('SELECT id FROM assistance_plans WHERE worker_id = $1 ORDER BY opened_at DESC', [workerId])).map((r: Row) => String(r['id']));
      const welfare: Row[] = await em.query(`SELECT *, to_char(start_on, 'YYYY-MM-DD') AS start_s, to_char(end_on, 'YYYY-MM-DD') AS end_s FROM public_welfare_posts WHERE worker_id = $1 ORDER BY start_on DESC`, [workerId]);
      return {
        workerId, tier: w.hardshipTier, hasHardshipRecord: Boolean(rec), waitingDays: waitingDays(w.registeredOn, w.lastWorkedOn, shanghaiToday()),
        plans: await this.planViews(em, planIds, true), publicWelfare: welfare.map(welfareView),
      };
    });
  }

  /** The package of a province (its row, else the default '00'): configuration, readable by every signed-in user. */
  packages(actor: Actor): Promise<AssistancePackage[]> {
    return this.db.run(actor, async (em) => (await em.query('SELECT * FROM assistance_packages ORDER BY region_code')).map(packageView));
  }

  /** A province's own package (issue 5 "configurable per province"); '00' is the default, the platform's to set. */
  setPackage(actor: Actor, regionCode: string, input: PackageInput): Promise<AssistancePackage> {
    return this.db.run(actor, async (em) => {
      if (!/^\d{2}$/.test(regionCode)) throw unprocessable('package_region_province', 'regionCode');
      assertAccess(actor, 'update', 'AssistancePackage', { regionCode });
      await em.query(
        `INSERT INTO assistance_packages (region_code, guidance, referrals, training, follow_up_days, behind_days, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, now())
         ON CONFLICT (region_code) DO UPDATE SET guidance = $2, referrals = $3, training = $4, follow_up_days = $5, behind_days = $6, updated_by = $7, updated_at = now()`,
        [regionCode, input.guidance, input.referrals, input.training, input.followUpDays, input.behindDays, actor.userId]);
      await this.audit.record(em, actor, { action: 'assistance.package', subjectType: 'AssistancePackage', subjectId: regionCode, tenantId: null, regionCode, summary: { ...input } });
      const [row] = await em.query('SELECT * FROM assistance_packages WHERE region_code = $1', [regionCode]);
      return packageView(row);
    });
  }

  // ── Daily recomputation (job) ───────────────────────────────────────────────────────────────

  /**
   * Recompute every consented worker's tier for `today` and persist package completion of open plans.
   * Idempotent: only differences are written (each change to the work log), so a second run writes nothing.
   */
  async recomputeBatch(em: EntityManager, actor: Actor, today: string, afterId: string | null, limit: number): Promise<{ last: string | null; checked: number; changed: number }> {
    const rows: Row[] = await em.query(
      `SELECT id, worker_id, data_enc FROM hardship_records WHERE ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT $2`, [afterId, limit]);
    const workers = await this.registry.workersWaiting(em, rows.map((r) => String(r['worker_id'])));
    let changed = 0;
    for (const r of rows) {
      const w = workers.get(String(r['worker_id']));
      if (!w) continue;
      const sealed = JSON.parse(this.pii.decrypt(String(r['data_enc']))) as Sealed;
      const waiting = waitingDays(w.registeredOn, w.lastWorkedOn, today);
      const tier = hardshipTier(sealed.categories, waiting);
      if (tier === w.hardshipTier) continue;
      changed++;
      await this.registry.setHardshipTier(em, w.id, tier);
      // Only that the tier changed and for which record: the values stay out of the chain (see recordHardship).
      await this.facts.record(em, actor, { marketId: w.marketId, kind: 'hardship_tier', subjectType: 'Worker', subjectId: w.id, payload: { workerId: w.id, recordId: String(r['id']), change: 'recomputed' }, summary: { recordId: String(r['id']) } });
    }
    return { last: rows.length ? String(rows[rows.length - 1]['id']) : null, checked: rows.length, changed };
  }

  /** Open plans after `afterId` whose package is now done become complete; a batch of `limit` plans. */
  async completeOpenPlans(em: EntityManager, actor: Actor, afterId: string | null, limit: number): Promise<{ last: string | null; checked: number; completed: number }> {
    const ids = (await em.query(`SELECT id FROM assistance_plans WHERE status = 'active' AND ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT $2`, [afterId, limit])).map((r: Row) => String(r['id']));
    return { last: ids.length ? ids[ids.length - 1] : null, checked: ids.length, completed: await this.refreshCompletion(em, actor, ids) };
  }

  /** After a service record of vocational guidance, inside its transaction. */
  refreshPlans(em: EntityManager, actor: Actor, ids: string[]): Promise<number> {
    return this.refreshCompletion(em, actor, ids);
  }

  // ── Internals ──────────────────────────────────────────────────────────────────────────────

  private async worker(em: EntityManager, actor: Actor, workerId: string, action: Action): Promise<WorkerWaiting> {
    const w = (await this.registry.workersWaiting(em, [workerId])).get(workerId);
    if (!w) throw notFound();
    assertAccess(actor, action, 'Assistance', { tenantId: w.tenantId, regionCode: w.regionCode, marketId: w.marketId });
    return w;
  }

  /**
   * The plan, access checked; for every write the row is then locked and read again (api-core `rowForChange`),
   * so a closure and a step (or two steps) on one plan run one after the other and each sees the status the other left.
   */
  private plan(em: EntityManager, actor: Actor, planId: string, action: Action): Promise<Row> {
    return rowForChange(em, actor, action, 'Assistance', 'assistance_plans', planId,
      (p) => ({ tenantId: p['tenant_id'] as string, regionCode: p['region_code'] as string, marketId: p['market_id'] as string }));
  }

  /** The decrypted record; with `lock` its row stays locked to the end of the transaction (a withdrawal waits). */
  private async sealed(em: EntityManager, workerId: string, lock = false): Promise<Sealed | null> {
    const [r] = await em.query(`SELECT data_enc FROM hardship_records WHERE worker_id = $1${lock ? ' FOR UPDATE' : ''}`, [workerId]);
    return r ? (JSON.parse(this.pii.decrypt(r.data_enc)) as Sealed) : null;
  }

  private async hardshipView(em: EntityManager, workerId: string, sealed: Sealed, waiting: number, tier: number): Promise<HardshipView> {
    const [r] = await em.query('SELECT consent_at, updated_at FROM hardship_records WHERE worker_id = $1', [workerId]);
    return {
      workerId, categories: sealed.categories, evidence: sealed.evidence, derived: waiting >= LONG_WAIT_DAYS ? ['long_waiting'] : [],
      waitingDays: waiting, tier, consentAt: new Date(r.consent_at).toISOString(), recordedAt: new Date(r.updated_at).toISOString(),
    };
  }

  private async packageFor(em: EntityManager, regionCode: string): Promise<AssistancePackage> {
    const [row] = await em.query(`SELECT * FROM assistance_packages WHERE region_code IN (substr($1, 1, 2), '00') ORDER BY region_code = '00' LIMIT 1`, [regionCode]);
    return packageView(row);
  }

  /** What each plan's package has so far (see the class comment for what counts). */
  private async progress(em: EntityManager, ids: string[]): Promise<Map<string, { guidance: number; inSystem: number; outside: number; training: number }>> {
    if (ids.length === 0) return new Map();
    const rows: Row[] = await em.query(
      `SELECT p.id,
         (SELECT count(*) FROM service_records s WHERE s.worker_id = p.worker_id AND s.kind = 'vocational_guidance'
            AND s.occurred_at >= ((p.opened_at AT TIME ZONE 'Asia/Shanghai')::date::timestamp AT TIME ZONE 'Asia/Shanghai'))::int AS guidance,
         (SELECT count(*) FROM placements pl WHERE pl.worker_id = p.worker_id AND pl.status <> 'cancelled'
            AND pl.created_at >= ((p.opened_at AT TIME ZONE 'Asia/Shanghai')::date::timestamp AT TIME ZONE 'Asia/Shanghai'))::int AS in_system,
         (SELECT count(*) FROM assistance_steps st WHERE st.plan_id = p.id AND st.kind = 'referral')::int AS outside,
         (SELECT count(*) FROM assistance_steps st WHERE st.plan_id = p.id AND st.kind = 'training')::int AS training
       FROM assistance_plans p WHERE p.id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [String(r['id']), { guidance: Number(r['guidance']), inSystem: Number(r['in_system']), outside: Number(r['outside']), training: Number(r['training']) }]));
  }

  /** Plans whose package is now done move to package_complete (once), with a work-log entry. */
  private async refreshCompletion(em: EntityManager, actor: Actor, ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const plans: Row[] = await em.query(`SELECT id, market_id, worker_id, pkg_guidance, pkg_referrals, pkg_training FROM assistance_plans WHERE id = ANY($1::uuid[]) AND status = 'active'`, [ids]);
    const prog = await this.progress(em, plans.map((p) => String(p['id'])));
    let completed = 0;
    for (const p of plans) {
      const d = prog.get(String(p['id']));
      if (!d) continue;
      const pkg = { guidance: Number(p['pkg_guidance']), referrals: Number(p['pkg_referrals']), training: Number(p['pkg_training']) };
      if (!packageDone(pkg, { guidance: d.guidance, referrals: d.inSystem + d.outside, training: d.training })) continue;
      // Only the transaction that moves the plan writes the entry (a concurrent refresh finds it done).
      const moved = returned(await em.query(`UPDATE assistance_plans SET status = 'package_complete', package_completed_at = now() WHERE id = $1 AND status = 'active' RETURNING id`, [p['id']]));
      if (!moved.length) continue;
      await this.facts.record(em, actor, { marketId: String(p['market_id']), kind: 'assistance_plan', step: 'package_complete', subjectType: 'AssistancePlan', subjectId: String(p['id']), payload: { planId: p['id'], workerId: p['worker_id'], step: 'package_complete', done: { guidance: d.guidance, referrals: d.inSystem + d.outside, training: d.training } } });
      completed++;
    }
    return completed;
  }

  private async planView(em: EntityManager, id: string, withSteps: boolean): Promise<PlanView> {
    const [v] = await this.planViews(em, [id], withSteps);
    if (!v) throw notFound();
    return v;
  }

  private async planViews(em: EntityManager, ids: string[], withSteps: boolean): Promise<PlanView[]> {
    if (ids.length === 0) return [];
    const rows: Row[] = await em.query(
      `SELECT p.*, m.name AS market_name, to_char((p.opened_at AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS opened_on,
         to_char(p.next_follow_up_on, 'YYYY-MM-DD') AS next_on, to_char(p.last_follow_up_on, 'YYYY-MM-DD') AS last_on
       FROM assistance_plans p JOIN markets m ON m.id = p.market_id WHERE p.id = ANY($1::uuid[])`, [ids]);
    const byId = new Map(rows.map((r) => [String(r['id']), r]));
    const workers = await this.registry.workersWaiting(em, rows.map((r) => String(r['worker_id'])));
    const prog = await this.progress(em, ids);
    const steps = new Map<string, PlanStepView[]>();
    if (withSteps) {
      const st: Row[] = await em.query('SELECT * FROM assistance_steps WHERE plan_id = ANY($1::uuid[]) ORDER BY occurred_at, created_at', [ids]);
      for (const s of st) {
        const list = steps.get(String(s['plan_id'])) ?? [];
        list.push({
          id: String(s['id']), kind: s['kind'] as PlanStepView['kind'], occurredAt: String(iso(s['occurred_at'])), note: String(s['note']),
          courseName: (s['course_name'] as string) ?? null, referredTo: (s['referred_to'] as string) ?? null, outcome: (s['outcome'] as string) ?? null,
          employerName: (s['employer_name'] as string) ?? null, createdBy: (s['created_by'] as string) ?? null, createdAt: String(iso(s['created_at'])),
        });
        steps.set(String(s['plan_id']), list);
      }
    }
    const today = shanghaiToday();
    return ids.flatMap((id) => {
      const r = byId.get(id);
      if (!r) return [];
      const w = workers.get(String(r['worker_id']));
      const d = prog.get(id) ?? { guidance: 0, inSystem: 0, outside: 0, training: 0 };
      const status = r['status'] as PlanView['status'];
      const openedOn = String(r['opened_on']);
      const nextFollowUpOn = dayOf(r['next_on']);
      const view: PlanView = {
        id, tenantId: String(r['tenant_id']), marketId: String(r['market_id']), marketName: (r['market_name'] as string) ?? null,
        workerId: String(r['worker_id']), workerName: w?.name ?? '', workerMobile: w?.mobileMasked ?? '', tier: w?.hardshipTier ?? 0,
        status, goal: String(r['goal']), note: String(r['note']), openedAt: String(iso(r['opened_at'])), openedOn,
        daysOpen: Math.max(0, Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${openedOn}T00:00:00Z`)) / 86_400_000)),
        package: { guidance: Number(r['pkg_guidance']), referrals: Number(r['pkg_referrals']), training: Number(r['pkg_training']) },
        done: { guidance: d.guidance, referrals: d.inSystem + d.outside, training: d.training, referralsInSystem: d.inSystem, referralsOutside: d.outside },
        packageCompletedAt: iso(r['package_completed_at']), nextFollowUpOn, lastFollowUpOn: dayOf(r['last_on']),
        behind: behindPlan({ status, openedOn, nextFollowUpOn }, { behindDays: Number(r['behind_days']) }, today),
        closedAt: iso(r['closed_at']), closeReason: (r['close_reason'] as string) ?? null, stableEmployer: (r['stable_employer'] as string) ?? null,
      };
      if (withSteps) view.steps = steps.get(id) ?? [];
      return [view];
    });
  }
}

function packageView(r: Row): AssistancePackage {
  return {
    regionCode: String(r['region_code']), guidance: Number(r['guidance']), referrals: Number(r['referrals']), training: Number(r['training']),
    followUpDays: Number(r['follow_up_days']), behindDays: Number(r['behind_days']),
  };
}

function welfareView(r: Row): PublicWelfareView {
  return {
    id: String(r['id']), workerId: String(r['worker_id']), planId: (r['plan_id'] as string) ?? null, employerName: String(r['employer_name']),
    postName: String(r['post_name']), startOn: String(r['start_s']), endOn: String(r['end_s']), note: String(r['note']), createdAt: new Date(r['created_at'] as string).toISOString(),
  };
}


