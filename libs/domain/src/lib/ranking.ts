import { z } from 'zod';
import { KPIS, KPI_CODES, medianOf, type KpiDef, type KpiUnit } from './kpis';
import { commaList } from './text';

/**
 * `analytics_ranking` (issue 13 §4): one row per market, operator or child region of a scope, each with
 * the requested KPIs, and the scope's median per KPI. An operator's row counts only its markets inside
 * the scope (an operator with markets in two counties has, in one county's ranking, that county's only).
 */
export const RANKING_GROUPS = ['market', 'operator', 'region'] as const;
export type RankingGroup = (typeof RANKING_GROUPS)[number];

const day = z.iso.date();
export const rankingQuerySchema = z.object({
  from: day,
  to: day,
  groupBy: z.enum(RANKING_GROUPS, { error: 'analytics_group_by' }),
  /** For `groupBy=region`: the level of the rows (default: the level below the scope's region). */
  regionLevel: z.enum(['province', 'city', 'county'], { error: 'analytics_region_level' }).optional(),
  marketId: z.uuid().optional(),
  operatorId: z.uuid().optional(),
  regionCode: z.string().regex(/^\d{2}(\d{2}){0,2}$/, { error: 'analytics_region_code' }).optional(),
  kpis: commaList(z.enum(KPI_CODES, { error: 'analytics_unknown_kpi' }), KPIS.length),
})
  .refine((v) => v.from <= v.to, { message: 'bad_range', path: ['to'] })
  .refine((v) => Date.parse(v.to) - Date.parse(v.from) <= 366 * 86_400_000, { message: 'range_too_long', path: ['to'] });
export type RankingQuery = z.infer<typeof rankingQuerySchema>;

export interface RankingFigure {
  code: string; value: number | null;
  /** Worse than the scope's median by the KPI's direction; null when either is missing or the KPI has no direction. */
  worse: boolean | null;
}
export interface RankingRow {
  group: RankingGroup;
  /** Market id, operator id or region code. */
  id: string; name: string;
  /** The row's region: a market's county, a region itself, an operator's markets' common region within the scope. */
  regionCode: string; regionName: string | null;
  markets: number;
  /** True when the period reaches past a row's market's last seal (computed live, may still change). */
  provisional: boolean;
  figures: RankingFigure[];
}
export interface RankingResult {
  from: string; to: string; groupBy: RankingGroup; markets: number;
  /** The scope's median per KPI: the median of the rows' values (rows without a value left out). */
  medians: { code: string; value: number | null; unit: KpiUnit; direction: KpiDef['direction'] }[];
  provisional: boolean;
  rows: RankingRow[];
}

/** The median of the rows' values (nulls left out); the mean of the two middle values for an even count. */
export function rankingMedian(values: (number | null)[]): number | null {
  const m = medianOf(values.filter((v): v is number => v !== null).map((v) => [v, 1]));
  return m === null ? null : Math.round(m * 100) / 100;
}

/** Whether a value is worse than the median by the KPI's direction (null: cannot tell or no direction). */
export function worseThanMedian(value: number | null, median: number | null, direction: KpiDef['direction']): boolean | null {
  if (value === null || median === null || direction === 'none') return null;
  return direction === 'up' ? value < median : value > median;
}

const LEVEL_LENGTH = { province: 2, city: 4, county: 6 } as const;
/** The code length of a ranking's region rows: the level asked for, or the one below the scope's region; null when not below it. */
export function childRegionLength(code: string, level?: keyof typeof LEVEL_LENGTH): number | null {
  const len = level ? LEVEL_LENGTH[level] : code.length + 2;
  return len > code.length && len <= 6 ? len : null;
}
