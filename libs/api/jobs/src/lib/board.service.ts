import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  SYSTEM_ACTOR, publicActor, type Actor, type ApplicationView, type BoardApplicationResult, type BoardPage, type BoardPostView, type JobBoardQuery, type Page,
  applicationQuerySchema, boardApplicationSchema,
} from '@linggong/domain';
import {
  APP_CONFIG, ProblemException, SHANGHAI_TODAY_SQL as TODAY, TenantDb, assertAccess, isoOf, lockKey, lockRow, newId, notFound, queryRows, type AppConfig,
} from '@linggong/api-core';
import { FactsService } from '@linggong/api-ledger';
import { MarketDirectoryService } from '@linggong/api-markets';
import { RegistryDirectoryService, WorkersService } from '@linggong/api-registry';
import { MatchingService, refusedOr } from './matching.service';
import { PushService } from './push.service';
import type { PostRow } from './rows';
import { BOARD_OPEN, BOARD_SELECT, boardView, type BoardRow } from './board-view';

/** Mean Earth radius (IUGG), km: the haversine distance from the caller to a post's market. */
export const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in SQL (haversine) from ($lat, $lng) to the market's coordinates; NULL when either is unknown. */
const DISTANCE = (lat: string, lng: string) => `CASE WHEN ${lat}::float8 IS NULL OR m.latitude IS NULL OR m.longitude IS NULL THEN NULL ELSE
  2 * ${EARTH_RADIUS_KM} * asin(sqrt(power(sin(radians(m.latitude - ${lat}::float8) / 2), 2)
    + cos(radians(${lat}::float8)) * cos(radians(m.latitude)) * power(sin(radians(m.longitude - ${lng}::float8) / 2), 2))) END`;

interface ApplicationRow {
  id: string; tenant_id: string; region_code: string; market_id: string; post_id: string; worker_id: string; status: ApplicationView['status'];
  channel: string; placement_id: string | null; decline_reason: string | null; created_at: Date;
}

/**
 * The province-wide job board (issue 18 §1; R-E7, R-G12). Search reads every open market's open posts as the
 * platform (one statement over posts, markets and employers: published data only). An application (应聘报名) runs
 * in the post's market's tenant scope as that market's public actor, like the QR check-in: a known mobile applies,
 * an unknown one is registered on the spot (source `online`), and the answer is the same either way. The desk
 * (signed in) lists a market's applications, recommends one (→ the existing placement chain) or declines it.
 */
