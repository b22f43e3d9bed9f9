import { CalendarGapError, addWorkingDays, calendarCovers, isWorkingDay } from './working-days';

/**
 * Real dates, checked against the State Council's notices as carried by the `chinese-days` package
 * (version 1.5.7 in package-lock.json): 《国务院办公厅关于2025年部分节假日安排的通知》 — National Day and
 * Mid-Autumn 2025: 1–8 October off, Sunday 28 September and Saturday 11 October worked; Spring
 * Festival 2025: 28 January – 4 February off, Sunday 26 January and Saturday 8 February worked.
 */
describe('working days (China, official calendar)', () => {
  it('knows the adjusted workdays and holidays of 2025', () => {
    expect(isWorkingDay('2025-09-28')).toBe(true); // a Sunday worked
    expect(isWorkingDay('2025-10-08')).toBe(false);
    expect(isWorkingDay('2025-10-11')).toBe(true); // a Saturday worked
    expect(isWorkingDay('2025-01-26')).toBe(true);
    expect(isWorkingDay('2025-01-29')).toBe(false); // 春节
  });

  it('a complaint received on 2025-09-30 with 5 working days is due on 2025-10-14 (Oct 9, 10, 11 (adjusted), 13, 14)', () => {
    expect(addWorkingDays('2025-09-30', 5)).toBe('2025-10-14');
    expect(addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
  });

  it('across the 2025 Spring Festival: received Friday 24 January, 5 working days → 7 February', () => {
    expect(addWorkingDays('2025-01-24', 5)).toBe('2025-02-07');
    expect(addWorkingDays('2025-01-24', 15)).toBe('2025-02-20'); // Saturday 8 February counts
  });

  it('a matter received on a Saturday starts its clock on the next working day', () => {
    expect(addWorkingDays('2025-11-22', 1)).toBe('2025-11-24');
    expect(addWorkingDays('2025-11-22', 0)).toBe('2025-11-22');
  });

  it('does not mistake a weekend New Year for a covered year (2028 begins on a Saturday)', () => {
    expect(calendarCovers(2025)).toBe(true);
    expect(calendarCovers(2028)).toBe(false);
  });

  it('refuses to guess a year the calendar does not cover yet', () => {
    const uncovered = [2027, 2028, 2030].find((y) => !calendarCovers(y));
    expect(uncovered).toBeDefined();
    expect(() => isWorkingDay(`${uncovered}-03-01`)).toThrow(CalendarGapError);
    expect(() => addWorkingDays(`${(uncovered as number) - 1}-12-28`, 10)).toThrow(CalendarGapError);
  });
});
