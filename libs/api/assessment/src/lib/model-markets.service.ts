import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  DEFAULT_MODEL_RULES, modelEligibility, modelLevelOf, type Actor, type Grade, type ModelEligibility, type ModelLevel, type ModelMarketFacts, type ModelRules,
  type PublicModelTitle,
} from '@linggong/domain';
import { ProblemException, TenantDb, abilityOf, applyAccess, assertAccess, isoOf, lockRow, newId, notFound, queryRow, queryRows } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { LedgerService } from '@linggong/api-ledger';
import { CallbackService } from '@linggong/api-oversight';
import { ComplaintsService } from '@linggong/api-complaints';
import { shanghaiDay } from '@linggong/ledger-chain';
import { AssessmentService } from './assessment.service';
import type { CycleRow } from './rows';

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const fail = (status: number, key: string, field?: string, extensions?: Record<string, unknown>) =>
  new ProblemException(status, field ? 'validation_failed' : key, field ? [{ field, key }] : undefined, undefined, extensions);

export interface ModelListRow {
  id: string; level: ModelLevel; region_code: string; cycle_id: string; title: string; min_grade: Grade; notice_days: number; notice_from: string; notice_until: string;
  state: 'notice' | 'designated'; evaluation: ModelEvaluation; proposed_by: string; proposed_at: Date; designated_by: string | null; designated_at: Date | null;
}
export interface ModelMarketRow {
  id: string; list_id: string; market_id: string; level: ModelLevel; region_code: string; grant_region: string; state: 'notice' | 'designated' | 'dropped' | 'revoked';
  reasons: ModelEligibility['reasons']; decision_reason: string | null; designated_at: Date | null; revoked_reason: string | null; revoked_by: string | null;
  revoked_at: Date | null; created_at: Date;
}
/** One market of the cycle as the rules saw it on the proposal day. */
export interface ModelCandidate extends ModelEligibility {
  marketId: string; name: string; regionCode: string; operatorId: string | null; grade: Grade | null; total: number | null; facts: ModelMarketFacts;
}
export interface ModelEvaluation {
  cycle: { id: string; name: string; periodFrom: string; periodTo: string }; level: ModelLevel; regionCode: string; day: string; rules: ModelRules; markets: ModelCandidate[];
}

/**
 * Model markets (示范零工市场, issue 15 §5, R-F4). The province (level province) or a city (level city, its own
 * markets only) proposes a list from a published cycle: every market of the cycle in its region is evaluated by the
 * rules in libs/domain (`modelEligibility`) on facts gathered through the owning contexts' exported services —
 * the ledger (first entry, chain problems), oversight (failed call-backs), complaints (upheld discrimination) and
 * this context's results. The chosen candidates stand under 公示 for N days; objections are recorded during it;
 * then someone other than the proposer designates (each market with an objection decided, kept or dropped, with a
 * reason). A title is revoked with reasons. Every step is audited and locks the row whose state it checks.
 */
@Injectable()
export class ModelMarketsService {
  constructor(
    private readonly db: TenantDb, private readonly audit: AuditService, private readonly results: AssessmentService,
    private readonly ledger: LedgerService, private readonly callbacks: CallbackService, private readonly complaints: ComplaintsService,
  ) {}

  /** The authority's level and region (the province: its provincial title; a city: its city-level one), or 403. */
  private grantor(actor: Actor, action: 'create' | 'update' | 'publish' | 'close'): { level: ModelLevel; region: string } {
    const level = modelLevelOf(actor.orgKind);
    const region = actor.regionPrefix ?? '';
    if (!level || !region) throw new ProblemException(403, 'forbidden');
    assertAccess(actor, action, 'ModelMarket', { regionCode: region });
    return { level, region };
  }

  private async cycleOf(em: EntityManager, id: string): Promise<CycleRow> {
    const c = await queryRow<CycleRow>(em, 'SELECT * FROM assessment_cycles WHERE id = $1', [id]);
    if (!c) throw fail(422, 'not_found', 'cycleId');
    if (c.state !== 'published') throw fail(409, 'model_cycle_not_published');
    return c;
  }

