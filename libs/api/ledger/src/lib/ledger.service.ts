import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import {
  applyCorrections, asSubject, correctionPayloadSchema, factAction, type Action, type Actor, type ClosePreview, type CorrectionInput, type LedgerDayView, type LedgerEntryView,
  type LedgerKind, type ManualEntryInput, type Page, type SealView,
} from '@linggong/domain';
import {
  APP_CONFIG, DEV_LEDGER_SEED, ProblemException, TenantDb, ValidationProblem, abilityOf, afterCommit, applyAccess, isoOf, newId, notFound, queryRows, type AppConfig,
} from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { MarketDirectoryService, type MarketScope } from '@linggong/api-markets';
import { AttachmentsService } from './attachments.service';
import type { Fact } from './facts.service';
import {
  DEFAULT_ALG, GENESIS, LedgerVerifier, ed25519FromSeed, entryHash, merkleRoot, publicKeyFromPem, sealDigest, shanghaiDay,
  signDigest, type LedgerEntry, type LedgerReceipt, type LedgerSeal, type VerifyReport,
} from '@linggong/ledger-chain';
import { LEDGER_ACCESS, type LedgerAlertRow, type LedgerEntryRow, type LedgerReceiptRow, type LedgerSealRow, type SealListRow } from './rows';

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
  };
}

const ENTRY_COLUMNS = `market_id, seq, id, kind, occurred_at, recorded_at, business_day,
  actor_user_id, subject_type, subject_id, payload, corrects, reason, attachments, prev_hash, hash, alg`;
const SEAL_COLUMNS = `market_id, business_day, count, first_seq, last_seq, last_hash,
  merkle_root, closed_at, closed_by, late, alg, key_id, digest, signature`;

/**
 * The work-log ledger (R-C1; issue 3): append inside the caller's transaction, serialised per market
 * by a row lock on the market's head (different markets append in parallel), daily close with a
 * signed seal and the authority's receipt, verification and export.
 */
