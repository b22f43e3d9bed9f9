import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  HIRE_STATUSES, eventAttendanceSchema, eventQuerySchema, eventStatusSchema, linkPostsSchema,
  type Action, type Actor, type CreateEventInput, type EventDetailView, type EventView, type Page,
} from '@linggong/domain';
import { ProblemException, TenantDb, applyAccess, assertAccess, conflict, newId, notFound, rowForChange, unprocessable } from '@linggong/api-core';
import { FactsService } from '@linggong/api-ledger';
import { MarketDirectoryService } from '@linggong/api-markets';

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
const orNull = (v: unknown) => (v == null ? null : Number(v));

/**
 * Hires from an event's posts: placements of the linked posts that both parties confirmed (or further),
 * made at or after the event's start (an earlier placement did not come from the event).
 * Read from the 即时快招 tables (posts, placements, employers) read-only — a read model listed in the README.
 */
const EVENT_SELECT = `SELECT ev.*, mk.name AS market_name,
    (SELECT count(*)::int FROM market_event_posts ep WHERE ep.event_id = ev.id) AS post_count,
    (SELECT count(*)::int FROM market_event_posts ep JOIN placements pl ON pl.post_id = ep.post_id
      WHERE ep.event_id = ev.id AND pl.status = ANY($2::text[]) AND pl.created_at >= ev.starts_at) AS hire_count
  FROM market_events ev JOIN markets mk ON mk.id = ev.market_id`;

/**
 * Events (R-B13): special gig fairs, night markets, recruiting caravans, live-streamed recruiting —
 * planned by the market manager, then held (with attendance) or cancelled (with a reason); posts are
 * linked to the event and the hires made from them counted. Every step appends an `event` work-log
 * entry in the same transaction.
 */
@Injectable()
export class EventsService {
  constructor(private readonly db: TenantDb, private readonly facts: FactsService, private readonly markets: MarketDirectoryService) {}

