import { z } from 'zod';
import { line, multiline, nameText } from './text';
import { MOBILE_RE } from './privacy';
import { CalendarGapError, addWorkingDays, calendarCovers, isWorkingDay, nextDay } from './working-days';

/**
 * Complaints and reports (投诉举报, issue 6): published channels (R-D1), wage arrears, disputes and
 * discrimination (R-D2), and the service rules 首问负责、限时办结、一次性告知 (R-C2).
 */
export const COMPLAINT_CATEGORIES = ['wage_arrears', 'fake_post', 'illegal_fee', 'discrimination', 'staff_conduct', 'safety', 'dispute', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
export const COMPLAINT_CHANNELS = ['public_page', 'hotline', 'on_site', 'gov_12345'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];
export const COMPLAINT_STATUSES = ['received', 'in_progress', 'closed'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export const HANDLING_KINDS = ['call', 'visit', 'mediation', 'referral', 'decision', 'message'] as const;
export type HandlingKind = (typeof HANDLING_KINDS)[number];
export const ESCALATION_TARGETS = ['county_bureau', 'labour_inspection', 'police'] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];
export const SATISFACTION = ['satisfied', 'basically', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTION)[number];
export const COMPLAINT_RESULTS = ['substantiated', 'partly_substantiated', 'unsubstantiated', 'mediated', 'withdrawn', 'referred'] as const;

/**
 * Chinese names used in the handling records the system writes itself (the record is evidence in
 * the complaint's own language; the console translates the codes elsewhere).
 */
export const COMPLAINT_LABELS_ZH: Record<string, string> = {
  public_page: '网上投诉', hotline: '电话', on_site: '现场', gov_12345: '12345 转办',
  county_bureau: '县级人社部门', labour_inspection: '劳动保障监察', police: '公安机关',
  substantiated: '属实', partly_substantiated: '部分属实', unsubstantiated: '不属实', mediated: '调解解决', withdrawn: '撤回', referred: '已移送',
  satisfied: '满意', basically: '基本满意', dissatisfied: '不满意',
};

/** Acknowledge within 1 working day of receipt (issue 6 §3). */
export const ACK_WORKING_DAYS = 1;
/** An intake repeating one at the same market within this many minutes (same words, same number or none) is flagged as a duplicate (issue 17 §7). */
export const DUPLICATE_MINUTES = 10;
/**
 * 回访 is a check of the handling, so it is not done by whoever closed the complaint, nor in the same
 * minute as the closure (issue 17 §7): at least this many minutes after it.
 */
export const CALLBACK_MIN_MINUTES = 1;
/** Text compared for duplicates: whitespace and punctuation do not make two complaints different. */
export function complaintTextKey(s: string): string {
  return s.replace(/[\s\p{P}]+/gu, '').toLowerCase();
}
/** A closed complaint may be reopened by the complainant within this many calendar days (issue 6 §7). */
export const REOPEN_DAYS = 15;
/** "Due soon" on the boards: the resolution deadline is today or within this many working days. */
export const DUE_SOON_WORKING_DAYS = 2;

/**
 * Resolution limits in working days per category, used when a province has not configured its own
 * (issue 6 §3: "e.g. 5 or 15 working days"). Wage arrears are the most urgent: workers paid by the
 * day (日结) cannot wait; staff conduct, fees and fake posts need a check of records; disputes and
 * safety need parties and site visits.
 */
export const DEFAULT_RESOLVE_DAYS: Record<ComplaintCategory, number> = {
  wage_arrears: 5, fake_post: 5, illegal_fee: 5, discrimination: 10, staff_conduct: 5, safety: 5, dispute: 15, other: 15,
};

export interface DueDate {
  /** The last day (Asia/Shanghai) on which the step is on time. */
  day: string;
  /**
   * True when the count ran into a year whose holiday arrangement is not published yet (the State
   * Council's notice comes in the autumn before): those days are counted Monday to Friday, and the
   * sweep job recounts the date once the calendar package covers the year.
   */
  provisional: boolean;
}

/**
 * A time limit of `n` working days from `received` (see addWorkingDays: the day of receipt is not
 * counted). A complaint is never refused because the calendar is behind: in an uncovered year only
 * weekends count as rest days and the result is marked provisional.
 */
export function dueAfterWorkingDays(received: string, n: number): DueDate {
  try {
    return { day: addWorkingDays(received, n), provisional: false };
  } catch (e) {
    if (!(e instanceof CalendarGapError)) throw e;
  }
  let day = received;
  for (let counted = 0; counted < n; ) {
    day = nextDay(day);
    const working = calendarCovers(Number(day.slice(0, 4))) ? isWorkingDay(day) : isWeekday(day);
    if (working) counted++;
  }
  return { day, provisional: true };
}

function isWeekday(day: string): boolean {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

/** The two deadlines of a complaint received on `receivedDay` (Asia/Shanghai). */
export function complaintDeadlines(receivedDay: string, resolveWorkingDays: number): { ack: DueDate; resolve: DueDate } {
  return { ack: dueAfterWorkingDays(receivedDay, ACK_WORKING_DAYS), resolve: dueAfterWorkingDays(receivedDay, resolveWorkingDays) };
}

/**
 * A complaint step's work-log payload: ids and codes only, never the complainant's name, number or
 * words (the chain cannot be erased). One builder for the service and the demo, so they cannot drift.
 */
const STEP_PAYLOAD_FIELDS = ['channel', 'category', 'ackDue', 'resolveDue', 'target', 'result', 'satisfaction', 'approve', 'newDue', 'automatic', 'late', 'duplicateOf'] as const;
export function complaintStepPayload(complaintId: string, recordId: string, step: string, data: Record<string, unknown>): Record<string, unknown> {
  const payload: Record<string, unknown> = { complaintId, recordId, step };
  for (const k of STEP_PAYLOAD_FIELDS) if (data[k] !== undefined) payload[k] = data[k];
  if (Array.isArray(data['newItems'])) payload['noticeAddedItems'] = data['newItems'].length;
  return payload;
}

/** Whether a step due on `dueDay` is late on `today` (both Asia/Shanghai dates). */
export function isOverdue(dueDay: string, today: string): boolean {
  return today > dueDay;
}

/** New items a later one-time notice asks for that the first did not (R-C2 一次性告知). */
export function newNoticeItems(earlier: string[][], items: string[]): string[] {
  const asked = new Set(earlier.flat().map(normaliseItem));
  return items.filter((i) => !asked.has(normaliseItem(i)));
}
const normaliseItem = (s: string) => s.replace(/\s+/g, '').toLowerCase();

// ── Schemas ──────────────────────────────────────────────────────────────────────────────────────

const content = multiline(5, 2000);
const optionalUuid = z.string().uuid().optional();

/** The market's public page: no sign-in; anonymity allowed; a mobile number only for updates. */
export const publicComplaintSchema = z
  .strictObject({
    category: z.enum(COMPLAINT_CATEGORIES),
    content,
    anonymous: z.boolean().default(false),
    name: nameText(1, 30).optional(),
    mobile: z.string().regex(MOBILE_RE, { error: 'invalid_mobile' }).optional(),
    /** Who or what it is about, in the complainant's words (an employer's name, a post). */
    about: line(0, 200).optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.anonymous && !v.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'complaint_name_required' });
  });
