import { z } from 'zod';
import { line, multiline, nameText } from './text';
import { occupationSchema } from './jobs';

/**
 * Training (R-B10): demand collected from workers, a course catalogue by demand, sessions with
 * trainer, place and hours, enrolment, attendance per session (signed on screen or by QR), completion
 * and certificates, the training ledger (培训台账), a subsidy-eligibility flag with its reasons, and
 * the trainee's later job referrals (培训+技能+推荐+就业).
 */

const uuid = z.string().uuid();
const page = {
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};
const datetime = z.iso.datetime({ offset: true });

export const TRAINING_MODES = ['classroom', 'online'] as const;
export type TrainingMode = (typeof TRAINING_MODES)[number];
export const ENROLMENT_STATUSES = ['enrolled', 'completed'] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];
export const ATTENDANCE_METHODS = ['signature', 'qr'] as const;

/**
 * Sign-in opens this many minutes before a session starts and closes when it ends: an attendance
 * recorded at any other time is refused (subsidy fraud is signing in for sessions nobody sat, R-B10).
 */
export const ATTENDANCE_EARLY_MINUTES = 30;
/** The longest a session may run (start to end): a longer window would let its hours be inflated. */
export const MAX_SESSION_HOURS = 12;
/** The default share of a course's hours a trainee must attend to complete it. */
export const DEFAULT_COMPLETION_PERCENT = 80;

export const trainingDemandSchema = z.strictObject({
  workerId: uuid,
  occupation: occupationSchema,
  skill: line(0, 40).default(''),
  note: multiline(0, 500).default(''),
});
export type TrainingDemandInput = z.infer<typeof trainingDemandSchema>;

export const trainingDemandQuerySchema = z.object({
  ...page,
  marketId: uuid.optional(),
  workerId: uuid.optional(),
  occupation: occupationSchema.optional(),
});
export const demandSummaryQuerySchema = z.object({ marketId: uuid.optional() });

export const createCourseSchema = z.strictObject({
  title: nameText(2, 60),
  occupation: occupationSchema,
  skill: line(0, 40).default(''),
  /** Required hours of the whole course (学时). */
  hours: z.number().min(0.5).max(2000),
  mode: z.enum(TRAINING_MODES),
  /** Free public skills training (R-B10 免费技能培训); otherwise a fee in fen. */
  free: z.boolean().default(true),
  feeFen: z.number().int().min(0).max(10_000_000).default(0),
  provider: nameText(0, 100).default(''),
  completionPercent: z.number().int().min(1).max(100).default(DEFAULT_COMPLETION_PERCENT),
  description: multiline(0, 1000).default(''),
}).superRefine((v, ctx) => {
  if (v.free && v.feeFen > 0) ctx.addIssue({ code: 'custom', path: ['feeFen'], message: 'training_free_with_fee' });
  if (!v.free && v.feeFen === 0) ctx.addIssue({ code: 'custom', path: ['feeFen'], message: 'training_fee_required' });
});
export type CreateCourseInput = z.infer<typeof createCourseSchema>;

export const courseQuerySchema = z.object({
  ...page,
  marketId: uuid.optional(),
  occupation: occupationSchema.optional(),
  q: line(0, 50).optional(),
});

export const createSessionSchema = z.strictObject({
  trainer: nameText(2, 40),
  place: line(2, 200),
  startsAt: datetime,
  endsAt: datetime,
  hours: z.number().min(0.5).max(24),
  topic: line(0, 100).default(''),
}).superRefine((v, ctx) => {
  const ms = Date.parse(v.endsAt) - Date.parse(v.startsAt);
  if (!(ms > 0)) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'session_end_before_start' });
  else if (ms > MAX_SESSION_HOURS * 3_600_000) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'session_too_long' });
  else if (v.hours * 3_600_000 > ms + 60_000) ctx.addIssue({ code: 'custom', path: ['hours'], message: 'session_hours_exceed_time' });
});
export type CreateSessionInput = z.infer<typeof createSessionSchema>;

export const enrolSchema = z.strictObject({ workerId: uuid, demandId: uuid.optional() });
export const enrolmentQuerySchema = z.object({
  ...page,
  marketId: uuid.optional(),
  courseId: uuid.optional(),
  workerId: uuid.optional(),
  status: z.enum(ENROLMENT_STATUSES).optional(),
});

