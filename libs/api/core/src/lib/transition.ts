import type { Action, Actor, ScopedObject, SubjectName } from '@linggong/domain';
import type { EntityManager } from 'typeorm';
import { assertAccess } from './access';
import { ProblemException } from './problem';

type Row = Record<string, unknown>;

/**
 * Race-safe state changes (issue 12, finding 1). A state transition reads a row, checks its state,
 * changes it and appends to the work log and the audit trail. Two such requests at the same instant
 * must not both see the old state, so every transition reads the state it checks from a row it has
 * locked: the lock is held until the transaction commits, and a second request waits for it and then
 * reads the state the first one left (READ COMMITTED re-reads a locked row's latest version). The
 * sequential checks then refuse it with the same 409/422 problem a later repeat gets, before anything
 * else is written.
 *
 * `FOR NO KEY UPDATE` (not `FOR UPDATE`) so that inserting rows that merely reference the locked one
 * (work-log entries, child rows with a foreign key) does not wait on it.
 */
const IDENT = /^[a-z_][a-z0-9_]*$/;

function ident(table: string): string {
  if (!IDENT.test(table)) throw new Error(`transition: bad table name ${table}`);
  return table;
}

/**
 * Lock one row by id for the rest of the transaction and return its current values, or undefined
 * when it does not exist. Row-level security applies the table's UPDATE policy to a locking read, so
 * a row the caller may read but not update comes back undefined: such a caller is serialised on a
 * transaction-scoped advisory lock of the same row instead, and gets the row as it reads it.
 * `columns` narrows the read (a table with a hidden column, e.g. users' password hash).
 */
export async function lockRow<R extends object = Row>(em: EntityManager, table: string, id: string, columns = '*'): Promise<R | undefined> {
  const t = ident(table);
  if (columns !== '*' && !columns.split(',').every((c) => IDENT.test(c.trim()))) throw new Error(`transition: bad columns ${columns}`);
  const [locked] = await em.query(`SELECT ${columns} FROM ${t} WHERE id = $1 FOR NO KEY UPDATE`, [id]);
  if (locked) return locked;
  await lockKey(em, `${t}:${id}`);
  const [seen] = await em.query(`SELECT ${columns} FROM ${t} WHERE id = $1`, [id]);
  return seen;
}

/**
 * A transaction-scoped advisory lock on a business key, for a state that has no row yet (one
 * enrolment per worker and course, one close per market and day): whoever comes second waits, then
 * sees what the first one committed.
 */
export async function lockKey(em: EntityManager, key: string): Promise<void> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`lg:${key}`]);
}

/**
 * The object-level check and the lock of a transition in one call: the row is read and checked like
 * any other (404 when the caller cannot see it, 403 / read_only_tenant when they may not act on it),
 * then locked and read again, so the state the caller goes on to check is the one it will change.
 * A `read` needs no lock and gets the row as read.
 */
export async function rowForChange<R extends object = Row>(
  em: EntityManager, actor: Actor, action: Action, subject: SubjectName, table: string, id: string,
  scope: (row: R) => ScopedObject,
): Promise<R> {
  const t = ident(table);
  const [row] = await em.query<R[]>(`SELECT * FROM ${t} WHERE id = $1`, [id]);
  if (!row) throw new ProblemException(404, 'not_found');
  assertAccess(actor, action, subject, scope(row));
  if (action === 'read') return row;
  const locked = await lockRow<R>(em, t, id);
  if (!locked) throw new ProblemException(404, 'not_found');
  return locked;
}
