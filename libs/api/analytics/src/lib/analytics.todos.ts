import { Injectable } from '@nestjs/common';
import { AUTHORITY_KINDS, type Actor, type TodoItem } from '@linggong/domain';
import { RegistersTodos, TodoRegistry } from '@linggong/api-core';
import { addDays } from '@linggong/api-ledger';
import { shanghaiDay } from '@linggong/ledger-chain';
import { FlagsService } from './flags.service';

/** The window of the red flags the home counts (the review page's default period). */
const FLAG_WINDOW_DAYS = 30;

/**
 * The markets needing attention on an authority's home (issue 17 §5): markets of its region with a red
 * flag in the last FLAG_WINDOW_DAYS (missed or late seals, a broken chain, overdue complaints, unpaid
 * hires…), opening the review page where each flag leads to its evidence.
 */
@Injectable()
export class AnalyticsTodos extends RegistersTodos {
  readonly todoSource = 'analytics';
  constructor(registry: TodoRegistry, private readonly flags: FlagsService) {
    super(registry);
  }

  /** `now` is the clock (tests move it, as for the flags). */
  async todos(actor: Actor, now = new Date()): Promise<TodoItem[]> {
    if (!(AUTHORITY_KINDS as readonly string[]).includes(actor.orgKind)) return [];
    const today = shanghaiDay(now);
    const r = await this.flags.flags(actor, { from: addDays(today, -FLAG_WINDOW_DAYS), to: today }, now);
    const markets = new Set(r.flags.map((f) => f.marketId));
    return [{ key: 'markets_flagged', count: markets.size, link: '/analytics', tone: 'warning' }];
  }
}
