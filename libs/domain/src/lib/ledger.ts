import { z } from 'zod';
import { commaList, line, multiline, nameText } from './text';
import { correctionSizeProblem } from './ledger-corrections';

/**
 * Kinds of work-log ledger entries (R-C1; 000 and 001 §6): one per business event. Closed list; a
 * new kind is a code change, so reports can rely on it.
 */
export const LEDGER_KINDS = [
  'registration', 'employer_registration', 'employer_verification', 'check_in', 'post_submitted', 'post_published', 'post_rejected', 'post_closed',
  'match', 'hire_confirmed', 'hire_started', 'no_show', 'cancellation', 'settlement', 'non_payment_report', 'wage_referral',
  'compliance_refusal', 'worker_sanction', 'appeal', 'guidance',
  // Training (R-B10): demand collected, a course or session planned, an enrolment, a completion or certificate.
  'training_demand', 'training_plan', 'training_enrolment', 'training_completion',
  'training_attendance', 'tool_loan', 'tool_return', 'complaint_step', 'event',
  // Tool rental (R-B11): inventory, loan request and approval, repair and write-off; tool_loan/tool_return above.
  'tool_added', 'tool_loan_request', 'tool_loan_decision', 'tool_maintenance',
  // Assistance (R-B9): hardship record, plan opened/closed, a plan step or follow-up, tier change, public-welfare post.
  'hardship_record', 'assistance_plan', 'assistance_step', 'hardship_tier', 'public_welfare_post',
  // Manual entries: activities the system cannot see (site patrols, fairs, visits…).
  'manual_patrol', 'manual_fair', 'manual_visit', 'manual_note',
  // The public job board (issue 18 §1; R-G12): an online application (应聘报名) and the desk's answer.
  'application',
  // Third-party platforms (R-E8, issue 18 §3): a hire, start or settlement made on a platform, with its source.
  'platform_outcome',
  'correction',
  // Exit (R-F1, issue 16 §4): the market passes to its successor; the entry cites the outgoing operator's last seal.
  'handover',
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];
/**
 * The audit action of a business fact: its work-log kind, and `kind.step` when one kind covers
 * several steps (docs/glossary.md "Business facts"). Written by `FactsService.record` (api-ledger).
 */
export function factAction(kind: LedgerKind, step?: string): string {
  return step ? `${kind}.${step}` : kind;
}

/**
 * Audit actions written before the facts had one name (issue 11 §3), and the name each now has. The
 * audit trail is append-only evidence and is never rewritten: old rows keep their action, and the
 * audit search and view read them through this map (`currentAuditAction`).
 */
