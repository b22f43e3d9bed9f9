import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  maskName, publicActor, type Actor, type PublicCheckInResult, type PublicMarketView, type PublicPostView,
  nonPaymentSchema, publicCheckInSchema,
} from '@linggong/domain';
import { ProblemException, SHANGHAI_TODAY_SQL as TODAY, TenantDb, isoOf, lockKey, notFound } from '@linggong/api-core';
import { MarketDirectoryService } from '@linggong/api-markets';
import { RegistryDirectoryService, WorkersService } from '@linggong/api-registry';
import { GateCodeService } from './gate-code.service';
import { MatchingService } from './matching.service';

/** The actor behind the public pages: no user, the market's own tenant and market, front-desk rights. */

import type { PlacementRow, PostRow } from './rows';

/** What every public market offers (R-B4, R-B9–B14, R-D2), listed on its public page. */
const PUBLIC_SERVICES = ['零工登记', '岗位发布', '即时快招', '职业指导', '技能培训', '政策咨询', '权益维护'];

/**
 * Public, sign-in-free pages (issue 4 §7): the market's page (R-D1), its open jobs, QR registration
 * and check-in, and the confirmation QR. An open market's tenant is found through one SECURITY
 * DEFINER function; everything after runs in that tenant's RLS scope as a front-desk actor bound to
 * the one market, so a public request can reach nothing else.
 */
@Injectable()
export class PublicService {
  constructor(
    private readonly db: TenantDb, private readonly workers: WorkersService, private readonly registry: RegistryDirectoryService,
    private readonly matching: MatchingService, private readonly markets: MarketDirectoryService, private readonly gate: GateCodeService,
  ) {}

  market(marketId: string): Promise<PublicMarketView> {
    return this.run(marketId, async (em) => {
      const m = await this.markets.publicProfile(em, marketId);
      if (!m) throw notFound();
      const [counts] = await em.query(
        `SELECT (SELECT count(*)::int FROM posts p WHERE p.market_id = $1 AND p.status = 'published' AND p.expires_at > now()) AS open_posts,
           (SELECT count(*)::int FROM check_ins c WHERE c.market_id = $1 AND c.day = ${TODAY} AND c.status = 'waiting') AS waiting`,
        [marketId]);
      const contact = m.contacts[0];
      const common = await this.matching.commonOccupations(em, marketId);
      return {
        id: m.id, name: m.name, address: m.address, longitude: m.longitude, latitude: m.latitude, hours: m.openingHours,
        contactName: contact?.name ?? null, contactPhone: contact?.phone ?? null, hotline: m.hotline,
        // R-D1: complaints go to the market's hotline and, always, the government service hotline 12345.
        complaintHotline: m.hotline ? `${m.hotline}；12345` : '12345',
        services: PUBLIC_SERVICES, occupations: m.occupations, openPosts: counts.open_posts, waitingToday: counts.waiting,
        commonOccupations: [...new Set([...common, ...m.occupations])],
      };
    });
  }

  posts(marketId: string): Promise<PublicPostView[]> {
    return this.run(marketId, async (em) => {
      const rows = await em.query<(PostRow & { employer_name: string })[]>(
        `SELECT p.id, p.occupation, p.title, e.name AS employer_name, p.headcount, p.hired_count, p.wage_fen, p.wage_unit, p.period, p.period_count,
           p.start_at, p.place, p.requirements, p.expires_at
         FROM posts p JOIN employers e ON e.id = p.employer_id
         WHERE p.market_id = $1 AND p.status = 'published' AND p.expires_at > now() ORDER BY p.start_at, p.id LIMIT 200`, [marketId]);
      return rows.map((r) => ({
        id: r.id, occupation: r.occupation, title: r.title, employerName: r.employer_name,
        headcount: r.headcount, openings: r.headcount - r.hired_count, wageFen: r.wage_fen,
        wageUnit: r.wage_unit, period: r.period, periodCount: r.period_count,
        startAt: isoOf(r.start_at), place: r.place, requirements: r.requirements,
        expiresAt: isoOf(r.expires_at),
      }));
    });
  }

