import { z } from 'zod';
import { multiline, nameText } from './text';
import type { LedgerKind } from './ledger';

/**
 * Oversight (issue 16 §1–3): call-back sampling (抽查回访), rectification (整改) and inspections
 * (督导检查) — what the county and the city do about an operator's figures (R-F1, R-F3, R-F5).
 */

const uuid = z.string().uuid();
const day = z.iso.date();
const page = {
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};
/** A stored file cited by its SM3/SHA-256 hash (64 hex digits). */
const fileHash = z.string().regex(/^[0-9a-f]{64}$/, { error: 'oversight_bad_hash' });

// ───────────────────────────── call-back sampling (抽查回访) ─────────────────────────────

/**
 * The work-log kinds a call-back sample draws from: started hires (上岗) and service records (服务记录,
 * kind `guidance` about a `ServiceRecord`) — the figures an operator is paid on, each naming a worker
 * who can be called. Only entries of sealed days are candidates.
 */
export const CALLBACK_KINDS: readonly LedgerKind[] = ['hire_started', 'guidance'];
export const CALLBACK_OUTCOMES = ['confirmed', 'unreachable', 'denied', 'differs'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];
export const CALLBACK_STATUSES = ['committed', 'drawn', 'completed'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];
/** Below this agreement rate (%) a completed sample opens a follow-up inspection of the operator (configurable per sample). */
export const CALLBACK_DEFAULT_THRESHOLD = 80;
export const CALLBACK_MAX_SIZE = 200;

/**
 * The draw rule, written once for everyone who checks it (docs/oversight.md "The draw"):
 * 1. candidates: the sample's operator's work-log entries of kinds CALLBACK_KINDS in the sample's county,
 *    business day within the period, covered by a seal, with a worker (`payload.workerId`), ordered by
 *    (market id, business day, seq);
 * 2. each candidate's rank is HMAC-SM3 (HMAC-SHA-256 where SM3 is absent: the sample's `alg`) keyed by
 *    the seed's bytes (hex-decoded) over the entry's chain hash (hex text, as stored);
 * 3. the sample is the `size` candidates with the smallest ranks (hex compared as text; ties, which
 *    need equal HMACs, by the candidate order), listed by rank;
 * 4. the commitment published before the draw is the SM3 (or SHA-256) hex digest of the seed's hex text.
 */
export const CALLBACK_DRAW_RULE = 'v1: candidates by (market, day, seq); rank = HMAC(seed bytes, entry hash hex); take the n smallest ranks';

/** The agreement rate (抽查回访一致率): confirmed ÷ reached × 100, where reached = every outcome but `unreachable`; null when nobody was reached. */
export function agreementRate(outcomes: readonly (CallbackOutcome | null)[]): { confirmed: number; reached: number; rate: number | null } {
  const confirmed = outcomes.filter((o) => o === 'confirmed').length;
  const reached = outcomes.filter((o) => o && o !== 'unreachable').length;
  return { confirmed, reached, rate: reached ? Math.round((confirmed / reached) * 10000) / 100 : null };
}

export const createCallbackSampleSchema = z.strictObject({
  operatorId: uuid,
  /** The county whose markets of the operator are sampled; defaults to the caller's county. */
  regionCode: z.string().regex(/^\d{6}$/, { error: 'oversight_region_code' }).optional(),
  from: day,
  to: day,
  size: z.number().int().min(1).max(CALLBACK_MAX_SIZE),
  threshold: z.number().min(1).max(100).default(CALLBACK_DEFAULT_THRESHOLD),
}).superRefine((v, ctx) => {
  if (v.from > v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'bad_range' });
  else if (Date.parse(v.to) - Date.parse(v.from) > 366 * 86_400_000) ctx.addIssue({ code: 'custom', path: ['to'], message: 'range_too_long' });
});
export type CreateCallbackSampleInput = z.infer<typeof createCallbackSampleSchema>;
export const callbackQuerySchema = z.object({ ...page, operatorId: uuid.optional(), status: z.enum(CALLBACK_STATUSES).optional() });
export const callbackRevealSchema = z.strictObject({ workerId: uuid });
export const callbackOutcomeSchema = z.strictObject({ outcome: z.enum(CALLBACK_OUTCOMES), note: multiline(0, 500).default('') });
export const oversightKpiQuerySchema = z.object({ operatorId: uuid.optional(), from: day, to: day })
  .refine((v) => v.from <= v.to, { message: 'bad_range', path: ['to'] });

