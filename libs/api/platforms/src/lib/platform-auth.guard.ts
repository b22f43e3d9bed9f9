import { applyDecorators, Inject, Injectable, Logger, SetMetadata, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiResponse, ApiSecurity } from '@nestjs/swagger';
import type { Redis } from 'ioredis';
import { APP_CONFIG, Pii, ProblemException, REDIS, TenantDb, type AppConfig } from '@linggong/api-core';
import { NONCE_RE, SIGNATURE_HEADERS, SIGNATURE_MAX_SKEW_SECONDS, signingString, type PlatformScope } from '@linggong/domain';
import { hmacHex, sameSignature } from './signing';

/** The platform behind a verified call, set on the request by the guard. */
export interface CallingPlatform {
  id: string; code: string; name: string; scopes: PlatformScope[]; marketIds: string[];
  origin: { ip?: string; userAgent?: string; requestId?: string };
}
interface CredentialsRow { id: string; code: string; name: string; secret_enc: string; scopes: PlatformScope[]; market_ids: string[]; status: string; rate_per_minute: number }
type SignedRequest = {
  headers: Record<string, string | string[] | undefined>; method: string; url: string; rawBody?: Buffer; ip?: string; id?: unknown;
  platform?: CallingPlatform;
};

const SCOPE_KEY = 'lg:platform-scope';
/** Nonces are remembered for twice the timestamp window: a nonce can never come back inside a window that accepts it. */
const NONCE_TTL_SECONDS = SIGNATURE_MAX_SKEW_SECONDS * 2 + 60;

/**
 * A route called by a third-party platform (issue 18 §3): signed with the platform's secret, for one scope. The
 * route is `public` for the session guard; this guard does the rest, in this order, each refusal a problem
 * document and nothing stored: headers present (401 `platform_signature_missing`), app key known (401
 * `platform_key_unknown`), signature over the raw body (401 `platform_signature_invalid`), timestamp within ±5
 * minutes (401 `platform_timestamp_skew`), key active (403 `platform_disabled`), scope granted (403
 * `platform_scope_missing`), calls this minute under the key's limit (429 `platform_rate_limited`), nonce not seen
 * before (409 `platform_nonce_replayed`, remembered in Redis with `SET NX EX`).
 */
export function Signed(scope: PlatformScope): MethodDecorator {
  return applyDecorators(
    SetMetadata(SCOPE_KEY, scope),
    UseGuards(PlatformAuthGuard),
    ApiSecurity('platformSignature'),
    ApiResponse({ status: 401, description: 'Signature headers missing, unknown key, bad signature or stale timestamp' }),
    ApiResponse({ status: 409, description: 'Nonce replayed' }),
    ApiResponse({ status: 429, description: 'Over the key\'s calls per minute' }),
  ) as MethodDecorator;
}

@Injectable()
export class PlatformAuthGuard implements CanActivate {
  private readonly log = new Logger('PlatformAuth');
  constructor(
    private readonly reflector: Reflector, private readonly db: TenantDb, private readonly pii: Pii,
    @Inject(REDIS) private readonly redis: Redis, @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const scope = this.reflector.get<PlatformScope>(SCOPE_KEY, ctx.getHandler());
    const req = ctx.switchToHttp().getRequest<SignedRequest>();
    try {
      req.platform = await this.verify(req, scope);
      return true;
    } catch (e) {
      if (e instanceof ProblemException) this.log.warn({ msg: 'platform call refused', reason: e.key, key: header(req, SIGNATURE_HEADERS.key)?.slice(0, 64) });
      throw e;
    }
  }

  private async verify(req: SignedRequest, scope: PlatformScope): Promise<CallingPlatform> {
    const appKey = header(req, SIGNATURE_HEADERS.key);
    const ts = header(req, SIGNATURE_HEADERS.timestamp);
    const nonce = header(req, SIGNATURE_HEADERS.nonce);
    const signature = header(req, SIGNATURE_HEADERS.signature);
    if (!appKey || !/^lgk_[0-9a-f]{32}$/.test(appKey) || !ts || !/^\d{9,11}$/.test(ts) || !nonce || !NONCE_RE.test(nonce) || !signature || !/^[0-9a-f]{64}$/.test(signature)) {
      throw new ProblemException(401, 'platform_signature_missing');
    }
    const row = await this.db.dataSource.transaction(async (em) => (await em.query<CredentialsRow[]>('SELECT * FROM platform_credentials($1)', [appKey]))[0]);
    if (!row) throw new ProblemException(401, 'platform_key_unknown');
    const body = req.rawBody ? req.rawBody.toString('utf8') : '';
    const expected = hmacHex(this.pii.decrypt(row.secret_enc), signingString(ts, nonce, req.method, req.url, body));
    if (!sameSignature(expected, signature)) throw new ProblemException(401, 'platform_signature_invalid');
    if (Math.abs(Math.floor(Date.now() / 1000) - Number(ts)) > SIGNATURE_MAX_SKEW_SECONDS) throw new ProblemException(401, 'platform_timestamp_skew');
    if (row.status !== 'active') throw new ProblemException(403, 'platform_disabled');
    if (!row.scopes.includes(scope)) throw new ProblemException(403, 'platform_scope_missing');
    const prefix = `${this.config.REDIS_PREFIX}:platform:${row.id}`;
    // Per key, per minute (fixed window); a refused call counts too, so a flood stays refused.
    const minute = Math.floor(Date.now() / 60_000);
    const [[, calls]] = (await this.redis.multi().incr(`${prefix}:rate:${minute}`).expire(`${prefix}:rate:${minute}`, 120).exec()) as [[null, number]];
    if (calls > row.rate_per_minute) {
      throw new ProblemException(429, 'platform_rate_limited', undefined, { 'retry-after': String(60 - Math.floor((Date.now() / 1000) % 60)) });
    }
    const fresh = await this.redis.set(`${prefix}:nonce:${nonce}`, ts, 'EX', NONCE_TTL_SECONDS, 'NX');
    if (fresh !== 'OK') throw new ProblemException(409, 'platform_nonce_replayed');
    return {
      id: row.id, code: row.code, name: row.name, scopes: row.scopes, marketIds: row.market_ids,
      origin: { ip: req.ip, userAgent: header(req, 'user-agent'), requestId: req.id ? String(req.id) : undefined },
    };
  }
}

function header(req: SignedRequest, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}
