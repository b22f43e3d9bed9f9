import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  changePasswordSchema, enrolSecondFactorSchema, isChallenge, loginSchema, secondFactorSchema, totpCodeSchema,
  type Actor, type LoginInput, type LoginResult, type SecondFactorInput,
} from '@linggong/domain';
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
  @Route({ operationId: 'identity_login', summary: 'Sign in with username and password; returns a bearer token and sets an httpOnly cookie, or, when a second factor is due, a short-lived challenge (no session yet)', permission: 'public', body: loginSchema, status: 200 })
  async login(@Body(new ZodPipe(loginSchema)) body: LoginInput, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.identity.login(body, this.origin(req));
    if (!isChallenge(result)) this.setCookie(reply, result);
    return result;
  }

  @Post('login/second-factor')
  @RouteConfig({ loginRateLimit: true })
  @Route({ operationId: 'identity_loginSecondFactor', summary: 'Complete a sign-in challenge with a TOTP code or a recovery code (each usable once)', permission: 'public', body: secondFactorSchema, status: 200 })
  async secondFactor(@Body(new ZodPipe(secondFactorSchema)) body: SecondFactorInput, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.identity.completeSecondFactor(body, this.origin(req));
    this.setCookie(reply, result);
    return result;
  }

  @Post('login/enrol')
  @RouteConfig({ loginRateLimit: true })
  @Route({ operationId: 'identity_loginEnrol', summary: 'Complete a sign-in that requires enrolment: the first code from the new secret; returns the session and the recovery codes (shown once)', permission: 'public', body: enrolSecondFactorSchema, status: 200 })
  async enrol(@Body(new ZodPipe(enrolSecondFactorSchema)) body: { challenge: string; code: string }, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.identity.completeEnrolment(body, this.origin(req));
    this.setCookie(reply, result);
    return result;
  }

  @Get('second-factor')
  @Route({ operationId: 'identity_secondFactorStatus', summary: 'Whether the signed-in user has a second factor, must have one, and how many recovery codes are left', permission: 'authenticated' })
  secondFactorStatus(@CurrentActor() actor: Actor) {
    return this.identity.secondFactorStatus(actor);
  }

  @Post('second-factor/enrolment')
  @Route({ operationId: 'identity_startEnrolment', summary: 'Start enrolling a second factor (a new secret, its QR code and otpauth URI; valid 10 minutes)', permission: 'authenticated', status: 200 })
  startEnrolment(@CurrentActor() actor: Actor) {
    return this.identity.startEnrolment(actor);
  }

  @Post('second-factor/enrolment/confirm')
  @Route({ operationId: 'identity_confirmEnrolment', summary: 'Confirm the enrolment with a first code; returns the recovery codes (shown once)', permission: 'authenticated', body: totpCodeSchema, status: 200 })
  confirmEnrolment(@CurrentActor() actor: Actor, @Body(new ZodPipe(totpCodeSchema)) body: { code: string }) {
    return this.identity.confirmEnrolment(actor, body.code);
  }

  @Post('second-factor/recovery-codes')
  @Route({ operationId: 'identity_regenerateRecoveryCodes', summary: 'Replace the recovery codes (confirmed with a current code); returns the new ones (shown once)', permission: 'authenticated', body: totpCodeSchema, status: 200 })
  regenerateRecoveryCodes(@CurrentActor() actor: Actor, @Body(new ZodPipe(totpCodeSchema)) body: { code: string }) {
    return this.identity.regenerateRecoveryCodes(actor, body.code);
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

  private origin(req: FastifyRequest) {
    return { ip: req.ip, userAgent: req.headers['user-agent'], requestId: String(req.id) };
  }

  private setCookie(reply: FastifyReply, result: LoginResult) {
    void reply.setCookie(SESSION_COOKIE, result.token, {
      httpOnly: true, sameSite: 'strict', path: '/', secure: this.config.COOKIE_SECURE,
      maxAge: this.config.SESSION_ABSOLUTE_HOURS * 3600,
    });
  }
}