  create(actor: Actor, marketId: string, input: CreateEventInput): Promise<EventDetailView> {
    return this.db.run(actor, async (em) => {
      const m = await this.markets.scopeOf(em, marketId);
      if (!m) throw notFound();
      assertAccess(actor, 'read', 'Market', { id: marketId, tenantId: m.tenantId, regionCode: m.regionCode });
      assertAccess(actor, 'create', 'MarketEvent', { marketId, tenantId: m.tenantId, regionCode: m.regionCode });
      if (!m.tenantId) throw new ProblemException(409, 'market_not_in_tenant');
      const id = newId();
      await em.query(
        `INSERT INTO market_events (id, tenant_id, market_id, region_code, kind, title, starts_at, ends_at, place, stream_url, organiser, note, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [id, m.tenantId, marketId, m.regionCode, input.kind, input.title, input.startsAt, input.endsAt, input.place, input.streamUrl ?? null,
          input.organiser, input.note, actor.userId]);
      await this.facts.record(em, actor, { marketId, kind: 'event', step: 'planned', subjectType: 'MarketEvent', subjectId: id, payload: {
        step: 'planned', eventId: id, eventKind: input.kind, title: input.title, startsAt: new Date(input.startsAt).toISOString(),
        endsAt: new Date(input.endsAt).toISOString(), place: input.place, streamUrl: input.streamUrl ?? null,
      } });
      return this.detail(em, id);
    });
  }

  list(actor: Actor, q: z.infer<typeof eventQuerySchema>): Promise<Page<EventView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('market_events', 'ev');
      if (!applyAccess(qb, actor, 'read', 'MarketEvent', { tenantId: 'ev.tenant_id', regionCode: 'ev.region_code', marketId: 'ev.market_id' })) {
        return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      }
      if (q.marketId) qb.andWhere('ev.market_id = :m', { m: q.marketId });
      if (q.kind) qb.andWhere('ev.kind = :k', { k: q.kind });
      if (q.status) qb.andWhere('ev.status = :s', { s: q.status });
      const total = await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>();
      const ids = await qb.select('ev.id', 'id').orderBy('ev.starts_at', 'DESC').addOrderBy('ev.id').offset((q.page - 1) * q.pageSize).limit(q.pageSize).getRawMany<{ id: string }>();
      const rows: Row[] = ids.length ? await em.query(`${EVENT_SELECT} WHERE ev.id = ANY($1::uuid[]) ORDER BY ev.starts_at DESC, ev.id`, [ids.map((r) => r.id), HIRE_STATUSES]) : [];
      return { items: rows.map(view), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
    });
  }

  get(actor: Actor, id: string): Promise<EventDetailView> {
    return this.db.run(actor, async (em) => {
      await this.require(em, actor, id, 'read');
      return this.detail(em, id);
    });
  }

  /** Held (only once it has started) or cancelled (with a reason); either is final. */
  setStatus(actor: Actor, id: string, input: z.infer<typeof eventStatusSchema>): Promise<EventDetailView> {
    return this.db.run(actor, async (em) => {
      const ev = await this.require(em, actor, id, 'update');
      if (ev['status'] !== 'planned') throw new ProblemException(409, 'event_state');
      if (input.status === 'held' && !ev['started']) throw new ProblemException(409, 'event_not_started');
      // Conditional on the state read above, so two concurrent calls cannot both change it (the loser gets 409).
      // A CTE so the statement returns its rows (TypeORM answers a bare UPDATE … RETURNING with [rows, count]).
      const changed: unknown[] = await em.query(
        `WITH x AS (UPDATE market_events SET status = $2, status_reason = $3, status_at = now(), status_by = $4 WHERE id = $1 AND status = 'planned' RETURNING id) SELECT id FROM x`,
        [id, input.status, input.reason || null, actor.userId]);
      if (!changed.length) throw new ProblemException(409, 'event_state');
      await this.facts.record(em, actor, { marketId: String(ev['market_id']), kind: 'event', step: input.status, subjectType: 'MarketEvent', subjectId: id, payload: { step: input.status, eventId: id, reason: input.reason || null }, summary: { before: ev['status'], after: input.status, reason: input.reason } });
      return this.detail(em, id);
    });
  }

  /** Who came (R-B13): workers and employers counted at the event, viewers for a live stream. */
  recordAttendance(actor: Actor, id: string, input: z.infer<typeof eventAttendanceSchema>): Promise<EventDetailView> {
    return this.db.run(actor, async (em) => {
      const ev = await this.require(em, actor, id, 'update');
      if (ev['status'] === 'cancelled') throw new ProblemException(409, 'event_state');
      if (!ev['started']) throw new ProblemException(409, 'event_not_started');
      const changed: unknown[] = await em.query(
        `WITH x AS (UPDATE market_events SET workers = $2, employers = $3, viewers = $4, attendance_at = now() WHERE id = $1 AND status <> 'cancelled' RETURNING id) SELECT id FROM x`,
        [id, input.workers, input.employers, input.viewers]);
      if (!changed.length) throw new ProblemException(409, 'event_state');
      await this.facts.record(em, actor, { marketId: String(ev['market_id']), kind: 'event', step: 'attendance', subjectType: 'MarketEvent', subjectId: id, payload: { step: 'attendance', eventId: id, ...input }, summary: { before: { workers: ev['workers'], employers: ev['employers'], viewers: ev['viewers'] }, after: input } });
      return this.detail(em, id);
    });
  }

  /** Link posts that came with the event (taken at the fair, shown in the stream); hires are then counted from them. */
  linkPosts(actor: Actor, id: string, input: z.infer<typeof linkPostsSchema>): Promise<EventDetailView> {
    return this.db.run(actor, async (em) => {
      const ev = await this.require(em, actor, id, 'update');
      if (ev['status'] === 'cancelled') throw new ProblemException(409, 'event_state');
      const postIds = [...new Set(input.postIds)];
      // Only the event's own posts: of its market, created during the event or a day before or after.
      const found: { id: string; fits: boolean }[] = await em.query(
        `SELECT p.id, p.market_id = $3 AND p.created_at >= $4::timestamptz - interval '1 day' AND p.created_at <= $5::timestamptz + interval '1 day' AS fits
         FROM posts p WHERE p.id = ANY($1::uuid[]) AND p.tenant_id = $2`, [postIds, ev['tenant_id'], ev['market_id'], ev['starts_at'], ev['ends_at']]);
      if (found.length !== postIds.length) throw unprocessable('event_post_other_tenant', 'postIds');
      if (found.some((p) => !p.fits)) throw unprocessable('event_post_outside_event', 'postIds');
      // A post belongs to one event only (unique index on post_id; a concurrent link lands on it too).
      if ((await em.query('SELECT 1 FROM market_event_posts WHERE post_id = ANY($1::uuid[]) AND event_id <> $2 LIMIT 1', [postIds, id])).length) {
        throw conflict('event_post_other_event', 'postIds');
      }
      const added: { post_id: string }[] = await em.query(
        `INSERT INTO market_event_posts (event_id, post_id, tenant_id, market_id, region_code, linked_by)
         SELECT $1, p, $3, $4, $5, $6 FROM unnest($2::uuid[]) AS p ON CONFLICT (event_id, post_id) DO NOTHING RETURNING post_id`,
        [id, postIds, ev['tenant_id'], ev['market_id'], ev['region_code'], actor.userId]).catch((e: { code?: string }) => {
        throw e.code === '23505' ? conflict('event_post_other_event', 'postIds') : e;
      });
      if (added.length) {
        const ids = added.map((a) => a.post_id).sort();
        await this.facts.record(em, actor, { marketId: String(ev['market_id']), kind: 'event', step: 'posts_linked', subjectType: 'MarketEvent', subjectId: id, payload: { step: 'posts_linked', eventId: id, postIds: ids } });
      }
      return this.detail(em, id);
    });
  }

  /** The event for a read, or locked for a change (api-core `rowForChange`, issue 12), with whether it has started. */
  private async require(em: EntityManager, actor: Actor, id: string, action: Action): Promise<Row> {
    const row = await rowForChange(em, actor, action, 'MarketEvent', 'market_events', id,
      (r) => ({ marketId: r['market_id'] as string, tenantId: r['tenant_id'] as string, regionCode: r['region_code'] as string }));
    const [{ started }] = await em.query('SELECT $1::timestamptz <= now() AS started', [row['starts_at']]);
    return { ...row, started };
  }

  private async detail(em: EntityManager, id: string): Promise<EventDetailView> {
    const [row] = await em.query(`${EVENT_SELECT} WHERE ev.id = $1`, [id, HIRE_STATUSES]);
    const posts: Row[] = await em.query(
      `SELECT p.id, p.title, p.occupation, p.headcount, p.status, e.name AS employer_name,
         (SELECT count(*)::int FROM placements pl WHERE pl.post_id = p.id AND pl.status = ANY($2::text[]) AND pl.created_at >= ev.starts_at) AS hires
       FROM market_event_posts ep JOIN market_events ev ON ev.id = ep.event_id JOIN posts p ON p.id = ep.post_id JOIN employers e ON e.id = p.employer_id
       WHERE ep.event_id = $1 ORDER BY ep.linked_at, p.id`, [id, HIRE_STATUSES]);
    return {
      ...view(row),
      postList: posts.map((p) => ({
        postId: String(p['id']), title: String(p['title']), occupation: String(p['occupation']), employerName: String(p['employer_name']),
        headcount: Number(p['headcount']), hires: Number(p['hires']), status: String(p['status']),
      })),
    };
  }
}

function view(r: Row): EventView {
  return {
    id: String(r['id']), tenantId: String(r['tenant_id']), marketId: String(r['market_id']), marketName: (r['market_name'] as string) ?? null,
    kind: r['kind'] as EventView['kind'], title: String(r['title']), startsAt: iso(r['starts_at']) as string, endsAt: iso(r['ends_at']) as string,
    place: String(r['place']), streamUrl: (r['stream_url'] as string) ?? null, organiser: String(r['organiser']), note: String(r['note']),
    status: r['status'] as EventView['status'], statusReason: (r['status_reason'] as string) ?? null, workers: orNull(r['workers']),
    employers: orNull(r['employers']), viewers: orNull(r['viewers']), posts: Number(r['post_count']), hires: Number(r['hire_count']),
    createdAt: iso(r['created_at']) as string,
  };
}
