import { z } from 'zod';

/**
 * Red flags for the reviewer (issue 13 §4): per market, the signs an assessment should look at first.
 * The rules and thresholds are ours (本平台口径), documented here and in docs/kpis.md ("Red flags").
 */
export const FLAG_CODES = ['seal_missing', 'seal_late', 'chain_broken', 'complaints_overdue', 'non_payment', 'low_settlement', 'spike'] as const;
export type FlagCode = (typeof FLAG_CODES)[number];
export type FlagSeverity = 'high' | 'medium';

/** Thresholds of the rules (see `FLAG_RULES`). */
export const FLAG_THRESHOLDS = {
  /** Late seals: any late day flags; high when at least this share of the days with entries was sealed late. */
  lateHighShare: 0.2,
  /** Overdue complaints: high from this many open complaints past their deadline. */
  overdueHigh: 3,
  /** Non-payment: high from this many reports per 100 hires started. */
  nonPaymentHighPer100: 1,
  /** Low settlement: settlement rate below this (%) with at least `settlementMinHires` hires started. */
  settlementLow: 80,
  settlementHigh: 50,
  settlementMinHires: 20,
  /** Spike: a day's check-ins or hires started above `spikeFactor` × the market's median over the previous `spikeHistoryDays` days… */
  spikeFactor: 4,
  spikeHistoryDays: 90,
  /** …counting only open days (days with a value above 0), at least this many of them, and the day's value at least `spikeMin`. */
  spikeMinHistory: 14,
  spikeMin: 20,
} as const;

export interface FlagRule { code: FlagCode; zh: string; en: string; ruleZh: string; ruleEn: string; requirement: string[] }

export const FLAG_RULES: readonly FlagRule[] = [
  { code: 'seal_missing', zh: '台账未日结', en: 'Work log not sealed', ruleZh: '期间内今天以前的营业日仍有未被任何日结封存覆盖的记录（从未日结，或提前日结后补录的记录尚未补充封存）。', ruleEn: 'A business day before today with entries no seal covers (never closed, or entries recorded after an early close still waiting for their supplementary seal).', requirement: ['R-C1'] },
  { code: 'seal_late', zh: '台账逾期日结', en: 'Work log sealed late', ruleZh: '有记录的营业日未在截止前由市场日结、由系统代为日结；逾期天数达有记录天数的 20% 为高。', ruleEn: 'Days with entries the market did not seal before the deadline (sealed by the deadline job); high when 20% or more of the days with entries.', requirement: ['R-C1', 'R-E6'] },
  { code: 'chain_broken', zh: '台账校验失败', en: 'Work log failed verification', ruleZh: '夜间校验发现哈希链、封存签名或县级回执不一致。', ruleEn: 'The nightly verification found the hash chain, a seal signature or the county receipt inconsistent.', requirement: ['R-C1', 'R-F1'] },
  { code: 'complaints_overdue', zh: '投诉超期未办结', en: 'Complaints overdue', ruleZh: '目前仍未办结且已过办结期限的投诉；3 件及以上为高。', ruleEn: 'Complaints still open past their deadline now; high from 3.', requirement: ['R-C2', 'R-D2'] },
  { code: 'non_payment', zh: '欠薪报告', en: 'Non-payment reports', ruleZh: '期间内有欠薪报告；每百人次上岗 1 件及以上为高。', ruleEn: 'Non-payment reports in the period; high from 1 per 100 hires started.', requirement: ['R-B8', 'R-D2'] },
  { code: 'low_settlement', zh: '日结率偏低', en: 'Low settlement rate', ruleZh: '上岗 20 人次及以上时，日结率低于 80%；低于 50% 为高。', ruleEn: 'With 20 or more hires started, a settlement rate below 80%; high below 50%.', requirement: ['R-B5'] },
  { code: 'spike', zh: '数据异常高', en: 'A day far above its history', ruleZh: '某日签到或上岗人次超过本市场此前 90 天（有数据的日子，至少 14 天）中位数的 4 倍，且不少于 20：虚报数据的典型形态。', ruleEn: 'A day whose check-ins or hires started exceed 4 × the market’s median over the previous 90 days (open days, at least 14 of them) and are at least 20: the shape of inflated data.', requirement: ['R-E6', 'R-F1'] },
];

/** Where a flag's evidence is: the day view of one day, the entries behind a figure, or the complaint list. */
export type FlagEvidence =
  | { type: 'day'; marketId: string; day: string }
  | { type: 'drilldown'; kpi: string; part: 'value' | 'numerator' | 'denominator'; marketId: string; from: string; to: string }
  | { type: 'complaints'; marketId: string };

export interface MarketFlag {
  code: FlagCode; severity: FlagSeverity;
  marketId: string; marketName: string; operatorId: string; operatorName: string | null; regionCode: string;
  /** The figure that raised it (days, complaints, reports, % or the day's count) and what it was compared with, if anything. */
  value: number; threshold: number | null;
  /** The days concerned (late, missing, broken, the spike's day), newest first, at most 31. */
  days: string[];
  /** A short explanation with the figures, in both languages. */
  zh: string; en: string;
  evidence: FlagEvidence;
}
export interface FlagsResult { from: string; to: string; markets: number; flags: MarketFlag[] }

const day = z.iso.date();
/** `analytics_flags`: like `analytics_kpis`, a scope and a period (≤ 366 days). */
export const flagsQuerySchema = z.object({
  from: day, to: day,
  marketId: z.uuid().optional(),
  operatorId: z.uuid().optional(),
  regionCode: z.string().regex(/^\d{2}(\d{2}){0,2}$/, { error: 'analytics_region_code' }).optional(),
}).refine((v) => v.from <= v.to, { message: 'bad_range', path: ['to'] })
  .refine((v) => Date.parse(v.to) - Date.parse(v.from) <= 366 * 86_400_000, { message: 'range_too_long', path: ['to'] });
export type FlagsQuery = z.infer<typeof flagsQuerySchema>;

/** The median of a list of numbers (null when empty). */
function medianOfList(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * The spike rule on one market's daily series (day → value, open days only): the days of [from, to]
 * whose value is above `spikeFactor` × the median of the open days in the `spikeHistoryDays` before it
 * (at least `spikeMinHistory` of them) and at least `spikeMin`. Returns each with its median.
 */
export function spikesOf(series: Map<string, number>, from: string, to: string, t = FLAG_THRESHOLDS): { day: string; value: number; median: number }[] {
  const days = [...series.keys()].sort();
  const out: { day: string; value: number; median: number }[] = [];
  for (const d of days) {
    if (d < from || d > to) continue;
    const v = series.get(d) ?? 0;
    if (v < t.spikeMin) continue;
    const start = new Date(Date.parse(`${d}T00:00:00Z`) - t.spikeHistoryDays * 86_400_000).toISOString().slice(0, 10);
    const history = days.filter((x) => x >= start && x < d).map((x) => series.get(x) ?? 0).filter((x) => x > 0);
    if (history.length < t.spikeMinHistory) continue;
    const m = medianOfList(history) as number;
    if (v > t.spikeFactor * m) out.push({ day: d, value: v, median: m });
  }
  return out;
}
