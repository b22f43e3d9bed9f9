import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { ListQuery, Page } from '@linggong/domain';

/** Apply `?page&pageSize&sort` and return `{ items, total, page, pageSize }` (DESIGN.md "Lists"). */
export async function paginate<T extends ObjectLiteral, V>(
  qb: SelectQueryBuilder<T>, query: ListQuery, sortable: Record<string, string>, defaultSort: string, view: (row: T) => V,
): Promise<Page<V>> {
  const sortKey = query.sort?.replace(/^-/, '');
  const col = (sortKey && sortable[sortKey]) || sortable[defaultSort.replace(/^-/, '')];
  const desc = query.sort ? query.sort.startsWith('-') : defaultSort.startsWith('-');
  qb.orderBy(col, desc ? 'DESC' : 'ASC').addOrderBy(`${qb.alias}.id`, 'ASC');
  qb.skip((query.page - 1) * query.pageSize).take(query.pageSize);
  const [rows, total] = await qb.getManyAndCount();
  return { items: rows.map(view), total, page: query.page, pageSize: query.pageSize };
}
