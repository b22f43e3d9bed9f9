import { MEDIAN_MIN_SAMPLES, MEDIAN_SHARE, postRedFlags } from './jobs';

describe('post red flags (R-B6)', () => {
  const post = { title: '装卸工', requirements: '能吃苦', workerFeeFen: 0, wageFen: 20000, wageUnit: 'day' as const, occupation: '装卸搬运工' };
  const verified = { status: 'verified', openFlags: 0 };
  const codes = (...a: Parameters<typeof postRedFlags>) => postRedFlags(...a).map((f) => f.code);

  it('raises none for a fair post by a verified employer', () => {
    expect(postRedFlags(post, verified, { n: 10, median: 20000 })).toEqual([]);
  });

  it('flags a fee asked of the worker, by amount or by word', () => {
    expect(codes({ ...post, workerFeeFen: 5000 }, verified, null)).toContain('worker_fee');
    expect(postRedFlags({ ...post, requirements: '需先交押金' }, verified, null)[0]).toEqual({ code: 'worker_fee', detail: { workerFeeFen: 0, words: ['押金', '先交'] } });
  });

  it('flags an unverified or already flagged employer', () => {
    expect(codes(post, { status: 'pending', openFlags: 0 }, null)).toEqual(['employer_unverified']);
    expect(codes(post, { status: 'verified', openFlags: 2 }, null)).toEqual(['employer_flagged']);
  });

  it('compares the day wage with the local median, or the reference wage when too few local posts', () => {
    const median = 30000;
    const below = { ...post, wageFen: Math.floor(median * MEDIAN_SHARE) - 1 };
    expect(postRedFlags(below, verified, { n: MEDIAN_MIN_SAMPLES, median })).toEqual([
      { code: 'wage_below_median', detail: { dayWageFen: below.wageFen, medianDayFen: median, basis: 'local_posts', samples: MEDIAN_MIN_SAMPLES } },
    ]);
    expect(codes({ ...post, wageFen: median * MEDIAN_SHARE }, verified, { n: MEDIAN_MIN_SAMPLES, median })).toEqual([]);
    // Too few local posts: the occupation's reference day wage (装卸搬运工: 180 元) is the basis.
    expect(postRedFlags({ ...post, wageFen: 12000 }, verified, { n: MEDIAN_MIN_SAMPLES - 1, median: 100000 })[0].detail).toMatchObject({ medianDayFen: 18000, basis: 'reference' });
    expect(codes({ ...post, wageFen: 12600 }, verified, null)).toEqual([]);
    // Piece rates have no day figure: no comparison.
    expect(codes({ ...post, wageFen: 1, wageUnit: 'piece' }, verified, null)).toEqual([]);
  });
});
