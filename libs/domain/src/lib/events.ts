import { z } from 'zod';
import { line, multiline, nameText } from './text';

/**
 * Events (R-B13): special gig job fairs, night markets (夜市), recruiting caravans (大篷车) and
 * live-streamed recruiting — planned, held or cancelled; attendance; the posts that came with an
 * event and the hires made from them.
 */

const uuid = z.string().uuid();
const datetime = z.iso.datetime({ offset: true });

export const EVENT_KINDS = ['fair', 'night_market', 'caravan', 'livestream'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const EVENT_STATUSES = ['planned', 'held', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];
/** Placement statuses that count as a hire made (both parties confirmed, or further). */
export const HIRE_STATUSES = ['confirmed', 'started', 'completed'] as const;

export const createEventSchema = z.strictObject({
  kind: z.enum(EVENT_KINDS),
  title: nameText(2, 60),
  startsAt: datetime,
  endsAt: datetime,
  /** Where it is held; a live stream has a stream URL instead. */
  place: line(0, 200).default(''),
  streamUrl: z.url({ protocol: /^https?$/, error: 'event_stream_url' }).max(500).optional(),
  organiser: nameText(0, 100).default(''),
  note: multiline(0, 1000).default(''),
}).superRefine((v, ctx) => {
  if (!(Date.parse(v.endsAt) > Date.parse(v.startsAt))) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'event_end_before_start' });
  if (v.kind === 'livestream' && !v.streamUrl) ctx.addIssue({ code: 'custom', path: ['streamUrl'], message: 'event_stream_url' });
  if (v.kind !== 'livestream' && v.place.length < 2) ctx.addIssue({ code: 'custom', path: ['place'], message: 'event_place_required' });
});
export type CreateEventInput = z.infer<typeof createEventSchema>;

export const eventQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  marketId: uuid.optional(),
  kind: z.enum(EVENT_KINDS).optional(),
  status: z.enum(EVENT_STATUSES).optional(),
});

export const eventStatusSchema = z.strictObject({
  status: z.enum(['held', 'cancelled']),
  reason: multiline(0, 500).default(''),
}).superRefine((v, ctx) => {
  if (v.status === 'cancelled' && v.reason.length < 2) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'event_cancel_reason' });
});
export const eventAttendanceSchema = z.strictObject({
  workers: z.number().int().min(0).max(1_000_000),
  employers: z.number().int().min(0).max(100_000),
  /** Live streams: viewers counted by the platform. */
  viewers: z.number().int().min(0).max(100_000_000).default(0),
});
export const linkPostsSchema = z.strictObject({ postIds: z.array(uuid).min(1).max(200) });

export interface EventPostView { postId: string; title: string; occupation: string; employerName: string; headcount: number; hires: number; status: string }
export interface EventView {
  id: string; tenantId: string; marketId: string; marketName: string | null; kind: EventKind; title: string; startsAt: string; endsAt: string;
  place: string; streamUrl: string | null; organiser: string; note: string; status: EventStatus; statusReason: string | null;
  workers: number | null; employers: number | null; viewers: number | null; posts: number; hires: number; createdAt: string;
}
export interface EventDetailView extends EventView { postList: EventPostView[] }
