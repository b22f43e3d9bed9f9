import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AssignmentCovers, type AssignmentQuery } from '@linggong/api-markets';
import { shanghaiDay } from '@linggong/ledger-chain';

/**
 * Issue 15 §1 (R-A3): "a market can only be assigned to an operator under a contract that covers it". Registered with
 * the markets context's `AssignmentCovers` (markets cannot import assessment). A market is covered for an operator by a
 * **live** contract version of that operator in the market's county that lists it: not superseded by an amendment, its
 * term containing today (Asia/Shanghai).
 *
 * Runs in the assigning transaction (the caller's RLS: the county, the platform, or the system scope of a handover) and
 * takes `FOR SHARE` on the contract row it found: an amendment (which locks the row FOR NO KEY UPDATE before marking it
 * superseded) waits until the assignment commits, and an assignment that waited on an amendment re-reads the row, now
 * superseded. When the first read finds nothing (or only a row an amendment superseded while we waited), the check reads
 * once more with a fresh snapshot, so the amendment's new version — if it still lists the market — is seen.
 */
@Injectable()
export class AssessmentAssignmentCover implements OnModuleInit {
  constructor(private readonly covers: AssignmentCovers) {}

  onModuleInit(): void {
    this.covers.register({ name: 'assessment.contracts', covers: (em, q) => this.covers_(em, q) });
  }

  private async covers_(em: EntityManager, q: AssignmentQuery): Promise<boolean> {
    const read = () => em.query<{ id: string }[]>(
      `SELECT id FROM contracts
       WHERE tenant_id = $1 AND region_code = $2 AND $3::uuid = ANY(market_ids) AND superseded_at IS NULL AND term_from <= $4 AND term_to >= $4
       ORDER BY id LIMIT 1 FOR SHARE`,
      [q.operatorId, q.regionCode, q.marketId, shanghaiDay(new Date())]);
    return (await read()).length > 0 || (await read()).length > 0;
  }
}
