import { INDUSTRY_CODES } from './industries';
import { percentileOf, reportDeadline, submittedOnTime, workingDaysBefore } from './reports';

describe('monthly report deadlines (issue 14 §4, 001 四 "每月 28 日前")', () => {
  it('January 2026 is due on Saturday 2026-02-28, a working day under the Spring Festival arrangement (调休)', () => {
    const d = reportDeadline('2026-01');
    expect(d).toMatchObject({ nominal: '2026-02-28', due: '2026-02-28', rule: 'working_day', calendar: 'official' });
    expect(d.nominalIs).toContain('春节');
    // three working days before: Wed 25, Thu 26, Fri 27 → the 25th
    expect(d.remindOn).toEqual(['2026-02-25', '2026-02-28']);
  });
  it('February 2026 is due on Monday 2026-03-30: Saturday 2026-03-28 is a rest day, the next working day counts (民法典 第203条)', () => {
    const d = reportDeadline('2026-02');
    expect(d).toMatchObject({ nominal: '2026-03-28', due: '2026-03-30', rule: 'moved_after_rest_day', calendar: 'official', nominalIs: 'Saturday' });
    expect(d.remindOn).toEqual(['2026-03-25', '2026-03-30']);
    expect(submittedOnTime('2026-03-30', d)).toBe(true);
    expect(submittedOnTime('2026-03-31', d)).toBe(false);
  });
  it('a 28th on a holiday moves past the whole holiday (September 2026 → 2026-10-28 is a Wednesday, on the day)', () => {
    expect(reportDeadline('2026-09')).toMatchObject({ due: '2026-10-28', rule: 'working_day' });
  });
  it('2027 is not published yet: weekends only, flagged', () => {
    // 2027-02-28 is a Sunday: Monday 1 March on weekends only; the flag says the official arrangement was not known.
    expect(reportDeadline('2027-01')).toMatchObject({ nominal: '2027-02-28', due: '2027-03-01', calendar: 'weekends_only', nominalIs: 'unpublished' });
    // December 2026's report is due in January 2027: also flagged.
    expect(reportDeadline('2026-12')).toMatchObject({ nominal: '2027-01-28', due: '2027-01-28', calendar: 'weekends_only' });
    expect(reportDeadline('2026-11')).toMatchObject({ due: '2026-12-28', calendar: 'official' });
  });
  it('refuses a bad month', () => {
    expect(() => reportDeadline('2026-13')).toThrow();
  });
  it('working days before skip rest days', () => {
    expect(workingDaysBefore('2026-03-30', 1)).toBe('2026-03-27');
  });
});

describe('report figures helpers', () => {
  it('GB/T 4754 sections A–T', () => {
    expect(INDUSTRY_CODES).toEqual('ABCDEFGHIJKLMNOPQRST'.split(''));
  });
  it('percentiles, nearest rank', () => {
    const h: [number, number][] = [[100, 1], [200, 2], [300, 1]];
    expect([percentileOf(h, 0.25), percentileOf(h, 0.5), percentileOf(h, 0.75)]).toEqual([100, 200, 200]);
    expect(percentileOf([], 0.5)).toBeNull();
  });
});
