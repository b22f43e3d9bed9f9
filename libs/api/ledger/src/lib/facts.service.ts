import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor, LedgerKind } from '@linggong/domain';
import { notFound } from '@linggong/api-core';
import { MarketDirectoryService } from '@linggong/api-markets';
import type { LedgerEntry } from '@linggong/ledger-chain';
import { LedgerService } from './ledger.service';

/**
 * One business fact of a market (docs/glossary.md "Business facts"): what happened, named once. It is
 * written to the work log under `kind` and to the audit trail under the same name (`factAction`).
 */
export interface Fact {
  /** The fact's name: the work-log kind, and the audit action. */
  kind: LedgerKind;
  /**
   * For a kind that covers several steps (a complaint's steps, a plan opened or closed), the step: the
   * audit action is then `kind.step`. The work-log payload says the same in its own field.
   */
  step?: string;
  marketId: string;
  subjectType: string;
  subjectId: string;
  /** The work-log payload: ids, codes and amounts, never personal data (the chain cannot be erased). */
  payload: Record<string, unknown>;
  /**
   * What the audit event summarises, when it differs from the payload; a function of the entry when
   * the summary needs its seq (the audit event is then written after the append).
   */
  summary?: Record<string, unknown> | ((entry: LedgerEntry) => Record<string, unknown>);
  occurredAt?: Date;
  attachments?: string[];
  /** For a correction (the ledger's own): the corrected entry's seq, and why. */
  corrects?: number;
  reason?: string;
}

/**
 * The one writer of business facts (issue 11 §3): `record(em, actor, fact)` appends the work-log entry
 * and the audit event of one fact in the caller's transaction, so they commit or fail together with
 * the change. Side effects that must wait for the commit go through `afterCommit` (api-core).
 */
@Injectable()
export class FactsService {
  constructor(private readonly ledger: LedgerService, private readonly markets: MarketDirectoryService) {}

  async record(em: EntityManager, actor: Actor, fact: Fact): Promise<LedgerEntry & { id: string }> {
    const market = await this.markets.scopeOf(em, fact.marketId);
    if (!market) throw notFound();
    return this.ledger.recordFact(em, actor, market, fact);
  }
}
