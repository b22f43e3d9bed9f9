import { Injectable } from '@nestjs/common';
import type { Actor, TodoItem } from '@linggong/domain';
import { RegistersTodos, TenantDb, TodoRegistry, abilityOf, applyAccess } from '@linggong/api-core';
import { shanghaiDay } from '@linggong/ledger-chain';
import { LedgerService, addDays } from './ledger.service';

/** How far back the home looks for days to close. */
const UNSEALED_LOOKBACK_DAYS = 30;

/**
 * Days to close (日结) on the home of whoever closes them (issue 17 §5): per market, the past days of the
 * last UNSEALED_LOOKBACK_DAYS with entries no seal covers — never closed, or closed early with entries recorded
 * after the close that wait for their supplementary seal (issue 17 §1; ledger `daysToCloseOf`). Yesterday's is the normal morning's work
 * (warning); anything older is past the deadline job's close (danger).
 */
@Injectable()
export class LedgerTodos extends RegistersTodos {
  readonly todoSource = 'ledger';
  constructor(registry: TodoRegistry, private readonly db: TenantDb, private readonly ledger: LedgerService) {
    super(registry);
  }

  /** `now` is the clock (tests move it to see a day closed early become a past day still to close). */
  async todos(actor: Actor, now = new Date()): Promise<TodoItem[]> {
    if (!abilityOf(actor).can('close', 'Ledger')) return [];
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('markets', 'm');
      if (!applyAccess(qb, actor, 'close', 'Ledger', { tenantId: 'm.tenant_id', regionCode: 'm.region_code', marketId: 'm.id' })) return [];
      const markets = await qb.select('m.id', 'id').addSelect('m.name', 'name').orderBy('m.name').getRawMany<{ id: string; name: string }>();
      const today = shanghaiDay(now);
      const yesterday = addDays(today, -1);
      const unsealed = await this.ledger.daysToCloseOf(em, markets.map((m) => m.id), addDays(today, -UNSEALED_LOOKBACK_DAYS), yesterday);
      return markets.flatMap((m): TodoItem[] => {
        const days = unsealed.get(m.id) ?? [];
        if (!days.length) return [];
        const oldest = [...days].sort()[0];
        return [{ key: 'days_unsealed', count: days.length, link: `/markets/${m.id}/ledger`, query: { day: oldest }, tone: oldest < yesterday ? 'danger' : 'warning', marketName: m.name }];
      });
    });
  }
}
