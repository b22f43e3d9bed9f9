import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  CALLBACK_DRAW_RULE, CALLBACK_KINDS, OVERSIGHT_KPIS, addWorkingDays, agreementRate, callbackOutcomeSchema, callbackQuerySchema,
  type Actor, type CallbackCallView, type CallbackSampleDetailView, type CallbackSampleView, type CreateCallbackSampleInput,
  type OversightKpiResult, type Page,
} from '@linggong/domain';
import {
  ProblemException, TenantDb, applyAccess, assertAccess, conflict, isoOf, newId, queryRow, queryRows, rowForChange, unprocessable,
} from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { LedgerService } from '@linggong/api-ledger';
import { MarketDirectoryService } from '@linggong/api-markets';
import { RegistryDirectoryService } from '@linggong/api-registry';
import { shanghaiDay } from '@linggong/ledger-chain';
import { candidatesDigest, drawSample, newSeed } from './draw';
import { OVERSIGHT_ACCESS, oversightScope, type CallbackCallRow, type CallbackSampleRow } from './rows';

const SAMPLE_SELECT = `SELECT s.*, o.name AS operator_name FROM callback_samples s LEFT JOIN organisations o ON o.id = s.tenant_id`;

/**
 * Call-back sampling (抽查回访, issue 16 §2; R-F1, R-F3). The county commits to a random seed (its hash is
 * published at once), draws after the period from the operator's sealed hire-start and service entries by
 * the documented rule (draw.ts, docs/oversight.md), which reveals the seed so anyone can re-derive the sample;
 * it sees a sampled worker's mobile only for rows of the sample (an audited reveal; any other attempt is
 * refused and audited), records each call's outcome and completes the sample, which fixes its agreement
 * rate (抽查回访一致率). A rate below the sample's threshold opens a follow-up inspection of the operator.
 */
@Injectable()
export class CallbackService {
  constructor(
    private readonly db: TenantDb, private readonly audit: AuditService, private readonly ledger: LedgerService,
    private readonly markets: MarketDirectoryService, private readonly registry: RegistryDirectoryService,
  ) {}

  commit(actor: Actor, input: CreateCallbackSampleInput): Promise<CallbackSampleDetailView> {
    return this.db.run(actor, async (em) => {
      if (actor.orgKind !== 'county' && actor.orgKind !== 'platform') throw new ProblemException(403, 'oversight_not_county');
      const regionCode = input.regionCode ?? actor.regionPrefix ?? '';
      if (!/^\d{6}$/.test(regionCode)) throw unprocessable('oversight_region_code', 'regionCode');
      const operator = await this.operator(em, input.operatorId);
      assertAccess(actor, 'create', 'CallbackSample', { tenantId: operator.id, regionCode });
      const { seed, seedHash, alg } = newSeed();
      const id = newId();
      const ins: unknown[] = await em.query(
        `INSERT INTO callback_samples (id, tenant_id, region_code, period_from, period_to, size, threshold, alg, seed_hash, seed, rule, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (tenant_id, region_code, period_from, period_to) DO NOTHING RETURNING id`,
        [id, operator.id, regionCode, input.from, input.to, input.size, input.threshold, alg, seedHash, seed, CALLBACK_DRAW_RULE, actor.userId]);
      if (!ins.length) throw conflict('callback_sample_exists', 'from');
      await this.audit.record(em, actor, { action: 'callback.commit', subjectType: 'CallbackSample', subjectId: id, tenantId: operator.id, regionCode,
        summary: { from: input.from, to: input.to, size: input.size, threshold: input.threshold, alg, seedHash } });
      return this.detail(em, actor, id);
    });
  }

