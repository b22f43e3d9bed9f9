import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  createOrganisationSchema, maskPhone, organisationQuerySchema, updateOrganisationSchema, regionWithin,
  type Actor, type OrganisationView, type Page,
} from '@linggong/domain';
import { ProblemException, TenantDb, afterCommit, applyAccess, asSystem, newId, notFound, paginate, requireAccess, unprocessable, containsPattern } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { SessionService } from '@linggong/api-identity';
import { OrganisationEntity } from './entities';
import { RegionsService } from './regions.service';
import { MARKET_DIRECTORY, type MarketDirectory } from './market-directory';

const LIST_COLUMNS = { id: 'o.id', tenantId: 'o.id', regionCode: 'o.region_code', servedRegions: '[]o.served_regions' };
const ROW_COLUMNS = { id: 'id', tenantId: 'id', regionCode: 'region_code', servedRegions: '[]served_regions' };

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly db: TenantDb,
    private readonly regions: RegionsService,
    private readonly audit: AuditService,
    private readonly sessions: SessionService,
    @Inject(MARKET_DIRECTORY) private readonly markets: MarketDirectory,
  ) {}

  list(actor: Actor, query: z.infer<typeof organisationQuerySchema>): Promise<Page<OrganisationView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.getRepository(OrganisationEntity).createQueryBuilder('o');
      if (!applyAccess(qb, actor, 'read', 'Organisation', LIST_COLUMNS)) return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
      if (query.kind) qb.andWhere('o.kind = :kind', { kind: query.kind });
      if (query.regionCode) qb.andWhere('(o.region_code LIKE :rc OR EXISTS (SELECT 1 FROM unnest(o.served_regions) r WHERE r LIKE :rc))', { rc: `${query.regionCode}%` });
      if (query.q) qb.andWhere('o.name ILIKE :q', { q: containsPattern(query.q) });
      const page = await paginate(qb, query, { name: 'o.name', createdAt: 'o.created_at', kind: 'o.kind' }, 'name', (r) => r);
      return { ...page, items: await this.views(em, page.items) };
    });
  }

  get(actor: Actor, id: string): Promise<OrganisationView> {
    return this.db.run(actor, async (em) => {
      await requireAccess(em, actor, 'read', 'Organisation', 'organisations', ROW_COLUMNS, [id]);
      const row = await em.getRepository(OrganisationEntity).findOneByOrFail({ id });
      return (await this.views(em, [row]))[0];
    });
  }

  /** The contact's full mobile number (issue 12 §10); every reveal is an audit event (DESIGN.md "Personal data"). */
  revealContact(actor: Actor, id: string): Promise<{ contactPhone: string | null }> {
    return this.db.run(actor, async (em) => {
      await requireAccess(em, actor, 'reveal', 'Organisation', 'organisations', ROW_COLUMNS, [id]);
      const org = await em.getRepository(OrganisationEntity).findOneByOrFail({ id });
      await this.audit.record(em, actor, {
        action: 'personal_data.reveal', subjectType: 'Organisation', subjectId: id,
        tenantId: org.kind === 'operator' ? id : null, regionCode: org.regionCode, summary: { field: 'contactPhone' },
      });
      return { contactPhone: org.contactPhone };
    });
  }

  /** Within a caller's transaction: a visible organisation or undefined (RLS applies). */
  findVisible(em: EntityManager, id: string): Promise<OrganisationEntity | null> {
    return em.getRepository(OrganisationEntity).findOne({ where: { id } });
  }

  create(actor: Actor, input: z.infer<typeof createOrganisationSchema>): Promise<OrganisationView> {
    return this.db.run(actor, async (em) => {
      if (!(await this.regions.exists(em, input.regionCode))) throw unprocessable('region_not_found', 'regionCode');
      if (actor.orgKind !== 'platform' && !regionWithin(input.regionCode, actor.regionPrefix)) throw unprocessable('region_outside_scope', 'regionCode');
      const now = new Date();
      const row = Object.assign(new OrganisationEntity(), {
        id: newId(), kind: input.kind, name: input.name, regionCode: input.regionCode, creditCode: input.creditCode ?? null,
        contactName: input.contactName ?? null, contactPhone: input.contactPhone ?? null, status: 'active' as const,
        servedRegions: [], createdAt: now, updatedAt: now,
      });
      await em.getRepository(OrganisationEntity).insert(row);
      await this.audit.record(em, actor, {
        action: 'organisation.create', subjectType: 'Organisation', subjectId: row.id,
        tenantId: row.kind === 'operator' ? row.id : null, regionCode: row.regionCode, summary: { after: input },
      });
      return (await this.views(em, [row]))[0];
    });
  }

  async update(actor: Actor, id: string, input: z.infer<typeof updateOrganisationSchema>): Promise<OrganisationView> {
    const result = await this.db.run(actor, async (em) => {
      await requireAccess(em, actor, 'update', 'Organisation', 'organisations', ROW_COLUMNS, [id], { lock: true });
      const repo = em.getRepository(OrganisationEntity);
      const before = await repo.findOneByOrFail({ id });
      // An operator leaves only through an exit case (issue 16 §4, R-F1: county proposal, city approval, handover,
      // archive) and an archived one stays read-only for good: its status is not an edit, not even the platform's.
      if (input.status !== undefined && input.status !== before.status) throw new ProblemException(409, 'exit_through_case');
      const changes = Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== undefined && (before as unknown as Record<string, unknown>)[k] !== v));
      if (Object.keys(changes).length) {
        await repo.update({ id }, { ...changes, updatedAt: new Date() });
        await this.audit.record(em, actor, {
          action: 'organisation.update',
          subjectType: 'Organisation', subjectId: id, tenantId: before.kind === 'operator' ? id : null, regionCode: before.regionCode,
          summary: { before: pick(before, Object.keys(changes)), after: changes },
        });
      }
      return (await this.views(em, [await repo.findOneByOrFail({ id })]))[0];
    });
    return result;
  }

  /**
   * An operator's lifecycle step taken by an exit case (issue 16 §4, R-F1), in the caller's transaction: active →
   * exiting (no new business) → exited (archived, read-only). The organisations' policy lets only the platform write, so
   * the update runs under the system scope; the case has checked the actor's right to the step. On 'exited' the
   * operator's users' sessions end after the commit, so they sign in again with the read-only scope.
   */
  async setLifecycle(em: EntityManager, actor: Actor, id: string, status: 'exiting' | 'exited'): Promise<void> {
    const before = await asSystem(em, actor, async () => {
      const [rows]: [{ status: string; region_code: string }[], number] = await em.query(
        `UPDATE organisations o SET status = $2, updated_at = now() FROM (SELECT status FROM organisations WHERE id = $1 AND kind = 'operator' FOR UPDATE) old
         WHERE o.id = $1 RETURNING old.status, o.region_code`, [id, status]);
      return rows[0];
    });
    if (!before) throw notFound();
    await this.audit.record(em, actor, {
      action: status === 'exited' ? 'organisation.exit' : 'organisation.update', subjectType: 'Organisation', subjectId: id, tenantId: id,
      regionCode: before.region_code, summary: { before: { status: before.status }, after: { status } },
    });
    // An exiting operator keeps working (handover work); only the archived one signs in again, read-only.
    if (status !== 'exited') return;
    const userIds: { id: string }[] = await asSystem(em, actor, () => em.query('SELECT id FROM users WHERE org_id = $1', [id]));
    afterCommit(em, async () => {
      for (const u of userIds) await this.sessions.revokeAll(u.id);
    });
  }

  /** A market handed over to another operator (issue 16 §4): the outgoing operator's staff are no longer assigned to it. */
  async releaseMarket(em: EntityManager, actor: Actor, marketId: string): Promise<number> {
    return asSystem(em, actor, async () => {
      const res: [unknown, number] = await em.query('DELETE FROM user_markets WHERE market_id = $1', [marketId]);
      return Number(res[1] ?? 0);
    });
  }

  private async views(em: EntityManager, rows: OrganisationEntity[]): Promise<OrganisationView[]> {
    const names = await this.regions.names(em, rows.map((r) => r.regionCode));
    const counts = await this.markets.countByOperator(em, rows.filter((r) => r.kind === 'operator').map((r) => r.id));
    return rows.map((r) => ({
      id: r.id, kind: r.kind, name: r.name, regionCode: r.regionCode, regionName: names.get(r.regionCode) ?? null,
      // Masked like every phone in a list or page (DESIGN.md "Personal data"); revealContact gives the full number.
      creditCode: r.creditCode, contactName: r.contactName, contactPhone: maskPhone(r.contactPhone), status: r.status,
      marketCount: counts.get(r.id) ?? 0, createdAt: r.createdAt.toISOString(),
    }));
  }
}

function pick(o: object, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, (o as Record<string, unknown>)[k]]));
}
