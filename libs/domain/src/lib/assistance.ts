import { z } from 'zod';
import { line, multiline, nameText } from './text';

/**
 * Assistance for difficult workers (R-B9; 000 四, 003 (四), 004 附件6, 001 Jiangsu §3) and the short
 * service records of guidance and information (R-B12, R-B14). Framework-free: the API validates with
 * these schemas and derives tiers with these functions; the console shows the same labels and rules.
 */

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { error: 'bad_request' });
const instant = z.iso.datetime({ offset: true });
const day = z.iso.date();
const page = {
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};

/**
 * Hardship categories recorded with the person's own consent (encrypted at rest). The first four are
 * R-B9's; the rest are the key groups of 001 Jiangsu §3 (登记失业人员、新就业形态从业人员、农民工、
 * 退役军人、大龄、残疾、低收入人口、特困职工家庭成员). "Long waiting time" (长时间未就业) is not
 * recorded: it is derived from the registry (`waitingDays`), so it cannot be claimed or forgotten.
 * Weights: a category that by itself makes finding work hard (disability, low income, a family in
 * extreme hardship) counts 2, the others 1.
 */
export const HARDSHIP_CATEGORIES = [
  'low_income', 'disability', 'older_age', 'extreme_hardship_family',
  'registered_unemployed', 'new_form_worker', 'migrant_worker', 'veteran',
] as const;
export type HardshipCategory = (typeof HARDSHIP_CATEGORIES)[number];
export const HARDSHIP_WEIGHTS: Record<HardshipCategory, number> = {
  low_income: 2, disability: 2, extreme_hardship_family: 2,
  older_age: 1, registered_unemployed: 1, new_form_worker: 1, migrant_worker: 1, veteran: 1,
};
export const HARDSHIP_LABELS: Record<HardshipCategory | 'long_waiting', string> = {
  low_income: '低收入人口', disability: '残疾人', older_age: '大龄（“4050”）', extreme_hardship_family: '特困职工家庭成员',
  registered_unemployed: '登记失业人员', new_form_worker: '新就业形态从业人员', migrant_worker: '农民工', veteran: '退役军人',
  long_waiting: '长时间未就业',
};

/** Waiting this long without work is "long waiting time" (one point); twice as bad after VERY_LONG_WAIT_DAYS (two). */
export const LONG_WAIT_DAYS = 30;
export const VERY_LONG_WAIT_DAYS = 90;

const dayNumber = (d: string) => Math.floor(Date.parse(`${d}T00:00:00Z`) / 86_400_000);

/**
 * Waiting time (R-B9 "long waiting time"): whole days from the later of the worker's registration day
 * and the last day the worker worked through the market (a placement started or completed), to today,
 * all Asia/Shanghai dates. A worker who has never worked waits since registration.
 */
export function waitingDays(registeredOn: string, lastWorkedOn: string | null, today: string): number {
  const since = lastWorkedOn && lastWorkedOn > registeredOn ? lastWorkedOn : registeredOn;
  return Math.max(0, dayNumber(today) - dayNumber(since));
}

/**
 * The service tier (分级服务, R-B9), 0–3: points from the recorded categories plus waiting time
 * (≥ 30 days +1, ≥ 90 days +2); 0 points → tier 0, 1 → 1, 2–3 → 2, ≥ 4 → 3. Without a hardship record
 * (no consent) the tier is 0: waiting alone does not put a person on the assistance roster.
 */
export function hardshipTier(categories: readonly HardshipCategory[], waiting: number): number {
  if (categories.length === 0) return 0;
  const points = [...new Set(categories)].reduce((s, c) => s + HARDSHIP_WEIGHTS[c], 0)
    + (waiting >= VERY_LONG_WAIT_DAYS ? 2 : waiting >= LONG_WAIT_DAYS ? 1 : 0);
  return points >= 4 ? 3 : points >= 2 ? 2 : points >= 1 ? 1 : 0;
}

