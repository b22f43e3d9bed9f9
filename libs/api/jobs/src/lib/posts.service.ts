import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  MEDIAN_WINDOW_DAYS, dayWageFen, postQuerySchema, postRedFlags, reviewPostSchema,
  type Actor, type CreatePostInput, type Page, type PostView, type ProhibitedItem, type ProhibitedWorkView, type RedFlag, externalPostSchema,
} from '@linggong/domain';
import { ProblemException, TenantDb, afterCommit, applyAccess, assertAccess, isoOf, lockKey, newId, notFound, queryRows, rowForChange, scopeOf, unprocessable, containsPattern } from '@linggong/api-core';
import { FactsService } from '@linggong/api-ledger';
import { MarketDirectoryService } from '@linggong/api-markets';
import { shanghaiDay } from '@linggong/ledger-chain';
import { RegistryDirectoryService, type EmployerFacts } from '@linggong/api-registry';

import { PushQueue } from './push-post.job';
import { JOBS_ACCESS, type PostRow, type PostViewRow, type ProhibitedWorkRow } from './rows';
/** The red-flag rule's share of the local median now lives in @linggong/domain (`postRedFlags`). */
export { MEDIAN_SHARE } from '@linggong/domain';

export const POST_SELECT = `SELECT p.*, e.name AS employer_name, e.status AS employer_status, m.name AS market_name
  FROM posts p JOIN employers e ON e.id = p.employer_id JOIN markets m ON m.id = p.market_id`;

/** Job posts (R-B4, R-B6): submitted at the desk or by a platform (R-E8), reviewed before publication. */
@Injectable()
export class PostsService {
  constructor(
    private readonly db: TenantDb, private readonly facts: FactsService,
    private readonly markets: MarketDirectoryService, private readonly registry: RegistryDirectoryService, private readonly pushQueue: PushQueue,
  ) {}

  create(actor: Actor, marketId: string, input: CreatePostInput): Promise<PostView> {
    return this.db.run(actor, (em) => this.createIn(em, actor, marketId, input, null));
  }

  /**
   * The seam for third-party platforms (R-E8): the same review path as a desk post, keyed by the
   * platform's own id, so a repeated push returns the existing post and changes nothing.
   */
  ingest(actor: Actor, marketId: string, input: z.infer<typeof externalPostSchema>): Promise<{ created: boolean; post: PostView }> {
    return this.db.run(actor, async (em) => {
      const { source, platform, externalId, ...post } = input;
      const m = await this.marketFor(em, actor, marketId, 'create');
      // A platform that pushes twice at once gets the same answer as twice in a row (issue 12).
      await lockKey(em, `post-external:${m.tenantId}:${platform}:${externalId}`);
      const [existing] = await em.query('SELECT id FROM posts WHERE tenant_id = $1 AND platform = $2 AND external_id = $3', [m.tenantId, platform, externalId]);
      if (existing) return { created: false, post: await this.view(em, existing.id) };
      return { created: true, post: await this.createIn(em, actor, marketId, post, { platform, externalId }) };
    });
  }

  private async createIn(em: EntityManager, actor: Actor, marketId: string, input: CreatePostInput, ext: { platform: string; externalId: string } | null): Promise<PostView> {
    const m = await this.marketFor(em, actor, marketId, 'create');
    const employer = await this.registry.employer(em, input.employerId);
    if (!employer || employer.tenantId !== m.tenantId) throw unprocessable('employer_other_market', 'employerId');
    const hazards = await this.hazards(em, input.hazards);
    if (hazards.length !== new Set(input.hazards).size) throw unprocessable('unknown_hazard', 'hazards');
    const startAt = new Date(input.startAt);
    // By default a post leaves the board at the end of its start day (Asia/Shanghai).
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : new Date(Date.parse(`${shanghaiDay(startAt)}T23:59:59+08:00`));
    if (expiresAt < startAt) throw unprocessable('expires_before_start', 'expiresAt');
    const flags = await this.redFlags(em, m.regionCode, input, employer);
    const id = newId();
    await em.query(
      `INSERT INTO posts (id, tenant_id, market_id, region_code, employer_id, occupation, title, headcount, wage_fen, wage_unit, period,
         period_count, start_at, place, requirements, skills, worker_fee_fen, hazards, status, red_flags, expires_at, source, platform,
         external_id, created_by, lat, lng)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 'pending_review', $19, $20, $21, $22, $23, $24, $25, $26)`,
      [id, m.tenantId, marketId, m.regionCode, input.employerId, input.occupation, input.title, input.headcount, input.wageFen,
        input.wageUnit, input.period, input.periodCount, startAt, input.place, input.requirements, input.skills, input.workerFeeFen,
        [...new Set(input.hazards)], JSON.stringify(flags), expiresAt, ext ? 'third_party' : 'desk', ext?.platform ?? null,
        ext?.externalId ?? null, actor.userId, m.latitude, m.longitude],
    );
    await this.facts.record(em, actor, {
      marketId, kind: 'post_submitted', subjectType: 'Post', subjectId: id,
      payload: { postId: id, employerId: input.employerId, occupation: input.occupation, headcount: input.headcount, wageFen: input.wageFen,
        wageUnit: input.wageUnit, period: input.period, redFlags: flags.map((f) => f.code), source: ext ? `third_party:${ext.platform}` : 'desk' },
    });
    return this.view(em, id);
  }

