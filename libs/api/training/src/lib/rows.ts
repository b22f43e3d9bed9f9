import { scopeColumns, type ScopeRow } from '@linggong/api-core';
import type { AttendanceView, EnrolmentStatus, TrainingMode } from '@linggong/domain';

/**
 * The training context's tables as the driver returns them (api-core `rows.ts` says how types map):
 * numeric hours and bigint fees come back as strings, `date` columns as `YYYY-MM-DD`.
 */
export interface TrainingDemandRow extends ScopeRow {
  id: string; worker_id: string; occupation: string; skill: string; note: string; created_by: string | null; created_at: Date;
}
/** `DEMAND_SELECT`. */
export interface DemandViewRow extends TrainingDemandRow { worker_name: string; enrolled: boolean }

export interface TrainingCourseRow extends ScopeRow {
  id: string; title: string; occupation: string; skill: string; hours: string; mode: TrainingMode; free: boolean; fee_fen: string;
  provider: string; completion_percent: number; description: string; created_by: string | null; created_at: Date;
}
/** `COURSE_SELECT`. */
export interface CourseViewRow extends TrainingCourseRow {
  market_name: string | null; session_count: number; planned_hours: string; enrolled: number; completed: number;
}

export interface TrainingSessionRow extends ScopeRow {
  id: string; course_id: string; trainer: string; place: string; topic: string; starts_at: Date; ends_at: Date; hours: string;
  qr_token_hash: string | null; created_by: string | null; created_at: Date;
}

export interface TrainingEnrolmentRow extends ScopeRow {
  id: string; course_id: string; worker_id: string; demand_id: string | null; status: EnrolmentStatus; attended_hours: string | null;
  completed_at: Date | null; completed_by: string | null; certificate_number: string | null; certificate_issued_on: string | null;
  certificate_by: string | null; created_by: string | null; created_at: Date;
}
/** `ENROLMENT_SELECT`: an enrolment with its course, worker and attendance so far. */
export interface EnrolmentViewRow extends TrainingEnrolmentRow {
  course_title: string; occupation: string; course_hours: string; completion_percent: number; worker_name: string; worker_mobile: string;
  has_id_number: boolean; total_sessions: number; attended_sessions: number; attended_hours_now: string;
}
/** `ledgerRows`: what the training ledger export adds to an enrolment. */
export interface LedgerExportRow extends EnrolmentViewRow {
  id_masked: string | null; market_name: string; mode: TrainingMode; free: boolean; provider: string; first_session: Date | null; last_session: Date | null;
}

/** `ATTENDANCE_SELECT` (the signature bytes stay out). */
export interface AttendanceRow {
  id: string; session_id: string; enrolment_id: string; worker_id: string; method: AttendanceView['method']; signed_at: Date;
  signature_hash: string | null; hash_alg: string | null; recorded_by_name: string | null;
}

/** Every training table carries the market's scope (CASL subject `Training`). */
export const TRAINING_ACCESS = scopeColumns;

/** The training tables read by id (`TrainingService.requireRow`), and their rows. */
export interface TrainingTables {
  training_courses: TrainingCourseRow; training_sessions: TrainingSessionRow; training_enrolments: TrainingEnrolmentRow;
  training_attendance: AttendanceRow & ScopeRow;
}
