import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  HANDOVER_ITEMS, addWorkingDays, answerExitSchema, decideExitSchema, exitQuerySchema, openHandoverSchema, proposeExitSchema, signHandoverSchema,
  type Actor, type ExitCaseDetailView, type ExitCaseView, type ExitEventView, type HandoverChecklistItem, type HandoverView, type Page,
} from '@linggong/domain';
import { HandoverRegistry, ProblemException, TenantDb, applyAccess, asSystem, assertAccess, isoOf, newId, notFound, queryRow, queryRows } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { FactsService, LedgerService } from '@linggong/api-ledger';
import { MarketHandover } from '@linggong/api-markets';
import { OrganisationsService } from '@linggong/api-tenancy';
import { DEFAULT_ALG, canonicalJson, shanghaiDay } from '@linggong/ledger-chain';
import { OVERSIGHT_ACCESS, oversightScope } from './rows';

export interface ExitCaseRow {
  id: string; tenant_id: string; region_code: string; status: ExitCaseView['status']; grounds: ExitCaseView['grounds']; reason: string; answer_days: number;
  answer_due: string | null; answer: string | null; answered_at: Date | null; proposed_by: string; proposed_by_name: string | null; proposed_at: Date;
  decided_by: string | null; decided_by_name: string | null; decided_at: Date | null; decision_note: string | null; exiting_at: Date | null; archived_at: Date | null;
  created_at: Date; operator_name?: string | null;
}
export interface HandoverRow {
  id: string; case_id: string; tenant_id: string; successor_id: string; region_code: string; market_id: string; contract_id: string; status: 'open' | 'completed';
  checklist: HandoverChecklistItem[]; checklist_digest: string; outgoing_signed_by_name: string | null; outgoing_signed_at: Date | null;
  successor_signed_by_name: string | null; successor_signed_at: Date | null; last_seal: HandoverView['lastSeal']; handover_seq: string | null;
  completed_at: Date | null; market_name?: string | null; successor_name?: string | null;
}

/** The rows an UPDATE … RETURNING changed (TypeORM answers an UPDATE with [rows, count]). */
const updated = async (em: EntityManager, sql: string, params: unknown[]): Promise<unknown[]> => ((await em.query(sql, params)) as [unknown[], number])[0];
const fail = (status: number, key: string, field?: string) =>
  field ? new ProblemException(status, 'validation_failed', [{ field, key }]) : new ProblemException(status, key);
const CASE_SELECT = 'SELECT c.*, o.name AS operator_name FROM exit_cases c LEFT JOIN organisations o ON o.id = c.tenant_id';
const HANDOVER_SELECT = `SELECT h.*, m.name AS market_name, s.name AS successor_name FROM market_handovers h
  LEFT JOIN markets m ON m.id = h.market_id LEFT JOIN organisations s ON s.id = h.successor_id`;

/**
 * Exit of a failing operator (退出, issue 16 §4, R-F1) and the handover (移交) of its markets; docs/oversight.md "Exit and
 * handover". The county proposes; the city decides (another person at another level); the operator answers within its
 * working days; the county starts the exit (the tenant becomes 'exiting': no new business, see LedgerService.recordFact),
 * opens one handover per market to a successor under a live contract; both operators sign the checklist; the county
 * completes it (the living rows, the market and its work log pass in one transaction, the log with a `handover` entry
 * citing the outgoing operator's last seal) and archives the case (the tenant becomes read-only for good). Every step
 * locks or conditions on the state it checked: two identical requests at once do the step once (the second gets 409).
 */
@Injectable()
export class ExitService {
  constructor(
    private readonly db: TenantDb, private readonly audit: AuditService, private readonly facts: FactsService, private readonly ledger: LedgerService,
    private readonly handovers: HandoverRegistry, private readonly marketHandover: MarketHandover, private readonly moduleRef: ModuleRef,
  ) {}

  /** Tenancy's organisations service, from the API's module graph (tenancy needs the markets context's port to be built). */
  private get orgs(): OrganisationsService {
    return this.moduleRef.get(OrganisationsService, { strict: false });
  }

