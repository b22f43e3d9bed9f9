import { z } from 'zod';
import { line, multiline, nameText } from './text';
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
  'correction',
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
export const MANUAL_LEDGER_KINDS = ['manual_patrol', 'manual_fair', 'manual_visit', 'manual_note'] as const;

const sha = z.string().regex(/^[0-9a-f]{64}$/);
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
  q: line(0, 100).optional(),
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
}
export interface LedgerDayView {
  businessDay: string; count: number; byKind: Record<string, number>; firstSeq: number | null; lastSeq: number | null;
  sealed: boolean; late: boolean; closedAt: string | null; closedBy: string | null;
  /** Who closed it, by name where the caller may see the user; null for the deadline job. */
  closedByName: string | null;
  verification: 'verified' | 'broken' | 'unsealed'; problem: string | null;
}
export interface SealView {
  marketId: string; marketName: string; regionCode: string; regionName: string | null; operatorName: string | null;
  businessDay: string; count: number; firstSeq: number | null; lastSeq: number | null; late: boolean; closedAt: string;
  digest: string; receipt: boolean; verification: 'verified' | 'broken' | 'unchecked'; problem: string | null;
}
export interface ClosePreview { marketId: string; days: { businessDay: string; count: number; firstSeq: number | null; lastSeq: number | null }[] }

export const attachmentUploadSchema = z.strictObject({
  filename: nameText(1, 200),
  mime: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/).max(100),
  // 5 MB of content is about 6.7 MB of base64.
  contentBase64: z.string().min(4).max(7_000_000, { error: 'attachment_too_large' }).regex(/^[A-Za-z0-9+/]+={0,2}$/),
});
export const closeDayParamSchema = z.object({ day });
