import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '@linggong/domain';
import { TenantDb, afterCommit } from './tenant-db';

/** Side effects registered with `afterCommit` run once the unit has committed, in order, and never for a rolled-back one. */
describe('TenantDb.run / afterCommit', () => {
  const actor: Actor = { userId: 'u', username: 'u', orgId: 't1', orgKind: 'operator', tenantId: 't1', marketIds: [], roles: ['front_desk'] };
  /** A fake DataSource whose transaction records 'commit' after the unit resolves, 'rollback' when it throws. */
  const fakeDb = () => {
    const log: string[] = [];
    const em = { query: async () => [] } as unknown as EntityManager;
    const dataSource = {
      transaction: async <T>(fn: (em: EntityManager) => Promise<T>) => {
        try {
          const out = await fn(em);
          log.push('commit');
          return out;
        } catch (e) {
          log.push('rollback');
          throw e;
        }
      },
    } as unknown as DataSource;
    return { db: new TenantDb(dataSource), log, em };
  };

  it('runs the side effects after the commit, in the order they were registered, and returns the unit result', async () => {
    const { db, log } = fakeDb();
    const out = await db.run(actor, async (em) => {
      afterCommit(em, () => log.push('timer'));
      afterCommit(em, async () => log.push('job'));
      log.push('work');
      return 42;
    });
    expect(out).toBe(42);
    expect(log).toEqual(['work', 'commit', 'timer', 'job']);
  });

  it('runs none of them when the unit rolls back', async () => {
    const { db, log } = fakeDb();
    await expect(db.run(actor, async (em) => {
      afterCommit(em, () => log.push('timer'));
      throw new Error('refused');
    })).rejects.toThrow('refused');
    expect(log).toEqual(['rollback']);
  });

  it('a failing side effect is logged, the others still run, and the committed request does not fail', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { db, log } = fakeDb();
    await expect(db.run(actor, async (em) => {
      afterCommit(em, () => { throw new Error('redis down'); });
      afterCommit(em, () => log.push('next'));
      return 'ok';
    })).resolves.toBe('ok');
    expect(log).toEqual(['commit', 'next']);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('redis down'));
    warn.mockRestore();
  });

  it('refuses a side effect outside a TenantDb unit, or after it has ended', async () => {
    const { db, em } = fakeDb();
    expect(() => afterCommit(em, () => undefined)).toThrow('afterCommit outside TenantDb.run');
    let inner: EntityManager | undefined;
    await db.run(actor, async (e) => { inner = e; });
    expect(() => afterCommit(inner as EntityManager, () => undefined)).toThrow('afterCommit outside TenantDb.run');
  });
});
