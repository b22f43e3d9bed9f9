import { createHash, createPrivateKey, createPublicKey, getHashes, sign, verify, type KeyObject } from 'node:crypto';

/**
 * The work-log ledger's tamper evidence (R-C1; issue 3). Each market's entries form a hash chain:
 * hash(n) = H(hash(n-1) ‖ canonical(entry n)), H = SM3 (GB/T 32905) where Node has it, SHA-256
 * otherwise (the algorithm is recorded on every entry and seal). A daily seal fixes the day's count,
 * first/last sequence, last hash and Merkle root, and is signed with the platform's Ed25519 key.
 */
export type HashAlg = 'sm3' | 'sha256';
export const DEFAULT_ALG: HashAlg = getHashes().includes('sm3') ? 'sm3' : 'sha256';
export const GENESIS = '0'.repeat(64);
export const LEDGER_FORMAT = 1;

export function digestHex(alg: HashAlg, data: string): string {
  return createHash(alg).update(data, 'utf8').digest('hex');
}

/** JSON with keys sorted at every level and no whitespace: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonicalJson: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  throw new Error(`canonicalJson: unsupported ${typeof value}`);
}

export interface LedgerEntry {
  marketId: string;
  seq: number;
  kind: string;
  /** When it happened (ISO 8601, UTC, milliseconds). */
  occurredAt: string;
  /** When it was recorded; later than the business day is allowed and shown as late. */
  recordedAt: string;
  /** The ledger day it belongs to (Asia/Shanghai, YYYY-MM-DD). */
  businessDay: string;
  actorUserId: string | null;
  subjectType: string | null;
  subjectId: string | null;
  payload: Record<string, unknown>;
  /** The sequence number this entry corrects, with a reason. */
  corrects: number | null;
  reason: string | null;
  /** Content hashes of attached photos or documents. */
  attachments: string[];
  prevHash: string;
  hash: string;
  alg: HashAlg;
}

/**
 * canonicalJson of the entry's fields (keys in sorted order, written out directly: this runs once per
 * entry when millions are verified). Equal, byte for byte, to canonicalJson of the same object.
 */
export function entryCanonical(e: Omit<LedgerEntry, 'hash' | 'prevHash'>): string {
  const parts: string[] = [];
  const put = (k: string, v: string | number | null | undefined) => {
    if (v !== undefined) parts.push(`"${k}":${JSON.stringify(v)}`);
  };
  put('actorUserId', e.actorUserId);
  put('alg', e.alg);
  if (e.attachments !== undefined) parts.push(`"attachments":${canonicalJson(e.attachments)}`);
  put('businessDay', e.businessDay);
  put('corrects', e.corrects);
  put('kind', e.kind);
  put('marketId', e.marketId);
  put('occurredAt', e.occurredAt);
  if (e.payload !== undefined) parts.push(`"payload":${canonicalJson(e.payload)}`);
  put('reason', e.reason);
  put('recordedAt', e.recordedAt);
  put('seq', e.seq);
  put('subjectId', e.subjectId);
  put('subjectType', e.subjectType);
  put('v', LEDGER_FORMAT);
  return `{${parts.join(',')}}`;
}

export function entryHash(e: Omit<LedgerEntry, 'hash'>): string {
  return digestHex(e.alg, e.prevHash + entryCanonical(e));
}

/** Merkle root over the day's entry hashes (leaf 00‖h, node 01‖l‖r, an odd node is carried up). */
export function merkleRoot(alg: HashAlg, hashes: readonly string[]): string {
  if (hashes.length === 0) return digestHex(alg, '');
  let level = hashes.map((h) => digestHex(alg, `00${h}`));
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? digestHex(alg, `01${level[i]}${level[i + 1]}`) : level[i]);
    level = next;
  }
  return level[0];
}

export interface LedgerSeal {
  marketId: string;
  businessDay: string;
  count: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** The chain head at the close (the previous day's head for an empty day). */
  lastHash: string;
  merkleRoot: string;
  closedAt: string;
  /** Closed by the deadline job rather than by staff. */
  late: boolean;
  /**
   * 0 for a day's first seal; 1, 2 … for a supplementary seal of entries recorded on the same date
   * after an earlier seal of it (issue 17 §1). Absent (0) on every seal written before supplementary
   * seals existed, and left out of the digest when 0, so their digests are unchanged.
   */
  part?: number;
  /** Why a day was closed before the market's closing time (an early close); in the digest when given. */
  reason?: string | null;
  alg: HashAlg;
  keyId: string;
  digest: string;
  signature: string;
}

export function sealCanonical(s: Omit<LedgerSeal, 'digest' | 'signature'>): string {
  return canonicalJson({
    v: LEDGER_FORMAT, marketId: s.marketId, businessDay: s.businessDay, count: s.count, firstSeq: s.firstSeq,
    lastSeq: s.lastSeq, lastHash: s.lastHash, merkleRoot: s.merkleRoot, closedAt: s.closedAt, late: s.late, alg: s.alg, keyId: s.keyId,
    // Only on seals that have them: a first seal without a reason hashes exactly as before issue 17.
    part: s.part ? s.part : undefined, reason: s.reason ? s.reason : undefined,
  });
}

export function sealDigest(s: Omit<LedgerSeal, 'digest' | 'signature'>): string {
  return digestHex(s.alg, sealCanonical(s));
}

/** Ed25519 signature of the seal digest, base64. */
export function signDigest(privateKey: KeyObject, digest: string): string {
  return sign(null, Buffer.from(digest, 'hex'), privateKey).toString('base64');
}

export function verifyDigest(publicKey: KeyObject, digest: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(digest, 'hex'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** An Ed25519 key from a 32-byte seed (hex), for configuration. */
export function ed25519FromSeed(seedHex: string): { privateKey: KeyObject; publicKey: KeyObject; publicPem: string } {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seedHex, 'hex')]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export function publicKeyFromPem(pem: string): KeyObject {
  return createPublicKey(pem);
}

/** The authority's copy of a seal's digest (ledger_receipts). */
export interface LedgerReceipt { marketId: string; businessDay: string; sealDigest: string; receivedAt: string; /** The seal's part (absent: 0). */ part?: number }

/** Asia/Shanghai calendar date of an instant (no DST in China since 1991: UTC+8). */
export function shanghaiDay(iso: string | Date): string {
  const t = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  return new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);
}
