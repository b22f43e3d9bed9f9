import type { Browser } from 'playwright-core';
import { BASE_URL, launch, shot, signIn } from './support/browser';

/** A bearer session for setting up data over the API. */
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

/** Employers (R-B6, R-B8) and a worker's removal with notice and appeal, as a market manager does them. */
describe('employers and worker removal in the console', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(() => browser.close());

  it('a market manager registers an employer, verifies it with evidence and refers its wage arrears', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage();
    await signIn(page, 'op1.manager');
    await page.getByTestId('menu-employers').click();
    await page.getByTestId('table-employers').waitFor();
    await page.getByTestId('employer-create').click();
    // A manager of two markets chooses where the employer registers.
    await page.locator('nz-select[formcontrolname="marketId"]').click();
    await page.locator('nz-option-item').filter({ hasText: '中牟县零工市场' }).first().click();
    await page.getByTestId('employer-name').fill('中牟县浏览器测试建筑劳务有限公司');
    await page.getByTestId('employer-credit-code').fill('91350100M000100Y44');
    await page.locator('[formcontrolname="contactName"]').fill('郑经理');
    await page.locator('[formcontrolname="contactPhone"]').fill('13700001234');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    // A wrong check character is refused with the clerk-readable message, nothing saved.
    await page.getByText('统一社会信用代码有误').first().waitFor();
    await shot(page, '60-employer-credit-code-refused');
    await page.getByTestId('employer-credit-code').fill('91350100M000100Y43');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    const row = page.getByTestId('employer-row').filter({ hasText: '中牟县浏览器测试建筑劳务有限公司' });
    await row.waitFor();
    await row.getByTestId('employer-verify').click();
    await page.getByTestId('employer-evidence').fill('营业执照原件已核验，经营场所已走访');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await row.getByText('已核验', { exact: true }).waitFor();
    await row.getByTestId('employer-refer').click();
    await page.locator('[formcontrolname="referredTo"]').fill('中牟县劳动保障监察大队');
    await page.locator('[formcontrolname="amountOwedFen"] input').fill('3600');
    await page.locator('[formcontrolname="description"]').fill('拖欠三名零工两天工资');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await row.getByTestId('employer-flagged').waitFor();
    await page.waitForTimeout(600);
    await shot(page, '61-employers');
    await page.context().close();
  });

  it('a market manager removes a worker with a written notice; the appeal is recorded at the desk', async () => {
    const admin = await api('op1.admin');
    const markets = await admin<{ items: { id: string; name: string }[] }>('GET', '/markets?pageSize=50');
    const zhongmu = markets.items.find((m) => m.name === '中牟县零工市场');
    const w = await admin<{ id: string }>('POST', `/markets/${zhongmu?.id}/workers`, { name: '清退测试', mobile: '13711112222', consent: true });

    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage();
    await signIn(page, 'op1.manager');
    await page.goto(`${BASE_URL}/workers/${w.id}`);
    await page.getByTestId('worker-detail').waitFor();
    await page.getByTestId('worker-sanction').click();
    await page.locator('nz-modal-container nz-select').first().click();
    await page.getByText('清出市场', { exact: true }).last().click();
    await page.getByTestId('sanction-reason').fill('多次无故爽约，经提醒拒不改正');
    const notice = page.locator('[formcontrolname="notice"]');
    await notice.fill((await notice.inputValue()).replace('（请填写）', '11 月内三次接单后未到岗'));
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.getByTestId('worker-status').getByText('已清出市场').waitFor();
    await page.getByTestId('sanction-row').first().getByText('已告知').waitFor();
    await page.waitForTimeout(600); // the dialog's closing animation
    await shot(page, '62-worker-removed');
    await page.context().close();

    const desk = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage();
    await signIn(desk, 'op1.desk');
    await desk.goto(`${BASE_URL}/workers/${w.id}`);
    await desk.getByTestId('sanction-appeal').click();
    await desk.locator('[formcontrolname="statement"]').fill('家中老人住院，并非故意爽约');
    await desk.locator('.ant-modal-footer .ant-btn-primary').click();
    await desk.getByTestId('sanction-row').first().getByText('申诉中').waitFor();
    expect(await desk.getByTestId('sanction-decide').count()).toBe(0);
    await desk.waitForTimeout(600);
    await shot(desk, '63-worker-appeal');
    await desk.context().close();
  });
});
