import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import {
  LEDGER_CODE_RE, NEW_BUSINESS_KINDS, SYSTEM_ACTOR, applyCorrections, asSubject, correctionPayloadSchema, factAction, isEarlyClose, marketHours, type OpenWork, type Action, type Actor, type ClosePreview, type CorrectionInput, type LedgerDayView, type LedgerEntryView,
  type LedgerKind, type ManualEntryInput, type Page, type SealView, type VerificationView,
} from '@linggong/domain';
import {
  APP_CONFIG, DEV_LEDGER_SEED, ProblemException, TenantDb, ValidationProblem, abilityOf, afterCommit, applyAccess, containsPattern, isoOf, newId, notFound, queryRows, type AppConfig,
} from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { MarketDirectoryService, type MarketScope } from '@linggong/api-markets';
import { AttachmentsService } from './attachments.service';
import type { Fact } from './facts.service';
import {
  DEFAULT_ALG, GENESIS, LedgerVerifier, ed25519FromSeed, entryHash, merkleRoot, publicKeyFromPem, sealDigest, shanghaiDay,
  signDigest, type LedgerEntry, type LedgerReceipt, type LedgerSeal, type VerifyReport,
} from '@linggong/ledger-chain';
import { LEDGER_ACCESS, type LedgerVerificationRow, type LedgerAlertRow, type LedgerEntryRow, type LedgerReceiptRow, type LedgerSealRow, type SealListRow } from './rows';

/** What another context appends, inside its own transaction (`ledger.append(em, actor, entry)`). */
export interface AppendInput {
  marketId: string;
  kind: LedgerKind;
  occurredAt?: Date;
  subjectType?: string | null;
  subjectId?: string | null;
  payload: Record<string, unknown>;
  corrects?: number | null;
  reason?: string | null;
  attachments?: string[];
}

/** One market's day as the analytics rollup reads it (`dayForRollup`). */
export interface RollupDay {
  marketId: string; businessDay: string; sealed: boolean; late: boolean; alerts: number;
  /** When the day was sealed (null: not sealed). */
  sealedAt?: string | null;
  /** The highest seq of a correction into this day's entries (0: none); a new one means a re-roll. */
  correctionSeq: number;
  entries: { seq: number; kind: string; subjectType: string | null; subjectId: string | null; payload: Record<string, unknown>; businessDay?: string }[];
}

/** An int8 column (text from the driver) as a number; null stays null. */
const int8 = (v: string | number | null) => (v == null ? null : Number(v));

export function rowToEntry(r: LedgerEntryRow): LedgerEntry {
  return {
    marketId: r.market_id, seq: Number(r.seq), kind: r.kind,
    occurredAt: isoOf(r.occurred_at), recordedAt: isoOf(r.recorded_at),
    businessDay: r.business_day,
    actorUserId: r.actor_user_id ?? null, subjectType: r.subject_type ?? null,
    subjectId: r.subject_id ?? null, payload: r.payload,
    corrects: int8(r.corrects), reason: r.reason ?? null,
    attachments: r.attachments ?? [], prevHash: r.prev_hash, hash: r.hash,
    alg: r.alg,
  };
}

export function rowToSeal(r: LedgerSealRow): LedgerSeal {
  return {
    marketId: r.market_id, businessDay: r.business_day, count: Number(r.count),
    firstSeq: int8(r.first_seq), lastSeq: int8(r.last_seq),
    lastHash: r.last_hash, merkleRoot: r.merkle_root, closedAt: isoOf(r.closed_at),
    late: Boolean(r.late), alg: r.alg, keyId: r.key_id, digest: r.digest,
    signature: r.signature,
    // Only where set, so a first seal reads (and exports) exactly as before issue 17.
    ...(r.part ? { part: Number(r.part) } : {}), ...(r.reason ? { reason: r.reason } : {}),
  };
}

/** A receipt row as the verifier reads it; `part` only where it is not 0 (so older receipts export as before). */
export function rowToReceipt(r: LedgerReceiptRow): LedgerReceipt {
  return { marketId: r.market_id, businessDay: r.business_day, sealDigest: r.seal_digest, receivedAt: isoOf(r.received_at), ...(r.part ? { part: Number(r.part) } : {}) };
}

const ENTRY_COLUMNS = `market_id, seq, id, kind, occurred_at, recorded_at, business_day,
  actor_user_id, subject_type, subject_id, payload, corrects, reason, attachments, prev_hash, hash, alg`;
const SEAL_COLUMNS = `market_id, business_day, count, first_seq, last_seq, last_hash,
  merkle_root, closed_at, closed_by, late, alg, key_id, digest, signature, part, reason`;

/**
 * The work-log ledger (R-C1; issue 3): append inside the caller's transaction, serialised per market
 * by a row lock on the market's head (different markets append in parallel), daily close with a
 * signed seal and the authority's receipt, verification and export.
 */
/** An entry's corrections as a column ([seq, payload] by seq, null for none): the partial index on (market, corrects). */
const CORRECTIONS_OF = (e: string) =>
  `(SELECT jsonb_agg(jsonb_build_array(c.seq, c.payload) ORDER BY c.seq) FROM ledger_entries c WHERE c.market_id = ${e}.market_id AND c.corrects = ${e}.seq)`;
/** The corrections of rows read with CORRECTIONS_OF (seq, the entry it corrects, payload), by seq. */
function correctionsIn(rows: { seq: string | number; corrections: [number, Record<string, unknown>][] | null }[]): { seq: number; corrects: number; payload: Record<string, unknown> }[] {
  return rows.flatMap((r) => (r.corrections ?? []).map(([seq, payload]) => ({ seq: Number(seq), corrects: Number(r.seq), payload })))
    .sort((a, b) => a.seq - b.seq);
}

