import { z } from 'zod';
import { getDayDetail, isWorkday } from 'chinese-days';
import { calendarCovers } from './working-days';
import { multiline } from './text';

/**
 * Monthly supply–demand analysis (供求分析) and its reporting chain (issue 14 §3–5; R-E3–E6; notice 001 四:
 * "各设区市人社部门……每月 28 日前向省厅报送供求分析报告"). Pure rules: the industry code list, the deadline
 * from China's calendar, the reminder days, the schemas and the shape of a report's figures.
 */

// ------------------------------------------------------------------ deadlines

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const addDay = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The month after `month` (YYYY-MM). */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
/** First and last day of a month. */
export function monthRange(month: string): { from: string; to: string } {
  if (!MONTH.test(month)) throw new Error(`not a month: ${month}`);
  const from = `${month}-01`;
  return { from, to: addDay(`${nextMonth(month)}-01`, -1) };
}

/**
 * Whether a day is a working day, and by which calendar: the State Council's published arrangement
 * (`chinese-days`, adjusted working Saturdays included) where the year is covered, otherwise weekends only
 * (Saturday and Sunday off, no holidays): a year whose arrangement is not published yet (2027 at the time
 * of writing) is computed this way and the answer is flagged `official: false`.
 */
export function workingDayOf(day: string): { working: boolean; official: boolean } {
  const year = Number(day.slice(0, 4));
  if (calendarCovers(year)) return { working: isWorkday(day), official: true };
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return { working: dow !== 0 && dow !== 6, official: false };
}

export interface ReportDeadline {
  /** The month reported on (YYYY-MM). */
  month: string;
  /** The 28th of the following month (the notice's date). */
  nominal: string;
  /** The deadline: the nominal day if it is a working day, else the next working day. */
  due: string;
  /** Why `due` differs (or not): `working_day` (also an adjusted working Saturday, 调休), `moved_after_rest_day`. */
  rule: 'working_day' | 'moved_after_rest_day';
  /** Which calendar decided: `official` (the published arrangement) or `weekends_only` (year not published yet: flagged). */
  calendar: 'official' | 'weekends_only';
  /** What kind of day the 28th is, from the calendar (e.g. "Saturday", "Spring Festival,春节,4"). */
  nominalIs: string;
  /** Reminders: three working days before `due`, and `due` itself. */
  remindOn: [string, string];
}

/**
 * The deadline of a month's report. Decisions (documented in libs/api/reports/README.md "Deadlines"):
 * - The report on month M is due on the 28th of month M+1 (the month's figures are complete only after
 *   it ends; 001 四 "每月 28 日前报送").
 * - "By the 28th" counts the 28th itself (Asia/Shanghai day of submission ≤ due).
 * - A 28th that is a rest day (weekend or statutory holiday) moves to the next working day, as the Civil
 *   Code counts periods (《民法典》第二百零三条: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日).
 *   An adjusted working day (调休上班, e.g. Saturday 2026-02-28 under the Spring Festival arrangement) is a
 *   working day: the deadline stays on it.
 * - A year whose arrangement is not published (2027 now) is computed on weekends only and flagged
 *   `calendar: 'weekends_only'`; once `chinese-days` ships the year, the same call gives the official day.
 */
export function reportDeadline(month: string): ReportDeadline {
  monthRange(month);
  const nominal = `${nextMonth(month)}-28`;
  let due = nominal;
  let official = workingDayOf(nominal).official;
  for (let w = workingDayOf(due); !w.working; w = workingDayOf(due)) {
    due = addDay(due, 1);
    official = official && workingDayOf(due).official;
  }
  return {
    month, nominal, due, rule: due === nominal ? 'working_day' : 'moved_after_rest_day', calendar: official ? 'official' : 'weekends_only',
    nominalIs: calendarCovers(Number(nominal.slice(0, 4))) ? getDayDetail(nominal).name : 'unpublished',
    remindOn: [workingDaysBefore(due, 3), due],
  };
}

/** The day `n` working days before `day` (the same calendar rule as the deadline). */
export function workingDaysBefore(day: string, n: number): string {
  let d = day;
  for (let counted = 0; counted < n;) {
    d = addDay(d, -1);
    if (workingDayOf(d).working) counted++;
  }
  return d;
}

/** On time: submitted (Asia/Shanghai day) on or before the deadline. */
export function submittedOnTime(submittedDay: string, deadline: ReportDeadline): boolean {
  return submittedDay <= deadline.due;
}

// ------------------------------------------------------------------ chain

