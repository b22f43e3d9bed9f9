import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  ageOn, asSubject, complianceCheck, completeSchema, noShowSchema, nonPaymentSchema, placementQuerySchema, queueQuerySchema,
  type Actor, type CandidateView, type ComplianceRefusal, type Page, type PlacementView, type QueueEntryView, type QueuePostsView,
} from '@linggong/domain';
import { ProblemException, SHANGHAI_TODAY_SQL as TODAY, TenantDb, abilityOf, applyAccess, assertAccess, conflict, isoOf, lockRow, newId, notFound, queryRows, rowForChange, scopeOf } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { FactsService, LedgerService } from '@linggong/api-ledger';
import { MarketDirectoryService } from '@linggong/api-markets';
import { RegistryDirectoryService } from '@linggong/api-registry';
import { PostsService } from './posts.service';

import { JOBS_ACCESS, type CandidateRow, type PlacementRow, type PlacementViewRow, type PostRow, type QueueRow } from './rows';
/**
 * The pool for a post: today's queue at the post's market plus the workers who checked in there in
 * the last POOL_RECENT_DAYS days (they come back, or answer a call). The roster as a whole is found by
 * search; ranking it all would scale with the roster instead of the market's attendance.
 */
export const POOL_RECENT_DAYS = 14;

const PLACEMENT_SELECT = `SELECT pl.*, p.title AS post_title, p.occupation, p.wage_fen, p.wage_unit, p.employer_id, e.name AS employer_name, w.name AS worker_name,
    w.mobile_masked AS worker_mobile
  FROM placements pl JOIN posts p ON p.id = pl.post_id JOIN employers e ON e.id = p.employer_id JOIN workers w ON w.id = pl.worker_id`;

/**
 * 即时快招 (R-B4): the day's check-in queue, the ranked candidates for a post, recommendation behind
 * the compliance guard (R-B7), confirmation by both parties (desk or QR), start, completion and 日结
 * settlement (R-B5), no-shows, cancellations and non-payment reports. Every step appends its work-log
 * entry in the same transaction (issue 3).
 */
@Injectable()
export class MatchingService implements OnModuleInit {
  constructor(
    private readonly db: TenantDb, private readonly audit: AuditService, private readonly facts: FactsService, private readonly ledger: LedgerService,
    private readonly markets: MarketDirectoryService, private readonly posts: PostsService, private readonly registry: RegistryDirectoryService,
  ) {}

  /**
   * Registers with the work log what a day close should warn about (issue 17 §1): hires at the market
   * not yet settled (confirmed or started) and recommendations not yet confirmed by both parties.
   */
  onModuleInit(): void {
    this.ledger.registerOpenWork((em, marketId) => this.openWork(em, marketId));
    // The work log shows posts by title (issue 17 §4), where the caller may read the post; so does the audit log.
    const titles = async (em: EntityManager, actor: Actor, ids: string[]) => {
      const ability = abilityOf(actor);
      return new Map([...await this.posts.titles(em, ids)]
        .filter(([, p]) => ability.can('read', asSubject('Post', { tenantId: p.tenantId, regionCode: p.regionCode, marketId: p.marketId })))
        .map(([id, p]) => [id, p.title]));
    };
    this.ledger.registerNames('postId', titles);
    this.audit.registerSubjectNames('Post', titles);
    // A refusal cites the prohibited work by code (`items`); the list names it (R-B7), public data.
    this.ledger.registerNames('items', async (em, _actor, codes) => new Map((await this.posts.hazards(em, codes)).map((h) => [h.code, h.name])), { codes: true });
  }

  /** Open placements of a market, in the caller's transaction: hires not settled, recommendations not confirmed. */
  async openWork(em: EntityManager, marketId: string): Promise<{ unsettledHires: number; unconfirmedPlacements: number }> {
    const [r] = await em.query<{ hires: number; unconfirmed: number }[]>(
      `SELECT count(*) FILTER (WHERE status IN ('confirmed', 'started'))::int AS hires, count(*) FILTER (WHERE status = 'recommended')::int AS unconfirmed
       FROM placements WHERE market_id = $1`, [marketId]);
    return { unsettledHires: r?.hires ?? 0, unconfirmedPlacements: r?.unconfirmed ?? 0 };
  }

  // ── Check-in and queue ────────────────────────────────────────────────────────────────────────

  checkIn(actor: Actor, marketId: string, workerId: string, occupations: string[] | undefined, channel: 'desk' | 'qr' = 'desk') {
    return this.db.run(actor, (em) => this.checkInIn(em, actor, marketId, workerId, occupations, channel));
  }

  /**
   * The market's common trades (issue 17 §9): the occupations of its check-ins and posts of the last 90
   * days, most frequent first (ties by name), at most `limit`. For the public check-in page's first chips.
   */
  async commonOccupations(em: EntityManager, marketId: string, limit = 8): Promise<string[]> {
    const rows = await queryRows<{ occupation: string }>(em,
      `SELECT occupation FROM (
         SELECT unnest(c.occupations) AS occupation FROM check_ins c WHERE c.market_id = $1 AND c.day > ${TODAY} - 90
         UNION ALL
         SELECT p.occupation FROM posts p WHERE p.market_id = $1 AND p.created_at > now() - interval '90 days'
       ) x GROUP BY occupation ORDER BY count(*) DESC, occupation LIMIT $2`, [marketId, limit]);
    return rows.map((r) => r.occupation);
  }

