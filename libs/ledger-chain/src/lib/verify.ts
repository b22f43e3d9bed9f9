import type { KeyObject } from 'node:crypto';
import {
  GENESIS, entryHash, merkleRoot, sealDigest, verifyDigest,
  type LedgerEntry, type LedgerReceipt, type LedgerSeal,
} from './chain';

export type ProblemCode =
  | 'gap' | 'out_of_order' | 'prev_hash' | 'hash' | 'market' | 'day_order'
  | 'seal_count' | 'seal_range' | 'seal_last_hash' | 'seal_merkle' | 'seal_digest' | 'seal_signature' | 'seal_unknown_key'
  | 'receipt_missing' | 'receipt_mismatch' | 'unsealed_day_missing';

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
interface MarketState { expectSeq: number; prevHash: string; lastDay: string | null; days: Map<string, DayStats> }

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
  private readonly receipts = new Map<string, LedgerReceipt>();
  private readonly problems: LedgerProblem[] = [];
  private entryCount = 0;

  constructor(private readonly opts: VerifierOptions) {}

  private problem(p: LedgerProblem) {
    if (this.problems.length < 1000) this.problems.push(p);
  }

  private state(marketId: string): MarketState {
    let s = this.markets.get(marketId);
    if (!s) {
      const start = this.opts.start?.[marketId];
      s = { expectSeq: (start?.seq ?? 0) + 1, prevHash: start?.hash ?? GENESIS, lastDay: null, days: new Map() };
      this.markets.set(marketId, s);
    }
    return s;
  }

  addEntry(e: LedgerEntry): void {
    this.entryCount++;
    const s = this.state(e.marketId);
    const at = { marketId: e.marketId, seq: e.seq, businessDay: e.businessDay };
    if (e.seq !== s.expectSeq) {
      this.problem({ ...at, seq: Math.min(e.seq, s.expectSeq), code: e.seq > s.expectSeq ? 'gap' : 'out_of_order', detail: `expected sequence ${s.expectSeq}, found ${e.seq}` });
    }
    if (e.prevHash !== s.prevHash) this.problem({ ...at, code: 'prev_hash', detail: 'does not link to the previous entry' });
    const recomputed = entryHash(e);
    if (recomputed !== e.hash) this.problem({ ...at, code: 'hash', detail: 'content does not match its hash (changed after recording)' });
    if (s.lastDay && e.businessDay < s.lastDay) this.problem({ ...at, code: 'day_order', detail: `business day ${e.businessDay} after ${s.lastDay}` });
    let d = s.days.get(e.businessDay);
    if (!d) {
      // A new day: the previous one is complete, so keep only its Merkle root (memory stays at one day).
      const prev = s.lastDay ? s.days.get(s.lastDay) : undefined;
      if (prev) closeDay(prev);
      s.days.set(e.businessDay, (d = { count: 0, firstSeq: e.seq, lastSeq: e.seq, lastHash: e.hash, alg: e.alg, hashes: [], root: null }));
    }
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

  addSeal(seal: LedgerSeal): void {
    this.seals.push(seal);
  }

  addReceipt(r: LedgerReceipt): void {
    this.receipts.set(`${r.marketId}|${r.businessDay}`, r);
  }

  finish(): VerifyReport {
    const sealed = new Set<string>();
    for (const seal of this.seals) {
      const at = { marketId: seal.marketId, businessDay: seal.businessDay, seq: seal.firstSeq };
      sealed.add(`${seal.marketId}|${seal.businessDay}`);
      const day = this.markets.get(seal.marketId)?.days.get(seal.businessDay);
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
        const r = this.receipts.get(`${seal.marketId}|${seal.businessDay}`);
        if (!r) this.problem({ ...at, code: 'receipt_missing', detail: 'the authority holds no receipt for this seal' });
        else if (r.sealDigest !== digest || r.sealDigest !== seal.digest) this.problem({ ...at, code: 'receipt_mismatch', detail: 'the seal differs from the receipt the authority holds' });
      }
    }
    if (this.opts.requireReceipts) {
      // A receipt without a seal: the seal (and likely its day) was removed.
      for (const r of this.receipts.values()) {
        if (!sealed.has(`${r.marketId}|${r.businessDay}`) && this.markets.has(r.marketId)) {
          const day = this.markets.get(r.marketId)?.days.get(r.businessDay);
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