export const LEGACY_AUDIT_ACTIONS: Readonly<Record<string, string | LegacyBySummary>> = {
  // tools
  'tool.create': 'tool_added', 'tool.loan_request': 'tool_loan_request', 'tool.loan_decision': 'tool_loan_decision',
  'tool.loan_cancel': 'tool_loan_decision.cancelled', 'tool.lend': 'tool_loan', 'tool.return': 'tool_return',
  'tool.maintenance_request': 'tool_maintenance.requested', 'tool.maintenance_decision': 'tool_maintenance', 'tool.repair_complete': 'tool_maintenance.completed',
  // training
  'training.demand': 'training_demand', 'training.course_create': 'training_plan.course', 'training.session_create': 'training_plan.session',
  'training.enrol': 'training_enrolment', 'training.attendance': 'training_attendance', 'training.complete': 'training_completion.completed',
  'training.certificate': 'training_completion.certificate',
  // jobs
  'compliance.refuse': 'compliance_refusal', 'placement.recommend': 'match', 'placement.start': 'hire_started', 'placement.complete': 'settlement',
  'placement.no_show': 'no_show', 'placement.cancel': 'cancellation', 'employer.flag': 'non_payment_report', 'employer.refer': 'wage_referral',
  'post.create': 'post_submitted', 'post.review': { field: 'decision', names: { published: 'post_published', rejected: 'post_rejected' } },
  'post.withdraw': 'post_closed.withdrawn', 'worker.dispute': 'worker_sanction.dispute', 'worker.removal': 'worker_sanction.removal',
  'worker.appeal': 'appeal.lodged', 'worker.appeal_decision': 'appeal.decided',
  // events ('event.held', 'event.cancelled' and 'event.attendance' kept their names)
  'event.plan': 'event.planned', 'event.link_posts': 'event.posts_linked',
  // registry
  'worker.register': 'registration', 'employer.create': 'employer_registration', 'employer.verify': 'employer_verification',
  // assistance ('hardship.record' covered both recording and updating)
  'hardship.record': { field: 'updated', names: { true: 'hardship_record.updated', false: 'hardship_record.recorded' } },
  'hardship.withdraw': 'hardship_record.withdrawn', 'hardship.tier': 'hardship_tier', 'assistance.plan_open': 'assistance_plan.opened',
  'assistance.plan_close': 'assistance_plan.closed', 'assistance.step': 'assistance_step', 'assistance.public_welfare': 'public_welfare_post',
  'service_record.create': 'guidance',
  // the ledger's own: a manual entry was `ledger.manual_entry` whatever its kind (in the summary)
  'ledger.manual_entry': { field: 'kind', names: { manual_patrol: 'manual_patrol', manual_fair: 'manual_fair', manual_visit: 'manual_visit', manual_note: 'manual_note' } },
  'ledger.correct': 'correction',
  // complaints: every step was `complaint.<step>`; 'complaint.escalation_reply' stays as it was (the county's reply is audit only)
  ...Object.fromEntries(['received', 'acknowledged', 'notice', 'call', 'visit', 'mediation', 'referral', 'decision', 'message', 'transfer_requested',
    'transfer_accepted', 'transfer_declined', 'extension_requested', 'extension_decided', 'escalated', 'closed', 'callback', 'reopened', 'ack_overdue',
    'reminder'].map((step) => [`complaint.${step}`, `complaint_step.${step}`])),
};

/** An old action that became one of several facts, told apart by a field of its summary. */
export interface LegacyBySummary { field: string; names: Record<string, string> }

/** The name an audit action has today: the fact's name for one recorded under its old name, else itself. */
export function currentAuditAction(action: string, summary: Record<string, unknown> = {}): string {
  if (!Object.prototype.hasOwnProperty.call(LEGACY_AUDIT_ACTIONS, action)) return action;
  const now = LEGACY_AUDIT_ACTIONS[action];
  return typeof now === 'string' ? now : (now.names[String(summary[now.field])] ?? action);
}

/** The old names whose current name starts with `prefix`, so that a search by the new name finds old rows. */
export function legacyAuditActionsFor(prefix: string): string[] {
  return Object.entries(LEGACY_AUDIT_ACTIONS)
    .filter(([, now]) => (typeof now === 'string' ? [now] : Object.values(now.names)).some((n) => n.startsWith(prefix)))
    .map(([old]) => old);
}
/**
 * The steps of the facts whose kind covers several (`kind.step`, docs/glossary.md "Business facts").
 * With LEDGER_KINDS and AUDIT_ONLY_ACTIONS it is the catalogue of audit actions the console labels
 * (issue 17 §4): a fact's action is labelled with its work-log kind's word, plus its step.
 */
export const FACT_STEPS: Readonly<Partial<Record<LedgerKind, readonly string[]>>> = {
  post_closed: ['withdrawn', 'expired'],
  worker_sanction: ['dispute', 'removal'],
  appeal: ['lodged', 'decided'],
  hardship_record: ['recorded', 'updated', 'withdrawn'],
  assistance_plan: ['opened', 'closed', 'stable_employment', 'package_complete'],
  training_plan: ['course', 'session'],
  training_completion: ['completed', 'certificate'],
  tool_loan_decision: ['approved', 'rejected', 'cancelled'],
  tool_maintenance: ['requested', 'approved', 'rejected', 'completed'],
  complaint_step: ['received', 'acknowledged', 'notice', 'call', 'visit', 'mediation', 'referral', 'decision', 'message', 'transfer_requested',
    'transfer_accepted', 'transfer_declined', 'extension_requested', 'extension_decided', 'escalated', 'escalation_reply', 'closed', 'callback',
    'reopened', 'ack_overdue', 'reminder'],
  event: ['planned', 'held', 'cancelled', 'attendance', 'posts_linked'],
  application: ['submitted', 'declined'],
  platform_outcome: ['hire', 'start', 'settlement'],
};