@Injectable()
export class LedgerService implements OnModuleInit {
  readonly keyId: string;
  private readonly privateKey: KeyObject;
  readonly publicPem: string;
  /** Called after a close or a correction has committed, with the sealed days whose figures may have changed. */
  private readonly sealListeners: ((marketId: string, days: string[], cause: string) => void | Promise<void>)[] = [];
  /** Names for ids in payloads (`workerId`, `employerId`, `postId`…), registered by the contexts that own them (issue 17 §4). */
  private readonly nameResolvers: { field: string; codes: boolean; resolve: (em: EntityManager, actor: Actor, ids: string[]) => Promise<Map<string, string>> }[] = [];
  private readonly openWorkProviders: ((em: EntityManager, marketId: string, day: string) => Promise<Partial<OpenWork>>)[] = [];

  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    private readonly markets: MarketDirectoryService,
    private readonly attachmentStore: AttachmentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const key = ed25519FromSeed(config.LEDGER_SIGNING_SEED ?? DEV_LEDGER_SEED);
    this.privateKey = key.privateKey;
    this.publicPem = key.publicPem;
    this.keyId = config.LEDGER_KEY_ID;
  }

  onModuleInit(): void {
    if (!this.config.LEDGER_SIGNING_SEED && this.config.NODE_ENV !== 'test') {
      console.warn('[ledger] signing seals with the published development key (set LEDGER_SIGNING_SEED)');
    }
  }

  /**
   * Subscribe to "these sealed days of this market changed" (a close sealed them: cause `seal`; or a
   * correction now points into them: cause `correction-<its seq>`). Listeners run after the commit; a failing listener is logged, never undoes the
   * close (the analytics catch-up re-reads what a lost notification missed).
   */
  onSealedDaysChanged(listener: (marketId: string, days: string[], cause: string) => void | Promise<void>): void {
    this.sealListeners.push(listener);
  }

  /**
   * Tell the listeners without waiting for them: a close or a correction has committed and answers at
   * once, even while Redis is unreachable (an enqueue would wait for it), and the overdue-close job goes
   * on to the next market. A lost notification is found by the analytics catch-up.
   */
  private notifySealed(marketId: string, days: string[], cause: string): void {
    if (!days.length) return;
    for (const l of this.sealListeners) {
      void Promise.resolve().then(() => l(marketId, days, cause)).catch((e) => console.warn('[ledger] seal listener failed', (e as Error).message));
    }
  }

  /** Public keys for verification: the configured one and any published earlier (ledger_keys). */
  async publicKeys(em: EntityManager): Promise<Record<string, KeyObject>> {
    const rows: { key_id: string; public_key_pem: string }[] = await em.query('SELECT key_id, public_key_pem FROM ledger_keys');
    const keys: Record<string, KeyObject> = {};
    for (const r of rows) keys[r.key_id] = publicKeyFromPem(r.public_key_pem);
    keys[this.keyId] = publicKeyFromPem(this.publicPem);
    return keys;
  }

  /** Load a visible market and check the actor may do `action` on its ledger: 404 if unseen, 403 if not allowed. */
  async requireMarket(em: EntityManager, actor: Actor, action: Action, marketId: string): Promise<MarketScope> {
    const m = await this.markets.scopeOf(em, marketId);
    if (!m) throw notFound();
    const subject = asSubject('Ledger', { marketId: m.id, tenantId: m.tenantId, regionCode: m.regionCode });
    if (!abilityOf(actor).can('read', subject)) throw notFound();
    if (!abilityOf(actor).can(action, subject)) throw new ProblemException(403, actor.readOnly ? 'read_only_tenant' : 'forbidden');
    return m;
  }

  /**
   * Append one entry in the caller's transaction, so the business change and its entry commit or fail
   * together. The head row lock serialises appends to one market: no forks, no gaps.
   */
  async append(em: EntityManager, actor: Actor, input: AppendInput): Promise<LedgerEntry & { id: string }> {
    const market = await this.markets.scopeOf(em, input.marketId);
    if (!market) throw notFound();
    return this.appendTo(em, actor, market, input);
  }

  /**
   * One business fact in the caller's transaction: its audit event and its work-log entry, under one
   * name (`FactsService.record` for other contexts; docs/glossary.md "Business facts"). The audit
   * event goes first, because the append locks the market's head until commit; a summary that needs
   * the entry (its seq) is written after it.
   */
  async recordFact(em: EntityManager, actor: Actor, market: MarketScope, fact: Fact): Promise<LedgerEntry & { id: string }> {
    // An exiting operator takes no new business (issue 16 §4, R-F1): every context's new business is a fact, so it is
    // refused here, once for all of them (public pages included); the change it came with rolls back with it.
    if (market.operatorStatus === 'exiting' && NEW_BUSINESS_KINDS.includes(fact.kind)) throw new ProblemException(409, 'tenant_exiting');
    const audit = (summary: Record<string, unknown>) => this.audit.record(em, actor, {
      action: factAction(fact.kind, fact.step), subjectType: fact.subjectType, subjectId: fact.subjectId,
      tenantId: market.tenantId, regionCode: market.regionCode, summary,
    });
    if (typeof fact.summary !== 'function') await audit(fact.summary ?? fact.payload);
    const entry = await this.appendTo(em, actor, market, {
      marketId: fact.marketId, kind: fact.kind, subjectType: fact.subjectType, subjectId: fact.subjectId, payload: fact.payload,
      occurredAt: fact.occurredAt, attachments: fact.attachments, corrects: fact.corrects, reason: fact.reason,
    });
    if (typeof fact.summary === 'function') await audit(fact.summary(entry));
    return entry;
  }

  /** `append` for a caller that has already read the market's scope. */
  async appendTo(em: EntityManager, actor: Actor, market: MarketScope, input: AppendInput): Promise<LedgerEntry & { id: string }> {
    // Whatever cites attachments (manual entries, employer evidence, complaint records) cites its own
    // tenant's: checked here, before the head is locked, for every context (issue 12, finding 2).
    await this.attachmentStore.requireOwned(em, market.tenantId, input.attachments ?? []);
    // From here to commit the market's head is locked: keep it to two statements.
    // The last entry's day comes along in the same statement: see the business day below.
    const lockHead = () => em.query(
      `SELECT h.last_seq, h.last_hash, clock_timestamp() AS now,
              (SELECT e.business_day FROM ledger_entries e WHERE e.market_id = h.market_id AND e.seq = h.last_seq) AS last_day
       FROM ledger_heads h WHERE h.market_id = $1 FOR UPDATE OF h`,
      [input.marketId],
    );
    let [head] = await lockHead();
    if (!head) {
      // First entry of this market: create its head (a racing first append waits on the conflict).
      await em.query('INSERT INTO ledger_heads (market_id, last_seq, last_hash) VALUES ($1, 0, $2) ON CONFLICT (market_id) DO NOTHING', [input.marketId, GENESIS]);
      [head] = await lockHead();
    }
    if (!head) throw notFound();
    const now = new Date(head.now);
    const today = shanghaiDay(now);
    // The business day is the Shanghai date of recording, sealed or not (issue 17 §1): an entry after a
    // close of today stays on today and goes into a supplementary seal. Before issue 17 such entries went
    // to the next open day; a chain whose last entry was put on a later day that way continues there, so
    // business days never go backwards in a chain.
    const lastDay: string | null = head.last_day ?? null;
    const businessDay = lastDay && lastDay > today ? lastDay : today;
    const entry: Omit<LedgerEntry, 'hash'> = {
      marketId: input.marketId, seq: Number(head.last_seq) + 1, kind: input.kind,
      occurredAt: (input.occurredAt ?? now).toISOString(), recordedAt: now.toISOString(),
      businessDay, actorUserId: actor.userId || null,
      subjectType: input.subjectType ?? null, subjectId: input.subjectId ?? null, payload: input.payload,
      corrects: input.corrects ?? null, reason: input.reason ?? null, attachments: input.attachments ?? [],
      prevHash: head.last_hash, alg: DEFAULT_ALG,
    };
    const full: LedgerEntry = { ...entry, hash: entryHash(entry) };
    const id = newId();
    // The entry and the head move together in one statement.
    await em.query(
      `WITH e AS (
         INSERT INTO ledger_entries (market_id, seq, id, tenant_id, region_code, kind, occurred_at, recorded_at, business_day,
           actor_user_id, subject_type, subject_id, payload, corrects, reason, attachments, prev_hash, hash, alg, actor_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
         RETURNING market_id, seq, hash)
       UPDATE ledger_heads h SET last_seq = e.seq, last_hash = e.hash FROM e WHERE h.market_id = e.market_id`,
      [full.marketId, full.seq, id, market.tenantId, market.regionCode, full.kind, full.occurredAt, full.recordedAt,
        full.businessDay, full.actorUserId, full.subjectType, full.subjectId, JSON.stringify(full.payload), full.corrects,
        full.reason, full.attachments, full.prevHash, full.hash, full.alg, actor.username || null],
    );
    return { ...full, id };
  }

  appendManual(actor: Actor, marketId: string, input: ManualEntryInput): Promise<LedgerEntryView> {
    return this.db.run(actor, async (em) => {
      const m = await this.requireMarket(em, actor, 'create', marketId);
      await this.requirePlausibleTime(em, m, input.occurredAt);
      const { kind, occurredAt, attachments, ...payload } = input;
      return this.freshView(await this.recordFact(em, actor, m, { marketId, kind, occurredAt: new Date(occurredAt), payload, attachments, subjectType: 'Market', subjectId: marketId, summary: { kind, title: input.title } }), actor);
    });
  }

  /**
   * When a manual entry happened must be plausible (issue 17 §3): late recording is allowed (and shown),
   * but not the future (a typing mistake; 5 minutes of clock skew allowed) and not before the market
   * existed — its registration, or its first work-log entry if that is earlier (history brought in).
   */
  private async requirePlausibleTime(em: EntityManager, m: MarketScope, occurredAt: string): Promise<void> {
    const at = Date.parse(occurredAt);
    if (at > Date.now() + 5 * 60_000) throw new ProblemException(422, 'validation_failed', [{ field: 'occurredAt', key: 'ledger_future_time' }]);
    const [first] = await em.query<{ occurred_at: Date }[]>('SELECT occurred_at FROM ledger_entries WHERE market_id = $1 ORDER BY seq LIMIT 1', [m.id]);
    const since = Math.min(m.createdAt ? Date.parse(m.createdAt) : Date.now(), first ? new Date(first.occurred_at).getTime() : Date.now());
    // By Shanghai day: anything on the day the market was registered is fine.
    if (shanghaiDay(new Date(at)) < shanghaiDay(new Date(since))) {
      throw new ProblemException(422, 'validation_failed', [{ field: 'occurredAt', key: 'ledger_before_market' }], undefined, { earliest: shanghaiDay(new Date(since)) });
    }
  }

  /** A correction is a new entry pointing at the corrected one, with a reason; nothing is rewritten. */
  correct(actor: Actor, marketId: string, seq: number, input: CorrectionInput): Promise<LedgerEntryView> {
    return this.db.run(actor, async (em) => {
      const m = await this.requireMarket(em, actor, 'create', marketId);
      const [target] = await em.query<{ seq: string; kind: string; day: string }[]>(`SELECT seq, kind, business_day AS day FROM ledger_entries WHERE market_id = $1 AND seq = $2`, [marketId, seq]);
      if (!target) throw notFound();
      if (target.kind === 'correction') throw new ProblemException(422, 'validation_failed', [{ field: 'seq', key: 'ledger_correct_correction' }]);
      const payload = correctionPayload(target.kind, input);
      const e = await this.recordFact(em, actor, m, {
        marketId, kind: 'correction', payload, corrects: seq, reason: input.reason, subjectType: 'LedgerEntry', subjectId: String(seq),
        summary: (entry) => ({ seq: entry.seq, corrects: seq, reason: input.reason }),
      });
      // A correction of an entry on a sealed day re-rolls that day's figures (issue 13 §2).
      afterCommit(em, () => this.notifySealed(marketId, [target.day], `correction-${e.seq}`));
      return (await this.views(em, [e], actor))[0];
    });
  }

  marketName(actor: Actor, marketId: string): Promise<string> {
    return this.db.run(actor, async (em) => (await this.requireMarket(em, actor, 'read', marketId)).name);
  }

  /**
   * The users whose name holds `text`, for the search by recorder: read as the platform, as their names are for an
   * authority (`views`); the entries query keeps the caller's market scope.
   */
  private async usersNamed(text: string): Promise<string[]> {
    const rows: { id: string }[] = await this.db.run(SYSTEM_ACTOR, (sys) => sys.query('SELECT id FROM users WHERE display_name ILIKE $1', [containsPattern(text)]));
    return rows.map((r) => r.id);
  }

  /**
   * A market's entries, newest first, filtered by days and kind; the search (`q`, `qCodes`, `qKinds`) matches an entry
   * whose fields, correction reason or recorder (name or username) hold the text, whose field holds one of the codes
   * (anywhere in its payload, in a list too; a qualified `third_party:x` by its first part), or whose kind is one of
   * the kinds (docs/ledger.md "Searching").
   */
  listEntries(actor: Actor, marketId: string, q: { from?: string; to?: string; kind?: string; q?: string; qCodes?: string[]; qKinds?: string[]; page: number; pageSize: number }): Promise<Page<LedgerEntryView>> {
    return this.db.run(actor, async (em) => {
      await this.requireMarket(em, actor, 'read', marketId);
      const where = ['market_id = $1'];
      const params: unknown[] = [marketId];
      if (q.from) { params.push(q.from); where.push(`business_day >= $${params.length}`); }
      if (q.to) { params.push(q.to); where.push(`business_day <= $${params.length}`); }
      if (q.kind) { params.push(q.kind); where.push(`kind = $${params.length}`); }
      const search: string[] = [];
      if (q.q) {
        params.push(containsPattern(q.q));
        const text = `$${params.length}`;
        search.push(`payload::text ILIKE ${text}`, `reason ILIKE ${text}`, `actor_name ILIKE ${text}`);
        const recorders = await this.usersNamed(q.q);
        if (recorders.length) { params.push(recorders); search.push(`actor_user_id = ANY($${params.length}::uuid[])`); }
      }
      // Only letters, digits and `_` go into the path's regex (the query schema refuses anything else already).
      const codes = (q.qCodes ?? []).filter((c) => LEDGER_CODE_RE.test(c));
      if (codes.length) { params.push(`lax $.** ? (@ like_regex "^(${codes.join('|')})(:|$)")`); search.push(`jsonb_path_exists(payload, $${params.length}::jsonpath)`); }
      if (q.qKinds?.length) { params.push(q.qKinds); search.push(`kind = ANY($${params.length}::text[])`); }
      if (search.length) where.push(`(${search.join(' OR ')})`);
      const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM ledger_entries WHERE ${where.join(' AND ')}`, params);
      const rows = await queryRows<LedgerEntryRow>(em,
        `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`, params);
      return { items: await this.views(em, rows.map(rowToEntry), actor), total: n, page: q.page, pageSize: q.pageSize };
    });
  }

  listDays(actor: Actor, marketId: string, from: string, to: string): Promise<LedgerDayView[]> {
    return this.db.run(actor, async (em) => {
      await this.requireMarket(em, actor, 'read', marketId);
      const counts: { day: string; kind: string; n: number; first: string; last: string }[] = await em.query(
        `SELECT business_day AS day, kind, count(*)::int AS n, min(seq) AS first, max(seq) AS last
         FROM ledger_entries WHERE market_id = $1 AND business_day BETWEEN $2 AND $3 GROUP BY 1, 2`, [marketId, from, to]);
      const seals = await queryRows<LedgerSealRow>(em, `SELECT ${SEAL_COLUMNS} FROM ledger_seals WHERE market_id = $1 AND business_day BETWEEN $2 AND $3`, [marketId, from, to]);
      const alerts: { day: string; detail: string }[] = await em.query(
        `SELECT business_day AS day, detail FROM ledger_alerts WHERE market_id = $1 AND business_day BETWEEN $2 AND $3`, [marketId, from, to]);
      const report = await this.verifyIn(em, marketId, from, to);
      const days = new Map<string, LedgerDayView>();
      const day = (d: string) => {
        let v = days.get(d);
        if (!v) days.set(d, (v = { businessDay: d, count: 0, byKind: {}, firstSeq: null, lastSeq: null, sealed: false, late: false, closedAt: null, closedBy: null, closedByName: null, verification: 'unsealed', problem: null }));
        return v;
      };
      for (const c of counts) {
        const v = day(c.day);
        v.count += c.n;
        v.byKind[c.kind] = c.n;
        v.firstSeq = v.firstSeq === null ? Number(c.first) : Math.min(v.firstSeq, Number(c.first));
        v.lastSeq = v.lastSeq === null ? Number(c.last) : Math.max(v.lastSeq, Number(c.last));
      }
      // A day may have supplementary seals (issue 17 §1): the first one says when and by whom it was closed.
      for (const s of [...seals].sort((a, b) => Number(a.part ?? 0) - Number(b.part ?? 0))) {
        const v = day(s.business_day);
        if (!s.part) {
          v.late = s.late;
          v.closedAt = isoOf(s.closed_at);
          v.closedBy = s.closed_by ?? null;
          v.earlyReason = s.reason ?? null;
        } else v.supplements = (v.supplements ?? 0) + 1;
        v.sealed = true;
        v.verification = 'verified';
      }
      const tails: { day: string; n: number }[] = await em.query(
        `SELECT business_day AS day, count(*)::int AS n FROM ledger_entries e
         WHERE e.market_id = $1 AND e.business_day BETWEEN $2 AND $3 AND e.seq > COALESCE((SELECT max(s.last_seq) FROM ledger_seals s WHERE s.market_id = $1), 0)
           AND EXISTS (SELECT 1 FROM ledger_seals s WHERE s.market_id = $1 AND s.business_day = e.business_day) GROUP BY 1`, [marketId, from, to]);
      for (const t of tails) day(t.day).unsealedTail = t.n;
      for (const p of report.problems) {
        const v = p.businessDay ? days.get(p.businessDay) : undefined;
        if (v) {
          v.verification = 'broken';
          v.problem ??= `#${p.seq ?? '-'} ${p.detail}`;
        }
      }
      for (const a of alerts) {
        const v = days.get(a.day);
        if (v) { v.verification = 'broken'; v.problem ??= a.detail; }
      }
      const closers = [...new Set([...days.values()].map((d) => d.closedBy).filter((x): x is string => Boolean(x)))];
      const names: { id: string; display_name: string }[] = closers.length ? await em.query('SELECT id, display_name FROM users WHERE id = ANY($1::uuid[])', [closers]) : [];
      for (const v of days.values()) v.closedByName = names.find((n) => n.id === v.closedBy)?.display_name ?? null;
      return [...days.values()].sort((a, b) => b.businessDay.localeCompare(a.businessDay));
    });
  }

  closePreview(actor: Actor, marketId: string, day: string): Promise<ClosePreview> {
    return this.db.run(actor, async (em) => {
      await this.requireMarket(em, actor, 'close', marketId);
      const [head] = await em.query<{ s: string | null; sealed_seq: string | null; now: Date }[]>(
        `SELECT sealed_through AS s, (SELECT max(s.last_seq) FROM ledger_seals s WHERE s.market_id = h.market_id) AS sealed_seq, clock_timestamp() AS now FROM ledger_heads h WHERE market_id = $1`, [marketId]);
      const now = head ? new Date(head.now) : new Date();
      const { closesAt } = marketHours((await this.markets.publicProfile(em, marketId))?.openingHours);
      const openWork: OpenWork = { unsettledHires: 0, unconfirmedPlacements: 0, toolsOut: 0 };
      for (const p of this.openWorkProviders) Object.assign(openWork, await p(em, marketId, day));
      return {
        marketId, days: await this.pendingSegments(em, marketId, day, head?.s ?? null, int8(head?.sealed_seq ?? null)),
        early: isEarlyClose(day, now, closesAt), closesAt, openWork,
      };
    });
  }

  /**
   * Work still open at a market when a day is closed (issue 17 §1), counted by the contexts that own it
   * (jobs: hires not settled, placements not confirmed; tools: tools out), registered at their start:
   * the ledger reads no other context's tables for it.
   */
  registerOpenWork(provider: (em: EntityManager, marketId: string, day: string) => Promise<Partial<OpenWork>>): void {
    this.openWorkProviders.push(provider);
  }

  /**
   * Names for the ids of one payload field, from the context that owns them (registry: workers and
   * employers; jobs: posts), read in the caller's transaction and masked where the caller may not read
   * the person (issue 17 §4). The work log itself keeps ids only. With `codes`, the field holds codes of
   * the owner's catalogue instead of ids, one or a list (jobs: the prohibited work a refusal cites).
   */
  registerNames(field: string, resolve: (em: EntityManager, actor: Actor, ids: string[]) => Promise<Map<string, string>>, opts: { codes?: boolean } = {}): void {
    this.nameResolvers.push({ field, codes: !!opts.codes, resolve });
  }

  /**
   * What a close through `day` seals, in order: each day (or the rest of a day) with entries not yet
   * sealed — those after the last sealed seq — up to `day`, as the next part of its day (0 if the day
   * has no seal yet, else a supplementary seal); plus `day` itself, empty, if it has no seal at all.
   */
  private async pendingSegments(em: EntityManager, marketId: string, day: string, sealedThrough: string | null, sealedSeq: number | null) {
    const rows: { day: string; n: number; first: string | null; last: string | null; part: number | null }[] = await em.query(
      `SELECT e.business_day AS day, count(*)::int AS n, min(e.seq) AS first, max(e.seq) AS last,
              (SELECT max(s.part) FROM ledger_seals s WHERE s.market_id = $1 AND s.business_day = e.business_day) AS part
       FROM ledger_entries e WHERE e.market_id = $1 AND e.seq > $3 AND e.business_day <= $2 GROUP BY 1 ORDER BY 1`,
      [marketId, day, sealedSeq ?? 0]);
    const days = rows.map((r) => ({
      businessDay: r.day, count: r.n, firstSeq: r.first === null ? null : Number(r.first), lastSeq: r.last === null ? null : Number(r.last),
      part: r.part === null ? 0 : Number(r.part) + 1,
    }));
    if (!days.some((d) => d.businessDay === day) && (!sealedThrough || day > sealedThrough)) {
      days.push({ businessDay: day, count: 0, firstSeq: null, lastSeq: null, part: 0 });
    }
    return days;
  }

  /**
   * 日结: seal every unsealed day (and the unsealed rest of a day already sealed) up to `day`, each signed,
   * each with its receipt. Closing today before the market's closing time needs a reason (issue 17 §1).
   */
  async closeDay(actor: Actor, marketId: string, day: string, opts: { late?: boolean; system?: boolean; reason?: string } = {}): Promise<LedgerDayView[]> {
    const sealed = await this.sealDays(actor, marketId, day, opts);
    // One rollup per day and part: a supplementary seal re-rolls its day under its own job id (analytics).
    this.notifySealed(marketId, sealed.filter((d) => !d.part).map((d) => d.businessDay), 'seal');
    for (const d of sealed.filter((x) => x.part)) this.notifySealed(marketId, [d.businessDay], `seal-${d.part}`);
    return sealed;
  }

  private sealDays(actor: Actor, marketId: string, day: string, opts: { late?: boolean; system?: boolean; reason?: string }): Promise<(LedgerDayView & { part: number })[]> {
    return this.db.run(actor, async (em) => {
      const m = opts.system
        ? await this.markets.scopeOf(em, marketId)
        : await this.requireMarket(em, actor, 'close', marketId);
      if (!m) throw notFound();
      await em.query(`INSERT INTO ledger_heads (market_id, last_seq, last_hash) VALUES ($1, 0, $2) ON CONFLICT (market_id) DO NOTHING`, [marketId, GENESIS]);
      const [locked] = await em.query<{ s: string | null; last_hash: string; now: Date }[]>(
        `SELECT sealed_through AS s, last_hash, clock_timestamp() AS now FROM ledger_heads h WHERE market_id = $1 FOR UPDATE OF h`, [marketId]);
      // What is sealed is read after the lock, in a statement of its own: a subquery of the locking statement
      // would see the snapshot taken before the wait, so two closes at the same instant would both seal (issue 12).
      const [{ sealed_seq }] = await em.query<{ sealed_seq: string | null }[]>(
        'SELECT max(last_seq) AS sealed_seq FROM ledger_seals WHERE market_id = $1', [marketId]);
      const head = { ...locked, sealed_seq };
      const now = new Date(head.now);
      const today = shanghaiDay(now);
      if (day > today) throw new ProblemException(422, 'validation_failed', [{ field: 'day', key: 'ledger_future_day' }]);
      const days = await this.pendingSegments(em, marketId, day, head.s, int8(head.sealed_seq));
      if (!days.length) throw new ProblemException(409, 'ledger_already_closed');
      const { closesAt } = marketHours((await this.markets.publicProfile(em, marketId))?.openingHours);
      const early = !opts.system && isEarlyClose(day, now, closesAt);
      if (early && !opts.reason) {
        throw new ProblemException(422, 'validation_failed', [{ field: 'reason', key: 'ledger_close_reason_required' }], undefined, { closesAt });
      }
      const reason = early ? opts.reason ?? null : null;
      const out: (LedgerDayView & { part: number })[] = [];
      let sealedSeq = int8(head.sealed_seq);
      for (const d of days) {
        const hashes: string[] = (await em.query('SELECT hash FROM ledger_entries WHERE market_id = $1 AND business_day = $2 AND seq > $3 ORDER BY seq',
          [marketId, d.businessDay, sealedSeq ?? 0])).map((r: { hash: string }) => r.hash);
        const [prev] = hashes.length ? [{ hash: hashes[hashes.length - 1] }]
          : await em.query('SELECT hash FROM ledger_entries WHERE market_id = $1 AND business_day < $2 ORDER BY seq DESC LIMIT 1', [marketId, d.businessDay]);
        const base = {
          marketId, businessDay: d.businessDay, count: hashes.length, firstSeq: d.firstSeq, lastSeq: d.lastSeq,
          lastHash: prev?.hash ?? GENESIS, merkleRoot: merkleRoot(DEFAULT_ALG, hashes), closedAt: now.toISOString(),
          late: Boolean(opts.late), alg: DEFAULT_ALG, keyId: this.keyId, part: d.part, reason: d.businessDay === day ? reason : null,
        };
        const digest = sealDigest(base);
        const seal: LedgerSeal = { ...base, digest, signature: signDigest(this.privateKey, digest) };
        await em.query(
          `INSERT INTO ledger_seals (market_id, business_day, part, tenant_id, region_code, count, first_seq, last_seq, last_hash, merkle_root,
             closed_at, closed_by, late, alg, key_id, digest, signature, reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
          [marketId, seal.businessDay, d.part, m.tenantId, m.regionCode, seal.count, seal.firstSeq, seal.lastSeq, seal.lastHash, seal.merkleRoot,
            seal.closedAt, opts.system ? null : actor.userId, seal.late, seal.alg, seal.keyId, seal.digest, seal.signature, base.reason],
        );
        // The authority's receipt: a copy of the digest in a table the app role cannot write.
        await em.query('SELECT ledger_record_receipt($1, $2, $3::smallint)', [marketId, seal.businessDay, d.part]);
        if (seal.lastSeq !== null) sealedSeq = Math.max(sealedSeq ?? 0, seal.lastSeq);
        out.push({
          businessDay: seal.businessDay, count: seal.count, byKind: {}, firstSeq: seal.firstSeq, lastSeq: seal.lastSeq, sealed: true,
          late: seal.late, closedAt: seal.closedAt, closedBy: opts.system ? null : actor.userId,
          closedByName: opts.system ? null : actor.username, verification: 'verified', problem: null, part: d.part, earlyReason: base.reason,
        });
      }
      await em.query('UPDATE ledger_heads SET sealed_through = GREATEST(sealed_through, $2::date) WHERE market_id = $1', [marketId, day]);
      await this.audit.record(em, opts.system ? null : actor, {
        action: opts.late ? 'ledger.close_late' : 'ledger.close', subjectType: 'Market', subjectId: marketId, tenantId: m.tenantId,
        regionCode: m.regionCode, summary: { through: day, days: out.map((d) => ({ day: d.businessDay, count: d.count, ...(d.part ? { part: d.part } : {}) })), ...(reason ? { reason, closesAt } : {}) },
      });
      return out;
    });
  }

  /**
   * 校验: verify a range and record who checked it, when, with what result (issue 17 §2), so the
   * authorities' seal review shows 已核验 (or the failure) with the checker's name and organisation.
   */
  verify(actor: Actor, marketId: string, from: string, to: string): Promise<VerifyReport> {
    return this.db.run(actor, async (em) => {
      const m = await this.requireMarket(em, actor, 'verify', marketId);
      const report = await this.verifyIn(em, marketId, from, to);
      const [who] = await em.query<{ display_name: string | null; org_name: string | null }[]>(
        'SELECT u.display_name, o.name AS org_name FROM users u LEFT JOIN organisations o ON o.id = u.org_id WHERE u.id = $1', [actor.userId]);
      const f = report.firstBad;
      await em.query(
        `INSERT INTO ledger_verifications (id, market_id, tenant_id, region_code, from_day, to_day, ok, entries, seals, problems, first_bad,
           verified_by, verified_by_name, org_id, org_kind, org_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
        [newId(), marketId, m.tenantId, m.regionCode, from, to, report.ok, report.entries, report.seals, report.problems.length,
          f ? JSON.stringify({ seq: f.seq, businessDay: f.businessDay, code: f.code, detail: f.detail }) : null,
          actor.userId, who?.display_name ?? actor.username, actor.orgId, actor.orgKind, who?.org_name ?? null]);
      return report;
    });
  }

  /** The recorded checks of a market's work log, newest first (issue 17 §2). */
  listVerifications(actor: Actor, marketId: string): Promise<VerificationView[]> {
    return this.db.run(actor, async (em) => {
      await this.requireMarket(em, actor, 'read', marketId);
      const rows = await queryRows<LedgerVerificationRow>(em,
        `SELECT * FROM ledger_verifications WHERE market_id = $1 ORDER BY verified_at DESC LIMIT 100`, [marketId]);
      return rows.map((r) => ({
        id: r.id, marketId: r.market_id, from: r.from_day, to: r.to_day, ok: r.ok, entries: r.entries, seals: r.seals, problems: r.problems,
        firstBad: r.first_bad, verifiedByName: r.verified_by_name, orgKind: r.org_kind, orgName: r.org_name, verifiedAt: isoOf(r.verified_at),
      }));
    });
  }

  /**
   * Where a market's chain stands for a handover (issue 16 §4), in the caller's transaction: its head and its last
   * seal (the one covering the highest sequence). The head row is locked until commit, so nothing is appended between
   * this check and the `handover` entry.
   */
  async handoverAnchor(em: EntityManager, marketId: string): Promise<{ headSeq: number; lastSeal: { businessDay: string; part: number; lastSeq: number; digest: string } | null }> {
    const [head] = await em.query('SELECT last_seq FROM ledger_heads WHERE market_id = $1 FOR UPDATE', [marketId]);
    const [seal] = await queryRows<LedgerSealRow>(em, `SELECT ${SEAL_COLUMNS} FROM ledger_seals WHERE market_id = $1 ORDER BY last_seq DESC NULLS LAST LIMIT 1`, [marketId]);
    return {
      headSeq: head ? Number(head.last_seq) : 0,
      lastSeal: seal ? { businessDay: seal.business_day, part: Number(seal.part ?? 0), lastSeq: Number(seal.last_seq), digest: seal.digest } : null,
    };
  }

  /** The ledger's current public key (PEM) and its id, for a handover package's verifier (issue 16 §4). */
  publicKey(): { keyId: string; pem: string } {
    return { keyId: this.keyId, pem: this.publicPem };
  }

  /** The first business day of a market's work log, or null: where a whole-chain export starts. */
  firstDay(actor: Actor, marketId: string): Promise<string | null> {
    return this.db.run(actor, async (em) => {
      await this.requireMarket(em, actor, 'read', marketId);
      const [r] = await em.query('SELECT business_day AS day FROM ledger_entries WHERE market_id = $1 ORDER BY seq LIMIT 1', [marketId]);
      return r ? (r.day as string) : null;
    });
  }

  /**
   * Where a range's chain starts: the caller's last visible entry before `from` (or the genesis). A market handed over
   * to a successor (issue 16 §4) continues its chain, but the outgoing operator's entries stay that operator's: when the
   * caller's first entry of the range is the `handover` entry and what precedes it is not visible, the range starts at
   * the handover — the entry's own link, which cites the outgoing operator's last seal (checked by the authorities,
   * who see both sides).
   */
  private async startOf(em: EntityManager, marketId: string, from: string, to: string): Promise<{ seq: number; hash: string }> {
    const [before] = await em.query('SELECT seq, hash FROM ledger_entries WHERE market_id = $1 AND business_day < $2 ORDER BY seq DESC LIMIT 1', [marketId, from]);
    const start = before ? { seq: Number(before.seq), hash: before.hash as string } : { seq: 0, hash: GENESIS };
    const [first] = await em.query('SELECT seq, kind, prev_hash FROM ledger_entries WHERE market_id = $1 AND business_day BETWEEN $2 AND $3 ORDER BY seq LIMIT 1', [marketId, from, to]);
    if (first && first.kind === 'handover' && Number(first.seq) !== start.seq + 1) return { seq: Number(first.seq) - 1, hash: first.prev_hash };
    return start;
  }

  /** Verify a market's entries, seals and receipts for a date range, in the caller's transaction. */
  async verifyIn(em: EntityManager, marketId: string, from: string, to: string): Promise<VerifyReport> {
    const verifier = new LedgerVerifier({
      publicKeys: await this.publicKeys(em), requireReceipts: true, start: { [marketId]: await this.startOf(em, marketId, from, to) },
    });
    // Seals first: they tell the verifier where a day's parts end (supplementary seals, issue 17 §1).
    for (const s of await queryRows<LedgerSealRow>(em, `SELECT ${SEAL_COLUMNS} FROM ledger_seals WHERE market_id = $1 AND business_day BETWEEN $2 AND $3`, [marketId, from, to])) verifier.addSeal(rowToSeal(s));
    const rows = await queryRows<LedgerEntryRow>(em, `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE market_id = $1 AND business_day BETWEEN $2 AND $3 ORDER BY seq`, [marketId, from, to]);
    for (const r of rows) verifier.addEntry(rowToEntry(r));
    for (const r of await queryRows<LedgerReceiptRow>(em, `SELECT market_id, business_day, part, seal_digest, received_at FROM ledger_receipts WHERE market_id = $1 AND business_day BETWEEN $2 AND $3`, [marketId, from, to])) {
      verifier.addReceipt(rowToReceipt(r));
    }
    return verifier.finish();
  }

  /** JSON Lines for the offline verifier: a header with the public keys, entries in order, then seals. */
  exportJsonl(actor: Actor, marketId: string, from: string, to: string): Promise<string> {
    return this.db.run(actor, async (em) => {
      const m = await this.requireMarket(em, actor, 'read', marketId);
      const start = await this.startOf(em, marketId, from, to);
      const keys = await em.query('SELECT key_id, public_key_pem FROM ledger_keys');
      const publicKeys: Record<string, string> = Object.fromEntries(keys.map((k: { key_id: string; public_key_pem: string }) => [k.key_id, k.public_key_pem]));
      publicKeys[this.keyId] = this.publicPem;
      const lines = [JSON.stringify({ type: 'header', format: 1, marketId, marketName: m.name, from, to, exportedAt: new Date().toISOString(), publicKeys, start })];
      // Seals before entries (since issue 17): the verifier then knows where a day's supplementary parts begin.
      for (const s of await queryRows<LedgerSealRow>(em, `SELECT ${SEAL_COLUMNS} FROM ledger_seals WHERE market_id = $1 AND business_day BETWEEN $2 AND $3 ORDER BY business_day, part`, [marketId, from, to])) {
        lines.push(JSON.stringify({ type: 'seal', ...rowToSeal(s) }));
      }
      for (const r of await queryRows<LedgerEntryRow>(em, `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE market_id = $1 AND business_day BETWEEN $2 AND $3 ORDER BY seq`, [marketId, from, to])) {
        lines.push(JSON.stringify({ type: 'entry', ...rowToEntry(r) }));
      }
      await this.audit.record(em, actor, { action: 'ledger.export', subjectType: 'Market', subjectId: marketId, tenantId: m.tenantId, regionCode: m.regionCode, summary: { from, to, format: 'jsonl' } });
      return `${lines.join('\n')}\n`;
    });
  }

  /** The authority's receipts as JSON Lines, kept apart from the operator's export. */
  exportReceipts(actor: Actor, marketId: string, from: string, to: string): Promise<string> {
    return this.db.run(actor, async (em) => {
      await this.requireMarket(em, actor, 'verify', marketId);
      const rows = await queryRows<LedgerReceiptRow>(em, `SELECT market_id, business_day, part, seal_digest, received_at FROM ledger_receipts WHERE market_id = $1 AND business_day BETWEEN $2 AND $3 ORDER BY business_day, part`, [marketId, from, to]);
      return rows.map((r) => JSON.stringify({ type: 'receipt', ...rowToReceipt(r) } satisfies LedgerReceipt & { type: string })).join('\n') + (rows.length ? '\n' : '');
    });
  }

  listSeals(actor: Actor, q: { regionCode?: string; from: string; to: string; marketId?: string }): Promise<SealView[]> {
    return this.db.run(actor, async (em) => {
      const params: unknown[] = [q.from, q.to];
      const where = ['s.business_day BETWEEN $1 AND $2'];
      if (q.regionCode) { params.push(`${q.regionCode}%`); where.push(`s.region_code LIKE $${params.length}`); }
      if (q.marketId) { params.push(q.marketId); where.push(`s.market_id = $${params.length}`); }
      // The latest recorded check (issue 17 §2) that covers the day and came after this seal.
      const rows = await queryRows<SealListRow & { v_ok: boolean | null; v_at: Date | null; v_name: string | null; v_org: string | null }>(em,
        `SELECT s.market_id, s.business_day, s.part, s.reason, s.count, s.first_seq, s.last_seq, s.closed_at,
                s.late, s.digest, s.tenant_id, s.region_code, m.name AS market_name, r.full_name AS region_name, o.name AS operator_name,
                (rc.seal_digest IS NOT NULL) AS has_receipt, (rc.seal_digest = s.digest) AS receipt_ok,
                (SELECT detail FROM ledger_alerts a WHERE a.market_id = s.market_id AND a.business_day = s.business_day LIMIT 1) AS alert,
                v.ok AS v_ok, v.verified_at AS v_at, v.verified_by_name AS v_name, v.org_name AS v_org
         FROM ledger_seals s JOIN markets m ON m.id = s.market_id LEFT JOIN regions r ON r.code = s.region_code
         LEFT JOIN organisations o ON o.id = s.tenant_id
         LEFT JOIN ledger_receipts rc ON rc.market_id = s.market_id AND rc.business_day = s.business_day AND rc.part = s.part
         LEFT JOIN LATERAL (SELECT ok, verified_at, verified_by_name, org_name FROM ledger_verifications v
                            WHERE v.market_id = s.market_id AND s.business_day BETWEEN v.from_day AND v.to_day AND v.verified_at >= s.closed_at
                            ORDER BY v.verified_at DESC LIMIT 1) v ON true
         WHERE ${where.join(' AND ')} ORDER BY s.business_day DESC, s.region_code, m.name, s.part LIMIT 2000`, params);
      const ability = abilityOf(actor);
      const seals: SealView[] = rows
        .filter((r) => ability.can('read', asSubject('Ledger', { marketId: r.market_id, tenantId: r.tenant_id ?? null, regionCode: r.region_code })))
        .map((r) => {
          const receiptBad = r.has_receipt && !r.receipt_ok;
          return {
            marketId: r.market_id, marketName: r.market_name, regionCode: r.region_code,
            regionName: r.region_name ?? null, operatorName: r.operator_name ?? null,
            businessDay: r.business_day, count: r.count, firstSeq: int8(r.first_seq),
            lastSeq: int8(r.last_seq), late: r.late,
            closedAt: isoOf(r.closed_at), digest: r.digest, receipt: r.has_receipt,
            verification: r.alert || receiptBad || r.v_ok === false ? 'broken' : r.v_ok ? 'verified' : 'unchecked',
            problem: r.alert ?? (receiptBad ? 'receipt_mismatch' : r.v_ok === false ? 'verification_failed' : null),
            part: Number(r.part ?? 0), reason: r.reason ?? null, row: 'seal',
            verifiedAt: r.v_at ? isoOf(r.v_at) : null, verifiedByName: r.v_name ?? null, verifiedByOrg: r.v_org ?? null,
          } satisfies SealView;
        });
      const gaps = await this.gaps(em, actor, q);
      return [...seals, ...gaps].sort((a, b) => b.businessDay.localeCompare(a.businessDay) || a.regionCode.localeCompare(b.regionCode)
        || a.marketName.localeCompare(b.marketName) || (a.part ?? 0) - (b.part ?? 0));
    });
  }

  /**
   * Gaps (issue 17 §2): days before today in the range on which a market was open — its opening hours'
   * weekdays, from the day it was registered or its first entry if earlier — with no entries and no seal.
   */
  private async gaps(em: EntityManager, actor: Actor, q: { regionCode?: string; from: string; to: string; marketId?: string }): Promise<SealView[]> {
    const qb = em.createQueryBuilder().from('markets', 'm').leftJoin('regions', 'r', 'r.code = m.region_code').leftJoin('organisations', 'o', 'o.id = m.tenant_id')
      .where('m.tenant_id IS NOT NULL');
    if (!applyAccess(qb, actor, 'read', 'Ledger', { tenantId: 'm.tenant_id', regionCode: 'm.region_code', marketId: 'm.id' })) return [];
    if (q.regionCode) qb.andWhere('m.region_code LIKE :rc', { rc: `${q.regionCode}%` });
    if (q.marketId) qb.andWhere('m.id = :mid', { mid: q.marketId });
    const markets = await qb.select(['m.id AS id', 'm.name AS name', 'm.region_code AS region_code', 'm.opening_hours AS opening_hours', 'm.created_at AS created_at',
      'r.full_name AS region_name', 'o.name AS operator_name']).limit(500)
      .getRawMany<{ id: string; name: string; region_code: string; opening_hours: string | null; created_at: Date; region_name: string | null; operator_name: string | null }>();
    if (!markets.length) return [];
    const ids = markets.map((m) => m.id);
    const busy: { market_id: string; day: string }[] = await em.query(
      `SELECT DISTINCT market_id, business_day AS day FROM ledger_entries WHERE market_id = ANY($1::uuid[]) AND business_day BETWEEN $2 AND $3
       UNION SELECT market_id, business_day FROM ledger_seals WHERE market_id = ANY($1::uuid[]) AND business_day BETWEEN $2 AND $3`, [ids, q.from, q.to]);
    const firsts: { market_id: string; day: string }[] = await em.query(
      `SELECT h.market_id, (SELECT e.business_day FROM ledger_entries e WHERE e.market_id = h.market_id AND e.seq = 1) AS day FROM ledger_heads h WHERE h.market_id = ANY($1::uuid[])`, [ids]);
    const seen = new Set(busy.map((b) => `${b.market_id}|${b.day}`));
    const today = shanghaiDay(new Date());
    const out: SealView[] = [];
    for (const m of markets) {
      const registered = shanghaiDay(new Date(m.created_at));
      const first = firsts.find((f) => f.market_id === m.id)?.day ?? null;
      const since = first && first < registered ? first : registered;
      const { weekdays } = marketHours(m.opening_hours);
      for (let d = q.from > since ? q.from : since; d <= q.to && d < today; d = addDays(d, 1)) {
        const weekday = ((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
        if (!weekdays.includes(weekday) || seen.has(`${m.id}|${d}`)) continue;
        out.push({
          marketId: m.id, marketName: m.name, regionCode: m.region_code, regionName: m.region_name ?? null, operatorName: m.operator_name ?? null,
          businessDay: d, count: 0, firstSeq: null, lastSeq: null, late: false, closedAt: '', digest: '', receipt: false,
          verification: 'unchecked', problem: 'gap', row: 'gap',
        });
      }
    }
    return out;
  }

  /**
   * Read model for analytics (issue 13): one day of one market as the rollup folds it — its entries
   * with corrections applied (`effectivePayload`), whether the day is sealed and late, and how many
   * verification alerts it has. In the caller's transaction; the caller has checked access.
   */
  async dayForRollup(em: EntityManager, marketId: string, day: string): Promise<RollupDay> {
    // The day's seals, all parts (issue 17 §1): late as its first seal says, sealed at its latest. Only
    // sealed entries are folded: the rest of a day recorded after its last seal counts once a supplementary
    // seal covers it (that seal re-rolls the day).
    // The seals and the day's alert count in one statement (`sealed`: the day has a seal).
    const [head] = await em.query<{ sealed: boolean; late: boolean; closed_at: Date | string | null; last_seq: string | null; alerts: number }[]>(
      `SELECT count(*) > 0 AS sealed, bool_or(late) FILTER (WHERE part = 0) AS late, max(closed_at) AS closed_at, max(last_seq) AS last_seq,
         (SELECT count(*)::int FROM ledger_alerts WHERE market_id = $1 AND business_day = $2) AS alerts
       FROM ledger_seals WHERE market_id = $1 AND business_day = $2`, [marketId, day]);
    const seal = head.sealed ? head : undefined;
    const alerts = head.alerts;
    // Each entry with its corrections ([seq, payload] by seq) in the same statement.
    const rows = await queryRows<LedgerEntryRow & { corrections: [number, Record<string, unknown>][] | null }>(em,
      `SELECT e.seq, e.kind, e.subject_type, e.subject_id, e.payload, ${CORRECTIONS_OF('e')} AS corrections
       FROM ledger_entries e WHERE e.market_id = $1 AND e.business_day = $2 AND ($3::bigint IS NULL OR e.seq <= $3) ORDER BY e.seq`,
      [marketId, day, seal ? (seal.last_seq ?? 0) : null]);
    const corr = correctionsIn(rows);
    return {
      marketId, businessDay: day, sealed: Boolean(seal), late: Boolean(seal?.late), alerts: Number(alerts),
      sealedAt: seal?.closed_at ? new Date(seal.closed_at).toISOString() : null,
      correctionSeq: corr.length ? Math.max(...corr.map((c) => c.seq)) : 0,
      entries: rows.map((r) => {
        const seq = Number(r.seq);
        const mine = corr.filter((c) => c.corrects === seq);
        return {
          seq, kind: r.kind, subjectType: r.subject_type ?? null, subjectId: r.subject_id ?? null,
          payload: mine.reduce((p, c) => ({ ...p, ...c.payload }), r.payload),
        };
      }),
    };
  }

  /**
   * Entries of some kinds about some subjects in one market (any day), corrections applied, with their business day —
   * for several asks at once (the analytics fold's posts, complaints, placements and plans): one statement for the
   * entries with their corrections. Each ask's entries: its kinds, its subjects, by seq.
   */
  async subjectEntriesOf(em: EntityManager, marketId: string, asks: { kinds: string[]; subjectType: string; subjectIds: string[] }[]): Promise<RollupDay['entries'][]> {
    const pairs = asks.flatMap((a) => a.subjectIds.map((id) => [a.subjectType, id] as const));
    if (!pairs.length) return asks.map(() => []);
    const rows = await queryRows<LedgerEntryRow & { corrections: [number, Record<string, unknown>][] | null }>(em,
      `SELECT e.seq, e.kind, e.subject_type, e.subject_id, e.payload, e.business_day, ${CORRECTIONS_OF('e')} AS corrections FROM ledger_entries e
       WHERE (e.subject_type, e.subject_id) IN (SELECT * FROM unnest($1::text[], $2::text[])) AND e.market_id = $3 AND e.kind = ANY($4::text[]) ORDER BY e.seq`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1]), marketId, [...new Set(asks.flatMap((a) => a.kinds))]]);
    const corr = correctionsIn(rows);
    const byCorrected = new Map<number, typeof corr>();
    for (const c of corr) byCorrected.set(c.corrects, [...(byCorrected.get(c.corrects) ?? []), c]);
    const entries = rows.map((r) => {
      const seq = Number(r.seq);
      return {
        seq, kind: r.kind, subjectType: r.subject_type ?? null, subjectId: r.subject_id ?? null,
        payload: (byCorrected.get(seq) ?? []).reduce((p, c) => ({ ...p, ...c.payload }), r.payload),
        businessDay: r.business_day,
      };
    });
    return asks.map((a) => {
      const ids = new Set(a.subjectIds);
      return entries.filter((e) => a.kinds.includes(e.kind) && e.subjectType === a.subjectType && ids.has(String(e.subjectId)));
    });
  }

  /**
   * Sealed entries of some kinds in some markets and a period, with their chain hash, ordered by (market,
   * business day, seq): the candidates of a call-back sample (issue 16 §2, docs/oversight.md). An entry is
   * sealed when a seal of its market covers its seq. In the caller's transaction; the caller has checked access.
   */
  async sealedEntries(em: EntityManager, marketIds: string[], kinds: readonly string[], from: string, to: string): Promise<{
    marketId: string; businessDay: string; seq: number; kind: string; hash: string; subjectType: string | null; subjectId: string | null; payload: Record<string, unknown>;
  }[]> {
    if (!marketIds.length) return [];
    const rows: { market_id: string; business_day: string; seq: string; kind: string; hash: string; subject_type: string | null; subject_id: string | null; payload: Record<string, unknown> }[] = await em.query(
      `SELECT e.market_id, e.business_day, e.seq, e.kind, e.hash, e.subject_type, e.subject_id, e.payload FROM ledger_entries e
       WHERE e.market_id = ANY($1::uuid[]) AND e.kind = ANY($2::text[]) AND e.business_day BETWEEN $3 AND $4
         AND EXISTS (SELECT 1 FROM ledger_seals s WHERE s.market_id = e.market_id AND e.seq BETWEEN s.first_seq AND s.last_seq)
       ORDER BY e.market_id, e.business_day, e.seq`, [marketIds, [...kinds], from, to]);
    return rows.map((r) => ({ marketId: r.market_id, businessDay: r.business_day, seq: Number(r.seq), kind: r.kind, hash: r.hash, subjectType: r.subject_type, subjectId: r.subject_id, payload: r.payload }));
  }

  /**
   * Entries by (market, seq) as the day view shows them (corrections listed and applied), for a drill-down; with the caller,
   * who recorded each entry by display name as the day view names them (an authority reads them as the platform), not a username.
   */
  async entriesAt(em: EntityManager, refs: { marketId: string; seq: number }[], actor?: Actor): Promise<LedgerEntryView[]> {
    const byMarket = new Map<string, number[]>();
    for (const r of refs) byMarket.set(r.marketId, [...(byMarket.get(r.marketId) ?? []), r.seq]);
    const out = new Map<string, LedgerEntryView>();
    for (const [marketId, seqs] of byMarket) {
      const rows = await queryRows<LedgerEntryRow>(em, `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE market_id = $1 AND seq = ANY($2::bigint[])`, [marketId, seqs]);
      for (const v of await this.views(em, rows.map(rowToEntry), actor)) out.set(`${marketId}:${v.seq}`, v);
    }
    return refs.map((r) => out.get(`${r.marketId}:${r.seq}`)).filter((v): v is LedgerEntryView => Boolean(v));
  }

  /**
   * Sealed days with what their figures depend on (entry count, latest correction into them, alerts),
   * for the analytics catch-up to compare with what it rolled up. Markets by id, or all (null).
   */
  async sealedDayVersions(em: EntityManager, marketIds: string[] | null, from: string, to: string): Promise<{ marketId: string; businessDay: string; correctionSeq: number; alerts: number; entries: number }[]> {
    // One row per day whatever its parts (issue 17 §1): `entries` is what its seals cover, so a supplementary seal changes the version.
    const rows = await queryRows<{ market_id: string; day: string; correction_seq: string; alerts: number; entries: number }>(em,
      `SELECT s.market_id, s.business_day AS day, s.entries,
              COALESCE((SELECT max(c.seq) FROM ledger_entries c WHERE c.market_id = s.market_id AND c.corrects BETWEEN s.first_seq AND s.last_seq), 0) AS correction_seq,
              (SELECT count(*)::int FROM ledger_alerts a WHERE a.market_id = s.market_id AND a.business_day = s.business_day) AS alerts
       FROM (SELECT market_id, business_day, min(first_seq) AS first_seq, max(last_seq) AS last_seq, sum(count)::int AS entries FROM ledger_seals
             WHERE business_day BETWEEN $1 AND $2 AND ($3::uuid[] IS NULL OR market_id = ANY($3::uuid[])) GROUP BY 1, 2) s
       ORDER BY s.business_day, s.market_id`, [from, to, marketIds]);
    return rows.map((r) => ({ marketId: r.market_id, businessDay: r.day, correctionSeq: Number(r.correction_seq), alerts: r.alerts, entries: r.entries }));
  }

  /**
   * Days in each market's range that have entries and no seal at all (the analytics' live fold asks for the days after
   * each market's last sealed day, where the two agree). Not "days to close": a day closed early with entries after its
   * close has a seal; `daysToCloseOf` counts it. Market id → days.
   */
  async unsealedDaysWithEntriesOf(em: EntityManager, ranges: { marketId: string; from: string; to: string }[]): Promise<Map<string, string[]>> {
    const asked = ranges.filter((r) => r.from <= r.to);
    const out = new Map<string, string[]>(asked.map((r) => [r.marketId, []]));
    if (!asked.length) return out;
    const rows: { market_id: string; d: string }[] = await em.query(
      `SELECT DISTINCT e.market_id, e.business_day AS d
       FROM unnest($1::uuid[], $2::date[], $3::date[]) AS r(market_id, f, t)
       JOIN ledger_entries e ON e.market_id = r.market_id AND e.business_day BETWEEN r.f AND r.t
       WHERE NOT EXISTS (SELECT 1 FROM ledger_seals s WHERE s.market_id = e.market_id AND s.business_day = e.business_day)`,
      [asked.map((r) => r.marketId), asked.map((r) => r.from), asked.map((r) => r.to)]);
    for (const r of rows) out.get(r.market_id)?.push(r.d);
    return out;
  }

  /**
   * The days that still need a close (日结), per market: days in [from, to] with entries no seal covers — beyond
   * the market's last sealed position (business days never go back in a chain, so that is every unsealed entry).
   * A day without any seal, and a day closed early whose later entries wait for their supplementary seal
   * (issue 17 §1), alike; a day whose every entry is sealed is not. One statement for all the markets (the
   * home's days to close, the authorities' `seal_missing` flag). In the caller's transaction; the caller has
   * checked access. Market id → days, ascending.
   */
  async daysToCloseOf(em: EntityManager, marketIds: string[], from: string, to: string): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(marketIds.map((id) => [id, []]));
    if (!marketIds.length || from > to) return out;
    const rows: { market_id: string; d: string }[] = await em.query(
      `SELECT DISTINCT m.id AS market_id, e.business_day AS d
       FROM unnest($1::uuid[]) AS m(id)
       CROSS JOIN LATERAL (SELECT COALESCE(max(s.last_seq), 0) AS through FROM ledger_seals s WHERE s.market_id = m.id) sealed
       JOIN ledger_entries e ON e.market_id = m.id AND e.seq > sealed.through AND e.business_day BETWEEN $2 AND $3
       ORDER BY 1, 2`, [marketIds, from, to]);
    for (const r of rows) out.get(r.market_id)?.push(r.d);
    return out;
  }

  /**
   * How many entries of these markets' days in [from, to] no seal covers yet: beyond each market's last sealed
   * position — a day without a seal, or entries recorded after a day's close that wait for its supplementary
   * part (issue 17 §1). Zero means every entry of the period is sealed.
   */
  async unsealedEntriesIn(em: EntityManager, marketIds: string[], from: string, to: string): Promise<number> {
    if (!marketIds.length || from > to) return 0;
    const [r] = await em.query<{ n: number }[]>(
      `WITH sealed AS (SELECT m AS market_id, (SELECT max(s.last_seq) FROM ledger_seals s WHERE s.market_id = m) AS through FROM unnest($1::uuid[]) AS m)
       SELECT count(*)::int AS n FROM sealed JOIN ledger_entries e ON e.market_id = sealed.market_id
       WHERE e.business_day BETWEEN $2 AND $3 AND e.seq > COALESCE(sealed.through, 0)`, [marketIds, from, to]);
    return r?.n ?? 0;
  }

  /** The last sealed day of each market (null: nothing sealed yet). */
  async sealedThrough(em: EntityManager, marketIds: string[]): Promise<Map<string, string | null>> {
    const rows: { market_id: string; s: string | null }[] = marketIds.length
      ? await em.query(`SELECT market_id, sealed_through AS s FROM ledger_heads WHERE market_id = ANY($1::uuid[])`, [marketIds]) : [];
    const of = new Map(rows.map((r) => [r.market_id, r.s]));
    return new Map(marketIds.map((id) => [id, of.get(id) ?? null]));
  }

  /** Verification alerts of some markets' days in a range (analytics red flags): market, day, code. In the caller's transaction; the caller has checked access. */
  async alertsIn(em: EntityManager, marketIds: string[], from: string, to: string): Promise<{ marketId: string; businessDay: string; code: string }[]> {
    if (!marketIds.length) return [];
    const rows: { market_id: string; day: string; code: string }[] = await em.query(
      `SELECT market_id, business_day AS day, code FROM ledger_alerts
       WHERE market_id = ANY($1::uuid[]) AND business_day BETWEEN $2 AND $3 ORDER BY business_day DESC`, [marketIds, from, to]);
    return rows.map((r) => ({ marketId: r.market_id, businessDay: r.day, code: r.code }));
  }

  /**
   * Chain problems of some markets in a range (model markets, issue 15 §5): verification alerts of days in the range
   * and recorded verifications that failed over a range overlapping it, counted per market. In the caller's
   * transaction; the caller has checked access.
   */
  async chainProblemsIn(em: EntityManager, marketIds: string[], from: string, to: string): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!marketIds.length) return out;
    const rows: { market_id: string; n: number }[] = await em.query(
      `SELECT market_id, count(*)::int AS n FROM (
         SELECT market_id FROM ledger_alerts WHERE market_id = ANY($1::uuid[]) AND business_day BETWEEN $2 AND $3
         UNION ALL
         SELECT market_id FROM ledger_verifications WHERE market_id = ANY($1::uuid[]) AND NOT ok AND from_day <= $3 AND to_day >= $2) x
       GROUP BY market_id`, [marketIds, from, to]);
    for (const r of rows) out.set(r.market_id, r.n);
    return out;
  }

  /** The business day of each market's first work-log entry (absent: none yet) — how long it has operated. */
  async firstEntryDays(em: EntityManager, marketIds: string[]): Promise<Map<string, string>> {
    if (!marketIds.length) return new Map();
    const rows: { market_id: string; day: string }[] = await em.query(
      `SELECT m AS market_id, (SELECT e.business_day FROM ledger_entries e WHERE e.market_id = m ORDER BY e.seq LIMIT 1) AS day FROM unnest($1::uuid[]) AS m`, [marketIds]);
    return new Map(rows.filter((r) => r.day).map((r) => [r.market_id, r.day]));
  }

  listAlerts(actor: Actor): Promise<{ marketId: string; marketName: string; businessDay: string; code: string; problem: string; firstBadSeq: number | null; createdAt: string }[]> {
    return this.db.run(actor, async (em) => {
      // The same conditions as the ledger's other reads: market-level staff see their assigned markets' alerts only (issue 12 §5).
      const qb = em.createQueryBuilder().from('ledger_alerts', 'a').innerJoin('markets', 'm', 'm.id = a.market_id');
      if (!applyAccess(qb, actor, 'read', 'Ledger', LEDGER_ACCESS('a'))) return [];
      const rows = await qb
        .select(['a.market_id AS market_id', 'm.name AS name', 'a.business_day AS business_day', 'a.code AS code', 'a.detail AS detail',
          'a.first_bad_seq AS first_bad_seq', 'a.created_at AS created_at'])
        .orderBy('a.created_at', 'DESC').limit(200).getRawMany<LedgerAlertRow & { name: string }>();
      return rows.map((r) => ({
        marketId: r.market_id, marketName: r.name, businessDay: r.business_day, code: r.code,
        problem: r.detail, firstBadSeq: int8(r.first_bad_seq), createdAt: isoOf(r.created_at),
      }));
    });
  }

  /** The view of an entry just appended: nothing corrects it yet, and the actor is the caller. */
  private freshView(e: LedgerEntry & { id: string }, actor: Actor): LedgerEntryView {
    return {
      id: e.id, marketId: e.marketId, seq: e.seq, kind: e.kind as LedgerKind, occurredAt: e.occurredAt, recordedAt: e.recordedAt,
      businessDay: e.businessDay, late: shanghaiDay(e.occurredAt) < e.businessDay, actorUserId: e.actorUserId, actorName: actor.username,
      subjectType: e.subjectType, subjectId: e.subjectId, payload: e.payload, corrects: e.corrects, reason: e.reason,
      attachments: e.attachments, correctedBy: [], effectivePayload: e.payload, hash: e.hash,
    };
  }

  private async views(em: EntityManager, entries: LedgerEntry[], actor?: Actor): Promise<LedgerEntryView[]> {
    if (!entries.length) return [];
    const marketId = entries[0].marketId;
    const seqs = entries.map((e) => e.seq);
    const corrections: { corrects: string; seq: string; payload: Record<string, unknown> }[] = await em.query(
      `SELECT corrects, seq, payload FROM ledger_entries WHERE market_id = $1 AND corrects = ANY($2::bigint[]) ORDER BY seq`, [marketId, seqs]);
    const actors = [...new Set(entries.map((e) => e.actorUserId).filter(Boolean))];
    // Display names where the caller may see the user; otherwise the username recorded with the entry.
    const names: { id: string; display_name: string }[] = actors.length ? await em.query('SELECT id, display_name FROM users WHERE id = ANY($1::uuid[])', [actors]) : [];
    const nameOf = new Map(names.map((n) => [n.id, n.display_name]));
    // Who recorded an entry, by name, for whoever may read the entry — an authority cannot read the
    // operator's users, so their names are read as the platform (issue 17 §4: not a username).
    const unseen = actors.filter((id) => !nameOf.has(id as string));
    if (actor && unseen.length) {
      const more: { id: string; display_name: string }[] = await this.db.run(SYSTEM_ACTOR, (sys) => sys.query('SELECT id, display_name FROM users WHERE id = ANY($1::uuid[])', [unseen]));
      for (const n of more) nameOf.set(n.id, n.display_name);
    }
    const payloadNames = new Map<string, Map<string, string>>();
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const r of actor ? this.nameResolvers : []) {
      const values = entries.flatMap((e) => (r.codes && Array.isArray(e.payload[r.field]) ? e.payload[r.field] as unknown[] : [e.payload[r.field]]));
      const ids = [...new Set(values.filter((x): x is string => typeof x === 'string' && (r.codes ? LEDGER_CODE_RE : uuid).test(x)))];
      if (ids.length) payloadNames.set(r.field, await r.resolve(em, actor as Actor, ids));
    }
    const ids: { seq: string; id: string; actor_name: string | null }[] = await em.query('SELECT seq, id, actor_name FROM ledger_entries WHERE market_id = $1 AND seq = ANY($2::bigint[])', [marketId, seqs]);
    const idOf = new Map(ids.map((r) => [Number(r.seq), r.id]));
    const recorded = new Map(ids.map((r) => [Number(r.seq), r.actor_name]));
    return entries.map((e) => {
      const mine = corrections.filter((c) => Number(c.corrects) === e.seq);
      return {
        id: idOf.get(e.seq) ?? '', marketId: e.marketId, seq: e.seq, kind: e.kind as LedgerKind, occurredAt: e.occurredAt, recordedAt: e.recordedAt,
        businessDay: e.businessDay, late: shanghaiDay(e.occurredAt) < e.businessDay, actorUserId: e.actorUserId,
        actorName: e.actorUserId ? (nameOf.get(e.actorUserId) ?? recorded.get(e.seq) ?? null) : null, subjectType: e.subjectType, subjectId: e.subjectId,
        payload: e.payload, corrects: e.corrects, reason: e.reason, attachments: e.attachments,
        correctedBy: mine.map((c) => Number(c.seq)),
        // Only a correction's valid, correctable fields show (older corrections may carry anything).
        effectivePayload: applyCorrections(e.kind, e.payload, mine.map((c) => c.payload)), hash: e.hash,
        ...(payloadNames.size ? { names: namesOf(e.payload, payloadNames) } : {}),
      };
    });
  }
}

