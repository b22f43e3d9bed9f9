import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  defineAbilityFor, regionLevel, secondFactorRequired,
  type Actor, type LoginInput, type LoginResponse, type LoginResult, type Me, type OrgKind, type RecoveryCodes, type Role,
  type SecondFactorChallenge, type SecondFactorInput, type SecondFactorStatus, type TotpEnrolment,
} from '@linggong/domain';
import { APP_CONFIG, ProblemException, REDIS, TenantDb, type AppConfig, type Redis } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { PasswordService } from './password.service';
import { SessionService, type SessionData } from './session.service';
import { LoginThrottle } from './login-throttle';
import { TotpService } from './totp';

interface UserRow {
  id: string; username: string; display_name: string; org_id: string; tenant_id: string | null; region_code: string;
  roles: Role[]; password_hash: string; status: 'active' | 'disabled'; failed_logins: number; locked_until: Date | null;
  org_kind: OrgKind; org_name: string; org_status: 'active' | 'exiting' | 'exited'; org_region: string; market_ids: string[];
}
interface SecondFactorRow { secret: string | null; enrolled_at: Date | null; last_step: string | null; recovery_left: number }
/** A pending sign-in step in Redis: the password was right, the second factor is still due. */
interface Pending { userId: string; username: string; kind: 'totp' | 'enrol'; secret?: string }
export interface RequestOrigin { ip?: string; userAgent?: string; requestId?: string }

const CHALLENGE_SECONDS = 300;
const ENROLMENT_SECONDS = 600;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Sign-in with lockout, the second factor (TOTP), sessions, sign-out and revoke-all (issue 2 §4,
 * issue 12). A right password opens a session directly only for a user without a second factor;
 * otherwise it answers a short-lived challenge (no session yet) to be completed with a code, a
 * recovery code, or — for a user who must have a second factor and has none — a first enrolment.
 */
