import type { Browser, Page } from 'playwright-core';
import { BASE_URL, demoCode, demoId, launch, loadedImageWidth, shot, signIn, totpNow } from './support/browser';

/**
 * The second factor in the console (issue 12 item 11): a demo authority user signs in with a code;
 * a new county user is sent to enrolment (QR code and key), confirms with a first code and sees the
 * recovery codes once; the platform admin resets that user's second factor on the users page.
 */
describe('second factor', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(() => browser.close());

  const newPage = async (): Promise<Page> => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    return ctx.newPage();
  };
  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${BASE_URL}/api/v1${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
    });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  };
  /** The platform admin's bearer token, through both steps. */
  const adminToken = async (): Promise<string> => {
    const ch = await post('/auth/login', { username: 'admin', password: 'Linggong@2026' });
    const done = await post('/auth/login/second-factor', { challenge: ch.body.challenge, code: await demoCode('admin') });
    if (done.status !== 200) throw new Error(`admin sign-in: ${done.status} ${JSON.stringify(done.body)}`);
    return done.body.token;
  };

  it('signs a demo county reviewer in with the code from the authenticator (and refuses a wrong one)', async () => {
    const page = await newPage();
    await page.goto(`${BASE_URL}/login`);
    await page.getByTestId('login-username').fill('county.reviewer');
    await page.getByTestId('login-password').fill('Linggong@2026');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('second-factor-step').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await shot(page, 'second-factor-01-code');
    await page.getByTestId('login-code').fill('000000');
    await page.getByTestId('login-code-submit').click();
    await page.getByText('验证码不正确或已使用过').first().waitFor();
    await page.getByTestId('login-code').fill(await demoCode('county.reviewer'));
    await page.getByTestId('login-code-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.getByTestId('menu-home').first().waitFor();
    await page.context().close();
  });

  it('enrols a new county user at the first sign-in (QR code, key, first code, recovery codes), and an admin resets it', async () => {
    const token = await adminToken();
    const username = `cty${Date.now().toString(36)}`;
    const password = 'County-Browser-2026';
    const created = await post('/users', { username, displayName: '中牟县新审核员', password, orgId: demoId('zhongmu'), roles: ['county_reviewer'] }, token);
    expect(created.status).toBe(201);

    const page = await newPage();
    await page.goto(`${BASE_URL}/login`);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('enrol-step').waitFor();
    // The QR code is a real image, and the key is shown for manual entry.
    const qr = page.getByTestId('enrol-qr');
    await qr.waitFor();
    expect(await loadedImageWidth(qr)).toBeGreaterThan(100);
    const secret = (await page.getByTestId('enrol-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await shot(page, 'second-factor-02-enrol');
    // Until a first valid code, nothing is enrolled and no other page opens.
    await page.getByTestId('enrol-code').fill('123456');
    await page.getByTestId('enrol-submit').click();
    await page.getByTestId('login-error').waitFor();
    await page.getByTestId('enrol-code').fill(totpNow(secret));
    await page.getByTestId('enrol-submit').click();
    const list = page.getByTestId('recovery-codes');
    await list.waitFor();
    const codes = await list.locator('li').allTextContents();
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(c.trim()).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    await shot(page, 'second-factor-03-recovery-codes');
    await page.getByTestId('recovery-continue').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.getByTestId('menu-home').first().waitFor();
    await page.context().close();

    // The platform admin resets it on the users page; the user enrols again at the next sign-in.
    const admin = await newPage();
    await signIn(admin, 'admin');
    await admin.getByTestId('menu-users').click();
    await admin.getByTestId('table-users').waitFor();
    await admin.getByPlaceholder('按用户名或姓名搜索').fill(username);
    await admin.getByPlaceholder('按用户名或姓名搜索').press('Enter');
    const row = admin.locator('tr', { hasText: username });
    await row.getByTestId('user-second-factor').waitFor();
    await row.getByTestId('user-reset-second-factor').click();
    await admin.locator('.ant-popover').getByRole('button', { name: /确\s*定|OK/ }).click();
    await admin.getByText('已重置两步验证').first().waitFor();
    await row.getByTestId('user-second-factor').waitFor({ state: 'detached' });
    await shot(admin, 'second-factor-04-admin-reset');
    await admin.context().close();

    const again = await post('/auth/login', { username, password });
    expect(again.body.secondFactor).toBe('enrol');
  });
});
