import { z } from 'zod';
import { line, multiline } from './text';

/**
 * Exit of a failing operator (退出, R-F1; issue 16 §4) and the handover (移交) of its markets. The rules are
 * described in docs/oversight.md "Exit and handover".
 *
 * The case: 已提议 proposed (the county) → 已批准 approved (the city: another person at another level; the
 * operator is notified and may answer within `answerDays` working days) → 退出中 exiting (the tenant takes no new
 * business; handover work goes on) → 已归档 archived (the tenant is read-only for good). A city may refuse
 * (rejected). The tenant's own status follows: active → exiting → exited (shown as 已归档 archived).
 */
export const EXIT_STATUSES = ['proposed', 'approved', 'exiting', 'archived', 'rejected'] as const;
export type ExitStatus = (typeof EXIT_STATUSES)[number];

/** Grounds of a proposal (R-F1; 000 四(二), 004 第二十条): what the county cites. */
export const EXIT_GROUNDS = ['poor_grade_failed_rectification', 'failed_callback', 'not_public_interest', 'fraud'] as const;
export type ExitGround = (typeof EXIT_GROUNDS)[number];

/** What a handover checklist lists, one item each (the successor must find each of them the next morning). */
export const HANDOVER_ITEMS = ['workers', 'open_posts', 'open_complaints', 'tool_deposits', 'assistance_roster'] as const;
export type HandoverItem = (typeof HANDOVER_ITEMS)[number];

export const HANDOVER_STATUSES = ['open', 'completed'] as const;
export type HandoverStatus = (typeof HANDOVER_STATUSES)[number];

/**
 * Work-log kinds that are new business (issue 16 §4): refused at a market whose operator is exiting, with
 * `tenant_exiting`. Everything else (closing the day, complaint steps, returns, plan steps, corrections) is the
 * handover work that goes on.
 */
export const NEW_BUSINESS_KINDS: readonly string[] = ['check_in', 'post_submitted', 'tool_loan_request', 'tool_loan', 'match'];

const uuid = z.string().uuid();

export const proposeExitSchema = z.object({
  operatorId: uuid,
  grounds: z.array(z.enum(EXIT_GROUNDS)).min(1).max(EXIT_GROUNDS.length),
  reason: multiline(4, 2000),
  /** Working days the operator has to answer once notified (默认 5). */
  answerDays: z.number().int().min(1).max(30).default(5),
}).strict();
export type ProposeExitInput = z.infer<typeof proposeExitSchema>;

export const decideExitSchema = z.object({
  decision: z.enum(['approved', 'rejected']),
  note: line(1, 500).optional(),
}).strict();

export const answerExitSchema = z.object({ text: multiline(2, 4000) }).strict();

/** Start the handover of one market: to a successor operator holding a live contract in the county. */
export const openHandoverSchema = z.object({
  marketId: uuid,
  successorId: uuid,
  contractId: uuid,
}).strict();

export const signHandoverSchema = z.object({
  side: z.enum(['outgoing', 'successor']),
  note: line(1, 500).optional(),
}).strict();

export const exitQuerySchema = z.object({
  status: z.enum(EXIT_STATUSES).optional(),
  /** One case (the home's to-do links to it). */
  case: z.string().uuid().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  sort: z.enum(['createdAt', '-createdAt']).default('-createdAt'),
}).strict();

export const handoverQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
}).strict();

export interface HandoverChecklistItem { item: HandoverItem; count: number; ids: string[]; detail?: Record<string, unknown> }

export interface HandoverView {
  id: string; caseId: string; marketId: string; marketName: string | null; regionCode: string;
  fromTenantId: string; toTenantId: string; toName: string | null; contractId: string; status: HandoverStatus;
  checklist: HandoverChecklistItem[]; checklistDigest: string;
  outgoingSignedBy: string | null; outgoingSignedAt: string | null; successorSignedBy: string | null; successorSignedAt: string | null;
  lastSeal: { businessDay: string; part: number; lastSeq: number; digest: string } | null;
  handoverSeq: number | null; completedAt: string | null;
}

export interface ExitEventView { at: string; step: string; actorName: string | null; orgKind: string | null; note: string | null }

export interface ExitCaseView {
  id: string; tenantId: string; operatorName: string | null; regionCode: string; status: ExitStatus; grounds: ExitGround[];
  reason: string; answerDays: number; answerDue: string | null; answer: string | null;
  proposedBy: string; proposedAt: string; decidedBy: string | null; decidedAt: string | null; decisionNote: string | null;
  exitingAt: string | null; archivedAt: string | null; createdAt: string;
}

export interface ExitCaseDetailView extends ExitCaseView { handovers: HandoverView[]; timeline: ExitEventView[]; markets: { id: string; name: string }[] }

