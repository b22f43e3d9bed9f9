import type { KeyObject } from 'node:crypto';
import {
  GENESIS, entryHash, merkleRoot, sealDigest, verifyDigest,
  type LedgerEntry, type LedgerReceipt, type LedgerSeal,
} from './chain';

export type ProblemCode =
  | 'gap' | 'out_of_order' | 'prev_hash' | 'hash' | 'market' | 'day_order'
  | 'seal_count' | 'seal_range' | 'seal_last_hash' | 'seal_merkle' | 'seal_digest' | 'seal_signature' | 'seal_unknown_key'
  | 'receipt_missing' | 'receipt_mismatch' | 'unsealed_day_missing'
  // A `handover` entry (issue 16 §4) that does not cite the outgoing operator's last seal as given.
  | 'handover_seal';

function closeDay(d: DayStats): void {
  if (d.hashes) {
    d.root = merkleRoot(d.alg, d.hashes);
    d.hashes = null;
  }
}
function rootOf(d: DayStats, alg: LedgerEntry['alg']): string | null {
  if (d.hashes) return merkleRoot(alg, d.hashes);
  return d.root;
}

const ENTRY_CODES = new Set<ProblemCode>(['gap', 'out_of_order', 'prev_hash', 'hash', 'market', 'day_order']);

export interface LedgerProblem { marketId: string; seq: number | null; businessDay: string | null; code: ProblemCode; detail: string }

export interface VerifyReport {
  ok: boolean;
  markets: number;
  entries: number;
  seals: number;
  receipts: number;
  /** The earliest problem by market and sequence: what an auditor looks at first. */
  firstBad: LedgerProblem | null;
  problems: LedgerProblem[];
}

interface DayStats { count: number; firstSeq: number; lastSeq: number; lastHash: string; alg: LedgerEntry['alg']; hashes: string[] | null; root: string | null }
/**
 * Per market: where the chain is, and the stats of each sealed segment — a day, or with supplementary
 * seals (issue 17 §1) each part of a day, keyed `day#part` — of which only the current one keeps its hashes.
 */
interface MarketState { expectSeq: number; prevHash: string; lastDay: string | null; lastSegment: string | null; days: Map<string, DayStats> }

const segmentKey = (day: string, part: number | undefined) => `${day}#${part ?? 0}`;

export interface VerifierOptions {
  publicKeys: Record<string, KeyObject>;
  /** Check each seal against the authority's receipts (the offline verifier, the nightly job). */
  requireReceipts: boolean;
  /** Start of a partial chain: the sequence and hash just before the first entry given. */
  start?: Record<string, { seq: number; hash: string }>;
}

/**
 * Streaming verification: feed entries in sequence order per market (markets may interleave), then
 * seals and receipts, then `finish()`. Memory holds one day's hashes per market, so millions of
 * entries verify in one pass.
 */
export class LedgerVerifier {
  private readonly markets = new Map<string, MarketState>();
  private readonly seals: LedgerSeal[] = [];
  /** Seals given before their day's entries, by `market|day`: where a day's parts end. */
  private readonly partsOf = new Map<string, LedgerSeal[]>();
  private readonly receipts = new Map<string, LedgerReceipt>();
  private readonly problems: LedgerProblem[] = [];
  private entryCount = 0;
  /** `handover` entries (issue 16 §4) and the first sequence given per market: checked against the seals in finish(). */
  private readonly handovers: LedgerEntry[] = [];
  private readonly firstSeq = new Map<string, number>();

  constructor(private readonly opts: VerifierOptions) {}

  private problem(p: LedgerProblem) {
    if (this.problems.length < 1000) this.problems.push(p);
  }

  private state(marketId: string): MarketState {
    let s = this.markets.get(marketId);
    if (!s) {
      const start = this.opts.start?.[marketId];
      s = { expectSeq: (start?.seq ?? 0) + 1, prevHash: start?.hash ?? GENESIS, lastDay: null, lastSegment: null, days: new Map() };
      this.markets.set(marketId, s);
    }
    return s;
  }

