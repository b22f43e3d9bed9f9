import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { WebhooksService, hmacHex } from '@linggong/api-platforms';
import { entryHash, type LedgerEntry } from '@linggong/ledger-chain';
import { loadConfig } from '@linggong/api-core';
import { WorkerModule } from '../../apps/worker/src/app/worker.module';
import { bootApp, demoId, freshTenant, login, type Session, type TestApp } from '../support/app';

const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let phone = 13600000000 + (Date.now() % 1_000_000) * 10;

/**
 * The province feed and webhooks (issue 18 §4): open posts with ETag / If-None-Match, paging and a changes-since
 * cursor; signed webhook deliveries retried with backoff on BullMQ that survive a worker restart — every event
 * delivered, one delivery id per event.
 */
describe('province feed and webhooks', () => {
  let t: TestApp;
  let f: Awaited<ReturnType<typeof freshTenant>>;
  let admin: Session;
  let desk: Session;
  let employerId: string;
  let n = 0;
  const publish = async () => {
    const p = (await t.http.post(`/api/v1/markets/${f.market.id}/posts`).set(desk.auth).send({
      employerId, occupation: '保洁员', title: `写字楼保洁${++n}`, headcount: 2, wageFen: 16000, wageUnit: 'day', period: 'same_day', startAt: at(90), place: '中牟县商务中心',
    }).expect(201)).body;
    await t.http.post(`/api/v1/posts/${p.id}/review`).set(admin.auth).send({ decision: 'published' }).expect(200);
    return p.id as string;
  };

  beforeAll(async () => {
    t = await bootApp();
    f = await freshTenant(t, 'fd');
    admin = await login(t, f.adminUser.username, f.password);
    desk = await login(t, f.deskUser.username, f.password);
    const emp = (await t.http.post(`/api/v1/markets/${f.market.id}/employers`).set(desk.auth)
      .send({ kind: 'company', name: '中牟县洁净物业公司', creditCode: '91350100M000100Y43', contactName: '孙经理', contactPhone: '13900006666' }).expect(201)).body;
    await t.http.post(`/api/v1/employers/${emp.id}/verification`).set(admin.auth).send({ decision: 'verified', evidence: '营业执照原件已核验' }).expect(200);
    employerId = emp.id;
  });
  afterAll(() => t.close());

  it('serves open posts with ETag / If-None-Match and paging, and the changes since a cursor', async () => {
    const first = await publish();
    const snap = await t.http.get('/api/v1/feed/posts').query({ region: '410122', pageSize: 500 }).expect(200);
    expect(snap.body.items.map((p: { id: string }) => p.id)).toContain(first);
    expect(snap.body.items.find((p: { id: string }) => p.id === first)).toMatchObject({ marketId: f.market.id, employerVerified: true, status: 'published', wageFen: 16000 });
    expect(snap.headers['etag']).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await t.http.get('/api/v1/feed/posts').query({ region: '410122', pageSize: 500 }).set('If-None-Match', snap.headers['etag']).expect(304);
    expect(again.text ?? '').toBe('');
    // Paging: page 2 of size 1 is the second item of the snapshot.
    const p2 = await t.http.get('/api/v1/feed/posts').query({ region: '410122', pageSize: 1, page: 2 }).expect(200);
    expect(p2.body).toMatchObject({ page: 2, pageSize: 1, total: snap.body.total });
    if (snap.body.total > 1) expect(p2.body.items[0].id).toBe(snap.body.items[1].id);
    // Changes since the snapshot: two new posts, then one withdrawn.
    const a = await publish();
    const b = await publish();
    const ch = await t.http.get('/api/v1/feed/posts/changes').query({ region: '410122', cursor: snap.body.changesCursor }).expect(200);
    expect(ch.body.items.map((c: { change: string; post: { id: string } }) => [c.change, c.post.id])).toEqual([['published', a], ['published', b]]);
    expect(ch.body.hasMore).toBe(false);
    await t.http.post(`/api/v1/posts/${a}/withdraw`).set(admin.auth).send({ reason: '岗位已招满，撤回' }).expect(200);
    const ch2 = await t.http.get('/api/v1/feed/posts/changes').query({ region: '410122', cursor: ch.body.nextCursor }).expect(200);
    expect(ch2.body.items.map((c: { change: string; post: { id: string; status: string } }) => [c.change, c.post.id, c.post.status])).toEqual([['closed', a, 'withdrawn']]);
    // Nothing new: the same cursor back, and the same ETag answers 304.
    const ch3 = await t.http.get('/api/v1/feed/posts/changes').query({ region: '410122', cursor: ch2.body.nextCursor }).expect(200);
    expect(ch3.body).toEqual({ items: [], nextCursor: ch2.body.nextCursor, hasMore: false });
    await t.http.get('/api/v1/feed/posts/changes').query({ region: '410122', cursor: ch2.body.nextCursor }).set('If-None-Match', ch3.headers['etag']).expect(304);
    // A malformed cursor or region is a 400 problem, not a 500.
    const bad = await t.http.get('/api/v1/feed/posts/changes').query({ region: '410122', cursor: 'bm90LWEtY3Vyc29yLWF0LWFsbA' }).expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    await t.http.get('/api/v1/feed/posts').query({ region: '4x' }).expect(400);
    // A region elsewhere does not see these posts.
    const other = await t.http.get('/api/v1/feed/posts').query({ region: '42', pageSize: 500 }).expect(200);
    expect(other.body.items.map((p: { id: string }) => p.id)).not.toContain(first);
    // The directory and the releases, with ETags.
    const dir = await t.http.get('/api/v1/feed/directory').query({ region: '41' }).expect(200);
    expect(dir.body).toMatchObject({ items: expect.any(Array), total: expect.any(Number), page: 1 });
    await t.http.get('/api/v1/feed/directory').query({ region: '41' }).set('If-None-Match', dir.headers['etag']).expect(304);
    const rel = await t.http.get('/api/v1/feed/releases').expect(200);
    expect(Array.isArray(rel.body)).toBe(true);
    await t.http.get('/api/v1/feed/releases').set('If-None-Match', rel.headers['etag']).expect(304);
    // One release: as the release page serves it, with an ETag; a month not released (or a malformed path) is a 404 problem.
    if (rel.body[0]) {
      const one = await t.http.get(`/api/v1/feed/releases/${rel.body[0].provinceCode}/${rel.body[0].month}`).expect(200);
      expect(one.body).toMatchObject({ provinceCode: rel.body[0].provinceCode, month: rel.body[0].month, digest: rel.body[0].digest });
      await t.http.get(`/api/v1/feed/releases/${rel.body[0].provinceCode}/${rel.body[0].month}`).set('If-None-Match', one.headers['etag']).expect(304);
    }
    expect((await t.http.get('/api/v1/feed/releases/41/2001-01').expect(404)).headers['content-type']).toContain('application/problem+json');
    await t.http.get('/api/v1/feed/releases/xx/2001-01').expect(404);
  });

  it('delivers subscribed events signed, retries with backoff, and survives a worker restart: no loss, one delivery id per event', async () => {
    // The platform's receiver: the first two requests fail (retries), every request's signature is checked.
    const got: { id: string; event: string; key: string; valid: boolean }[] = [];
    let requests = 0;
    let secret = '';
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requests++;
        const id = String(req.headers['x-linggong-delivery']);
        const sig = hmacHex(secret, `${req.headers['x-linggong-timestamp']}\n${id}\nPOST\n${req.url}\n${body}`);
        const payload = JSON.parse(body);
        got.push({ id, event: String(req.headers['x-linggong-event']), key: JSON.stringify(payload.data), valid: sig === req.headers['x-linggong-signature'] && payload.id === id });
        res.statusCode = requests <= 2 ? 500 : 200;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/linggong?x=1`;
    const reg = (await t.http.post('/api/v1/platforms').set(admin.auth).send({
      code: `wh${Date.now().toString(36)}`, name: '推送测试平台', marketIds: [f.market.id], scopes: ['posts:read'], webhookUrl: url, webhookEvents: ['post.published', 'hire.started'],
    }).expect(201)).body;
    secret = reg.secret;
    // An http URL elsewhere is refused.
    await t.http.post('/api/v1/platforms').set(admin.auth).send({ code: `wx${Date.now().toString(36)}`, name: '外网明文地址', marketIds: [f.market.id], scopes: ['posts:read'], webhookUrl: 'http://example.com/hook', webhookEvents: ['post.published'] }).expect(422);

    const config = loadConfig({ ...process.env, REDIS_PREFIX: `wh${Date.now().toString(36)}` });
    const boot = async () => {
      const w = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
      await w.init();
      return w;
    };
    const rows = async () => t.owner.query(`SELECT id, event, event_key, status, attempts FROM webhook_deliveries WHERE platform_id = $1 ORDER BY created_at`, [reg.id]) as Promise<{ id: string; event: string; event_key: string; status: string; attempts: number }[]>;
    const until = async (cond: () => Promise<boolean>, ms: number) => {
      const end = Date.now() + ms;
      while (Date.now() < end) { if (await cond()) return true; await sleep(500); }
      return false;
    };

    // Events before the worker runs: three posts published and a hire started.
    const posts = [await publish(), await publish(), await publish()];
    const w = (await t.http.post(`/api/v1/markets/${f.market.id}/workers`).set(desk.auth).send({ name: '钱多多', mobile: String(++phone), consent: true }).expect(201)).body;
    const pl = (await t.http.post('/api/v1/placements').set(desk.auth).send({ postId: posts[0], workerId: w.id }).expect(201)).body;
    await t.http.post(`/api/v1/placements/${pl.id}/confirm`).set(desk.auth).send({ party: 'both' }).expect(200);
    await t.http.post(`/api/v1/placements/${pl.id}/start`).set(desk.auth).send({}).expect(200);

    let worker: INestApplicationContext = await boot();
    try {
      // The first scan turns them into four deliveries; two fail first and are retried.
      expect(await until(async () => (await rows()).length === 4 && got.length >= 1, 30_000)).toBe(true);
    } finally {
      // Stop the worker mid-way (retries pending in BullMQ), then more events while it is down.
      await worker.close();
    }
    const more = [await publish(), await publish()];
    worker = await boot();
    try {
      expect(await until(async () => { const r = await rows(); return r.length === 6 && r.every((x) => x.status === 'delivered'); }, 90_000)).toBe(true);
    } finally {
      await worker.close();
      server.close();
    }
    const r = await rows();
    expect(r.map((x) => x.event).sort()).toEqual(['hire.started', 'post.published', 'post.published', 'post.published', 'post.published', 'post.published']);
    const publishedIds = r.filter((x) => x.event === 'post.published').map((x) => x.id);
    expect(publishedIds).toHaveLength(5);
    expect(r.some((x) => x.attempts > 1)).toBe(true);
    // Every request was signed; the receiver saw exactly the delivery ids of the rows (retries reuse theirs), each event once delivered.
    expect(got.every((g) => g.valid)).toBe(true);
    expect([...new Set(got.map((g) => g.id))].sort()).toEqual(r.map((x) => x.id).sort());
    const keysById = new Map<string, Set<string>>();
    for (const g of got) keysById.set(g.id, (keysById.get(g.id) ?? new Set()).add(g.key));
    expect([...keysById.values()].every((s) => s.size === 1)).toBe(true);
    expect(new Set(got.map((g) => g.key)).size).toBe(6);
    for (const p of [...posts, ...more]) expect(got.some((g) => g.event === 'post.published' && JSON.parse(g.key).postId === p)).toBe(true);
    // The delivery log, for the console.
    const log = (await t.http.get(`/api/v1/platforms/${reg.id}/deliveries`).set(admin.auth).expect(200)).body;
    expect(log).toMatchObject({ total: 6, items: expect.arrayContaining([expect.objectContaining({ status: 'delivered', url })]) });
  });

  it('an entry whose transaction commits long after its recorded time is still delivered, exactly once (the scan goes by seq per market)', async () => {
    const hooks = t.app.get(WebhooksService, { strict: false });
    const reg = (await t.http.post('/api/v1/platforms').set(admin.auth).send({
      code: `wl${Date.now().toString(36)}`, name: '迟到提交测试平台', marketIds: [f.market.id], scopes: ['posts:read'], webhookUrl: 'http://127.0.0.1:9/hooks', webhookEvents: ['post.published'],
    }).expect(201)).body;
    const keys = async () => (await t.owner.query(`SELECT event_key FROM webhook_deliveries WHERE platform_id = $1 ORDER BY event_key`, [reg.id]) as { event_key: string }[]).map((r) => r.event_key);
    const state = async () => (await t.owner.query('SELECT webhook_cursor, webhook_seqs FROM platforms WHERE id = $1', [reg.id]))[0] as { webhook_cursor: Date; webhook_seqs: Record<string, number> };
    const headSeq = async () => Number((await t.owner.query('SELECT last_seq FROM ledger_heads WHERE market_id = $1', [f.market.id]))[0].last_seq);

    // The first look at the market is by time (since the platform's creation): the post published now.
    await publish();
    await hooks.scan();
    const first = await keys();
    expect(first).toHaveLength(1);
    let st = await state();
    expect(st.webhook_seqs).toEqual({ [f.market.id]: await headSeq() });

    // A late commit: the entry was recorded (its head locked) five minutes before the cursor, its transaction commits only now —
    // beyond the time cursor's 30 s overlap. Appended as the ledger does, so the chain stays valid.
    const late = await t.owner.transaction(async (em) => {
      const [h] = await em.query('SELECT last_seq, last_hash FROM ledger_heads WHERE market_id = $1 FOR UPDATE', [f.market.id]);
      const [prev] = await em.query(`SELECT tenant_id, region_code, business_day::text AS day, alg, payload FROM ledger_entries WHERE market_id = $1 AND kind = 'post_published' ORDER BY seq DESC LIMIT 1`, [f.market.id]);
      const recordedAt = new Date(st.webhook_cursor.getTime() - 5 * 60_000).toISOString();
      const postId = randomUUID();
      const e: Omit<LedgerEntry, 'hash'> = {
        marketId: f.market.id, seq: Number(h.last_seq) + 1, kind: 'post_published', occurredAt: recordedAt, recordedAt, businessDay: prev.day, actorUserId: null,
        subjectType: 'Post', subjectId: postId, payload: { ...prev.payload, postId }, corrects: null, reason: null, attachments: [], prevHash: h.last_hash, alg: prev.alg,
      };
      const hash = entryHash(e);
      await em.query(
        `WITH e AS (INSERT INTO ledger_entries (market_id, seq, id, tenant_id, region_code, kind, occurred_at, recorded_at, business_day, actor_user_id, subject_type, subject_id, payload, corrects, reason, attachments, prev_hash, hash, alg)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $11, $12, NULL, NULL, '{}', $13, $14, $15) RETURNING market_id, seq, hash)
         UPDATE ledger_heads h SET last_seq = e.seq, last_hash = e.hash FROM e WHERE h.market_id = e.market_id`,
        [e.marketId, e.seq, randomUUID(), prev.tenant_id, prev.region_code, e.kind, e.occurredAt, e.recordedAt, e.businessDay, e.subjectType, e.subjectId, JSON.stringify(e.payload), e.prevHash, hash, e.alg]);
      return { seq: e.seq, postId };
    });
    await publish();
    await hooks.scan();
    await hooks.scan();
    const after = await keys();
    expect(after).toHaveLength(3);
    expect(after.filter((k) => k === `${f.market.id}:${late.seq}`)).toHaveLength(1);
    const [d] = await t.owner.query(`SELECT payload FROM webhook_deliveries WHERE platform_id = $1 AND event_key = $2`, [reg.id, `${f.market.id}:${late.seq}`]);
    expect(d.payload.data).toMatchObject({ marketId: f.market.id, seq: late.seq, postId: late.postId });
    st = await state();
    expect(st.webhook_seqs).toEqual({ [f.market.id]: await headSeq() });

    // A market taken out of the set leaves the map (added again, it starts over by time); one added is looked at up to its head.
    const other = demoId('m-zhongmu');
    await t.owner.query(`UPDATE platforms SET market_ids = ARRAY[$2::uuid] WHERE id = $1`, [reg.id, other]);
    await hooks.scan();
    const otherHead = Number((await t.owner.query('SELECT last_seq FROM ledger_heads WHERE market_id = $1', [other]))[0]?.last_seq ?? 0);
    expect((await state()).webhook_seqs).toEqual({ [other]: otherHead });
    expect((await keys()).filter((k) => k.startsWith(f.market.id))).toEqual(after);
  });
});
