import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createClient from 'openapi-fetch';
import { signRequest } from '@linggong/api-platforms';
import type { paths } from '../support/linggong-api';
import { feedOpenPosts, myPosts, platformClient, pushPost } from '../support/platform-client';
import { bootApp, freshTenant, login, type TestApp } from '../support/app';

const ROOT = join(__dirname, '../..');
const TYPES = join(ROOT, 'tests/support/linggong-api.d.ts');

/**
 * The OpenAPI document (issue 18 §5): one OpenAPI 3.1 document that Spectral's OAS ruleset passes without a single
 * problem, every operation with its success answer, a description and a defined tag; a maintained generator
 * (openapi-typescript) makes a typed client from /api/docs-json, and openapi-fetch uses it for a signed platform
 * ingest and a read.
 */
describe('OpenAPI document and a generated typed client', () => {
  let t: TestApp;
  let doc: Record<string, any>;
  const dir = mkdtempSync(join(tmpdir(), 'lg-openapi-'));

  beforeAll(async () => {
    t = await bootApp();
    doc = (await t.http.get('/api/docs-json').expect(200)).body;
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc));
  });
  afterAll(() => t.close());

  it('the response views are what the controllers return today (tools/openapi/views.mjs --check)', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'tools/openapi/views.mjs'), '--check'], { encoding: 'utf8' });
    expect({ status: r.status, err: r.stderr }).toEqual({ status: 0, err: '' });
  });

  it('lints clean with Spectral\'s OAS ruleset: no error, no warning', () => {
    const r = spawnSync(join(ROOT, 'node_modules/.bin/spectral'), ['lint', join(dir, 'openapi.json'), '-r', join(ROOT, '.spectral.yaml'), '-f', 'json', '-o', join(dir, 'lint.json'), '--fail-severity', 'hint'],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const problems = JSON.parse(readFileSync(join(dir, 'lint.json'), 'utf8') || '[]') as { code: string; message: string; path: string[] }[];
    expect(problems.map((p) => `${p.code} ${p.path.join('.')}: ${p.message}`)).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('documents every operation: success answer, description, defined tags', () => {
    expect(doc['openapi']).toBe('3.1.0');
    const tags = new Set((doc['tags'] as { name: string }[]).map((x) => x.name));
    const missing: string[] = [];
    let n = 0;
    for (const [path, item] of Object.entries(doc['paths'] as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(item)) {
        n++;
        const ok = Object.entries(op.responses as Record<string, any>).find(([code]) => code.startsWith('2'));
        if (!ok) missing.push(`${method} ${path}: no success response`);
        else if (ok[0] !== '204' && !ok[1].content) missing.push(`${method} ${path}: success without content`);
        else if (ok[0] !== '204' && Object.values(ok[1].content as Record<string, any>).some((c) => !c.schema)) missing.push(`${method} ${path}: success without schema`);
        if (!op.description) missing.push(`${method} ${path}: no description`);
        if (!op.tags?.length || op.tags.some((x: string) => !tags.has(x))) missing.push(`${method} ${path}: tag not defined`);
      }
    }
    expect(missing).toEqual([]);
    expect(n).toBeGreaterThan(250);
    // The views are the services' types, not "any": a post, a page of platforms, a KPI result.
    const json = (id: string) => Object.values(doc['paths'] as Record<string, Record<string, any>>).flatMap((i) => Object.values(i)).find((o) => o.operationId === id);
    expect(json('jobs_getPost').responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/PostView' });
    expect(doc['components'].schemas['PostView'].required).toEqual(expect.arrayContaining(['id', 'status', 'title', 'redFlags']));
    expect(json('platforms_list').responses['200'].content['application/json'].schema.properties.items.items.properties.appKey).toEqual({ type: 'string' });
  });

  it('generates a typed client with openapi-typescript that equals the committed one, and openapi-fetch uses it for a signed ingest and a feed read', async () => {
    // The generator's own CLI (ESM inside; run as a process, as a platform's build would).
    const gen = spawnSync(join(ROOT, 'node_modules/.bin/openapi-typescript'), [join(dir, 'openapi.json'), '-o', join(dir, 'api.d.ts')], { encoding: 'utf8' });
    expect(gen.status).toBe(0);
    const generated = readFileSync(join(dir, 'api.d.ts'), 'utf8');
    if (process.env['UPDATE_OPENAPI_TYPES'] === '1') writeFileSync(TYPES, generated);
    expect(generated === readFileSync(TYPES, 'utf8') ? 'up to date' : 'tests/support/linggong-api.d.ts differs: rerun with UPDATE_OPENAPI_TYPES=1').toBe('up to date');

    const f = await freshTenant(t, 'oa');
    const admin = await login(t, f.adminUser.username, f.password);
    const desk = await login(t, f.deskUser.username, f.password);
    await t.app.listen(0, '127.0.0.1');
    const baseUrl = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    // Signed-in calls with the bearer token; platform calls signed by a middleware over the exact bytes sent.
    const staff = (token: string) => createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
    const emp = await staff(desk.token).POST('/api/v1/markets/{id}/employers', {
      params: { path: { id: f.market.id } },
      body: { kind: 'company', name: '中牟县客户端测试物流公司', creditCode: '91350100M000100Y43', contactName: '赵经理', contactPhone: '13900005555' },
    });
    expect(emp.response.status).toBe(201);
    const employerId: string = emp.data!.id;
    await staff(admin.token).POST('/api/v1/employers/{id}/verification', { params: { path: { id: employerId } }, body: { decision: 'verified', evidence: '营业执照原件已核验' } });
    const reg = await staff(admin.token).POST('/api/v1/platforms', { body: { code: `oa${Date.now().toString(36)}`, name: '客户端测试平台', marketIds: [f.market.id], scopes: ['posts:write', 'posts:read'] } });
    expect(reg.response.status).toBe(201);
    const creds = reg.data!;
    const secret: string = creds.secret;
    // The client module type-checks on its own against the generated types (the suites compile without type checks).
    const tsc = spawnSync(join(ROOT, 'node_modules/.bin/tsc'), ['--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext',
      '--types', 'node', join(ROOT, 'tests/support/platform-client.ts')], { encoding: 'utf8' });
    expect({ status: tsc.status, out: tsc.stdout }).toEqual({ status: 0, out: '' });
    const platform = platformClient(baseUrl, creds.appKey, secret);
    const pushed = await pushPost(platform, f.market.id, employerId, 'client-1');
    expect(pushed).toMatchObject({ status: 200, created: true, postStatus: 'pending_review' });
    expect(await myPosts(platform, f.market.id, 'client-1')).toEqual({ status: 200, total: 1, items: [{ externalId: 'client-1', status: 'pending_review' }] });
    // A feed read with the same generated types: the post, once published, is in the region's open posts.
    await staff(admin.token).POST('/api/v1/posts/{id}/review', { params: { path: { id: pushed.id! } }, body: { decision: 'published' } });
    const feed = await feedOpenPosts(baseUrl, '410122');
    expect(feed).toMatchObject({ status: 200, changesCursor: expect.any(String), etag: expect.stringMatching(/^"/) });
    expect(feed.ids).toContain(pushed.id);
    // A typed problem answer: a wrong secret.
    const bad = createClient<paths>({ baseUrl });
    bad.use({ onRequest: ({ request }) => { const u = new URL(request.url); for (const [k, v] of Object.entries(signRequest({ appKey: creds.appKey, secret: 'lgs_wrong', method: 'GET', path: u.pathname + u.search }))) request.headers.set(k, v); return request; } });
    const refused = await bad.GET('/api/v1/connect/posts', { params: { query: { marketId: f.market.id } } });
    expect(refused.response.status).toBe(401);
  });
});