  list(actor: Actor, q: z.infer<typeof exitQuerySchema>): Promise<Page<ExitCaseView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('exit_cases', 'c');
      if (!applyAccess(qb, actor, 'read', 'ExitCase', OVERSIGHT_ACCESS('c'))) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      if (q.status) qb.andWhere('c.status = :st', { st: q.status });
      if (q.case) qb.andWhere('c.id = :case', { case: q.case });
      const total = (await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>())?.n ?? 0;
      const ids = (await qb.select('c.id', 'id').orderBy('c.created_at', q.sort === 'createdAt' ? 'ASC' : 'DESC').addOrderBy('c.id', 'ASC')
        .offset((q.page - 1) * q.pageSize).limit(q.pageSize).getRawMany<{ id: string }>()).map((r) => r.id);
      const rows = ids.length ? await queryRows<ExitCaseRow>(em, `${CASE_SELECT} WHERE c.id = ANY($1::uuid[])`, [ids]) : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      return { items: ids.map((id) => caseView(byId.get(id) as ExitCaseRow)), total, page: q.page, pageSize: q.pageSize };
    });
  }

  get(actor: Actor, id: string): Promise<ExitCaseDetailView> {
    return this.db.run(actor, async (em) => this.detail(em, actor, await this.readCase(em, actor, id)));
  }

  propose(actor: Actor, body: z.infer<typeof proposeExitSchema>): Promise<ExitCaseDetailView> {
    return this.db.run(actor, async (em) => {
      const county = actor.regionPrefix ?? '';
      if (actor.orgKind !== 'county' || county.length !== 6) throw fail(403, 'oversight_not_county');
      assertAccess(actor, 'create', 'ExitCase', { regionCode: county });
      const org = await queryRow<{ kind: string; status: string }>(em, 'SELECT kind, status FROM organisations WHERE id = $1', [body.operatorId]);
      if (!org) throw fail(422, 'not_found', 'operatorId');
      if (org.kind !== 'operator') throw fail(422, 'oversight_not_operator', 'operatorId');
      if (org.status !== 'active') throw fail(409, 'exit_case_exists');
      const runsHere = await queryRow(em, 'SELECT 1 FROM markets WHERE tenant_id = $1 AND region_code = $2 LIMIT 1', [body.operatorId, county]);
      if (!runsHere) throw fail(422, 'handover_market', 'operatorId');
      const id = newId();
      const [row] = await em.query(
        `INSERT INTO exit_cases (id, tenant_id, region_code, grounds, reason, answer_days, proposed_by, proposed_by_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (tenant_id) WHERE status IN ('proposed', 'approved', 'exiting') DO NOTHING RETURNING id`,
        [id, body.operatorId, county, body.grounds, body.reason, body.answerDays, actor.userId, actor.username]);
      if (!row) throw fail(409, 'exit_case_exists');
      await this.event(em, actor, { id, tenant_id: body.operatorId, region_code: county }, 'proposed', body.reason);
      await this.audit.record(em, actor, { action: 'exit.propose', subjectType: 'ExitCase', subjectId: id, tenantId: body.operatorId, regionCode: county, summary: { grounds: body.grounds, answerDays: body.answerDays } });
      return this.detail(em, actor, await this.readCase(em, actor, id));
    });
  }

  /** The city decides: another person, at another level (R-F1). Approval notifies the operator and opens its answer window. */
  decide(actor: Actor, id: string, body: z.infer<typeof decideExitSchema>, now = new Date()): Promise<ExitCaseDetailView> {
    return this.db.run(actor, async (em) => {
      const c = await this.readCase(em, actor, id);
      if (c.proposed_by === actor.userId) throw fail(403, 'exit_same_person');
      if (actor.orgKind !== 'city') throw fail(403, 'exit_same_level');
      assertAccess(actor, 'verify', 'ExitCase', oversightScope(c));
      const due = body.decision === 'approved' ? addWorkingDays(shanghaiDay(now), c.answer_days) : null;
      const [done] = await updated(em, 
        `UPDATE exit_cases SET status = $2, decided_by = $3, decided_by_name = $4, decided_at = $5, decision_note = $6, answer_due = $7
         WHERE id = $1 AND status = 'proposed' RETURNING id`, [id, body.decision, actor.userId, actor.username, now, body.note ?? null, due]);
      if (!done) throw fail(409, 'exit_state');
      await this.event(em, actor, c, body.decision, body.note ?? null);
      if (due) await this.event(em, actor, c, 'notified', due);
      await this.audit.record(em, actor, { action: 'exit.decide', subjectType: 'ExitCase', subjectId: id, tenantId: c.tenant_id, regionCode: c.region_code, summary: { decision: body.decision, answerDue: due } });
      return this.detail(em, actor, await this.readCase(em, actor, id));
    });
  }

  /** The operator's answer, once, within its window (working days from the notice). */
  answer(actor: Actor, id: string, body: z.infer<typeof answerExitSchema>, now = new Date()): Promise<ExitCaseDetailView> {
    return this.db.run(actor, async (em) => {
      const c = await this.readCase(em, actor, id);
      assertAccess(actor, 'operate', 'ExitCase', oversightScope(c));
      if (c.status === 'approved' && c.answer_due && shanghaiDay(now) > c.answer_due) throw fail(409, 'exit_answer_closed');
      const [done] = await updated(em, 
        `UPDATE exit_cases SET answer = $2, answered_at = $3 WHERE id = $1 AND status = 'approved' AND answer IS NULL AND answer_due >= $4 RETURNING id`,
        [id, body.text, now, shanghaiDay(now)]);
      if (!done) throw fail(409, 'exit_state');
      await this.event(em, actor, c, 'answered', body.text);
      await this.audit.record(em, actor, { action: 'exit.answer', subjectType: 'ExitCase', subjectId: id, tenantId: c.tenant_id, regionCode: c.region_code, summary: { length: body.text.length } });
      return this.detail(em, actor, await this.readCase(em, actor, id));
    });
  }

  /** The county starts the exit once the operator has answered or its window has passed: the tenant becomes 'exiting'. */
  start(actor: Actor, id: string, now = new Date()): Promise<ExitCaseDetailView> {
    return this.db.run(actor, async (em) => {
      const c = await this.readCase(em, actor, id);
      assertAccess(actor, 'update', 'ExitCase', oversightScope(c));
      if (c.status === 'approved' && !c.answer && c.answer_due && shanghaiDay(now) <= c.answer_due) throw fail(409, 'exit_answer_window');
      const [done] = await updated(em, 
        `UPDATE exit_cases SET status = 'exiting', exiting_at = $2 WHERE id = $1 AND status = 'approved' AND (answer IS NOT NULL OR answer_due < $3) RETURNING id`,
        [id, now, shanghaiDay(now)]);
      if (!done) throw fail(409, 'exit_state');
      await this.orgs.setLifecycle(em, actor, c.tenant_id, 'exiting');
      await this.event(em, actor, c, 'exiting', null);
      await this.audit.record(em, actor, { action: 'exit.start', subjectType: 'ExitCase', subjectId: id, tenantId: c.tenant_id, regionCode: c.region_code, summary: {} });
      return this.detail(em, actor, await this.readCase(em, actor, id));
    });
  }

  /** The county opens a market's handover to a successor holding a live contract in the county that lists the market; the checklist is listed now. */
  openHandover(actor: Actor, id: string, body: z.infer<typeof openHandoverSchema>): Promise<HandoverView> {
    return this.db.run(actor, async (em) => {
      const c = await this.readCase(em, actor, id);
      assertAccess(actor, 'update', 'ExitCase', oversightScope(c));
      if (c.status !== 'exiting') throw fail(409, 'exit_state');
      const m = await queryRow<{ tenant_id: string; region_code: string }>(em, 'SELECT tenant_id, region_code FROM markets WHERE id = $1', [body.marketId]);
      if (!m || m.tenant_id !== c.tenant_id || m.region_code !== c.region_code) throw fail(422, 'handover_market', 'marketId');
      const s = await queryRow<{ kind: string; status: string }>(em, 'SELECT kind, status FROM organisations WHERE id = $1', [body.successorId]);
      if (!s || s.kind !== 'operator' || s.status !== 'active' || body.successorId === c.tenant_id) throw fail(422, 'handover_successor', 'successorId');
      // The successor runs the market under this contract (issue 15 §1, R-A3): live (not superseded, term containing
      // today) and listing the market. Completion checks it again (MarketHandover.assign asks the markets' covers).
      const contract = await queryRow(em,
        `SELECT 1 FROM contracts WHERE id = $1 AND tenant_id = $2 AND region_code = $3 AND superseded_at IS NULL AND term_from <= $4 AND term_to >= $4
           AND $5::uuid = ANY(market_ids)`,
        [body.contractId, body.successorId, c.region_code, shanghaiDay(new Date()), body.marketId]);
      if (!contract) throw fail(422, 'handover_contract', 'contractId');
      const checklist = await asSystem(em, actor, () => this.checklist(em, body.marketId));
      const hid = newId();
      const [row] = await em.query(
        `INSERT INTO market_handovers (id, case_id, tenant_id, successor_id, region_code, market_id, contract_id, checklist, checklist_digest, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (market_id) WHERE status = 'open' DO NOTHING RETURNING id`,
        [hid, id, c.tenant_id, body.successorId, c.region_code, body.marketId, body.contractId, JSON.stringify(checklist), checklistDigest(checklist), actor.userId]);
      if (!row) throw fail(409, 'handover_exists');
      await this.event(em, actor, c, 'handover_opened', body.marketId);
      await this.audit.record(em, actor, { action: 'exit.handover_open', subjectType: 'MarketHandover', subjectId: hid, tenantId: c.tenant_id, regionCode: c.region_code, summary: { marketId: body.marketId, successorId: body.successorId, contractId: body.contractId } });
      return this.handoverView(em, hid);
    });
  }

  /** Handovers the caller reads: an operator's as outgoing or successor (what it has to sign), an authority's region's. */
  listHandovers(actor: Actor, q: { page: number; pageSize: number }): Promise<Page<HandoverView>> {
    return this.db.run(actor, async (em) => {
      const where = actor.orgKind === 'operator' ? '(h.tenant_id = $1 OR h.successor_id = $1)' : actor.orgKind === 'platform' ? 'true' : `h.region_code LIKE $1 || '%'`;
      const param = actor.orgKind === 'operator' ? (actor.tenantId ?? '00000000-0000-0000-0000-000000000000') : actor.orgKind === 'platform' ? null : (actor.regionPrefix ?? '\u0000');
      const params = param === null ? [] : [param];
      const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM market_handovers h WHERE ${where}`, params);
      const rows = await queryRows<HandoverRow>(em, `${HANDOVER_SELECT} WHERE ${where} ORDER BY h.created_at DESC, h.id LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`, params);
      return { items: (await this.withNames(em, actor, rows)).map(handoverView), total: n, page: q.page, pageSize: q.pageSize };
    });
  }

  getHandover(actor: Actor, hid: string): Promise<HandoverView> {
    return this.db.run(actor, async (em) => {
      const h = await this.readHandover(em, actor, hid);
      return this.handoverView(em, h.id, actor);
    });
  }

  /** An admin of the outgoing or the successor operator signs the checklist (its digest) for its side, once. */
  sign(actor: Actor, hid: string, body: z.infer<typeof signHandoverSchema>): Promise<HandoverView> {
    return this.db.run(actor, async (em) => {
      const h = await this.readHandover(em, actor, hid);
      const tenant = body.side === 'outgoing' ? h.tenant_id : h.successor_id;
      if (actor.tenantId !== tenant) throw fail(403, 'handover_side');
      assertAccess(actor, 'operate', 'ExitCase', { tenantId: tenant, regionCode: h.region_code });
      const col = body.side === 'outgoing' ? 'outgoing' : 'successor';
      const [done] = await updated(em, 
        `UPDATE market_handovers SET ${col}_signed_by = $2, ${col}_signed_by_name = $3, ${col}_signed_at = clock_timestamp()
         WHERE id = $1 AND status = 'open' AND ${col}_signed_at IS NULL RETURNING id`, [hid, actor.userId, actor.username]);
      if (!done) throw fail(409, h.status === 'open' ? 'handover_signed' : 'exit_state');
      // The case's timeline is the outgoing operator's and the authorities' (RLS); the successor's signature goes on it too.
      await asSystem(em, actor, () => this.event(em, actor, { id: h.case_id, tenant_id: h.tenant_id, region_code: h.region_code }, `signed_${col}`, h.checklist_digest));
      await this.audit.record(em, actor, { action: 'exit.handover_sign', subjectType: 'MarketHandover', subjectId: hid, tenantId: tenant, regionCode: h.region_code, summary: { side: body.side, checklistDigest: h.checklist_digest } });
      return this.handoverView(em, hid, actor);
    });
  }

  /**
   * The county completes a signed handover, in one transaction: the market's chain must be sealed to its head (the
   * last seal is cited); the living rows of every registered part, and the market, pass to the successor; the outgoing
   * operator's staff are released from the market; the work log continues with a `handover` entry (recorded in the
   * successor's name as tenant, by the county's user).
   */
  completeHandover(actor: Actor, hid: string): Promise<HandoverView> {
    return this.db.run(actor, async (em) => {
      const h = await this.readHandover(em, actor, hid);
      assertAccess(actor, 'update', 'ExitCase', { tenantId: h.tenant_id, regionCode: h.region_code });
      const [locked] = await em.query('SELECT status, outgoing_signed_at, successor_signed_at FROM market_handovers WHERE id = $1 FOR UPDATE', [hid]);
      if (!locked || locked.status !== 'open') throw fail(409, 'exit_state');
      if (!locked.outgoing_signed_at || !locked.successor_signed_at) throw fail(409, 'handover_unsigned');
      const { entry, transferred, lastSeal } = await asSystem(em, actor, async () => {
        const anchor = await this.ledger.handoverAnchor(em, h.market_id);
        if (!anchor.lastSeal || anchor.lastSeal.lastSeq !== anchor.headSeq) throw fail(409, 'handover_unsealed');
        const checklist = await this.checklist(em, h.market_id);
        const moved: Record<string, number> = {};
        for (const part of this.handovers.all()) moved[part.name] = await part.transfer(em, h.market_id, h.tenant_id, h.successor_id);
        await this.marketHandover.assign(em, h.market_id, h.successor_id);
        moved['tenancy.user_markets_released'] = await this.orgs.releaseMarket(em, actor, h.market_id);
        // releaseMarket restores the actor's scope: back to the system scope for the work-log entry.
        return asSystem(em, actor, async () => {
          const e = await this.facts.record(em, actor, {
            kind: 'handover', marketId: h.market_id, subjectType: 'MarketHandover', subjectId: hid,
            payload: {
              handoverId: hid, caseId: h.case_id, fromOperatorId: h.tenant_id, toOperatorId: h.successor_id, contractId: h.contract_id,
              lastSeal: anchor.lastSeal, checklistDigest: h.checklist_digest, counts: Object.fromEntries(checklist.map((i) => [i.item, i.count])),
            },
          });
          return { entry: e, transferred: moved, lastSeal: anchor.lastSeal };
        });
      });
      await em.query(
        `UPDATE market_handovers SET status = 'completed', completed_at = clock_timestamp(), last_seal = $2, handover_seq = $3, transferred = $4 WHERE id = $1`,
        [hid, JSON.stringify(lastSeal), entry.seq, JSON.stringify(transferred)]);
      await this.event(em, actor, { id: h.case_id, tenant_id: h.tenant_id, region_code: h.region_code }, 'handover_completed', `${h.market_id}#${entry.seq}`);
      return this.handoverView(em, hid);
    });
  }

  /** Once every market has passed, the county archives the case: the tenant is read-only for good (its data stays for audit). */
  archive(actor: Actor, id: string): Promise<ExitCaseDetailView> {
    return this.db.run(actor, async (em) => {
      const c = await this.readCase(em, actor, id);
      assertAccess(actor, 'update', 'ExitCase', oversightScope(c));
      const [locked] = await em.query('SELECT status FROM exit_cases WHERE id = $1 FOR UPDATE', [id]);
      if (locked?.status !== 'exiting') throw fail(409, 'exit_state');
      if (await queryRow(em, `SELECT 1 FROM market_handovers WHERE case_id = $1 AND status = 'open'`, [id])) throw fail(409, 'exit_handovers_open');
      const left = await asSystem(em, actor, () => queryRow(em, 'SELECT 1 FROM markets WHERE tenant_id = $1 LIMIT 1', [c.tenant_id]));
      if (left) throw fail(409, 'exit_markets_remaining');
      await em.query(`UPDATE exit_cases SET status = 'archived', archived_at = clock_timestamp() WHERE id = $1`, [id]);
      await this.orgs.setLifecycle(em, actor, c.tenant_id, 'exited');
      await this.event(em, actor, c, 'archived', null);
      await this.audit.record(em, actor, { action: 'exit.archive', subjectType: 'ExitCase', subjectId: id, tenantId: c.tenant_id, regionCode: c.region_code, summary: {} });
      return this.detail(em, actor, await this.readCase(em, actor, id));
    });
  }

  /**
   * The bureau's handover package (issue 16 §4): the market's whole work log as JSONL (header, seals, entries), the
   * authority's receipts, the platform's public key and a manifest with each file's digest and the handover's anchor,
   * which `tools/ledger-verify` checks offline. Authorities only.
   */
  async handoverPackage(actor: Actor, hid: string): Promise<{ manifest: Record<string, unknown>; files: Record<string, string> }> {
    const h = await this.db.run(actor, async (em) => {
      const row = await this.readHandover(em, actor, hid);
      if (!['county', 'city', 'province', 'platform'].includes(actor.orgKind)) throw fail(403, 'forbidden');
      if (row.status !== 'completed') throw fail(409, 'exit_state');
      return row;
    });
    const from = (await this.ledger.firstDay(actor, h.market_id)) ?? shanghaiDay(new Date());
    const to = shanghaiDay(new Date());
    const ledgerJsonl = await this.ledger.exportJsonl(actor, h.market_id, from, to);
    const receipts = await this.ledger.exportReceipts(actor, h.market_id, from, to);
    const key = this.ledger.publicKey();
    const files: Record<string, string> = { 'ledger.jsonl': ledgerJsonl, 'receipts.jsonl': receipts, 'public-key.pem': key.pem };
    const manifest = {
      format: 1, kind: 'linggong.handover-package', handoverId: h.id, caseId: h.case_id, marketId: h.market_id, fromOperatorId: h.tenant_id,
      toOperatorId: h.successor_id, contractId: h.contract_id, from, to, keyId: key.keyId, lastSeal: h.last_seal, handoverSeq: Number(h.handover_seq),
      checklistDigest: h.checklist_digest, alg: DEFAULT_ALG,
      files: Object.fromEntries(Object.entries(files).map(([n, t]) => [n, { bytes: Buffer.byteLength(t), digest: createHash(DEFAULT_ALG).update(t).digest('hex') }])),
      verify: `ledger-verify ledger.jsonl --receipts receipts.jsonl --public-key public-key.pem=${key.keyId}`,
    };
    return { manifest, files };
  }

  // ───────────────────────────── helpers ─────────────────────────────

  private async checklist(em: EntityManager, marketId: string): Promise<HandoverChecklistItem[]> {
    const out: HandoverChecklistItem[] = HANDOVER_ITEMS.map((item) => ({ item, count: 0, ids: [], detail: {} }));
    for (const part of this.handovers.all()) {
      const r = await part.list(em, marketId);
      const it = out.find((i) => i.item === part.item) as HandoverChecklistItem;
      it.ids.push(...r.ids);
      it.count = it.ids.length;
      Object.assign(it.detail as object, r.detail ?? {});
    }
    return out;
  }

  private async readCase(em: EntityManager, actor: Actor, id: string): Promise<ExitCaseRow> {
    const row = await queryRow<ExitCaseRow>(em, `${CASE_SELECT} WHERE c.id = $1`, [id]);
    if (!row) throw notFound();
    assertAccess(actor, 'read', 'ExitCase', oversightScope(row));
    return row;
  }

  /** A handover is read by its case's readers and by its successor (RLS: market_handovers_read). */
  private async readHandover(em: EntityManager, actor: Actor, hid: string): Promise<HandoverRow> {
    const row = await queryRow<HandoverRow>(em, `${HANDOVER_SELECT} WHERE h.id = $1`, [hid]);
    if (!row) throw notFound();
    const asSuccessor = actor.tenantId === row.successor_id;
    assertAccess(actor, 'read', 'ExitCase', { tenantId: asSuccessor ? row.successor_id : row.tenant_id, regionCode: row.region_code });
    return row;
  }

  private async handoverView(em: EntityManager, hid: string, actor?: Actor): Promise<HandoverView> {
    const r = await queryRow<HandoverRow>(em, `${HANDOVER_SELECT} WHERE h.id = $1`, [hid]);
    if (!r) throw notFound();
    return handoverView(actor ? (await this.withNames(em, actor, [r]))[0] : r);
  }

  /** Both sides of a handover know who the other is: the successor's name, read as the system where the caller cannot see it. */
  private async withNames(em: EntityManager, actor: Actor, rows: HandoverRow[]): Promise<HandoverRow[]> {
    const missing = [...new Set(rows.filter((r) => !r.successor_name).map((r) => r.successor_id))];
    if (!missing.length) return rows;
    const names = new Map((await asSystem(em, actor, () => queryRows<{ id: string; name: string }>(em, 'SELECT id, name FROM organisations WHERE id = ANY($1::uuid[])', [missing]))).map((o) => [o.id, o.name]));
    return rows.map((r) => ({ ...r, successor_name: r.successor_name ?? names.get(r.successor_id) ?? null }));
  }

  private async detail(em: EntityManager, actor: Actor, c: ExitCaseRow): Promise<ExitCaseDetailView> {
    const hs = await queryRows<HandoverRow>(em, `${HANDOVER_SELECT} WHERE h.case_id = $1 ORDER BY h.created_at`, [c.id]);
    const ev = await queryRows<{ at: Date; step: string; by_name: string | null; org_kind: string | null; note: string | null }>(em,
      'SELECT at, step, by_name, org_kind, note FROM exit_events WHERE case_id = $1 ORDER BY at, id', [c.id]);
    // The markets still to hand over (the operator's own, in the case's county): read as the system, since the county reads them anyway.
    const markets = await asSystem(em, actor, () => queryRows<{ id: string; name: string }>(em,
      'SELECT id, name FROM markets WHERE tenant_id = $1 AND region_code = $2 ORDER BY name', [c.tenant_id, c.region_code]));
    const timeline: ExitEventView[] = ev.map((e) => ({ at: isoOf(e.at) as string, step: e.step, actorName: e.by_name, orgKind: e.org_kind, note: e.note }));
    return { ...caseView(c), handovers: hs.map(handoverView), timeline, markets };
  }

  private async event(em: EntityManager, actor: Actor, c: { id: string; tenant_id: string; region_code: string }, step: string, note: string | null) {
    await em.query('INSERT INTO exit_events (id, case_id, tenant_id, region_code, step, by_user, by_name, org_kind, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [newId(), c.id, c.tenant_id, c.region_code, step, actor.userId, actor.username, actor.orgKind, note]);
  }
}