@Injectable()
export class BoardService {
  constructor(
    private readonly db: TenantDb, private readonly workers: WorkersService, private readonly registry: RegistryDirectoryService,
    private readonly matching: MatchingService, private readonly markets: MarketDirectoryService, private readonly facts: FactsService,
    private readonly push: PushService, @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  search(q: JobBoardQuery): Promise<BoardPage> {
    return this.db.run(SYSTEM_ACTOR, async (em) => {
      const order = {
        start: 'b.start_at, b.id',
        wage: 'b.wage_fen DESC, b.start_at, b.id',
        distance: 'b.distance_km ASC NULLS LAST, b.start_at, b.id',
      }[q.sort];
      const rows = await queryRows<BoardRow & { total: number }>(em,
        `WITH b AS (
           ${BOARD_SELECT.replace('FROM posts p', `, ${DISTANCE('$1', '$2')} AS distance_km FROM posts p`)}
           WHERE ${BOARD_OPEN} AND ($3::text IS NULL OR p.occupation = $3) AND p.region_code LIKE $4
             AND ($5::int IS NULL OR p.wage_fen >= $5)
             AND ($6::date IS NULL OR (p.start_at AT TIME ZONE 'Asia/Shanghai')::date >= $6)
             AND ($7::date IS NULL OR (p.start_at AT TIME ZONE 'Asia/Shanghai')::date <= $7))
         SELECT b.*, count(*) OVER ()::int AS total FROM b WHERE ($8::float8 IS NULL OR b.distance_km <= $8)
         ORDER BY ${order} LIMIT $9 OFFSET $10`,
        [q.lat ?? null, q.lng ?? null, q.occupation ?? null, `${q.region ?? ''}%`, q.minWageFen ?? null, q.startFrom ?? null, q.startTo ?? null,
          q.withinKm ?? null, q.pageSize, (q.page - 1) * q.pageSize]);
      let total = rows[0]?.total;
      if (total == null) {
        // The page is past the end: count alone, so the pager still knows the size.
        total = q.page > 1 ? (await this.search({ ...q, page: 1, pageSize: 1 })).total : 0;
      }
      return { items: rows.map(boardView), total, page: q.page, pageSize: q.pageSize };
    });
  }

  /** One open post of the board (its own page, shared by link). */
  post(id: string): Promise<BoardPostView> {
    return this.db.run(SYSTEM_ACTOR, async (em) => {
      const [r] = await queryRows<BoardRow>(em, `${BOARD_SELECT} WHERE p.id = $1 AND ${BOARD_OPEN}`, [id]);
      if (!r) throw notFound();
      return boardView(r);
    });
  }

  /**
   * 应聘报名 (R-G12). Abuse is held back by: the per-IP limit on public writes (the route), a daily cap per mobile
   * number (`BOARD_APPLICATIONS_PER_DAY`, 429 `application_limit`), a honeypot field (a filled one is answered as
   * usual and nothing is stored), one application per worker and post (the unique index; a repeat answers the same
   * and writes nothing), and the desk, which calls the worker before recommending. Only a number that this
   * application registers takes the push opt-in: nobody can subscribe someone else's registered number.
   */
  async apply(postId: string, input: z.infer<typeof boardApplicationSchema>): Promise<BoardApplicationResult> {
    const found = await this.db.run(SYSTEM_ACTOR, async (em) =>
      (await queryRows<BoardRow & { tenant_id: string }>(em, `${BOARD_SELECT.replace('SELECT p.id,', 'SELECT p.tenant_id, p.id,')} WHERE p.id = $1 AND m.status = 'open'`, [postId]))[0]);
    if (!found) throw notFound();
    const answer = async (em: EntityManager): Promise<BoardApplicationResult> => ({
      status: 'applied', postTitle: found.title, marketName: found.market_name, marketHotline: found.market_hotline,
      appliedOn: (await em.query<{ d: string }[]>(`SELECT ${TODAY} AS d`))[0].d,
    });
    const actor = publicActor(found.tenant_id, found.market_id);
    return this.db.run(actor, async (em) => {
      if (input.website) return answer(em);
      // Two submissions of one number at once queue here (the same key as the QR registration, issue 12 §1).
      await lockKey(em, `register:${found.tenant_id}:${createHash('sha256').update(input.mobile).digest('hex')}`);
      const p = (await lockRow<PostRow>(em, 'posts', postId)) as PostRow;
      if (p.status !== 'published' || p.expires_at.getTime() <= Date.now() || p.hired_count >= p.headcount) throw new ProblemException(409, 'post_not_open');
      const known = await this.registry.workerByMobile(em, found.tenant_id, input.mobile);
      if (known) {
        const [dup] = await em.query('SELECT 1 FROM job_applications WHERE post_id = $1 AND worker_id = $2', [postId, known.id]);
        if (dup) return answer(em);
        const [{ n }] = await em.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM job_applications WHERE worker_id = $1 AND day = ${TODAY}`, [known.id]);
        if (n >= this.config.BOARD_APPLICATIONS_PER_DAY) throw new ProblemException(429, 'application_limit');
      }
      const worker = known ?? await this.workers.registerIn(em, actor, found.market_id, {
        name: input.name, mobile: input.mobile, occupations: [p.occupation], skills: [], consent: true, jobPush: input.jobPush,
      }, 'online');
      const id = newId();
      await em.query(
        `INSERT INTO job_applications (id, tenant_id, region_code, market_id, post_id, worker_id, registered) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, p.tenant_id, p.region_code, p.market_id, postId, worker.id, !known]);
      await this.facts.record(em, actor, {
        marketId: p.market_id, kind: 'application', step: 'submitted', subjectType: 'Post', subjectId: postId,
        payload: { applicationId: id, postId, workerId: worker.id, channel: 'online', registered: !known },
      });
      // A number registered here with the opt-in gets its page's link by SMS (the adapter; no gateway here).
      if (!known && input.jobPush) await this.push.sendLink(em, worker.id);
      return answer(em);
    });
  }

