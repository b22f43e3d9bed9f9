import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MarketDirectory } from '@linggong/api-tenancy';

/** What tenancy may know of markets (grant checks, counts), read in the caller's transaction. */
@Injectable()
export class MarketDirectoryService implements MarketDirectory {
  async tenantsOf(em: EntityManager, marketIds: string[]): Promise<Map<string, string | null>> {
    if (!marketIds.length) return new Map();
    const rows: { id: string; tenant_id: string | null }[] = await em.query('SELECT id, tenant_id FROM markets WHERE id = ANY($1::uuid[])', [marketIds]);
    return new Map(rows.map((r) => [r.id, r.tenant_id]));
  }

  async countByOperator(em: EntityManager, operatorIds: string[]): Promise<Map<string, number>> {
    if (!operatorIds.length) return new Map();
    const rows: { tenant_id: string; n: number }[] = await em.query('SELECT tenant_id, count(*)::int AS n FROM markets WHERE tenant_id = ANY($1::uuid[]) GROUP BY tenant_id', [operatorIds]);
    return new Map(rows.map((r) => [r.tenant_id, r.n]));
  }

}