export interface CallbackCallView {
  id: string; rank: number; marketId: string; marketName: string | null; businessDay: string; seq: number; kind: string;
  entryHash: string; hmac: string; workerId: string; workerName: string | null; mobileMasked: string | null;
  outcome: CallbackOutcome | null; note: string; calledAt: string | null; revealedAt: string | null;
}
export interface CallbackSampleView {
  id: string; tenantId: string; operatorName: string | null; regionCode: string; from: string; to: string; size: number; threshold: number;
  status: CallbackStatus; alg: string; seedHash: string; seed: string | null; rule: string; candidates: number | null; candidatesDigest: string | null;
  confirmed: number; reached: number; rate: number | null; inspectionId: string | null;
  committedAt: string; drawnAt: string | null; completedAt: string | null;
}
export interface CallbackSampleDetailView extends CallbackSampleView { calls: CallbackCallView[] }

// ───────────────────────────── KPI: 抽查回访一致率 ─────────────────────────────

/**
 * KPIs that come from oversight records, not from the work-log rollups (so they are not in the rollup
 * catalogue `KPIS`, whose formulas analytics computes): the same fields, read through the oversight
 * service (`oversight_kpis`). docs/kpis.md lists them with the others.
 */
export interface OversightKpiDef {
  code: string; zh: string; en: string; definitionZh: string; definitionEn: string;
  unit: 'percent'; direction: 'up'; kinds: LedgerKind[]; requirement: string[]; official: boolean; basis: string;
}
export const OVERSIGHT_KPIS: readonly OversightKpiDef[] = [
  {
    code: 'callback_agreement', zh: '抽查回访一致率', en: 'Call-back agreement rate',
    definitionZh: '期间内已完成的抽查回访中，回访确认属实的人次 ÷ 接通（除“无法联系”外）的人次 × 100。样本由县级人社部门按公开规则从已日结的上岗和服务记录中抽取。',
    definitionEn: 'Of the completed call-back samples of the period, calls confirming the work ÷ calls that reached the worker (every outcome but “not reachable”) × 100. Samples are drawn by the county from sealed hire-start and service entries by a published rule.',
    unit: 'percent', direction: 'up', kinds: ['hire_started', 'guidance'], requirement: ['R-F1', 'R-F3'], official: false,
    basis: '本平台口径：通知要求对运营情况开展监督检查、抽查（000 十；R-F3），未给出公式；样本抽取规则见 docs/oversight.md',
  },
];
export interface OversightKpiResult { code: string; value: number | null; confirmed: number; reached: number; samples: number; from: string; to: string }

// ───────────────────────────── rectification (整改) ─────────────────────────────