export type PublicComplaintInput = z.infer<typeof publicComplaintSchema>;

/** Staff take a complaint: by the hotline, on site, or transferred from the 12345 government hotline. */
export const intakeComplaintSchema = z
  .strictObject({
    marketId: z.string().uuid(),
    channel: z.enum(['hotline', 'on_site', 'gov_12345']),
    /** The 12345 work-order number, kept with the complaint. */
    govReference: line(4, 40).optional(),
    category: z.enum(COMPLAINT_CATEGORIES),
    content,
    anonymous: z.boolean().default(false),
    name: nameText(1, 30).optional(),
    mobile: z.string().regex(MOBILE_RE, { error: 'invalid_mobile' }).optional(),
    about: line(0, 200).optional(),
    workerId: optionalUuid,
    employerId: optionalUuid,
    postId: optionalUuid,
    staffUserId: optionalUuid,
  })
  .superRefine((v, ctx) => {
    if (v.channel === 'gov_12345' && !v.govReference) ctx.addIssue({ code: 'custom', path: ['govReference'], message: 'gov_reference_required' });
    if (!v.anonymous && !v.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'complaint_name_required' });
  });
export type IntakeComplaintInput = z.infer<typeof intakeComplaintSchema>;

export const complaintQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  marketId: z.string().uuid().optional(),
  status: z.enum([...COMPLAINT_STATUSES, 'open']).optional(),
  due: z.enum(['soon', 'overdue']).optional(),
  category: z.enum(COMPLAINT_CATEGORIES).optional(),
  q: line(0, 40).optional(),
  mine: z.enum(['true', 'false']).optional(),
});
export type ComplaintQuery = z.infer<typeof complaintQuerySchema>;