/**
 * The payload a correction of a `kind` entry may carry (issue 12, finding 6): refused when the kind
 * has nothing correctable (422 on `seq`) or a field is not correctable for it (422 on
 * `payload.<field>`, ids included), and checked field by field like the original form (400).
 */
function correctionPayload(kind: string, input: CorrectionInput): Record<string, unknown> {
  const schema = correctionPayloadSchema(kind);
  if (!schema) throw new ProblemException(422, 'validation_failed', [{ field: 'seq', key: 'correction_kind_not_correctable' }]);
  const unknown = Object.keys(input.payload).filter((k) => !Object.prototype.hasOwnProperty.call(schema.shape, k));
  if (unknown.length) throw new ProblemException(422, 'validation_failed', unknown.map((k) => ({ field: `payload.${k}`, key: 'correction_field_unknown' })));
  const body = z.object({ reason: z.string(), payload: schema });
  const r = body.safeParse(input);
  if (!r.success) throw new ValidationProblem(body, input, 'body');
  return r.data.payload;
}

/** The names of a payload's ids, by field (`{ workerId: '王芳', postId: '装卸工 3 名' }`); a list of codes as its names in turn. */
function namesOf(payload: Record<string, unknown>, byField: Map<string, Map<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, names] of byField) {
    const id = payload[field];
    const name = typeof id === 'string' ? names.get(id)
      : Array.isArray(id) && id.length && id.every((x) => typeof x === 'string' && names.has(x)) ? id.map((x) => names.get(x)).join('；') : undefined;
    if (name) out[field] = name;
  }
  return out;
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
