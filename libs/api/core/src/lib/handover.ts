import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { HandoverItem } from '@linggong/domain';

/**
 * One part of a market's handover (移交, issue 16 §4, R-F1): what a context hands over when a market passes from an
 * exiting operator to its successor. Each context registers its own parts (its own tables), so the exit case in
 * api-oversight names no other context's table. `list` and `transfer` run in the handover's transaction, under the
 * system scope (the rows change tenant, which no tenant's policy allows), and must touch only the given market.
 *
 * The rule (docs/oversight.md "Exit and handover"): the market's living rows become the successor's (`transfer`
 * sets their tenant_id); its history stays with the outgoing tenant, read by the authorities, and is not the
 * successor's to read.
 */
export interface HandoverPart {
  /** The checklist item it belongs to; several parts may add to one item (the item lists the first part's ids). */
  item: HandoverItem;
  /** A stable name, e.g. 'registry.workers'. */
  name: string;
  /** The living rows' ids (what the checklist lists and both sides sign), plus any figure the checklist shows. */
  list(em: EntityManager, marketId: string): Promise<{ ids: string[]; detail?: Record<string, unknown> }>;
  /** Make those rows the successor's; returns how many rows changed. */
  transfer(em: EntityManager, marketId: string, fromTenant: string, toTenant: string): Promise<number>;
}

@Injectable()
export class HandoverRegistry {
  private readonly parts: HandoverPart[] = [];

  register(part: HandoverPart): void {
    if (!this.parts.some((p) => p.name === part.name)) this.parts.push(part);
  }

  all(): readonly HandoverPart[] {
    return this.parts;
  }
}

/** Ids from a query of one market's rows (`$1` is the market), for a handover part's `list`. */
export async function handoverIds(em: EntityManager, sql: string, marketId: string): Promise<string[]> {
  return ((await em.query(sql, [marketId])) as { id: string }[]).map((r) => r.id);
}

/**
 * A handover part's `transfer`: re-tenant the rows of the caller's own `table` whose `column` is one of `ids`; returns
 * how many changed. Only for a context's own table (the caller names it).
 */
export async function retenant(em: EntityManager, table: string, column: string, ids: string[], toTenant: string): Promise<number> {
  if (!ids.length) return 0;
  const res: [unknown, number] = await em.query(`UPDATE ${table} SET tenant_id = $1 WHERE ${column} = ANY($2::uuid[]) AND tenant_id <> $1`, [toTenant, ids]);
  return Number(res[1] ?? 0);
}
