import { z } from 'zod';
import { line, multiline, nameText } from './text';
import { MOBILE_RE } from './privacy';
import { OCCUPATION_NAMES, occupationOf } from './occupations';

/** 即时快招 (R-B4…B8): job posts, the day's check-in queue, matching, hires and 日结 settlement. */

const uuid = z.string().uuid();
const page = {
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};
export const occupationSchema = z.enum(OCCUPATION_NAMES, { error: 'unknown_occupation' });

export const WAGE_UNITS = ['hour', 'day', 'piece', 'month'] as const;
export const POST_PERIODS = ['same_day', 'days', 'weeks'] as const;
export const POST_STATUSES = ['pending_review', 'published', 'rejected', 'filled', 'expired', 'withdrawn'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

/** Automatic red flags raised when a post is submitted (R-B6); the reviewer sees each with its detail. */
export const RED_FLAGS = ['wage_below_median', 'worker_fee', 'employer_unverified', 'employer_flagged'] as const;
export type RedFlagCode = (typeof RED_FLAGS)[number];
export interface RedFlag { code: RedFlagCode; detail: Record<string, unknown> }

/** Words that show a fee or deposit demanded from workers (R-B6: no charges to workers). */
export const WORKER_FEE_WORDS = ['押金', '保证金', '服装费', '工装费', '培训费', '介绍费', '中介费', '报名费', '体检费自理', '办卡费', '先交', '预交'] as const;

export const createPostSchema = z.strictObject({
  employerId: uuid,
  occupation: occupationSchema,
  title: nameText(2, 60),
  headcount: z.number().int().min(1).max(500),
  /** Wage in fen (分) per unit; 18000 with unit 'day' is ¥180 a day. */
  wageFen: z.number().int().min(1).max(10_000_000),
  wageUnit: z.enum(WAGE_UNITS),
  period: z.enum(POST_PERIODS),
  /** Number of days (period 'days') or weeks (period 'weeks'); 1 for same-day work. */
  periodCount: z.number().int().min(1).max(52).default(1),
  startAt: z.iso.datetime({ offset: true }),
  place: line(2, 200),
  requirements: multiline(0, 1000).default(''),
  skills: z.array(line(1, 20)).max(10).default([]),
  /** Any fee or deposit the employer asks of workers, in fen; anything above zero is flagged. */
  workerFeeFen: z.number().int().min(0).max(10_000_000).default(0),
  /** Codes from the prohibited-work list (R-B7) that this work involves. */
  hazards: z.array(z.string().regex(/^[a-z0-9_]{2,40}$/)).max(10).default([]),
  /** When the post leaves the board; defaults to the end of its start day. */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export type CreatePostInput = z.infer<typeof createPostSchema>;

/**
 * The seam for third-party recruitment platforms (R-E8): the same post plus the platform's own id,
 * so a repeated push updates nothing and is answered with the existing post.
 */
export const externalPostSchema = createPostSchema.extend({
  source: z.literal('third_party'),
  platform: z.string().trim().regex(/^[a-z0-9_-]{2,40}$/),
  externalId: line(1, 80),
});

export const reviewPostSchema = z
  .strictObject({ decision: z.enum(['published', 'rejected']), reason: multiline(0, 500).default('') })
  .superRefine((v, ctx) => {
    if (v.decision === 'rejected' && v.reason.length < 4) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'reason_required' });
  });

export const postQuerySchema = z.object({
  ...page,
  marketId: uuid.optional(),
  status: z.enum(POST_STATUSES).optional(),
  occupation: occupationSchema.optional(),
  q: line(0, 50).optional(),
});

export interface PostView {
  id: string; tenantId: string; marketId: string; marketName: string | null; employerId: string; employerName: string;
  employerStatus: string; occupation: string; title: string; headcount: number; hiredCount: number; wageFen: number;
  wageUnit: (typeof WAGE_UNITS)[number]; period: (typeof POST_PERIODS)[number]; periodCount: number; startAt: string;
  place: string; requirements: string; skills: string[]; workerFeeFen: number; hazards: string[]; status: PostStatus;
  redFlags: RedFlag[]; reviewReason: string | null; reviewedAt: string | null; expiresAt: string; source: string;
  platform: string | null; externalId: string | null; createdAt: string;
}

/** The public job board shows what a worker needs, nothing about staff or flags. */
export interface PublicPostView {
  id: string; occupation: string; title: string; employerName: string; headcount: number; openings: number; wageFen: number;
  wageUnit: string; period: string; periodCount: number; startAt: string; place: string; requirements: string; expiresAt: string;
}

// Check-in (签到) and the day's queue

export const checkInSchema = z.strictObject({
  workerId: uuid,
  /** What the worker is looking for today; defaults to the occupations on record. */
  occupations: z.array(occupationSchema).max(5).optional(),
});
export const queueQuerySchema = z.object({ occupation: occupationSchema.optional(), status: z.enum(['waiting', 'matched', 'left', 'all']).default('waiting') });

/** Person first at the desk (issue 17 §6): what a queued worker could be offered today. */
export interface QueuePostsView {
  entry: QueueEntryView;
  /** What the worker came for today (the check-in's trades). */
  occupations: string[];
  /** Open posts at the market in those trades, best paid first; `blocked` is the compliance guard's answer for this worker; `placed` when already recommended for it. */
  posts: { post: PostView; blocked: ComplianceRefusal | null; placed: boolean }[];
}

export interface QueueEntryView {
  checkInId: string; workerId: string; name: string; mobile: string; gender: string | null; age: number | null;
  queueNumber: number; occupations: string[]; skills: string[]; checkedInAt: string; channel: string; status: string; waitedMinutes: number;
  hardshipTier: number; completed: number; noShows: number;
}

export interface CandidateView {
  workerId: string; name: string; mobile: string; gender: string | null; age: number | null; occupations: string[];
  skills: string[]; checkedInToday: boolean; waitedMinutes: number | null; idleDays: number | null; distanceKm: number | null;
  hardshipTier: number; completed: number; noShows: number; score: number;
  /** The parts of the score, so staff can explain a ranking to a worker (R-B4, R-B9). */
  parts: { fit: number; hardship: number; waiting: number; distance: number; reliability: number };
  /** Set when the compliance guard would refuse this worker for the post (R-B7). */
  blocked: ComplianceRefusal | null;
}

// Placements: recommendation → confirmation → start → completion and 日结

export const PLACEMENT_STATUSES = ['recommended', 'confirmed', 'started', 'completed', 'no_show', 'cancelled'] as const;
export type PlacementStatus = (typeof PLACEMENT_STATUSES)[number];

export const recommendSchema = z.strictObject({ postId: uuid, workerId: uuid });
/** Who confirms at the desk: both parties present, or one at a time. */
export const confirmSchema = z.strictObject({ party: z.enum(['employer', 'worker', 'both']) });
export const startSchema = z.strictObject({ startedAt: z.iso.datetime({ offset: true }).optional() });
export const completeSchema = z.strictObject({
  amountPaidFen: z.number().int().min(0).max(10_000_000),
  paidBy: nameText(1, 60),
  paidAt: z.iso.datetime({ offset: true }),
  method: z.enum(['cash', 'wechat', 'alipay', 'bank', 'other']),
  note: multiline(0, 500).default(''),
});
export const noShowSchema = z.strictObject({ party: z.enum(['worker', 'employer']), note: multiline(0, 500).default('') });
export const cancelSchema = z.strictObject({ reason: multiline(2, 500) });
export const nonPaymentSchema = z.strictObject({
  amountOwedFen: z.number().int().min(1).max(10_000_000),
  description: multiline(4, 1000),
});
export const placementQuerySchema = z.object({
  ...page,
  marketId: uuid.optional(),
  postId: uuid.optional(),
  workerId: uuid.optional(),
  status: z.enum(PLACEMENT_STATUSES).optional(),
  day: z.iso.date().optional(),
});

export interface PlacementView {
  id: string; marketId: string; postId: string; postTitle: string; occupation: string; employerId: string; employerName: string;
  workerId: string; workerName: string; workerMobile: string; status: PlacementStatus; score: number | null;
  employerConfirmedAt: string | null; workerConfirmedAt: string | null; startedAt: string | null; completedAt: string | null;
  amountPaidFen: number | null; paidBy: string | null; paidAt: string | null; payMethod: string | null; noShowParty: string | null;
  cancelReason: string | null; nonPayment: boolean; recommendedAt: string; recommendedByName: string | null;
  /** The post's agreed wage, what the 日结 form starts from. */
  wageFen: number; wageUnit: PostView['wageUnit'];
  /** Present only when issued (recommendation or reissue): the codes behind the QR each party scans to confirm on a phone. */
  confirmTokens?: { worker: string; employer: string };
}

// Compliance guard (R-B7)

export interface ComplianceRefusal {
  rule: 'under_16' | 'age_unknown_for_hazard' | 'gender_unknown_for_hazard' | 'prohibited_for_women' | 'prohibited_for_minors' | 'age_unverified_under_16';
  /** Prohibited-work item(s) that caused it, with the legal source, to show the clerk. */
  items: { code: string; name: string; legalSource: string }[];
  legalSource: string;
}
export interface ProhibitedWorkView { code: string; name: string; appliesTo: 'women' | 'minors' | 'women_and_minors'; legalSource: string; note: string }

// Disputes and removal (R-B8)

/** A worker may appeal a dispute finding or a removal within this many calendar days of the notice. */
export const APPEAL_NOTICE_DAYS = 15;

export const sanctionSchema = z.strictObject({
  kind: z.enum(['dispute', 'removal']),
  reason: multiline(4, 1000),
  /** The notice given to the worker, with the appeal route and deadline in plain words. */
  notice: multiline(10, 2000),
  placementId: uuid.optional(),
});
export const appealSchema = z.strictObject({ statement: multiline(4, 2000) });
export const appealDecisionSchema = z.strictObject({ decision: z.enum(['upheld', 'overturned']), reason: multiline(4, 1000) });
export interface SanctionView {
  id: string; workerId: string; marketId: string; kind: 'dispute' | 'removal'; reason: string; notice: string; status: string;
  noticeAt: string; appealDeadline: string; appealStatement: string | null; appealedAt: string | null; decisionReason: string | null;
  decidedAt: string | null; placementId: string | null; createdAt: string;
}

// Wage-arrears referrals (R-B8) and non-payment reports

export const wageReferralSchema = z.strictObject({
  referredTo: line(2, 100),
  amountOwedFen: z.number().int().min(1).max(1_000_000_000),
  workersAffected: z.number().int().min(1).max(10000),
  description: multiline(4, 2000),
  referredAt: z.iso.datetime({ offset: true }),
});
export interface EmployerFlagView {
  id: string; employerId: string; marketId: string; kind: 'non_payment' | 'wage_arrears_referral'; amountOwedFen: number;
  workersAffected: number; description: string; referredTo: string | null; placementId: string | null; status: string; createdAt: string;
}

// Public pages (no sign-in)

/** Gate codes (proof of presence for the public check-in) rotate every three minutes; the previous one is still accepted. */
export const GATE_CODE_PERIOD_SECONDS = 180;
export const GATE_CODE_RE = /^\d{6}$/;
/**
 * The public check-in (issue 12 §4): one form for everyone — name, mobile, consent and the gate code shown
 * on the screen at the market's gate. A known mobile is checked in (the typed name is not compared and not
 * stored); an unknown one is registered with the typed name and checked in. The answer is the same for
 * both, so the page tells a stranger nothing about who is registered.
 */
export const publicCheckInSchema = z.strictObject({
  name: nameText(1, 30),
  mobile: z.string().regex(MOBILE_RE, { error: 'invalid_mobile' }),
  occupations: z.array(occupationSchema).max(5).default([]),
  consent: z.literal(true, { error: 'consent_required' }),
  gateCode: z.string().regex(GATE_CODE_RE, { error: 'invalid_gate_code' }),
});
export interface GateCodeView { marketId: string; code: string; periodSeconds: number; rotatesAt: string; validUntil: string }
export interface PublicMarketView {
  id: string; name: string; address: string | null; longitude: number | null; latitude: number | null; hours: string | null;
  contactName: string | null; contactPhone: string | null; hotline: string | null; complaintHotline: string | null;
  services: string[]; occupations: string[]; openPosts: number; waitingToday: number;
  /**
   * The trades most asked for and offered at this market lately (check-ins and posts of the last 90 days,
   * most frequent first, at most 8), then the market's configured usual trades: the check-in page's first chips.
   */
  commonOccupations: string[];
}
/** The same shape and status for a known and an unknown mobile (no name, no "already"). */
export interface PublicCheckInResult { status: 'checked_in'; queueNumber: number; day: string }

/** A worker's age in whole years on a day, from a full birth date or only a year (then the lower bound). */
export function ageOn(day: string, birthDate: string | null, birthYear: number | null): { age: number; exact: boolean } | null {
  const [y, m, d] = day.split('-').map(Number);
  if (birthDate) {
    const [by, bm, bd] = birthDate.split('-').map(Number);
    return { age: y - by - (m < bm || (m === bm && d < bd) ? 1 : 0), exact: true };
  }
  if (birthYear) return { age: y - birthYear - 1, exact: false };
  return null;
}

/** Convert a wage to a day figure for comparison: 8 hours a day, 21.75 paid days a month (劳社部发〔2008〕3号). */
export function dayWageFen(wageFen: number, unit: (typeof WAGE_UNITS)[number]): number | null {
  if (unit === 'day') return wageFen;
  if (unit === 'hour') return wageFen * 8;
  if (unit === 'month') return Math.round(wageFen / 21.75);
  return null;
}

/**
 * A 日结 recorded this soon after the start asks the desk to confirm (issue 17 §6): a same-day job paid
 * a minute after it began is more often a slip than a day's work.
 */
export const EARLY_SETTLEMENT_MINUTES = 60;

/** The pay a 日结 form starts from: the agreed day wage, or the hourly wage × 8; none for piece or monthly work. */
export function agreedDayPayFen(wageFen: number, unit: (typeof WAGE_UNITS)[number]): number | null {
  return unit === 'day' || unit === 'hour' ? dayWageFen(wageFen, unit) : null;
}

export const CHILD_LABOUR_SOURCE = '《中华人民共和国劳动法》第十五条；《禁止使用童工规定》（国务院令第364号）第二条、第四条';

export interface ProhibitedItem { code: string; name: string; appliesTo: 'women' | 'minors' | 'women_and_minors'; legalSource: string }
export interface GuardWorker { gender: 'male' | 'female' | null; birthDate: string | null; birthYear: number | null }

/**
 * The compliance guard (R-B7), one rule set for the ranking, the recommendation and the tests: nobody
 * under 16; no woman and nobody under 18 in work on the prohibited list. Where the record lacks the
 * age or gender a hazardous post needs, the match is refused until staff record it (from the ID card).
 */
export function complianceCheck(w: GuardWorker, hazards: ProhibitedItem[], day: string): ComplianceRefusal | null {
  const age = ageOn(day, w.birthDate, w.birthYear);
  if (age && age.age < 16) {
    // With only a birth year the lower bound may be 15 while the person is already 16: ask for the ID.
    const certain = age.exact || age.age + 1 < 16;
    return { rule: certain ? 'under_16' : 'age_unverified_under_16', items: [], legalSource: CHILD_LABOUR_SOURCE };
  }
  const brief = (i: ProhibitedItem) => ({ code: i.code, name: i.name, legalSource: i.legalSource });
  const forWomen = hazards.filter((h) => h.appliesTo !== 'minors');
  const forMinors = hazards.filter((h) => h.appliesTo !== 'women');
  if (forWomen.length && w.gender === null) return { rule: 'gender_unknown_for_hazard', items: forWomen.map(brief), legalSource: forWomen[0].legalSource };
  if (forWomen.length && w.gender === 'female') return { rule: 'prohibited_for_women', items: forWomen.map(brief), legalSource: forWomen.map((h) => h.legalSource).join('；') };
  if (forMinors.length && !age) return { rule: 'age_unknown_for_hazard', items: forMinors.map(brief), legalSource: forMinors[0].legalSource };
  if (forMinors.length && age && age.age < 18) return { rule: 'prohibited_for_minors', items: forMinors.map(brief), legalSource: forMinors.map((h) => h.legalSource).join('；') };
  return null;
}

/** A post pays "far below" the local median under this share of it (R-B6 red flag). */
export const MEDIAN_SHARE = 0.7;
/** Posts of the same city, occupation and wage basis in this many days make the local median. */
export const MEDIAN_WINDOW_DAYS = 180;
/** Fewer local posts than this: the occupation's reference day wage stands in for the median. */
export const MEDIAN_MIN_SAMPLES = 5;

/**
 * The automatic red flags a reviewer sees on a new post (R-B6): a fee asked of the worker (an amount, or
 * one of WORKER_FEE_WORDS in the title or requirements), an employer not verified or already flagged, and a
 * day wage below MEDIAN_SHARE of the local median of the city's posts of the occupation (`local`: their
 * count and median day wage) — or of the occupation's reference day wage when there are too few of them.
 */
export function postRedFlags(
  post: Pick<CreatePostInput, 'title' | 'requirements' | 'workerFeeFen' | 'wageFen' | 'wageUnit' | 'occupation'>,
  employer: { status: string; openFlags: number },
  local: { n: number; median: number | null } | null,
): RedFlag[] {
  const flags: RedFlag[] = [];
  const words = WORKER_FEE_WORDS.filter((w) => post.requirements.includes(w) || post.title.includes(w));
  if (post.workerFeeFen > 0 || words.length) flags.push({ code: 'worker_fee', detail: { workerFeeFen: post.workerFeeFen, words } });
  if (employer.status !== 'verified') flags.push({ code: 'employer_unverified', detail: { status: employer.status } });
  if (employer.openFlags > 0) flags.push({ code: 'employer_flagged', detail: { openFlags: employer.openFlags } });
  const day = dayWageFen(post.wageFen, post.wageUnit);
  if (day !== null) {
    const samples = local?.n ?? 0;
    const isLocal = samples >= MEDIAN_MIN_SAMPLES;
    const median = isLocal ? Math.round(Number(local?.median)) : (occupationOf(post.occupation)?.refDayFen ?? null);
    if (median && day < median * MEDIAN_SHARE) {
      flags.push({ code: 'wage_below_median', detail: { dayWageFen: day, medianDayFen: median, basis: isLocal ? 'local_posts' : 'reference', samples } });
    }
  }
  return flags;
}
