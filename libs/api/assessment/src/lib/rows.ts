import type { Consequence, Grade, GradeFactors, ScheduleItem, TemplateBody, UnitRate } from '@linggong/domain';

/** Table rows of the assessment context, as the driver returns them (api-core rows.ts). */
export interface ContractRow {
  id: string; region_code: string; tenant_id: string; number: string; version: number; title: string; term_from: string; term_to: string;
  market_ids: string[]; amount_fen: string; schedule: ScheduleItem[]; unit_rates: UnitRate[]; grade_factors: GradeFactors; document_sm3: string | null;
  needs_terms: boolean; reason: string | null; superseded_at: Date | null; created_by: string | null; created_at: Date;
}
export interface TemplateRow { id: string; province_code: string; name: string; version: number; body: TemplateBody; created_by: string | null; created_at: Date; region_code: string | null; base_id: string | null }
export interface CycleRow {
  id: string; region_code: string; name: string; kind: string; template_id: string; period_from: string; period_to: string; cutoff: string;
  self_deadline: string; review_deadline: string; appeal_days: number; sample_pct: number; state: 'open' | 'frozen' | 'published';
  frozen_at: Date | null; published_at: Date | null; created_by: string; created_at: Date;
}
export type AssessmentState = 'open' | 'self' | 'review' | 'reviewed' | 'published' | 'appealed' | 'final';
export interface AssessmentRow {
  id: string; cycle_id: string; contract_id: string; tenant_id: string; region_code: string; state: AssessmentState; figures_version: number;
  sampled: boolean; self_submitted_at: Date | null; self_by: string | null; reviewed_at: Date | null; reviewer_id: string | null;
  audited_at: Date | null; auditor_id: string | null; total: string | null; grade: Grade | null; consequence: Consequence | null; published_at: Date | null;
  appeal_reason: string | null; appeal_items: string[] | null; appeal_at: Date | null; appeal_by: string | null; appeal_decision: 'upheld' | 'rejected' | null;
  appeal_decision_reason: string | null; appeal_decided_by: string | null; appeal_decided_at: Date | null;
  total_before_appeal: string | null; grade_before_appeal: Grade | null; created_at: Date;
}
export interface FrozenFigure { value: number | null; provisional: boolean; drilldown: string[] }
export interface FiguresDoc { from: string; to: string; marketIds: string[]; scale: number; kpis: Record<string, FrozenFigure> }
export interface FiguresRow { assessment_id: string; version: number; figures: FiguresDoc; digest: string; reason: string | null; frozen_at: Date; frozen_by: string }
export interface ItemRow {
  assessment_id: string; code: string; ord: number; kind: 'kpi' | 'evidence'; zh: string; path: string[]; weight: string; value: string | null;
  rule_points: string | null; self_score: string | null; self_explanation: string | null; evidence: unknown[]; county_score: string | null;
  county_comment: string | null; audit_score: string | null; audit_reason: string | null; appeal_score: string | null;
}
export interface StatementRow { id: string; assessment_id: string; region_code: string; data: unknown; payable_fen: string; digest: string; approved_by: string; approved_at: Date }
