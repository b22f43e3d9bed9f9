import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import {
  employerQuerySchema, maskPhone, verifyEmployerSchema,
  type Actor, type CreateEmployerInput, type EmployerView, type Page,
} from '@linggong/domain';
import { Pii, TenantDb, applyAccess, assertAccess, conflict, isoOf, lockRow, newId, notFound, scopeOf } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { FactsService } from '@linggong/api-ledger';
import { MarketDirectoryService } from '@linggong/api-markets';
import { REGISTRY_ACCESS, type EmployerViewRow } from './rows';

const COLUMNS = ['e.id AS id', 'e.tenant_id AS tenant_id', 'e.market_id AS market_id', 'e.region_code AS region_code', 'e.kind AS kind',
  'e.name AS name', 'e.credit_code AS credit_code', 'e.contact_name AS contact_name', 'e.contact_phone_masked AS contact_phone_masked',
  'e.address AS address', 'e.industry AS industry', 'e.status AS status', 'e.evidence AS evidence', 'e.verified_at AS verified_at', 'e.created_at AS created_at',
  'e.open_flags AS open_flags'];

/** Employers (用工主体): registration and verification by staff with evidence (R-B6). */
@Injectable()
export class EmployersService {
  constructor(private readonly db: TenantDb, private readonly pii: Pii, private readonly audit: AuditService, private readonly facts: FactsService, private readonly markets: MarketDirectoryService) {}

  create(actor: Actor, marketId: string, input: CreateEmployerInput): Promise<EmployerView> {
    return this.db.run(actor, async (em) => {
      const m = await this.markets.scopeOf(em, marketId);
      if (!m) throw notFound();
      assertAccess(actor, 'read', 'Market', { id: marketId, tenantId: m.tenantId, regionCode: m.regionCode });
      assertAccess(actor, 'create', 'Employer', { marketId, tenantId: m.tenantId, regionCode: m.regionCode });
      if (input.creditCode && (await em.query('SELECT 1 FROM employers WHERE tenant_id = $1 AND credit_code = $2', [m.tenantId, input.creditCode])).length) {
        throw conflict('employer_exists', 'creditCode');
      }
      const id = newId();
      await em.query(
        `INSERT INTO employers (id, tenant_id, market_id, region_code, kind, name, credit_code, contact_name, contact_phone_enc, contact_phone_masked, address, created_by, industry)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [id, m.tenantId, marketId, m.regionCode, input.kind, input.name, input.creditCode ?? null, input.contactName,
          this.pii.encrypt(input.contactPhone), maskPhone(input.contactPhone), input.address ?? null, actor.userId, input.industry ?? null]);
      await this.facts.record(em, actor, { marketId, kind: 'employer_registration', subjectType: 'Employer', subjectId: id, payload: {
        employerId: id, kind: input.kind, creditCode: input.creditCode ?? null,
        // A company's registered name is public; an individual's name is personal data and stays out of the ledger, which cannot be erased.
        name: input.kind === 'company' ? input.name : null,
      }, summary: { kind: input.kind, name: input.name, creditCode: input.creditCode ?? null } });
      return this.view(await this.row(em, id));
    });
  }

  verify(actor: Actor, id: string, input: z.infer<typeof verifyEmployerSchema>): Promise<EmployerView> {
    return this.db.run(actor, async (em) => {
      const seen = await this.row(em, id);
      if (!seen) throw notFound();
      assertAccess(actor, 'update', 'Employer', scopeOf(seen));
      // Locked, so the status recorded as `before` is the one this decision replaces (issue 12).
      await lockRow(em, 'employers', id);
      const row = await this.row(em, id);
      await em.query('UPDATE employers SET status = $2, evidence = $3, evidence_attachments = $4, verified_by = $5, verified_at = now() WHERE id = $1',
        [id, input.decision, input.evidence, input.attachments, actor.userId]);
      await this.facts.record(em, actor, { marketId: row.market_id, kind: 'employer_verification', subjectType: 'Employer', subjectId: id, payload: { employerId: id, decision: input.decision, evidence: input.evidence }, attachments: input.attachments, summary: { before: row.status, after: input.decision, evidence: input.evidence } });
      return this.view(await this.row(em, id));
    });
  }

  list(actor: Actor, q: z.infer<typeof employerQuerySchema>): Promise<Page<EmployerView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('employers', 'e');
      if (!applyAccess(qb, actor, 'read', 'Employer', REGISTRY_ACCESS('e'))) {
        return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      }
      if (q.status) qb.andWhere('e.status = :st', { st: q.status });
      if (q.q) qb.andWhere('(e.name ILIKE :q OR e.credit_code ILIKE :q)', { q: `%${q.q.replace(/[%_]/g, '')}%` });
      const total = await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>();
      const rows = await qb.select(COLUMNS).orderBy('e.created_at', 'DESC').addOrderBy('e.id').offset((q.page - 1) * q.pageSize).limit(q.pageSize).getRawMany<EmployerViewRow>();
      return { items: rows.map((r) => this.view(r)), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
    });
  }

  get(actor: Actor, id: string): Promise<EmployerView> {
    return this.db.run(actor, async (em) => {
      const row = await this.row(em, id);
      if (!row) throw notFound();
      assertAccess(actor, 'read', 'Employer', scopeOf(row));
      return this.view(row);
    });
  }

  private async row(em: import('typeorm').EntityManager, id: string): Promise<EmployerViewRow> {
    return em.createQueryBuilder().from('employers', 'e').select(COLUMNS).where('e.id = :id', { id }).getRawOne<EmployerViewRow>() as Promise<EmployerViewRow>;
  }

  private view(r: EmployerViewRow): EmployerView {
    return {
      id: r.id, tenantId: r.tenant_id, marketId: r.market_id, kind: r.kind,
      name: r.name, creditCode: r.credit_code ?? null, contactName: r.contact_name,
      contactPhone: r.contact_phone_masked, address: r.address ?? null, industry: r.industry ?? null, status: r.status,
      evidence: r.evidence ?? null, openFlags: r.open_flags ?? 0, verifiedAt: isoOf(r.verified_at),
      createdAt: isoOf(r.created_at),
    };
  }
}