/** A PNG signature drawn on the desk screen, as a data URL (≤ 200 kB of image). */
export const SIGNATURE_DATA_URL_RE = /^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/;
export const deskAttendanceSchema = z.strictObject({
  enrolmentId: uuid,
  signature: z.string().max(280_000).regex(SIGNATURE_DATA_URL_RE, { error: 'signature_invalid' }),
});
export const publicAttendanceSchema = z.strictObject({ mobile: z.string().trim().regex(/^1[3-9]\d{9}$/, { error: 'invalid_mobile' }) });

export const certificateSchema = z.strictObject({
  number: z.string().trim().min(4).max(40).regex(/^[A-Za-z0-9\-_/()（）\u4e00-\u9fa5]+$/, { error: 'certificate_number_invalid' }),
  issuedOn: z.iso.date(),
});
export const trainingLedgerQuerySchema = z.object({
  marketId: uuid.optional(),
  courseId: uuid.optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});

export interface TrainingDemandView {
  id: string; marketId: string; workerId: string; workerName: string; occupation: string; skill: string; note: string;
  enrolled: boolean; createdAt: string;
}
export interface DemandSummaryRow { occupation: string; demands: number; courses: number; lacksCourse: boolean }
export interface TrainingSessionView {
  id: string; courseId: string; trainer: string; place: string; topic: string; startsAt: string; endsAt: string; hours: number;
  attended: number; qrIssued: boolean;
}
export interface CourseView {
  id: string; tenantId: string; marketId: string; marketName: string | null; title: string; occupation: string; skill: string;
  hours: number; mode: TrainingMode; free: boolean; feeFen: number; provider: string; completionPercent: number; description: string;
  sessions: number; plannedHours: number; enrolled: number; completed: number; createdAt: string;
}
export interface CourseDetailView extends CourseView { sessionList: TrainingSessionView[] }
export interface SubsidyReason { code: 'all_sessions_attended' | 'hours_complete' | 'id_number_on_file' | 'certificate_issued'; ok: boolean; detail: string }
export interface LaterPlacementView { placementId: string; postTitle: string; occupation: string; status: string; recommendedAt: string; sameOccupation: boolean }
export interface EnrolmentView {
  id: string; marketId: string; courseId: string; courseTitle: string; occupation: string; workerId: string; workerName: string;
  workerMobile: string; status: EnrolmentStatus; attendedSessions: number; totalSessions: number; attendedHours: number;
  requiredHours: number; completedAt: string | null; certificateNumber: string | null; certificateIssuedOn: string | null;
  subsidyEligible: boolean; subsidyReasons: SubsidyReason[]; createdAt: string;
}
export interface AttendanceView {
  id: string; sessionId: string; enrolmentId: string; workerId: string; method: (typeof ATTENDANCE_METHODS)[number];
  signedAt: string; signatureHash: string | null; hashAlg: string | null; recordedByName: string | null;
}
export interface EnrolmentDetailView extends EnrolmentView {
  attendance: AttendanceView[];
  /** 培训+技能+推荐+就业: the trainee's referrals and hires after enrolment (from 即时快招). */
  laterPlacements: LaterPlacementView[];
}

/** The hours a trainee must attend to complete a course: its share `completionPercent` of the course's hours, to 0.01 h. */
export function requiredHours(courseHours: number, completionPercent: number): number {
  return Math.round(courseHours * completionPercent) / 100;
}

/** Completion (R-B10): the attended hours reach the course's required share. */
export const completionReached = (attendedHours: number, required: number): boolean => attendedHours >= required;

/** What the subsidy rule looks at for one enrolment. */
export interface SubsidyFacts {
  totalSessions: number; attendedSessions: number; attendedHours: number; requiredHours: number;
  hasIdNumber: boolean; certificateNumber: string | null;
}

/**
 * The subsidy-eligibility flag (R-B10 培训补贴) with each reason, so the reviewer sees why: every
 * session attended, the required hours reached, a real-name ID number on file, a certificate issued.
 */
export function subsidyReasons(f: SubsidyFacts): SubsidyReason[] {
  return [
    { code: 'all_sessions_attended', ok: f.totalSessions > 0 && f.attendedSessions >= f.totalSessions, detail: `${f.attendedSessions}/${f.totalSessions}` },
    { code: 'hours_complete', ok: f.attendedHours >= f.requiredHours, detail: `${f.attendedHours}/${f.requiredHours}` },
    { code: 'id_number_on_file', ok: f.hasIdNumber, detail: '' },
    { code: 'certificate_issued', ok: f.certificateNumber != null, detail: f.certificateNumber ?? '' },
  ];
}

/** Eligible for the subsidy when every reason holds. */
export const subsidyEligible = (reasons: readonly SubsidyReason[]): boolean => reasons.every((x) => x.ok);
