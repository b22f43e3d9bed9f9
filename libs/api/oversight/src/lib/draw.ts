import { createHash, createHmac, randomBytes } from 'node:crypto';
import { DEFAULT_ALG, type HashAlg } from '@linggong/ledger-chain';

/** A candidate of a call-back sample: a sealed work-log entry, in the candidate order (market, day, seq). */
export interface DrawCandidate { marketId: string; businessDay: string; seq: number; hash: string }
export interface Drawn<C extends DrawCandidate> { candidate: C; hmac: string; rank: number }

/** A fresh seed (32 random bytes, hex) and its commitment: the SM3 (or SHA-256) digest of the seed's hex text. */
export function newSeed(alg: HashAlg = DEFAULT_ALG): { seed: string; seedHash: string; alg: HashAlg } {
  const seed = randomBytes(32).toString('hex');
  return { seed, seedHash: seedCommitment(alg, seed), alg };
}
export function seedCommitment(alg: HashAlg, seed: string): string {
  return createHash(alg).update(seed, 'utf8').digest('hex');
}

/** The digest of the candidate list, so anyone can check they start from the same entries: one line `market:day:seq:hash` each. */
export function candidatesDigest(alg: HashAlg, candidates: readonly DrawCandidate[]): string {
  const h = createHash(alg);
  for (const c of candidates) h.update(`${c.marketId}:${c.businessDay}:${c.seq}:${c.hash}\n`, 'utf8');
  return h.digest('hex');
}

/**
 * The draw (CALLBACK_DRAW_RULE in libs/domain, docs/oversight.md): rank every candidate by
 * HMAC-<alg>(key = seed bytes, message = entry hash hex text); take the `size` smallest ranks (ties by the
 * candidate order); list them by rank (1 = smallest).
 */
export function drawSample<C extends DrawCandidate>(alg: HashAlg, seed: string, candidates: readonly C[], size: number): Drawn<C>[] {
  const key = Buffer.from(seed, 'hex');
  return candidates
    .map((candidate, i) => ({ candidate, i, hmac: createHmac(alg, key).update(candidate.hash, 'utf8').digest('hex') }))
    .sort((a, b) => (a.hmac < b.hmac ? -1 : a.hmac > b.hmac ? 1 : a.i - b.i))
    .slice(0, size)
    .map((d, k) => ({ candidate: d.candidate, hmac: d.hmac, rank: k + 1 }));
}
