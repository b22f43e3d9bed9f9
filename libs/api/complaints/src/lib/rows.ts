import { scopeColumns, type ScopeRow } from '@linggong/api-core';
import type { ComplaintCategory, ComplaintSummaryView, ComplaintView } from '@linggong/domain';

/**
 * The complaints context's tables as the driver returns them (api-core `rows.ts` says how types map):
 * `date` columns (ack_due, resolve_due, clock_from…) come back as `YYYY-MM-DD`, smallints as numbers.
 */
export interface ComplaintRow extends ScopeRow {
  id: string; reference: string; tracking_hash: string | null; channel: ComplaintSummaryView['channel']; gov_reference: string | null;
  category: ComplaintCategory; content: string; about: string | null; anonymous: boolean; name_enc: string | null; name_masked: string | null;
  mobile_enc: string | null; mobile_masked: string | null; mobile_bidx: string | null; worker_id: string | null; employer_id: string | null;
  post_id: string | null; staff_user_id: string | null; status: ComplaintSummaryView['status']; received_at: Date; received_day: string;
  received_by: string | null; owner_user_id: string; resolve_limit_days: number; clock_from: string; extension_days: number; ack_due: string;
  resolve_due: string; due_provisional: boolean; acknowledged_at: Date | null; ack_overdue_at: Date | null; reminded_for: string | null;
  overdue_escalated_at: Date | null; closed_at: Date | null; closed_by: string | null; closed_late: boolean | null; result: string | null;
  result_summary: string | null; callback_at: Date | null; callback_by: string | null; satisfaction: ComplaintSummaryView['satisfaction'];
  callback_note: string | null; reopen_count: number; duplicate_of: string | null; created_at: Date; updated_at: Date;
}
/** `SUMMARY_SQL`: a complaint with its market's and owner's names and any pending transfer. */
export interface ComplaintSummaryRow extends ComplaintRow {
  market_name: string | null; owner_name: string | null; pending_to: string | null; duplicate_reference: string | null; employer_name: string | null;
}

export interface ComplaintRecordRow extends ScopeRow {
  id: string; complaint_id: string; kind: string; content: string; attachments: string[]; data: Record<string, unknown>;
  author_user_id: string | null; author_name: string | null; created_at: Date;
}
export interface ComplaintNoticeRow extends ScopeRow {
  id: string; complaint_id: string; items: string[]; new_items: string[]; note: string | null; created_by: string | null; author_name: string | null; created_at: Date;
}
export interface ComplaintTransferRow extends ScopeRow {
  id: string; complaint_id: string; from_user_id: string; to_user_id: string; reason: string; status: 'pending' | 'accepted' | 'declined';
  created_at: Date; decided_at: Date | null;
}
export interface ComplaintExtensionRow extends ScopeRow {
  id: string; complaint_id: string; working_days: number; reason: string; status: 'pending' | 'approved' | 'rejected'; requested_by: string;
  decided_by: string | null; decided_at: Date | null; decision_note: string | null; new_due: string | null; created_at: Date;
}
export interface ComplaintEscalationRow extends ScopeRow {
  id: string; complaint_id: string; target: ComplaintView['escalations'][number]['target']; reason: string; automatic: boolean;
  status: 'sent' | 'accepted' | 'concluded'; reference: string | null; accepted_at: Date | null; accepted_by: string | null; accept_note: string | null;
  concluded_at: Date | null; concluded_by: string | null; outcome: string | null; created_by: string | null; created_at: Date; overdue_for: string | null;
}

/** Every complaints table carries the market's scope (CASL subject `Complaint`; its owner is checked on the row). */
export const COMPLAINT_ACCESS = scopeColumns;
