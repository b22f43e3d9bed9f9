import { AnalyticsService } from '@linggong/api-analytics';
import { signRequest } from '@linggong/api-platforms';
import { MESSAGES } from '@linggong/domain';
import { shanghaiDay } from '@linggong/ledger-chain';
import { bootApp, freshTenant, login, tableCounts, type Session, type TestApp } from '../support/app';

/**
 * Third-party platforms (issue 18 §3, R-E8): registration with a secret shown once, signed calls (HMAC-SHA256 over
 * the raw body, timestamp ±5 min, nonce once), scopes, per-key limits, disable and rotate; posts through the jobs
 * seam (idempotent, same review) and outcomes appended to the work log with their source and counted apart.
 */
describe('third-party platforms', () => {
  let t: TestApp;
  let f: Awaited<ReturnType<typeof freshTenant>>;
  let admin: Session;
  let county: Session;
  let employerId: string;
  const TODAY = shanghaiDay(new Date());
  const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
  let seq = 0;
  const post = (externalId: string, extra: Record<string, unknown> = {}) => ({
    marketId: f.market.id, externalId, employerId, occupation: '装卸搬运工', title: `平台推送装卸工${++seq}`, headcount: 2, wageFen: 18000,
    wageUnit: 'day', period: 'same_day', startAt: at(120), place: '中牟县物流园', ...extra,
  });
  type Creds = { appKey: string; secret: string; id: string };
  const register = async (who: Session, extra: Record<string, unknown> = {}) =>
    (await t.http.post('/api/v1/platforms').set(who.auth).send({
      code: `pf${Date.now().toString(36)}${++seq}`, name: '快工宝零工平台', marketIds: [f.market.id], scopes: ['posts:write', 'outcomes:write', 'posts:read'], ...extra,
    }).expect(201)).body as Creds & Record<string, unknown>;
  /** A signed call; `sign` overrides what is signed, `send` what is sent. */
  const call = (c: Creds, method: 'POST' | 'GET', path: string, body?: unknown, o: { sign?: Partial<Parameters<typeof signRequest>[0]>; sendBody?: string; lang?: string } = {}) => {
    const raw = body === undefined ? '' : JSON.stringify(body);
    const headers = signRequest({ appKey: c.appKey, secret: c.secret, method, path, body: raw, ...o.sign });
    const req = method === 'POST' ? t.http.post(path) : t.http.get(path);
    req.set(headers).set('Accept-Language', o.lang ?? 'zh-CN');
    if (method === 'POST') req.set('Content-Type', 'application/json').send(o.sendBody ?? raw);
    return req;
  };

  beforeAll(async () => {
    t = await bootApp();
    f = await freshTenant(t, 'pf');
    admin = await login(t, f.adminUser.username, f.password);
    county = await login(t, 'county.reviewer');
    const desk = await login(t, f.deskUser.username, f.password);
    const emp = (await t.http.post(`/api/v1/markets/${f.market.id}/employers`).set(desk.auth)
      .send({ kind: 'company', name: '中牟县顺达物流有限公司', creditCode: '91350100M000100Y43', contactName: '刘经理', contactPhone: '13900004444' }).expect(201)).body;
    await t.http.post(`/api/v1/employers/${emp.id}/verification`).set(admin.auth).send({ decision: 'verified', evidence: '营业执照原件已核验' }).expect(200);
    employerId = emp.id;
  });
  afterAll(() => t.close());

  it('registers a platform with its secret shown once, stored encrypted, and audited', async () => {
    const p = await register(admin);
    expect(p).toMatchObject({ status: 'active', scopes: ['posts:write', 'outcomes:write', 'posts:read'], marketIds: [f.market.id], markets: [{ id: f.market.id, name: f.market.name }] });
    expect(p.appKey).toMatch(/^lgk_[0-9a-f]{32}$/);
    expect(p.secret).toMatch(/^lgs_/);
    const again = (await t.http.get(`/api/v1/platforms/${p.id}`).set(admin.auth).expect(200)).body;
    expect(again.secret).toBeUndefined();
    const [row] = await t.owner.query('SELECT secret_enc FROM platforms WHERE id = $1', [p.id]);
    expect(row.secret_enc).toMatch(/^v1:/);
    expect(row.secret_enc).not.toContain(p.secret.slice(4));
    const [audit] = await t.owner.query(`SELECT summary FROM audit_events WHERE action = 'platform.register' AND subject_id = $1`, [p.id]);
    expect(JSON.stringify(audit.summary)).not.toContain(p.secret);
    // The county registers for a market of its county; a market elsewhere is refused, nothing stored.
    const byCounty = await register(county, { scopes: ['posts:read'] });
    expect(byCounty.regionCode).toBe('410122');
    const [other] = await t.owner.query(`SELECT id FROM markets WHERE region_code NOT LIKE '410122%' AND status = 'open' LIMIT 1`);
    const before = await tableCounts(t);
    const refused = await t.http.post('/api/v1/platforms').set(county.auth).send({ code: 'elsewhere01', name: '外县平台', marketIds: [other.id], scopes: ['posts:write'] }).expect(422);
    expect(refused.body.errors).toEqual([{ field: 'marketIds', message: expect.any(String) }]);
    // The same code twice: 409.
    await t.http.post('/api/v1/platforms').set(admin.auth).send({ code: p.code, name: '重复代码', marketIds: [f.market.id], scopes: ['posts:write'] }).expect(409);
    expect(await tableCounts(t)).toEqual(before);
    // Lists: the operator sees its own, the county both (its region).
    const mine = (await t.http.get('/api/v1/platforms').set(admin.auth).expect(200)).body;
    expect(mine.items.map((x: { id: string }) => x.id)).toContain(p.id);
    expect(mine.items.map((x: { id: string }) => x.id)).not.toContain(byCounty.id);
    const countyList = (await t.http.get('/api/v1/platforms').query({ pageSize: 200 }).set(county.auth).expect(200)).body;
    expect(countyList.items.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining([p.id, byCounty.id]));
  });

  it('ingests a post through the jobs seam: pending review, idempotent on platform + external id, then reviewed as any post', async () => {
    const p = await register(admin);
    const first = await call(p, 'POST', '/api/v1/connect/posts', post('ext-1')).expect(200);
    expect(first.body).toMatchObject({ created: true, post: { status: 'pending_review', source: 'third_party', platform: p.code, externalId: 'ext-1' } });
    const before = await tableCounts(t);
    const again = await call(p, 'POST', '/api/v1/connect/posts', post('ext-1', { title: '改了标题也不会重复建' })).expect(200);
    expect(again.body).toMatchObject({ created: false, post: { id: first.body.post.id, title: first.body.post.title } });
    // The repeat changed nothing but its audit line and the call counter.
    const after = await tableCounts(t);
    expect({ ...after, audit_events: 0 }).toEqual({ ...before, audit_events: 0 });
    expect(after['audit_events']).toBe(before['audit_events'] + 1);
    // Two identical pushes at once: one post.
    const burst = await Promise.all([1, 2, 3].map(() => call(p, 'POST', '/api/v1/connect/posts', post('ext-burst'))));
    expect(burst.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(burst.filter((r) => r.body.created)).toHaveLength(1);
    expect(new Set(burst.map((r) => r.body.post.id)).size).toBe(1);
    // Same review as a desk post.
    await t.http.post(`/api/v1/posts/${first.body.post.id}/review`).set(admin.auth).send({ decision: 'published' }).expect(200);
    const mine = await call(p, 'GET', `/api/v1/connect/posts?marketId=${f.market.id}&externalId=ext-1`).expect(200);
    expect(mine.body).toMatchObject({ total: 1, items: [{ id: first.body.post.id, status: 'published', externalId: 'ext-1' }] });
    // Audited as calls of the platform, with its name as the actor.
    const calls = await t.owner.query(`SELECT actor_username, summary FROM audit_events WHERE action = 'platform.call' AND subject_id = $1 ORDER BY occurred_at`, [p.id]);
    expect(calls.length).toBeGreaterThanOrEqual(6);
    expect(calls[0].actor_username).toBe(`platform:${p.code}`);
    const [{ calls: counted }] = await t.owner.query('SELECT calls FROM platforms WHERE id = $1', [p.id]);
    expect(Number(counted)).toBe(calls.length);
  });

  it('refuses a wrong secret, an expired timestamp, a replayed nonce, a tampered body, a disabled key and a scope not granted — a problem document each, nothing stored', async () => {
    const p = await register(admin);
    const readOnly = await register(admin, { scopes: ['posts:read'] });
    const off = await register(admin);
    await t.http.post(`/api/v1/platforms/${off.id}/disable`).set(admin.auth).send({ reason: '合作协议到期' }).expect(200);
    const body = post('ext-refused');
    // The replay: a request accepted once, then sent again byte for byte.
    const raw = JSON.stringify(body);
    const headers = signRequest({ appKey: p.appKey, secret: p.secret, method: 'POST', path: '/api/v1/connect/posts', body: raw });
    await t.http.post('/api/v1/connect/posts').set(headers).set('Content-Type', 'application/json').send(raw).expect(200);
    const before = await tableCounts(t);
    const cases: [string, () => ReturnType<typeof call>, number, string][] = [
      ['wrong secret', () => call({ ...p, secret: 'lgs_not-the-secret' }, 'POST', '/api/v1/connect/posts', post('ext-w')), 401, 'platform_signature_invalid'],
      ['expired timestamp', () => call(p, 'POST', '/api/v1/connect/posts', post('ext-t'), { sign: { timestamp: Math.floor(Date.now() / 1000) - 301 } }), 401, 'platform_timestamp_skew'],
      ['future timestamp', () => call(p, 'POST', '/api/v1/connect/posts', post('ext-t2'), { sign: { timestamp: Math.floor(Date.now() / 1000) + 400 } }), 401, 'platform_timestamp_skew'],
      ['replayed nonce', () => t.http.post('/api/v1/connect/posts').set(headers).set('Content-Type', 'application/json').send(raw) as never, 409, 'platform_nonce_replayed'],
      ['tampered body', () => call(p, 'POST', '/api/v1/connect/posts', post('ext-b'), { sendBody: JSON.stringify(post('ext-b', { wageFen: 1 })) }), 401, 'platform_signature_invalid'],
      ['other path signed', () => call(p, 'POST', '/api/v1/connect/posts', post('ext-p'), { sign: { path: '/api/v1/connect/outcomes' } }), 401, 'platform_signature_invalid'],
      ['disabled key', () => call(off, 'POST', '/api/v1/connect/posts', post('ext-d')), 403, 'platform_disabled'],
      ['scope not granted', () => call(readOnly, 'POST', '/api/v1/connect/posts', post('ext-s')), 403, 'platform_scope_missing'],
      ['unknown key', () => call({ ...p, appKey: `lgk_${'0'.repeat(32)}` }, 'POST', '/api/v1/connect/posts', post('ext-k')), 401, 'platform_key_unknown'],
      ['no signature', () => t.http.post('/api/v1/connect/posts').send(post('ext-n')) as never, 401, 'platform_signature_missing'],
      ['market not granted', () => call(p, 'POST', '/api/v1/connect/posts', { ...post('ext-m'), marketId: '00000000-0000-7000-8000-000000000001' }), 403, 'platform_market_not_granted'],
    ];
    for (const [name, run, status, key] of cases) {
      const res = await run();
      expect({ name, status: res.status, type: res.headers['content-type'] }).toEqual({ name, status, type: expect.stringContaining('application/problem+json') });
      expect({ name, title: res.body.title }).toEqual({ name, title: MESSAGES['zh-CN'][key] });
    }
    // In the caller's language.
    const en = await call({ ...p, secret: 'lgs_wrong' }, 'POST', '/api/v1/connect/posts', post('ext-en'), { lang: 'en' }).expect(401);
    expect(en.body.title).toBe(MESSAGES.en['platform_signature_invalid']);
    expect(await tableCounts(t)).toEqual(before);
  });

  it('limits calls per key and minute, and a rotated secret replaces the old one at once', async () => {
    const p = await register(admin, { ratePerMinute: 2 });
    // Two in the window, the third refused (unless the minute turns between: then the new window allows two more).
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await call(p, 'GET', `/api/v1/connect/posts?marketId=${f.market.id}`)).status);
    expect(codes.filter((c) => c === 200).length).toBeLessThanOrEqual(4);
    expect(codes).toContain(429);
    const q = await register(admin);
    const rotated = (await t.http.post(`/api/v1/platforms/${q.id}/rotate`).set(admin.auth).expect(200)).body;
    expect(rotated.secret).not.toBe(q.secret);
    await call(q, 'GET', `/api/v1/connect/posts?marketId=${f.market.id}`).expect(401);
    await call({ ...q, secret: rotated.secret }, 'GET', `/api/v1/connect/posts?marketId=${f.market.id}`).expect(200);
    // Disable twice: the second is 409; a disabled platform cannot be rotated.
    await t.http.post(`/api/v1/platforms/${q.id}/disable`).set(admin.auth).send({ reason: '停止合作' }).expect(200);
    await t.http.post(`/api/v1/platforms/${q.id}/disable`).set(admin.auth).send({ reason: '停止合作' }).expect(409);
    await t.http.post(`/api/v1/platforms/${q.id}/rotate`).set(admin.auth).expect(409);
    // Two disables at once: one succeeds, one 409, one audit event.
    const r = await register(admin);
    const both = await Promise.all([1, 2].map(() => t.http.post(`/api/v1/platforms/${r.id}/disable`).set(admin.auth).send({ reason: '并发停用' })));
    expect(both.map((x) => x.status).sort()).toEqual([200, 409]);
    const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'platform.disable' AND subject_id = $1`, [r.id]);
    expect(n).toBe(1);
  });

  it('appends outcomes to the work log with their source, idempotently, and the analytics count them apart from the desk', async () => {
    const p = await register(admin);
    await call(p, 'POST', '/api/v1/connect/posts', post('job-9')).expect(200);
    const out = (step: string, externalId: string, extra: Record<string, unknown> = {}) =>
      call(p, 'POST', '/api/v1/connect/outcomes', { marketId: f.market.id, step, externalId, postExternalId: 'job-9', occurredAt: at(-30), ...extra });
    const hire = (await out('hire', 'h-1', { persons: 2 }).expect(200)).body;
    expect(hire).toMatchObject({ created: true, step: 'hire', persons: 2, postId: expect.any(String), ledgerSeq: expect.any(Number) });
    const again = (await out('hire', 'h-1', { persons: 2 }).expect(200)).body;
    expect(again).toMatchObject({ created: false, id: hire.id, ledgerSeq: hire.ledgerSeq });
    await out('start', 'h-1', { persons: 2 }).expect(200);
    await out('settlement', 'h-1', { persons: 1, amountFen: 18000 }).expect(200);
    await out('hire', 'h-2').expect(200);
    // An unknown post: 422, nothing stored.
    const before = await tableCounts(t);
    await out('hire', 'h-3', { postExternalId: 'no-such-post' }).expect(422);
    expect(await tableCounts(t)).toEqual(before);
    // In the work log, chained, marked with the source.
    const entries = await t.owner.query(`SELECT seq, payload, prev_hash, hash FROM ledger_entries WHERE market_id = $1 AND kind = 'platform_outcome' ORDER BY seq`, [f.market.id]);
    expect(entries).toHaveLength(4);
    for (const e of entries) expect(e.payload).toMatchObject({ source: `third_party:${p.code}`, platform: p.code });
    const verified = (await t.http.get(`/api/v1/markets/${f.market.id}/ledger/verify`).query({ from: TODAY, to: TODAY }).set(admin.auth).expect(200)).body;
    expect(verified.ok).toBe(true);
    // Seal the day and roll it up: the platform's figures equal an independent sum over the work log; the desk's hire count leaves them out.
    await t.http.post(`/api/v1/markets/${f.market.id}/ledger/days/${TODAY}/close`).set(admin.auth).send({ reason: '测试：提前日结' }).expect(201);
    await t.app.get(AnalyticsService).rollupRange({ marketIds: [f.market.id], from: TODAY, to: TODAY, onlyStale: false });
    const kpis = (await t.http.get('/api/v1/analytics/kpis').query({ marketId: f.market.id, from: TODAY, to: TODAY, kpis: 'platform_hires,platform_starts,platform_settlements,hires_confirmed,hires_started' })
      .set(admin.auth).expect(200)).body as { figures: { code: string; value: number }[] };
    const got = Object.fromEntries(kpis.figures.map((x) => [x.code, x.value]));
    const sql = async (where: string) => Number((await t.owner.query(`SELECT COALESCE(sum((payload->>'persons')::int), 0)::int AS n FROM ledger_entries WHERE market_id = $1 AND kind = 'platform_outcome' AND ${where}`, [f.market.id]))[0].n);
    const desk = async (kind: string) => Number((await t.owner.query('SELECT count(*)::int AS n FROM ledger_entries WHERE market_id = $1 AND kind = $2', [f.market.id, kind]))[0].n);
    expect(got).toEqual({
      platform_hires: await sql(`payload->>'step' = 'hire'`), platform_starts: await sql(`payload->>'step' = 'start'`),
      platform_settlements: await sql(`payload->>'step' = 'settlement'`), hires_confirmed: await desk('hire_confirmed'), hires_started: await desk('hire_started'),
    });
    expect(got).toMatchObject({ platform_hires: 3, platform_starts: 2, platform_settlements: 1, hires_confirmed: 0, hires_started: 0 });
  });
});
