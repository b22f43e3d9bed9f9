import { childRegionLength, rankingMedian, rankingQuerySchema, worseThanMedian } from './ranking';

describe('ranking helpers', () => {
  it('takes the median of the rows’ values, nulls left out', () => {
    // 3, 5, 9 → 5; 3, 5, 9, 10 → (5 + 9) / 2 = 7; nothing → null.
    expect(rankingMedian([9, null, 3, 5])).toBe(5);
    expect(rankingMedian([10, 9, 3, 5])).toBe(7);
    expect(rankingMedian([1.005, 2.01])).toBe(1.51); // (1.005 + 2.01) / 2 = 1.5075 → 1.51
    expect(rankingMedian([null])).toBeNull();
  });
  it('marks a value worse than the median by the KPI’s direction', () => {
    expect(worseThanMedian(4, 5, 'up')).toBe(true);
    expect(worseThanMedian(6, 5, 'up')).toBe(false);
    expect(worseThanMedian(5, 5, 'up')).toBe(false);
    expect(worseThanMedian(6, 5, 'down')).toBe(true);
    expect(worseThanMedian(6, 5, 'none')).toBeNull();
    expect(worseThanMedian(null, 5, 'up')).toBeNull();
  });
  it('ranks the level below the scope, or the one asked for if below it', () => {
    expect(childRegionLength('')).toBe(2);
    expect(childRegionLength('41')).toBe(4);
    expect(childRegionLength('41', 'county')).toBe(6);
    expect(childRegionLength('4101')).toBe(6);
    expect(childRegionLength('410122')).toBeNull();
    expect(childRegionLength('4101', 'city')).toBeNull();
  });
  it('validates the query', () => {
    expect(rankingQuerySchema.safeParse({ from: '2026-11-01', to: '2026-11-30', groupBy: 'market' }).success).toBe(true);
    expect(rankingQuerySchema.safeParse({ from: '2026-11-01', to: '2026-11-30', groupBy: 'worker' }).success).toBe(false);
    expect(rankingQuerySchema.safeParse({ from: '2026-11-01', to: '2026-11-30', groupBy: 'region', regionLevel: 'town' }).success).toBe(false);
    expect(rankingQuerySchema.safeParse({ from: '2026-12-01', to: '2026-11-30', groupBy: 'market' }).success).toBe(false);
    expect(rankingQuerySchema.parse({ from: '2026-11-01', to: '2026-11-30', groupBy: 'operator', kpis: 'settlement_rate, hires_started' }).kpis).toEqual(['settlement_rate', 'hires_started']);
  });
});
