import { Writable } from 'node:stream';
import { bootApp, freshTenant, login, type TestApp } from '../support/app';

/**
 * What the logs must never hold (issue 12 §8): mobile numbers typed into lookups, the public pages' QR
 * tokens and complaint tracking codes (they are the only proof a caller needs), and the bound
 * parameters of a failed SQL statement. Everything the process writes while serving is captured: the
 * JSON log stream and anything written to the console or stdout/stderr directly (TypeORM's own logger).
 */
describe('clean logs', () => {
  let t: TestApp;
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const restores: (() => void)[] = [];
  const capture = <T extends object>(target: T, key: keyof T) => {
    const original = target[key] as unknown as (...a: unknown[]) => unknown;
    (target as Record<keyof T, unknown>)[key] = (...a: unknown[]) => {
      lines.push(a.map((x) => (typeof x === 'string' ? x : x instanceof Error ? `${x.stack} ${JSON.stringify(x)}` : JSON.stringify(x))).join(' '));
      return key === 'write' ? true : undefined;
    };
    restores.push(() => ((target as Record<keyof T, unknown>)[key] = original));
  };

  beforeAll(async () => {
    t = await bootApp({ LOG_LEVEL: 'info' }, { logStream: sink });
    for (const k of ['log', 'info', 'warn', 'error', 'debug'] as const) capture(console, k);
    capture(process.stdout, 'write');
    capture(process.stderr, 'write');
  });
  afterAll(async () => {
    for (const r of restores) r();
    await t.close();
  });

  const probe = `${Date.now() % 1_000_000}`.padStart(6, '0');
  const mobile = `1390${probe.slice(0, 3)}${probe.slice(3)}1`.slice(0, 11);
  const mobileInQ = `1370${probe}9`.slice(0, 11);
  const confirmToken = `cfmTok${probe}AbCdEfGhIjKlMnOp`;
  const trainingToken = `trnTok${probe}QrStUvWxYz012345`;
  const pageToken = `pgTok${probe}ZyXwVuTsRq`;
  const trackingCode = `TRK${probe}QZ`;
  const marketName = `中牟县零工市场（日志探针${probe}）`;

  it('holds none of them after the requests that carry them', async () => {
    const f = await freshTenant(t, 'logs');
    const admin = await login(t, f.adminUser.username, f.password);
    const market = f.market.id;
    await t.http.get(`/api/v1/workers?mobile=${mobile}&pageSize=1`).set(admin.auth).expect(200);
    await t.http.get(`/api/v1/workers?q=${mobileInQ}`).set(admin.auth).expect(200);
    await t.http.get(`/api/v1/public/markets/${market}/confirmations/${confirmToken}`).expect(404);
    await t.http.post(`/api/v1/public/markets/${market}/confirmations/${confirmToken}/non-payment`).send({ note: 'x' });
    await t.http.get(`/api/v1/public/training-sessions/${trainingToken}`).expect(404);
    await t.http.get(`/api/v1/public/complaints/${trackingCode}`).expect(404);
    await t.http.post(`/api/v1/public/complaints/${trackingCode}/reopen`).send({ reason: '还是没有处理' });
    // The console's own pages with a token (served as index.html when CONSOLE_DIR is set), and a referer.
    await t.http.get('/api/v1/auth/me').set(admin.auth).set('Referer', `http://localhost/m/${market}/c/${pageToken}`).expect(200);
    await t.http.get(`/t/${pageToken}`);
    await t.http.get(`/m/${market}/c/${pageToken}?mobile=${mobile}`);

    // A failed statement whose bound parameters include the market's name (unique per county).
    const platform = await login(t, 'admin');
    const body = { name: marketName, type: 'comprehensive', nature: 'public', mode: 'contracted', regionCode: '410122', status: 'open' };
    await t.http.post('/api/v1/markets').set(platform.auth).send(body).expect(201);
    await t.http.post('/api/v1/markets').set(platform.auth).send(body).expect(409);
    await new Promise((r) => setTimeout(r, 200));

    const log = lines.join('\n');
    for (const secret of [mobile, mobileInQ, confirmToken, trainingToken, pageToken, trackingCode, `日志探针${probe}`]) {
      expect([secret, log.includes(secret)]).toEqual([secret, false]);
    }
    // The requests were logged, with the route's shape in place of the secret.
    expect(log).toContain('"url":"/api/v1/public/complaints/:code"');
    expect(log).toContain('/confirmations/:token');
    expect(log).toContain('/api/v1/public/training-sessions/:token');
    expect(log).toContain('mobile=[redacted]');
    // The failed statement was logged, as its SQLSTATE.
    expect(log).toMatch(/SQLSTATE 23505/);
  });
});
