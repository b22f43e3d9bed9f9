import type { EntityManager } from 'typeorm';

/**
 * The row layer (issue 11 §2). Services keep writing SQL, but what comes back is typed: each context
 * declares its tables' rows once, in `libs/api/<ctx>/src/lib/rows.ts`, as interfaces keyed by the column
 * names PostgreSQL returns, typed as the driver returns them (`dataSourceOptions` sets the parsers):
 * uuid, text, `date` (`YYYY-MM-DD`, the one date converter) → string; int2/int4 → number;
 * int8 and numeric → string (cast `::int` in SQL where a number is meant); timestamptz → Date;
 * jsonb → its parsed value; arrays → arrays. Next to them the context declares its access columns
 * (CASL field → SQL column) for `applyAccess` / `requireAccess`, so a table's scope is written once.
 *
 * Reading a column is `row.column`, never `row['column']`; turning a row into an API view is done by
 * mapping functions next to the row types, not inline in the services.
 */

/** The scope columns most tenant tables carry (the CASL fields tenantId, regionCode, marketId). */
export interface ScopeRow { tenant_id: string; region_code: string; market_id: string }

/** CASL field → SQL column of a table under a query alias, for `applyAccess` / `requireAccess`. */
export type AccessColumns = Record<string, string>;

/** The access columns of a table carrying `ScopeRow`, under alias `a` (no alias: bare column names). */
export const scopeColumns = (a?: string): AccessColumns => {
  const p = a ? `${a}.` : '';
  return { tenantId: `${p}tenant_id`, regionCode: `${p}region_code`, marketId: `${p}market_id` };
};

/** A `ScopeRow`'s CASL scope, for `assertAccess` / `rowForChange`. */
export const scopeOf = (r: ScopeRow) => ({ tenantId: r.tenant_id, regionCode: r.region_code, marketId: r.market_id });

/** Raw SQL whose rows have the declared type. */
export function queryRows<T>(em: EntityManager, sql: string, params?: unknown[]): Promise<T[]> {
  return em.query<T[]>(sql, params);
}

/** The first row of raw SQL, or undefined. */
export async function queryRow<T>(em: EntityManager, sql: string, params?: unknown[]): Promise<T | undefined> {
  return (await em.query<T[]>(sql, params))[0];
}

/** A timestamp column (Date, or text from json) as an ISO string; null stays null. */
export function isoOf(v: Date | string): string;
export function isoOf(v: Date | string | null | undefined): string | null;
export function isoOf(v: Date | string | null | undefined): string | null {
  return v == null ? null : new Date(v).toISOString();
}
