import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  computeKpi, finalPoints, kpiOf, kpiPoints, leavesOf, localVersionProblems, requireKpi, resultOf, subsidyOf, targetScale, templateProblems,
  type Actor, type Consequence, type Grade, type GradeFactors, type KpiItem, type ScheduleItem, type SubsidyStatement, type TemplateBody, type UnitRate,
} from '@linggong/domain';
import { ProblemException, TenantDb, abilityOf, applyAccess, asSystem, assertAccess, lockRow, newId, notFound, queryRow, queryRows } from '@linggong/api-core';
import { AnalyticsService } from '@linggong/api-analytics';
import { AuditService } from '@linggong/api-audit';
import { AssignmentCovers, MarketDirectoryService } from '@linggong/api-markets';
import { StaffDirectoryService } from '@linggong/api-tenancy';
import { DEFAULT_ALG, canonicalJson, digestHex, shanghaiDay } from '@linggong/ledger-chain';
import type { AssessmentRow, ContractRow, CycleRow, FiguresDoc, FiguresRow, ItemRow, StatementRow, TemplateRow } from './rows';

const num = (v: string | number | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const daysIn = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
const fail = (status: number, key: string, field?: string, extensions?: Record<string, unknown>) =>
  new ProblemException(status, field ? 'validation_failed' : key, field ? [{ field, key }] : undefined, undefined, extensions);

/** The SM3 (SHA-256 where Node lacks SM3) digest of a value's canonical JSON. */
export function assessmentDigest(value: unknown): string {
  return digestHex(DEFAULT_ALG, canonicalJson(value));
}

export interface ContractInput {
  number: string; title: string; termFrom: string; termTo: string; marketIds: string[]; amountFen: number;
  schedule: ScheduleItem[]; unitRates: UnitRate[]; gradeFactors: GradeFactors; documentSm3: string;
}
/** One published result, as other contexts read it (rectification orders, model markets: issue 16). */
export interface AssessmentResult {
  assessmentId: string; cycleId: string; cycleName: string; periodFrom: string; periodTo: string; contractId: string; tenantId: string; regionCode: string;
  total: number; grade: Grade; consequence: Consequence; publishedAt: string; final: boolean; appealed: boolean;
}

/**
 * Assessment (issue 15; R-A3, R-F1, R-F2): the county's contracts, the province's templates, cycles whose KPI
 * figures are frozen at the cutoff from analytics' rollups, self-assessment, county review, sample audit, one
 * appeal, the published result with its grade and consequence, and the subsidy statement. Every step is an
 * audit event; every state change locks the row whose state it checks.
 */
@Injectable()
export class AssessmentService {
  constructor(
    private readonly db: TenantDb, private readonly analytics: AnalyticsService, private readonly audit: AuditService, private readonly directory: StaffDirectoryService,
    private readonly markets: MarketDirectoryService, private readonly covers: AssignmentCovers,
  ) {}

  // ================================================================ contracts (R-A3)

  listContracts(actor: Actor, q: { operatorId?: string; all?: boolean }) {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().select('c.id', 'id').from('contracts', 'c');
      if (!applyAccess(qb, actor, 'read', 'Contract', { regionCode: 'c.region_code', tenantId: 'c.tenant_id' })) return [];
      if (!q.all) qb.andWhere('c.superseded_at IS NULL');
      if (q.operatorId) qb.andWhere('c.tenant_id = :op', { op: q.operatorId });
      const ids = (await qb.orderBy('c.region_code').addOrderBy('c.number').addOrderBy('c.version', 'DESC').limit(500).getRawMany<{ id: string }>()).map((r) => r.id);
      const rows = await queryRows<ContractRow & { operator_name: string }>(em,
        `SELECT c.*, o.name AS operator_name FROM contracts c LEFT JOIN organisations o ON o.id = c.tenant_id WHERE c.id = ANY($1::uuid[]) ORDER BY c.region_code, c.number, c.version DESC`, [ids]);
      return (await this.withOperatorNames(em, actor, rows)).map(contractView);
    });
  }

  getContract(actor: Actor, id: string) {
    return this.db.run(actor, async (em) => {
      const c = await this.contractRow(em, actor, id);
      const versions = await queryRows<ContractRow & { operator_name: string }>(em,
        `SELECT c.*, o.name AS operator_name FROM contracts c LEFT JOIN organisations o ON o.id = c.tenant_id WHERE c.region_code = $1 AND c.number = $2 ORDER BY c.version DESC`, [c.region_code, c.number]);
      await this.withOperatorNames(em, actor, versions);
      const markets = await queryRows<{ id: string; name: string }>(em, 'SELECT id, name FROM markets WHERE id = ANY($1::uuid[]) ORDER BY name', [c.market_ids]);
      return { ...contractView(versions.find((v) => v.id === id) ?? { ...c, operator_name: '' }), markets, versions: versions.map(contractView) };
    });
  }

  private async contractRow(em: EntityManager, actor: Actor, id: string): Promise<ContractRow> {
    const c = await queryRow<ContractRow>(em, 'SELECT * FROM contracts WHERE id = $1', [id]);
    if (!c) throw notFound();
    assertAccess(actor, 'read', 'Contract', { regionCode: c.region_code, tenantId: c.tenant_id });
    return c;
  }

  /**
   * The markets must be in the county and be the operator's, or have no operator yet (a county contracts first and
   * assigns second), or be run by an operator that is exiting (the successor's contract for the handover). R-A3: a
   * market is assigned to an operator only under a live contract that lists it (`AssessmentAssignmentCover`).
   */
  private async checkMarkets(em: EntityManager, county: string, operatorId: string, marketIds: string[]) {
    const ok = await queryRows<{ id: string }>(em,
      `SELECT m.id FROM markets m LEFT JOIN organisations o ON o.id = m.tenant_id
       WHERE m.id = ANY($1::uuid[]) AND m.region_code = $3 AND (m.tenant_id = $2 OR m.tenant_id IS NULL OR o.status = 'exiting')`, [marketIds, operatorId, county]);
    if (ok.length !== new Set(marketIds).size) throw fail(422, 'assessment_markets_not_operator', 'marketIds');
  }

  /**
   * `assessment_searchContractOperators`: active operators by name or unified social credit code, for the county's
   * contract form (issue 15 §1). An operator registered in another county is hidden from this one by organisations' RLS
   * until it runs a market here, which needs the contract first; `createContract` accepts it (`checkOperator`, as the
   * system), so the county finds it here: id, name, credit code, home region, nothing else.
   */
  async searchContractOperators(actor: Actor, q: string) {
    if (actor.orgKind !== 'county') throw new ProblemException(403, 'forbidden');
    assertAccess(actor, 'create', 'Contract', { regionCode: actor.regionPrefix ?? '' });
    return this.directory.activeOperators(q);
  }

  /** `assessment_createContract`: the county records its contract with an operator (version 1). */
  createContract(actor: Actor, body: ContractInput & { operatorId: string }) {
    return this.db.run(actor, async (em) => {
      const county = actor.regionPrefix ?? '';
      if (actor.orgKind !== 'county') throw new ProblemException(403, 'forbidden');
      assertAccess(actor, 'create', 'Contract', { regionCode: county });
      await this.checkOperator(em, actor, body.operatorId);
      await this.checkMarkets(em, county, body.operatorId, body.marketIds);
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`contract:${county}:${body.number}`]);
      if (await queryRow(em, 'SELECT 1 FROM contracts WHERE region_code = $1 AND number = $2', [county, body.number])) throw fail(409, 'assessment_contract_number_taken', 'number');
      const id = newId();
      await this.insertContract(em, actor, id, county, body.operatorId, 1, body, null);
      await this.audit.record(em, actor, { action: 'contract.create', subjectType: 'Contract', subjectId: id, regionCode: county, tenantId: body.operatorId,
        summary: { number: body.number, amountFen: body.amountFen, markets: body.marketIds.length, documentSm3: body.documentSm3 } });
      return this.contractViewIn(em, actor, id);
    });
  }

  /** `assessment_amendContract`: an amendment is the next version; the previous one stays, superseded. */
  amendContract(actor: Actor, id: string, body: ContractInput & { reason: string }) {
    return this.db.run(actor, async (em) => {
      const c = await this.contractRow(em, actor, id);
      assertAccess(actor, 'update', 'Contract', { regionCode: c.region_code });
      const locked = await lockRow<ContractRow>(em, 'contracts', id);
      if (!locked || locked.superseded_at) throw fail(409, 'assessment_operator_exited');
      await this.checkMarkets(em, c.region_code, c.tenant_id, body.marketIds);
      await em.query('UPDATE contracts SET superseded_at = now() WHERE id = $1', [id]);
      await this.checkDroppedMarkets(em, c, body.marketIds);
      const next = newId();
      await this.insertContract(em, actor, next, c.region_code, c.tenant_id, Number(c.version) + 1, { ...body, number: c.number }, body.reason);
      await this.audit.record(em, actor, { action: 'contract.amend', subjectType: 'Contract', subjectId: next, regionCode: c.region_code, tenantId: c.tenant_id,
        summary: { number: c.number, version: Number(c.version) + 1, supersedes: id, reason: body.reason, documentSm3: body.documentSm3 } });
      return this.contractViewIn(em, actor, next);
    });
  }

  /**
   * An amendment may not drop a market its operator still runs unless another live contract of the operator lists it
   * (R-A3: a market is run only under a contract that covers it): the county hands the market over, or takes it back,
   * first. Called once the amended version is marked superseded, so that version no longer counts as the cover; a
   * refusal rolls the supersession back with everything else.
   */
  private async checkDroppedMarkets(em: EntityManager, c: ContractRow, marketIds: string[]) {
    const kept = new Set(marketIds);
    const dropped = new Set(c.market_ids.filter((m) => !kept.has(m)));
    if (!dropped.size) return;
    const uncovered: { id: string; name: string }[] = [];
    for (const m of await this.markets.ofTenantIn(em, c.tenant_id, c.region_code)) {
      if (dropped.has(m.id) && !(await this.covers.isCovered(em, { operatorId: c.tenant_id, regionCode: m.regionCode, marketId: m.id }))) uncovered.push(m);
    }
    if (uncovered.length) {
      throw fail(422, 'assessment_amendment_drops_run_market', 'marketIds', { markets: uncovered.map((m) => m.name).join('、'), marketIds: uncovered.map((m) => m.id) });
    }
  }

  private async insertContract(em: EntityManager, actor: Actor, id: string, county: string, operatorId: string, version: number, b: ContractInput, reason: string | null) {
    await em.query(
      `INSERT INTO contracts (id, region_code, tenant_id, number, version, title, term_from, term_to, market_ids, amount_fen, schedule, unit_rates, grade_factors, document_sm3, reason, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [id, county, operatorId, b.number, version, b.title, b.termFrom, b.termTo, [...new Set(b.marketIds)], b.amountFen, JSON.stringify(b.schedule),
        JSON.stringify(b.unitRates), JSON.stringify(b.gradeFactors), b.documentSm3, reason, actor.userId]);
  }

  private async contractViewIn(em: EntityManager, actor: Actor, id: string) {
    const r = await queryRow<ContractRow & { operator_name: string }>(em, 'SELECT c.*, o.name AS operator_name FROM contracts c LEFT JOIN organisations o ON o.id = c.tenant_id WHERE c.id = $1', [id]);
    if (!r) throw notFound();
    return contractView((await this.withOperatorNames(em, actor, [r]))[0]);
  }

  /**
   * A county sees an operator registered elsewhere only once it runs a market there (organisations' RLS, served
   * regions); under a contract that lists an unassigned market it runs none yet. The county knows whom it contracted:
   * the missing names are read as the system (the rows are the caller's contracts, already checked).
   */
  private async withOperatorNames<R extends ContractRow & { operator_name: string | null }>(em: EntityManager, actor: Actor, rows: R[]): Promise<R[]> {
    const missing = [...new Set(rows.filter((r) => !r.operator_name).map((r) => r.tenant_id))];
    if (!missing.length) return rows;
    const found = await asSystem(em, actor, () => queryRows<{ id: string; name: string }>(em, 'SELECT id, name FROM organisations WHERE id = ANY($1::uuid[])', [missing]));
    const names = new Map(found.map((o) => [o.id, o.name]));
    for (const r of rows) if (!r.operator_name) r.operator_name = names.get(r.tenant_id) ?? '';
    return rows;
  }

  /** The contracted organisation is an operator that has not exited (read as the system: it may not serve the county yet). */
  private async checkOperator(em: EntityManager, actor: Actor, operatorId: string) {
    const o = await asSystem(em, actor, () => queryRow<{ kind: string; status: string }>(em, 'SELECT kind, status FROM organisations WHERE id = $1', [operatorId]));
    if (!o || o.kind !== 'operator' || o.status === 'exited') throw fail(422, 'operator_not_found', 'operatorId');
    // An exiting operator gets no new contract (its existing ones may still be amended for the handover's terms).
    if (o.status === 'exiting') throw fail(422, 'operator_exiting_no_contract', 'operatorId');
  }

  // ================================================================ templates

  listTemplates(actor: Actor) {
    return this.db.run(actor, async (em) => {
      const province = (actor.regionPrefix ?? '').slice(0, 2);
      // The province's versions, and the local ones of the caller's lineage (its own, its city's; a province or city sees those below it).
      const prefix = actor.regionPrefix ?? '';
      const rows = await queryRows<TemplateRow>(em,
        `SELECT * FROM assessment_templates WHERE ($1 = '' OR province_code = $1)
           AND (region_code IS NULL OR $2 = '' OR $2 LIKE region_code || '%' OR region_code LIKE $2 || '%') ORDER BY name, version DESC`,
        [actor.orgKind === 'operator' ? '' : province, actor.orgKind === 'operator' || actor.orgKind === 'platform' ? '' : prefix]);
      return rows.map(templateView);
    });
  }

  getTemplate(actor: Actor, id: string) {
    return this.db.run(actor, async (em) => {
      const t = await queryRow<TemplateRow>(em, 'SELECT * FROM assessment_templates WHERE id = $1', [id]);
      if (!t) throw notFound();
      return templateView(t);
    });
  }

  /** `assessment_createTemplate`: the province saves a template version (the next version of its name); checked in full. */
  createTemplate(actor: Actor, body: { name: string; body: TemplateBody }) {
    return this.db.run(actor, async (em) => {
      const province = actor.regionPrefix ?? '';
      if (actor.orgKind !== 'province') throw new ProblemException(403, 'forbidden');
      assertAccess(actor, 'create', 'AssessmentTemplate', { regionCode: province });
      const problems = templateProblems(body.body);
      if (problems.length) {
        throw new ProblemException(422, 'assessment_template_invalid', problems.map((p) => ({ field: `body.${p.field}`, key: p.key, params: p.params })));
      }
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`template:${province}:${body.name}`]);
      const [{ v }] = await em.query('SELECT COALESCE(max(version), 0) + 1 AS v FROM assessment_templates WHERE province_code = $1 AND name = $2', [province, body.name]);
      const id = newId();
      await em.query('INSERT INTO assessment_templates (id, province_code, name, version, body, created_by) VALUES ($1, $2, $3, $4, $5, $6)',
        [id, province, body.name, Number(v), JSON.stringify(body.body), actor.userId]);
      await this.audit.record(em, actor, { action: 'assessment_template.create', subjectType: 'AssessmentTemplate', subjectId: id, regionCode: province, summary: { name: body.name, version: Number(v) } });
      const t = await queryRow<TemplateRow>(em, 'SELECT * FROM assessment_templates WHERE id = $1', [id]);
      return templateView(t as TemplateRow);
    });
  }

  /**
   * `assessment_createLocalTemplate`: a city or county saves a local version of a province version — local items added
   * within the province's budget, their points taken from the province's leaves (`localVersionProblems`); the next
   * version of its name, owned by the caller's region.
   */
  createLocalTemplate(actor: Actor, baseId: string, body: { name: string; body: TemplateBody }) {
    return this.db.run(actor, async (em) => {
      const region = actor.regionPrefix ?? '';
      if (actor.orgKind !== 'city' && actor.orgKind !== 'county') throw new ProblemException(403, 'forbidden');
      assertAccess(actor, 'create', 'AssessmentTemplate', { regionCode: region });
      const base = await queryRow<TemplateRow>(em, 'SELECT * FROM assessment_templates WHERE id = $1 AND province_code = $2 AND region_code IS NULL', [baseId, region.slice(0, 2)]);
      if (!base) throw fail(422, 'assessment_local_base', 'baseId');
      const problems = localVersionProblems(base.body, body.body);
      if (problems.length) {
        throw new ProblemException(422, 'assessment_template_invalid', problems.map((p) => ({ field: `body.${p.field}`, key: p.key, params: p.params })));
      }
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`template:${base.province_code}:${body.name}`]);
      if (await queryRow(em, 'SELECT 1 FROM assessment_templates WHERE province_code = $1 AND name = $2 AND region_code IS DISTINCT FROM $3', [base.province_code, body.name, region])) {
        throw fail(409, 'assessment_template_name_taken', 'name');
      }
      const [{ v }] = await em.query('SELECT COALESCE(max(version), 0) + 1 AS v FROM assessment_templates WHERE province_code = $1 AND name = $2', [base.province_code, body.name]);
      const id = newId();
      await em.query('INSERT INTO assessment_templates (id, province_code, name, version, body, created_by, region_code, base_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [id, base.province_code, body.name, Number(v), JSON.stringify(body.body), actor.userId, region, base.id]);
      const local = leavesOf(body.body.indicators).filter((l) => l.node.local).map((l) => ({ code: l.node.code, weight: l.node.weight }));
      await this.audit.record(em, actor, { action: 'assessment_template.create_local', subjectType: 'AssessmentTemplate', subjectId: id, regionCode: region,
        summary: { name: body.name, version: Number(v), base: `${base.name} v${base.version}`, local } });
      return templateView((await queryRow<TemplateRow>(em, 'SELECT * FROM assessment_templates WHERE id = $1', [id])) as TemplateRow);
    });
  }

  // ================================================================ cycles

  listCycles(actor: Actor, q: { state?: string }) {
    return this.db.run(actor, async (em) => {
      const rows = await queryRows<CycleRow & { template_name: string; template_version: number; assessments: number; published: number }>(em,
        `SELECT c.*, t.name AS template_name, t.version AS template_version,
                (SELECT count(*)::int FROM assessments a WHERE a.cycle_id = c.id) AS assessments,
                (SELECT count(*)::int FROM assessments a WHERE a.cycle_id = c.id AND a.state IN ('published', 'appealed', 'final')) AS published
         FROM assessment_cycles c JOIN assessment_templates t ON t.id = c.template_id
         WHERE ($1::text IS NULL OR c.state = $1) ORDER BY c.period_to DESC, c.created_at DESC LIMIT 200`, [q.state ?? null]);
      return rows.map((r) => ({ ...cycleView(r), templateName: r.template_name, templateVersion: Number(r.template_version), assessments: r.assessments, published: r.published }));
    });
  }

  getCycle(actor: Actor, id: string) {
    return this.db.run(actor, async (em) => {
      const c = await this.cycleRow(em, id);
      const t = await queryRow<TemplateRow>(em, 'SELECT * FROM assessment_templates WHERE id = $1', [c.template_id]);
      const qb = em.createQueryBuilder().select('a.id', 'id').from('assessments', 'a').where('a.cycle_id = :id', { id });
      const allowed = applyAccess(qb, actor, 'read', 'Assessment', { regionCode: 'a.region_code', tenantId: 'a.tenant_id' });
      const ids = allowed ? (await qb.getRawMany<{ id: string }>()).map((r) => r.id) : [];
      return { ...cycleView(c), template: t ? templateView(t) : null, assessments: await this.summaries(em, ids) };
    });
  }

  private async cycleRow(em: EntityManager, id: string): Promise<CycleRow> {
    const c = await queryRow<CycleRow>(em, 'SELECT * FROM assessment_cycles WHERE id = $1', [id]);
    if (!c) throw notFound();
    return c;
  }

  /** The cycle's opener level: the province for its cycles, the county for its own. */
  private assertOpener(actor: Actor, c: CycleRow) {
    if (c.region_code !== actor.regionPrefix || !abilityOf(actor).can('publish', 'AssessmentCycle')) throw new ProblemException(403, 'forbidden');
  }

  /** `assessment_openCycle`: the province or a county opens a cycle for contracts of its region, pinning a template version. */
  openCycle(actor: Actor, body: { name: string; kind: string; templateId: string; periodFrom: string; periodTo: string; cutoff: string; selfDeadline: string;
    reviewDeadline: string; appealDays: number; samplePct: number; contractIds: string[] }) {
    return this.db.run(actor, async (em) => {
      const region = actor.regionPrefix ?? '';
      if (actor.orgKind !== 'province' && actor.orgKind !== 'county') throw new ProblemException(403, 'forbidden');
      assertAccess(actor, 'create', 'AssessmentCycle', { regionCode: region });
      const t = await queryRow<TemplateRow>(em, 'SELECT * FROM assessment_templates WHERE id = $1 AND province_code = $2', [body.templateId, region.slice(0, 2)]);
      // A local version serves its own region (a county pins its own or its city's; the province only its own versions).
      if (!t || (t.region_code && !region.startsWith(t.region_code))) throw fail(422, 'not_found', 'templateId');
      const ids = [...new Set(body.contractIds)];
      const contracts = await queryRows<ContractRow>(em,
        `SELECT * FROM contracts WHERE id = ANY($1::uuid[]) AND superseded_at IS NULL AND region_code LIKE $2 || '%' AND term_from <= $4 AND term_to >= $3`,
        [ids, region, body.periodFrom, body.periodTo]);
      if (contracts.length !== ids.length) throw fail(422, 'assessment_contract_outside_cycle', 'contractIds');
      const id = newId();
      await em.query(
        `INSERT INTO assessment_cycles (id, region_code, name, kind, template_id, period_from, period_to, cutoff, self_deadline, review_deadline, appeal_days, sample_pct, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [id, region, body.name, body.kind, t.id, body.periodFrom, body.periodTo, body.cutoff, body.selfDeadline, body.reviewDeadline, body.appealDays, body.samplePct, actor.userId]);
      for (const c of contracts) {
        await em.query('INSERT INTO assessments (id, cycle_id, contract_id, tenant_id, region_code) VALUES ($1, $2, $3, $4, $5)', [newId(), id, c.id, c.tenant_id, c.region_code]);
      }
      await this.audit.record(em, actor, { action: 'assessment_cycle.open', subjectType: 'AssessmentCycle', subjectId: id, regionCode: region,
        summary: { name: body.name, template: `${t.name} v${t.version}`, from: body.periodFrom, to: body.periodTo, contracts: ids.length } });
      return cycleView(await this.cycleRow(em, id));
    });
  }

  /**
   * `assessment_freezeCycle`: on or after the data cutoff, each assessment's KPI figures are computed from the
   * rollups (analytics' exported service, as the opener may read them) and frozen with their digest as version 1;
   * the items are created with the rule's points; the sample is drawn (the assessments whose SHA-256 of cycle and
   * assessment id sort first, `sample_pct` of them rounded up: anyone can recompute the draw).
   */
  freezeCycle(actor: Actor, id: string, now = new Date()) {
    return this.db.run(actor, async (em) => {
      const c0 = await this.cycleRow(em, id);
      this.assertOpener(actor, c0);
      // A cycle already frozen is refused at once; concurrent freezes wait on the lock for the first, then find it frozen
      // (one computation, not one per request).
      if (c0.state !== 'open') throw fail(409, 'assessment_state');
      const c = (await lockRow<CycleRow>(em, 'assessment_cycles', id)) as CycleRow;
      if (c.state !== 'open') throw fail(409, 'assessment_state');
      if (shanghaiDay(now) < c.cutoff) throw fail(422, 'assessment_cutoff_not_reached', 'cutoff');
      const t = (await queryRow<TemplateRow>(em, 'SELECT * FROM assessment_templates WHERE id = $1', [c.template_id])) as TemplateRow;
      const list = await queryRows<AssessmentRow>(em, 'SELECT * FROM assessments WHERE cycle_id = $1 ORDER BY id', [id]);
      for (const a of list) {
        const contract = (await queryRow<ContractRow>(em, 'SELECT * FROM contracts WHERE id = $1', [a.contract_id])) as ContractRow;
        const doc = await this.computeFigures(em, actor, c, t.body, contract);
        await this.insertFigures(em, actor, a, 1, doc, null, now);
        const leaves = leavesOf(t.body.indicators);
        let ord = 0;
        for (const l of leaves) {
          const k = l.node.kpi;
          const value = k ? doc.kpis[k.kpi]?.value ?? null : null;
          await em.query(
            `INSERT INTO assessment_items (assessment_id, code, tenant_id, region_code, ord, kind, zh, path, weight, value, rule_points)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
            [a.id, l.node.code, a.tenant_id, a.region_code, ord++, k ? 'kpi' : 'evidence', l.node.zh, l.path, l.node.weight, value, k ? kpiPoints(k, l.node.weight, value, doc.scale) : null]);
        }
      }
      const n = Math.ceil((list.length * c.sample_pct) / 100);
      const drawn = list.map((a) => ({ id: a.id, h: digestHex('sha256', `${id}:${a.id}`) })).sort((x, y) => x.h.localeCompare(y.h)).slice(0, n).map((x) => x.id);
      await em.query(`UPDATE assessments SET state = 'self', figures_version = 1, sampled = (id = ANY($2::uuid[])) WHERE cycle_id = $1`, [id, drawn]);
      await em.query(`UPDATE assessment_cycles SET state = 'frozen', frozen_at = $2 WHERE id = $1`, [id, now.toISOString()]);
      await this.audit.record(em, actor, { action: 'assessment_cycle.freeze', subjectType: 'AssessmentCycle', subjectId: id, regionCode: c.region_code, summary: { assessments: list.length, sampled: drawn } });
      return cycleView(await this.cycleRow(em, id));
    });
  }

  /** The KPI figures of a contract's markets over the cycle's period, from analytics (rollups for sealed days, live folds flagged provisional). */
  private async computeFigures(em: EntityManager, actor: Actor, c: CycleRow, body: TemplateBody, contract: ContractRow): Promise<FiguresDoc> {
    const scope = await this.analytics.scopeMarkets(em, actor, { operatorId: contract.tenant_id });
    const markets = scope.filter((m) => contract.market_ids.includes(m.id));
    const codes = [...new Set([...leavesOf(body.indicators).flatMap((l) => (l.node.kpi ? [l.node.kpi.kpi] : [])), ...contract.unit_rates.map((u) => u.kpi)])].sort();
    const { inputs, provisional } = await this.analytics.inputs(em, markets, c.period_from, c.period_to);
    const kpis: FiguresDoc['kpis'] = {};
    for (const code of codes) {
      kpis[code] = {
        value: computeKpi(requireKpi(code), inputs), provisional,
        // The figure's drill-down: the analytics drill-down of each covered market (their items add up to an additive figure).
        drilldown: markets.map((m) => `/api/v1/analytics/drilldown?kpi=${code}&from=${c.period_from}&to=${c.period_to}&marketId=${m.id}`),
      };
    }
    return { from: c.period_from, to: c.period_to, marketIds: markets.map((m) => m.id).sort(), scale: targetScale(markets.length, daysIn(c.period_from, c.period_to)), kpis };
  }

  private async insertFigures(em: EntityManager, actor: Actor, a: AssessmentRow, version: number, doc: FiguresDoc, reason: string | null, at: Date) {
    const digest = assessmentDigest({ assessmentId: a.id, contractId: a.contract_id, version, figures: doc });
    await em.query(`INSERT INTO assessment_figures (assessment_id, version, tenant_id, region_code, figures, digest, reason, frozen_at, frozen_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [a.id, version, a.tenant_id, a.region_code, JSON.stringify(doc), digest, reason, at.toISOString(), actor.userId]);
    return digest;
  }

  /** `assessment_publishCycle`: every assessment reviewed and every sampled one audited; each gets its total, grade and consequence. */
  publishCycle(actor: Actor, id: string) {
    return this.db.run(actor, async (em) => {
      const c0 = await this.cycleRow(em, id);
      this.assertOpener(actor, c0);
      const c = (await lockRow<CycleRow>(em, 'assessment_cycles', id)) as CycleRow;
      if (c.state !== 'frozen') throw fail(409, 'assessment_state');
      const list = await queryRows<AssessmentRow>(em, 'SELECT * FROM assessments WHERE cycle_id = $1 ORDER BY id FOR NO KEY UPDATE', [id]);
      if (list.some((a) => a.state !== 'reviewed')) throw fail(422, 'assessment_review_pending', undefined, { pending: list.filter((a) => a.state !== 'reviewed').map((a) => a.id) });
      if (list.some((a) => a.sampled && !a.audited_at)) throw fail(422, 'assessment_audit_pending', undefined, { pending: list.filter((a) => a.sampled && !a.audited_at).map((a) => a.id) });
      const t = (await queryRow<TemplateRow>(em, 'SELECT * FROM assessment_templates WHERE id = $1', [c.template_id])) as TemplateRow;
      for (const a of list) {
        const r = await this.score(em, a.id, t.body);
        await em.query(`UPDATE assessments SET state = 'published', total = $2, grade = $3, consequence = $4, published_at = now() WHERE id = $1`, [a.id, r.total, r.grade, r.consequence]);
        await this.audit.record(em, actor, { action: 'assessment.publish', subjectType: 'Assessment', subjectId: a.id, regionCode: a.region_code, tenantId: a.tenant_id, summary: r });
      }
      await em.query(`UPDATE assessment_cycles SET state = 'published', published_at = now() WHERE id = $1`, [id]);
      await this.audit.record(em, actor, { action: 'assessment_cycle.publish', subjectType: 'AssessmentCycle', subjectId: id, regionCode: c.region_code, summary: { assessments: list.length } });
      return cycleView(await this.cycleRow(em, id));
    });
  }

  /** Total, grade and consequence from the items' final points (rule → county → audit → appeal). */
  private async score(em: EntityManager, assessmentId: string, body: TemplateBody) {
    const items = await queryRows<ItemRow>(em, 'SELECT * FROM assessment_items WHERE assessment_id = $1', [assessmentId]);
    return resultOf(items.map((i) => finalPoints(num(i.rule_points), i.kind === 'evidence' ? num(i.county_score) : null, num(i.audit_score), num(i.appeal_score))), body.bands);
  }

  // ================================================================ assessments

  listAssessments(actor: Actor, q: { cycleId?: string; operatorId?: string }) {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().select('a.id', 'id').from('assessments', 'a');
      if (!applyAccess(qb, actor, 'read', 'Assessment', { regionCode: 'a.region_code', tenantId: 'a.tenant_id' })) return [];
      if (q.cycleId) qb.andWhere('a.cycle_id = :c', { c: q.cycleId });
      if (q.operatorId) qb.andWhere('a.tenant_id = :o', { o: q.operatorId });
      const ids = (await qb.orderBy('a.created_at', 'DESC').limit(500).getRawMany<{ id: string }>()).map((r) => r.id);
      return this.summaries(em, ids);
    });
  }

  private async summaries(em: EntityManager, ids: string[]) {
    const rows = await queryRows<AssessmentRow & { operator_name: string; contract_number: string; cycle_name: string; period_from: string; period_to: string }>(em,
      `SELECT a.*, o.name AS operator_name, k.number AS contract_number, c.name AS cycle_name, c.period_from, c.period_to
       FROM assessments a JOIN organisations o ON o.id = a.tenant_id JOIN contracts k ON k.id = a.contract_id JOIN assessment_cycles c ON c.id = a.cycle_id
       WHERE a.id = ANY($1::uuid[]) ORDER BY c.period_to DESC, o.name`, [ids]);
    return rows.map((r) => ({ ...assessmentView(r), operatorName: r.operator_name, contractNumber: r.contract_number, cycleName: r.cycle_name, periodFrom: r.period_from, periodTo: r.period_to }));
  }

  private async assessmentRow(em: EntityManager, actor: Actor, id: string): Promise<AssessmentRow> {
    const a = await queryRow<AssessmentRow>(em, 'SELECT * FROM assessments WHERE id = $1', [id]);
    if (!a) throw notFound();
    assertAccess(actor, 'read', 'Assessment', { regionCode: a.region_code, tenantId: a.tenant_id });
    return a;
  }

  /** A locked assessment for a change the actor may make. */
  private async changeAssessment(em: EntityManager, actor: Actor, id: string, action: 'operate' | 'update' | 'verify' | 'close'): Promise<AssessmentRow> {
    const a = await this.assessmentRow(em, actor, id);
    assertAccess(actor, action, 'Assessment', { regionCode: a.region_code, tenantId: a.tenant_id });
    return (await lockRow<AssessmentRow>(em, 'assessments', id)) as AssessmentRow;
  }

  /** `assessment_get`: the workspace — each item with its frozen figure and drill-down, evidence, self / county / audit / appeal scores. */
  getAssessment(actor: Actor, id: string) {
    return this.db.run(actor, (em) => this.detail(em, actor, id));
  }

  private async detail(em: EntityManager, actor: Actor, id: string) {
    const a = await this.assessmentRow(em, actor, id);
    const [summary] = await this.summaries(em, [id]);
    const c = await this.cycleRow(em, a.cycle_id);
    const items = await queryRows<ItemRow>(em, 'SELECT * FROM assessment_items WHERE assessment_id = $1 ORDER BY ord', [id]);
    const versions = await queryRows<FiguresRow>(em, 'SELECT * FROM assessment_figures WHERE assessment_id = $1 ORDER BY version', [id]);
    const current = versions.find((v) => v.version === a.figures_version) ?? null;
    const t = (await queryRow<TemplateRow>(em, 'SELECT * FROM assessment_templates WHERE id = $1', [c.template_id])) as TemplateRow;
    const kpiOfItem = new Map(leavesOf(t.body.indicators).map((l) => [l.node.code, l.node.kpi]));
    // Every indicator's name, for the items' paths (一级 / 二级) and the radar's axes.
    const names = new Map<string, string>();
    const walk = (nodes: TemplateBody['indicators']) => nodes.forEach((n) => { names.set(n.code, n.zh); if (n.children) walk(n.children); });
    walk(t.body.indicators);
    const markets = current ? await queryRows<{ id: string; name: string }>(em, 'SELECT id, name FROM markets WHERE id = ANY($1::uuid[]) ORDER BY name', [current.figures.marketIds]) : [];
    const today = shanghaiDay(new Date());
    return {
      ...summary, cycle: cycleView(c),
      deadlines: {
        self: c.self_deadline, review: c.review_deadline,
        appeal: a.published_at ? addDays(shanghaiDay(a.published_at), c.appeal_days) : null,
        selfOpen: a.state === 'self' && today <= c.self_deadline,
      },
      figures: current ? { version: current.version, digest: current.digest, frozenAt: current.frozen_at.toISOString(), reason: current.reason, ...current.figures } : null,
      markets,
      figureVersions: versions.map((v) => ({ version: v.version, digest: v.digest, frozenAt: v.frozen_at.toISOString(), reason: v.reason })),
      items: items.map((i) => {
        const k = kpiOfItem.get(i.code);
        const fig = k && current ? current.figures.kpis[k.kpi] : undefined;
        return {
          code: i.code, kind: i.kind, zh: i.zh, path: i.path, pathNames: i.path.map((c) => names.get(c) ?? c), weight: Number(i.weight),
          kpi: k ? { code: k.kpi, zh: kpiOf(k.kpi)?.zh ?? k.kpi, unit: kpiOf(k.kpi)?.unit, direction: k.direction, target: k.target, floor: k.floor, rule: k.rule, perMarketMonth: !!k.perMarketMonth } : null,
          value: num(i.value), provisional: fig?.provisional ?? false, drilldown: fig?.drilldown ?? [],
          rulePoints: num(i.rule_points), selfScore: num(i.self_score), selfExplanation: i.self_explanation, evidence: i.evidence,
          countyScore: num(i.county_score), countyComment: i.county_comment, auditScore: num(i.audit_score), auditReason: i.audit_reason, appealScore: num(i.appeal_score),
          finalPoints: finalPoints(num(i.rule_points), i.kind === 'evidence' ? num(i.county_score) : null, num(i.audit_score), num(i.appeal_score)),
        };
      }),
    };
  }

  private itemsOf(em: EntityManager, id: string) {
    return queryRows<ItemRow>(em, 'SELECT * FROM assessment_items WHERE assessment_id = $1 ORDER BY ord', [id]);
  }

  private checkItems<T extends { code: string; score?: number }>(items: ItemRow[], input: T[], kinds: ('kpi' | 'evidence')[]) {
    const byCode = new Map(items.map((i) => [i.code, i]));
    input.forEach((x, n) => {
      const it = byCode.get(x.code);
      if (!it || !kinds.includes(it.kind)) throw fail(422, 'assessment_unknown_item', `items.${n}.code`);
      if (x.score !== undefined && x.score > Number(it.weight)) throw fail(422, 'assessment_item_over_weight', `items.${n}.score`);
    });
  }

  /** `assessment_selfAssess`: the operator's claimed scores on evidence items, with evidence and explanations, by the deadline. */
  selfAssess(actor: Actor, id: string, body: { items: { code: string; score: number; explanation: string; evidence: { attachmentSm3?: string; marketId?: string; seq?: number; note?: string }[] }[] }) {
    return this.db.run(actor, async (em) => {
      const a = await this.changeAssessment(em, actor, id, 'operate');
      const c = await this.cycleRow(em, a.cycle_id);
      if (a.state !== 'self') throw fail(409, 'assessment_state');
      if (shanghaiDay(new Date()) > c.self_deadline) throw fail(422, 'assessment_deadline_passed', 'selfDeadline', { deadline: c.self_deadline });
      this.checkItems(await this.itemsOf(em, id), body.items, ['evidence']);
      const contract = (await queryRow<ContractRow>(em, 'SELECT * FROM contracts WHERE id = $1', [a.contract_id])) as ContractRow;
      // A work-log link must name an entry of a market the contract covers.
      for (const [n, it] of body.items.entries()) {
        for (const e of it.evidence) {
          if (e.marketId && (!contract.market_ids.includes(e.marketId) || !(await queryRow(em, 'SELECT 1 FROM ledger_entries WHERE market_id = $1 AND seq = $2', [e.marketId, e.seq])))) {
            throw fail(422, 'assessment_evidence_ref', `items.${n}.evidence`);
          }
        }
      }
      for (const it of body.items) {
        await em.query('UPDATE assessment_items SET self_score = $3, self_explanation = $4, evidence = $5 WHERE assessment_id = $1 AND code = $2',
          [id, it.code, it.score, it.explanation, JSON.stringify(it.evidence)]);
      }
      await em.query(`UPDATE assessments SET state = 'review', self_submitted_at = now(), self_by = $2 WHERE id = $1`, [id, actor.userId]);
      await this.audit.record(em, actor, { action: 'assessment.self_assess', subjectType: 'Assessment', subjectId: id, regionCode: a.region_code, tenantId: a.tenant_id,
        summary: { items: body.items.map((i) => ({ code: i.code, score: i.score, evidence: i.evidence.length })) } });
      return this.detail(em, actor, id);
    });
  }

  /**
   * Separation of duties (issue 15 §3): no operator user reviews, audits or decides; a cycle's reviewers and
   * auditors are different people; an appeal is decided by someone other than the assessment's reviewer.
   */
  private async separation(em: EntityManager, actor: Actor, a: AssessmentRow, role: 'review' | 'audit' | 'appeal') {
    if (actor.orgKind === 'operator' || actor.orgKind === 'platform') throw fail(403, 'assessment_separation');
    const col = role === 'review' ? 'auditor_id' : 'reviewer_id';
    if (role !== 'appeal' && await queryRow(em, `SELECT 1 FROM assessments WHERE cycle_id = $1 AND ${col} = $2`, [a.cycle_id, actor.userId])) throw fail(403, 'assessment_separation');
    if (role === 'appeal' && a.reviewer_id === actor.userId) throw fail(403, 'assessment_separation');
  }

  /** `assessment_review`: the county scores every evidence item and may comment on any; KPI items keep the rule's points. */
  review(actor: Actor, id: string, body: { items: { code: string; score?: number; comment: string }[] }) {
    return this.db.run(actor, async (em) => {
      const a = await this.changeAssessment(em, actor, id, 'update');
      await this.separation(em, actor, a, 'review');
      const c = await this.cycleRow(em, a.cycle_id);
      const today = shanghaiDay(new Date());
      // The review starts once the operator submitted, or when its deadline passed without a submission.
      if (!(a.state === 'review' || (a.state === 'self' && today > c.self_deadline))) throw fail(409, 'assessment_state');
      if (today > c.review_deadline) throw fail(422, 'assessment_deadline_passed', 'reviewDeadline', { deadline: c.review_deadline });
      const items = await this.itemsOf(em, id);
      this.checkItems(items, body.items, ['kpi', 'evidence']);
      body.items.forEach((x, n) => {
        if (x.score !== undefined && items.find((i) => i.code === x.code)?.kind === 'kpi') throw fail(422, 'assessment_kpi_by_rule', `items.${n}.score`);
      });
      const scored = new Set(body.items.filter((x) => x.score !== undefined).map((x) => x.code));
      const missing = items.filter((i) => i.kind === 'evidence' && !scored.has(i.code));
      if (missing.length) throw fail(422, 'assessment_items_missing', 'items', { missing: missing.map((i) => i.code) });
      for (const it of body.items) {
        await em.query('UPDATE assessment_items SET county_score = COALESCE($3, county_score), county_comment = $4 WHERE assessment_id = $1 AND code = $2', [id, it.code, it.score ?? null, it.comment]);
      }
      await em.query(`UPDATE assessments SET state = 'reviewed', reviewed_at = now(), reviewer_id = $2 WHERE id = $1`, [id, actor.userId]);
      await this.audit.record(em, actor, { action: 'assessment.review', subjectType: 'Assessment', subjectId: id, regionCode: a.region_code, tenantId: a.tenant_id,
        summary: { items: body.items.map((i) => ({ code: i.code, score: i.score ?? null })) } });
      return this.detail(em, actor, id);
    });
  }

  /** `assessment_audit`: the city or province audits a sampled, reviewed assessment; it may adjust any item's score, with a reason. */
  auditSample(actor: Actor, id: string, body: { items: { code: string; score: number; reason: string }[] }) {
    return this.db.run(actor, async (em) => {
      const a = await this.changeAssessment(em, actor, id, 'verify');
      await this.separation(em, actor, a, 'audit');
      if (!a.sampled) throw fail(422, 'assessment_not_sampled');
      if (a.state !== 'reviewed' || a.audited_at) throw fail(409, 'assessment_state');
      this.checkItems(await this.itemsOf(em, id), body.items, ['kpi', 'evidence']);
      for (const it of body.items) {
        await em.query('UPDATE assessment_items SET audit_score = $3, audit_reason = $4 WHERE assessment_id = $1 AND code = $2', [id, it.code, it.score, it.reason]);
      }
      await em.query('UPDATE assessments SET audited_at = now(), auditor_id = $2 WHERE id = $1', [id, actor.userId]);
      await this.audit.record(em, actor, { action: 'assessment.audit', subjectType: 'Assessment', subjectId: id, regionCode: a.region_code, tenantId: a.tenant_id,
        summary: { adjusted: body.items } });
      return this.detail(em, actor, id);
    });
  }

  /** `assessment_appeal`: the operator appeals a published result once, with reasons, within the appeal days. */
  appeal(actor: Actor, id: string, body: { reason: string; items: string[] }) {
    return this.db.run(actor, async (em) => {
      const a = await this.changeAssessment(em, actor, id, 'operate');
      if (a.appeal_at) throw fail(409, 'assessment_appeal_once');
      if (a.state !== 'published') throw fail(409, 'assessment_state');
      const c = await this.cycleRow(em, a.cycle_id);
      const last = addDays(shanghaiDay(a.published_at as Date), c.appeal_days);
      if (shanghaiDay(new Date()) > last) throw fail(422, 'assessment_deadline_passed', 'appeal', { deadline: last });
      this.checkItems(await this.itemsOf(em, id), body.items.map((code) => ({ code })), ['kpi', 'evidence']);
      await em.query(`UPDATE assessments SET state = 'appealed', appeal_reason = $2, appeal_items = $3, appeal_at = now(), appeal_by = $4 WHERE id = $1`, [id, body.reason, body.items, actor.userId]);
      await this.audit.record(em, actor, { action: 'assessment.appeal', subjectType: 'Assessment', subjectId: id, regionCode: a.region_code, tenantId: a.tenant_id, summary: { reason: body.reason, items: body.items } });
      return this.detail(em, actor, id);
    });
  }

  /** `assessment_decideAppeal`: someone other than the reviewer upholds (with new item scores) or rejects the appeal; the result is final. */
  decideAppeal(actor: Actor, id: string, body: { decision: 'upheld' | 'rejected'; reason: string; items: { code: string; score: number }[] }) {
    return this.db.run(actor, async (em) => {
      const a = await this.changeAssessment(em, actor, id, 'close');
      await this.separation(em, actor, a, 'appeal');
      if (a.state !== 'appealed') throw fail(409, 'assessment_state');
      if (body.decision === 'upheld') {
        this.checkItems(await this.itemsOf(em, id), body.items, ['kpi', 'evidence']);
        for (const it of body.items) await em.query('UPDATE assessment_items SET appeal_score = $3 WHERE assessment_id = $1 AND code = $2', [id, it.code, it.score]);
      }
      const c = await this.cycleRow(em, a.cycle_id);
      const t = (await queryRow<TemplateRow>(em, 'SELECT * FROM assessment_templates WHERE id = $1', [c.template_id])) as TemplateRow;
      const r = await this.score(em, id, t.body);
      await em.query(
        `UPDATE assessments SET state = 'final', appeal_decision = $2, appeal_decision_reason = $3, appeal_decided_by = $4, appeal_decided_at = now(),
                total_before_appeal = total, grade_before_appeal = grade, total = $5, grade = $6, consequence = $7 WHERE id = $1`,
        [id, body.decision, body.reason, actor.userId, r.total, r.grade, r.consequence]);
      await this.audit.record(em, actor, { action: 'assessment.appeal_decision', subjectType: 'Assessment', subjectId: id, regionCode: a.region_code, tenantId: a.tenant_id,
        summary: { decision: body.decision, reason: body.reason, before: { total: num(a.total), grade: a.grade }, after: r } });
      return this.detail(em, actor, id);
    });
  }

  /**
   * `assessment_recompute`: an explicit new version of the frozen figures (e.g. after corrections the opener
   * accepts), with a reason; the KPI items' rule points follow it. Not after publication: a published score
   * never moves.
   */
  recompute(actor: Actor, id: string, body: { reason: string }, now = new Date()) {
    return this.db.run(actor, async (em) => {
      const a0 = await this.assessmentRow(em, actor, id);
      const c = await this.cycleRow(em, a0.cycle_id);
      this.assertOpener(actor, c);
      if (!['self', 'review', 'reviewed'].includes(a0.state)) throw fail(409, 'assessment_state');
      const t = (await queryRow<TemplateRow>(em, 'SELECT * FROM assessment_templates WHERE id = $1', [c.template_id])) as TemplateRow;
      const contract = (await queryRow<ContractRow>(em, 'SELECT * FROM contracts WHERE id = $1', [a0.contract_id])) as ContractRow;
      // Computed before the lock (the slow part): concurrent recomputations wait only for the short write.
      const doc = await this.computeFigures(em, actor, c, t.body, contract);
      const a = (await lockRow<AssessmentRow>(em, 'assessments', id)) as AssessmentRow;
      if (!['self', 'review', 'reviewed'].includes(a.state)) throw fail(409, 'assessment_state');
      const version = a.figures_version + 1;
      const digest = await this.insertFigures(em, actor, a, version, doc, body.reason, now);
      for (const l of leavesOf(t.body.indicators)) {
        const k: KpiItem | undefined = l.node.kpi;
        if (!k) continue;
        const value = doc.kpis[k.kpi]?.value ?? null;
        await em.query('UPDATE assessment_items SET value = $3, rule_points = $4 WHERE assessment_id = $1 AND code = $2', [id, l.node.code, value, kpiPoints(k, l.node.weight, value, doc.scale)]);
      }
      await em.query('UPDATE assessments SET figures_version = $2 WHERE id = $1', [id, version]);
      await this.audit.record(em, actor, { action: 'assessment.recompute', subjectType: 'Assessment', subjectId: id, regionCode: a.region_code, tenantId: a.tenant_id, summary: { version, digest, reason: body.reason } });
      return this.detail(em, actor, id);
    });
  }

  // ================================================================ results, for other contexts

  /**
   * Published results (grade and consequence) the actor may read, newest first — the exported read for the
   * oversight context (a rectification order from a `rectification` consequence, exit proposals) and model markets.
   */
  async resultsOf(em: EntityManager, actor: Actor, q: { tenantId?: string; cycleId?: string; regionCode?: string } = {}): Promise<AssessmentResult[]> {
    const qb = em.createQueryBuilder().select('a.id', 'id').from('assessments', 'a').where(`a.state IN ('published', 'appealed', 'final')`);
    if (!applyAccess(qb, actor, 'read', 'Assessment', { regionCode: 'a.region_code', tenantId: 'a.tenant_id' })) return [];
    if (q.tenantId) qb.andWhere('a.tenant_id = :t', { t: q.tenantId });
    if (q.cycleId) qb.andWhere('a.cycle_id = :c', { c: q.cycleId });
    if (q.regionCode) qb.andWhere('a.region_code LIKE :r', { r: `${q.regionCode}%` });
    const ids = (await qb.getRawMany<{ id: string }>()).map((r) => r.id);
    const rows = await queryRows<AssessmentRow & { cycle_name: string; period_from: string; period_to: string; appeal_days: number }>(em,
      `SELECT a.*, c.name AS cycle_name, c.period_from, c.period_to, c.appeal_days FROM assessments a JOIN assessment_cycles c ON c.id = a.cycle_id
       WHERE a.id = ANY($1::uuid[]) ORDER BY c.period_to DESC, a.id`, [ids]);
    const today = shanghaiDay(new Date());
    return rows.map((r) => ({
      assessmentId: r.id, cycleId: r.cycle_id, cycleName: r.cycle_name, periodFrom: r.period_from, periodTo: r.period_to, contractId: r.contract_id,
      tenantId: r.tenant_id, regionCode: r.region_code, total: Number(r.total), grade: r.grade as Grade, consequence: r.consequence as Consequence,
      publishedAt: (r.published_at as Date).toISOString(), appealed: !!r.appeal_at,
      // Final once an appeal is decided, or when the appeal days ran out without one.
      final: r.state === 'final' || (r.state === 'published' && today > addDays(shanghaiDay(r.published_at as Date), r.appeal_days)),
    }));
  }

  /** `assessment_results`: the same over HTTP (the results page: history and radar). */
  results(actor: Actor, q: { operatorId?: string; cycleId?: string }) {
    return this.db.run(actor, (em) => this.resultsOf(em, actor, { tenantId: q.operatorId, cycleId: q.cycleId }));
  }

  // ================================================================ subsidy (R-F2)

  /** The statement of a published assessment: computed from the contract's terms and the frozen figures, or the approved snapshot. */
  statement(actor: Actor, id: string) {
    return this.db.run(actor, (em) => this.statementIn(em, actor, id));
  }

  private async statementIn(em: EntityManager, actor: Actor, id: string) {
    const a = await this.assessmentRow(em, actor, id);
    if (!a.grade || !['published', 'final'].includes(a.state)) throw fail(409, 'assessment_not_published');
    const approved = await queryRow<StatementRow>(em, 'SELECT * FROM subsidy_statements WHERE assessment_id = $1', [id]);
    const contract = (await queryRow<ContractRow & { operator_name: string }>(em, 'SELECT c.*, o.name AS operator_name FROM contracts c JOIN organisations o ON o.id = c.tenant_id WHERE c.id = $1', [a.contract_id]))!;
    const c = await this.cycleRow(em, a.cycle_id);
    const fig = (await queryRow<FiguresRow>(em, 'SELECT * FROM assessment_figures WHERE assessment_id = $1 AND version = $2', [id, a.figures_version]))!;
    const values = Object.fromEntries(Object.entries(fig.figures.kpis).map(([k, v]) => [k, v.value]));
    const s: SubsidyStatement = subsidyOf({ schedule: contract.schedule, unitRates: contract.unit_rates, gradeFactors: contract.grade_factors }, { from: c.period_from, to: c.period_to }, a.grade, values);
    const data = {
      assessmentId: id, contract: { id: contract.id, number: contract.number, version: Number(contract.version), title: contract.title, operatorName: contract.operator_name, amountFen: Number(contract.amount_fen) },
      cycle: { id: c.id, name: c.name, periodFrom: c.period_from, periodTo: c.period_to }, total: Number(a.total), figuresVersion: fig.version, figuresDigest: fig.digest, ...s,
    };
    return { ...(approved ? (approved.data as typeof data) : data), approved: approved ? { by: approved.approved_by, at: approved.approved_at.toISOString(), digest: approved.digest } : null };
  }

  /** `assessment_approveStatement`: the county approves the statement; its snapshot and digest are kept. */
  approveStatement(actor: Actor, id: string) {
    return this.db.run(actor, async (em) => {
      const a = await this.changeAssessment(em, actor, id, 'update');
      if (actor.orgKind !== 'county') throw new ProblemException(403, 'forbidden');
      const st = await this.statementIn(em, actor, id);
      if (st.approved) throw fail(409, 'assessment_statement_approved');
      const { approved: _approved, ...data } = st;
      const digest = assessmentDigest(data);
      await em.query('INSERT INTO subsidy_statements (id, assessment_id, region_code, data, payable_fen, digest, approved_by) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [newId(), id, a.region_code, JSON.stringify(data), data.payableFen, digest, actor.userId]);
      await this.audit.record(em, actor, { action: 'subsidy_statement.approve', subjectType: 'Assessment', subjectId: id, regionCode: a.region_code, tenantId: a.tenant_id, summary: { payableFen: data.payableFen, digest } });
      return this.statementIn(em, actor, id);
    });
  }
}

function contractView(r: ContractRow & { operator_name: string }) {
  return {
    id: r.id, regionCode: r.region_code, operatorId: r.tenant_id, operatorName: r.operator_name, number: r.number, version: Number(r.version), title: r.title,
    termFrom: r.term_from, termTo: r.term_to, marketIds: r.market_ids, amountFen: Number(r.amount_fen), schedule: r.schedule, unitRates: r.unit_rates,
    gradeFactors: r.grade_factors, documentSm3: r.document_sm3, needsTerms: r.needs_terms, reason: r.reason, live: !r.superseded_at,
    supersededAt: r.superseded_at?.toISOString() ?? null, createdAt: r.created_at.toISOString(),
  };
}
function templateView(t: TemplateRow) {
  return { id: t.id, provinceCode: t.province_code, regionCode: t.region_code, baseId: t.base_id, name: t.name, version: Number(t.version), body: t.body, createdAt: t.created_at.toISOString() };
}
function cycleView(c: CycleRow) {
  return {
    id: c.id, regionCode: c.region_code, name: c.name, kind: c.kind, templateId: c.template_id, periodFrom: c.period_from, periodTo: c.period_to, cutoff: c.cutoff,
    selfDeadline: c.self_deadline, reviewDeadline: c.review_deadline, appealDays: c.appeal_days, samplePct: c.sample_pct, state: c.state,
    frozenAt: c.frozen_at?.toISOString() ?? null, publishedAt: c.published_at?.toISOString() ?? null,
  };
}
function assessmentView(a: AssessmentRow) {
  return {
    id: a.id, cycleId: a.cycle_id, contractId: a.contract_id, operatorId: a.tenant_id, regionCode: a.region_code, state: a.state, figuresVersion: a.figures_version,
    sampled: a.sampled, selfSubmittedAt: a.self_submitted_at?.toISOString() ?? null, reviewedAt: a.reviewed_at?.toISOString() ?? null, reviewerId: a.reviewer_id,
    auditedAt: a.audited_at?.toISOString() ?? null, auditorId: a.auditor_id, total: num(a.total), grade: a.grade, consequence: a.consequence,
    publishedAt: a.published_at?.toISOString() ?? null,
    appeal: a.appeal_at ? {
      reason: a.appeal_reason, items: a.appeal_items ?? [], at: a.appeal_at.toISOString(), decision: a.appeal_decision, decisionReason: a.appeal_decision_reason,
      decidedBy: a.appeal_decided_by, decidedAt: a.appeal_decided_at?.toISOString() ?? null, totalBefore: num(a.total_before_appeal), gradeBefore: a.grade_before_appeal,
    } : null,
  };
}
