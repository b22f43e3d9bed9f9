import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { changePasswordSchema, loginSchema, type Actor, type LoginInput } from '@linggong/domain';
import { APP_CONFIG, CurrentActor, Route, ZodPipe, type AppConfig } from '@linggong/api-core';
import { IdentityService } from './identity.service';
import { SESSION_COOKIE } from './auth.guard';
import type { SessionCheck } from './session.service';

@ApiTags('identity')
@Controller('v1/auth')
export class IdentityController {
  constructor(private readonly identity: IdentityService, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Post('login')
  @RouteConfig({ loginRateLimit: true })
  @Route({ operationId: 'identity_login', summary: 'Sign in with username and password; returns a bearer token and sets an httpOnly cookie', permission: 'public', body: loginSchema, status: 200 })
  async login(@Body(new ZodPipe(loginSchema)) body: LoginInput, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.identity.login(body, { ip: req.ip, userAgent: req.headers['user-agent'], requestId: String(req.id) });
    void reply.setCookie(SESSION_COOKIE, result.token, {
      httpOnly: true, sameSite: 'strict', path: '/', secure: this.config.COOKIE_SECURE,
      maxAge: this.config.SESSION_ABSOLUTE_HOURS * 3600,
    });
    return result;
  }

  @Get('me')
  @Route({ operationId: 'identity_me', summary: 'The signed-in user, their organisation and CASL rules', permission: 'authenticated' })
  me(@Req() req: FastifyRequest & { session?: SessionCheck }) {
    const s = req.session as Extract<SessionCheck, { ok: true }>;
    return this.identity.me(s.session, s.expiresAt);
  }

  @Post('logout')
  @Route({ operationId: 'identity_logout', summary: 'End this session', permission: 'authenticated', status: 204 })
  async logout(@CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.identity.logout(actor);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Post('revoke-all')
  @Route({ operationId: 'identity_revokeAll', summary: 'End every session of the signed-in user', permission: 'authenticated', status: 204 })
  async revokeAll(@CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.identity.revokeAll(actor);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Post('password')
  @Route({ operationId: 'identity_changePassword', summary: 'Change own password (ends all sessions)', permission: 'authenticated', body: changePasswordSchema, status: 204 })
  async changePassword(@CurrentActor() actor: Actor, @Body(new ZodPipe(changePasswordSchema)) body: { currentPassword: string; newPassword: string }) {
    await this.identity.changePassword(actor, body.currentPassword, body.newPassword);
  }
}
