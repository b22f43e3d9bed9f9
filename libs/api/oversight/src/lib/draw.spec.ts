import { createHash, createHmac } from 'node:crypto';
import { candidatesDigest, drawSample, newSeed, seedCommitment } from './draw';

const cand = (i: number) => ({ marketId: 'm1', businessDay: '2026-11-20', seq: i, hash: createHash('sha256').update(`entry ${i}`).digest('hex') });

describe('the call-back draw (docs/oversight.md)', () => {
  const candidates = Array.from({ length: 50 }, (_, i) => cand(i + 1));

  it('is a function of the seed and the candidates: the same seed gives the same sample, another seed another', () => {
    const { seed } = newSeed('sha256');
    const a = drawSample('sha256', seed, candidates, 5);
    expect(drawSample('sha256', seed, [...candidates], 5)).toEqual(a);
    expect(drawSample('sha256', newSeed('sha256').seed, candidates, 5).map((d) => d.candidate.seq)).not.toEqual(a.map((d) => d.candidate.seq));
  });

  it('takes the smallest HMACs of the entry hashes keyed by the seed bytes, ranked 1…n', () => {
    const seed = 'ab'.repeat(32);
    const hmac = (h: string) => createHmac('sha256', Buffer.from(seed, 'hex')).update(h).digest('hex');
    const expected = [...candidates].sort((x, y) => (hmac(x.hash) < hmac(y.hash) ? -1 : 1)).slice(0, 3);
    expect(drawSample('sha256', seed, candidates, 3).map((d) => [d.rank, d.candidate.seq, d.hmac])).toEqual(expected.map((c, k) => [k + 1, c.seq, hmac(c.hash)]));
  });

  it('commits to the seed by the digest of its hex text, and digests the candidates line by line', () => {
    expect(seedCommitment('sha256', 'ab'.repeat(32))).toBe(createHash('sha256').update('ab'.repeat(32)).digest('hex'));
    expect(candidatesDigest('sha256', candidates.slice(0, 2))).toBe(createHash('sha256').update(candidates.slice(0, 2).map((c) => `m1:2026-11-20:${c.seq}:${c.hash}\n`).join('')).digest('hex'));
  });
});
