import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AuditService } from '@linggong/api-audit';
import { ProblemException, TenantDb, isoOf, lockKey, newId, queryRows } from '@linggong/api-core';
import { FactsService } from '@linggong/api-ledger';
import { PostsService } from '@linggong/api-jobs';
import {
  type Actor, type PlatformOutcomeInput, type PlatformOutcomeView, type PlatformPostInput, platformPostsQuerySchema,
} from '@linggong/domain';
import type { CallingPlatform } from './platform-auth.guard';
import type { OutcomeRow } from './rows';

/**
 * The actor a signed call acts as: the platform itself (its id as the user, `platform:<code>` as the name), inside
 * the market's operator with the front desk's rights at that one market — what it may do is decided by the signed
 * routes and their scopes, not by this role. Never given to a signed-in request.
 */
export function platformActor(p: CallingPlatform, tenantId: string, marketId: string): Actor {
  return {
    userId: p.id, username: `platform:${p.code}`, orgId: tenantId, orgKind: 'operator', tenantId, marketIds: [marketId], roles: ['front_desk'],
    origin: p.origin,
  };
}

/**
 * What a signed platform call does (issue 18 §3): posts through the jobs context's seam (same review, idempotent on
 * platform + external id), outcomes appended to the market's work log as `platform_outcome.<step>` with their
 * source, and the platform's read of its posts. Every accepted call is audited as `platform.call` in the same
 * transaction as its change.
 */
@Injectable()
export class IngestService {
  constructor(
    private readonly db: TenantDb, private readonly posts: PostsService, private readonly facts: FactsService, private readonly audit: AuditService,
  ) {}

  async post(p: CallingPlatform, input: PlatformPostInput) {
    const { marketId, externalId, ...post } = input;
    const { actor, scope } = await this.actorFor(p, marketId);
    const out = await this.posts.ingest(actor, marketId, { ...post, source: 'third_party', platform: p.code, externalId });
    await this.called(actor, p, scope.region_code, 'posts', { marketId, externalId, created: out.created, postId: out.post.id });
    return out;
  }

  async outcome(p: CallingPlatform, input: PlatformOutcomeInput): Promise<PlatformOutcomeView> {
    const { actor, scope } = await this.actorFor(p, input.marketId);
    return this.db.run(actor, async (em) => {
      // One outcome per platform, step and external id: a repeat waits for the first, then answers with it.
      await lockKey(em, `platform-outcome:${p.id}:${input.step}:${input.externalId}`);
      const [existing] = await queryRows<OutcomeRow>(em, 'SELECT * FROM platform_outcomes WHERE platform_id = $1 AND step = $2 AND external_id = $3', [p.id, input.step, input.externalId]);
      if (existing) {
        await this.auditCall(em, actor, p, scope.region_code, 'outcomes', { marketId: input.marketId, externalId: input.externalId, step: input.step, created: false });
        return view(existing, false);
      }
      const postId = input.postExternalId ? await this.posts.externalPostId(em, input.marketId, p.code, input.postExternalId) : null;
      if (input.postExternalId && !postId) throw new ProblemException(422, 'validation_failed', [{ field: 'postExternalId', key: 'platform_post_unknown' }]);
      const id = newId();
      const entry = await this.facts.record(em, actor, {
        marketId: input.marketId, kind: 'platform_outcome', step: input.step, subjectType: 'PlatformOutcome', subjectId: id,
        payload: {
          outcomeId: id, step: input.step, source: `third_party:${p.code}`, platformId: p.id, platform: p.code, externalId: input.externalId,
          postId, persons: input.persons, amountFen: input.amountFen ?? null, occurredAt: new Date(input.occurredAt).toISOString(),
        },
      });
      await em.query(
        `INSERT INTO platform_outcomes (id, platform_id, market_id, region_code, step, external_id, post_id, persons, amount_fen, occurred_at, ledger_seq)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [id, p.id, input.marketId, scope.region_code, input.step, input.externalId, postId, input.persons, input.amountFen ?? null, new Date(input.occurredAt), entry.seq],
      );
      await this.auditCall(em, actor, p, scope.region_code, 'outcomes', { marketId: input.marketId, externalId: input.externalId, step: input.step, created: true, seq: entry.seq });
      const [row] = await queryRows<OutcomeRow>(em, 'SELECT * FROM platform_outcomes WHERE id = $1', [id]);
      return view(row, true);
    });
  }

  async myPosts(p: CallingPlatform, marketId: string, q: z.infer<typeof platformPostsQuerySchema>) {
    const { actor, scope } = await this.actorFor(p, marketId);
    return this.db.run(actor, async (em) => {
      const page = await this.posts.externalPosts(em, marketId, p.code, q);
      await this.auditCall(em, actor, p, scope.region_code, 'posts:read', { marketId, total: page.total });
      return page;
    });
  }

  /** The market must be one the platform was registered for, and open. */
  private async actorFor(p: CallingPlatform, marketId: string): Promise<{ actor: Actor; scope: { tenant_id: string; region_code: string } }> {
    if (!p.marketIds.includes(marketId)) throw new ProblemException(403, 'platform_market_not_granted');
    const scope = await this.db.dataSource.transaction(async (em) => (await em.query('SELECT tenant_id, region_code FROM platform_market_scope($1, $2)', [p.id, marketId]))[0]);
    if (!scope) throw new ProblemException(403, 'platform_market_not_granted');
    return { actor: platformActor(p, scope.tenant_id, marketId), scope };
  }

  private async called(actor: Actor, p: CallingPlatform, regionCode: string, what: string, summary: Record<string, unknown>) {
    await this.db.run(actor, (em) => this.auditCall(em, actor, p, regionCode, what, summary));
  }

  private async auditCall(em: EntityManager, actor: Actor, p: CallingPlatform, regionCode: string, what: string, summary: Record<string, unknown>) {
    await em.query('SELECT platform_touch($1)', [p.id]);
    await this.audit.record(em, actor, { action: 'platform.call', subjectType: 'Platform', subjectId: p.id, regionCode, summary: { call: what, platform: p.code, ...summary } });
  }
}

function view(r: OutcomeRow, created: boolean): PlatformOutcomeView {
  return {
    id: r.id, created, marketId: r.market_id, step: r.step, externalId: r.external_id, postId: r.post_id, persons: r.persons,
    amountFen: r.amount_fen === null ? null : Number(r.amount_fen), occurredAt: isoOf(r.occurred_at), ledgerSeq: Number(r.ledger_seq),
  };
}