  /** R-B6: a reviewer publishes or rejects (with a reason); an unverified employer cannot be published. */
  review(actor: Actor, id: string, input: z.infer<typeof reviewPostSchema>): Promise<PostView> {
    return this.db.run(actor, async (em) => {
      const p = await this.rowFor(em, actor, id, 'verify');
      if (p.status !== 'pending_review') throw new ProblemException(409, 'post_not_pending');
      if (input.decision === 'published') {
        const e = await this.registry.employer(em, p.employer_id);
        if (e?.status !== 'verified') throw new ProblemException(409, 'employer_not_verified');
      }
      await em.query('UPDATE posts SET status = $2, review_reason = $3, reviewed_by = $4, reviewed_at = now() WHERE id = $1',
        [id, input.decision, input.reason || null, actor.userId]);
      await this.facts.record(em, actor, {
        marketId: p.market_id, kind: input.decision === 'published' ? 'post_published' : 'post_rejected', subjectType: 'Post', subjectId: id,
        payload: { postId: id, decision: input.decision, reason: input.reason || null, redFlags: p.red_flags.map((f) => f.code) },
      });
      // Job push (issue 18 §2): the worker delivers the published post to the workers who opted in and match it.
      if (input.decision === 'published') afterCommit(em, () => this.pushQueue.enqueueQuietly({ postId: id, tenantId: p.tenant_id }));
      return this.view(em, id);
    });
  }

  withdraw(actor: Actor, id: string, reason: string): Promise<PostView> {
    return this.db.run(actor, async (em) => {
      const p = await this.rowFor(em, actor, id, 'update');
      if (!['pending_review', 'published'].includes(p.status)) throw new ProblemException(409, 'post_not_open');
      await em.query(`UPDATE posts SET status = 'withdrawn', review_reason = coalesce(review_reason, $2) WHERE id = $1`, [id, reason]);
      await this.facts.record(em, actor, { marketId: p.market_id, kind: 'post_closed', step: 'withdrawn', subjectType: 'Post', subjectId: id, payload: { postId: id, reason: 'withdrawn', note: reason } });
      return this.view(em, id);
    });
  }