  /** The rules applied to every market of the cycle in the region, on `day`. */
  async evaluate(em: EntityManager, actor: Actor, c: CycleRow, level: ModelLevel, region: string, rules: ModelRules, day: string): Promise<ModelEvaluation> {
    const results = await this.results.resultsOf(em, actor, { cycleId: c.id, regionCode: region });
    const covers = await queryRows<{ id: string; market_ids: string[] }>(em, 'SELECT id, market_ids FROM contracts WHERE id = ANY($1::uuid[])', [results.map((r) => r.contractId)]);
    const marketsOf = new Map(covers.map((x) => [x.id, x.market_ids]));
    // A market covered by two results of the cycle keeps the lower one.
    const resultOf = new Map<string, { grade: Grade; total: number; underAppeal: boolean }>();
    for (const r of results) {
      for (const m of marketsOf.get(r.contractId) ?? []) {
        const prev = resultOf.get(m);
        if (!prev || r.total < prev.total) resultOf.set(m, { grade: r.grade, total: r.total, underAppeal: r.appealed && !r.final });
      }
    }
    const markets = await queryRows<{ id: string; name: string; region_code: string; tenant_id: string | null }>(em,
      `SELECT id, name, region_code, tenant_id FROM markets WHERE id = ANY($1::uuid[]) AND region_code LIKE $2 || '%' ORDER BY region_code, name`, [[...resultOf.keys()], region]);
    const ids = markets.map((m) => m.id);
    // One transaction, one connection: the owning contexts' reads one after the other.
    const first = await this.ledger.firstEntryDays(em, ids);
    const chain = await this.ledger.chainProblemsIn(em, ids, c.period_from, c.period_to);
    const calls = await this.callbacks.failuresIn(em, markets.map((m) => ({ id: m.id, tenantId: m.tenant_id, regionCode: m.region_code })), c.period_from, c.period_to);
    const discrimination = await this.complaints.upheldDiscriminationIn(em, ids, c.period_from, c.period_to);
    const titled = await queryRows<{ market_id: string }>(em,
      `SELECT market_id FROM model_markets WHERE market_id = ANY($1::uuid[]) AND level = $2 AND state IN ('notice', 'designated')`, [ids, level]);
    const titledSet = new Set(titled.map((t) => t.market_id));
    return {
      cycle: { id: c.id, name: c.name, periodFrom: c.period_from, periodTo: c.period_to }, level, regionCode: region, day, rules,
      markets: markets.map((m) => {
        const result = resultOf.get(m.id) ?? null;
        const facts: ModelMarketFacts = {
          firstDay: first.get(m.id) ?? null, result, chainProblems: chain.get(m.id) ?? 0, callbackFailures: calls.get(m.id) ?? 0,
          discriminationUpheld: discrimination.get(m.id) ?? 0, titled: titledSet.has(m.id),
        };
        return { marketId: m.id, name: m.name, regionCode: m.region_code, operatorId: m.tenant_id, grade: result?.grade ?? null, total: result?.total ?? null, facts, ...modelEligibility(facts, day, rules) };
      }),
    };
  }

  /** `modelMarkets_eligibility`: what a proposal from this cycle would hold today (nothing is written). */
  eligibility(actor: Actor, q: { cycleId: string; minGrade?: Grade }) {
    return this.db.run(actor, async (em) => {
      const { level, region } = this.grantor(actor, 'create');
      const c = await this.cycleOf(em, q.cycleId);
      return this.evaluate(em, actor, c, level, region, { ...DEFAULT_MODEL_RULES, minGrade: q.minGrade ?? DEFAULT_MODEL_RULES.minGrade }, shanghaiDay(new Date()));
    });
  }

