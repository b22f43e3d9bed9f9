import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  defineAbilityFor, passwordProblem, regionLevel, type Actor, type LoginInput, type LoginResult, type Me, type OrgKind, type Role,
} from '@linggong/domain';
import { APP_CONFIG, ProblemException, TenantDb, type AppConfig } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { PasswordService } from './password.service';
import { SessionService, type SessionData } from './session.service';

interface UserRow {
  id: string; username: string; display_name: string; org_id: string; tenant_id: string | null; region_code: string;
  roles: Role[]; password_hash: string; status: 'active' | 'disabled'; failed_logins: number; locked_until: Date | null;
  org_kind: OrgKind; org_name: string; org_status: 'active' | 'exited'; org_region: string; market_ids: string[];
}
export interface RequestOrigin { ip?: string; userAgent?: string; requestId?: string }

/** Sign-in with lockout, sessions, sign-out and revoke-all (issue 2 §4). */
@Injectable()
export class IdentityService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly db: TenantDb,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(input: LoginInput, origin: RequestOrigin): Promise<LoginResult> {
    const username = input.username.toLowerCase();
    const [row] = (await this.ds.query('SELECT * FROM auth_find_user($1)', [username])) as UserRow[];
    const ok = await this.passwords.verify(row?.password_hash ?? null, input.password);
    if (!row) {
      await this.recordAnonymous('auth.login.failure', { username, reason: 'unknown_user' }, origin);
      throw new ProblemException(401, 'invalid_credentials');
    }
    const actor = this.actorOf(row, origin);
    if (row.locked_until && new Date(row.locked_until) > new Date()) {
      await this.recordFor(actor, row, 'auth.login.locked', { lockedUntil: row.locked_until });
      throw new ProblemException(423, 'account_locked');
    }
    if (!ok) {
      const [{ until }] = await this.ds.query('SELECT auth_login_failed($1, $2, $3) AS until', [row.id, this.config.LOGIN_MAX_FAILURES, this.config.LOCKOUT_MINUTES]);
      const locked = until && new Date(until) > new Date();
      await this.recordFor(actor, row, 'auth.login.failure', { reason: 'wrong_password', locked: Boolean(locked) });
      throw new ProblemException(locked ? 423 : 401, locked ? 'account_locked' : 'invalid_credentials');
    }
    if (row.status !== 'active') {
      await this.recordFor(actor, row, 'auth.login.failure', { reason: 'disabled' });
      throw new ProblemException(403, 'account_disabled');
    }
    await this.ds.query('SELECT auth_login_succeeded($1)', [row.id]);
    const { origin: _origin, ...stored } = actor;
    const created = await this.sessions.create({
      actor: stored,
      displayName: row.display_name,
      org: { id: row.org_id, kind: row.org_kind, name: row.org_name, regionCode: row.org_region, status: row.org_status },
      ip: origin.ip, userAgent: origin.userAgent,
    });
    await this.recordFor({ ...actor, sessionId: created.id }, row, 'auth.login.success', {});
    return {
      token: created.token, csrfToken: created.session.csrf, expiresAt: new Date(created.expiresAt).toISOString(),
      user: this.me(created.session, created.expiresAt),
    };
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

  async changePassword(actor: Actor, current: string, next: string): Promise<void> {
    await this.db.run(actor, async (em) => {
      const [{ h }] = await em.query('SELECT auth_password_hash($1) AS h', [actor.userId]);
      if (!(await this.passwords.verify(h ?? null, current))) throw new ProblemException(400, 'validation_failed', [{ field: 'currentPassword', key: 'wrong_password' }]);
      const problem = passwordProblem(next, actor.username);
      if (problem) throw new ProblemException(400, 'validation_failed', [{ field: 'newPassword', key: problem }]);
      await em.query('UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now() WHERE id = $1', [actor.userId, await this.passwords.hash(next)]);
      await this.audit.record(em, actor, { action: 'user.change_password', subjectType: 'User', subjectId: actor.userId });
    });
    // Every other session of this user ends; the caller signs in again.
    await this.sessions.revokeAll(actor.userId);
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