/** Audit actions that are not business facts (`<context>.<verb>`, docs/glossary.md): a closed list, labelled in the console. */
export const AUDIT_ONLY_ACTIONS = [
  'auth.login.success', 'auth.login.failure', 'auth.login.locked', 'auth.logout', 'auth.revoke_all',
  'user.create', 'user.update', 'user.unlock', 'user.change_password', 'user.change_password.failure', 'user.second_factor_enrol',
  'user.second_factor.failure', 'user.second_factor_reset', 'user.second_factor_recovery_codes',
  'organisation.create', 'organisation.update', 'organisation.exit',
  'market.register', 'market.update_registration', 'market.update_operations',
  'personal_data.reveal', 'complaint.reveal', 'hardship.read',
  'tool.signature_view', 'training.signature_view', 'training.session_qr', 'worker.import', 'worker.export', 'ledger.export', 'training.ledger_export',
  'complaint.limits', 'assistance.package', 'placement.confirm', 'complaint.escalation_reply',
  'ledger.close', 'ledger.close_late', 'ledger.verification_failed', 'ledger.attachment_upload', 'ledger.attachment_view', 'tool.deposit_reconcile',
  'directory.freeze', 'directory.confirm', 'directory.return', 'directory.resubmit', 'directory.compile', 'directory.publish',
  'directory.point_create', 'directory.point_update', 'directory.point_remove', 'directory.export',
  'report.create', 'report.submit', 'report.accept', 'report.return', 'report.remind', 'report.release',
  'queue.left', 'queue.returned',
  // Job push (issue 18 §2): a worker's one-click unsubscribe; staff issuing a worker's push link (QR or SMS).
  'push.unsubscribe', 'push.link',
  'callback.commit', 'callback.draw', 'callback.outcome', 'callback.reveal', 'callback.reveal_refused', 'callback.complete',
  'inspection.plan', 'inspection.plan_create', 'inspection.report',
  'rectification.ordered', 'rectification.start', 'rectification.submit', 'rectification.verify', 'rectification.close', 'rectification.escalate',
  'contract.create', 'contract.amend', 'assessment_template.create', 'assessment_template.create_local', 'assessment_cycle.open', 'assessment_cycle.freeze', 'assessment_cycle.publish',
  'assessment.self_assess', 'assessment.review', 'assessment.audit', 'assessment.recompute', 'assessment.publish', 'assessment.appeal',
  'assessment.appeal_decision', 'subsidy_statement.approve',
  'platform.register', 'platform.rotate', 'platform.disable', 'platform.call', 'webhook.delivered', 'webhook.failed',
  'exit.propose', 'exit.decide', 'exit.answer', 'exit.start', 'exit.archive', 'exit.handover_open', 'exit.handover_sign',
  'model_market.propose', 'model_market.object', 'model_market.designate', 'model_market.revoke',
] as const;

/**
 * What an audit action (its name today, `currentAuditAction`) is: a business fact — its kind and step — or
 * an audit-only action; `null` for a name in neither list (an older code the catalogue does not know).
 */
export function auditActionParts(action: string): { kind: LedgerKind; step: string | null } | { code: string } | null {
  if ((AUDIT_ONLY_ACTIONS as readonly string[]).includes(action)) return { code: action };
  const [kind, step, ...rest] = action.split('.');
  if (rest.length || !(LEDGER_KINDS as readonly string[]).includes(kind)) return null;
  if (step === undefined) return { kind: kind as LedgerKind, step: null };
  return FACT_STEPS[kind as LedgerKind]?.includes(step) ? { kind: kind as LedgerKind, step } : null;
}

export const MANUAL_LEDGER_KINDS = ['manual_patrol', 'manual_fair', 'manual_visit', 'manual_note'] as const;

const sha = z.string().regex(/^[0-9a-f]{64}$/);
/** A code as the work log stores it in a field (a category, a channel, a step): lowercase letters, digits, `_`. */
export const LEDGER_CODE_RE = /^[a-z][a-z0-9_]{0,63}$/;
/** How many codes one search may carry (a short word such as 已 matches a few dozen labels). */
export const LEDGER_SEARCH_CODES_MAX = 200;
const day = z.iso.date();

