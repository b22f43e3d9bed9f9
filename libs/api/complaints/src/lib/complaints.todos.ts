import { Injectable } from '@nestjs/common';
import type { Actor, TodoItem } from '@linggong/domain';
import { RegistersTodos, TenantDb, TodoRegistry, abilityOf, countActionable, scopeColumns } from '@linggong/api-core';
import { dueSoonLimit, shanghaiToday } from './complaint-rows';

/**
 * Complaints on the home of whoever handles them (issue 17 §5): open ones past their deadline and those
 * due within DUE_SOON_WORKING_DAYS — the same split as the list's `due` filter, which the items open.
 */
@Injectable()
export class ComplaintsTodos extends RegistersTodos {
  readonly todoSource = 'complaints';
  constructor(registry: TodoRegistry, private readonly db: TenantDb) {
    super(registry);
  }

  async todos(actor: Actor): Promise<TodoItem[]> {
    if (!abilityOf(actor).can('update', 'Complaint')) return [];
    return this.db.run(actor, async (em) => {
      const today = await shanghaiToday(em);
      const open = `t.status <> 'closed'`;
      // Whoever took a complaint may work it while it is theirs (首问负责): the ability names its owner.
      const columns = { ...scopeColumns('t'), ownerUserId: 't.owner_user_id' };
      return [
        { key: 'complaints_overdue', count: await countActionable(em, actor, 'update', 'Complaint', 'complaints', `${open} AND t.resolve_due < :today`, { today }, columns), link: '/complaints', query: { due: 'overdue' }, tone: 'danger' },
        { key: 'complaints_due_soon', count: await countActionable(em, actor, 'update', 'Complaint', 'complaints', `${open} AND t.resolve_due BETWEEN :today AND :soon`, { today, soon: dueSoonLimit(today) }, columns), link: '/complaints', query: { due: 'soon' }, tone: 'warning' },
      ];
    });
  }
}