  /**
   * The public check-in (issue 12 §4). Proof of presence first: without the gate code shown on the screen
   * at the market's gate (current or previous window) nothing is looked up and nothing is written (403).
   * Then a known mobile is checked in and an unknown one registered (with the typed name and the consent
   * given on the page) and checked in; the answer is the same for both — no name, no "already" — so the
   * page is no oracle of who is registered with the operator. A repeat the same day returns the same
   * queue number (idempotent).
   */
  checkIn(marketId: string, input: z.infer<typeof publicCheckInSchema>): Promise<PublicCheckInResult> {
    return this.run(marketId, async (em, actor, scope) => {
      if (!(await this.gate.verify(em, marketId, scope.tenant_id, scope.region_code, input.gateCode))) throw new ProblemException(403, 'gate_code_invalid');
      // Two submissions of one number at once queue here, so the second finds the first's worker (issue 12 §1).
      await lockKey(em, `register:${actor.tenantId}:${createHash('sha256').update(input.mobile).digest('hex')}`);
      const known = await this.registry.workerByMobile(em, String(actor.tenantId), input.mobile);
      const worker = known ?? (await this.workers.registerIn(em, actor, marketId, { name: input.name, mobile: input.mobile, occupations: input.occupations, consent: true, skills: [], jobPush: false }, 'qr'));
      const r = await this.matching.checkInIn(em, actor, marketId, worker.id, input.occupations.length ? input.occupations : undefined, 'qr');
      return { status: 'checked_in', queueNumber: r.entry.queueNumber, day: await today(em) };
    });
  }

  /** What a party sees after scanning the confirmation QR: the job and the other side, masked. */
  confirmation(marketId: string, token: string) {
    return this.run(marketId, async (em) => this.describe(em, await this.matching.byToken(em, marketId, token)));
  }

  confirm(marketId: string, token: string) {
    return this.run(marketId, async (em, actor) => this.describe(em, await this.matching.confirmByToken(em, actor, marketId, token)));
  }

  /** The worker's own confirmation link doubles as the way to report not being paid (R-B5). */
  nonPayment(marketId: string, token: string, input: z.infer<typeof nonPaymentSchema>) {
    return this.run(marketId, async (em, actor) => {
      const found = await this.matching.byToken(em, marketId, token);
      if (found.party !== 'worker') throw new ProblemException(404, 'token_invalid');
      await this.matching.nonPaymentIn(em, actor, found.placement, input, 'qr');
      return this.describe(em, { placement: (await em.query<PlacementRow[]>('SELECT * FROM placements WHERE id = $1', [found.placement.id]))[0], party: 'worker' });
    });
  }

  private async describe(em: EntityManager, found: { placement: PlacementRow; party: 'worker' | 'employer' }) {
    const v = await this.matching.view(em, found.placement.id);
    const [p] = await em.query<PostRow[]>('SELECT wage_fen, wage_unit, start_at, place FROM posts WHERE id = $1', [v.postId]);
    return {
      party: found.party, status: v.status, postTitle: v.postTitle, occupation: v.occupation, employerName: v.employerName,
      workerName: maskName(v.workerName), wageFen: p.wage_fen, wageUnit: p.wage_unit, startAt: isoOf(p.start_at),
      place: p.place, employerConfirmed: !!v.employerConfirmedAt, workerConfirmed: !!v.workerConfirmedAt, nonPayment: v.nonPayment,
    };
  }

  private async run<T>(marketId: string, fn: (em: EntityManager, actor: Actor, scope: { tenant_id: string; region_code: string }) => Promise<T>): Promise<T> {
    // Resolve the market's tenant first (outside any tenant scope, through the definer function).
    const scope = await this.db.dataSource.transaction(async (em) => (await em.query('SELECT tenant_id, region_code FROM public_market_scope($1)', [marketId]))[0]);
    if (!scope) throw notFound();
    const actor = publicActor(scope.tenant_id, marketId);
    return this.db.run(actor, (em) => fn(em, actor, scope));
  }
}

async function today(em: EntityManager): Promise<string> {
  return (await em.query<{ d: string }[]>(`SELECT ${TODAY} AS d`))[0].d;
}

