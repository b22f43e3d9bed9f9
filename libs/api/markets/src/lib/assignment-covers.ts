import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ProblemException } from '@linggong/api-core';

/** What an assignment asks a cover about: the market, the operator it is to be run by, and the market's county. */
export interface AssignmentQuery { marketId: string; operatorId: string; regionCode: string }

/**
 * A context that can tell whether an operator may run a market (issue 15 §1, R-A3: "a market can only be assigned to
 * an operator under a contract that covers it"). The assessment context registers its contracts check
 * (`AssessmentAssignmentCover`) from its module's `onModuleInit`; markets cannot import assessment, which depends on
 * it through analytics. `covers` runs in the assigning transaction and must lock what it read (e.g. `FOR SHARE` on
 * the contract row), so an amendment that drops the market waits for the assignment to commit, or the assignment
 * sees the amendment.
 */
export interface AssignmentCover {
  /** A stable name, e.g. 'assessment.contracts'. */
  name: string;
  covers(em: EntityManager, q: AssignmentQuery): Promise<boolean>;
}

/**
 * The covers the markets context asks before a market gets an operator (registration, a change of operator, the end of
 * an exit's handover). A market is covered when a registered cover says so; with no cover registered nothing is (an
 * assignment is refused: the rule is the contract, not its absence).
 */
@Injectable()
export class AssignmentCovers {
  private readonly covers: AssignmentCover[] = [];

  register(cover: AssignmentCover): void {
    if (!this.covers.some((c) => c.name === cover.name)) this.covers.push(cover);
  }

  async isCovered(em: EntityManager, q: AssignmentQuery): Promise<boolean> {
    for (const c of this.covers) if (await c.covers(em, q)) return true;
    return false;
  }

  /** 422 `market_not_covered` (field `operatorId`) unless a cover says the operator may run the market. */
  async require(em: EntityManager, q: AssignmentQuery, field = 'operatorId'): Promise<void> {
    if (!(await this.isCovered(em, q))) throw new ProblemException(422, 'market_not_covered', [{ field, key: 'market_not_covered' }]);
  }
}