  list(actor: Actor, q: z.infer<typeof postQuerySchema>): Promise<Page<PostView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('posts', 'p');
      if (!applyAccess(qb, actor, 'read', 'Post', JOBS_ACCESS('p'))) {
        return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      }
      if (q.marketId) qb.andWhere('p.market_id = :market', { market: q.marketId });
      if (q.status) qb.andWhere('p.status = :st', { st: q.status });
      if (q.occupation) qb.andWhere('p.occupation = :occ', { occ: q.occupation });
      if (q.q) qb.andWhere('p.title ILIKE :q', { q: containsPattern(q.q) });
      const total = await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>();
      const ids = await qb.select('p.id', 'id').orderBy('p.created_at', 'DESC').addOrderBy('p.id').offset((q.page - 1) * q.pageSize).limit(q.pageSize).getRawMany<{ id: string }>();
      return { items: await this.views(em, ids.map((r) => r.id)), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
    });
  }

  get(actor: Actor, id: string): Promise<PostView> {
    return this.db.run(actor, async (em) => {
      await this.rowFor(em, actor, id, 'read');
      return this.view(em, id);
    });
  }

  /** The prohibited-work list (R-B7), with legal sources, as data. */
  prohibitedWork(actor: Actor): Promise<ProhibitedWorkView[]> {
    return this.db.run(actor, async (em) =>
      (await queryRows<ProhibitedWorkRow>(em, 'SELECT code, name, applies_to, legal_source, note FROM prohibited_work ORDER BY code')).map((r) => ({
        code: r.code, name: r.name, appliesTo: r.applies_to,
        legalSource: r.legal_source, note: r.note,
      })));
  }

  async hazards(em: EntityManager, codes: string[]): Promise<ProhibitedItem[]> {
    if (!codes.length) return [];
    const rows = await queryRows<ProhibitedWorkRow>(em, 'SELECT code, name, applies_to, legal_source FROM prohibited_work WHERE code = ANY($1::text[]) ORDER BY code', [codes]);
    return rows.map((r) => ({ code: r.code, name: r.name, appliesTo: r.applies_to, legalSource: r.legal_source }));
  }

  /** Posts past their expiry leave the board (hourly job); each closure is logged in the market's work log. */
  async expire(actor: Actor): Promise<number> {
    return this.db.run(actor, async (em) => {
      // A CTE so the statement returns its rows (TypeORM answers a bare UPDATE … RETURNING with [rows, count]).
      const rows = await queryRows<{ id: string; market_id: string }>(em,
        `WITH x AS (UPDATE posts SET status = 'expired' WHERE status IN ('published', 'pending_review') AND expires_at < now() RETURNING id, market_id)
         SELECT id, market_id FROM x ORDER BY market_id, id`);
      for (const r of rows) {
        await this.facts.record(em, actor, { marketId: r.market_id, kind: 'post_closed', step: 'expired', subjectType: 'Post', subjectId: r.id, payload: { postId: r.id, reason: 'expired' } });
      }
      return rows.length;
    });
  }

  /**
   * The Asia/Shanghai day each post stops being open by its expiry (the day of the last instant before `expires_at`), for
   * analytics' fold (the monthly report's carried-over demand); in the caller's transaction (RLS).
   */
  async expiryDays(em: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; day: string }[] = await em.query(
      `SELECT id, to_char((expires_at - interval '1 microsecond') AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day FROM posts WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.day]));
  }

  /** Posts' titles with their scope, for another context's list (analytics' drill-down); in the caller's transaction (RLS). */
  async titles(em: EntityManager, ids: string[]): Promise<Map<string, { title: string; tenantId: string; regionCode: string; marketId: string }>> {
    if (!ids.length) return new Map();
    const rows: { id: string; title: string; tenant_id: string; region_code: string; market_id: string }[] = await em.query(
      'SELECT id, title, tenant_id, region_code, market_id FROM posts WHERE id = ANY($1::uuid[])', [ids]);
    return new Map(rows.map((r) => [r.id, { title: r.title, tenantId: r.tenant_id, regionCode: r.region_code, marketId: r.market_id }]));
  }

  /**
   * Open posts (published, not expired) and their open places by occupation and market, for the directory's
   * public job statistics catalogue (零工岗位信息统计目录, issue 14 §2): counts only, no post or employer. In the
   * caller's transaction (the directory reads as the platform, for the published markets only).
   */
  async openByOccupation(em: EntityManager, marketIds: string[]): Promise<{ marketId: string; occupation: string; posts: number; openings: number }[]> {
    if (!marketIds.length) return [];
    const rows: { market_id: string; occupation: string; posts: number; openings: number }[] = await em.query(
      `SELECT market_id, occupation, count(*)::int AS posts, sum(GREATEST(headcount - hired_count, 0))::int AS openings
       FROM posts WHERE market_id = ANY($1::uuid[]) AND status = 'published' AND expires_at > now() GROUP BY 1, 2`, [marketIds]);
    return rows.map((r) => ({ marketId: r.market_id, occupation: r.occupation, posts: r.posts, openings: r.openings }));
  }

  /**
   * A platform's post at a market by the platform's own id (issue 18 §3: its outcomes name the post so), in the
   * caller's transaction and RLS scope; null when there is none.
   */
  async externalPostId(em: EntityManager, marketId: string, platform: string, externalId: string): Promise<string | null> {
    const [r] = await em.query('SELECT id FROM posts WHERE market_id = $1 AND platform = $2 AND external_id = $3', [marketId, platform, externalId]);
    return r?.id ?? null;
  }

  /** A platform's own posts at a market, newest first (issue 18 §3, scope `posts:read`): their review state. */
  async externalPosts(em: EntityManager, marketId: string, platform: string, q: { page: number; pageSize: number; externalId?: string }) {
    const where = `market_id = $1 AND platform = $2 AND ($3::text IS NULL OR external_id = $3)`;
    const params = [marketId, platform, q.externalId ?? null];
    const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM posts WHERE ${where}`, params);
    const rows = await queryRows<PostRow>(em, `SELECT * FROM posts WHERE ${where} ORDER BY created_at DESC, id LIMIT $4 OFFSET $5`, [...params, q.pageSize, (q.page - 1) * q.pageSize]);
    return {
      items: rows.map((r) => ({ id: r.id, marketId: r.market_id, externalId: String(r.external_id), status: r.status, title: r.title, reviewReason: r.review_reason ?? null, createdAt: isoOf(r.created_at) })),
      total: n as number, page: q.page, pageSize: q.pageSize,
    };
  }

  async view(em: EntityManager, id: string): Promise<PostView> {
    return (await this.views(em, [id]))[0];
  }

  async views(em: EntityManager, ids: string[]): Promise<PostView[]> {
    if (!ids.length) return [];
    const rows = await queryRows<PostViewRow>(em, `${POST_SELECT} WHERE p.id = ANY($1::uuid[])`, [ids]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)).filter((r): r is PostViewRow => !!r).map(postView);
  }

  /** The post for a read, or locked for a state change (api-core `rowForChange`, issue 12). */
  rowFor(em: EntityManager, actor: Actor, id: string, action: 'read' | 'update' | 'verify' | 'create'): Promise<PostRow> {
    return rowForChange<PostRow>(em, actor, action, 'Post', 'posts', id,
      scopeOf);
  }

  private async marketFor(em: EntityManager, actor: Actor, marketId: string, action: 'create') {
    const m = await this.markets.scopeOf(em, marketId);
    if (!m) throw notFound();
    assertAccess(actor, 'read', 'Market', { id: marketId, tenantId: m.tenantId, regionCode: m.regionCode });
    assertAccess(actor, action, 'Post', { marketId, tenantId: m.tenantId, regionCode: m.regionCode });
    if (!m.tenantId) throw unprocessable('operator_not_found', 'marketId');
    return m;
  }

  /** Automatic red flags for the reviewer (R-B6): the rule is `postRedFlags` (libs/domain); here, the city's wages it compares with. */
  private async redFlags(em: EntityManager, regionCode: string, input: CreatePostInput, employer: EmployerFacts): Promise<RedFlag[]> {
    let local: { n: number; median: number | null } | null = null;
    if (dayWageFen(input.wageFen, input.wageUnit) !== null) {
      // The median day wage of this occupation's posts in the same city (prefix of 4 digits), all operators.
      const [s] = await em.query<{ n: number; median: number | null }[]>(
        `SELECT count(*)::int AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE wage_unit WHEN 'day' THEN wage_fen WHEN 'hour' THEN wage_fen * 8
            ELSE wage_fen / 21.75 END) AS median
         FROM posts WHERE region_code LIKE $1 AND occupation = $2 AND wage_unit <> 'piece' AND status IN ('published', 'filled', 'expired')
           AND created_at > now() - make_interval(days => $3)`,
        [`${regionCode.slice(0, 4)}%`, input.occupation, MEDIAN_WINDOW_DAYS]);
      local = s ?? null;
    }
    return postRedFlags(input, employer, local);
  }
}

export function postView(r: PostViewRow): PostView {
  return {
    id: r.id, tenantId: r.tenant_id, marketId: r.market_id, marketName: r.market_name ?? null,
    employerId: r.employer_id, employerName: r.employer_name, employerStatus: r.employer_status,
    occupation: r.occupation, title: r.title, headcount: r.headcount, hiredCount: r.hired_count,
    wageFen: r.wage_fen, wageUnit: r.wage_unit, period: r.period,
    periodCount: r.period_count, startAt: isoOf(r.start_at), place: r.place, requirements: r.requirements,
    skills: r.skills ?? [], workerFeeFen: r.worker_fee_fen, hazards: r.hazards ?? [],
    status: r.status, redFlags: r.red_flags ?? [], reviewReason: r.review_reason ?? null,
    reviewedAt: isoOf(r.reviewed_at), expiresAt: isoOf(r.expires_at), source: r.source,
    platform: r.platform ?? null, externalId: r.external_id ?? null, createdAt: isoOf(r.created_at),
  };
}