  list(actor: Actor, q: z.infer<typeof callbackQuerySchema>): Promise<Page<CallbackSampleView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('callback_samples', 's');
      if (!applyAccess(qb, actor, 'read', 'CallbackSample', OVERSIGHT_ACCESS('s'))) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      if (q.operatorId) qb.andWhere('s.tenant_id = :o', { o: q.operatorId });
      if (q.status) qb.andWhere('s.status = :st', { st: q.status });
      const total = await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>();
      const ids = await qb.select('s.id', 'id').orderBy('s.committed_at', 'DESC').addOrderBy('s.id').offset((q.page - 1) * q.pageSize).limit(q.pageSize).getRawMany<{ id: string }>();
      const rows = ids.length ? await queryRows<CallbackSampleRow>(em, `${SAMPLE_SELECT} WHERE s.id = ANY($1::uuid[]) ORDER BY s.committed_at DESC, s.id`, [ids.map((r) => r.id)]) : [];
      return { items: rows.map(sampleView), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
    });
  }

  get(actor: Actor, id: string): Promise<CallbackSampleDetailView> {
    return this.db.run(actor, async (em) => {
      await rowForChange<CallbackSampleRow>(em, actor, 'read', 'CallbackSample', 'callback_samples', id, oversightScope);
      return this.detail(em, actor, id);
    });
  }

  /** The draw (once, when the period's days are sealed): candidates from the sealed work log, ranked by the seed; the seed is revealed with it. */
  draw(actor: Actor, id: string, now = new Date()): Promise<CallbackSampleDetailView> {
    return this.db.run(actor, async (em) => {
      const s = await rowForChange<CallbackSampleRow>(em, actor, 'update', 'CallbackSample', 'callback_samples', id, oversightScope);
      if (s.status !== 'committed') throw new ProblemException(409, 'callback_state');
      const markets = await this.markets.ofTenantIn(em, s.tenant_id, s.region_code);
      // Only from sealed days: the period is over (or every market has sealed through its last day), and no day of it
      // with entries is still unsealed (a late day waits for the deadline job), so no entry of the period is left out.
      const ids = markets.map((m) => m.id);
      if (s.period_to >= shanghaiDay(now) && ![...(await this.ledger.sealedThrough(em, ids)).values()].every((d) => d !== null && d >= s.period_to)) {
        throw new ProblemException(409, 'callback_period_not_over');
      }
      // Every entry of the period sealed: no day without its seal, no entries after a close waiting for a supplementary part.
      if (await this.ledger.unsealedEntriesIn(em, ids, s.period_from, s.period_to)) throw new ProblemException(409, 'callback_period_not_over');
      const entries = await this.ledger.sealedEntries(em, markets.map((m) => m.id), CALLBACK_KINDS, s.period_from, s.period_to);
      const candidates = entries.filter((e) => typeof e.payload['workerId'] === 'string');
      if (!candidates.length) throw new ProblemException(422, 'callback_no_candidates');
      const drawn = drawSample(s.alg, s.seed, candidates, s.size);
      const regionOf = new Map(markets.map((m) => [m.id, m.regionCode]));
      for (const d of drawn) {
        const c = d.candidate;
        await em.query(
          `INSERT INTO callback_calls (id, sample_id, tenant_id, region_code, market_id, rank, business_day, seq, kind, entry_hash, hmac, worker_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [newId(), id, s.tenant_id, regionOf.get(c.marketId) ?? s.region_code, c.marketId, d.rank, c.businessDay, c.seq, c.kind, c.hash, d.hmac, c.payload['workerId']]);
      }
      const digest = candidatesDigest(s.alg, candidates);
      await em.query(`UPDATE callback_samples SET status = 'drawn', candidates = $2, candidates_digest = $3, drawn_by = $4, drawn_at = now() WHERE id = $1 AND status = 'committed'`,
        [id, candidates.length, digest, actor.userId]);
      await this.audit.record(em, actor, { action: 'callback.draw', subjectType: 'CallbackSample', subjectId: id, tenantId: s.tenant_id, regionCode: s.region_code,
        summary: { candidates: candidates.length, drawn: drawn.length, candidatesDigest: digest, seed: s.seed, seedHash: s.seed_hash } });
      return this.detail(em, actor, id);
    });
  }

  /**
   * A sampled worker's mobile, for the call (audited). A worker who is not in the sample is refused with 403,
   * and the attempt is audited too (committed before the refusal is sent).
   */
  async reveal(actor: Actor, id: string, workerId: string): Promise<{ workerId: string; name: string; mobile: string }> {
    const out = await this.db.run(actor, async (em) => {
      const s = await rowForChange<CallbackSampleRow>(em, actor, 'read', 'CallbackSample', 'callback_samples', id, oversightScope);
      assertAccess(actor, 'reveal', 'CallbackSample', oversightScope(s));
      const inSample = s.status !== 'committed' && (await queryRow<{ id: string }>(em, 'SELECT id FROM callback_calls WHERE sample_id = $1 AND worker_id = $2 LIMIT 1', [id, workerId]));
      if (!inSample) {
        await this.audit.record(em, actor, { action: 'callback.reveal_refused', subjectType: 'Worker', subjectId: workerId, tenantId: s.tenant_id, regionCode: s.region_code, summary: { sampleId: id } });
        return null;
      }
      const contact = (await this.registry.workerContacts(em, [workerId], true)).get(workerId);
      if (!contact?.mobile) throw new ProblemException(404, 'not_found');
      await em.query('UPDATE callback_calls SET revealed_by = $3, revealed_at = now() WHERE sample_id = $1 AND worker_id = $2 AND revealed_at IS NULL', [id, workerId, actor.userId]);
      await this.audit.record(em, actor, { action: 'callback.reveal', subjectType: 'Worker', subjectId: workerId, tenantId: s.tenant_id, regionCode: contact.regionCode, summary: { sampleId: id, field: 'mobile' } });
      return { workerId, name: contact.name, mobile: contact.mobile };
    });
    if (!out) throw new ProblemException(403, 'callback_outside_sample');
    return out;
  }

  /** One call's outcome, once (a second record of the same call is 409). */
  recordOutcome(actor: Actor, id: string, callId: string, input: z.infer<typeof callbackOutcomeSchema>): Promise<CallbackSampleDetailView> {
    return this.db.run(actor, async (em) => {
      const s = await rowForChange<CallbackSampleRow>(em, actor, 'update', 'CallbackSample', 'callback_samples', id, oversightScope);
      if (s.status !== 'drawn') throw new ProblemException(409, 'callback_state');
      const done: unknown[] = await em.query(
        `WITH x AS (UPDATE callback_calls SET outcome = $3, note = $4, called_by = $5, called_at = now() WHERE id = $2 AND sample_id = $1 AND outcome IS NULL RETURNING id) SELECT id FROM x`,
        [id, callId, input.outcome, input.note, actor.userId]);
      if (!done.length) {
        const exists = await queryRow<{ id: string }>(em, 'SELECT id FROM callback_calls WHERE id = $1 AND sample_id = $2', [callId, id]);
        throw exists ? new ProblemException(409, 'callback_outcome_recorded') : new ProblemException(404, 'not_found');
      }
      await this.audit.record(em, actor, { action: 'callback.outcome', subjectType: 'CallbackSample', subjectId: id, tenantId: s.tenant_id, regionCode: s.region_code, summary: { callId, outcome: input.outcome } });
      return this.detail(em, actor, id);
    });
  }

  /** Completes the sample once every call has an outcome: the agreement rate is fixed; below the threshold a follow-up inspection opens. */
  complete(actor: Actor, id: string): Promise<CallbackSampleDetailView> {
    return this.db.run(actor, async (em) => {
      const s = await rowForChange<CallbackSampleRow>(em, actor, 'update', 'CallbackSample', 'callback_samples', id, oversightScope);
      if (s.status !== 'drawn') throw new ProblemException(409, 'callback_state');
      const calls = await queryRows<Pick<CallbackCallRow, 'outcome'>>(em, 'SELECT outcome FROM callback_calls WHERE sample_id = $1', [id]);
      if (calls.some((c) => !c.outcome)) throw new ProblemException(409, 'callback_calls_open');
      const { confirmed, reached, rate } = agreementRate(calls.map((c) => c.outcome));
      let inspectionId: string | null = null;
      if (rate !== null && rate < Number(s.threshold)) {
        inspectionId = newId();
        const today = shanghaiDay(new Date());
        await em.query(
          `INSERT INTO inspections (id, tenant_id, region_code, kind, scheduled_on, note, source_sample_id, created_by) VALUES ($1, $2, $3, 'follow_up', $4, $5, $6, $7)`,
          [inspectionId, s.tenant_id, s.region_code, addWorkingDays(today, 5),
            `抽查回访一致率 ${rate}% 低于 ${Number(s.threshold)}%（样本 ${s.period_from}～${s.period_to}），自动安排跟进检查`, id, actor.userId]);
        await this.audit.record(em, actor, { action: 'inspection.plan', subjectType: 'Inspection', subjectId: inspectionId, tenantId: s.tenant_id, regionCode: s.region_code, summary: { kind: 'follow_up', sampleId: id, rate } });
      }
      await em.query(`UPDATE callback_samples SET status = 'completed', confirmed = $2, reached = $3, rate = $4, inspection_id = $5, completed_by = $6, completed_at = now() WHERE id = $1 AND status = 'drawn'`,
        [id, confirmed, reached, rate, inspectionId, actor.userId]);
      await this.audit.record(em, actor, { action: 'callback.complete', subjectType: 'CallbackSample', subjectId: id, tenantId: s.tenant_id, regionCode: s.region_code, summary: { confirmed, reached, rate, inspectionId } });
      return this.detail(em, actor, id);
    });
  }

  /**
   * 抽查回访一致率 over the completed samples whose period lies within [from, to], in the caller's scope (an
   * operator, or everything the caller sees): Σ confirmed ÷ Σ reached × 100 (docs/kpis.md).
   */
  kpis(actor: Actor, q: { operatorId?: string; from: string; to: string }): Promise<OversightKpiResult[]> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('callback_samples', 's');
      const none = { confirmed: 0, reached: 0, samples: 0 };
      let agg = none;
      if (applyAccess(qb, actor, 'read', 'CallbackSample', OVERSIGHT_ACCESS('s'))) {
        qb.andWhere(`s.status = 'completed'`).andWhere('s.period_from >= :f AND s.period_to <= :t', { f: q.from, t: q.to });
        if (q.operatorId) qb.andWhere('s.tenant_id = :o', { o: q.operatorId });
        const r = await qb.select('COALESCE(sum(s.confirmed), 0)::int', 'confirmed').addSelect('COALESCE(sum(s.reached), 0)::int', 'reached').addSelect('count(*)::int', 'samples')
          .getRawOne<{ confirmed: number; reached: number; samples: number }>();
        agg = r ?? none;
      }
      return OVERSIGHT_KPIS.map((k) => ({
        code: k.code, value: agg.reached ? Math.round((agg.confirmed / agg.reached) * 10000) / 100 : null, ...agg, from: q.from, to: q.to,
      }));
    });
  }

  /**
   * Failed call-backs of some markets in a range (model markets, issue 15 §5: falsified data): calls at the market
   * on a day in the range whose worker denied the recorded work or told it differently, plus each completed sample
   * of the market's operator and county over a period overlapping the range whose agreement rate fell below its
   * threshold. Per market. In the caller's transaction; the caller has checked access.
   */
  async failuresIn(em: EntityManager, markets: { id: string; tenantId: string | null; regionCode: string }[], from: string, to: string): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!markets.length) return out;
    const rows: { market_id: string; n: number }[] = await em.query(
      `WITH m AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS m(id, tenant_id, region_code))
       SELECT m.id AS market_id,
              (SELECT count(*) FROM callback_calls c WHERE c.market_id = m.id AND c.outcome IN ('denied', 'differs') AND c.business_day BETWEEN $4 AND $5)::int
            + (SELECT count(*) FROM callback_samples s WHERE s.tenant_id = m.tenant_id AND s.region_code = m.region_code AND s.status = 'completed'
                 AND s.rate < s.threshold AND s.period_from <= $5 AND s.period_to >= $4)::int AS n
       FROM m`, [markets.map((x) => x.id), markets.map((x) => x.tenantId), markets.map((x) => x.regionCode), from, to]);
    for (const r of rows) if (r.n > 0) out.set(r.market_id, r.n);
    return out;
  }

  /** The operator organisation a sample or order is about (an operator the caller can see). */
  async operator(em: EntityManager, id: string): Promise<{ id: string; name: string }> {
    const o = await queryRow<{ id: string; kind: string; name: string }>(em, 'SELECT id, kind, name FROM organisations WHERE id = $1', [id]);
    if (!o) throw unprocessable('oversight_not_operator', 'operatorId');
    if (o.kind !== 'operator') throw unprocessable('oversight_not_operator', 'operatorId');
    return { id: o.id, name: o.name };
  }

  private async detail(em: EntityManager, actor: Actor, id: string): Promise<CallbackSampleDetailView> {
    const s = await queryRow<CallbackSampleRow>(em, `${SAMPLE_SELECT} WHERE s.id = $1`, [id]);
    if (!s) throw new ProblemException(404, 'not_found');
    const calls = await queryRows<CallbackCallRow>(em,
      `SELECT c.*, m.name AS market_name FROM callback_calls c LEFT JOIN markets m ON m.id = c.market_id WHERE c.sample_id = $1 ORDER BY c.rank`, [id]);
    // Names and masked mobiles only for the county that calls; the operator sees which entries were sampled and the outcomes.
    const county = actor.orgKind !== 'operator';
    const contacts = county ? await this.registry.workerContacts(em, [...new Set(calls.map((c) => c.worker_id))]) : new Map();
    return {
      ...sampleView(s),
      calls: calls.map((c): CallbackCallView => ({
        id: c.id, rank: c.rank, marketId: c.market_id, marketName: c.market_name ?? null, businessDay: c.business_day, seq: Number(c.seq), kind: c.kind,
        entryHash: c.entry_hash, hmac: c.hmac, workerId: c.worker_id, workerName: contacts.get(c.worker_id)?.name ?? null,
        mobileMasked: contacts.get(c.worker_id)?.mobileMasked ?? null, outcome: c.outcome, note: c.note, calledAt: isoOf(c.called_at), revealedAt: isoOf(c.revealed_at),
      })),
    };
  }
}

export function sampleView(s: CallbackSampleRow): CallbackSampleView {
  return {
    id: s.id, tenantId: s.tenant_id, operatorName: s.operator_name ?? null, regionCode: s.region_code, from: s.period_from, to: s.period_to,
    size: s.size, threshold: Number(s.threshold), status: s.status, alg: s.alg, seedHash: s.seed_hash,
    // The seed stays secret until the draw; from then on anyone who reads the sample can re-derive it.
    seed: s.status === 'committed' ? null : s.seed, rule: s.rule, candidates: s.candidates, candidatesDigest: s.candidates_digest,
    confirmed: s.confirmed ?? 0, reached: s.reached ?? 0, rate: s.rate === null ? null : Number(s.rate), inspectionId: s.inspection_id,
    committedAt: isoOf(s.committed_at), drawnAt: isoOf(s.drawn_at), completedAt: isoOf(s.completed_at),
  };
}