@Injectable()
export class IdentityService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly db: TenantDb,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly throttle: LoginThrottle,
    private readonly totp: TotpService,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(input: LoginInput, origin: RequestOrigin): Promise<LoginResponse> {
    const username = input.username.toLowerCase();
    const row = await this.findUser(username);
    const ok = await this.passwords.verify(row?.password_hash ?? null, input.password);
    const throttled = await this.throttle.locked(username);
    if (!row) {
      // An unknown name is counted like a known one, so the 401s and the 423 come in the same order.
      const locked = throttled || (await this.throttle.fail(username));
      await this.recordAnonymous('auth.login.failure', { username, reason: 'unknown_user', locked }, origin);
      throw this.failure(locked);
    }
    const actor = this.actorOf(row, origin);
    if (this.dbLocked(row) || throttled) {
      await this.recordFor(actor, row, 'auth.login.locked', { lockedUntil: row.locked_until });
      throw this.failure(true);
    }
    if (!ok) {
      const locked = await this.countFailure(row);
      await this.recordFor(actor, row, 'auth.login.failure', { reason: 'wrong_password', locked });
      throw this.failure(locked);
    }
    if (row.status !== 'active') {
      await this.recordFor(actor, row, 'auth.login.failure', { reason: 'disabled' });
      throw new ProblemException(403, 'account_disabled');
    }
    const sf = await this.secondFactorOf(row.id);
    if (sf.secret) {
      this.refuseDemoSecret(row.username, this.totp.decrypt(sf.secret));
      return this.challenge(row, 'totp');
    }
    if (secondFactorRequired(row.org_kind, row.roles)) return this.challenge(row, 'enrol', this.totp.newSecret());
    return this.startSession(row, origin, null);
  }

  /** The second step: a TOTP code or a recovery code for a pending challenge. */
  async completeSecondFactor(input: SecondFactorInput, origin: RequestOrigin): Promise<LoginResult> {
    const { pending, row } = await this.takePending(input.challenge, 'totp');
    const sf = await this.secondFactorOf(row.id);
    if (!sf.secret) throw new ProblemException(401, 'second_factor_expired');
    const secret = this.totp.decrypt(sf.secret);
    this.refuseDemoSecret(row.username, secret);
    let ok = false;
    if (input.code !== undefined) {
      const step = await this.totp.check(secret, input.code);
      ok = step !== null && (await this.useStep(row.id, step));
    } else if (input.recoveryCode !== undefined) {
      const [{ left }] = await this.ds.query('SELECT auth_totp_use_recovery($1, $2) AS left', [row.id, this.totp.hashRecovery(input.recoveryCode)]);
      ok = left !== null;
    }
    if (!ok) await this.wrongCode(input.challenge, pending, row, origin);
    return this.startSession(row, origin, input.code !== undefined ? 'totp' : 'recovery_code');
  }

  /** The second step for a user who must enrol: the first code from the new secret confirms it. */
  async completeEnrolment(input: { challenge: string; code: string }, origin: RequestOrigin): Promise<LoginResult & RecoveryCodes> {
    const { pending, row } = await this.takePending(input.challenge, 'enrol');
    const secret = this.totp.decrypt(pending.secret as string);
    const step = await this.totp.check(secret, input.code);
    if (step === null) await this.wrongCode(input.challenge, pending, row, origin);
    const codes = await this.enrol(row, secret, step as number, origin);
    return { ...(await this.startSession(row, origin, 'enrolment')), recoveryCodes: codes };
  }

  async secondFactorStatus(actor: Actor): Promise<SecondFactorStatus> {
    const sf = await this.secondFactorOf(actor.userId);
    return {
      enrolled: Boolean(sf.secret), required: secondFactorRequired(actor.orgKind, actor.roles),
      enrolledAt: sf.enrolled_at ? new Date(sf.enrolled_at).toISOString() : null, recoveryCodesLeft: sf.secret ? sf.recovery_left : 0,
    };
  }

  /** A signed-in user without a second factor starts an enrolment (optional for operator users). */
  async startEnrolment(actor: Actor): Promise<TotpEnrolment> {
    if ((await this.secondFactorOf(actor.userId)).secret) throw new ProblemException(409, 'second_factor_enrolled');
    const secret = this.totp.newSecret();
    await this.redis.set(this.enrolKey(actor.userId), this.totp.encrypt(secret), 'EX', ENROLMENT_SECONDS);
    return this.totp.enrolment(actor.username, secret);
  }

  async confirmEnrolment(actor: Actor, code: string): Promise<RecoveryCodes> {
    const stored = await this.redis.get(this.enrolKey(actor.userId));
    if (!stored) throw new ProblemException(409, 'second_factor_enrolment_missing');
    const row = await this.requireRow(actor.username);
    await this.refuseIfLocked(row);
    const secret = this.totp.decrypt(stored);
    const step = await this.totp.check(secret, code);
    if (step === null) await this.wrongSignedInCode(row, actor);
    const codes = await this.enrol(row, secret, step as number, actor.origin ?? {});
    await this.redis.del(this.enrolKey(actor.userId));
    return { recoveryCodes: codes };
  }

  /** New recovery codes (the old ones stop working), confirmed with a current code. */
  async regenerateRecoveryCodes(actor: Actor, code: string): Promise<RecoveryCodes> {
    const row = await this.requireRow(actor.username);
    await this.refuseIfLocked(row);
    const sf = await this.secondFactorOf(row.id);
    if (!sf.secret) throw new ProblemException(409, 'second_factor_not_enrolled');
    const step = await this.totp.check(this.totp.decrypt(sf.secret), code);
    if (step === null || !(await this.useStep(row.id, step))) await this.wrongSignedInCode(row, actor);
    const { codes, hashes } = this.totp.recoveryCodes();
    await this.db.run(actor, async (em) => {
      const [{ ok }] = await em.query('SELECT auth_totp_set_recovery($1, $2) AS ok', [actor.userId, hashes]);
      if (!ok) throw new ProblemException(409, 'second_factor_not_enrolled');
      await this.audit.record(em, actor, { action: 'user.second_factor_recovery_codes', subjectType: 'User', subjectId: actor.userId, tenantId: row.tenant_id, regionCode: row.org_region, summary: { count: codes.length } });
    });
    return { recoveryCodes: codes };
  }

  me(session: SessionData, expiresAt: number): Me {
    const a = session.actor;
    return {
      id: a.userId, username: a.username, displayName: session.displayName, roles: a.roles, org: session.org,
      tenantId: a.tenantId ?? null, regionPrefix: a.regionPrefix ?? null, marketIds: a.marketIds,
      rules: defineAbilityFor(a as Actor).rules, csrfToken: session.csrf, sessionExpiresAt: new Date(expiresAt).toISOString(),
    };
  }

  async logout(actor: Actor): Promise<void> {
    if (actor.sessionId) await this.sessions.revoke(actor.sessionId, actor.userId);
    await this.db.run(actor, (em) => this.audit.record(em, actor, { action: 'auth.logout', subjectType: 'User', subjectId: actor.userId, regionCode: actor.regionPrefix || null }));
  }

  async revokeAll(actor: Actor): Promise<number> {
    const n = await this.sessions.revokeAll(actor.userId);
    await this.db.run(actor, (em) => this.audit.record(em, actor, { action: 'auth.revoke_all', subjectType: 'User', subjectId: actor.userId, summary: { sessions: n } }));
    return n;
  }

  /**
   * Change own password. Wrong current passwords count towards the same per-account lockout as
   * sign-in (a stolen session cannot guess the password without limit).
   */
  async changePassword(actor: Actor, current: string, next: string): Promise<void> {
    const row = await this.requireRow(actor.username);
    await this.refuseIfLocked(row);
    const h = await this.db.run(actor, async (em) => (await em.query('SELECT auth_password_hash($1) AS h', [actor.userId]))[0]?.h as string | null);
    if (!(await this.passwords.verify(h ?? null, current))) {
      const locked = await this.countFailure(row);
      await this.recordFor(actor, row, 'user.change_password.failure', { reason: 'wrong_password', locked });
      if (locked) throw this.failure(true);
      throw new ProblemException(400, 'validation_failed', [{ field: 'currentPassword', key: 'wrong_password' }]);
    }
    const problem = this.passwords.problem(next, actor.username);
    if (problem) throw new ProblemException(400, 'validation_failed', [{ field: 'newPassword', key: problem }]);
    const hash = await this.passwords.hash(next);
    await this.db.run(actor, async (em) => {
      await em.query('UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now() WHERE id = $1', [actor.userId, hash]);
      await this.audit.record(em, actor, { action: 'user.change_password', subjectType: 'User', subjectId: actor.userId });
    });
    // Every other session of this user ends; the caller signs in again.
    await this.sessions.revokeAll(actor.userId);
  }

  // ---- internals ----

  private async findUser(username: string): Promise<UserRow | undefined> {
    return ((await this.ds.query('SELECT * FROM auth_find_user($1)', [username])) as UserRow[])[0];
  }

  private async requireRow(username: string): Promise<UserRow> {
    const row = await this.findUser(username);
    if (!row) throw new ProblemException(401, 'unauthorized');
    return row;
  }

  private dbLocked(row: UserRow): boolean {
    return Boolean(row.locked_until && new Date(row.locked_until) > new Date());
  }

  private failure(locked: boolean): ProblemException {
    return new ProblemException(locked ? 423 : 401, locked ? 'account_locked' : 'invalid_credentials');
  }

  /** Count a failure for a known user in the database and in Redis; true when the account is now locked. */
  private async countFailure(row: UserRow): Promise<boolean> {
    const [{ until }] = await this.ds.query('SELECT auth_login_failed($1, $2, $3) AS until', [row.id, this.config.LOGIN_MAX_FAILURES, this.config.LOCKOUT_MINUTES]);
    const redisLocked = await this.throttle.fail(row.username);
    return Boolean(until && new Date(until) > new Date()) || redisLocked;
  }

  private async refuseIfLocked(row: UserRow): Promise<void> {
    if (this.dbLocked(row) || (await this.throttle.locked(row.username))) throw this.failure(true);
  }

  private refuseDemoSecret(username: string, secret: string): void {
    if (this.totp.refused(username, secret)) throw new ProblemException(403, 'second_factor_demo_secret');
  }

  private async secondFactorOf(userId: string): Promise<SecondFactorRow> {
    const [sf] = (await this.ds.query('SELECT * FROM auth_second_factor($1)', [userId])) as SecondFactorRow[];
    return sf ?? { secret: null, enrolled_at: null, last_step: null, recovery_left: 0 };
  }

  /** Accept a time step once (a conditional UPDATE: a replayed or raced code finds it already used). */
  private async useStep(userId: string, step: number): Promise<boolean> {
    const [{ ok }] = await this.ds.query('SELECT auth_totp_use_step($1, $2) AS ok', [userId, step]);
    return ok === true;
  }

  private pendingKey(challenge: string) { return `${this.config.REDIS_PREFIX}:mfa:${sha256(challenge)}`; }
  private enrolKey(userId: string) { return `${this.config.REDIS_PREFIX}:mfa-enrol:${userId}`; }

  private async challenge(row: UserRow, kind: 'totp' | 'enrol', secret?: string): Promise<SecondFactorChallenge> {
    const challenge = this.totp.challengeToken();
    const pending: Pending = { userId: row.id, username: row.username, kind, ...(secret ? { secret: this.totp.encrypt(secret) } : {}) };
    await this.redis.set(this.pendingKey(challenge), JSON.stringify(pending), 'EX', CHALLENGE_SECONDS);
    return {
      secondFactor: kind, challenge, expiresAt: new Date(Date.now() + CHALLENGE_SECONDS * 1000).toISOString(),
      ...(secret ? { enrolment: await this.totp.enrolment(row.username, secret) } : {}),
    };
  }

  /**
   * Take a pending challenge (GETDEL: two requests with one challenge cannot both pass) and re-read
   * its user, who may have been locked, disabled or reset meanwhile.
   */
  private async takePending(challenge: string, kind: Pending['kind']): Promise<{ pending: Pending; row: UserRow }> {
    const raw = await this.redis.getdel(this.pendingKey(challenge));
    const pending = raw ? (JSON.parse(raw) as Pending) : null;
    if (!pending || pending.kind !== kind) throw new ProblemException(401, 'second_factor_expired');
    const row = await this.findUser(pending.username);
    if (!row || row.id !== pending.userId || row.status !== 'active') throw new ProblemException(401, 'second_factor_expired');
    await this.refuseIfLocked(row);
    return { pending, row };
  }

  /** A wrong code: counted towards the lockout; the challenge stays usable until it expires or the account locks. */
  private async wrongCode(challenge: string, pending: Pending, row: UserRow, origin: RequestOrigin): Promise<never> {
    const locked = await this.countFailure(row);
    await this.recordFor(this.actorOf(row, origin), row, 'auth.login.failure', { reason: 'wrong_second_factor', locked });
    if (!locked) await this.redis.set(this.pendingKey(challenge), JSON.stringify(pending), 'EX', CHALLENGE_SECONDS);
    if (locked) throw this.failure(true);
    throw new ProblemException(401, 'invalid_second_factor');
  }

  private async wrongSignedInCode(row: UserRow, actor: Actor): Promise<never> {
    const locked = await this.countFailure(row);
    await this.recordFor(actor, row, 'user.second_factor.failure', { locked });
    if (locked) throw this.failure(true);
    throw new ProblemException(400, 'validation_failed', [{ field: 'code', key: 'invalid_second_factor' }]);
  }

  private async enrol(row: UserRow, secret: string, step: number, origin: RequestOrigin): Promise<string[]> {
    const { codes, hashes } = this.totp.recoveryCodes();
    const [{ ok }] = await this.ds.query('SELECT auth_totp_enrol($1, $2, $3, $4) AS ok', [row.id, this.totp.encrypt(secret), step, hashes]);
    if (!ok) throw new ProblemException(409, 'second_factor_enrolled');
    await this.recordFor(this.actorOf(row, origin), row, 'user.second_factor_enrol', {});
    return codes;
  }

  private async startSession(row: UserRow, origin: RequestOrigin, secondFactor: 'totp' | 'recovery_code' | 'enrolment' | null): Promise<LoginResult> {
    await this.ds.query('SELECT auth_login_succeeded($1)', [row.id]);
    await this.throttle.clear(row.username);
    const actor = this.actorOf(row, origin);
    const { origin: _origin, ...stored } = actor;
    const created = await this.sessions.create({
      actor: stored,
      displayName: row.display_name,
      org: { id: row.org_id, kind: row.org_kind, name: row.org_name, regionCode: row.org_region, status: row.org_status },
      ip: origin.ip, userAgent: origin.userAgent,
    });
    await this.recordFor({ ...actor, sessionId: created.id }, row, 'auth.login.success', secondFactor ? { secondFactor } : {});
    return {
      token: created.token, csrfToken: created.session.csrf, expiresAt: new Date(created.expiresAt).toISOString(),
      user: this.me(created.session, created.expiresAt),
    };
  }

  private actorOf(row: UserRow, origin: RequestOrigin): Actor {
    const authority = row.org_kind === 'province' || row.org_kind === 'city' || row.org_kind === 'county';
    return {
      userId: row.id, username: row.username, orgId: row.org_id, orgKind: row.org_kind,
      tenantId: row.tenant_id ?? undefined,
      regionPrefix: authority && regionLevel(row.org_region) ? row.org_region : row.org_kind === 'platform' ? '' : undefined,
      marketIds: row.market_ids ?? [], roles: row.roles,
      readOnly: row.org_kind === 'operator' && row.org_status === 'exited' ? true : undefined,
      origin,
    };
  }

  private recordFor(actor: Actor, row: UserRow, action: string, summary: Record<string, unknown>) {
    return this.db.run(actor, (em) => this.audit.record(em, actor, {
      action, subjectType: 'User', subjectId: row.id, summary, tenantId: row.tenant_id, regionCode: row.org_region,
    }));
  }

  private recordAnonymous(action: string, summary: Record<string, unknown>, origin: RequestOrigin) {
    const anon: Actor = { userId: '', username: '', orgId: '', orgKind: 'operator', marketIds: [], roles: [], origin };
    return this.db.run(anon, (em) => this.audit.record(em, null, { action, summary, tenantId: null, origin }));
  }
}
