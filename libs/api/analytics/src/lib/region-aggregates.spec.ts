import { refreshedPeriods, regionLevels, standardPeriods } from './region-aggregates';

describe('region pre-aggregates', () => {
  it('counts a market under its province, city and county once each', () => {
    expect(regionLevels('410122')).toEqual(['41', '4101', '410122']);
    expect(regionLevels('4101')).toEqual(['41', '4101']);
  });
  it('lists the standard periods for a last complete day, each with the equal-length period before it', () => {
    const p = standardPeriods('2026-12-05');
    // Rolling 30 days: 11-06..12-05, before it 10-07..11-05. 90 and 365 likewise.
    expect(p).toContainEqual(['2026-11-06', '2026-12-05']);
    expect(p).toContainEqual(['2026-10-07', '2026-11-05']);
    expect(p).toContainEqual(['2025-12-06', '2026-12-05']);
    // December is not over: the last complete month is November (30 days), and the 30 days before it.
    expect(p).toContainEqual(['2026-11-01', '2026-11-30']);
    expect(p).toContainEqual(['2026-10-02', '2026-10-31']);
    // The last complete quarter (Q3, 92 days) and year (2025).
    expect(p).toContainEqual(['2026-07-01', '2026-09-30']);
    expect(p).toContainEqual(['2026-03-31', '2026-06-30']);
    expect(p).toContainEqual(['2025-01-01', '2025-12-31']);
    expect(p).toHaveLength(12);
    // On the last day of a month, quarter and year, they are the ones just ended.
    const q = standardPeriods('2026-12-31');
    expect(q).toContainEqual(['2026-12-01', '2026-12-31']);
    expect(q).toContainEqual(['2026-10-01', '2026-12-31']);
    expect(q).toContainEqual(['2026-01-01', '2026-12-31']);
  });
  it('stores the effective 求人倍率’s 30-day window ending on each standard period’s last day too, windows first, once each', () => {
    const p = refreshedPeriods('2026-12-05');
    const key = (x: [string, string]) => x.join(':');
    expect(new Set(p.map(key)).size).toBe(p.length);
    for (const s of standardPeriods('2026-12-05')) expect(p.map(key)).toContain(key(s));
    // November's window is 11-01..11-30 itself; Q3's ends 09-30 (09-01..09-30); 2025's 12-02..12-31.
    expect(p).toContainEqual(['2026-09-01', '2026-09-30']);
    expect(p).toContainEqual(['2025-12-02', '2025-12-31']);
    // A 30-day window stored before the longer period that reads it.
    const at = (x: [string, string]) => p.findIndex((y) => key(y) === key(x));
    expect(at(['2026-09-01', '2026-09-30'])).toBeLessThan(at(['2026-07-01', '2026-09-30']));
  });
});