  addEntry(e: LedgerEntry): void {
    this.entryCount++;
    const s = this.state(e.marketId);
    if (!this.firstSeq.has(e.marketId)) this.firstSeq.set(e.marketId, e.seq);
    if (e.kind === 'handover') this.handovers.push(e);
    const at = { marketId: e.marketId, seq: e.seq, businessDay: e.businessDay };
    if (e.seq !== s.expectSeq) {
      this.problem({ ...at, seq: Math.min(e.seq, s.expectSeq), code: e.seq > s.expectSeq ? 'gap' : 'out_of_order', detail: `expected sequence ${s.expectSeq}, found ${e.seq}` });
    }
    if (e.prevHash !== s.prevHash) this.problem({ ...at, code: 'prev_hash', detail: 'does not link to the previous entry' });
    const recomputed = entryHash(e);
    if (recomputed !== e.hash) this.problem({ ...at, code: 'hash', detail: 'content does not match its hash (changed after recording)' });
    if (s.lastDay && e.businessDay < s.lastDay) this.problem({ ...at, code: 'day_order', detail: `business day ${e.businessDay} after ${s.lastDay}` });
    const key = segmentKey(e.businessDay, this.partOf(e));
    let d = s.days.get(key);
    if (!d) {
      // A new day (or part of one): the previous one is complete, so keep only its Merkle root (memory stays at one day).
      const prev = s.lastSegment ? s.days.get(s.lastSegment) : undefined;
      if (prev) closeDay(prev);
      s.days.set(key, (d = { count: 0, firstSeq: e.seq, lastSeq: e.seq, lastHash: e.hash, alg: e.alg, hashes: [], root: null }));
    }
    s.lastSegment = key;
    d.count++;
    d.lastSeq = e.seq;
    d.lastHash = e.hash;
    if (d.hashes) d.hashes.push(e.hash);
    else d.root = null; // entries of a day that had already ended (out of order): recomputed below from nothing

    s.lastDay = e.businessDay;
    // Continue from the stored hash so one bad entry is reported once, not for every later one.
    s.prevHash = e.hash;
    s.expectSeq = e.seq + 1;
  }

  /**
   * A seal. Given before its day's entries (the API and the JSONL export put seals first), it also tells
   * where the day's parts end, so a day with supplementary seals verifies part by part; given after
   * them (older exports), the whole day is one part, as every day was before supplementary seals.
   */
  addSeal(seal: LedgerSeal): void {
    this.seals.push(seal);
    const k = `${seal.marketId}|${seal.businessDay}`;
    const list = this.partsOf.get(k) ?? [];
    list.push(seal);
    list.sort((a, b) => (a.part ?? 0) - (b.part ?? 0));
    this.partsOf.set(k, list);
  }

  /** The part of its day an entry belongs to: the first seal of the day whose range reaches it, else the open tail after the last. */
  private partOf(e: LedgerEntry): number {
    const parts = this.partsOf.get(`${e.marketId}|${e.businessDay}`);
    if (!parts) return 0;
    for (const p of parts) if (p.lastSeq != null && e.seq <= p.lastSeq) return p.part ?? 0;
    return (parts[parts.length - 1].part ?? 0) + 1;
  }

  /**
   * A market passed to a successor (issue 16 §4): its `handover` entry cites the outgoing operator's last seal
   * (`payload.lastSeal`: day, part, last sequence, digest). That seal must end right before the entry, and where the
   * input reaches back to it, be given with exactly that digest (its own checks and its receipt then cover it), so the
   * chain verifies across the handover and neither side can rewrite what was handed over.
   */
  private checkHandovers(): void {
    for (const h of this.handovers) {
      const at = { marketId: h.marketId, seq: h.seq, businessDay: h.businessDay };
      const cited = (h.payload as { lastSeal?: { businessDay?: string; part?: number; lastSeq?: number; digest?: string } }).lastSeal;
      if (!cited || typeof cited.digest !== 'string' || typeof cited.lastSeq !== 'number' || typeof cited.businessDay !== 'string') {
        this.problem({ ...at, code: 'handover_seal', detail: 'the handover entry cites no seal' });
        continue;
      }
      if (cited.lastSeq !== h.seq - 1) {
        this.problem({ ...at, code: 'handover_seal', detail: `the cited seal ends at ${cited.lastSeq}, not right before the handover` });
        continue;
      }
      if ((this.firstSeq.get(h.marketId) ?? h.seq) > cited.lastSeq) continue; // the cited seal is before this input's range
      const seal = this.seals.find((x) => x.marketId === h.marketId && x.businessDay === cited.businessDay && (x.part ?? 0) === (cited.part ?? 0));
      if (!seal) this.problem({ ...at, code: 'handover_seal', detail: `the cited seal of ${cited.businessDay} is missing` });
      else if (seal.digest !== cited.digest || seal.lastSeq !== cited.lastSeq) this.problem({ ...at, code: 'handover_seal', detail: 'the cited seal digest differs from the seal' });
    }
  }