  /**
   * One check-in per worker per market per day; a second one answers with the first (idempotent) — and
   * puts a worker who had left the queue back in it, at their old number.
   */
  async checkInIn(em: EntityManager, actor: Actor, marketId: string, workerId: string, occupations: string[] | undefined, channel: 'desk' | 'qr') {
    const m = await this.markets.scopeOf(em, marketId);
    if (!m) throw notFound();
    assertAccess(actor, 'read', 'Market', { id: marketId, tenantId: m.tenantId, regionCode: m.regionCode });
    assertAccess(actor, 'create', 'Placement', { marketId, tenantId: m.tenantId, regionCode: m.regionCode });
    const w = await this.registry.worker(em, workerId);
    if (!w || w.tenantId !== m.tenantId) throw new ProblemException(422, 'validation_failed', [{ field: 'workerId', key: 'worker_not_registered' }]);
    if (w.status !== 'active') throw new ProblemException(409, 'worker_removed');
    // Queue numbers are handed out per market and day under a transaction-scoped lock, taken before the
    // "already checked in" check so that two check-ins at once make one (issue 12).
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('checkin:' || $1, 0))`, [marketId]);
    const [existing] = await em.query<{ id: string; status: string }[]>(`SELECT id, status FROM check_ins WHERE market_id = $1 AND worker_id = $2 AND day = ${TODAY}`, [marketId, workerId]);
    if (existing) {
      if (existing.status === 'left') {
        await em.query(`UPDATE check_ins SET status = 'waiting' WHERE id = $1`, [existing.id]);
        await this.audit.record(em, actor, { action: 'queue.returned', subjectType: 'Worker', subjectId: workerId, tenantId: m.tenantId, regionCode: m.regionCode, summary: { checkInId: existing.id } });
      }
      return { created: false, entry: await this.queueEntry(em, existing.id) };
    }
    const id = newId();
    const wanted = occupations?.length ? occupations : w.occupations;
    const [row] = await em.query<{ queue_number: number; day: string }[]>(
      `INSERT INTO check_ins (id, tenant_id, market_id, region_code, worker_id, day, occupations, channel, queue_number, created_by)
       SELECT $1, $2, $3, $4, $5, ${TODAY}, $6, $7, coalesce(max(queue_number), 0) + 1, $8 FROM check_ins WHERE market_id = $3 AND day = ${TODAY}
       RETURNING queue_number, day`,
      [id, m.tenantId, marketId, m.regionCode, workerId, wanted, channel, actor.userId]);
    await this.registry.recordWorkerEvent(em, workerId, 'seen');
    await this.facts.record(em, actor, {
      marketId, kind: 'check_in', subjectType: 'Worker', subjectId: workerId,
      payload: { workerId, checkInId: id, queueNumber: row.queue_number, channel, occupations: wanted },
    });
    return { created: true, entry: await this.queueEntry(em, id) };
  }

  queue(actor: Actor, marketId: string, q: z.infer<typeof queueQuerySchema>): Promise<QueueEntryView[]> {
    return this.db.run(actor, async (em) => {
      const m = await this.markets.scopeOf(em, marketId);
      if (!m) throw notFound();
      assertAccess(actor, 'read', 'Placement', { marketId, tenantId: m.tenantId, regionCode: m.regionCode });
      const rows = await queryRows<QueueRow>(em,
        `${QUEUE_SELECT} WHERE c.market_id = $1 AND c.day = ${TODAY} AND ($2::text IS NULL OR c.status = $2)
           AND ($3::text IS NULL OR c.occupations @> ARRAY[$3] OR w.occupations @> ARRAY[$3])
         ORDER BY c.queue_number LIMIT 2000`,
        [marketId, q.status === 'all' ? null : q.status, q.occupation ?? null]);
      return rows.map(queueView);
    });
  }

  /**
   * The desk marks a worker as gone from today's queue (issue 17 §6): they are no longer offered as a
   * candidate for today; checking in again brings them back. Only a waiting worker can leave (a second
   * click, or a worker recommended meanwhile, is 409).
   */
  leave(actor: Actor, checkInId: string): Promise<QueueEntryView> {
    return this.db.run(actor, async (em) => {
      const c = await this.checkInFor(em, actor, checkInId, 'create');
      // A CTE so the statement returns its rows (TypeORM answers a bare UPDATE … RETURNING with [rows, count]).
      const [left] = await em.query<{ id: string }[]>(`WITH x AS (UPDATE check_ins SET status = 'left' WHERE id = $1 AND status = 'waiting' RETURNING id) SELECT id FROM x`, [checkInId]);
      if (!left) throw new ProblemException(409, 'check_in_not_waiting');
      await this.audit.record(em, actor, { action: 'queue.left', subjectType: 'Worker', subjectId: c.worker_id, tenantId: c.tenant_id, regionCode: c.region_code, summary: { checkInId } });
      return this.queueEntry(em, checkInId);
    });
  }

  /**
   * Person first (issue 17 §6): the open posts at the check-in's market for the trades the worker came
   * for, best paid first, each with the compliance guard's answer for this worker (R-B7) — the same
   * check a recommendation runs, so a blocked post says why before anyone tries.
   */
  postsFor(actor: Actor, checkInId: string): Promise<QueuePostsView> {
    return this.db.run(actor, async (em) => {
      const c = await this.checkInFor(em, actor, checkInId, 'read');
      const w = await this.registry.worker(em, c.worker_id);
      if (!w) throw notFound();
      const ids = await em.query<{ id: string }[]>(
        `SELECT id FROM posts WHERE market_id = $1 AND status = 'published' AND expires_at > now() AND occupation = ANY($2::text[])
         ORDER BY wage_fen DESC, created_at, id LIMIT 100`, [c.market_id, c.occupations]);
      const [{ today }] = await em.query<{ today: string }[]>(`SELECT ${TODAY} AS today`);
      const posts = await this.posts.views(em, ids.map((r) => r.id));
      const out: QueuePostsView['posts'] = [];
      for (const p of posts) {
        const [live] = await em.query(`SELECT status FROM placements WHERE post_id = $1 AND worker_id = $2 AND status NOT IN ('cancelled', 'no_show')`, [p.id, c.worker_id]);
        out.push({ post: p, blocked: complianceCheck(w, await this.posts.hazards(em, p.hazards), today), placed: !!live });
      }
      return { entry: await this.queueEntry(em, checkInId), occupations: c.occupations, posts: out };
    });
  }

  private async checkInFor(em: EntityManager, actor: Actor, id: string, action: 'read' | 'create') {
    const [c] = await em.query<{ id: string; tenant_id: string; market_id: string; region_code: string; worker_id: string; occupations: string[] }[]>(
      'SELECT id, tenant_id, market_id, region_code, worker_id, occupations FROM check_ins WHERE id = $1', [id]);
    if (!c) throw notFound();
    assertAccess(actor, action === 'read' ? 'read' : 'create', 'Placement', { marketId: c.market_id, tenantId: c.tenant_id, regionCode: c.region_code });
    return c;
  }

  private async queueEntry(em: EntityManager, checkInId: string): Promise<QueueEntryView> {
    const [r] = await queryRows<QueueRow>(em, `${QUEUE_SELECT} WHERE c.id = $1`, [checkInId]);
    return queueView(r);
  }

  // ── Ranking ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Ranked candidates for a post (R-B4, R-B9): today's queue at the post's market and the workers of
   * that occupation who checked in there in the last POOL_RECENT_DAYS days, scored on fit, hardship tier,
   * waiting, distance and past reliability. Those the compliance guard would refuse are listed last,
   * with the reason, so staff can tell the worker why.
   */
  candidates(actor: Actor, postId: string, limit = 30): Promise<CandidateView[]> {
    return this.db.run(actor, async (em) => {
      const p = await this.posts.rowFor(em, actor, postId, 'read');
      const rows = await this.rank(em, p, limit);
      const hazards = await this.posts.hazards(em, p.hazards ?? []);
      const [{ today }] = await em.query<{ today: string }[]>(`SELECT ${TODAY} AS today`);
      const out = rows.map((r) => candidateView(r, complianceCheck(guardOf(r), hazards, today), today));
      return [...out.filter((c) => !c.blocked), ...out.filter((c) => c.blocked)];
    });
  }

  /**
   * One SQL statement whose cost follows the market's recent attendance, not the size of the roster:
   * the pool is read from `check_ins` by (market_id, day) (its unique index), then joined to the
   * workers by primary key. tools/bench `rank` measures it with 1 M workers in one tenant.
   */
  async rank(em: EntityManager, p: PostRow, limit: number): Promise<CandidateRow[]> {
    // The plan is small and cheap; JIT compilation would cost more than the query.
    await em.query('SET LOCAL jit = off');
    return queryRows<CandidateRow>(em,
      `WITH recent AS (
         -- A check-in records what the worker came for (their own occupations unless they said otherwise).
         SELECT c.worker_id, max(c.checked_in_at) FILTER (WHERE c.day = ${TODAY} AND c.status = 'waiting') AS checked_in_at
         FROM check_ins c
         WHERE c.market_id = $1 AND c.day >= ${TODAY} - $8::int AND c.occupations @> ARRAY[$3]
         GROUP BY c.worker_id
       ), scored AS (
         SELECT w.id, w.name, w.mobile_masked, w.gender, w.birth_date, w.birth_year, w.occupations, w.skills,
           w.hardship_tier, w.completed_count, w.no_show_count, r.checked_in_at,
           (${TODAY} - w.last_worked_on) AS idle_days,
           CASE WHEN w.home_lat IS NULL OR $5::float8 IS NULL THEN NULL ELSE
             12742 * asin(sqrt(power(sin(radians(w.home_lat - $5) / 2), 2) + cos(radians($5)) * cos(radians(w.home_lat)) * power(sin(radians(w.home_lng - $6) / 2), 2)))
           END AS distance_km,
           (30 + CASE WHEN w.skills && $4::text[]
                 THEN 10 * LEAST(2, cardinality(ARRAY(SELECT unnest(w.skills) INTERSECT SELECT unnest($4::text[])))) ELSE 0 END)::float8 AS fit,
           (w.hardship_tier * 5)::float8 AS hardship,
           CASE WHEN r.checked_in_at IS NOT NULL THEN 20 + LEAST(10, extract(epoch FROM now() - r.checked_in_at) / 600)
                ELSE LEAST(10, coalesce(${TODAY} - w.last_worked_on, 30) / 3.0) END::float8 AS waiting,
           (15.0 * (w.completed_count + 1) / (w.completed_count + w.no_show_count + 2))::float8 AS reliability
         FROM recent r JOIN workers w ON w.id = r.worker_id
         WHERE w.status = 'active' AND w.tenant_id = $2
           -- Not someone already matched or gone home today.
           AND NOT EXISTS (SELECT 1 FROM check_ins t WHERE t.market_id = $1 AND t.day = ${TODAY} AND t.worker_id = w.id AND t.status <> 'waiting')
           AND NOT EXISTS (SELECT 1 FROM placements pl WHERE pl.post_id = $7 AND pl.worker_id = w.id AND pl.status NOT IN ('cancelled', 'no_show'))
       )
       SELECT *, CASE WHEN distance_km IS NULL THEN 5 ELSE GREATEST(0, 10 - distance_km) END::float8 AS distance,
         round((fit + hardship + waiting + reliability + CASE WHEN distance_km IS NULL THEN 5 ELSE GREATEST(0, 10 - distance_km) END)::numeric, 2)::float8 AS score
       FROM scored ORDER BY score DESC, checked_in_at NULLS LAST, id LIMIT $9`,
      [p.market_id, p.tenant_id, p.occupation, p.skills ?? [], p.lat ?? null, p.lng ?? null, p.id, POOL_RECENT_DAYS, limit]);
  }

  // ── Recommendation and confirmation ───────────────────────────────────────────────────────────

  /**
   * Staff recommend a worker for a post. The compliance guard runs first; a refusal is committed to
   * the refusal log, the audit trail and the work log before the 422 goes back with its legal basis.
   */
  async recommend(actor: Actor, postId: string, workerId: string): Promise<PlacementView> {
    return refusedOr(await this.db.run(actor, (em) => this.recommendIn(em, actor, postId, workerId)));
  }

  /**
   * The recommendation in the caller's transaction (the board's applications use it too, issue 18 §1): a refusal
   * is returned, not thrown, so that the caller commits it before answering 422 (`refusedOr`). A pending online
   * application (应聘报名) of the worker for the post becomes `recommended` with this placement.
   */
  async recommendIn(em: EntityManager, actor: Actor, postId: string, workerId: string): Promise<{ refusal: ComplianceRefusal } | { view: PlacementView }> {
    {
      const seen = await this.posts.rowFor(em, actor, postId, 'read');
      assertAccess(actor, 'create', 'Placement', scopeOf(seen));
      // One recommendation of a worker for a post at a time: the post is locked before the checks (issue 12).
      const p = (await lockRow<PostRow>(em, 'posts', postId)) as PostRow;
      await this.requireOpen(em, p);
      const w = await this.registry.worker(em, workerId);
      if (!w || w.tenantId !== p.tenant_id) throw new ProblemException(422, 'validation_failed', [{ field: 'workerId', key: 'worker_not_registered' }]);
      if (w.status !== 'active') throw new ProblemException(409, 'worker_removed');
      const [{ today }] = await em.query<{ today: string }[]>(`SELECT ${TODAY} AS today`);
      const refusal = complianceCheck(w, await this.posts.hazards(em, p.hazards), today);
      const marketId = p.market_id;
      if (refusal) {
        await em.query(
          `INSERT INTO compliance_refusals (id, tenant_id, market_id, region_code, worker_id, post_id, rule, items, legal_source, actor_user_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [newId(), p.tenant_id, marketId, p.region_code, workerId, postId, refusal.rule, refusal.items.map((i) => i.code), refusal.legalSource, actor.userId]);
        await this.facts.record(em, actor, { marketId, kind: 'compliance_refusal', subjectType: 'Post', subjectId: postId, payload: { postId, workerId, rule: refusal.rule, items: refusal.items.map((i) => i.code) } });
        return { refusal };
      }
      const [live] = await em.query(`SELECT 1 FROM placements WHERE post_id = $1 AND worker_id = $2 AND status NOT IN ('cancelled', 'no_show')`, [postId, workerId]);
      if (live) throw conflict('placement_exists', 'workerId');
      const [checkIn] = await em.query<{ id: string }[]>(`SELECT id FROM check_ins WHERE market_id = $1 AND worker_id = $2 AND day = ${TODAY}`, [marketId, workerId]);
      const [ranked] = (await this.rank(em, p, 500)).filter((r) => r.id === workerId);
      const tokens = { worker: token(), employer: token() };
      const id = newId();
      await em.query(
        `INSERT INTO placements (id, tenant_id, market_id, region_code, post_id, worker_id, check_in_id, status, score, worker_token_hash,
           employer_token_hash, recommended_by, recommended_by_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'recommended', $8, $9, $10, $11, $12)`,
        [id, p.tenant_id, marketId, p.region_code, postId, workerId, checkIn?.id ?? null, ranked ? ranked.score : null,
          sha(tokens.worker), sha(tokens.employer), actor.userId, actor.username]);
      await this.facts.record(em, actor, { marketId, kind: 'match', subjectType: 'Placement', subjectId: id, payload: { placementId: id, postId, workerId, score: ranked ? ranked.score : null } });
      await em.query(
        `UPDATE job_applications SET status = 'recommended', placement_id = $3, decided_by = $4, decided_at = now()
         WHERE post_id = $1 AND worker_id = $2 AND status = 'pending'`, [postId, workerId, id, actor.userId]);
      return { view: { ...(await this.view(em, id)), confirmTokens: tokens } };
    }
  }

  /** New confirmation codes (the old ones stop working), e.g. when the desk screen was reloaded. */
  reissueTokens(actor: Actor, id: string): Promise<PlacementView> {
    return this.db.run(actor, async (em) => {
      const pl = await this.rowFor(em, actor, id, 'update');
      if (!['recommended'].includes(pl.status)) throw new ProblemException(409, 'placement_state');
      const tokens = { worker: token(), employer: token() };
      await em.query('UPDATE placements SET worker_token_hash = $2, employer_token_hash = $3, updated_at = now() WHERE id = $1', [id, sha(tokens.worker), sha(tokens.employer)]);
      return { ...(await this.view(em, id)), confirmTokens: tokens };
    });
  }

  confirm(actor: Actor, id: string, party: 'employer' | 'worker' | 'both'): Promise<PlacementView> {
    return this.db.run(actor, async (em) => {
      const pl = await this.rowFor(em, actor, id, 'update');
      await this.confirmIn(em, actor, pl, party, 'desk');
      return this.view(em, id);
    });
  }

  /** A party confirms by scanning its QR (public page); the token says which party it is. */
  async confirmByToken(em: EntityManager, actor: Actor, marketId: string, tokenValue: string): Promise<{ placement: PlacementRow; party: 'worker' | 'employer' }> {
    const found = await this.byToken(em, marketId, tokenValue);
    if (found.placement.status === 'recommended') await this.confirmIn(em, actor, found.placement, found.party, 'qr');
    return { placement: (await queryRows<PlacementRow>(em, 'SELECT * FROM placements WHERE id = $1', [found.placement.id]))[0], party: found.party };
  }

  async byToken(em: EntityManager, marketId: string, tokenValue: string): Promise<{ placement: PlacementRow; party: 'worker' | 'employer' }> {
    if (!/^[A-Za-z0-9_-]{20,64}$/.test(tokenValue)) throw new ProblemException(404, 'token_invalid');
    const h = sha(tokenValue);
    const [found] = await em.query<{ id: string }[]>('SELECT id FROM placements WHERE market_id = $1 AND (worker_token_hash = $2 OR employer_token_hash = $2)', [marketId, h]);
    if (!found) throw new ProblemException(404, 'token_invalid');
    // Locked: a confirmation or report by QR is a state change like the desk's (issue 12).
    const pl = await lockRow<PlacementRow>(em, 'placements', found.id);
    if (!pl || (pl.worker_token_hash !== h && pl.employer_token_hash !== h)) throw new ProblemException(404, 'token_invalid');
    const party = safeEqual(pl.worker_token_hash, h) ? 'worker' : 'employer';
    return { placement: pl, party };
  }

  private async confirmIn(em: EntityManager, actor: Actor, pl: PlacementRow, party: 'employer' | 'worker' | 'both', via: 'desk' | 'qr'): Promise<void> {
    if (pl.status !== 'recommended') throw new ProblemException(409, 'placement_state');
    const id = pl.id;
    const [p] = await em.query<PostRow[]>('SELECT * FROM posts WHERE id = $1 FOR UPDATE', [pl.post_id]);
    const employer = party === 'employer' || party === 'both';
    const worker = party === 'worker' || party === 'both';
    await em.query(
      `UPDATE placements SET employer_confirmed_at = CASE WHEN $2::boolean THEN coalesce(employer_confirmed_at, now()) ELSE employer_confirmed_at END,
         worker_confirmed_at = CASE WHEN $3::boolean THEN coalesce(worker_confirmed_at, now()) ELSE worker_confirmed_at END, updated_at = now()
       WHERE id = $1`, [id, employer, worker]);
    const [after] = await em.query<PlacementRow[]>('SELECT employer_confirmed_at, worker_confirmed_at FROM placements WHERE id = $1', [id]);
    await this.audit.record(em, actor, { action: 'placement.confirm', subjectType: 'Placement', subjectId: id, tenantId: pl.tenant_id, regionCode: pl.region_code, summary: { party, via } });
    if (!after.employer_confirmed_at || !after.worker_confirmed_at) return;
    // Both sides agreed: the hire counts against the headcount (R-B4 instant confirmation of result).
    if (p.hired_count >= p.headcount) throw new ProblemException(409, 'post_filled');
    await em.query(`UPDATE placements SET status = 'confirmed', updated_at = now() WHERE id = $1`, [id]);
    await em.query(`UPDATE posts SET hired_count = hired_count + 1, status = CASE WHEN hired_count + 1 >= headcount THEN 'filled' ELSE status END WHERE id = $1`, [p.id]);
    if (pl.check_in_id) await em.query(`UPDATE check_ins SET status = 'matched' WHERE id = $1`, [pl.check_in_id]);
    await this.facts.record(em, actor, {
      marketId: pl.market_id, kind: 'hire_confirmed', subjectType: 'Placement', subjectId: id,
      // \`filled\`: this hire took the post's last place (its headcount leaves the open demand; issue 14's carried-over demand).
      payload: { placementId: id, postId: p.id, workerId: pl.worker_id, employerId: p.employer_id, via, filled: p.hired_count + 1 >= p.headcount },
    });
  }

  // ── Start, completion and 日结, no-shows, cancellations, non-payment ─────────────────────────

  start(actor: Actor, id: string, startedAt?: string): Promise<PlacementView> {
    return this.db.run(actor, async (em) => {
      const pl = await this.rowFor(em, actor, id, 'update');
      if (pl.status === 'recommended') throw new ProblemException(409, 'start_before_confirm');
      if (pl.status !== 'confirmed') throw new ProblemException(409, 'placement_state');
      const at = startedAt ? new Date(startedAt) : new Date();
      if (at.getTime() > Date.now() + 60_000) throw new ProblemException(422, 'validation_failed', [{ field: 'startedAt', key: 'ledger_future_time' }]);
      await em.query(`UPDATE placements SET status = 'started', started_at = $2, updated_at = now() WHERE id = $1`, [id, at]);
      await this.registry.recordWorkerEvent(em, pl.worker_id, 'started');
      await this.facts.record(em, actor, { marketId: pl.market_id, kind: 'hire_started', subjectType: 'Placement', subjectId: id, occurredAt: at, payload: { placementId: id, postId: pl.post_id, workerId: pl.worker_id, startedAt: at.toISOString() } });
      return this.view(em, id);
    });
  }

  /** 日结 (R-B5): the work is done and paid: how much, by whom, when, how. */
  complete(actor: Actor, id: string, input: z.infer<typeof completeSchema>): Promise<PlacementView> {
    return this.db.run(actor, async (em) => {
      const pl = await this.rowFor(em, actor, id, 'update');
      if (!['confirmed', 'started'].includes(pl.status)) throw new ProblemException(409, 'placement_state');
      const paidAt = new Date(input.paidAt);
      if (paidAt.getTime() > Date.now() + 60_000) throw new ProblemException(422, 'validation_failed', [{ field: 'paidAt', key: 'ledger_future_time' }]);
      await em.query(
        `UPDATE placements SET status = 'completed', started_at = coalesce(started_at, $2), completed_at = now(), amount_paid_fen = $3, paid_by = $4,
           paid_at = $2, pay_method = $5, updated_at = now() WHERE id = $1`, [id, paidAt, input.amountPaidFen, input.paidBy, input.method]);
      await this.registry.recordWorkerEvent(em, pl.worker_id, 'completed');
      await this.facts.record(em, actor, {
        marketId: pl.market_id, kind: 'settlement', subjectType: 'Placement', subjectId: id,
        // Who paid (a person's name) stays on the placement; the ledger, which cannot be erased, keeps the facts.
        payload: { placementId: id, postId: pl.post_id, workerId: pl.worker_id, amountPaidFen: input.amountPaidFen, paidAt: paidAt.toISOString(), method: input.method, note: input.note || null },
      });
      return this.view(em, id);
    });
  }

  noShow(actor: Actor, id: string, input: z.infer<typeof noShowSchema>): Promise<PlacementView> {
    return this.db.run(actor, async (em) => {
      const pl = await this.rowFor(em, actor, id, 'update');
      const reopened = await this.release(em, pl, { status: 'no_show', party: input.party });
      if (input.party === 'worker') await this.registry.recordWorkerEvent(em, pl.worker_id, 'no_show');
      await this.facts.record(em, actor, { marketId: pl.market_id, kind: 'no_show', subjectType: 'Placement', subjectId: id, payload: { placementId: id, postId: pl.post_id, workerId: pl.worker_id, party: input.party, note: input.note || null, reopened } });
      return this.view(em, id);
    });
  }

  cancel(actor: Actor, id: string, reason: string): Promise<PlacementView> {
    return this.db.run(actor, async (em) => {
      const pl = await this.rowFor(em, actor, id, 'update');
      const reopened = await this.release(em, pl, { status: 'cancelled', reason });
      // Back in the queue if it was today's check-in.
      if (pl.check_in_id) await em.query(`UPDATE check_ins SET status = 'waiting' WHERE id = $1 AND day = ${TODAY}`, [pl.check_in_id]);
      await this.facts.record(em, actor, { marketId: pl.market_id, kind: 'cancellation', subjectType: 'Placement', subjectId: id, payload: { placementId: id, postId: pl.post_id, workerId: pl.worker_id, reason, reopened } });
      return this.view(em, id);
    });
  }

  /**
   * Before work starts a placement can end as a no-show or a cancellation; a confirmed one gives its place back.
   * Returns whether that reopened a filled post (logged as `reopened`: the post's headcount is open demand again).
   */
  private async release(em: EntityManager, pl: PlacementRow, ending: { status: 'no_show'; party: 'worker' | 'employer' } | { status: 'cancelled'; reason: string }): Promise<boolean> {
    if (!['recommended', 'confirmed'].includes(pl.status)) throw new ProblemException(409, 'placement_state');
    await em.query('UPDATE placements SET status = $2, no_show_party = $3, cancel_reason = $4, updated_at = now() WHERE id = $1',
      [pl.id, ending.status, ending.status === 'no_show' ? ending.party : null, ending.status === 'cancelled' ? ending.reason : null]);
    if (pl.status !== 'confirmed') return false;
    // The post's row lock first, so its status before the update is the one this release changes.
    const [post] = await em.query<{ status: string }[]>('SELECT status FROM posts WHERE id = $1 FOR UPDATE', [pl.post_id]);
    await em.query(`UPDATE posts SET hired_count = hired_count - 1, status = CASE WHEN status = 'filled' THEN 'published' ELSE status END WHERE id = $1`, [pl.post_id]);
    return post?.status === 'filled';
  }

  /** A worker reports not being paid (R-B5, R-B8): the employer is flagged and a case opened for complaint handling. */
  reportNonPayment(actor: Actor, id: string, input: z.infer<typeof nonPaymentSchema>): Promise<PlacementView> {
    return this.db.run(actor, async (em) => {
      const pl = await this.rowFor(em, actor, id, 'update');
      await this.nonPaymentIn(em, actor, pl, input, 'desk');
      return this.view(em, id);
    });
  }

  async nonPaymentIn(em: EntityManager, actor: Actor, pl: PlacementRow, input: z.infer<typeof nonPaymentSchema>, via: 'desk' | 'qr'): Promise<void> {
    if (!['started', 'completed'].includes(pl.status)) throw new ProblemException(409, 'not_paid_yet');
    // One report per placement: a repeat would flag the employer again for the same wages.
    if (pl.non_payment) throw new ProblemException(409, 'non_payment_reported');
    const [p] = await em.query<{ employer_id: string }[]>('SELECT employer_id FROM posts WHERE id = $1', [pl.post_id]);
    const flagId = newId();
    await em.query(
      `INSERT INTO employer_flags (id, tenant_id, market_id, region_code, employer_id, kind, placement_id, amount_owed_fen, workers_affected, description, created_by)
       VALUES ($1, $2, $3, $4, $5, 'non_payment', $6, $7, 1, $8, $9)`,
      [flagId, pl.tenant_id, pl.market_id, pl.region_code, p.employer_id, pl.id, input.amountOwedFen, input.description, actor.userId]);
    await this.registry.flagEmployer(em, p.employer_id);
    await em.query('UPDATE placements SET non_payment = true, updated_at = now() WHERE id = $1', [pl.id]);
    await this.facts.record(em, actor, {
      marketId: pl.market_id, kind: 'non_payment_report', subjectType: 'Employer', subjectId: p.employer_id,
      payload: { flagId, placementId: pl.id, employerId: p.employer_id, amountOwedFen: input.amountOwedFen, via },
    });
  }

  list(actor: Actor, q: z.infer<typeof placementQuerySchema>): Promise<Page<PlacementView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('placements', 'pl');
      if (!applyAccess(qb, actor, 'read', 'Placement', JOBS_ACCESS('pl'))) {
        return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      }
      if (q.marketId) qb.andWhere('pl.market_id = :market', { market: q.marketId });
      if (q.postId) qb.andWhere('pl.post_id = :post', { post: q.postId });
      if (q.workerId) qb.andWhere('pl.worker_id = :worker', { worker: q.workerId });
      if (q.status) qb.andWhere('pl.status = :st', { st: q.status });
      if (q.day) qb.andWhere(`(pl.created_at AT TIME ZONE 'Asia/Shanghai')::date = :day`, { day: q.day });
      const total = await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>();
      const ids = await qb.select('pl.id', 'id').orderBy('pl.created_at', 'DESC').addOrderBy('pl.id').offset((q.page - 1) * q.pageSize).limit(q.pageSize).getRawMany<{ id: string }>();
      const rows = ids.length ? await queryRows<PlacementViewRow>(em, `${PLACEMENT_SELECT} WHERE pl.id = ANY($1::uuid[])`, [ids.map((r) => r.id)]) : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      return { items: ids.map((r) => placementView(byId.get(r.id) as PlacementViewRow)), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
    });
  }

  get(actor: Actor, id: string): Promise<PlacementView> {
    return this.db.run(actor, async (em) => {
      await this.rowFor(em, actor, id, 'read');
      return this.view(em, id);
    });
  }

  async view(em: EntityManager, id: string): Promise<PlacementView> {
    const [r] = await queryRows<PlacementViewRow>(em, `${PLACEMENT_SELECT} WHERE pl.id = $1`, [id]);
    return placementView(r);
  }

  /** The placement for a read, or locked for a state change (api-core `rowForChange`, issue 12). */
  private rowFor(em: EntityManager, actor: Actor, id: string, action: 'read' | 'update'): Promise<PlacementRow> {
    return rowForChange<PlacementRow>(em, actor, action, 'Placement', 'placements', id, scopeOf);
  }

  private async requireOpen(em: EntityManager, p: PostRow): Promise<void> {
    if (p.status === 'filled') throw new ProblemException(409, 'post_filled');
    const [{ open }] = await em.query<{ open: boolean }[]>(`SELECT status = 'published' AND expires_at > now() AS open FROM posts WHERE id = $1`, [p.id]);
    if (!open) throw new ProblemException(409, 'post_not_open');
  }
}

