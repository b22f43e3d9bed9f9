import { scopeColumns, type ScopeRow } from '@linggong/api-core';
import type { EmployerFlagView, PlacementView, PostView, ProhibitedWorkView, RedFlag, SanctionView } from '@linggong/domain';

/**
 * The jobs context's tables as the driver returns them (api-core `rows.ts` says how types map):
 * `check_ins.day` comes back as `YYYY-MM-DD`, `placements.score` (numeric) and bigint sums as strings.
 */
export interface PostRow extends ScopeRow {
  id: string; employer_id: string; occupation: string; title: string; headcount: number; hired_count: number; wage_fen: number;
  wage_unit: PostView['wageUnit']; period: PostView['period']; period_count: number; start_at: Date; place: string; lat: number | null; lng: number | null;
  requirements: string; skills: string[]; worker_fee_fen: number; hazards: string[]; status: PostView['status']; red_flags: RedFlag[];
  review_reason: string | null; reviewed_by: string | null; reviewed_at: Date | null; expires_at: Date; source: string; platform: string | null;
  external_id: string | null; created_by: string | null; created_at: Date;
}
/** `POST_SELECT`: a post with its employer's name and status and its market's name. */
export interface PostViewRow extends PostRow { employer_name: string; employer_status: string; market_name: string | null }

export interface ProhibitedWorkRow { code: string; name: string; applies_to: ProhibitedWorkView['appliesTo']; legal_source: string; note: string }

export interface CheckInRow extends ScopeRow {
  id: string; worker_id: string; day: string; occupations: string[]; channel: string; status: string; queue_number: number; checked_in_at: Date;
  created_by: string | null;
}

export interface PlacementRow extends ScopeRow {
  id: string; post_id: string; worker_id: string; check_in_id: string | null; status: PlacementView['status']; score: string | null;
  worker_token_hash: string | null; employer_token_hash: string | null; employer_confirmed_at: Date | null; worker_confirmed_at: Date | null;
  started_at: Date | null; completed_at: Date | null; amount_paid_fen: number | null; paid_by: string | null; paid_at: Date | null;
  pay_method: string | null; no_show_party: 'worker' | 'employer' | null; cancel_reason: string | null; non_payment: boolean;
  recommended_by: string | null; recommended_by_name: string | null; created_at: Date; updated_at: Date;
}

export interface WorkerSanctionRow extends ScopeRow {
  id: string; worker_id: string; placement_id: string | null; kind: SanctionView['kind']; reason: string; notice: string; notice_at: Date;
  appeal_deadline: Date; status: string; appeal_statement: string | null; appealed_at: Date | null; decision_reason: string | null;
  decided_by: string | null; decided_at: Date | null; created_by: string | null; created_at: Date;
}

export interface EmployerFlagRow extends ScopeRow {
  id: string; employer_id: string; kind: EmployerFlagView['kind']; placement_id: string | null; amount_owed_fen: string; workers_affected: number;
  description: string; referred_to: string | null; referred_at: Date | null; status: string; created_by: string | null; created_at: Date;
}

/** posts, check_ins, placements, sanctions and flags carry the market's scope (CASL subjects `Post`, `Placement`, `Worker`…). */
export const JOBS_ACCESS = scopeColumns;

/** `PLACEMENT_SELECT`: a placement with its post's title, occupation and employer, and its worker. */
export interface PlacementViewRow extends PlacementRow {
  post_title: string; occupation: string; employer_id: string; employer_name: string; worker_name: string; worker_mobile: string;
  wage_fen: number | string; wage_unit: PlacementView['wageUnit'];
}

/** What queue and candidate lines share: the worker's facts the compliance guard and the view read. */
interface WorkerLine {
  name: string; mobile_masked: string; gender: 'male' | 'female' | null; birth_date: string | null; birth_year: number | null;
  skills: string[]; hardship_tier: number; completed_count: number; no_show_count: number;
}
/** `QUEUE_SELECT`: today's check-in with its worker. */
export interface QueueRow extends WorkerLine {
  check_in_id: string; worker_id: string; occupations: string[]; checked_in_at: Date; channel: string; status: string; queue_number: number;
  today: string; waited: number;
}
/** `MatchingService.rank`: a candidate with the parts of its score (float8). */
export interface CandidateRow extends WorkerLine {
  id: string; occupations: string[]; checked_in_at: Date | null; idle_days: number | null; distance_km: number | null;
  fit: number; hardship: number; waiting: number; reliability: number; distance: number; score: number;
}