export const handlingRecordSchema = z.strictObject({
  kind: z.enum(HANDLING_KINDS),
  content: multiline(2, 2000),
  /** Ledger attachments (upload first through ledger_uploadAttachment), by their SM3 hash. */
  attachments: z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(10).default([]),
});
export const noticeSchema = z.strictObject({
  items: z.array(line(2, 100)).min(1).max(20),
  note: multiline(0, 500).optional(),
  /** A later notice that asks for something new breaks 一次性告知; the handler must confirm it knowingly. */
  confirmNewItems: z.boolean().default(false),
});
export const transferSchema = z.strictObject({ toUserId: z.string().uuid(), reason: multiline(2, 500) });
export const extensionRequestSchema = z.strictObject({ workingDays: z.number().int().min(1).max(30), reason: multiline(4, 500) });
export const extensionDecisionSchema = z.strictObject({ approve: z.boolean(), note: multiline(0, 500).optional() });
export const escalateSchema = z
  .strictObject({
    target: z.enum(ESCALATION_TARGETS),
    reason: multiline(4, 1000),
    /** The employer the arrears are owed by, when the complaint does not name it yet (linked to the complaint). */
    employerId: z.string().uuid().optional(),
    /** Wage arrears referred to labour inspection: what is owed, for the employer's flag (R-B8). */
    amountOwedFen: z.number().int().min(1).max(1_000_000_000).optional(),
    workersAffected: z.number().int().min(1).max(10000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.target === 'labour_inspection' && v.amountOwedFen === undefined) ctx.addIssue({ code: 'custom', path: ['amountOwedFen'], message: 'amount_required' });
  });
/** The receiving side: the county bureau itself, or staff recording what labour inspection / police answered. */
export const escalationReplySchema = z.strictObject({
  step: z.enum(['accepted', 'concluded']),
  note: multiline(2, 1000),
  /** The receiving body's case or receipt number. */
  reference: line(0, 60).optional(),
});
export const closeComplaintSchema = z.strictObject({ result: z.enum(COMPLAINT_RESULTS), summary: multiline(4, 2000) });
export const callbackSchema = z.strictObject({ satisfaction: z.enum(SATISFACTION), note: multiline(0, 1000).optional() });
export const reopenSchema = z.strictObject({ reason: multiline(4, 1000) });
export const publicReopenSchema = z.strictObject({ reason: multiline(4, 1000) });
/** An audited look at the complainant's name or number, to call them back (回访) or tell them what is missing. */
export const complaintRevealSchema = z.strictObject({ field: z.enum(['name', 'mobile']) });
export const complaintLimitsSchema = z.strictObject({
  limits: z.partialRecord(z.enum(COMPLAINT_CATEGORIES), z.number().int().min(1).max(60)),
});
export const boardQuerySchema = z.object({ days: z.coerce.number().int().min(7).max(366).default(90) });

// ── Views ────────────────────────────────────────────────────────────────────────────────────────