@Injectable()
export class LedgerService implements OnModuleInit {
  readonly keyId: string;
  private readonly privateKey: KeyObject;
  readonly publicPem: string;
  /** Called after a close or a correction has committed, with the sealed days whose figures may have changed. */
  private readonly sealListeners: ((marketId: string, days: string[], cause: string) => void | Promise<void>)[] = [];

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
    const lockHead = () => em.query(
      `SELECT last_seq, last_hash, sealed_through, clock_timestamp() AS now
       FROM ledger_heads WHERE market_id = $1 FOR UPDATE`,
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
    const nextOpen = head.sealed_through ? addDays(head.sealed_through, 1) : today;
    const entry: Omit<LedgerEntry, 'hash'> = {
      marketId: input.marketId, seq: Number(head.last_seq) + 1, kind: input.kind,
      occurredAt: (input.occurredAt ?? now).toISOString(), recordedAt: now.toISOString(),
      businessDay: nextOpen > today ? nextOpen : today, actorUserId: actor.userId || null,
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
      // Late recording is allowed (and shown); recording the future is a typing mistake.
      if (Date.parse(input.occurredAt) > Date.now() + 5 * 60_000) {
        throw new ProblemException(422, 'validation_failed', [{ field: 'occurredAt', key: 'ledger_future_time' }]);
      }
      const { kind, occurredAt, attachments, ...payload } = input;
      return this.freshView(await this.recordFact(em, actor, m, { marketId, kind, occurredAt: new Date(occurredAt), payload, attachments, subjectType: 'Market', subjectId: marketId, summary: { kind, title: input.title } }), actor);
    });
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
      return (await this.views(em, [e]))[0];
    });
  }

  marketName(actor: Actor, marketId: string): Promise<string> {
    return this.db.run(actor, async (em) => (await this.requireMarket(em, actor, 'read', marketId)).name);
  }

  listEntries(actor: Actor, marketId: string, q: { from?: string; to?: string; kind?: string; q?: string; page: number; pageSize: number }): Promise<Page<LedgerEntryView>> {
    return this.db.run(actor, async (em) => {
      await this.requireMarket(em, actor, 'read', marketId);
      const where = ['market_id = $1'];
      const params: unknown[] = [marketId];
      if (q.from) { params.push(q.from); where.push(`business_day >= $${params.length}`); }
      if (q.to) { params.push(q.to); where.push(`business_day <= $${params.length}`); }
      if (q.kind) { params.push(q.kind); where.push(`kind = $${params.length}`); }
      if (q.q) { params.push(`%${q.q.replace(/[%_]/g, '')}%`); where.push(`(payload::text ILIKE $${params.length} OR reason ILIKE $${params.length})`); }
      const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM ledger_entries WHERE ${where.join(' AND ')}`, params);
      const rows = await queryRows<LedgerEntryRow>(em,
        `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`, params);
      return { items: await this.views(em, rows.map(rowToEntry)), total: n, page: q.page, pageSize: q.pageSize };
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
      for (const s of seals) {
        const v = day(s.business_day);
        v.sealed = true;
        v.late = s.late;
        v.closedAt = isoOf(s.closed_at);
        v.closedBy = s.closed_by ?? null;
        v.verification = 'verified';
      }
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
      return { marketId, days: await this.unsealedDays(em, marketId, day) };
    });
  }

  private async unsealedDays(em: EntityManager, marketId: string, day: string) {
    const [head] = await em.query<{ s: string | null }[]>(`SELECT sealed_through AS s FROM ledger_heads WHERE market_id = $1`, [marketId]);
    const after: string | null = head?.s ?? null;
    const rows: { day: string; n: number; first: string | null; last: string | null }[] = await em.query(
      `SELECT business_day AS day, count(*)::int AS n, min(seq) AS first, max(seq) AS last FROM ledger_entries
       WHERE market_id = $1 AND business_day <= $2 AND ($3::date IS NULL OR business_day > $3::date) GROUP BY 1 ORDER BY 1`,
      [marketId, day, after]);
    const days = rows.map((r) => ({ businessDay: r.day, count: r.n, firstSeq: r.first === null ? null : Number(r.first), lastSeq: r.last === null ? null : Number(r.last) }));
    if (!days.some((d) => d.businessDay === day) && (!after || day > after)) days.push({ businessDay: day, count: 0, firstSeq: null, lastSeq: null });
    return days;
  }

  /** 日结: seal every unsealed day up to `day` (each signed, each with its receipt). */
  async closeDay(actor: Actor, marketId: string, day: string, opts: { late?: boolean; system?: boolean } = {}): Promise<LedgerDayView[]> {
    const sealed = await this.sealDays(actor, marketId, day, opts);
    this.notifySealed(marketId, sealed.map((d) => d.businessDay), 'seal');
    return sealed;
  }

  private sealDays(actor: Actor, marketId: string, day: string, opts: { late?: boolean; system?: boolean }): Promise<LedgerDayView[]> {
    return this.db.run(actor, async (em) => {
      const m = opts.system
        ? await this.markets.scopeOf(em, marketId)
        : await this.requireMarket(em, actor, 'close', marketId);
      if (!m) throw notFound();
      await em.query(`INSERT INTO ledger_heads (market_id, last_seq, last_hash) VALUES ($1, 0, $2) ON CONFLICT (market_id) DO NOTHING`, [marketId, GENESIS]);
      const [head] = await em.query<{ s: string | null; last_hash: string; now: Date }[]>(`SELECT sealed_through AS s, last_hash, clock_timestamp() AS now FROM ledger_heads WHERE market_id = $1 FOR UPDATE`, [marketId]);
      const today = shanghaiDay(new Date(head.now));
      if (day > today) throw new ProblemException(422, 'validation_failed', [{ field: 'day', key: 'ledger_future_day' }]);
      if (head.s && day <= head.s) throw new ProblemException(409, 'ledger_already_closed');
      const days = await this.unsealedDays(em, marketId, day);
      const out: LedgerDayView[] = [];
      for (const d of days) {
        const hashes: string[] = (await em.query('SELECT hash FROM ledger_entries WHERE market_id = $1 AND business_day = $2 ORDER BY seq', [marketId, d.businessDay])).map((r: { hash: string }) => r.hash);
        const [prev] = hashes.length ? [{ hash: hashes[hashes.length - 1] }]
          : await em.query('SELECT hash FROM ledger_entries WHERE market_id = $1 AND business_day < $2 ORDER BY seq DESC LIMIT 1', [marketId, d.businessDay]);
        const base = {
          marketId, businessDay: d.businessDay, count: hashes.length, firstSeq: d.firstSeq, lastSeq: d.lastSeq,
          lastHash: prev?.hash ?? GENESIS, merkleRoot: merkleRoot(DEFAULT_ALG, hashes), closedAt: new Date(head.now).toISOString(),
          late: Boolean(opts.late), alg: DEFAULT_ALG, keyId: this.keyId,
        };
        const digest = sealDigest(base);
        const seal: LedgerSeal = { ...base, digest, signature: signDigest(this.privateKey, digest) };
        await em.query(
          `INSERT INTO ledger_seals (market_id, business_day, tenant_id, region_code, count, first_seq, last_seq, last_hash, merkle_root,
             closed_at, closed_by, late, alg, key_id, digest, signature)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
          [marketId, seal.businessDay, m.tenantId, m.regionCode, seal.count, seal.firstSeq, seal.lastSeq, seal.lastHash, seal.merkleRoot,
            seal.closedAt, opts.system ? null : actor.userId, seal.late, seal.alg, seal.keyId, seal.digest, seal.signature],
        );
        // The authority's receipt: a copy of the digest in a table the app role cannot write.
        await em.query('SELECT ledger_record_receipt($1, $2)', [marketId, seal.businessDay]);
        out.push({
          businessDay: seal.businessDay, count: seal.count, byKind: {}, firstSeq: seal.firstSeq, lastSeq: seal.lastSeq, sealed: true,
          late: seal.late, closedAt: seal.closedAt, closedBy: opts.system ? null : actor.userId,
          closedByName: opts.system ? null : actor.username, verification: 'verified', problem: null,
        });
      }
      await em.query('UPDATE ledger_heads SET sealed_through = $2 WHERE market_id = $1', [marketId, day]);
      await this.audit.record(em, opts.system ? null : actor, {
        action: opts.late ? 'ledger.close_late' : 'ledger.close', subjectType: 'Market', subjectId: marketId, tenantId: m.tenantId,
        regionCode: m.regionCode, summary: { through: day, days: out.map((d) => ({ day: d.businessDay, count: d.count })) },
      });
      return out;
    });
  }

  verify(actor: Actor, marketId: string, from: string, to: string): Promise<VerifyReport> {
    return this.db.run(actor, async (em) => {
      await this.requireMarket(em, actor, 'verify', marketId);
      return this.verifyIn(em, marketId, from, to);
    });
  }

  /** Verify a market's entries, seals and receipts for a date range, in the caller's transaction. */
  async verifyIn(em: EntityManager, marketId: string, from: string, to: string): Promise<VerifyReport> {
    const [before] = await em.query(
      'SELECT seq, hash FROM ledger_entries WHERE market_id = $1 AND business_day < $2 ORDER BY seq DESC LIMIT 1', [marketId, from]);
    const verifier = new LedgerVerifier({
      publicKeys: await this.publicKeys(em), requireReceipts: true,
      start: { [marketId]: before ? { seq: Number(before.seq), hash: before.hash } : { seq: 0, hash: GENESIS } },
    });
    const rows = await queryRows<LedgerEntryRow>(em, `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE market_id = $1 AND business_day BETWEEN $2 AND $3 ORDER BY seq`, [marketId, from, to]);
    for (const r of rows) verifier.addEntry(rowToEntry(r));
    for (const s of await queryRows<LedgerSealRow>(em, `SELECT ${SEAL_COLUMNS} FROM ledger_seals WHERE market_id = $1 AND business_day BETWEEN $2 AND $3`, [marketId, from, to])) verifier.addSeal(rowToSeal(s));
    for (const r of await queryRows<LedgerReceiptRow>(em, `SELECT market_id, business_day, seal_digest, received_at FROM ledger_receipts WHERE market_id = $1 AND business_day BETWEEN $2 AND $3`, [marketId, from, to])) {
      verifier.addReceipt({ marketId: r.market_id, businessDay: r.business_day, sealDigest: r.seal_digest, receivedAt: isoOf(r.received_at) });
    }
    return verifier.finish();
  }

  /** JSON Lines for the offline verifier: a header with the public keys, entries in order, then seals. */
  exportJsonl(actor: Actor, marketId: string, from: string, to: string): Promise<string> {
    return this.db.run(actor, async (em) => {
      const m = await this.requireMarket(em, actor, 'read', marketId);
      const [before] = await em.query('SELECT seq, hash FROM ledger_entries WHERE market_id = $1 AND business_day < $2 ORDER BY seq DESC LIMIT 1', [marketId, from]);
      const keys = await em.query('SELECT key_id, public_key_pem FROM ledger_keys');
      const publicKeys: Record<string, string> = Object.fromEntries(keys.map((k: { key_id: string; public_key_pem: string }) => [k.key_id, k.public_key_pem]));
      publicKeys[this.keyId] = this.publicPem;
      const lines = [JSON.stringify({ type: 'header', format: 1, marketId, marketName: m.name, from, to, exportedAt: new Date().toISOString(), publicKeys, start: before ? { seq: Number(before.seq), hash: before.hash } : { seq: 0, hash: GENESIS } })];
      for (const r of await queryRows<LedgerEntryRow>(em, `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE market_id = $1 AND business_day BETWEEN $2 AND $3 ORDER BY seq`, [marketId, from, to])) {
        lines.push(JSON.stringify({ type: 'entry', ...rowToEntry(r) }));
      }
      for (const s of await queryRows<LedgerSealRow>(em, `SELECT ${SEAL_COLUMNS} FROM ledger_seals WHERE market_id = $1 AND business_day BETWEEN $2 AND $3 ORDER BY business_day`, [marketId, from, to])) {
        lines.push(JSON.stringify({ type: 'seal', ...rowToSeal(s) }));
      }
      await this.audit.record(em, actor, { action: 'ledger.export', subjectType: 'Market', subjectId: marketId, tenantId: m.tenantId, regionCode: m.regionCode, summary: { from, to, format: 'jsonl' } });
      return `${lines.join('\n')}\n`;
    });
  }

  /** The authority's receipts as JSON Lines, kept apart from the operator's export. */
  exportReceipts(actor: Actor, marketId: string, from: string, to: string): Promise<string> {
    return this.db.run(actor, async (em) => {
      await this.requireMarket(em, actor, 'verify', marketId);
      const rows = await queryRows<LedgerReceiptRow>(em, `SELECT market_id, business_day, seal_digest, received_at FROM ledger_receipts WHERE market_id = $1 AND business_day BETWEEN $2 AND $3 ORDER BY business_day`, [marketId, from, to]);
      return rows.map((r) => JSON.stringify({
        type: 'receipt', marketId: r.market_id, businessDay: r.business_day, sealDigest: r.seal_digest,
        receivedAt: isoOf(r.received_at),
      } satisfies LedgerReceipt & { type: string })).join('\n') + (rows.length ? '\n' : '');
    });
  }

  listSeals(actor: Actor, q: { regionCode?: string; from: string; to: string; marketId?: string }): Promise<SealView[]> {
    return this.db.run(actor, async (em) => {
      const params: unknown[] = [q.from, q.to];
      const where = ['s.business_day BETWEEN $1 AND $2'];
      if (q.regionCode) { params.push(`${q.regionCode}%`); where.push(`s.region_code LIKE $${params.length}`); }
      if (q.marketId) { params.push(q.marketId); where.push(`s.market_id = $${params.length}`); }
      const rows = await queryRows<SealListRow>(em,
        `SELECT s.market_id, s.business_day, s.count, s.first_seq, s.last_seq, s.closed_at,
                s.late, s.digest, s.tenant_id, s.region_code, m.name AS market_name, r.full_name AS region_name, o.name AS operator_name,
                (rc.seal_digest IS NOT NULL) AS has_receipt, (rc.seal_digest = s.digest) AS receipt_ok,
                (SELECT detail FROM ledger_alerts a WHERE a.market_id = s.market_id AND a.business_day = s.business_day LIMIT 1) AS alert
         FROM ledger_seals s JOIN markets m ON m.id = s.market_id LEFT JOIN regions r ON r.code = s.region_code
         LEFT JOIN organisations o ON o.id = s.tenant_id
         LEFT JOIN ledger_receipts rc ON rc.market_id = s.market_id AND rc.business_day = s.business_day
         WHERE ${where.join(' AND ')} ORDER BY s.business_day DESC, s.region_code, m.name LIMIT 2000`, params);
      const ability = abilityOf(actor);
      return rows
        .filter((r) => ability.can('read', asSubject('Ledger', { marketId: r.market_id, tenantId: r.tenant_id ?? null, regionCode: r.region_code })))
        .map((r) => ({
          marketId: r.market_id, marketName: r.market_name, regionCode: r.region_code,
          regionName: r.region_name ?? null, operatorName: r.operator_name ?? null,
          businessDay: r.business_day, count: r.count, firstSeq: int8(r.first_seq),
          lastSeq: int8(r.last_seq), late: r.late,
          closedAt: isoOf(r.closed_at), digest: r.digest, receipt: r.has_receipt,
          verification: r.alert || (r.has_receipt && !r.receipt_ok) ? 'broken' : 'unchecked',
          problem: r.alert ?? (r.has_receipt && !r.receipt_ok ? 'receipt_mismatch' : null),
        } satisfies SealView));
    });
  }

  /**
   * Read model for analytics (issue 13): one day of one market as the rollup folds it — its entries
   * with corrections applied (`effectivePayload`), whether the day is sealed and late, and how many
   * verification alerts it has. In the caller's transaction; the caller has checked access.
   */
  async dayForRollup(em: EntityManager, marketId: string, day: string): Promise<RollupDay> {
    const rows = await queryRows<LedgerEntryRow>(em,
      `SELECT seq, kind, subject_type, subject_id, payload FROM ledger_entries WHERE market_id = $1 AND business_day = $2 ORDER BY seq`, [marketId, day]);
    const [seal] = await em.query<{ count: number; late: boolean; closed_at: Date | string }[]>('SELECT count, late, closed_at FROM ledger_seals WHERE market_id = $1 AND business_day = $2', [marketId, day]);
    const [{ alerts }] = await em.query<{ alerts: number }[]>('SELECT count(*)::int AS alerts FROM ledger_alerts WHERE market_id = $1 AND business_day = $2', [marketId, day]);
    const seqs = rows.map((r) => Number(r.seq));
    const corr = await this.correctionsOf(em, marketId, seqs);
    return {
      marketId, businessDay: day, sealed: Boolean(seal), late: Boolean(seal?.late), alerts: Number(alerts),
      sealedAt: seal ? new Date(seal.closed_at).toISOString() : null,
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

  /** Entries of some kinds about some subjects in one market (any day), corrections applied, with their business day. */
  async subjectEntries(em: EntityManager, marketId: string, kinds: string[], subjectType: string, subjectIds: string[]): Promise<RollupDay['entries']> {
    if (!subjectIds.length) return [];
    const rows = await queryRows<LedgerEntryRow>(em,
      `SELECT seq, kind, subject_type, subject_id, payload, business_day FROM ledger_entries
       WHERE subject_type = $1 AND subject_id = ANY($2::text[]) AND market_id = $3 AND kind = ANY($4::text[]) ORDER BY seq`,
      [subjectType, subjectIds, marketId, kinds]);
    const corr = await this.correctionsOf(em, marketId, rows.map((r) => Number(r.seq)));
    return rows.map((r) => {
      const seq = Number(r.seq);
      return {
        seq, kind: r.kind, subjectType: r.subject_type ?? null, subjectId: r.subject_id ?? null,
        payload: corr.filter((c) => c.corrects === seq).reduce((p, c) => ({ ...p, ...c.payload }), r.payload),
        businessDay: r.business_day,
      };
    });
  }

  /** Entries by (market, seq) as the day view shows them (corrections listed and applied), for a drill-down. */
  async entriesAt(em: EntityManager, refs: { marketId: string; seq: number }[]): Promise<LedgerEntryView[]> {
    const byMarket = new Map<string, number[]>();
    for (const r of refs) byMarket.set(r.marketId, [...(byMarket.get(r.marketId) ?? []), r.seq]);
    const out = new Map<string, LedgerEntryView>();
    for (const [marketId, seqs] of byMarket) {
      const rows = await queryRows<LedgerEntryRow>(em, `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE market_id = $1 AND seq = ANY($2::bigint[])`, [marketId, seqs]);
      for (const v of await this.views(em, rows.map(rowToEntry))) out.set(`${marketId}:${v.seq}`, v);
    }
    return refs.map((r) => out.get(`${r.marketId}:${r.seq}`)).filter((v): v is LedgerEntryView => Boolean(v));
  }

  /**
   * Sealed days with what their figures depend on (entry count, latest correction into them, alerts),
   * for the analytics catch-up to compare with what it rolled up. Markets by id, or all (null).
   */
  async sealedDayVersions(em: EntityManager, marketIds: string[] | null, from: string, to: string): Promise<{ marketId: string; businessDay: string; correctionSeq: number; alerts: number }[]> {
    const rows = await queryRows<{ market_id: string; day: string; correction_seq: string; alerts: number }>(em,
      `SELECT s.market_id, s.business_day AS day,
              COALESCE((SELECT max(c.seq) FROM ledger_entries c WHERE c.market_id = s.market_id AND c.corrects BETWEEN s.first_seq AND s.last_seq), 0) AS correction_seq,
              (SELECT count(*)::int FROM ledger_alerts a WHERE a.market_id = s.market_id AND a.business_day = s.business_day) AS alerts
       FROM ledger_seals s WHERE s.business_day BETWEEN $1 AND $2 AND ($3::uuid[] IS NULL OR s.market_id = ANY($3::uuid[]))
       ORDER BY s.business_day, s.market_id`, [from, to, marketIds]);
    return rows.map((r) => ({ marketId: r.market_id, businessDay: r.day, correctionSeq: Number(r.correction_seq), alerts: r.alerts }));
  }

  /** Days in a range that have entries (the caller asks for days after the last seal). */
  async unsealedDaysWithEntries(em: EntityManager, marketId: string, from: string, to: string): Promise<string[]> {
    if (from > to) return [];
    const rows: { d: string }[] = await em.query(
      `SELECT DISTINCT business_day AS d FROM ledger_entries WHERE market_id = $1 AND business_day BETWEEN $2 AND $3
         AND NOT EXISTS (SELECT 1 FROM ledger_seals s WHERE s.market_id = $1 AND s.business_day = ledger_entries.business_day)`, [marketId, from, to]);
    return rows.map((r) => r.d);
  }

  /** `unsealedDaysWithEntries` for many markets' ranges in one statement (a region's dashboard): market id → days. */
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

  private async correctionsOf(em: EntityManager, marketId: string, seqs: number[]): Promise<{ seq: number; corrects: number; payload: Record<string, unknown> }[]> {
    if (!seqs.length) return [];
    const rows: { seq: string; corrects: string; payload: Record<string, unknown> }[] = await em.query(
      `SELECT seq, corrects, payload FROM ledger_entries WHERE market_id = $1 AND corrects IS NOT NULL AND corrects BETWEEN $2 AND $3 AND corrects = ANY($4::bigint[]) ORDER BY seq`,
      [marketId, Math.min(...seqs), Math.max(...seqs), seqs]);
    return rows.map((r) => ({ seq: Number(r.seq), corrects: Number(r.corrects), payload: r.payload }));
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

  private async views(em: EntityManager, entries: LedgerEntry[]): Promise<LedgerEntryView[]> {
    if (!entries.length) return [];
    const marketId = entries[0].marketId;
    const seqs = entries.map((e) => e.seq);
    const corrections: { corrects: string; seq: string; payload: Record<string, unknown> }[] = await em.query(
      `SELECT corrects, seq, payload FROM ledger_entries WHERE market_id = $1 AND corrects = ANY($2::bigint[]) ORDER BY seq`, [marketId, seqs]);
    const actors = [...new Set(entries.map((e) => e.actorUserId).filter(Boolean))];
    // Display names where the caller may see the user; otherwise the username recorded with the entry.
    const names: { id: string; display_name: string }[] = actors.length ? await em.query('SELECT id, display_name FROM users WHERE id = ANY($1::uuid[])', [actors]) : [];
    const nameOf = new Map(names.map((n) => [n.id, n.display_name]));
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

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
