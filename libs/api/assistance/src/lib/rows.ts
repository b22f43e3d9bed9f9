import { scopeColumns, type ScopeRow } from '@linggong/api-core';
import type { PlanStepView, PlanView, ServiceRecordView } from '@linggong/domain';

/** The assistance context's tables as the driver returns them (api-core `rows.ts` says how types map). */
export interface AssistancePackageRow {
  region_code: string; guidance: number; referrals: number; training: number; follow_up_days: number; behind_days: number; source: string;
  updated_by: string | null; updated_at: Date;
}

export interface HardshipRecordRow extends ScopeRow {
  id: string; worker_id: string; data_enc: string; consent_at: Date; recorded_by: string | null; created_at: Date; updated_at: Date;
}

export interface AssistancePlanRow extends ScopeRow {
  id: string; worker_id: string; status: PlanView['status']; goal: string; note: string; pkg_guidance: number; pkg_referrals: number;
  pkg_training: number; follow_up_days: number; behind_days: number; opened_at: Date; opened_by: string | null; package_completed_at: Date | null;
  next_follow_up_on: string | null; last_follow_up_on: string | null; closed_at: Date | null; closed_by: string | null; close_reason: string | null;
  stable_employer: string | null;
}
/** `planViews`: a plan with its market's name and its opening day (Asia/Shanghai). */
export interface PlanViewRow extends AssistancePlanRow { market_name: string | null; opened_on: string }

export interface AssistanceStepRow extends ScopeRow {
  id: string; plan_id: string; kind: PlanStepView['kind']; occurred_at: Date; note: string; course_name: string | null; referred_to: string | null;
  outcome: string | null; employer_name: string | null; created_by: string | null; created_at: Date;
}

export interface PublicWelfarePostRow extends ScopeRow {
  id: string; worker_id: string; plan_id: string | null; employer_name: string; post_name: string; start_on: string; end_on: string; note: string;
  created_by: string | null; created_at: Date;
}

export interface ServiceRecordRow extends ScopeRow {
  id: string; kind: ServiceRecordView['kind']; worker_id: string | null; employer_id: string | null; occurred_at: Date;
  channel: string; summary: string; outcome: string; created_by: string | null; created_at: Date;
}

/** Every assistance table but the packages carries the market's scope (CASL subjects `Assistance`, `ServiceRecord`). */
export const ASSISTANCE_ACCESS = scopeColumns;
