import { z } from 'zod';
import { GRADES, type Grade } from './assessment';
import { multiline, nameText } from './text';

/**
 * Model markets (示范零工市场, issue 15 §5, R-F4): the province designates them from an assessment cycle's results,
 * a city grants its own city-level title the same way. The eligibility rules (docs/assessment.md "Model markets"):
 *
 * A market of the cycle (covered by one of its published assessments, in the granting authority's region) is a
 * candidate when ALL of these hold, and is excluded with every rule it fails otherwise:
 * 1. `operation_too_short` — it has operated at least `minDays` days (three months, counted as 90 days) by the
 *    day of the proposal, counted from its first work-log entry, both days included;
 * 2. `grade_below` — its assessment's grade is at or above `minGrade` (default 优);
 * 3. `result_under_appeal` — no appeal of the result is pending (an appeal lodged and not yet decided);
 * 4. `chain_broken` — falsified data: no failed work-log verification and no chain alert in the cycle's period;
 * 5. `callback_failed` — falsified data: no call-back at the market in the period whose worker denied the work or
 *    told a different story (`denied`, `differs`), and no completed call-back sample of its operator and county
 *    in the period below its threshold;
 * 6. `discrimination_upheld` — no discrimination complaint received in the period and closed substantiated
 *    (in full or in part);
 * 7. `already_titled` — it does not already hold (or stand in 公示 for) a title at this level.
 * A market with no published assessment in the cycle is not a candidate at all (`not_assessed`).
 */
export const MODEL_LEVELS = ['province', 'city'] as const;
export type ModelLevel = (typeof MODEL_LEVELS)[number];
export const MODEL_EXCLUSIONS = [
  'not_assessed', 'operation_too_short', 'grade_below', 'result_under_appeal', 'chain_broken', 'callback_failed', 'discrimination_upheld', 'already_titled',
] as const;
export type ModelExclusion = (typeof MODEL_EXCLUSIONS)[number];
export const MODEL_REASONS = ['grade', 'operation', 'chain_clean', 'callbacks_clean', 'no_discrimination'] as const;
export type ModelReason = (typeof MODEL_REASONS)[number];

export interface ModelRules { minDays: number; minGrade: Grade }
export const DEFAULT_MODEL_RULES: ModelRules = { minDays: 90, minGrade: 'excellent' };

/** What the eligibility of one market rests on, gathered from the owning contexts' exported services. */
export interface ModelMarketFacts {
  /** The first work-log entry's business day (null: none). */
  firstDay: string | null;
  /** The published result of the assessment covering the market in the cycle (null: not assessed). */
  result: { grade: Grade; total: number; underAppeal: boolean } | null;
  /** Failed verifications and chain alerts in the period. */
  chainProblems: number;
  /** Denied/differing call-backs at the market plus failed samples of its operator and county in the period. */
  callbackFailures: number;
  /** Discrimination complaints received in the period and closed substantiated (fully or partly). */
  discriminationUpheld: number;
  /** Holds, or stands in 公示 for, a title at this level. */
  titled: boolean;
}
export interface ModelNote<K extends string> { key: K; params?: Record<string, string | number> }
export interface ModelEligibility { eligible: boolean; reasons: ModelNote<ModelReason>[]; exclusions: ModelNote<ModelExclusion>[] }

/** Days from `from` to `to`, both included. */
export function daysInclusive(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}
/** A grade is at or above another (优 > 良 > 中 > 差). */
export function gradeAtLeast(grade: Grade, min: Grade): boolean {
  return GRADES.indexOf(grade) <= GRADES.indexOf(min);
}

/** The rules applied to one market on the day of the proposal: each reason it qualifies on, or each rule it fails. */
export function modelEligibility(f: ModelMarketFacts, day: string, rules: ModelRules = DEFAULT_MODEL_RULES): ModelEligibility {
  if (!f.result) return { eligible: false, reasons: [], exclusions: [{ key: 'not_assessed' }] };
  const exclusions: ModelNote<ModelExclusion>[] = [];
  const reasons: ModelNote<ModelReason>[] = [];
  const days = f.firstDay && f.firstDay <= day ? daysInclusive(f.firstDay, day) : 0;
  if (days < rules.minDays) exclusions.push({ key: 'operation_too_short', params: { days, min: rules.minDays } });
  else reasons.push({ key: 'operation', params: { days } });
  if (!gradeAtLeast(f.result.grade, rules.minGrade)) exclusions.push({ key: 'grade_below', params: { grade: f.result.grade, total: f.result.total, min: rules.minGrade } });
  else reasons.push({ key: 'grade', params: { grade: f.result.grade, total: f.result.total } });
  if (f.result.underAppeal) exclusions.push({ key: 'result_under_appeal' });
  if (f.chainProblems > 0) exclusions.push({ key: 'chain_broken', params: { count: f.chainProblems } });
  else reasons.push({ key: 'chain_clean' });
  if (f.callbackFailures > 0) exclusions.push({ key: 'callback_failed', params: { count: f.callbackFailures } });
  else reasons.push({ key: 'callbacks_clean' });
  if (f.discriminationUpheld > 0) exclusions.push({ key: 'discrimination_upheld', params: { count: f.discriminationUpheld } });
  else reasons.push({ key: 'no_discrimination' });
  if (f.titled) exclusions.push({ key: 'already_titled' });
  return exclusions.length ? { eligible: false, reasons: [], exclusions } : { eligible: true, reasons, exclusions: [] };
}

/** The level an authority grants: the province its provincial title, a city its city-level one; nobody else. */
export function modelLevelOf(orgKind: string): ModelLevel | null {
  return orgKind === 'province' ? 'province' : orgKind === 'city' ? 'city' : null;
}

// ------------------------------------------------------------------ schemas

export const modelEligibilityQuerySchema = z.strictObject({ cycleId: z.uuid() });
export const proposeModelMarketsSchema = z.strictObject({
  cycleId: z.uuid(),
  title: nameText(2, 80),
  /** 公示 days: at least 5 (the usual notice period), at most 30. */
  noticeDays: z.number().int().min(5).max(30),
  /** The candidates to put under 公示; all candidates when left out. */
  marketIds: z.array(z.uuid()).min(1).max(500).optional(),
  minGrade: z.enum(GRADES).default('excellent'),
});
export const modelObjectionSchema = z.strictObject({
  marketId: z.uuid(),
  channel: z.enum(['letter', 'phone', 'email', 'visit', 'online']),
  content: multiline(5, 2000),
});
export const designateModelMarketsSchema = z.strictObject({
  /** Each market with an objection must be decided: kept (the objection answered) or dropped, with a reason. */
  decisions: z.array(z.strictObject({ marketId: z.uuid(), keep: z.boolean(), reason: multiline(2, 1000) })).max(500).default([]),
});
export const revokeModelMarketSchema = z.strictObject({ reason: multiline(5, 1000) });
export const modelMarketListQuerySchema = z.object({
  state: z.enum(['notice', 'designated', 'revoked', 'dropped']).optional(),
  level: z.enum(MODEL_LEVELS).optional(),
});

/** A title as the public directory shows it (no sign-in): 公示中 or 示范零工市场, the level and who grants it. */
export interface PublicModelTitle {
  marketId: string; marketName: string; marketRegion: string; level: ModelLevel; state: 'notice' | 'designated'; regionCode: string; listTitle: string;
  noticeFrom: string; noticeUntil: string; designatedAt: string | null;
}
/** The public 公示 and model market page (no sign-in): every live title, with the region names. */
export interface PublicModelMarkets { titles: (PublicModelTitle & { marketRegionName: string | null; grantRegionName: string | null })[] }
