import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  missingMarkets, maskPhone, roleAllowedFor, userQuerySchema,
  type Actor, type CreateUserInput, type OrgKind, type Page, type Role, type UpdateUserInput, type UserView,
} from '@linggong/domain';
import { ProblemException, TenantDb, abilityOf, applyAccess, conflict, newId, paginate, requireAccess, unprocessable, containsPattern } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { LoginThrottle, PasswordService, SessionService } from '@linggong/api-identity';
import { OrganisationEntity, UserEntity, UserMarketEntity } from './entities';
import { MARKET_DIRECTORY, type MarketDirectory } from './market-directory';

const LIST_COLUMNS = { id: 'u.id', tenantId: 'u.tenant_id', orgId: 'u.org_id', regionCode: 'u.region_code' };
const ROW_COLUMNS = { id: 'id', tenantId: 'tenant_id', orgId: 'org_id', regionCode: 'region_code' };
/** A user's scope as `requireAccess` reads it with ROW_COLUMNS. */
type UserScope = { id: string; tenantId: string | null; orgId: string; regionCode: string };

/**
 * Users and their roles and market assignments (issue 2 §3, §5). Grants are checked against the
 * granter's own scope: an operator admin can only give operator roles, only in its own organisation,
 * only for its own markets — never more than it holds.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionService,
    private readonly throttle: LoginThrottle,
    @Inject(MARKET_DIRECTORY) private readonly markets: MarketDirectory,
  ) {}

  list(actor: Actor, query: z.infer<typeof userQuerySchema>): Promise<Page<UserView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.getRepository(UserEntity).createQueryBuilder('u');
      if (!applyAccess(qb, actor, 'read', 'User', LIST_COLUMNS)) return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
      if (query.orgId) qb.andWhere('u.org_id = :org', { org: query.orgId });
      if (query.role) qb.andWhere(':role = ANY(u.roles)', { role: query.role });
      if (query.q) qb.andWhere('(u.username ILIKE :q OR u.display_name ILIKE :q)', { q: containsPattern(query.q) });
      const page = await paginate(qb, query, { username: 'u.username', displayName: 'u.display_name', createdAt: 'u.created_at' }, 'username', (r) => r);
      return { ...page, items: await this.views(em, page.items) };
    });
  }

  get(actor: Actor, id: string): Promise<UserView> {
    return this.db.run(actor, async (em) => {
      await requireAccess(em, actor, 'read', 'User', 'users', ROW_COLUMNS, [id]);
      return (await this.views(em, [await em.getRepository(UserEntity).findOneByOrFail({ id })]))[0];
    });
  }

  create(actor: Actor, input: CreateUserInput): Promise<UserView> {
    // The common-password list lives in the API only (the shared schema checked length and username).
    const weak = this.passwords.problem(input.password, input.username);
    if (weak) return Promise.reject(new ProblemException(400, 'validation_failed', [{ field: 'password', key: weak }]));
    return this.db.run(actor, async (em) => {
      const org = await em.getRepository(OrganisationEntity).findOne({ where: { id: input.orgId } });
      if (!org) throw unprocessable('not_found', 'orgId');
      const tenantId = org.kind === 'operator' ? org.id : null;
      if (!abilityOf(actor).can('create', { __typename: 'User', tenantId, orgId: org.id, regionCode: org.regionCode })) {
        throw new ProblemException(403, actor.readOnly ? 'read_only_tenant' : 'grant_outside_scope');
      }
      await this.checkGrant(em, actor, org, input.roles, input.marketIds);
      const taken = await em.query('SELECT 1 FROM users WHERE username = $1', [input.username]).catch(() => []);
      if (taken.length) throw conflict('username_taken', 'username');
      const now = new Date();
      const user = Object.assign(new UserEntity(), {
        id: newId(), username: input.username, displayName: input.displayName, orgId: org.id, tenantId,
        regionCode: org.regionCode, roles: input.roles, phone: input.phone ?? null,
        passwordHash: await this.passwords.hash(input.password), status: 'active' as const, failedLogins: 0,
        lockedUntil: null, lastLoginAt: null, passwordChangedAt: now, createdAt: now, updatedAt: now,
      });
      await em.createQueryBuilder().insert().into(UserEntity).values(user as never).updateEntity(false).execute();
      await this.setMarkets(em, user.id, tenantId, input.marketIds);
      await this.audit.record(em, actor, {
        action: 'user.create', subjectType: 'User', subjectId: user.id, tenantId, regionCode: org.regionCode,
        summary: { after: { username: user.username, orgId: org.id, roles: user.roles, marketIds: input.marketIds } },
      });
      return (await this.views(em, [user]))[0];
    });
  }

  async update(actor: Actor, id: string, input: UpdateUserInput): Promise<UserView> {
    const out = await this.db.run(actor, async (em) => {
      await requireAccess(em, actor, 'update', 'User', 'users', ROW_COLUMNS, [id], { lock: true });
      const repo = em.getRepository(UserEntity);
      const before = await repo.findOneByOrFail({ id });
      const org = await em.getRepository(OrganisationEntity).findOneByOrFail({ id: before.orgId });
      const beforeMarkets = await this.marketIdsOf(em, [id]);
      const roles = input.roles ?? before.roles;
      const marketIds = input.marketIds ?? beforeMarkets.get(id) ?? [];
      if (input.roles || input.marketIds) await this.checkGrant(em, actor, org, roles, marketIds);
      if (id === actor.userId && (input.roles || input.status === 'disabled')) throw new ProblemException(403, 'grant_outside_scope');
      const changes: Partial<UserEntity> = {};
      if (input.displayName !== undefined) changes.displayName = input.displayName;
      if (input.phone !== undefined) changes.phone = input.phone;
      if (input.roles) changes.roles = input.roles;
      if (input.status) changes.status = input.status;
      if (Object.keys(changes).length) await repo.update({ id }, { ...changes, updatedAt: new Date() });
      if (input.marketIds) await this.setMarkets(em, id, before.tenantId, input.marketIds);
      const summary = {
        before: { ...pick(before, Object.keys(changes)), ...(input.marketIds ? { marketIds: beforeMarkets.get(id) ?? [] } : {}) },
        after: { ...changes, ...(input.marketIds ? { marketIds: input.marketIds } : {}) },
      };
      if ('phone' in summary.before) summary.before['phone'] = maskPhone(before.phone);
      if ('phone' in summary.after) (summary.after as Record<string, unknown>)['phone'] = maskPhone(input.phone);
      await this.audit.record(em, actor, { action: 'user.update', subjectType: 'User', subjectId: id, tenantId: before.tenantId, regionCode: before.regionCode, summary });
      return { view: (await this.views(em, [await repo.findOneByOrFail({ id })]))[0], scopeChanged: Boolean(input.roles || input.marketIds || input.status) };
    });
    // A changed scope takes effect at once: the user's sessions end (they carry the old abilities).
    if (out.scopeChanged) await this.sessions.revokeAll(id);
    return out.view;
  }

  async unlock(actor: Actor, id: string): Promise<void> {
    const username = await this.db.run(actor, async (em) => {
      const [row] = await requireAccess<UserScope>(em, actor, 'unlock', 'User', 'users', ROW_COLUMNS, [id], { lock: true });
      await em.getRepository(UserEntity).update({ id }, { failedLogins: 0, lockedUntil: null, updatedAt: new Date() });
      await this.audit.record(em, actor, { action: 'user.unlock', subjectType: 'User', subjectId: id, tenantId: row.tenantId, regionCode: row.regionCode });
      return (await em.getRepository(UserEntity).findOneByOrFail({ id })).username;
    });
    // The per-account failure counter in Redis too (api-identity LoginThrottle).
    await this.throttle.clear(username);
  }

  /**
   * Remove a user's second factor (lost phone): platform admin for anyone, an operator admin for its
   * own tenant's users (the `unlock` permission). Audited; the user's sessions end (if there was a
   * second factor), and a user who must have one is sent to enrolment at the next sign-in.
   */
  async resetSecondFactor(actor: Actor, id: string): Promise<void> {
    const wasEnrolled = await this.db.run(actor, async (em) => {
      const [row] = await requireAccess<UserScope>(em, actor, 'unlock', 'User', 'users', ROW_COLUMNS, [id], { lock: true });
      const [before] = await em.query('SELECT totp_enrolled_at AS "enrolledAt" FROM users WHERE id = $1', [id]);
      await em.query(`UPDATE users SET totp_secret = NULL, totp_enrolled_at = NULL, totp_last_step = NULL, totp_recovery = '{}', updated_at = now() WHERE id = $1`, [id]);
      await this.audit.record(em, actor, {
        action: 'user.second_factor_reset', subjectType: 'User', subjectId: id, tenantId: row.tenantId, regionCode: row.regionCode,
        summary: { wasEnrolled: before?.enrolledAt != null },
      });
      return before?.enrolledAt != null;
    });
    // Sessions opened with the removed factor end; a user who had none keeps theirs (nothing changed).
    if (wasEnrolled) await this.sessions.revokeAll(id);
  }

  /** The full phone number; every reveal is an audit event (DESIGN.md "Personal data"). */
  revealPhone(actor: Actor, id: string): Promise<{ phone: string | null }> {
    return this.db.run(actor, async (em) => {
      const [row] = await requireAccess<UserScope>(em, actor, 'reveal', 'User', 'users', ROW_COLUMNS, [id]);
      const user = await em.getRepository(UserEntity).findOneByOrFail({ id });
      await this.audit.record(em, actor, {
        action: 'personal_data.reveal', subjectType: 'User', subjectId: id, tenantId: row.tenantId,
        regionCode: row.regionCode, summary: { field: 'phone' },
      });
      return { phone: user.phone };
    });
  }

  private async checkGrant(em: EntityManager, actor: Actor, org: OrganisationEntity, roles: Role[], marketIds: string[]) {
    for (const role of roles) {
      if (!roleAllowedFor(role, org.kind as OrgKind)) throw unprocessable('role_org_mismatch', 'roles');
    }
    if (actor.orgKind !== 'platform') {
      // Never grant beyond one's own scope: same organisation, roles one could hold oneself.
      if (org.id !== actor.tenantId) throw new ProblemException(403, 'grant_outside_scope');
    }
    if (org.kind === 'operator' && missingMarkets(roles, marketIds)) throw unprocessable('market_roles_need_markets', 'marketIds');
    if (marketIds.length) {
      if (org.kind !== 'operator') throw unprocessable('market_not_in_tenant', 'marketIds');
      const tenants = await this.markets.tenantsOf(em, marketIds);
      if (marketIds.some((m) => tenants.get(m) !== org.id)) {
        throw new ProblemException(actor.orgKind === 'platform' ? 422 : 403, actor.orgKind === 'platform' ? 'validation_failed' : 'grant_outside_scope', [{ field: 'marketIds', key: 'market_not_in_tenant' }]);
      }
    }
  }

  private async setMarkets(em: EntityManager, userId: string, tenantId: string | null, marketIds: string[]) {
    const repo = em.getRepository(UserMarketEntity);
    await repo.delete({ userId });
    if (tenantId && marketIds.length) await repo.insert([...new Set(marketIds)].map((marketId) => ({ userId, marketId, tenantId })));
  }

  private async marketIdsOf(em: EntityManager, userIds: string[]): Promise<Map<string, string[]>> {
    const rows = userIds.length ? await em.getRepository(UserMarketEntity).createQueryBuilder('m').where('m.user_id = ANY(:ids)', { ids: userIds }).orderBy('m.market_id').getMany() : [];
    const out = new Map<string, string[]>();
    for (const r of rows) out.set(r.userId, [...(out.get(r.userId) ?? []), r.marketId]);
    return out;
  }

  private async views(em: EntityManager, rows: UserEntity[]): Promise<UserView[]> {
    const markets = await this.marketIdsOf(em, rows.map((r) => r.id));
    const orgIds = [...new Set(rows.map((r) => r.orgId))];
    const orgs: { id: string; name: string; kind: OrgKind }[] = orgIds.length ? await em.query('SELECT id, name, kind FROM organisations WHERE id = ANY($1)', [orgIds]) : [];
    const byId = new Map(orgs.map((o) => [o.id, o]));
    return rows.map((r) => ({
      id: r.id, username: r.username, displayName: r.displayName, orgId: r.orgId, orgName: byId.get(r.orgId)?.name ?? '',
      orgKind: byId.get(r.orgId)?.kind ?? 'operator', tenantId: r.tenantId, roles: r.roles, marketIds: markets.get(r.id) ?? [],
      phone: maskPhone(r.phone), status: r.status, lockedUntil: r.lockedUntil && r.lockedUntil > new Date() ? r.lockedUntil.toISOString() : null,
      lastLoginAt: r.lastLoginAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString(), secondFactor: r.totpEnrolledAt !== null && r.totpEnrolledAt !== undefined,
    }));
  }
}

function pick(o: object, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, (o as Record<string, unknown>)[k]]));
}
