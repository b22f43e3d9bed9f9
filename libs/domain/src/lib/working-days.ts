import { getDayDetail, isWorkday } from 'chinese-days';

/**
 * China's working days (法定工作日), holidays and adjusted workdays (调休) included, from the maintained
 * `chinese-days` package (its data follows the State Council's yearly holiday notices; no hand-typed
 * list here). Used for administrative time limits such as complaint deadlines (issue 6, R-C2).
 *
 * A year the package does not know yet (the State Council publishes each year's arrangement in the
 * autumn before) is refused with CalendarGapError rather than guessed: New Year's Day is a statutory
 * holiday every year, so a year whose 1 January is not named as 元旦 in the data is not covered (a
 * weekend 1 January is a rest day even in a year the data does not know, so "not a working day" is
 * not enough).
 */
export class CalendarGapError extends Error {
  constructor(readonly year: number) {
    super(`calendar_year_not_covered:${year}`);
  }
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function calendarCovers(year: number): boolean {
  return getDayDetail(`${year}-01-01`).name.includes('元旦');
}

export function isWorkingDay(day: string): boolean {
  const m = DAY.exec(day);
  if (!m) throw new Error(`not a date: ${day}`);
  const year = Number(m[1]);
  if (!calendarCovers(year)) throw new CalendarGapError(year);
  return isWorkday(day);
}

/** The calendar day after `day` (YYYY-MM-DD). */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * The due date of a time limit of `n` working days counted as administrative limits are: the day of
 * receipt is not counted, counting starts the next day, and only working days count — so a limit can
 * never end on a rest day, and a matter received on a Saturday starts its clock on the next working
 * day. `n` = 0 means "by the end of the day of receipt".
 */
export function addWorkingDays(received: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new Error(`bad working-day count: ${n}`);
  let day = received;
  isWorkingDay(received); // validates the date and the calendar's coverage
  for (let counted = 0; counted < n; ) {
    day = nextDay(day);
    if (isWorkingDay(day)) counted++;
  }
  return day;
}
