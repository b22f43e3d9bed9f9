import { z } from 'zod';
import { nameText, multiline } from './text';
import { MOBILE_RE } from './privacy';
import { occupationSchema } from './jobs';

/**
 * The province-wide public job board (issue 18 §1; R-E7, R-G12) and job push (issue 18 §2; R-G11).
 * Sign-in-free: the board lists published, unexpired posts of open markets; a worker applies (应聘报名)
 * with a mobile number (an unknown one is registered on the spot); the market's desk takes it from there.
 */

const day = z.iso.date({ error: 'invalid_date' });

export const jobBoardQuerySchema = z
  .object({
    occupation: occupationSchema.optional(),
    /** A GB/T 2260 prefix: province, city or county. */
    region: z.string().regex(/^\d{2}(\d{2}){0,2}$/, { error: 'invalid_region' }).optional(),
    /** The lowest day-equivalent wage in fen (a post's own unit is compared as is: 元/天 by default). */
    minWageFen: z.coerce.number().int().min(0).max(10_000_000).optional(),
    /** Posts starting on or after / on or before (Asia/Shanghai days). */
    startFrom: day.optional(),
    startTo: day.optional(),
    /** Where the worker is: distance to each post's market, and `sort=distance`. */
    lat: z.coerce.number().min(3).max(54).optional(),
    lng: z.coerce.number().min(73).max(136).optional(),
    /** Only markets within this many km of (lat, lng). */
    withinKm: z.coerce.number().min(0.1).max(2000).optional(),
    sort: z.enum(['start', 'wage', 'distance']).default('start'),
    page: z.coerce.number().int().min(1).max(10000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .refine((q) => (q.lat == null) === (q.lng == null), { path: ['lat'], error: 'board_location_pair' })
  .refine((q) => q.lat != null || (q.sort !== 'distance' && q.withinKm == null), { path: ['sort'], error: 'board_location_required' })
  .refine((q) => !q.startFrom || !q.startTo || q.startFrom <= q.startTo, { path: ['startTo'], error: 'board_dates_order' });
export type JobBoardQuery = z.infer<typeof jobBoardQuerySchema>;

export interface BoardPostView {
  id: string; occupation: string; title: string; headcount: number; openings: number;
  wageFen: number; wageUnit: string; period: string; periodCount: number; startAt: string; expiresAt: string;
  place: string; requirements: string;
  employerName: string; employerVerified: boolean;
  marketId: string; marketName: string; marketAddress: string | null; marketHotline: string | null;
  regionCode: string; longitude: number | null; latitude: number | null;
  /** Great-circle distance from the caller's (lat, lng) to the market, km, one decimal; null without a location. */
  distanceKm: number | null;
}
export interface BoardPage { items: BoardPostView[]; total: number; page: number; pageSize: number }

/** 应聘报名: the same answer whether the number was known or registered now (no registration oracle). */
export const boardApplicationSchema = z.strictObject({
  name: nameText(1, 30),
  mobile: z.string().regex(MOBILE_RE, { error: 'invalid_mobile' }),
  consent: z.literal(true, { error: 'consent_required' }),
  /** Opt in to job push (推送) — taken only when this application registers the number. */
  jobPush: z.boolean().default(false),
  /** Left empty by people; bots fill every field (a honeypot). */
  website: z.string().max(200).optional(),
});
export interface BoardApplicationResult { status: 'applied'; postTitle: string; marketName: string; marketHotline: string | null; appliedOn: string }

export const APPLICATION_STATUSES = ['pending', 'recommended', 'declined'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export const applicationQuerySchema = z.object({
  status: z.enum([...APPLICATION_STATUSES, 'all']).default('pending'),
  page: z.coerce.number().int().min(1).max(10000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const declineApplicationSchema = z.strictObject({ reason: multiline(2, 300) });
export interface ApplicationView {
  id: string; marketId: string; postId: string; postTitle: string; occupation: string; workerId: string; workerName: string;
  workerMobile: string; status: ApplicationStatus; placementId: string | null; declineReason: string | null; channel: string; createdAt: string;
}

/** 推送 (R-G11): what a worker's own page shows. */
export interface PushPageView {
  workerName: string; subscribed: boolean; occupations: string[]; regionCode: string; dailyLimit: number;
  items: (BoardPostView & { pushedAt: string })[];
}
export interface PushLinkView { workerId: string; subscribed: boolean; path: string }
