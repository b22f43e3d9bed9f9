import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Actor, GateCodeView } from '@linggong/domain';
import { GATE_CODE_PERIOD_SECONDS } from '@linggong/domain';
import { APP_CONFIG, ProblemException, REDIS, TenantDb, assertAccess, notFound, type AppConfig, type Redis } from '@linggong/api-core';
import { MarketDirectoryService } from '@linggong/api-markets';

/** The window a moment falls in: gate codes rotate every GATE_CODE_PERIOD_SECONDS. */
export const gateWindow = (at: number): number => Math.floor(at / 1000 / GATE_CODE_PERIOD_SECONDS);

/** Six digits from an HMAC-SHA256 over the market and the window (HOTP-style dynamic truncation). */
export function gateCodeFor(secret: Buffer, marketId: string, window: number): string {
  const mac = createHmac('sha256', secret).update(`gate:${marketId}:${window}`).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/**
 * Proof of presence for the public check-in (issue 12 §4): the gate screen (console `/markets/:id/gate`)
 * shows the current code; the public page accepts the current and the previous window's code. Codes are
 * derived, never stored, and travel only in a response body or a POST body (the request log keeps neither).
 */
@Injectable()
export class GateCodeService {
  constructor(
    private readonly db: TenantDb, private readonly markets: MarketDirectoryService,
    @Inject(REDIS) private readonly redis: Redis, @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The current code for a market's gate screen: staff who may check workers in at that market. */
  current(actor: Actor, marketId: string, now = Date.now()): Promise<GateCodeView> {
    return this.db.run(actor, async (em) => {
      const m = await this.markets.scopeOf(em, marketId);
      if (!m || !m.tenantId) throw notFound();
      assertAccess(actor, 'read', 'Market', { id: marketId, tenantId: m.tenantId, regionCode: m.regionCode });
      assertAccess(actor, 'create', 'Placement', { marketId, tenantId: m.tenantId, regionCode: m.regionCode });
      const w = gateWindow(now);
      return {
        marketId, code: gateCodeFor(await this.secret(em, marketId, m.tenantId, m.regionCode), marketId, w),
        periodSeconds: GATE_CODE_PERIOD_SECONDS, validUntil: new Date((w + 2) * GATE_CODE_PERIOD_SECONDS * 1000).toISOString(),
        rotatesAt: new Date((w + 1) * GATE_CODE_PERIOD_SECONDS * 1000).toISOString(),
      };
    });
  }

  /**
   * True when `code` is the market's code of the current or the previous window (constant-time compare).
   * Wrong codes are counted per market and window; past GATE_CODE_MAX_FAILURES the market refuses every
   * code (429) until the next window, so guessing from many addresses stays hopeless.
   */
  async verify(em: EntityManager, marketId: string, tenantId: string, regionCode: string, code: string, now = Date.now()): Promise<boolean> {
    const window = gateWindow(now);
    const failures = `${this.config.REDIS_PREFIX}:gate-fail:${marketId}:${window}`;
    if (Number((await this.redis.get(failures)) ?? 0) >= this.config.GATE_CODE_MAX_FAILURES) throw new ProblemException(429, 'gate_code_locked');
    const secret = await this.secret(em, marketId, tenantId, regionCode);
    const given = Buffer.from(code.padEnd(6, ' ').slice(0, 6));
    let ok = false;
    for (const w of [window, window - 1]) ok = timingSafeEqual(Buffer.from(gateCodeFor(secret, marketId, w)), given) || ok;
    if (!ok) await this.redis.multi().incr(failures).expire(failures, 2 * GATE_CODE_PERIOD_SECONDS).exec();
    return ok;
  }

  private async secret(em: EntityManager, marketId: string, tenantId: string, regionCode: string): Promise<Buffer> {
    const [found] = await em.query('SELECT secret FROM market_gate_keys WHERE market_id = $1', [marketId]);
    if (found) return found.secret as Buffer;
    await em.query(
      'INSERT INTO market_gate_keys (market_id, tenant_id, region_code, secret) VALUES ($1, $2, $3, $4) ON CONFLICT (market_id) DO NOTHING',
      [marketId, tenantId, regionCode, randomBytes(32)]);
    const [row] = await em.query('SELECT secret FROM market_gate_keys WHERE market_id = $1', [marketId]);
    return row.secret as Buffer;
  }
}