export interface ComplaintSummaryView {
  id: string; reference: string; marketId: string; marketName: string | null; tenantId: string; regionCode: string; channel: ComplaintChannel;
  govReference: string | null; category: ComplaintCategory; status: ComplaintStatus; anonymous: boolean;
  /** Masked (王**, 138****1234): a complaint's author is protected. */
  complainantName: string | null; mobile: string | null; contentPreview: string;
  receivedAt: string; ackDue: string; resolveDue: string; dueProvisional: boolean; acknowledgedAt: string | null; closedAt: string | null;
  ownerUserId: string; ownerName: string | null; pendingTransferTo: string | null;
  dueState: 'on_time' | 'due_soon' | 'overdue' | 'closed_on_time' | 'closed_late'; escalatedOverdue: boolean; satisfaction: Satisfaction | null;
  /** The complaint this one repeats (same words from the same number at the market within DUPLICATE_MINUTES), flagged, not refused. */
  duplicateOf: { id: string; reference: string } | null;
}
export interface ComplaintRecordView {
  id: string; kind: string; content: string; attachments: string[]; authorUserId: string | null; authorName: string | null; createdAt: string;
  data: Record<string, unknown>;
}
export interface ComplaintNoticeView { id: string; items: string[]; newItems: string[]; note: string | null; createdAt: string; authorName: string | null }
export interface ComplaintEscalationView {
  id: string; target: EscalationTarget; reason: string; status: 'sent' | 'accepted' | 'concluded'; automatic: boolean; reference: string | null;
  acceptedAt: string | null; acceptNote: string | null; concludedAt: string | null; outcome: string | null; createdAt: string;
}
export interface ComplaintTransferView { id: string; fromUserId: string; toUserId: string; toName: string | null; reason: string; status: 'pending' | 'accepted' | 'declined'; createdAt: string; decidedAt: string | null }
export interface ComplaintExtensionView { id: string; workingDays: number; reason: string; status: 'pending' | 'approved' | 'rejected'; requestedBy: string; decidedBy: string | null; decidedAt: string | null; newDue: string | null; createdAt: string }
export interface ComplaintView extends ComplaintSummaryView {
  content: string; about: string | null; workerId: string | null; employerId: string | null; employerName: string | null; postId: string | null; staffUserId: string | null;
  /** Who closed it: the satisfaction callback must be someone else (CALLBACK_MIN_MINUTES after closure at the earliest). */
  closedBy: string | null;
  result: string | null; resultSummary: string | null; callbackAt: string | null; callbackNote: string | null; reopenUntil: string | null; reopenCount: number;
  resolveLimitDays: number; records: ComplaintRecordView[]; notices: ComplaintNoticeView[]; escalations: ComplaintEscalationView[];
  transfers: ComplaintTransferView[]; extensions: ComplaintExtensionView[];
}
export interface ComplaintIntakeResult { complaint: ComplaintView; trackingCode: string | null }
export interface PublicComplaintResult { reference: string; trackingCode: string; ackDue: string; resolveDue: string }
export interface PublicComplaintStatus {
  reference: string; category: ComplaintCategory; status: ComplaintStatus; receivedAt: string; acknowledgedAt: string | null; resolveDue: string;
  marketName: string; notices: { items: string[]; note: string | null; createdAt: string }[]; result: string | null; resultSummary: string | null;
  closedAt: string | null; reopenUntil: string | null; canReopen: boolean;
}
/** One line of a board: an operator (authorities' board) or a market (the operator's own). */
export interface ComplaintBoardRow {
  key: string; label: string | null; open: number; dueSoon: number; overdue: number; closed: number; closedOnTime: number;
  onTimeRate: number | null; callbacks: number; satisfied: number; basically: number; dissatisfied: number; satisfactionRate: number | null;
  noticeViolations: number;
}
export interface ComplaintBoardView {
  since: string; today: string; groupBy: 'operator' | 'market'; rows: ComplaintBoardRow[]; totals: ComplaintBoardRow;
  byCategory: { category: ComplaintCategory; count: number }[];
  repeatComplainants: { mobile: string; count: number }[];
  repeatEmployers: { employerId: string; employerName: string | null; count: number }[];
}
export interface ComplaintLimitsView { province: string; limits: Record<ComplaintCategory, number>; configured: boolean }
