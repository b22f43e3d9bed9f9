import { scopeColumns, type ScopeRow } from '@linggong/api-core';
import type { ToolCategory, ToolCondition, ToolLoanStatus, ToolReconciliationView, ToolStatus } from '@linggong/domain';

/**
 * The tools context's tables as the driver returns them (api-core `rows.ts` says how types map):
 * one interface per table, plus the joined shapes the service selects. Integer columns are int4
 * (numbers); the reconciliation's sums are int8 (strings).
 */
export interface ToolRow extends ScopeRow {
  id: string; code: string; name: string; category: ToolCategory; condition: ToolCondition; status: ToolStatus;
  value_fen: number; deposit_fen: number; daily_fee_fen: number; note: string; created_by: string | null; created_at: Date; updated_at: Date;
}
/** `TOOL_SELECT`: a tool with the loan in progress, if any. */
export interface ToolWithLoanRow extends ToolRow { loan_id: string | null; loan_status: ToolLoanStatus | null; loan_worker_name: string | null }

export interface ToolLoanRow extends ScopeRow {
  id: string; tool_id: string; worker_id: string; status: ToolLoanStatus; days: number; purpose: string; deposit_fen: number; daily_fee_fen: number;
  requested_by: string | null; requested_at: Date; decided_by: string | null; decided_at: Date | null; decision_note: string | null;
  signature_hash: string | null; lent_by: string | null; lent_at: Date | null; returned_by: string | null; returned_at: Date | null;
  return_condition: ToolCondition | null; inspection_note: string | null; days_charged: number | null; fee_fen: number | null;
  damage_fen: number | null; deposit_refunded_fen: number | null; deposit_forfeited_fen: number | null; balance_due_fen: number | null;
}
/** `LOAN_SELECT`: a loan with its tool's and worker's names. */
export interface ToolLoanViewRow extends ToolLoanRow { tool_code: string; tool_name: string; tool_category: ToolCategory; worker_name: string }

export interface ToolChargeRow extends ScopeRow {
  id: string; tool_id: string; loan_id: string; kind: 'rental_fee' | 'damage'; amount_fen: number; from_deposit_fen: number; note: string;
  created_by: string | null; created_at: Date;
}

export interface ToolMaintenanceRow extends ScopeRow {
  id: string; tool_id: string; kind: 'repair' | 'scrap'; status: 'requested' | 'approved' | 'rejected' | 'completed'; reason: string;
  estimate_fen: number; cost_fen: number | null; requested_by: string | null; requested_at: Date; decided_by: string | null; decided_at: Date | null;
  decision_note: string | null; completed_by: string | null; completed_at: Date | null; completion_note: string | null;
}

export interface ToolReconciliationRow extends ScopeRow {
  id: string; business_day: string; status: ToolReconciliationView['status']; outstanding_fen: string; ledger_fen: string; difference_fen: string;
  outstanding_loans: number; problems: ToolReconciliationView['problems']; checked_at: Date; run_key: string | null;
}

/** tools, tool_loans, tool_maintenance…: all carry the market's scope (CASL subject `Tool`). */
export const TOOL_ACCESS = scopeColumns;
