import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { BASE_URL, launch, shot, signIn } from './support/browser';
import { BROWSER_ENV } from './support/env';

const root = join(__dirname, '../..');
async function api(username: string) {
  const res = await fetch(`${BASE_URL}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'Linggong@2026' }) });
  const { token } = (await res.json()) as { token: string };
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${BASE_URL}/api/v1${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
}
/** A signed platform call, as a platform computes it (docs/api.md). */
async function signedGet(appKey: string, secret: string, path: string): Promise<number> {
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const sig = createHmac('sha256', secret).update(`${ts}\n${nonce}\nGET\n${path}\n`).digest('hex');
  return (await fetch(`${BASE_URL}${path}`, { headers: { 'x-linggong-key': appKey, 'x-linggong-timestamp': ts, 'x-linggong-nonce': nonce, 'x-linggong-signature': sig } })).status;
}

/** Third-party platforms in the console (issue 18 §3–4): register with the secret shown once, rotate, disable; the delivery log. */
describe('third-party platforms in the console', () => {
  let browser: Browser;
  let worker: ChildProcess | undefined;
  let receiver: Server | undefined;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    if (worker?.pid) process.kill(worker.pid, 'SIGTERM');
    receiver?.close();
    await browser.close();
  });

  it('the operator admin registers a platform and sees its secret once, rotates and disables it, and reads the webhook delivery log', async () => {
    const admin = await api('op1.admin');
    const desk = await api('op1.desk');
    const markets = await admin<{ items: { id: string; name: string }[] }>('GET', '/markets?pageSize=50');
    const zhongmu = markets.items.find((m) => m.name === '中牟县零工市场')!;

    // A platform subscribed to post.published, a receiver, and the real worker process delivering to it.
    let received = 0;
    receiver = createServer((req, res) => { req.resume(); req.on('end', () => { received++; res.end('ok'); }); });
    await new Promise<void>((r) => receiver!.listen(0, '127.0.0.1', r));
    const hooked = await admin<{ id: string; name: string }>('POST', '/platforms', {
      code: `bh${Date.now().toString(36)}`, name: '快工宝推送测试', marketIds: [zhongmu.id], scopes: ['posts:read'],
      webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`, webhookEvents: ['post.published'],
    });
    const emp = await desk<{ id: string }>('POST', `/markets/${zhongmu.id}/employers`, { kind: 'company', name: '中牟县浏览器测试仓储公司', creditCode: '91350100M000100Y7C', contactName: '郑经理', contactPhone: '13900007777' });
    await admin('POST', `/employers/${emp.id}/verification`, { decision: 'verified', evidence: '营业执照原件已核验' });
    const post = await desk<{ id: string }>('POST', `/markets/${zhongmu.id}/posts`, {
      employerId: emp.id, occupation: '仓库理货员', title: '浏览器测试理货员', headcount: 2, wageFen: 17000, wageUnit: 'day', period: 'same_day',
      startAt: new Date(Date.now() + 3_600_000).toISOString(), place: '中牟县物流园',
    });
    await admin('POST', `/posts/${post.id}/review`, { decision: 'published' });
    worker = spawn('node', ['dist/apps/worker/main.js'], { cwd: root, env: { ...process.env, ...BROWSER_ENV }, stdio: 'ignore' });
    for (let i = 0; i < 60 && !received; i++) await new Promise((r) => setTimeout(r, 500));
    expect(received).toBeGreaterThan(0);

    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage();
    await signIn(page, 'op1.admin');
    await page.getByTestId('menu-platforms').click();
    await page.getByTestId('table-platforms').waitFor();

    // Register: the secret is shown once.
    const code = `br${Date.now().toString(36)}`;
    await page.getByTestId('platform-register').click();
    await page.getByTestId('platform-name').fill('零工宝第三方平台');
    await page.getByTestId('platform-code').fill(code);
    await page.getByTestId('platform-markets').click();
    await page.locator('nz-option-item').filter({ hasText: '中牟县零工市场' }).first().click();
    await page.keyboard.press('Escape');
    // Push posts and report outcomes are offered; reading back its posts is added here.
    await page.getByTestId('platform-scopes').click();
    await page.locator('nz-option-item').filter({ hasText: '读取岗位' }).first().click();
    await page.keyboard.press('Escape');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    const secretEl = page.getByTestId('secret-value');
    await secretEl.waitFor();
    const secret = (await secretEl.textContent())!.trim();
    const appKey = (await page.getByTestId('secret-appkey').textContent())!.trim();
    expect(secret).toMatch(/^lgs_/);
    await page.waitForTimeout(400);
    await shot(page, '150-platform-secret-once');
    const path = `/api/v1/connect/posts?marketId=${zhongmu.id}`;
    expect(await signedGet(appKey, secret, path)).toBe(200);
    await page.getByTestId('secret-done').click();
    // Gone once closed: the list shows the app key, never the secret.
    const row = page.locator('[data-testid="platform-row"]').filter({ hasText: code });
    await row.waitFor();
    expect(await page.getByText(secret).count()).toBe(0);

    // Rotate: a new secret, once; the old one stops working.
    await row.getByTestId('platform-rotate').click();
    await secretEl.waitFor();
    const rotated = (await secretEl.textContent())!.trim();
    expect(rotated).not.toBe(secret);
    await page.getByTestId('secret-done').click();
    expect(await signedGet(appKey, secret, path)).toBe(401);
    expect(await signedGet(appKey, rotated, path)).toBe(200);

    // Disable, with a reason: every call refused.
    await row.getByTestId('platform-disable').click();
    await page.getByTestId('platform-disable-reason').fill('合作协议到期，停止接入');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await row.getByText('已停用').waitFor();
    expect(await signedGet(appKey, rotated, path)).toBe(403);
    await page.waitForTimeout(400);
    await shot(page, '151-platforms-list');

    // The delivery log of the subscribed platform.
    await page.locator('[data-testid="platform-row"]').filter({ hasText: hooked.name }).first().getByTestId('platform-deliveries').click();
    await page.getByTestId('table-deliveries').waitFor();
    await page.getByTestId('delivery-row').first().waitFor();
    await page.getByTestId('delivery-status').getByText('已送达').first().waitFor();
    await page.waitForTimeout(400);
    await shot(page, '152-platform-deliveries');
  });
});