/** The service package (R-B9 "1 次职业指导、3 次岗位推荐、1 次技能培训"), per province with a default. */
export interface AssistancePackage { regionCode: string; guidance: number; referrals: number; training: number; followUpDays: number; behindDays: number }
export const DEFAULT_PACKAGE_REGION = '00';

export const packageSchema = z.strictObject({
  guidance: z.number().int().min(0).max(20),
  referrals: z.number().int().min(0).max(20),
  training: z.number().int().min(0).max(20),
  followUpDays: z.number().int().min(1).max(180),
  behindDays: z.number().int().min(1).max(365),
});
export type PackageInput = z.infer<typeof packageSchema>;

export interface PackageProgress { guidance: number; referrals: number; training: number }
export function packageDone(pkg: Pick<AssistancePackage, 'guidance' | 'referrals' | 'training'>, done: PackageProgress): boolean {
  return done.guidance >= pkg.guidance && done.referrals >= pkg.referrals && done.training >= pkg.training;
}

/**
 * Behind plan: the package still incomplete more than `behindDays` after the plan opened, or a
 * follow-up overdue (the next one was due before today). Shown on the manager's roster.
 */
export function behindPlan(p: { status: PlanStatus; openedOn: string; nextFollowUpOn: string | null }, pkg: Pick<AssistancePackage, 'behindDays'>, today: string): boolean {
  if (p.status === 'stable_employment' || p.status === 'closed') return false;
  if (p.status === 'active' && dayNumber(today) - dayNumber(p.openedOn) > pkg.behindDays) return true;
  return p.nextFollowUpOn !== null && p.nextFollowUpOn < today;
}

// Hardship record

export const hardshipSchema = z.strictObject({
  categories: z.array(z.enum(HARDSHIP_CATEGORIES)).min(1).max(HARDSHIP_CATEGORIES.length),
  /** R-B9 with the person's own consent: recorded only when the person agrees. */
  consent: z.literal(true, { error: 'consent_required' }),
  /** What was seen (低保证、残疾证…), kept encrypted with the categories. */
  evidence: multiline(0, 500).default(''),
});
export type HardshipInput = z.infer<typeof hardshipSchema>;

export interface HardshipView {
  workerId: string; categories: HardshipCategory[]; evidence: string; derived: ('long_waiting')[];
  waitingDays: number; tier: number; consentAt: string; recordedAt: string;
}

// Plans, steps, follow-ups

export const PLAN_STATUSES = ['active', 'package_complete', 'stable_employment', 'closed'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const STEP_KINDS = ['referral', 'training', 'follow_up'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const openPlanSchema = z.strictObject({
  goal: multiline(2, 200),
  note: multiline(0, 500).default(''),
});
export const planStepSchema = z
  .strictObject({
    kind: z.enum(STEP_KINDS),
    occurredAt: instant,
    note: multiline(2, 500),
    /** For a training step: the course or skill (the training context is separate; this records the step). */
    courseName: nameText(2, 100).optional(),
    /** For a referral step made outside the system (phone, another agency): to whom. */
    referredTo: line(2, 100).optional(),
    /** For a follow-up: how the person is doing; `stable_employment` closes the plan. */
    outcome: z.enum(['still_seeking', 'working_temporary', 'stable_employment']).optional(),
    /** With stable_employment: where the person now works. */
    employerName: nameText(2, 100).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'training' && !v.courseName) ctx.addIssue({ code: 'custom', path: ['courseName'], message: 'course_required' });
    if (v.kind === 'referral' && !v.referredTo) ctx.addIssue({ code: 'custom', path: ['referredTo'], message: 'referred_to_required' });
    if (v.kind === 'follow_up' && !v.outcome) ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'outcome_required' });
    if (v.outcome === 'stable_employment' && !v.employerName) ctx.addIssue({ code: 'custom', path: ['employerName'], message: 'employer_name_required' });
  });
export type PlanStepInput = z.infer<typeof planStepSchema>;
export const closePlanSchema = z.strictObject({ reason: multiline(4, 500) });