export const manualEntrySchema = z.strictObject({
  kind: z.enum(MANUAL_LEDGER_KINDS),
  occurredAt: z.iso.datetime({ offset: true }),
  title: nameText(2, 100),
  note: multiline(0, 2000).default(''),
  place: line(0, 200).optional(),
  participants: z.number().int().min(0).max(100000).optional(),
  attachments: z.array(sha).max(20).default([]),
});
export type ManualEntryInput = z.infer<typeof manualEntrySchema>;

export const correctionSchema = z.strictObject({
  reason: multiline(4, 500),
  /**
   * The corrected fields of the payload; the original stays in the chain. Which fields, and their
   * values, depend on the corrected entry's kind: `CORRECTABLE_FIELDS` (ledger-corrections.ts).
   */
  payload: z.record(z.string(), z.unknown()).superRefine((p, ctx) => {
    const problem = correctionSizeProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
});
export type CorrectionInput = z.infer<typeof correctionSchema>;

export const ledgerRangeSchema = z.object({ from: day, to: day }).refine((v) => v.from <= v.to, { message: 'bad_range', path: ['to'] })
  .refine((v) => Date.parse(v.to) - Date.parse(v.from) <= 366 * 86_400_000, { message: 'range_too_long', path: ['to'] });

export const ledgerEntryQuerySchema = z.object({
  from: day.optional(),
  to: day.optional(),
  kind: z.enum(LEDGER_KINDS).optional(),
  /** Text found anywhere in an entry (its fields, names, titles, a correction's reason). */
  q: line(0, 100).optional(),
  /**
   * The words of the search read as codes by the caller (the console looks its own labels up: 拖欠工资 →
   * `wage_arrears`): an entry holding one of `qCodes` as a field's value (or its first part, `third_party:x`), or of one
   * of `qKinds`, matches the search too.
   */
  qCodes: commaList(z.string().regex(LEDGER_CODE_RE, { error: 'ledger_search_code' }), LEDGER_SEARCH_CODES_MAX),
  qKinds: commaList(z.enum(LEDGER_KINDS, { error: 'ledger_search_code' }), LEDGER_KINDS.length),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});

export const ledgerExportQuerySchema = z.object({ from: day, to: day, format: z.enum(['jsonl', 'xlsx']).default('jsonl') });
export const sealQuerySchema = z.object({ regionCode: z.string().regex(/^\d{2,6}$/).optional(), from: day, to: day, marketId: z.string().uuid().optional() });

export interface LedgerEntryView {
  id: string; marketId: string; seq: number; kind: LedgerKind; occurredAt: string; recordedAt: string; businessDay: string;
  late: boolean; actorUserId: string | null; actorName: string | null; subjectType: string | null; subjectId: string | null;
  payload: Record<string, unknown>; corrects: number | null; reason: string | null; attachments: string[];
  /** Later corrections of this entry, newest last; the view shows the corrected value. */
  correctedBy: number[]; effectivePayload: Record<string, unknown>; hash: string;
  /** Names of the payload's ids by field (workerId, employerId, postId), from their owning contexts; masked where the caller may not read the person. */
  names?: Record<string, string>;
}
export interface LedgerDayView {
  businessDay: string; count: number; byKind: Record<string, number>; firstSeq: number | null; lastSeq: number | null;
  sealed: boolean; late: boolean; closedAt: string | null; closedBy: string | null;
  /** Who closed it, by name where the caller may see the user; null for the deadline job. */
  closedByName: string | null;
  verification: 'verified' | 'broken' | 'unsealed'; problem: string | null;
  /** Seals of the day beyond the first (supplementary seals, issue 17 §1), and entries recorded after the last seal (not sealed yet). */
  supplements?: number; unsealedTail?: number;
  /** Why the day was closed before the market's closing time, if it was. */
  earlyReason?: string | null;
}
export interface SealView {
  marketId: string; marketName: string; regionCode: string; regionName: string | null; operatorName: string | null;
  businessDay: string; count: number; firstSeq: number | null; lastSeq: number | null; late: boolean; closedAt: string;
  digest: string; receipt: boolean; verification: 'verified' | 'broken' | 'unchecked'; problem: string | null;
  /** 0 for the day's first seal, 1, 2 … for supplementary seals (issue 17 §1); the early-close reason if any. */
  part?: number; reason?: string | null;
  /** The latest recorded check covering this seal (issue 17 §2): who, of which organisation, when; null if none since the seal. */
  verifiedAt?: string | null; verifiedByName?: string | null; verifiedByOrg?: string | null;
  /** `seal` a seal; `gap` a day the market was open with no entries and no seal (then the seal fields are empty). */
  row?: 'seal' | 'gap';
}
/** Work at the market still open when a day is closed (issue 17 §1), counted by the owning contexts. */
export interface OpenWork { unsettledHires: number; unconfirmedPlacements: number; toolsOut: number }
export interface ClosePreview {
  marketId: string;
  /** Each day or part of a day the close would seal (`part` > 0: a supplementary seal of a day already closed). */
  days: { businessDay: string; count: number; firstSeq: number | null; lastSeq: number | null; part?: number }[];
  /** Closing today before the market's closing time (from its opening hours): a reason is required. */
  early?: boolean; closesAt?: string;
  openWork?: OpenWork;
}
/** What a recorded verification (`ledger_verify`) says: who checked which range, when, the result (issue 17 §2). */
export interface VerificationView {
  id: string; marketId: string; from: string; to: string; ok: boolean; entries: number; seals: number; problems: number;
  firstBad: { seq: number | null; businessDay: string | null; code: string; detail: string } | null;
  verifiedByName: string | null; orgKind: string | null; orgName: string | null; verifiedAt: string;
}

/** The default closing time of a market whose opening hours name none (docs/ledger.md "The daily close"). */
export const DEFAULT_CLOSING_TIME = '18:00';
const CN_DAYS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };

/**
 * A market's closing time and open weekdays (ISO, 1 = Monday) from its free-text opening hours
 * ("周一至周日 05:30-18:00（节假日不休）"): the closing time is the last time of day written (24:00 for
 * 全天/24小时), else 18:00; the weekdays are the range 周X至周Y if one is written, else every day.
 */
export function marketHours(text: string | null | undefined): { closesAt: string; weekdays: number[] } {
  const t = text ?? '';
  const times = [...t.matchAll(/(\d{1,2})\s*[:：]\s*(\d{2})/g)].map((m) => `${m[1].padStart(2, '0')}:${m[2]}`);
  const closesAt = /全天|24\s*小时/.test(t) && !times.length ? '24:00' : (times[times.length - 1] ?? DEFAULT_CLOSING_TIME);
  const range = /(?:周|星期)([一二三四五六日天])\s*(?:至|到|-|~|－|—|–)\s*(?:周|星期)?([一二三四五六日天])/.exec(t);
  let weekdays = [1, 2, 3, 4, 5, 6, 7];
  if (range) {
    const a = CN_DAYS[range[1]];
    const b = CN_DAYS[range[2]];
    weekdays = a <= b ? weekdays.filter((d) => d >= a && d <= b) : weekdays.filter((d) => d >= a || d <= b);
  }
  return { closesAt, weekdays };
}

/** Whether closing `day` at `now` is an early close: the day is today (Asia/Shanghai) and the market's closing time has not come. */
export function isEarlyClose(day: string, now: Date, closesAt: string): boolean {
  const local = new Date(now.getTime() + 8 * 3_600_000).toISOString();
  return day === local.slice(0, 10) && local.slice(11, 16) < closesAt;
}

/** The body of a close: a reason, required for an early close (issue 17 §1). */
export const closeDaySchema = z.strictObject({ reason: multiline(4, 500).optional() }).default({});

export const attachmentUploadSchema = z.strictObject({
  filename: nameText(1, 200),
  mime: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/).max(100),
  // 5 MB of content is about 6.7 MB of base64.
  contentBase64: z.string().min(4).max(7_000_000, { error: 'attachment_too_large' }).regex(/^[A-Za-z0-9+/]+={0,2}$/),
});
export const closeDayParamSchema = z.object({ day });
