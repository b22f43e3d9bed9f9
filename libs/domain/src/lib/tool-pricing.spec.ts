import { damageWithinValue, daysKept, rentalFeeNote, settleReturn } from './tools';

describe('tool rental pricing (R-B11 量化计价)', () => {
  it('counts Asia/Shanghai calendar days kept, at least one', () => {
    expect(daysKept(new Date('2026-11-20T01:00:00Z'), new Date('2026-11-20T09:00:00Z'))).toBe(1);
    // 23:30 on the 20th to 00:30 on the 21st in Shanghai: two calendar days, one night.
    expect(daysKept(new Date('2026-11-20T15:30:00Z'), new Date('2026-11-20T16:30:00Z'))).toBe(1);
    expect(daysKept(new Date('2026-11-20T01:00:00Z'), new Date('2026-11-23T01:00:00Z'))).toBe(3);
    // 07:00 Shanghai on the 20th to 09:00 Shanghai on the 22nd: UTC days would say 3 (19th → 22nd).
    expect(daysKept(new Date('2026-11-19T23:00:00Z'), new Date('2026-11-22T01:00:00Z'))).toBe(2);
  });

  it('takes the fee, then the damage, from the deposit and leaves the rest due', () => {
    expect(settleReturn(5000, 1000, 3, 8000)).toEqual({
      feeFen: 3000, damageFen: 8000, forfeitedFen: 5000, refundedFen: 0, balanceDueFen: 6000, feeFromDepositFen: 3000, damageFromDepositFen: 2000,
      feeCapped: false,
    });
    expect(settleReturn(2000, 0, 5, 0)).toMatchObject({ feeFen: 0, forfeitedFen: 0, refundedFen: 2000, balanceDueFen: 0 });
    expect(settleReturn(10000, 500, 2, 2000)).toMatchObject({ forfeitedFen: 3000, refundedFen: 7000, balanceDueFen: 0 });
  });

  it('caps the fee at the tool\'s value, however long it was kept', () => {
    expect(settleReturn(5000, 1000, 100, 0, 40000)).toMatchObject({ feeFen: 40000, forfeitedFen: 5000, refundedFen: 0, balanceDueFen: 35000, feeCapped: true });
    expect(settleReturn(5000, 1000, 3, 0, 40000)).toMatchObject({ feeFen: 3000, feeCapped: false });
    expect(rentalFeeNote(100, 1000, true)).toBe('100 天 × 1000 分，以工具价值为限');
    expect(rentalFeeNote(3, 1000, false)).toBe('3 天 × 1000 分');
  });

  it('never charges more damage than the tool is worth', () => {
    expect(damageWithinValue(40000, 40000)).toBe(true);
    expect(damageWithinValue(40001, 40000)).toBe(false);
  });
});
