import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AssignmentCovers } from './assignment-covers';

/**
 * The market itself changes operator at the end of its handover (issue 16 §4, R-F1), in the handover's transaction
 * and under the system scope (api-oversight); markets' trigger keeps the operators' served regions. Like any assignment
 * it needs a live contract of the successor that lists the market (issue 15 §1): the county chose that contract when it
 * opened the handover, and it is checked again here (locked, FOR SHARE) in case it was amended or ran out meanwhile.
 */
@Injectable()
export class MarketHandover {
  constructor(private readonly covers: AssignmentCovers) {}

  async assign(em: EntityManager, marketId: string, toTenant: string): Promise<void> {
    const [m] = await em.query<{ region_code: string }[]>('SELECT region_code FROM markets WHERE id = $1', [marketId]);
    if (m) await this.covers.require(em, { marketId, operatorId: toTenant, regionCode: m.region_code }, 'contractId');
    await em.query('UPDATE markets SET tenant_id = $2, updated_at = now() WHERE id = $1', [marketId, toTenant]);
  }
}
