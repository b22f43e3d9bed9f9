import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '@linggong/domain';
import { PERMISSION_KEY, ProblemException, abilityOf, type Permission } from '@linggong/api-core';
import { SessionService } from './session.service';

export const SESSION_COOKIE = 'lg_session';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

type Req = FastifyRequest & { actor?: Actor; raw: FastifyRequest['raw'] & { actor?: Actor } };

/**
 * The global guard: every route must declare a permission (undeclared routes are refused), the
 * session comes from a bearer token or the httpOnly cookie (then a CSRF header is required for
 * writes), and the coarse CASL permission is checked. Object-level checks happen in services.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly sessions: SessionService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, [ctx.getHandler(), ctx.getClass()]);
    if (permission === undefined) throw new ProblemException(403, 'forbidden');
    if (permission === 'public') return true;

    const req = ctx.switchToHttp().getRequest<Req>();
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    const cookie = (req as unknown as { cookies?: Record<string, string> }).cookies?.[SESSION_COOKIE];
    const token = bearer || cookie;
    if (!token) throw new ProblemException(401, 'unauthorized', undefined, { 'www-authenticate': 'Bearer' });

    // A token Redis no longer knows (signed out elsewhere, revoked, or Redis lost its data): a clear "signed out" (issue 12 §12).
    const check = await this.sessions.touch(token);
    if (!check.ok) throw new ProblemException(401, check.reason === 'expired' ? 'session_expired' : 'signed_out', undefined, { 'www-authenticate': 'Bearer' });
    if (!bearer && !SAFE.has(req.method) && req.headers['x-csrf-token'] !== check.session.csrf) {
      throw new ProblemException(403, 'csrf');
    }
    const actor: Actor = {
      ...check.session.actor,
      sessionId: check.id,
      origin: { ip: req.ip, userAgent: req.headers['user-agent'], requestId: String(req.id) },
    };
    req.actor = actor;
    req.raw.actor = actor;
    (req as unknown as { session?: unknown }).session = check;

    if (permission !== 'authenticated') {
      const [action, subject] = permission;
      if (!abilityOf(actor).can(action, subject)) {
        throw new ProblemException(403, actor.readOnly && action !== 'read' ? 'read_only_tenant' : 'forbidden');
      }
    }
    return true;
  }
}