  /** `modelMarkets_propose`: the list goes under 公示 from today for `noticeDays` days, with every market's evaluation. */
  propose(actor: Actor, body: { cycleId: string; title: string; noticeDays: number; marketIds?: string[]; minGrade: Grade }, now = new Date()) {
    return this.db.run(actor, async (em) => {
      const { level, region } = this.grantor(actor, 'create');
      // One proposal of an authority at a time: the second sees the first's markets as already titled.
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`model-markets:${level}:${region}`]);
      const c = await this.cycleOf(em, body.cycleId);
      const day = shanghaiDay(now);
      const evaluation = await this.evaluate(em, actor, c, level, region, { ...DEFAULT_MODEL_RULES, minGrade: body.minGrade }, day);
      const candidates = evaluation.markets.filter((m) => m.eligible);
      const wanted = body.marketIds ? [...new Set(body.marketIds)] : candidates.map((m) => m.marketId);
      const refused = wanted.filter((id) => !candidates.some((m) => m.marketId === id));
      if (refused.length) throw fail(422, 'model_not_candidate', 'marketIds', { refused });
      if (!wanted.length) throw fail(422, 'model_no_candidates');
      const id = newId();
      await em.query(
        `INSERT INTO model_market_lists (id, level, region_code, cycle_id, title, min_grade, notice_days, notice_from, notice_until, evaluation, proposed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [id, level, region, c.id, body.title, body.minGrade, body.noticeDays, day, addDays(day, body.noticeDays - 1), JSON.stringify(evaluation), actor.userId]);
      for (const mid of wanted) {
        const m = candidates.find((x) => x.marketId === mid) as ModelCandidate;
        await em.query('INSERT INTO model_markets (id, list_id, market_id, level, region_code, grant_region, reasons) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [newId(), id, mid, level, m.regionCode, region, JSON.stringify(m.reasons)]);
      }
      await this.audit.record(em, actor, { action: 'model_market.propose', subjectType: 'ModelMarketList', subjectId: id, regionCode: region,
        summary: { title: body.title, level, cycle: c.name, markets: wanted.length, excluded: evaluation.markets.filter((m) => !m.eligible).length, noticeUntil: addDays(day, body.noticeDays - 1) } });
      return this.detail(em, id);
    });
  }

  /** The list of the granting authority itself (another authority that can read it gets 403; one that cannot, 404). */
  private async ownList(em: EntityManager, actor: Actor, id: string, action: 'update' | 'publish'): Promise<ModelListRow> {
    const l0 = await queryRow<ModelListRow>(em, 'SELECT * FROM model_market_lists WHERE id = $1', [id]);
    if (!l0) throw notFound();
    const { region } = this.grantor(actor, action);
    if (l0.region_code !== region) throw new ProblemException(403, 'forbidden');
    return (await lockRow<ModelListRow>(em, 'model_market_lists', id)) as ModelListRow;
  }

  /** `modelMarkets_object`: an objection received during 公示 (letter, phone, …), recorded by the granting authority. */
  object(actor: Actor, listId: string, body: { marketId: string; channel: string; content: string }, now = new Date()) {
    return this.db.run(actor, async (em) => {
      const l = await this.ownList(em, actor, listId, 'update');
      if (l.state !== 'notice' || shanghaiDay(now) > l.notice_until) throw fail(409, 'model_notice_closed', undefined, { noticeUntil: l.notice_until });
      const m = await queryRow<ModelMarketRow>(em, `SELECT * FROM model_markets WHERE list_id = $1 AND market_id = $2 AND state = 'notice'`, [listId, body.marketId]);
      if (!m) throw fail(422, 'model_not_in_list', 'marketId');
      const id = newId();
      await em.query('INSERT INTO model_market_objections (id, list_id, market_id, region_code, channel, content, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [id, listId, body.marketId, m.region_code, body.channel, body.content, actor.userId]);
      await this.audit.record(em, actor, { action: 'model_market.object', subjectType: 'ModelMarket', subjectId: m.id, regionCode: m.region_code,
        summary: { list: l.title, channel: body.channel } });
      return this.detail(em, listId);
    });
  }

  /**
   * `modelMarkets_designate`: after 公示, by someone other than the proposer; each market with an objection is decided
   * (kept: the objection answered; dropped), with a reason; the others are designated.
   */
  designate(actor: Actor, listId: string, body: { decisions: { marketId: string; keep: boolean; reason: string }[] }, now = new Date()) {
    return this.db.run(actor, async (em) => {
      const l = await this.ownList(em, actor, listId, 'publish');
      if (l.state !== 'notice') throw fail(409, 'model_state');
      if (shanghaiDay(now) <= l.notice_until) throw fail(422, 'model_notice_running', undefined, { noticeUntil: l.notice_until });
      if (l.proposed_by === actor.userId) throw new ProblemException(403, 'model_separation');
      const entries = await queryRows<ModelMarketRow>(em, `SELECT * FROM model_markets WHERE list_id = $1 AND state = 'notice' ORDER BY market_id`, [listId]);
      const objected = new Set((await queryRows<{ market_id: string }>(em, 'SELECT DISTINCT market_id FROM model_market_objections WHERE list_id = $1', [listId])).map((r) => r.market_id));
      const decided = new Map(body.decisions.map((d) => [d.marketId, d]));
      const strangers = body.decisions.filter((d) => !entries.some((e) => e.market_id === d.marketId)).map((d) => d.marketId);
      if (strangers.length) throw fail(422, 'model_not_in_list', 'decisions', { marketIds: strangers });
      const undecided = [...objected].filter((m) => !decided.has(m) && entries.some((e) => e.market_id === m));
      if (undecided.length) throw fail(422, 'model_objection_undecided', 'decisions', { marketIds: undecided });
      const outcome = { designated: 0, dropped: 0 };
      for (const e of entries) {
        const d = decided.get(e.market_id);
        if (d && !d.keep) {
          await em.query(`UPDATE model_markets SET state = 'dropped', decision_reason = $2 WHERE id = $1`, [e.id, d.reason]);
          outcome.dropped++;
        } else {
          await em.query(`UPDATE model_markets SET state = 'designated', decision_reason = $2, designated_at = now() WHERE id = $1`, [e.id, d?.reason ?? null]);
          outcome.designated++;
        }
      }
      await em.query(`UPDATE model_market_lists SET state = 'designated', designated_by = $2, designated_at = now() WHERE id = $1`, [listId, actor.userId]);
      await this.audit.record(em, actor, { action: 'model_market.designate', subjectType: 'ModelMarketList', subjectId: listId, regionCode: l.region_code,
        summary: { title: l.title, ...outcome, decisions: body.decisions } });
      return this.detail(em, listId);
    });
  }

  /** `modelMarkets_revoke`: the granting authority revokes a designated title, with reasons. */
  revoke(actor: Actor, id: string, body: { reason: string }) {
    return this.db.run(actor, async (em) => {
      const m0 = await queryRow<ModelMarketRow>(em, 'SELECT * FROM model_markets WHERE id = $1', [id]);
      if (!m0) throw notFound();
      const { region } = this.grantor(actor, 'close');
      if (m0.grant_region !== region) throw new ProblemException(403, 'forbidden');
      const m = (await lockRow<ModelMarketRow>(em, 'model_markets', id)) as ModelMarketRow;
      if (m.state !== 'designated') throw fail(409, 'model_state');
      await em.query(`UPDATE model_markets SET state = 'revoked', revoked_reason = $2, revoked_by = $3, revoked_at = now() WHERE id = $1`, [id, body.reason, actor.userId]);
      await this.audit.record(em, actor, { action: 'model_market.revoke', subjectType: 'ModelMarket', subjectId: id, regionCode: m.region_code, summary: { reason: body.reason, level: m.level } });
      return (await this.titles(em, actor, { id }))[0];
    });
  }

  // ================================================================ reads

  /** `modelMarkets_lists`: the lists the caller reads (its own and those of the authorities above it). */
  lists(actor: Actor) {
    return this.db.run(actor, async (em) => {
      // The read policy (RLS) keeps the caller's region and the authorities' lists above it.
      if (!actor.regionPrefix || !abilityOf(actor).can('read', 'ModelMarket')) return [];
      const rows = await queryRows<ModelListRow & { cycle_name: string; markets: number; designated: number; objections: number }>(em,
        `SELECT l.*, c.name AS cycle_name,
                (SELECT count(*)::int FROM model_markets m WHERE m.list_id = l.id) AS markets,
                (SELECT count(*)::int FROM model_markets m WHERE m.list_id = l.id AND m.state = 'designated') AS designated,
                (SELECT count(*)::int FROM model_market_objections o WHERE o.list_id = l.id) AS objections
         FROM model_market_lists l JOIN assessment_cycles c ON c.id = l.cycle_id ORDER BY l.proposed_at DESC LIMIT 200`);
      return rows.map((r) => ({ ...listView(r), cycleName: r.cycle_name, markets: r.markets, designated: r.designated, objections: r.objections }));
    });
  }

  /** `modelMarkets_list`: one list with its markets, objections and the evaluation it was proposed on. */
  list(actor: Actor, id: string) {
    return this.db.run(actor, async (em) => {
      const l = await queryRow<ModelListRow>(em, 'SELECT * FROM model_market_lists WHERE id = $1', [id]);
      if (!l) throw notFound();
      if (!actor.regionPrefix || !abilityOf(actor).can('read', 'ModelMarket')) throw notFound();
      return this.detail(em, id);
    });
  }

  private async detail(em: EntityManager, id: string) {
    const l = (await queryRow<ModelListRow>(em, 'SELECT * FROM model_market_lists WHERE id = $1', [id])) as ModelListRow;
    const markets = await queryRows<ModelMarketRow & { name: string }>(em,
      'SELECT m.*, k.name FROM model_markets m JOIN markets k ON k.id = m.market_id WHERE m.list_id = $1 ORDER BY m.region_code, k.name', [id]);
    const objections = await queryRows<{ id: string; market_id: string; channel: string; content: string; recorded_by: string; recorded_at: Date }>(em,
      'SELECT * FROM model_market_objections WHERE list_id = $1 ORDER BY recorded_at', [id]);
    return {
      ...listView(l),
      markets: markets.map((m) => ({ ...titleView(m, l), name: m.name, objections: objections.filter((o) => o.market_id === m.market_id).map((o) => ({ id: o.id, channel: o.channel, content: o.content, recordedBy: o.recorded_by, recordedAt: isoOf(o.recorded_at) })) })),
      evaluation: l.evaluation,
    };
  }

  /** `modelMarkets_titles`: each market's titles the caller reads (by state and level). */
  titlesOf(actor: Actor, q: { state?: string; level?: string }) {
    return this.db.run(actor, (em) => this.titles(em, actor, q));
  }

  private async titles(em: EntityManager, actor: Actor, q: { id?: string; state?: string; level?: string }) {
    const qb = em.createQueryBuilder().select('m.id', 'id').from('model_markets', 'm');
    if (!applyAccess(qb, actor, 'read', 'ModelMarket', { regionCode: 'm.region_code' })) return [];
    if (q.id) qb.andWhere('m.id = :id', { id: q.id });
    if (q.state) qb.andWhere('m.state = :s', { s: q.state });
    if (q.level) qb.andWhere('m.level = :l', { l: q.level });
    const ids = (await qb.limit(1000).getRawMany<{ id: string }>()).map((r) => r.id);
    const rows = await queryRows<ModelMarketRow & { name: string; list: ModelListRow }>(em,
      `SELECT m.*, k.name, to_jsonb(l) - 'evaluation' AS list FROM model_markets m JOIN markets k ON k.id = m.market_id JOIN model_market_lists l ON l.id = m.list_id
       WHERE m.id = ANY($1::uuid[]) ORDER BY m.created_at DESC, k.name`, [ids]);
    return rows.map((r) => ({ ...titleView(r, r.list), name: r.name, listTitle: r.list.title }));
  }
}

/**
 * The public directory's read (no sign-in, issue 15 §5): markets under 公示 and designated model markets, through the
 * definer function `public_model_titles()`; kept in the core module so the directory context reads it without the
 * model-market workflow's dependencies.
 */
@Injectable()
export class ModelTitlesService {
  /** Live titles of some markets (all markets when `marketIds` is left out). */
  async publicTitles(em: EntityManager, marketIds?: string[]): Promise<Map<string, PublicModelTitle[]>> {
    const out = new Map<string, PublicModelTitle[]>();
    if (marketIds && !marketIds.length) return out;
    const rows = await queryRows<{ market_id: string; market_name: string; market_region: string; level: ModelLevel; state: 'notice' | 'designated'; grant_region: string; list_title: string; notice_from: string; notice_until: string; designated_at: Date | null }>(em,
      'SELECT * FROM public_model_titles() WHERE $1::uuid[] IS NULL OR market_id = ANY($1::uuid[]) ORDER BY level DESC, state, market_region, market_name', [marketIds ?? null]);
    for (const r of rows) {
      const t: PublicModelTitle = {
        marketId: r.market_id, marketName: r.market_name, marketRegion: r.market_region, level: r.level, state: r.state, regionCode: r.grant_region, listTitle: r.list_title,
        noticeFrom: r.notice_from, noticeUntil: r.notice_until, designatedAt: isoOf(r.designated_at),
      };
      out.set(r.market_id, [...(out.get(r.market_id) ?? []), t]);
    }
    return out;
  }
}

function listView(l: ModelListRow) {
  return {
    id: l.id, level: l.level, regionCode: l.region_code, cycleId: l.cycle_id, title: l.title, minGrade: l.min_grade, noticeDays: l.notice_days, noticeFrom: l.notice_from,
    noticeUntil: l.notice_until, state: l.state, proposedBy: l.proposed_by, proposedAt: isoOf(l.proposed_at), designatedBy: l.designated_by, designatedAt: isoOf(l.designated_at),
  };
}
function titleView(m: ModelMarketRow, l: Pick<ModelListRow, 'notice_from' | 'notice_until'>) {
  return {
    id: m.id, listId: m.list_id, marketId: m.market_id, level: m.level, regionCode: m.region_code, grantRegion: m.grant_region, state: m.state, reasons: m.reasons,
    decisionReason: m.decision_reason, noticeFrom: l.notice_from, noticeUntil: l.notice_until, designatedAt: isoOf(m.designated_at),
    revokedReason: m.revoked_reason, revokedAt: isoOf(m.revoked_at),
  };
}