export const planQuerySchema = z.object({
  ...page,
  marketId: uuid.optional(),
  workerId: uuid.optional(),
  status: z.enum([...PLAN_STATUSES, 'open']).optional(),
  /** Only plans behind (see behindPlan). */
  behind: z.enum(['true', 'false']).optional(),
  /** One person's plans by mobile number (operator staff; through the registry's blind index). */
  mobile: z.string().regex(/^1[3-9]\d{9}$/, { error: 'invalid_mobile' }).optional(),
});

export interface PlanStepView {
  id: string; kind: StepKind; occurredAt: string; note: string; courseName: string | null; referredTo: string | null;
  outcome: string | null; employerName: string | null; createdBy: string | null; createdAt: string;
}
export interface PlanView {
  id: string; tenantId: string; marketId: string; marketName: string | null; workerId: string; workerName: string; workerMobile: string;
  tier: number; status: PlanStatus; goal: string; note: string; openedAt: string; openedOn: string; daysOpen: number;
  package: { guidance: number; referrals: number; training: number };
  done: PackageProgress & { referralsInSystem: number; referralsOutside: number };
  packageCompletedAt: string | null; nextFollowUpOn: string | null; lastFollowUpOn: string | null; behind: boolean;
  closedAt: string | null; closeReason: string | null; stableEmployer: string | null;
  steps?: PlanStepView[];
}

// Public-welfare posts (公益性岗位)

export const publicWelfareSchema = z
  .strictObject({
    employerName: nameText(2, 100),
    postName: nameText(2, 60),
    startOn: day,
    endOn: day,
    note: multiline(0, 500).default(''),
  })
  .refine((v) => v.endOn >= v.startOn, { message: 'bad_range', path: ['endOn'] });
export interface PublicWelfareView {
  id: string; workerId: string; planId: string | null; employerName: string; postName: string; startOn: string; endOn: string; note: string; createdAt: string;
}

export interface WorkerAssistanceView {
  workerId: string; tier: number; hasHardshipRecord: boolean; waitingDays: number; plans: PlanView[]; publicWelfare: PublicWelfareView[];
}

// Service records (R-B12, R-B14)

export const SERVICE_KINDS = [
  'vocational_guidance', 'policy_consultation', 'labour_contract_guidance', 'rights_guidance', 'accident_insurance_info',
] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];
export const SERVICE_LABELS: Record<ServiceKind, string> = {
  vocational_guidance: '职业指导', policy_consultation: '政策咨询', labour_contract_guidance: '劳动合同（协议）签订指导',
  rights_guidance: '维权指导', accident_insurance_info: '灵活就业职业伤害保障告知',
};
export const SERVICE_CHANNELS = ['desk', 'phone', 'visit', 'online'] as const;

export const serviceRecordSchema = z
  .strictObject({
    kind: z.enum(SERVICE_KINDS),
    workerId: uuid.optional(),
    employerId: uuid.optional(),
    occurredAt: instant,
    channel: z.enum(SERVICE_CHANNELS).default('desk'),
    summary: multiline(4, 500),
    outcome: multiline(0, 500).default(''),
  })
  .superRefine((v, ctx) => {
    if (!v.workerId === !v.employerId) ctx.addIssue({ code: 'custom', path: ['workerId'], message: 'service_party_required' });
  });
export type ServiceRecordInput = z.infer<typeof serviceRecordSchema>;
export const serviceQuerySchema = z.object({
  ...page,
  marketId: uuid.optional(),
  workerId: uuid.optional(),
  employerId: uuid.optional(),
  kind: z.enum(SERVICE_KINDS).optional(),
});
export interface ServiceRecordView {
  id: string; tenantId: string; marketId: string; kind: ServiceKind; workerId: string | null; employerId: string | null;
  partyName: string; occurredAt: string; channel: string; summary: string; outcome: string; createdBy: string | null; createdAt: string;
}
