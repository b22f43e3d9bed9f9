import { canonicalJson, entryCanonical, entryHash, GENESIS, merkleRoot, sealDigest, signDigest, verifyDigest, ed25519FromSeed, type LedgerEntry } from './chain';
import { LedgerVerifier } from './verify';

const base = (seq: number, prevHash: string, day = '2026-11-20'): Omit<LedgerEntry, 'hash'> => ({
  marketId: 'm1', seq, kind: 'manual_note', occurredAt: '2026-11-20T01:02:03.004Z', recordedAt: '2026-11-20T01:02:03.005Z',
  businessDay: day, actorUserId: null, subjectType: 'Market', subjectId: 'm1', payload: { z: 1, a: { y: [2, 'x'], b: null }, t: '巡查' },
  corrects: null, reason: null, attachments: ['ab'], prevHash, alg: 'sm3',
});

describe('ledger chain', () => {
  it('writes the entry canonically, identical to the generic canonical JSON', () => {
    const e = base(1, GENESIS);
    const generic = canonicalJson({
      v: 1, marketId: e.marketId, seq: e.seq, kind: e.kind, occurredAt: e.occurredAt, recordedAt: e.recordedAt, businessDay: e.businessDay,
      actorUserId: e.actorUserId, subjectType: e.subjectType, subjectId: e.subjectId, payload: e.payload, corrects: e.corrects,
      reason: e.reason, attachments: e.attachments, alg: e.alg,
    });
    expect(entryCanonical(e)).toBe(generic);
    expect(entryCanonical(e)).toContain('"payload":{"a":{"b":null,"y":[2,"x"]},"t":"巡查","z":1}');
  });

  it('verifies a clean chain with its seal, and names the first changed entry', () => {
    const key = ed25519FromSeed('11'.repeat(32));
    const entries: LedgerEntry[] = [];
    let prev = GENESIS;
    for (let i = 1; i <= 5; i++) {
      const e = base(i, prev, i <= 3 ? '2026-11-20' : '2026-11-21');
      const full = { ...e, hash: entryHash(e) };
      entries.push(full);
      prev = full.hash;
    }
    const day = entries.slice(0, 3);
    const s = { marketId: 'm1', businessDay: '2026-11-20', count: 3, firstSeq: 1, lastSeq: 3, lastHash: day[2].hash, merkleRoot: merkleRoot('sm3', day.map((e) => e.hash)), closedAt: '2026-11-20T16:00:00.000Z', late: false, alg: 'sm3' as const, keyId: 'k' };
    const digest = sealDigest(s);
    const seal = { ...s, digest, signature: signDigest(key.privateKey, digest) };
    expect(verifyDigest(key.publicKey, digest, seal.signature)).toBe(true);
    const run = (list: LedgerEntry[]) => {
      const v = new LedgerVerifier({ publicKeys: { k: key.publicKey }, requireReceipts: true });
      list.forEach((e) => v.addEntry(e));
      v.addSeal(seal);
      v.addReceipt({ marketId: 'm1', businessDay: '2026-11-20', sealDigest: digest, receivedAt: '' });
      return v.finish();
    };
    expect(run(entries)).toMatchObject({ ok: true, entries: 5, seals: 1 });
    const tampered = entries.map((e) => (e.seq === 2 ? { ...e, payload: { t: '改' } } : e));
    expect(run(tampered).firstBad).toMatchObject({ seq: 2, code: 'hash' });
  });

  it('verifies a day with a supplementary seal part by part (issue 17 §1), and keeps a first seal\'s digest as before', () => {
    const key = ed25519FromSeed('11'.repeat(32));
    const entries: LedgerEntry[] = [];
    let prev = GENESIS;
    for (let i = 1; i <= 5; i++) {
      const e = base(i, prev, i <= 4 ? '2026-11-20' : '2026-11-21');
      entries.push({ ...e, hash: entryHash(e) });
      prev = entries[entries.length - 1].hash;
    }
    const sealOf = (part: number, list: LedgerEntry[], reason?: string) => {
      const s = { marketId: 'm1', businessDay: '2026-11-20', count: list.length, firstSeq: list[0].seq, lastSeq: list[list.length - 1].seq, lastHash: list[list.length - 1].hash,
        merkleRoot: merkleRoot('sm3', list.map((e) => e.hash)), closedAt: '2026-11-20T05:27:00.000Z', late: false, alg: 'sm3' as const, keyId: 'k', part, reason };
      const digest = sealDigest(s);
      return { ...s, digest, signature: signDigest(key.privateKey, digest) };
    };
    // A first seal without a reason hashes exactly as every seal did before parts existed.
    const plain = sealOf(0, entries.slice(0, 2));
    const { part: _p, reason: _r, ...old } = plain;
    expect(sealDigest(old)).toBe(plain.digest);
    const early = sealOf(0, entries.slice(0, 2), '市场提前收市');
    const supplement = sealOf(1, entries.slice(2, 4));
    const run = (list: LedgerEntry[], seals: typeof early[]) => {
      const v = new LedgerVerifier({ publicKeys: { k: key.publicKey }, requireReceipts: true });
      seals.forEach((s) => v.addSeal(s));
      list.forEach((e) => v.addEntry(e));
      seals.forEach((s) => v.addReceipt({ marketId: 'm1', businessDay: s.businessDay, sealDigest: s.digest, receivedAt: '', part: s.part }));
      return v.finish();
    };
    expect(run(entries, [early, supplement])).toMatchObject({ ok: true, seals: 2 });
    // Without the supplementary seal, the tail of the day is simply unsealed.
    expect(run(entries, [early])).toMatchObject({ ok: true, seals: 1 });
    // A supplementary entry changed after its seal is caught in that part.
    const tampered = entries.map((e) => (e.seq === 4 ? { ...e, hash: entries[3].hash.replace(/^./, '0') } : e));
    expect(run(tampered, [early, supplement]).ok).toBe(false);
  });
});
