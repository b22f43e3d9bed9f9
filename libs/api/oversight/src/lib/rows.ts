import type { AccessColumns } from '@linggong/api-core';
import type { CallbackOutcome, CallbackStatus, InspectionKind, RectificationSource, RectificationStatus, Severity, Verdict } from '@linggong/domain';

/** The oversight context's tables as the driver returns them (api-core `rows.ts` says how types map). */
export interface CallbackSampleRow {
  id: string; tenant_id: string; region_code: string; period_from: string; period_to: string; size: number; threshold: string;
  status: CallbackStatus; alg: 'sm3' | 'sha256'; seed_hash: string; seed: string; rule: string; candidates: number | null; candidates_digest: string | null;
  confirmed: number | null; reached: number | null; rate: string | null; inspection_id: string | null; created_by: string;
  committed_at: Date; drawn_by: string | null; drawn_at: Date | null; completed_by: string | null; completed_at: Date | null;
  operator_name?: string | null;
}
export interface CallbackCallRow {
  id: string; sample_id: string; tenant_id: string; region_code: string; market_id: string; rank: number; business_day: string; seq: string;
  kind: string; entry_hash: string; hmac: string; worker_id: string; outcome: CallbackOutcome | null; note: string;
  called_by: string | null; called_at: Date | null; revealed_by: string | null; revealed_at: Date | null; market_name?: string | null;
}
export interface RectificationRow {
  id: string; tenant_id: string; region_code: string; market_id: string | null; source_kind: RectificationSource; source_id: string; title: string;
  items: { text: string; severity: Severity }[]; severity: Severity; responsible_person: string; deadline_days: number; ordered_on: string; due_on: string;
  status: RectificationStatus; rounds: number; escalated_at: Date | null; escalated_to: string | null; created_by: string; created_at: Date; updated_at: Date;
  operator_name?: string | null; market_name?: string | null;
}
export interface RectificationEventRow {
  id: string; at: Date; action: string; from_status: string | null; to_status: string; by_name: string | null; note: string; verdict: Verdict | null; attachments: string[];
}
export interface InspectionPlanRow { id: string; org_id: string; region_code: string; kind: string; title: string; period_from: string; period_to: string; note: string; created_at: Date; inspections?: number }
export interface InspectionRow {
  id: string; plan_id: string | null; tenant_id: string; region_code: string; market_id: string | null; kind: InspectionKind; status: 'planned' | 'reported';
  scheduled_on: string; note: string; source_sample_id: string | null; results: { code: string; result: string; note: string }[]; summary: string | null;
  score: string | null; reported_at: Date | null; created_at: Date; operator_name?: string | null; market_name?: string | null; finding_count?: number;
}
export interface InspectionFindingRow { id: string; code: string | null; text: string; severity: Severity; photos: string[] }

/** Samples, calls, orders and inspections are scoped by the operator (tenant) and the county (region), not by market. */
export const OVERSIGHT_ACCESS = (a?: string): AccessColumns => {
  const p = a ? `${a}.` : '';
  return { tenantId: `${p}tenant_id`, regionCode: `${p}region_code` };
};
export const oversightScope = (r: { tenant_id: string; region_code: string }) => ({ tenantId: r.tenant_id, regionCode: r.region_code });
