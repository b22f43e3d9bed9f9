import { z } from 'zod';
import { line, multiline, nameText } from './text';
import type { LedgerKind } from './ledger';
import { WAGE_UNITS, occupationSchema } from './jobs';
import { creditCodeValid } from './identity-numbers';

/**
 * What a work-log correction may change, per entry kind (issue 12, finding 6).
 *
 * A correction fixes what a person typed wrong — a title, a note, an amount, a date — never who or
 * what an entry is about: ids (workerId, placementId, employerId…) are not correctable, so no
 * correction can point at another tenant's rows; a wrong person or post is a business action (cancel
 * and redo), not a correction. Entries written by the system from a state change (match, start,
 * publication, timers…) are not correctable at all: correcting their figures in the log would leave
 * the log and the state disagreeing. Each field has the limits of the form it was first entered in.
 * A kind missing here cannot be corrected; a field missing from its kind is refused.
 */
const fen = (max: number) => z.number().int().min(0).max(max);
const instant = z.iso.datetime({ offset: true });
const day = z.iso.date();

export const CORRECTABLE_FIELDS = {
  manual_patrol: { title: nameText(2, 100), note: multiline(0, 2000), place: line(0, 200), participants: z.number().int().min(0).max(100000) },
  manual_fair: { title: nameText(2, 100), note: multiline(0, 2000), place: line(0, 200), participants: z.number().int().min(0).max(100000) },
  manual_visit: { title: nameText(2, 100), note: multiline(0, 2000), place: line(0, 200), participants: z.number().int().min(0).max(100000) },
  manual_note: { title: nameText(2, 100), note: multiline(0, 2000), place: line(0, 200), participants: z.number().int().min(0).max(100000) },
  // 日结: the amount and date as paid (the same limits as jobs_complete).
  settlement: { amountPaidFen: fen(10_000_000), paidAt: instant, method: z.enum(['cash', 'wechat', 'alipay', 'bank', 'other']), note: multiline(0, 500) },
  post_submitted: { occupation: occupationSchema, headcount: z.number().int().min(1).max(500), wageFen: z.number().int().min(1).max(10_000_000), wageUnit: z.enum(WAGE_UNITS) },
  non_payment_report: { amountOwedFen: z.number().int().min(1).max(10_000_000) },
  wage_referral: { referredTo: line(2, 100), amountOwedFen: z.number().int().min(1).max(1_000_000_000), workersAffected: z.number().int().min(1).max(10000) },
  no_show: { note: multiline(0, 500) },
  cancellation: { reason: multiline(2, 500) },
  // The unified social credit code is a public registration number; the name is not correctable here
  // (an individual's name is personal data and stays out of the log, which cannot be erased).
  employer_registration: { creditCode: z.string().trim().toUpperCase().refine(creditCodeValid, { error: 'invalid_credit_code' }) },
  employer_verification: { evidence: multiline(4, 1000) },
  training_demand: { occupation: occupationSchema, skill: line(0, 40) },
  tool_maintenance: { costFen: fen(10_000_000), note: multiline(0, 500) },
  public_welfare_post: { postName: nameText(2, 60), startOn: day, endOn: day },
  event: { workers: z.number().int().min(0).max(1_000_000), employers: z.number().int().min(0).max(100_000), viewers: z.number().int().min(0).max(100_000_000) },
} satisfies Partial<Record<LedgerKind, Record<string, z.ZodType>>>;
export type CorrectableKind = keyof typeof CORRECTABLE_FIELDS;

/** A correction's size limits: its serialised payload, its keys and its nesting. */
export const CORRECTION_LIMITS = { bytes: 4096, keys: 10, depth: 2 } as const;

function depthOf(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depthOf));
  if (v && typeof v === 'object') return 1 + Math.max(0, ...Object.values(v).map(depthOf));
  return 0;
}

/** Size and depth, before anything looks inside: a payload too large or too deep is refused whole. */
export function correctionSizeProblem(payload: Record<string, unknown>): string | null {
  if (Object.keys(payload).length === 0) return 'correction_empty';
  if (Object.keys(payload).length > CORRECTION_LIMITS.keys) return 'correction_too_large';
  if (depthOf(payload) > CORRECTION_LIMITS.depth) return 'correction_too_large';
  if (new TextEncoder().encode(JSON.stringify(payload)).length > CORRECTION_LIMITS.bytes) return 'correction_too_large';
  return null;
}

export function isCorrectable(kind: string): kind is CorrectableKind {
  return Object.prototype.hasOwnProperty.call(CORRECTABLE_FIELDS, kind);
}

/** The schema of a correction's payload for entries of `kind`: only its correctable fields, each optional; null if none. */
export function correctionPayloadSchema(kind: string) {
  if (!isCorrectable(kind)) return null;
  const fields = CORRECTABLE_FIELDS[kind] as Record<string, z.ZodType>;
  return z.strictObject(Object.fromEntries(Object.entries(fields).map(([k, s]) => [k, s.optional()])));
}

/**
 * The effective payload of an entry: its own, with each correction's valid, correctable fields laid
 * over it in order. Anything else a correction carries (from before these rules) is ignored.
 */
export function applyCorrections(kind: string, payload: Record<string, unknown>, corrections: readonly Record<string, unknown>[]): Record<string, unknown> {
  if (!isCorrectable(kind) || !corrections.length) return payload;
  const fields = CORRECTABLE_FIELDS[kind] as Record<string, z.ZodType>;
  const out: Record<string, unknown> = { ...payload };
  for (const c of corrections) {
    for (const [k, v] of Object.entries(c ?? {})) {
      if (!Object.prototype.hasOwnProperty.call(fields, k)) continue;
      const r = fields[k].safeParse(v);
      if (r.success) out[k] = r.data;
    }
  }
  return out;
}
