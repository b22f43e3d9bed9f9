import { z } from 'zod';
import { line, nameText } from './text';
import { createPostSchema } from './jobs';

/**
 * Third-party gig platforms connected through a signed data interface (R-E8; issue 18 §3–4). A county
 * authority or an operator admin registers a platform for a set of markets; the platform signs every
 * call with its secret (HMAC-SHA256, docs/api.md "Signed platform calls").
 */

const uuid = z.string().uuid();

/** What a platform may do: push posts, push their outcomes, read back its posts (and the province feed). */
export const PLATFORM_SCOPES = ['posts:write', 'outcomes:write', 'posts:read'] as const;
export type PlatformScope = (typeof PLATFORM_SCOPES)[number];
export const PLATFORM_STATUSES = ['active', 'disabled'] as const;
/** Events a platform may subscribe to (webhooks, issue 18 §4). */
export const WEBHOOK_EVENTS = ['post.published', 'hire.started', 'report.accepted'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Signed requests: a timestamp more than this far from the server's clock is refused. */
export const SIGNATURE_MAX_SKEW_SECONDS = 300;
/** Header names of a signed call (lower case, as Node reads them). */
export const SIGNATURE_HEADERS = {
  key: 'x-linggong-key', timestamp: 'x-linggong-timestamp', nonce: 'x-linggong-nonce', signature: 'x-linggong-signature',
} as const;
/** A nonce: 16–64 characters of [A-Za-z0-9_-] (a UUID without dashes, or base64url of 12+ random bytes). */
export const NONCE_RE = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * The string a platform signs: `timestamp \n nonce \n METHOD \n path (with query) \n raw body`. Method and
 * path are in it so that a signature for one endpoint cannot be replayed against another.
 */
export function signingString(timestamp: string, nonce: string, method: string, path: string, body: string): string {
  return `${timestamp}\n${nonce}\n${method.toUpperCase()}\n${path}\n${body}`;
}

export const platformCodeSchema = z.string().trim().regex(/^[a-z0-9_-]{2,40}$/, { error: 'bad_request' });

export const registerPlatformSchema = z.strictObject({
  /** The platform's short code, kept on its posts (`posts.platform`) and in the work log's `source`. */
  code: platformCodeSchema,
  name: nameText(2, 60),
  marketIds: z.array(uuid).min(1).max(200),
  scopes: z.array(z.enum(PLATFORM_SCOPES)).min(1).max(3),
  ratePerMinute: z.number().int().min(1).max(6000).default(120),
  /** Where subscribed events are delivered (https; signed with the platform's secret). */
  webhookUrl: z.string().url().max(500).nullable().default(null),
  webhookEvents: z.array(z.enum(WEBHOOK_EVENTS)).max(3).default([]),
});
export type RegisterPlatformInput = z.infer<typeof registerPlatformSchema>;
export const disablePlatformSchema = z.strictObject({ reason: line(2, 200) });
export const platformQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  status: z.enum(PLATFORM_STATUSES).optional(),
  q: line(0, 50).optional(),
  sort: z.string().max(40).optional(),
});

export const platformViewSchema = z.object({
  id: uuid, code: z.string(), name: z.string(), appKey: z.string(),
  scopes: z.array(z.enum(PLATFORM_SCOPES)), marketIds: z.array(uuid), markets: z.array(z.object({ id: uuid, name: z.string() })),
  ratePerMinute: z.number().int(), status: z.enum(PLATFORM_STATUSES), ownerOrgId: uuid, regionCode: z.string(),
  webhookUrl: z.string().nullable(), webhookEvents: z.array(z.enum(WEBHOOK_EVENTS)),
  createdAt: z.string(), rotatedAt: z.string().nullable(), disabledAt: z.string().nullable(), disabledReason: z.string().nullable(),
  calls: z.number().int(), lastCallAt: z.string().nullable(),
});
export type PlatformView = z.infer<typeof platformViewSchema>;
/** Registration and rotation answer with the secret, once: it is never shown again. */
export const platformSecretViewSchema = platformViewSchema.extend({ secret: z.string() });
export type PlatformSecretView = z.infer<typeof platformSecretViewSchema>;

/** A platform's post: the desk's post fields plus the market and the platform's own id (idempotency key). */
export const platformPostSchema = createPostSchema.extend({ marketId: uuid, externalId: line(1, 80) });
export type PlatformPostInput = z.infer<typeof platformPostSchema>;

export const OUTCOME_STEPS = ['hire', 'start', 'settlement'] as const;
export type OutcomeStep = (typeof OUTCOME_STEPS)[number];
/**
 * An outcome on the platform (R-E8): a hire, a start or a settlement, appended to the market's work log
 * as `platform_outcome.<step>` with its source, idempotent on platform + step + externalId.
 */