export const REPORT_LEVELS = ['county', 'city', 'province'] as const;
export type ReportLevel = (typeof REPORT_LEVELS)[number];
export const REPORT_STATUSES = ['draft', 'submitted', 'accepted', 'returned'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const reportMonth = z.string().regex(MONTH, { error: 'report_month' });
/** `reports_create`: a draft of the caller's own region for a month (a county's or a city's). */
export const createReportSchema = z.strictObject({ month: reportMonth });
/** The analyst's narrative: analysis and countermeasures (required before submission). */
// Up to 4,000 characters each (a report's sections; the bad-input suite probes with 5,000).
export const reportNarrativeSchema = z.strictObject({ analysis: multiline(10, 4000), measures: multiline(10, 4000) });
/** `reports_review`: the province accepts a city's report or returns it with a reason. */
export const reviewReportSchema = z.strictObject({ decision: z.enum(['accepted', 'returned']), reason: multiline(4, 2000).optional() })
  .refine((v) => v.decision === 'accepted' || !!v.reason?.trim(), { message: 'report_return_reason', path: ['reason'] });
export const reportPreviewSchema = z.object({ month: reportMonth, regionCode: z.string().regex(/^\d{2}(\d{2}){0,2}$/, { error: 'analytics_region_code' }) });
/** `public_releases`: optionally one province. */
export const releaseListSchema = z.object({ province: z.string().regex(/^\d{2}$/, { error: 'analytics_region_code' }).optional() });
export const releasePathSchema = z.object({ province: z.string().regex(/^\d{2}$/, { error: 'analytics_region_code' }), month: reportMonth });
export const reportListSchema = z.object({ month: reportMonth.optional(), regionCode: z.string().regex(/^\d{2}(\d{2}){0,2}$/, { error: 'analytics_region_code' }).optional() });
export const reportBoardSchema = z.object({ from: reportMonth, to: reportMonth })
  .refine((v) => v.from <= v.to, { message: 'bad_range', path: ['to'] })
  .refine((v) => Number(v.to.slice(0, 4)) * 12 + Number(v.to.slice(5)) - (Number(v.from.slice(0, 4)) * 12 + Number(v.from.slice(5))) < 24, { message: 'range_too_long', path: ['to'] });

// ------------------------------------------------------------------ figures

/** Percentiles of a wage histogram, in fen per day, and their hourly equivalents (a day is 8 hours, as `dayWageFen` converts). */
export interface WageRow { key: string; posts: number; average: number | null; p25: number | null; median: number | null; p75: number | null; hourlyMedian: number | null; hourlyP25: number | null; hourlyP75: number | null }
export interface DemandSupplyRow { key: string; demand: number; seekers: number; ratio: number | null; gap: number }
export interface CountRow { key: string; value: number }
/** The standard tables of a monthly 供求分析 (R-E3–E5), as frozen with a submitted report. */
export interface ReportFigures {
  month: string; from: string; to: string; regionCode: string; markets: number; provisional: boolean;
  totals: {
    /** Open demand carried over: headcount of posts published in the 30 days before the month, not closed by its start (the effective 求人倍率's open demand on the day before). */
    carriedOver: number;
    /** Headcount of posts published in the month (`headcount_demanded`). */
    newDemand: number; demand: number; posts: number;
    /** Distinct workers who checked in during the month. */
    seekers: number; visits: number; hiresStarted: number;
    /** 求人倍率 (`demand_ratio`, KPI catalogue): new demand ÷ seekers; and (carried over + new) ÷ seekers. */
    ratio: number | null; ratioWithCarried: number | null;
    /** Median day wage (`median_day_wage`) in fen. */
    medianDayWage: number | null;
  };
  /** Headcount demanded by the employer's GB/T 4754 section ("" = not recorded). */
  demandByIndustry: (CountRow & { posts: number; seekers: number; ratio: number | null })[];
  byOccupation: DemandSupplyRow[];
  shortages: DemandSupplyRow[]; surpluses: DemandSupplyRow[];
  wagesByIndustry: WageRow[]; wagesByOccupation: WageRow[];
  /** Headcount by the post's period of employment (same_day, days, …; "" = not recorded). */
  periodOfEmployment: CountRow[];
  /** Distinct job seekers (persons) by their recorded gender and by age band (a person counts once under each value recorded for them in the month). */
  seekersByGender: CountRow[]; seekersByAge: CountRow[];
  /** Job-seeking duration: median days and a distribution of the workers who started work. */
  seeking: { median: number | null; started: number; buckets: CountRow[] };
  byCounty: { regionCode: string; name: string; markets: number; demand: number; seekers: number; ratio: number | null; hiresStarted: number; medianDayWage: number | null }[];
}

/** A percentile (0–1) of a value → count histogram, nearest-rank. */
export function percentileOf(hist: [number, number][], p: number): number | null {
  const h = hist.filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = h.reduce((s, [, n]) => s + n, 0);
  if (!total) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const [v, n] of h) { seen += n; if (seen >= rank) return v; }
  return h[h.length - 1][0];
}

export const SEEKING_BUCKETS = [[0, 0, '0'], [1, 3, '1-3'], [4, 7, '4-7'], [8, 14, '8-14'], [15, 30, '15-30'], [31, Infinity, '31+']] as const;

export interface ReportView {
  id: string; regionCode: string; regionName: string; level: ReportLevel; month: string; version: number; status: ReportStatus;
  figures: ReportFigures | null; analysis: string | null; measures: string | null;
  /** Counties' submitted narratives attached to a city's report. */
  parts: { regionCode: string; regionName: string; reportId: string; version: number; analysis: string; measures: string }[];
  deadline: ReportDeadline; digest: string | null; submittedAt: string | null; onTime: boolean | null;
  reviewedAt: string | null; returnReason: string | null; createdAt: string;
}
export interface BoardCell { month: string; status: ReportStatus | 'missing'; version: number | null; submittedAt: string | null; onTime: boolean | null; returned: number; due: string }
export interface BoardRow { regionCode: string; regionName: string; cells: BoardCell[] }
export interface ReportBoard {
  from: string; to: string; rows: BoardRow[];
  totals: { month: string; expected: number; submitted: number; onTime: number; late: number; returned: number; reportingRate: number | null; onTimeRate: number | null }[];
}
/** The public monthly release (R-E4): published once the province accepts the month. */
export interface ReleaseView {
  provinceCode: string; provinceName: string; month: string; acceptedAt: string; reportId: string; digest: string;
  ratioByIndustry: { code: string; name: string; demand: number; ratio: number | null }[];
  ratioByOccupation: { occupation: string; demand: number; seekers: number; ratio: number | null }[];
  wageByIndustry: { code: string; name: string; posts: number; averageDayWageFen: number | null }[];
  totals: { demand: number; seekers: number; ratio: number | null };
}
