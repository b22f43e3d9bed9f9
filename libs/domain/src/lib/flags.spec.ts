import { FLAG_CODES, FLAG_RULES, spikesOf } from './flags';

const day = (n: number) => new Date(Date.UTC(2026, 9, 1) + n * 86_400_000).toISOString().slice(0, 10);

describe('red flags', () => {
  it('has a rule with both names and both explanations for every code', () => {
    expect(FLAG_RULES.map((r) => r.code)).toEqual([...FLAG_CODES]);
    for (const r of FLAG_RULES) expect([r.zh, r.en, r.ruleZh, r.ruleEn].every((x) => x.length > 3)).toBe(true);
  });

  it('spike: a day above 4 × the median of the open days in the 90 before it, with at least 14 of them and at least 20', () => {
    // Days 0..29 alternate 6 and 10 (median of any window of them: 8); day 30: 33 > 4 × 8 = 32 → spike; day 31: 32 = 4 × 8 → not.
    const s = new Map<string, number>();
    for (let i = 0; i < 30; i++) s.set(day(i), i % 2 ? 10 : 6);
    s.set(day(30), 33);
    s.set(day(31), 32);
    expect(spikesOf(s, day(0), day(31))).toEqual([{ day: day(30), value: 33, median: 8 }]);
    // With only 13 days of history before it, no verdict.
    const short = new Map([...s].filter(([d]) => d >= day(17)));
    expect(spikesOf(short, day(0), day(31))).toEqual([]);
    // Below the floor of 20 even if far above the median: 19 against a median of 2.
    const small = new Map<string, number>();
    for (let i = 0; i < 20; i++) small.set(day(i), 2);
    small.set(day(20), 19);
    expect(spikesOf(small, day(0), day(20))).toEqual([]);
    // Days before the period only serve as history.
    expect(spikesOf(s, day(31), day(31))).toEqual([]);
  });
});