export const platformOutcomeSchema = z.strictObject({
  marketId: uuid,
  step: z.enum(OUTCOME_STEPS),
  externalId: line(1, 80),
  /** The post it belongs to, by the platform's id, when the post was pushed here. */
  postExternalId: line(1, 80).optional(),
  /** Workers hired, started or settled by this one outcome. */
  persons: z.number().int().min(1).max(500).default(1),
  /** Wages paid, in fen (settlements). */
  amountFen: z.number().int().min(0).max(100_000_000).optional(),
  occurredAt: z.iso.datetime({ offset: true }),
});
export type PlatformOutcomeInput = z.infer<typeof platformOutcomeSchema>;
export const platformOutcomeViewSchema = z.object({
  id: uuid, created: z.boolean(), marketId: uuid, step: z.enum(OUTCOME_STEPS), externalId: z.string(), postId: uuid.nullable(),
  persons: z.number().int(), amountFen: z.number().int().nullable(), occurredAt: z.string(), ledgerSeq: z.number().int(),
});
export type PlatformOutcomeView = z.infer<typeof platformOutcomeViewSchema>;
export const platformPostResultSchema = z.object({
  created: z.boolean(),
  post: z.object({ id: uuid, marketId: uuid, status: z.string(), title: z.string(), externalId: z.string().nullable(), redFlags: z.array(z.object({ code: z.string() }).passthrough()) }).passthrough(),
});
export const platformPostsQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  externalId: line(1, 80).optional(),
});
export const platformPostItemSchema = z.object({
  id: uuid, marketId: uuid, externalId: z.string(), status: z.string(), title: z.string(), reviewReason: z.string().nullable(), createdAt: z.string(),
});
export const platformPostPageSchema = z.object({ items: z.array(platformPostItemSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

// ───────────────────────────── the province feed (issue 18 §4) ─────────────────────────────

const regionPrefix = z.string().regex(/^\d{2}(\d{2}){0,2}$/, { error: 'bad_request' });
export const feedPostsQuerySchema = z.object({
  region: regionPrefix,
  page: z.coerce.number().int().min(1).max(10000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});
export const feedChangesQuerySchema = z.object({
  region: regionPrefix,
  /** The `nextCursor` of the previous answer (or the `changesCursor` of the open-posts snapshot); none: from the start. */
  cursor: z.string().regex(/^[A-Za-z0-9_-]{10,200}$/, { error: 'bad_request' }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const feedDirectoryQuerySchema = z.object({
  region: regionPrefix,
  page: z.coerce.number().int().min(1).max(10000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
  /** Only listings of directory versions published after this time (ISO 8601): the changes since the last read. */
  since: z.iso.datetime({ offset: true }).optional(),
});
export const feedPostSchema = z.object({
  id: uuid, marketId: uuid, marketName: z.string(), regionCode: z.string(), employerName: z.string(), employerVerified: z.boolean(),
  title: z.string(), occupation: z.string(), headcount: z.number().int(), wageFen: z.number().int(), wageUnit: z.string(), period: z.string(),
  startAt: z.string(), expiresAt: z.string(), place: z.string(), status: z.string(),
});
export type FeedPost = z.infer<typeof feedPostSchema>;
export const feedPostPageSchema = z.object({
  items: z.array(feedPostSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int(),
  /** Where the changes feed continues from this snapshot (null: no post change yet in the region). */
  changesCursor: z.string().nullable(),
});
export const feedChangeSchema = z.object({ change: z.enum(['published', 'closed']), at: z.string(), post: feedPostSchema });
export const feedChangesSchema = z.object({ items: z.array(feedChangeSchema), nextCursor: z.string().nullable(), hasMore: z.boolean() });

// ───────────────────────────── webhook deliveries (issue 18 §4) ─────────────────────────────

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export const deliveryQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  status: z.enum(DELIVERY_STATUSES).optional(),
  event: z.enum(WEBHOOK_EVENTS).optional(),
  sort: z.string().max(40).optional(),
});
export const deliveryViewSchema = z.object({
  id: uuid, platformId: uuid, event: z.enum(WEBHOOK_EVENTS), eventKey: z.string(), url: z.string(), status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(), lastStatus: z.number().int().nullable(), lastError: z.string().nullable(), createdAt: z.string(),
  lastAttemptAt: z.string().nullable(), deliveredAt: z.string().nullable(),
});
export type DeliveryView = z.infer<typeof deliveryViewSchema>;
/** How often a delivery is tried before it is marked failed (BullMQ attempts, exponential backoff from 2 s). */
export const WEBHOOK_ATTEMPTS = 8;
