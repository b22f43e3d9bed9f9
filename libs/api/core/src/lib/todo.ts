import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Action, Actor, SubjectName, TodoItem } from '@linggong/domain';
import { applyAccess } from './access';
import { scopeColumns } from './rows';

/**
 * What a context contributes to the signed-in person's home (issue 17 §5: "each role's home says what to
 * do now"): its open work for this actor, counted under the actor's own access (RLS and abilities), so a
 * role sees only what it can act on. Nothing is listed when there is nothing to do.
 */
export interface TodoSource {
  readonly todoSource: string;
  todos(actor: Actor): Promise<TodoItem[]>;
}

/**
 * The contexts' to-do sources. A context registers its own (see `RegistersTodos`); the home route asks
 * them all. Contexts are not imported by the home: adding one adds its items.
 */
@Injectable()
export class TodoRegistry {
  private readonly sources: TodoSource[] = [];

  register(source: TodoSource): void {
    if (!this.sources.some((s) => s.todoSource === source.todoSource)) this.sources.push(source);
  }

  /** Every source's items for the actor, in the sources' order, most urgent first within equal tone. */
  async collect(actor: Actor): Promise<TodoItem[]> {
    const lists = await Promise.all(this.sources.map((s) => s.todos(actor)));
    const rank = { danger: 0, warning: 1, info: 2 } as const;
    return lists.flat().filter((t) => t.count > 0).sort((a, b) => rank[a.tone] - rank[b.tone]);
  }
}

/** Base for a context's to-do source: registers itself with the registry when the module starts. */
export abstract class RegistersTodos implements TodoSource, OnModuleInit {
  abstract readonly todoSource: string;
  protected constructor(private readonly todoRegistry: TodoRegistry) {}
  onModuleInit(): void {
    this.todoRegistry.register(this);
  }
  abstract todos(actor: Actor): Promise<TodoItem[]>;
}

/**
 * Rows of `table` (alias `t`) the actor may act on with (action, subject) that meet `where`: what a to-do
 * count is. Market-level staff count only their markets, an operator admin its tenant, an authority its
 * region (the same conditions as the lists, api-core `applyAccess`). `columns` map the ability's condition
 * fields to the table's columns (alias `t`) when they are more than the scope.
 */
export async function countActionable(
  em: EntityManager, actor: Actor, action: Action, subject: SubjectName, table: string, where: string, params: Record<string, unknown> = {},
  columns: Record<string, string> = scopeColumns('t'),
): Promise<number> {
  const qb = em.createQueryBuilder().from(table, 't');
  if (!applyAccess(qb, actor, action, subject, columns)) return 0;
  const r = await qb.andWhere(where, params).select('count(*)::int', 'n').getRawOne<{ n: number }>();
  return r?.n ?? 0;
}