const QUEUE_SELECT = `SELECT c.id AS check_in_id, c.worker_id, w.name, w.mobile_masked, w.gender, w.birth_date,
    w.birth_year, c.occupations, w.skills, c.checked_in_at, c.channel, c.status, c.queue_number, w.hardship_tier, w.completed_count, w.no_show_count,
    ${TODAY} AS today, (extract(epoch FROM now() - c.checked_in_at) / 60)::int AS waited
  FROM check_ins c JOIN workers w ON w.id = c.worker_id`;

function queueView(r: QueueRow): QueueEntryView {
  const age = ageOn(r.today, r.birth_date ?? null, r.birth_year ?? null);
  return {
    checkInId: r.check_in_id, workerId: r.worker_id, name: r.name, mobile: r.mobile_masked,
    gender: r.gender ?? null, age: age?.age ?? null, occupations: r.occupations ?? [], skills: r.skills ?? [],
    checkedInAt: isoOf(r.checked_in_at), channel: r.channel, status: r.status,
    waitedMinutes: r.waited, hardshipTier: r.hardship_tier, completed: r.completed_count, noShows: r.no_show_count,
    queueNumber: r.queue_number,
  };
}

function guardOf(r: CandidateRow) {
  return { gender: r.gender ?? null, birthDate: r.birth_date ?? null, birthYear: r.birth_year ?? null };
}

