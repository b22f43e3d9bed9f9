import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  marketNameProblem, marketQuerySchema, regionWithin,
  type Actor, type MarketOperationsInput, type MarketView, type Overview, type Page, type RegisterMarketInput,
  type UpdateMarketRegistrationInput,
} from '@linggong/domain';
import { ProblemException, TenantDb, applyAccess, asSystem, newId, paginate, requireAccess, unprocessable, containsPattern } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { OrganisationsService, RegionsService } from '@linggong/api-tenancy';
import { MarketEntity } from './market.entity';
import { MarketDirectoryService } from './market-directory.service';
import { AssignmentCovers } from './assignment-covers';

const LIST_COLUMNS = { id: 'm.id', tenantId: 'm.tenant_id', regionCode: 'm.region_code' };
const ROW_COLUMNS = { id: 'id', tenantId: 'tenant_id', regionCode: 'region_code' };

/** Market registry (issue 2 §3): registered by the county, run by the operator. */
@Injectable()
export class MarketsService implements OnModuleInit {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly orgs: OrganisationsService,
    private readonly directory: MarketDirectoryService,
    private readonly covers: AssignmentCovers,
  ) {}

  /** The audit log shows markets by name (issue 17 §4). */
  onModuleInit(): void {
    this.audit.registerSubjectNames('Market', (em, _reader, ids) => this.directory.names(em, ids));
  }

  list(actor: Actor, query: z.infer<typeof marketQuerySchema>): Promise<Page<MarketView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.getRepository(MarketEntity).createQueryBuilder('m');
      if (!applyAccess(qb, actor, 'read', 'Market', LIST_COLUMNS)) return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
      if (query.regionCode) qb.andWhere('m.region_code LIKE :rc', { rc: `${query.regionCode}%` });
      if (query.operatorId) qb.andWhere('m.tenant_id = :op', { op: query.operatorId });
      if (query.status) qb.andWhere('m.status = :st', { st: query.status });
      if (query.q) qb.andWhere('(m.name ILIKE :q OR m.address ILIKE :q)', { q: containsPattern(query.q) });
      const page = await paginate(qb, query, { name: 'm.name', createdAt: 'm.created_at', regionCode: 'm.region_code', status: 'm.status' }, 'regionCode', (r) => r);
      return { ...page, items: await this.views(em, page.items) };
    });
  }

  get(actor: Actor, id: string): Promise<MarketView> {
    return this.db.run(actor, async (em) => {
      await requireAccess(em, actor, 'read', 'Market', 'markets', ROW_COLUMNS, [id]);
      return (await this.views(em, [await em.getRepository(MarketEntity).findOneByOrFail({ id })]))[0];
    });
  }

  register(actor: Actor, input: RegisterMarketInput): Promise<MarketView> {
    return this.db.run(actor, async (em) => {
      if (!(await this.regions.exists(em, input.regionCode))) throw unprocessable('region_not_found', 'regionCode');
      if (actor.orgKind !== 'platform' && !regionWithin(input.regionCode, actor.regionPrefix)) throw unprocessable('region_outside_scope', 'regionCode');
      await this.checkOperator(em, input.operatorId);
      // Issue 15 §1 (R-A3): an operator runs a market only under a live contract that lists it, and no contract can list
      // a market before it exists: a market is registered without an operator, listed on the contract, then assigned.
      if (input.operatorId) throw new ProblemException(422, 'market_not_covered_new', [{ field: 'operatorId', key: 'market_not_covered_new' }]);
      const now = new Date();
      const row = Object.assign(new MarketEntity(), {
        id: newId(), tenantId: input.operatorId, regionCode: input.regionCode, name: input.name, type: input.type,
        nature: input.nature, mode: input.mode, status: input.status, address: input.address ?? null,
        longitude: input.longitude ?? null, latitude: input.latitude ?? null, openingHours: input.openingHours ?? null,
        contacts: input.contacts ?? [], hotline: input.hotline ?? null, occupations: input.occupations ?? [],
        registeredBy: actor.userId, createdAt: now, updatedAt: now,
      });
      await em.createQueryBuilder().insert().into(MarketEntity).values(row as never).updateEntity(false).execute();
      await this.audit.record(em, actor, { action: 'market.register', subjectType: 'Market', subjectId: row.id, tenantId: row.tenantId, regionCode: row.regionCode, summary: { after: input } });
      return (await this.views(em, [row]))[0];
    });
  }

  updateRegistration(actor: Actor, id: string, input: UpdateMarketRegistrationInput): Promise<MarketView> {
    return this.db.run(actor, async (em) => {
      // The market row is locked first: two assignments of it at once run one after the other.
      await requireAccess(em, actor, 'register', 'Market', 'markets', ROW_COLUMNS, [id], { lock: true });
      if (input.operatorId) {
        const [m] = await em.query<{ tenant_id: string | null; region_code: string }[]>('SELECT tenant_id, region_code FROM markets WHERE id = $1', [id]);
        // A new operator needs a live contract of its in the county that lists the market (issue 15 §1, R-A3); the cover
        // locks the contract row it found (FOR SHARE) until this transaction ends, so an amendment dropping the market waits.
        if (m.tenant_id !== input.operatorId) {
          // An operator new to the county is not visible to it yet (organisations' RLS: served regions); covered by a
          // contract the county recorded, it is read as the system.
          const covered = await this.covers.isCovered(em, { marketId: id, operatorId: input.operatorId, regionCode: m.region_code });
          await (covered ? asSystem(em, actor, () => this.checkOperator(em, input.operatorId ?? null)) : this.checkOperator(em, input.operatorId));
          if (!covered) throw new ProblemException(422, 'market_not_covered', [{ field: 'operatorId', key: 'market_not_covered' }]);
        }
      }
      const { operatorId, ...rest } = input;
      return this.change(em, actor, id, { ...rest, ...(operatorId !== undefined ? { tenantId: operatorId } : {}) }, 'market.update_registration');
    });
  }

  updateOperations(actor: Actor, id: string, input: MarketOperationsInput): Promise<MarketView> {
    return this.db.run(actor, async (em) => {
      await requireAccess(em, actor, 'operate', 'Market', 'markets', ROW_COLUMNS, [id], { lock: true });
      return this.change(em, actor, id, input, 'market.update_operations');
    });
  }

  /** Home-page figures for the caller's scope (issue 2 §8), read under the same ability and RLS. */
  overview(actor: Actor): Promise<Overview> {
    return this.db.run(actor, async (em) => {
      const qb = em.getRepository(MarketEntity).createQueryBuilder('m');
      const markets = applyAccess(qb, actor, 'read', 'Market', LIST_COLUMNS) ? await qb.orderBy('m.region_code').addOrderBy('m.name').getMany() : [];
      const views = await this.views(em, markets);
      const opsPage = await this.orgs.list(actor, { page: 1, pageSize: 200, kind: 'operator' });
      const users: [{ n: string }] = await em.query('SELECT count(*)::text AS n FROM users');
      const byStatus = new Map<string, number>();
      const byCounty = new Map<string, { regionName: string | null; count: number }>();
      for (const m of views) {
        byStatus.set(m.status, (byStatus.get(m.status) ?? 0) + 1);
        const c = byCounty.get(m.regionCode) ?? { regionName: m.regionName, count: 0 };
        c.count++;
        byCounty.set(m.regionCode, c);
      }
      const scopeRegion = actor.regionPrefix || null;
      const names = await this.regions.names(em, scopeRegion ? [scopeRegion] : []);
      return {
        scope: { kind: actor.orgKind, regionCode: scopeRegion, regionName: scopeRegion ? (names.get(scopeRegion) ?? null) : null, tenantId: actor.tenantId ?? null },
        totals: { operators: opsPage.total, markets: views.length, openMarkets: byStatus.get('open') ?? 0, users: Number(users[0].n) },
        marketsByStatus: [...byStatus].map(([status, count]) => ({ status: status as MarketView['status'], count })),
        marketsByCounty: [...byCounty].map(([regionCode, v]) => ({ regionCode, ...v })),
        operators: opsPage.items.map((o) => ({
          id: o.id, name: o.name, status: o.status, marketCount: views.filter((m) => m.operatorId === o.id).length,
          counties: [...new Set(views.filter((m) => m.operatorId === o.id).map((m) => m.regionName ?? m.regionCode))],
        })),
        markets: views.map((m) => ({ id: m.id, name: m.name, regionName: m.regionName, operatorName: m.operatorName, status: m.status })),
      };
    });
  }

  private async change(em: EntityManager, actor: Actor, id: string, changes: Partial<MarketEntity>, action: string): Promise<MarketView> {
    const repo = em.getRepository(MarketEntity);
    const before = await repo.findOneByOrFail({ id });
    const next = { ...before, ...changes };
    // The name rule depends on the type (R-A4): re-check when either changes.
    if (changes.name !== undefined || changes.type !== undefined) {
      const p = marketNameProblem(next.name, next.type);
      if (p) throw unprocessable(`market_name_${p}`, 'name');
    }
    const diff = Object.fromEntries(Object.entries(changes).filter(([k, v]) => v !== undefined && JSON.stringify((before as unknown as Record<string, unknown>)[k]) !== JSON.stringify(v)));
    if (Object.keys(diff).length) {
      await repo.update({ id }, { ...diff, updatedAt: new Date() } as never);
      await this.audit.record(em, actor, {
        action, subjectType: 'Market', subjectId: id, tenantId: next.tenantId ?? before.tenantId, regionCode: before.regionCode,
        summary: { before: Object.fromEntries(Object.keys(diff).map((k) => [k, (before as unknown as Record<string, unknown>)[k]])), after: diff },
      });
    }
    return (await this.views(em, [await repo.findOneByOrFail({ id })]))[0];
  }

  private async checkOperator(em: EntityManager, operatorId: string | null) {
    if (!operatorId) return;
    const org = await this.orgs.findVisible(em, operatorId);
    if (!org || org.kind !== 'operator') throw unprocessable('operator_not_found', 'operatorId');
    if (org.status === 'exited') throw new ProblemException(422, 'validation_failed', [{ field: 'operatorId', key: 'read_only_tenant' }]);
  }

  private async views(em: EntityManager, rows: MarketEntity[]): Promise<MarketView[]> {
    const names = await this.regions.names(em, rows.map((r) => r.regionCode));
    const opIds = [...new Set(rows.map((r) => r.tenantId).filter((x): x is string => Boolean(x)))];
    const ops: { id: string; name: string }[] = opIds.length ? await em.query('SELECT id, name FROM organisations WHERE id = ANY($1::uuid[])', [opIds]) : [];
    const opNames = new Map(ops.map((o) => [o.id, o.name]));
    return rows.map((r) => ({
      id: r.id, name: r.name, type: r.type, nature: r.nature, mode: r.mode, status: r.status, regionCode: r.regionCode,
      regionName: names.get(r.regionCode) ?? null, operatorId: r.tenantId, operatorName: r.tenantId ? (opNames.get(r.tenantId) ?? null) : null,
      address: r.address, longitude: r.longitude, latitude: r.latitude, openingHours: r.openingHours, contacts: r.contacts,
      hotline: r.hotline, occupations: r.occupations, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
    }));
  }
}