  /** The market's applications for the desk (/desk), newest first within a status. */
  list(actor: Actor, marketId: string, q: z.infer<typeof applicationQuerySchema>): Promise<Page<ApplicationView>> {
    return this.db.run(actor, async (em) => {
      const m = await this.markets.scopeOf(em, marketId);
      if (!m) throw notFound();
      assertAccess(actor, 'read', 'Placement', { marketId, tenantId: m.tenantId, regionCode: m.regionCode });
      const rows = await queryRows<ApplicationRow & { post_title: string; occupation: string; worker_name: string; worker_mobile: string; total: number }>(em,
        `SELECT a.*, p.title AS post_title, p.occupation, w.name AS worker_name, w.mobile_masked AS worker_mobile, count(*) OVER ()::int AS total
         FROM job_applications a JOIN posts p ON p.id = a.post_id JOIN workers w ON w.id = a.worker_id
         WHERE a.market_id = $1 AND ($2::text = 'all' OR a.status = $2) ORDER BY a.created_at DESC, a.id DESC LIMIT $3 OFFSET $4`,
        [marketId, q.status, q.pageSize, (q.page - 1) * q.pageSize]);
      return {
        items: rows.map((r) => ({
          id: r.id, marketId: r.market_id, postId: r.post_id, postTitle: r.post_title, occupation: r.occupation, workerId: r.worker_id,
          workerName: r.worker_name, workerMobile: r.worker_mobile, status: r.status, placementId: r.placement_id, declineReason: r.decline_reason,
          channel: r.channel, createdAt: isoOf(r.created_at),
        })),
        total: rows[0]?.total ?? 0, page: q.page, pageSize: q.pageSize,
      };
    });
  }

  /** The desk recommends the applicant (after calling them): the existing chain from here (confirm → start → 日结). */
  async recommend(actor: Actor, id: string) {
    return refusedOr(await this.db.run(actor, async (em) => {
      const a = await this.locked(em, actor, id, 'create');
      if (a.status !== 'pending') throw new ProblemException(409, 'application_not_pending');
      return this.matching.recommendIn(em, actor, a.post_id, a.worker_id);
    }));
  }

  /** The desk declines the application with a reason (it stays in the market's work log). */
  decline(actor: Actor, id: string, reason: string): Promise<{ id: string; status: 'declined' }> {
    return this.db.run(actor, async (em) => {
      const a = await this.locked(em, actor, id, 'update');
      if (a.status !== 'pending') throw new ProblemException(409, 'application_not_pending');
      await em.query(`UPDATE job_applications SET status = 'declined', decline_reason = $2, decided_by = $3, decided_at = now() WHERE id = $1`, [id, reason, actor.userId]);
      await this.facts.record(em, actor, {
        marketId: a.market_id, kind: 'application', step: 'declined', subjectType: 'Post', subjectId: a.post_id,
        payload: { applicationId: id, postId: a.post_id, workerId: a.worker_id, reason },
      });
      return { id, status: 'declined' as const };
    });
  }

  /** The application, locked, after the object-level check (invisible → 404, visible but not allowed → 403). */
  private async locked(em: EntityManager, actor: Actor, id: string, action: 'create' | 'update'): Promise<ApplicationRow> {
    const a = await lockRow<ApplicationRow>(em, 'job_applications', id);
    if (!a) throw notFound();
    const scope = { marketId: a.market_id, tenantId: a.tenant_id, regionCode: a.region_code };
    assertAccess(actor, 'read', 'Placement', scope);
    assertAccess(actor, action, 'Placement', scope);
    return a;
  }
}