/** The SM3 (or SHA-256) digest of a checklist's canonical JSON: what both sides sign. */
export function checklistDigest(list: HandoverChecklistItem[]): string {
  return createHash(DEFAULT_ALG).update(canonicalJson(list)).digest('hex');
}

function caseView(r: ExitCaseRow): ExitCaseView {
  return {
    id: r.id, tenantId: r.tenant_id, operatorName: r.operator_name ?? null, regionCode: r.region_code, status: r.status, grounds: r.grounds, reason: r.reason,
    answerDays: r.answer_days, answerDue: r.answer_due, answer: r.answer, proposedBy: r.proposed_by_name ?? r.proposed_by, proposedAt: isoOf(r.proposed_at) as string,
    decidedBy: r.decided_by_name, decidedAt: isoOf(r.decided_at), decisionNote: r.decision_note, exitingAt: isoOf(r.exiting_at), archivedAt: isoOf(r.archived_at),
    createdAt: isoOf(r.created_at) as string,
  };
}

function handoverView(r: HandoverRow): HandoverView {
  return {
    id: r.id, caseId: r.case_id, marketId: r.market_id, marketName: r.market_name ?? null, regionCode: r.region_code, fromTenantId: r.tenant_id,
    toTenantId: r.successor_id, toName: r.successor_name ?? null, contractId: r.contract_id, status: r.status, checklist: r.checklist, checklistDigest: r.checklist_digest,
    outgoingSignedBy: r.outgoing_signed_by_name, outgoingSignedAt: isoOf(r.outgoing_signed_at), successorSignedBy: r.successor_signed_by_name,
    successorSignedAt: isoOf(r.successor_signed_at), lastSeal: r.last_seal, handoverSeq: r.handover_seq === null ? null : Number(r.handover_seq), completedAt: isoOf(r.completed_at),
  };
}