/** 待整改 → 整改中 → 已整改 → 已验证 → 已关闭; a partial or failed verification sends it back to 整改中. */
export const RECTIFICATION_STATUSES = ['pending', 'in_progress', 'rectified', 'verified', 'closed'] as const;
export type RectificationStatus = (typeof RECTIFICATION_STATUSES)[number];
/** Where an order comes from; `assessment` is reserved for the assessment context's consequences (issue 15). */
export const RECTIFICATION_SOURCES = ['inspection', 'callback_sample', 'assessment'] as const;
export type RectificationSource = (typeof RECTIFICATION_SOURCES)[number];
export const SEVERITIES = ['minor', 'major', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const VERDICTS = ['pass', 'partial', 'fail'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The transitions, each from the states it may start in (the service conditions its UPDATE on them). */
export const RECTIFICATION_TRANSITIONS = {
  start: { from: ['pending'], to: 'in_progress' },
  submit: { from: ['in_progress'], to: 'rectified' },
  verify: { from: ['rectified'] }, // pass → verified; partial, fail → in_progress
  close: { from: ['verified'], to: 'closed' },
} as const satisfies Record<string, { from: readonly RectificationStatus[]; to?: RectificationStatus }>;
export function verdictTarget(v: Verdict): RectificationStatus {
  return v === 'pass' ? 'verified' : 'in_progress';
}
/** Open orders count against the deadline; overdue = past the due day (a working-day count from the order day) and still open. */
export const OPEN_RECTIFICATION: readonly RectificationStatus[] = ['pending', 'in_progress'];

export const createRectificationSchema = z.strictObject({
  source: z.strictObject({ kind: z.enum(RECTIFICATION_SOURCES), id: z.string().trim().min(1).max(100) }),
  title: nameText(2, 100),
  items: z.array(z.strictObject({ text: multiline(2, 500), severity: z.enum(SEVERITIES) })).min(1).max(50),
  severity: z.enum(SEVERITIES),
  responsiblePerson: nameText(2, 50),
  deadlineDays: z.number().int().min(1).max(120),
  marketId: uuid.optional(),
});
export type CreateRectificationInput = z.infer<typeof createRectificationSchema>;
export const rectificationQuerySchema = z.object({
  ...page, status: z.enum(RECTIFICATION_STATUSES).optional(), operatorId: uuid.optional(),
  overdue: z.enum(['true', 'false']).optional(), escalated: z.enum(['true', 'false']).optional(),
});
export const rectificationEvidenceSchema = z.strictObject({ note: multiline(2, 2000), attachments: z.array(fileHash).max(20).default([]) });
export const rectificationVerifySchema = z.strictObject({ verdict: z.enum(VERDICTS), note: multiline(0, 1000).default('') })
  .superRefine((v, ctx) => {
    if (v.verdict !== 'pass' && v.note.length < 2) ctx.addIssue({ code: 'custom', path: ['note'], message: 'rectification_verdict_note' });
  });
export const rectificationNoteSchema = z.strictObject({ note: multiline(0, 1000).default('') });

export interface RectificationEventView { at: string; action: string; fromStatus: string | null; toStatus: string; by: string | null; note: string; verdict: Verdict | null; attachments: string[] }
export interface RectificationView {
  id: string; tenantId: string; operatorName: string | null; regionCode: string; marketId: string | null; marketName: string | null;
  sourceKind: RectificationSource; sourceId: string; title: string; items: { text: string; severity: Severity }[]; severity: Severity;
  responsiblePerson: string; deadlineDays: number; orderedOn: string; dueOn: string; status: RectificationStatus; overdue: boolean;
  escalatedAt: string | null; rounds: number; createdAt: string;
}
export interface RectificationDetailView extends RectificationView { events: RectificationEventView[] }

// ───────────────────────────── inspections (督导检查) ─────────────────────────────

export const INSPECTION_PLAN_KINDS = ['annual', 'quarterly', 'special'] as const;
export const INSPECTION_KINDS = ['on_site', 'online', 'document', 'follow_up'] as const;
export type InspectionKind = (typeof INSPECTION_KINDS)[number];
export const INSPECTION_STATUSES = ['planned', 'reported'] as const;
export const CHECK_RESULTS = ['pass', 'fail', 'na'] as const;

/**
 * The on-site checklist of R-F5 (003 (七)、004 附件 1): what a market must show at its door and inside.
 * Every on-site and follow-up inspection starts from it; the score is the share of applicable items passed.
 */
export const ONSITE_CHECKLIST = [
  { code: 'name_board', zh: '市场名称标牌', en: 'Market name board' },
  { code: 'unified_logo', zh: '统一标识（LOGO）', en: 'Unified logo' },
  { code: 'rule_boards', zh: '浅蓝色制度上墙（服务制度、服务流程、收费公示）', en: 'Light-blue rule boards (service rules, process, fees)' },
  { code: 'registration_flow', zh: '求职登记流程图', en: 'Registration-flow board' },
  { code: 'hotline', zh: '公布服务热线', en: 'Published service hotline' },
  { code: 'complaint_channels', zh: '公布投诉举报渠道', en: 'Published complaint channels' },
  { code: 'facilities', zh: '服务设施（休息区、饮水、信息屏）', en: 'Facilities (rest area, water, information screen)' },
  { code: 'safety', zh: '安全管理（消防、疏散、应急预案）', en: 'Safety (fire, exits, emergency plan)' },
] as const;
export type ChecklistCode = (typeof ONSITE_CHECKLIST)[number]['code'];
export const CHECKLIST_CODES = ONSITE_CHECKLIST.map((c) => c.code) as [ChecklistCode, ...ChecklistCode[]];

/** The score (0–100, two decimals): items passed ÷ items applicable × 100, each finding's severity then deducting 0/5/10 (minor/major/critical), not below 0. */
export function inspectionScore(results: readonly { result: (typeof CHECK_RESULTS)[number] }[], findings: readonly { severity: Severity }[]): number | null {
  const applicable = results.filter((r) => r.result !== 'na');
  if (!applicable.length) return null;
  const base = (applicable.filter((r) => r.result === 'pass').length / applicable.length) * 100;
  const deduct = findings.reduce((s, f) => s + (f.severity === 'critical' ? 10 : f.severity === 'major' ? 5 : 0), 0);
  return Math.max(0, Math.round((base - deduct) * 100) / 100);
}

export const createInspectionPlanSchema = z.strictObject({
  kind: z.enum(INSPECTION_PLAN_KINDS),
  title: nameText(2, 100),
  from: day, to: day,
  note: multiline(0, 1000).default(''),
}).refine((v) => v.from <= v.to, { message: 'bad_range', path: ['to'] });
export const createInspectionSchema = z.strictObject({
  planId: uuid.optional(),
  operatorId: uuid,
  marketId: uuid.optional(),
  kind: z.enum(INSPECTION_KINDS),
  scheduledOn: day,
  note: multiline(0, 1000).default(''),
});
export const inspectionReportSchema = z.strictObject({
  results: z.array(z.strictObject({ code: z.enum(CHECKLIST_CODES), result: z.enum(CHECK_RESULTS), note: multiline(0, 500).default('') })).min(1).max(CHECKLIST_CODES.length),
  findings: z.array(z.strictObject({
    code: z.enum(CHECKLIST_CODES).optional(), text: multiline(2, 1000), severity: z.enum(SEVERITIES), photos: z.array(fileHash).max(10).default([]),
  })).max(50).default([]),
  summary: multiline(2, 2000),
}).superRefine((v, ctx) => {
  const codes = v.results.map((r) => r.code);
  if (new Set(codes).size !== codes.length) ctx.addIssue({ code: 'custom', path: ['results'], message: 'inspection_duplicate_item' });
});
export const inspectionQuerySchema = z.object({ ...page, operatorId: uuid.optional(), status: z.enum(INSPECTION_STATUSES).optional(), kind: z.enum(INSPECTION_KINDS).optional() });
export const inspectionPlanQuerySchema = z.object({ ...page });

export interface InspectionPlanView { id: string; orgId: string; regionCode: string; kind: string; title: string; from: string; to: string; note: string; inspections: number; createdAt: string }
export interface InspectionFindingView { id: string; code: string | null; text: string; severity: Severity; photos: string[] }
export interface InspectionView {
  id: string; planId: string | null; tenantId: string; operatorName: string | null; regionCode: string; marketId: string | null; marketName: string | null;
  kind: InspectionKind; status: (typeof INSPECTION_STATUSES)[number]; scheduledOn: string; note: string; sourceSampleId: string | null;
  score: number | null; summary: string | null; reportedAt: string | null; findingCount: number; createdAt: string;
}
export interface InspectionDetailView extends InspectionView {
  results: { code: string; zh: string; en: string; result: string; note: string }[]; findings: InspectionFindingView[];
}

/** The home-page summary of oversight (county dashboard, operator home). */
export interface OversightSummary { openRectifications: number; overdueRectifications: number; escalatedRectifications: number; samplesInProgress: number; inspectionsPlanned: number }
