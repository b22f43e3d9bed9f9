import { Client } from 'pg';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { bootApp, demoId, login, type TestApp } from '../support/app';
import { faultEnv } from './support/env';
import { backup, restore, verifyLedgers, withDb } from '../../tools/db/backup';

const shanghaiDay = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * The backup and restore drill (issue 12 §13, deploy/README.md "Backups"): a pg_dump backup restored
 * into a fresh database holds every market's work log intact — chain, seals, signatures and the
 * authority's receipts verify with the ledger verifier — and the restored database serves the API.
 */
describe('fault: backup and restore drill', () => {
  let t: TestApp;
  let su: Client;
  const target = 'linggong_fault_restored';
  beforeAll(async () => {
    t = await bootApp();
    su = new Client({ connectionString: `postgres://postgres@127.0.0.1:${faultEnv.pgPort}/postgres` });
    await su.connect();
  });
  afterAll(async () => {
    await su?.query(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`);
    await su?.end();
    await t?.close();
  });

  it('restores into a fresh database in which every work log, seal and receipt verifies', async () => {
    // At least one sealed day with its receipt (the worker test before this one seals every market's today).
    const manager = await login(t, 'op1.manager');
    const closed = await t.http.post(`/api/v1/markets/${demoId('m-zhongmu')}/ledger/days/${shanghaiDay()}/close`).set(manager.auth);
    expect([201, 409]).toContain(closed.status);
    const source = await verifyLedgers(t.config);
    expect(source.problems).toEqual([]);
    expect(source.seals).toBeGreaterThan(0);

    const file = join(faultEnv.dir, 'linggong.dump');
    const b = backup(t.config, file);
    expect(existsSync(file)).toBe(true);
    expect(b.bytes).toBeGreaterThan(10_000);
    await restore(t.config, file, target);
    await expect(restore(t.config, file, target)).rejects.toThrow(/already exists/);

    const restored = await verifyLedgers(t.config, withDb(t.config.DATABASE_OWNER_URL, target));
    expect(restored.ok).toBe(true);
    expect(restored.problems).toEqual([]);
    // Every market's log, every entry, seal and receipt of the source.
    for (const k of ['markets', 'entries', 'seals', 'receipts'] as const) expect(restored[k]).toBe(source[k]);
    expect(restored.receipts).toBe(restored.seals);

    // The restored database serves the API as its app role, row-level security and all.
    const r = await bootApp({ DATABASE_URL: withDb(t.config.DATABASE_URL, target), DATABASE_OWNER_URL: withDb(t.config.DATABASE_OWNER_URL, target), REDIS_PREFIX: 'lgrestored' });
    try {
      const s = await login(r, 'op1.manager');
      const days = await r.http.get(`/api/v1/markets/${demoId('m-zhongmu')}/ledger/days?from=${shanghaiDay()}&to=${shanghaiDay()}`).set(s.auth);
      expect(days.status).toBe(200);
      const other = await login(r, 'op2.admin');
      await r.http.get(`/api/v1/markets/${demoId('m-zhongmu')}/ledger/days?from=${shanghaiDay()}&to=${shanghaiDay()}`).set(other.auth).expect(404);
    } finally {
      await r.close();
    }

    // The check can fail: a receipt rewritten in the restored copy is found.
    const c = new Client({ connectionString: `postgres://postgres@127.0.0.1:${faultEnv.pgPort}/${target}` });
    await c.connect();
    try {
      await c.query(`ALTER TABLE ledger_receipts DISABLE TRIGGER USER; UPDATE ledger_receipts SET seal_digest = repeat('f', 64) WHERE ctid = (SELECT ctid FROM ledger_receipts LIMIT 1); ALTER TABLE ledger_receipts ENABLE TRIGGER USER`);
    } finally {
      await c.end();
    }
    const broken = await verifyLedgers(t.config, withDb(t.config.DATABASE_OWNER_URL, target));
    expect(broken.ok).toBe(false);
    expect(broken.firstBad?.code).toMatch(/receipt/);
  });
});
