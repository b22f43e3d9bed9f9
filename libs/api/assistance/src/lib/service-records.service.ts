import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { serviceQuerySchema, type Actor, type Page, type ServiceKind, type ServiceRecordInput, type ServiceRecordView } from '@linggong/domain';
import { TenantDb, applyAccess, assertAccess, newId, notFound, unprocessable } from '@linggong/api-core';
import { FactsService } from '@linggong/api-ledger';
import { MarketDirectoryService } from '@linggong/api-markets';
import { RegistryDirectoryService } from '@linggong/api-registry';
import { AssistanceService } from './assistance.service';

type Row = Record<string, unknown>;

/**
 * Service records (R-B12, R-B14): vocational guidance, policy consultation, labour-contract
 * guidance, rights guidance and accident-insurance information, each a short record against one
 * worker or one employer, taken at a market. Each appends a `guidance` work-log entry; vocational
 * guidance also counts toward an open assistance plan's package (R-B9).
 */
@Injectable()
export class ServiceRecordsService {
  constructor(
    private readonly db: TenantDb,
    private readonly facts: FactsService,
    private readonly markets: MarketDirectoryService,
    private readonly registry: RegistryDirectoryService,
    private readonly assistance: AssistanceService,
  ) {}

  create(actor: Actor, marketId: string, input: ServiceRecordInput): Promise<ServiceRecordView> {
    return this.db.run(actor, async (em) => {
      const m = await this.markets.scopeOf(em, marketId);
      if (!m) throw notFound();
      assertAccess(actor, 'read', 'Market', { id: marketId, tenantId: m.tenantId, regionCode: m.regionCode });
      assertAccess(actor, 'create', 'ServiceRecord', { marketId, tenantId: m.tenantId, regionCode: m.regionCode });
      if (Date.parse(input.occurredAt) > Date.now() + 60_000) throw unprocessable('ledger_future_time', 'occurredAt');
      // The party must be the operator's own (RLS hides the others; a stranger's id reads as unknown).
      if (input.workerId) {
        const w = await this.registry.worker(em, input.workerId);
        if (!w || w.tenantId !== m.tenantId) throw unprocessable('not_found', 'workerId');
      } else {
        const e = await this.registry.employer(em, String(input.employerId));
        if (!e || e.tenantId !== m.tenantId) throw unprocessable('not_found', 'employerId');
      }
      const id = newId();
      await em.query(
        `INSERT INTO service_records (id, tenant_id, market_id, region_code, kind, worker_id, employer_id, occurred_at, channel, summary, outcome, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [id, m.tenantId, marketId, m.regionCode, input.kind, input.workerId ?? null, input.employerId ?? null, input.occurredAt, input.channel,
          input.summary, input.outcome, actor.userId]);
      const party = input.workerId ? { party: 'worker', workerId: input.workerId } : { party: 'employer', employerId: input.employerId };
      await this.facts.record(em, actor, { marketId, kind: 'guidance', subjectType: 'ServiceRecord', subjectId: id, payload: { serviceRecordId: id, service: input.kind, channel: input.channel, occurredAt: new Date(input.occurredAt).toISOString(), ...party } });
      if (input.kind === 'vocational_guidance' && input.workerId) {
        const plans = (await em.query(`SELECT id FROM assistance_plans WHERE worker_id = $1 AND status = 'active'`, [input.workerId])).map((r: Row) => String(r['id']));
        if (plans.length) await this.assistance.refreshPlans(em, actor, plans);
      }
      const [row] = await em.query('SELECT * FROM service_records WHERE id = $1', [id]);
      return (await this.views([row], em))[0];
    });
  }

  list(actor: Actor, q: z.infer<typeof serviceQuerySchema>): Promise<Page<ServiceRecordView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('service_records', 's');
      if (!applyAccess(qb, actor, 'read', 'ServiceRecord', { tenantId: 's.tenant_id', regionCode: 's.region_code', marketId: 's.market_id' })) {
        return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      }
      if (q.marketId) qb.andWhere('s.market_id = :market', { market: q.marketId });
      if (q.workerId) qb.andWhere('s.worker_id = :worker', { worker: q.workerId });
      if (q.employerId) qb.andWhere('s.employer_id = :employer', { employer: q.employerId });
      if (q.kind) qb.andWhere('s.kind = :kind', { kind: q.kind });
      const total = await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>();
      const rows = await qb.select('s.*').orderBy('s.occurred_at', 'DESC').addOrderBy('s.id').offset((q.page - 1) * q.pageSize).limit(q.pageSize).getRawMany<Row>();
      return { items: await this.views(rows, em), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
    });
  }

  private async views(rows: Row[], em: import('typeorm').EntityManager): Promise<ServiceRecordView[]> {
    const workers = await this.registry.workersWaiting(em, [...new Set(rows.map((r) => r['worker_id']).filter(Boolean).map(String))]);
    const employerNames = new Map<string, string>();
    for (const id of new Set(rows.map((r) => r['employer_id']).filter(Boolean).map(String))) {
      employerNames.set(id, (await this.registry.employer(em, id))?.name ?? '');
    }
    return rows.map((r) => ({
      id: String(r['id']), tenantId: String(r['tenant_id']), marketId: String(r['market_id']), kind: r['kind'] as ServiceKind,
      workerId: (r['worker_id'] as string) ?? null, employerId: (r['employer_id'] as string) ?? null,
      partyName: r['worker_id'] ? (workers.get(String(r['worker_id']))?.name ?? '') : (employerNames.get(String(r['employer_id'])) ?? ''),
      occurredAt: new Date(r['occurred_at'] as string).toISOString(), channel: String(r['channel']), summary: String(r['summary']),
      outcome: String(r['outcome']), createdBy: (r['created_by'] as string) ?? null, createdAt: new Date(r['created_at'] as string).toISOString(),
    }));
  }
}