function candidateView(r: CandidateRow, blocked: ComplianceRefusal | null, today: string): CandidateView {
  const num = (k: 'distance_km' | 'score' | 'fit' | 'hardship' | 'waiting' | 'distance' | 'reliability') => Math.round(Number(r[k]) * 100) / 100;
  const checked = r.checked_in_at;
  return {
    workerId: r.id, name: r.name, mobile: r.mobile_masked, gender: r.gender ?? null,
    age: ageOn(today, r.birth_date ?? null, r.birth_year ?? null)?.age ?? null,
    occupations: r.occupations ?? [], skills: r.skills ?? [], checkedInToday: !!checked,
    waitedMinutes: checked ? Math.max(0, Math.round((Date.now() - checked.getTime()) / 60_000)) : null,
    idleDays: r.idle_days ?? null, distanceKm: r.distance_km == null ? null : num('distance_km'),
    hardshipTier: r.hardship_tier, completed: r.completed_count, noShows: r.no_show_count, score: num('score'),
    parts: { fit: num('fit'), hardship: num('hardship'), waiting: num('waiting'), distance: num('distance'), reliability: num('reliability') },
    blocked,
  };
}

export function placementView(r: PlacementViewRow): PlacementView {
  return {
    id: r.id, marketId: r.market_id, postId: r.post_id, postTitle: r.post_title, occupation: r.occupation,
    employerId: r.employer_id, employerName: r.employer_name, workerId: r.worker_id, workerName: r.worker_name,
    workerMobile: r.worker_mobile, status: r.status, score: r.score == null ? null : Number(r.score),
    employerConfirmedAt: isoOf(r.employer_confirmed_at), workerConfirmedAt: isoOf(r.worker_confirmed_at), startedAt: isoOf(r.started_at),
    completedAt: isoOf(r.completed_at), amountPaidFen: r.amount_paid_fen ?? null, paidBy: r.paid_by ?? null,
    paidAt: isoOf(r.paid_at), payMethod: r.pay_method ?? null, noShowParty: r.no_show_party ?? null,
    cancelReason: r.cancel_reason ?? null, nonPayment: Boolean(r.non_payment), recommendedAt: isoOf(r.created_at),
    recommendedByName: r.recommended_by_name ?? null, wageFen: Number(r.wage_fen), wageUnit: r.wage_unit,
  };
}

function token(): string {
  return randomBytes(18).toString('base64url');
}
function sha(v: string): string {
  return createHash('sha256').update(v).digest('hex');
}
function safeEqual(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** A committed compliance refusal becomes the 422 with its legal basis (R-B7); otherwise the placement. */
export function refusedOr(outcome: { refusal: ComplianceRefusal } | { view: PlacementView }): PlacementView {
  if ('refusal' in outcome) {
    throw new ProblemException(422, 'compliance_refused', undefined, undefined, { refusal: outcome.refusal, legalSource: outcome.refusal.legalSource });
  }
  return outcome.view;
}
