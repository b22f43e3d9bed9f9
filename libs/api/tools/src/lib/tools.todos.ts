import { Injectable } from '@nestjs/common';
import type { Actor, TodoItem } from '@linggong/domain';
import { RegistersTodos, TenantDb, TodoRegistry, abilityOf, countActionable } from '@linggong/api-core';

/**
 * Tool rental on the staff's home (issue 17 §5): loans waiting for the manager's approval (先批后租), tools
 * out, and loans past their agreed days (the deposit and the worker's tool are at stake).
 */
@Injectable()
export class ToolsTodos extends RegistersTodos {
  readonly todoSource = 'tools';
  constructor(registry: TodoRegistry, private readonly db: TenantDb) {
    super(registry);
  }

  async todos(actor: Actor): Promise<TodoItem[]> {
    if (!abilityOf(actor).can('create', 'Tool')) return [];
    return this.db.run(actor, async (em) => [
      { key: 'loans_to_approve', count: await countActionable(em, actor, 'verify', 'Tool', 'tool_loans', `t.status = 'requested'`), link: '/tools', query: { tab: 'loans' }, tone: 'warning' },
      { key: 'loans_overdue', count: await countActionable(em, actor, 'read', 'Tool', 'tool_loans', `t.status = 'lent' AND t.lent_at + make_interval(days => t.days) < now()`), link: '/tools', query: { tab: 'loans' }, tone: 'danger' },
      { key: 'loans_out', count: await countActionable(em, actor, 'read', 'Tool', 'tool_loans', `t.status = 'lent' AND t.lent_at + make_interval(days => t.days) >= now()`), link: '/tools', query: { tab: 'loans' }, tone: 'info' },
    ]);
  }
}
