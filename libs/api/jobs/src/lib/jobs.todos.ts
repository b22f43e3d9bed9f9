import { Injectable } from '@nestjs/common';
import type { Actor, TodoItem } from '@linggong/domain';
import { RegistersTodos, SHANGHAI_TODAY_SQL as TODAY, TenantDb, TodoRegistry, abilityOf, countActionable } from '@linggong/api-core';

/**
 * The desk's and the market staff's open work on their home (issue 17 §5): who is waiting in today's
 * queue, today's open posts, hires started and not yet settled (日结), posts waiting for review. An
 * authority reads these pages but acts on none of it, so it gets none of them.
 */
@Injectable()
export class JobsTodos extends RegistersTodos {
  readonly todoSource = 'jobs';
  constructor(registry: TodoRegistry, private readonly db: TenantDb) {
    super(registry);
  }

  async todos(actor: Actor): Promise<TodoItem[]> {
    if (!abilityOf(actor).can('create', 'Placement')) return [];
    return this.db.run(actor, async (em) => [
      { key: 'queue_waiting', count: await countActionable(em, actor, 'create', 'Placement', 'check_ins', `t.day = ${TODAY} AND t.status = 'waiting'`), link: '/desk', tone: 'info' },
      { key: 'posts_open_today', count: await countActionable(em, actor, 'read', 'Post', 'posts', `t.status = 'published' AND t.expires_at > now() AND t.hired_count < t.headcount`), link: '/desk', tone: 'info' },
      { key: 'placements_to_settle', count: await countActionable(em, actor, 'update', 'Placement', 'placements', `t.status = 'started'`), link: '/desk', tone: 'warning' },
      { key: 'posts_to_review', count: await countActionable(em, actor, 'verify', 'Post', 'posts', `t.status = 'pending_review'`), link: '/posts', query: { status: 'pending_review' }, tone: 'warning' },
    ]);
  }
}
