import type { Browser, Page } from 'playwright-core';
import { BASE_URL, launch, shot, signIn } from './support/browser';

/**
 * The console as its users see it (issue 2 §8): an operator admin and a county reviewer sign in,
 * see the menus their roles allow and a home page with their own data, and switch language.
 * Screenshots are saved under artifacts/screenshots.
 */
describe('console', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(() => browser.close());

  const newPage = async (): Promise<Page> => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    return ctx.newPage();
  };
  const menus = async (page: Page) => {
    const ids = await page.locator('[data-testid^="menu-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    return [...new Set(ids)].sort();
  };

  it('shows the sign-in page and refuses a wrong password with a clear message', async () => {
    const page = await newPage();
    await page.goto(`${BASE_URL}/`);
    await page.waitForURL(/\/login/);
    await shot(page, '01-login');
    await page.getByTestId('login-username').fill('op1.admin');
    await page.getByTestId('login-password').fill('wrong-password');
    await page.getByTestId('login-submit').click();
    await page.getByText('用户名或密码错误').first().waitFor();
    await shot(page, '02-login-wrong-password');
    await page.context().close();
  });

  it('an operator admin sees its markets, users and audit log, and no organisation management', async () => {
    const page = await newPage();
    await signIn(page, 'op1.admin');
    await page.getByTestId('home-operator').waitFor();
    await page.getByText('中牟县零工市场').first().waitFor();
    await page.getByText('新郑市零工市场').first().waitFor();
    expect(await page.getByText('宜阳县零工市场').count()).toBe(0);
    expect(await menus(page)).toEqual(['menu-analytics', 'menu-assessment', 'menu-assistance', 'menu-audit', 'menu-callbacks', 'menu-complaints', 'menu-contracts', 'menu-desk', 'menu-directory', 'menu-employers', 'menu-events', 'menu-exits', 'menu-home', 'menu-inspections', 'menu-ledger', 'menu-markets', 'menu-platforms', 'menu-posts', 'menu-rectifications', 'menu-services', 'menu-tools', 'menu-training', 'menu-users', 'menu-workers']);
    await shot(page, '03-operator-home');

    await page.getByTestId('menu-users').click();
    await page.getByTestId('table-users').waitFor();
    await page.getByText('op1.desk').first().waitFor();
    expect(await page.getByText('op2.desk').count()).toBe(0);
    await shot(page, '04-operator-users');

    await page.getByTestId('menu-markets').click();
    await page.getByTestId('table-markets').waitFor();
    await page.getByText('中牟县官渡镇零工服务站').first().waitFor();
    await shot(page, '05-operator-markets');

    await page.getByTestId('menu-audit').click();
    await page.getByTestId('table-audit').waitFor();
    // Actions in words, actors by display name, subjects by name (issue 17 §4): no action code, no username,
    // no id in the columns (they stay in a row's details).
    await page.getByTestId('audit-action').filter({ hasText: '登录成功' }).first().waitFor();
    const actions = await page.getByTestId('audit-action').allInnerTexts();
    expect(actions.length).toBeGreaterThan(5);
    expect(actions.filter((a) => /^[a-z_]+(\.[a-z_]+)*$/.test(a.trim()))).toEqual([]);
    const actors = await page.getByTestId('audit-actor').allInnerTexts();
    expect(actors.length).toBeGreaterThan(0);
    expect(actors.filter((a) => !a.trim() || /^[a-z0-9_.]+$/.test(a.trim()))).toEqual([]);
    const subjects = await page.getByTestId('audit-subject').allInnerTexts();
    expect(subjects.filter((x) => /[0-9a-f]{8}-[0-9a-f]{4}-/.test(x))).toEqual([]);
    await shot(page, '06-operator-audit');
    await page.context().close();
  });

  it('a county reviewer sees its county\'s operators and markets with counts, and switches to English', async () => {
    const page = await newPage();
    await signIn(page, 'county.reviewer');
    await page.getByTestId('home-authority').waitFor();
    await page.getByText('郑州豫才人力资源服务有限公司').first().waitFor();
    await page.getByText('中牟县官渡镇零工服务站').first().waitFor();
    expect(await page.getByText('宜阳县零工市场').count()).toBe(0);
    // Users: the county bureau's own colleagues only (read User where orgId is its own).
    expect(await menus(page)).toEqual(['menu-analytics', 'menu-assessment', 'menu-assessment-templates', 'menu-assistance', 'menu-audit', 'menu-callbacks', 'menu-complaints', 'menu-contracts', 'menu-directory', 'menu-employers', 'menu-events', 'menu-exits', 'menu-home', 'menu-inspections', 'menu-ledger', 'menu-markets', 'menu-model-markets', 'menu-organisations', 'menu-platforms', 'menu-posts', 'menu-rectifications', 'menu-reports', 'menu-services', 'menu-tools', 'menu-training', 'menu-users', 'menu-workers']);
    await page.getByTestId('chart-markets-by-county').locator('canvas').first().waitFor();
    await page.waitForTimeout(1500); // let the bars finish their entry animation before the screenshot
    await shot(page, '07-county-home');

    await page.getByTestId('lang-switch').first().click();
    await page.getByTestId('menu-markets').getByText('Markets').first().waitFor();
    await shot(page, '08-county-home-en');
    await page.getByTestId('menu-markets').click();
    await page.getByTestId('table-markets').waitFor();
    await shot(page, '09-county-markets-en');
    await page.getByTestId('lang-switch').first().click();
    await page.getByTestId('menu-markets').getByText('市场').first().waitFor();
    await page.context().close();
  });

  it('the platform admin manages organisations; a front-desk user sees only its market', async () => {
    const page = await newPage();
    await signIn(page, 'admin');
    await page.getByTestId('home-platform').waitFor();
    await page.getByTestId('menu-organisations').click();
    await page.getByTestId('table-organisations').waitFor();
    await page.getByText('洛阳河洛就业服务有限公司').first().waitFor();
    await shot(page, '10-admin-organisations');
    await page.context().close();

    const desk = await newPage();
    await signIn(desk, 'op1.desk');
    await desk.getByTestId('home-operator').waitFor();
    // The desk's menus fit its work: no 日结核验 (the seal review is for those who close or oversee days, issue 17 §5).
    expect(await menus(desk)).toEqual(['menu-analytics', 'menu-assistance', 'menu-complaints', 'menu-desk', 'menu-employers', 'menu-events', 'menu-home', 'menu-markets', 'menu-posts', 'menu-services', 'menu-tools', 'menu-training', 'menu-workers']);
    await desk.getByText('中牟县零工市场').first().waitFor();
    expect(await desk.getByText('新郑市零工市场').count()).toBe(0);
    // Its home says what to do now: the to-do card, each item linking to where the work is done.
    await desk.getByTestId('home-todo').waitFor();
    const first = desk.getByTestId('home-todo-item').first();
    if (await first.count()) expect(await first.getAttribute('href')).toMatch(/^\/(desk|complaints|tools|posts|markets\/)/);
    await shot(desk, '11-desk-home');
    await desk.context().close();
  });

  it('organisations show their contact mobile masked; the admin reveals it with an audited click (issue 12 §10)', async () => {
    const page = await newPage();
    await signIn(page, 'admin');
    await page.goto(`${BASE_URL}/organisations`);
    const row = page.getByTestId('table-organisations').locator('tr', { hasText: '郑州豫才人力资源服务有限公司' });
    await row.getByTestId('org-contact-phone').getByText('137****0001').waitFor();
    expect(await page.getByText('13703710001').count()).toBe(0);
    await row.getByTestId('org-reveal-contact').click();
    await row.getByTestId('org-contact-phone').getByText('13703710001').waitFor();
    expect(await row.getByTestId('org-reveal-contact').count()).toBe(0);
    await page.context().close();
  });
});
