import type { EntityManager } from 'typeorm';
import type { Actor } from '@linggong/domain';
import { lockRow, rowForChange } from './transition';
import { ProblemException } from './problem';

/** The order that makes a state change race-safe: check, then lock and read again, before anything else. */
describe('rowForChange / lockRow', () => {
  const actor: Actor = { userId: 'u', username: 'u', orgId: 't1', orgKind: 'operator', tenantId: 't1', marketIds: ['m1'], roles: ['front_desk'] };
  const scope = (r: Record<string, unknown>) => ({ tenantId: r['tenant_id'] as string, regionCode: '410122', marketId: r['market_id'] as string });
  /** A fake EntityManager answering each query from `answer` and recording the SQL. */
  const fake = (answer: (sql: string) => unknown[]) => {
    const sql: string[] = [];
    const em = { query: async (q: string) => { sql.push(q.replace(/\s+/g, ' ').trim()); return answer(q); } } as unknown as EntityManager;
    return { em, sql };
  };
  const row = { id: 'p1', tenant_id: 't1', market_id: 'm1', status: 'started' };

  it('checks access on the row as read, then locks it and returns the locked read', async () => {
    const { em, sql } = fake((q) => (q.includes('FOR NO KEY UPDATE') ? [{ ...row, status: 'completed' }] : [row]));
    const r = await rowForChange(em, actor, 'update', 'Placement', 'placements', 'p1', scope);
    expect(r['status']).toBe('completed');
    expect(sql).toEqual(['SELECT * FROM placements WHERE id = $1', 'SELECT * FROM placements WHERE id = $1 FOR NO KEY UPDATE']);
  });

  it('a read takes no lock', async () => {
    const { em, sql } = fake(() => [row]);
    await rowForChange(em, actor, 'read', 'Placement', 'placements', 'p1', scope);
    expect(sql).toHaveLength(1);
  });

  it('refuses before locking: 404 for a row the actor cannot see, 403 for one it may not change', async () => {
    const hidden = fake(() => [{ ...row, tenant_id: 't2' }]);
    await expect(rowForChange(hidden.em, actor, 'update', 'Placement', 'placements', 'p1', scope)).rejects.toMatchObject({ status: 404 });
    const missing = fake(() => []);
    await expect(rowForChange(missing.em, actor, 'update', 'Placement', 'placements', 'p1', scope)).rejects.toBeInstanceOf(ProblemException);
    const desk = fake(() => [row]);
    await expect(rowForChange(desk.em, actor, 'verify', 'Post', 'posts', 'p1', scope)).rejects.toMatchObject({ status: 403 });
    expect([...hidden.sql, ...missing.sql, ...desk.sql].some((q) => q.includes('FOR NO KEY UPDATE'))).toBe(false);
  });

  it('falls back to an advisory lock of the same row when RLS hides the row from a locking read', async () => {
    const { em, sql } = fake((q) => (q.includes('FOR NO KEY UPDATE') ? [] : q.includes('advisory') ? [{}] : [row]));
    expect(await lockRow(em, 'posts', 'p1')).toEqual(row);
    expect(sql[1]).toContain('pg_advisory_xact_lock');
  });

  it('refuses a table name that is not an identifier', async () => {
    const { em } = fake(() => [row]);
    await expect(lockRow(em, 'posts; DROP TABLE posts', 'p1')).rejects.toThrow(/bad table/);
  });
});
