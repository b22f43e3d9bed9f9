import { rulesToCondition } from '@casl/ability/extra';
import { defineAbilityFor, type Action, type Actor, type AppAbility, type ScopedObject, type SubjectName } from '@linggong/domain';
import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ProblemException } from './problem';
import { lockRow } from './transition';

const cache = new WeakMap<Actor, AppAbility>();
export function abilityOf(actor: Actor): AppAbility {
  let a = cache.get(actor);
  if (!a) cache.set(actor, (a = defineAbilityFor(actor)));
  return a;
}

type Cond = Record<string, unknown>;
let seq = 0;

/**
 * Turn the actor's CASL conditions for (action, subject) into SQL for a list query, so lists show
 * exactly what the ability allows (STYLE.md "Batch the object-level check"). Supported condition
 * shapes: equality, `$in`, and a `^digits` `$regex` (region prefix). Returns false when nothing is allowed.
 */
export function applyAccess<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>, actor: Actor, action: Action, subject: SubjectName, columns: Record<string, string>,
): boolean {
  const rules = abilityOf(actor).rulesFor(action, subject);
  const params: Record<string, unknown> = {};
  const sql = (c: Cond | undefined): string => {
    const parts = Object.entries(c ?? {}).map(([field, v]) => {
      const col = columns[field];
      if (!col) throw new Error(`access: no column for condition field ${subject}.${field}`);
      const p = `acc${++seq}`;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        const op = v as Cond;
        if ('$in' in op) { params[p] = op['$in']; return `${col}::text = ANY(:${p})`; }
        if ('$regex' in op) {
          const m = /^\^(\d*)$/.exec(String(op['$regex']));
          if (!m) throw new Error(`access: unsupported regex ${String(op['$regex'])}`);
          params[p] = `${m[1]}%`;
          // A column written '[]x' is a text[]: the condition holds when any element matches.
          return col.startsWith('[]') ? `EXISTS (SELECT 1 FROM unnest(${col.slice(2)}) AS el WHERE el LIKE :${p})` : `${col} LIKE :${p}`;
        }
        throw new Error(`access: unsupported operator in ${JSON.stringify(op)}`);
      }
      params[p] = v;
      return `${col}::text = :${p}`;
    });
    return parts.length ? `(${parts.join(' AND ')})` : 'TRUE';
  };
  const where = rulesToCondition(
    rules,
    (rule) => (rule.inverted ? `NOT ${sql(rule.conditions as Cond)}` : sql(rule.conditions as Cond)),
    { and: (p) => `(${p.join(' AND ')})`, or: (p) => `(${p.join(' OR ')})`, empty: () => 'TRUE' },
  );
  if (where === null) return false;
  if (where !== 'TRUE') qb.andWhere(where, params);
  return true;
}

/**
 * Object-level check for a batch of ids: loads each row's scope fields once and checks every one
 * against the ability. Rows the actor cannot see (RLS or ability) are 404; visible but not allowed, 403.
 * With `{ lock: true }` (a state change, see transition.ts) the rows are then locked, in id order,
 * until the transaction ends, so the state the caller reads next is the one it will change.
 */
export async function requireAccess<R extends object = Record<string, unknown>>(
  em: EntityManager, actor: Actor, action: Action, subject: SubjectName,
  table: string, columns: Record<string, string>, ids: string[], opts: { lock?: boolean } = {},
): Promise<R[]> {
  if (ids.length === 0) return [];
  const select = Object.entries(columns).map(([f, c]) => `${c.replace(/^\[\]/, '')} AS "${f}"`).join(', ');
  const rows = await em.query<(Record<string, unknown> & { id: string })[]>(`SELECT ${select} FROM ${table} WHERE id = ANY($1::uuid[])`, [ids]);
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  for (const id of ids) {
    const row = byId.get(id);
    if (!row) throw new ProblemException(404, 'not_found');
    assertAccess(actor, action, subject, row);
  }
  if (opts.lock) for (const id of [...new Set(ids)].sort()) await lockRow(em, table, id, 'id');
  return ids.map((id) => byId.get(id) as R);
}

/**
 * The object-level check on one row's scope fields: a row the actor may not read is 404 (as if it
 * did not exist), one it may read but not act on is 403 (or read_only_tenant for an exited operator).
 */
export function assertAccess(actor: Actor, action: Action, subject: SubjectName, scope: ScopedObject): void {
  const ability = abilityOf(actor);
  const tagged = { ...scope, __typename: subject };
  if (!ability.can('read', tagged)) throw new ProblemException(404, 'not_found');
  if (action !== 'read' && !ability.can(action, tagged)) throw new ProblemException(403, actor.readOnly ? 'read_only_tenant' : 'forbidden');
}
