import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { ListQuery, Page } from '@linggong/domain';
import { ProblemException } from './problem';

/**
 * The column a `?sort=` key names, looked up among the map's OWN keys only: `constructor`,
 * `__proto__`, `toString` and the like are inherited by every object and used to reach the query
 * builder as a function (a 500; issue 12, finding 9). An unknown key is a 400 naming the allowed ones.
 */
export function sortColumn(sortable: Record<string, string>, sort: string | undefined, defaultSort: string): { col: string; desc: boolean } {
  const columns = new Map(Object.entries(sortable));
  const key = (sort ?? defaultSort).replace(/^-/, '');
  const col = columns.get(key);
  if (col === undefined) {
    if (sort === undefined) throw new Error(`default sort ${defaultSort} is not sortable`);
    throw new ProblemException(400, 'validation_failed', [{ field: 'sort', key: 'sort_unknown' }], undefined, { allowedSorts: [...columns.keys()] });
  }
  return { col, desc: (sort ?? defaultSort).startsWith('-') };
}

/**
 * The `ILIKE` pattern of a list's `?q=`: the text anywhere, taken literally — `%`, `_` and `\` are escaped (PostgreSQL's
 * default LIKE escape), so a search for a code such as `wage_arrears` finds that code and `50%` finds 50%.
 */
export function containsPattern(text: string): string {
  return `%${likeEscape(text)}%`;
}

/** `text` for a LIKE pattern, taken literally (see `containsPattern`); for a prefix, `${likeEscape(text)}%`. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Apply `?page&pageSize&sort` and return `{ items, total, page, pageSize }` (DESIGN.md "Lists"). */
export async function paginate<T extends ObjectLiteral, V>(
  qb: SelectQueryBuilder<T>, query: ListQuery, sortable: Record<string, string>, defaultSort: string, view: (row: T) => V,
): Promise<Page<V>> {
  const { col, desc } = sortColumn(sortable, query.sort, defaultSort);
  qb.orderBy(col, desc ? 'DESC' : 'ASC').addOrderBy(`${qb.alias}.id`, 'ASC');
  qb.skip((query.page - 1) * query.pageSize).take(query.pageSize);
  const [rows, total] = await qb.getManyAndCount();
  return { items: rows.map(view), total, page: query.page, pageSize: query.pageSize };
}