  addReceipt(r: LedgerReceipt): void {
    this.receipts.set(`${r.marketId}|${r.businessDay}|${r.part ?? 0}`, r);
  }

  finish(): VerifyReport {
    this.checkHandovers();
    const sealed = new Set<string>();
    for (const seal of this.seals) {
      const at = { marketId: seal.marketId, businessDay: seal.businessDay, seq: seal.firstSeq };
      sealed.add(`${seal.marketId}|${seal.businessDay}|${seal.part ?? 0}`);
      const day = this.markets.get(seal.marketId)?.days.get(segmentKey(seal.businessDay, seal.part));
      const count = day?.count ?? 0;
      if (count !== seal.count) this.problem({ ...at, seq: day ? day.lastSeq : seal.firstSeq, code: 'seal_count', detail: `seal says ${seal.count} entries, found ${count}` });
      else if (day && (day.firstSeq !== seal.firstSeq || day.lastSeq !== seal.lastSeq)) this.problem({ ...at, seq: day.firstSeq, code: 'seal_range', detail: `seal covers ${seal.firstSeq}–${seal.lastSeq}, found ${day.firstSeq}–${day.lastSeq}` });
      if (day && day.lastHash !== seal.lastHash) this.problem({ ...at, seq: day.lastSeq, code: 'seal_last_hash', detail: 'the day\'s last hash differs from the seal' });
      if (day && rootOf(day, seal.alg) !== seal.merkleRoot) this.problem({ ...at, seq: day.firstSeq, code: 'seal_merkle', detail: 'the day\'s Merkle root differs from the seal' });
      const digest = sealDigest(seal);
      if (digest !== seal.digest) this.problem({ ...at, code: 'seal_digest', detail: 'the seal was altered' });
      const key = this.opts.publicKeys[seal.keyId];
      if (!key) this.problem({ ...at, code: 'seal_unknown_key', detail: `no public key ${seal.keyId}` });
      else if (!verifyDigest(key, digest, seal.signature)) this.problem({ ...at, code: 'seal_signature', detail: 'the platform signature does not match' });
      if (this.opts.requireReceipts) {
        const r = this.receipts.get(`${seal.marketId}|${seal.businessDay}|${seal.part ?? 0}`);
        if (!r) this.problem({ ...at, code: 'receipt_missing', detail: 'the authority holds no receipt for this seal' });
        else if (r.sealDigest !== digest || r.sealDigest !== seal.digest) this.problem({ ...at, code: 'receipt_mismatch', detail: 'the seal differs from the receipt the authority holds' });
      }
    }
    if (this.opts.requireReceipts) {
      // A receipt without a seal: the seal (and likely its day) was removed.
      for (const r of this.receipts.values()) {
        if (!sealed.has(`${r.marketId}|${r.businessDay}|${r.part ?? 0}`) && this.markets.has(r.marketId)) {
          const day = this.markets.get(r.marketId)?.days.get(segmentKey(r.businessDay, r.part));
          this.problem({ marketId: r.marketId, businessDay: r.businessDay, seq: day?.firstSeq ?? null, code: 'receipt_mismatch', detail: 'the authority holds a receipt for a day with no seal' });
        }
      }
    }
    const problems = [...this.problems].sort((a, b) =>
      a.marketId.localeCompare(b.marketId) || (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER) || (a.businessDay ?? '').localeCompare(b.businessDay ?? ''));
    return {
      ok: problems.length === 0, markets: this.markets.size, entries: this.entryCount, seals: this.seals.length,
      // A broken link between entries pinpoints the tampering; seal and receipt problems name a whole day.
      receipts: this.receipts.size, firstBad: problems.find((p) => ENTRY_CODES.has(p.code)) ?? problems[0] ?? null, problems,
    };
  }
}
