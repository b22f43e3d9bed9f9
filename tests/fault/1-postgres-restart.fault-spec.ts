import { bootApp, freshTenant, login, type TestApp } from '../support/app';
import { faultEnv } from './support/env';
import { startPostgres, stopPostgres, waitFor } from './support/cluster';

/**
 * PostgreSQL restarted under load (issue 12 §12): while it is down the API answers 503 with a
 * problem document in the caller's language (never 500), /api/ready says PostgreSQL is down, the API
 * serves again within 30 s of the database coming back, and every write it acknowledged (2xx) is in
 * the database afterwards.
 */
describe('fault: PostgreSQL restarted under load', () => {
  let t: TestApp;
  let stop = false;
  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(async () => {
    stop = true;
    startPostgres(faultEnv);
    await t?.close();
  });

  it('answers 503 problems during the outage, recovers within 30 s and loses no acknowledged write', async () => {
    const f = await freshTenant(t, 'pgr');
    const desk = await login(t, f.deskUser.username, f.password);
    const acknowledged: { id: string; mobile: string }[] = [];
    const statuses = new Map<number, number>();
    const outageProblems: { status: number; type: string; title: string; lang: string }[] = [];
    let down = false;
    let n = 0;

    const client = async (lang: 'en' | 'zh-CN') => {
      while (!stop) {
        const mobile = `139${String(10_000_000 + ++n).slice(-8)}`;
        const res = await t.http.post(`/api/v1/markets/${f.market.id}/workers`).set(desk.auth).set('Accept-Language', lang)
          .send({ name: '故障测试', mobile, consent: true });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 201) acknowledged.push({ id: res.body.id, mobile });
        else if (down) outageProblems.push({ status: res.status, type: String(res.headers['content-type']), title: res.body?.title, lang });
        if (res.status >= 500) await new Promise((r) => setTimeout(r, 100));
      }
    };
    const load = [client('en'), client('zh-CN'), client('en'), client('zh-CN')];
    await waitFor('writes before the outage', async () => acknowledged.length >= 10, 30);

    down = true;
    stopPostgres(faultEnv, 'fast');
    const ready = await t.http.get('/api/ready').set('Accept-Language', 'en');
    expect(ready.status).toBe(503);
    expect(ready.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(ready.body.errors).toEqual([{ field: 'postgres', message: expect.any(String) }]);
    expect(ready.body.title).toMatch(/unavailable/i);
    const read = await t.http.get(`/api/v1/workers?marketId=${f.market.id}`).set(desk.auth);
    expect(read.status).toBe(503);
    expect(read.body.title).toMatch(/暂时不可用/);
    expect(read.headers['retry-after']).toBeDefined();
    await new Promise((r) => setTimeout(r, 3000));

    startPostgres(faultEnv);
    const back = Date.now();
    down = false;
    await waitFor('a write acknowledged after the restart', async () => {
      const before = acknowledged.length;
      await new Promise((r) => setTimeout(r, 200));
      return acknowledged.length > before;
    }, 30);
    const recovered = Date.now() - back;
    await waitFor('more writes', async () => true, 2);
    stop = true;
    await Promise.all(load);

    expect(recovered).toBeLessThan(30_000);
    expect((await t.http.get('/api/ready')).status).toBe(200);
    // During the outage: only 503 problems, in the caller's language.
    expect(outageProblems.length).toBeGreaterThan(0);
    for (const p of outageProblems) {
      expect(p.status).toBe(503);
      expect(p.type).toMatch(/application\/problem\+json/);
      expect(p.title).toBe(p.lang === 'en' ? 'The service is temporarily unavailable; please try again shortly' : '服务暂时不可用，请稍后重试');
    }
    expect(statuses.get(500)).toBeUndefined();
    // Every acknowledged write is in the database.
    const ids = acknowledged.map((a) => a.id);
    const [{ n: found }] = await t.owner.query('SELECT count(*)::int AS n FROM workers WHERE id = ANY($1::uuid[])', [ids]);
    expect(found).toBe(ids.length);
  });
});
