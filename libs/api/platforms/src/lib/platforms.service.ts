import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AuditService } from '@linggong/api-audit';
import { APP_CONFIG, Pii, ProblemException, type AppConfig, TenantDb, applyAccess, assertAccess, isoOf, lockKey, newId, queryRows, rowForChange, sortColumn } from '@linggong/api-core';
import { MarketDirectoryService } from '@linggong/api-markets';
import {
  type Actor, type Page, type PlatformSecretView, type PlatformView, type RegisterPlatformInput, platformQuerySchema,
} from '@linggong/domain';
import { PLATFORM_ACCESS, platformScope, type PlatformRow } from './rows';

/** Only https; plain http to this machine only outside production (the tests' receiver). */
export function webhookUrlAllowed(url: string, production: boolean): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || (!production && u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname));
  } catch {
    return false;
  }
}

/**
 * Registering third-party platforms (issue 18 §3, R-E8): a county authority for markets of its county, an operator
 * admin for its own markets. The secret is returned once, at registration and at each rotation, and stored
 * encrypted under the server key (`Pii`, AES-256-GCM): an HMAC is verified with the secret itself, so a one-way
 * hash would not do.
 */
@Injectable()
export class PlatformsService {
  constructor(
    private readonly db: TenantDb, private readonly pii: Pii, private readonly audit: AuditService,
    private readonly markets: MarketDirectoryService, @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  register(actor: Actor, input: RegisterPlatformInput): Promise<PlatformSecretView> {
    return this.db.run(actor, async (em) => {
      if (input.webhookUrl && !webhookUrlAllowed(input.webhookUrl, this.config.NODE_ENV === 'production')) throw new ProblemException(422, 'validation_failed', [{ field: 'webhookUrl', key: 'webhook_url_invalid' }]);
      const marketIds = [...new Set(input.marketIds)];
      const regions: string[] = [];
      for (const id of marketIds) {
        const m = await this.markets.scopeOf(em, id);
        const mine = m && (actor.orgKind === 'platform' || (actor.orgKind === 'operator' ? m.tenantId === actor.tenantId : m.regionCode.startsWith(actor.regionPrefix ?? '\u0000')));
        if (!m || !mine) throw new ProblemException(422, 'validation_failed', [{ field: 'marketIds', key: 'platform_markets_outside' }]);
        regions.push(m.regionCode);
      }
      const regionCode = actor.orgKind === 'county' ? String(actor.regionPrefix) : commonPrefix(regions);
      assertAccess(actor, 'create', 'Platform', { orgId: actor.orgId, regionCode });
      // Two registrations of one code at once: the second waits, then sees the first (409).
      await lockKey(em, `platform-code:${input.code}`);
      const [{ taken }] = await em.query('SELECT platform_code_taken($1) AS taken', [input.code]);
      if (taken) throw new ProblemException(409, 'platform_code_taken', [{ field: 'code', key: 'platform_code_taken' }]);
      const id = newId();
      const appKey = `lgk_${randomBytes(16).toString('hex')}`;
      const secret = newSecret();
      await em.query(
        `INSERT INTO platforms (id, code, name, app_key, secret_enc, scopes, market_ids, owner_org_id, region_code, rate_per_minute, webhook_url, webhook_events, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [id, input.code, input.name, appKey, this.pii.encrypt(secret), [...new Set(input.scopes)], marketIds, actor.orgId, regionCode,
          input.ratePerMinute, input.webhookUrl, [...new Set(input.webhookEvents)], actor.userId],
      );
      await this.audit.record(em, actor, {
        action: 'platform.register', subjectType: 'Platform', subjectId: id, regionCode, tenantId: actor.tenantId ?? null,
        summary: { code: input.code, name: input.name, appKey, scopes: input.scopes, markets: marketIds.length, ratePerMinute: input.ratePerMinute },
      });
      return { ...(await this.view(em, id)), secret };
    });
  }

  /** A new secret, shown once; the old one stops working at once. */
  rotate(actor: Actor, id: string): Promise<PlatformSecretView> {
    return this.db.run(actor, async (em) => {
      const p = await rowForChange<PlatformRow>(em, actor, 'update', 'Platform', 'platforms', id, platformScope);
      if (p.status !== 'active') throw new ProblemException(409, 'platform_not_active');
      const secret = newSecret();
      await em.query('UPDATE platforms SET secret_enc = $2, rotated_at = now() WHERE id = $1', [id, this.pii.encrypt(secret)]);
      await this.audit.record(em, actor, { action: 'platform.rotate', subjectType: 'Platform', subjectId: id, regionCode: p.region_code, tenantId: actor.tenantId ?? null, summary: { code: p.code } });
      return { ...(await this.view(em, id)), secret };
    });
  }

  disable(actor: Actor, id: string, reason: string): Promise<PlatformView> {
    return this.db.run(actor, async (em) => {
      const p = await rowForChange<PlatformRow>(em, actor, 'update', 'Platform', 'platforms', id, platformScope);
      if (p.status !== 'active') throw new ProblemException(409, 'platform_already_disabled');
      await em.query(`UPDATE platforms SET status = 'disabled', disabled_at = now(), disabled_reason = $2 WHERE id = $1`, [id, reason]);
      await this.audit.record(em, actor, { action: 'platform.disable', subjectType: 'Platform', subjectId: id, regionCode: p.region_code, tenantId: actor.tenantId ?? null, summary: { code: p.code, reason } });
      return this.view(em, id);
    });
  }

  get(actor: Actor, id: string): Promise<PlatformView> {
    return this.db.run(actor, async (em) => {
      await rowForChange<PlatformRow>(em, actor, 'read', 'Platform', 'platforms', id, platformScope);
      return this.view(em, id);
    });
  }

  list(actor: Actor, q: z.infer<typeof platformQuerySchema>): Promise<Page<PlatformView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('platforms', 'p');
      if (!applyAccess(qb, actor, 'read', 'Platform', PLATFORM_ACCESS('p'))) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      if (q.status) qb.andWhere('p.status = :st', { st: q.status });
      if (q.q) qb.andWhere('(p.name ILIKE :q OR p.code ILIKE :q)', { q: `%${q.q.replace(/[%_\\]/g, '')}%` });
      const { col, desc } = sortColumn({ createdAt: 'p.created_at', name: 'p.name', code: 'p.code', lastCallAt: 'p.last_call_at' }, q.sort, '-createdAt');
      const total = await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>();
      const ids = await qb.select('p.id', 'id').orderBy(col, desc ? 'DESC' : 'ASC', desc ? 'NULLS LAST' : 'NULLS FIRST').addOrderBy('p.id')
        .offset((q.page - 1) * q.pageSize).limit(q.pageSize).getRawMany<{ id: string }>();
      const items: PlatformView[] = [];
      for (const r of ids) items.push(await this.view(em, r.id));
      return { items, total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
    });
  }

  async view(em: EntityManager, id: string): Promise<PlatformView> {
    const [r] = await queryRows<PlatformRow>(em, 'SELECT * FROM platforms WHERE id = $1', [id]);
    const names = await this.markets.names(em, r.market_ids);
    return {
      id: r.id, code: r.code, name: r.name, appKey: r.app_key, scopes: r.scopes, marketIds: r.market_ids,
      markets: r.market_ids.map((m) => ({ id: m, name: names.get(m) ?? '' })), ratePerMinute: r.rate_per_minute, status: r.status,
      ownerOrgId: r.owner_org_id, regionCode: r.region_code, webhookUrl: r.webhook_url, webhookEvents: r.webhook_events,
      createdAt: isoOf(r.created_at), rotatedAt: isoOf(r.rotated_at), disabledAt: isoOf(r.disabled_at), disabledReason: r.disabled_reason,
      calls: Number(r.calls), lastCallAt: isoOf(r.last_call_at),
    };
  }
}

function newSecret(): string {
  return `lgs_${randomBytes(32).toString('base64url')}`;
}

function commonPrefix(codes: string[]): string {
  let p = codes[0] ?? '';
  for (const c of codes) while (!c.startsWith(p)) p = p.slice(0, -1);
  return p;
}
