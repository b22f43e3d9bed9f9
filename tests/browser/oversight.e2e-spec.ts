import type { Browser, Page } from 'playwright-core';
import { BASE_URL, launch, shot, signIn } from './support/browser';

/**
 * 督导与整改 (issue 16) on the full demo (`db reset`): the county reviewer of 中牟县 commits to a call-back sample
 * of op1's last week (the seed's hash shown at once), draws it (the seed revealed), reveals a sampled worker's
 * mobile, records the calls (two deny the work: 33.33 % < 80 %), completes it — a follow-up inspection opens —
 * and orders rectification from it; the operator's admin sees the order on its home page and starts it.
 */
const day = (n: number) => new Date(Date.now() + 8 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);

async function pickDate(page: Page, testId: string, value: string): Promise<void> {
  const input = page.getByTestId(testId).locator('input');
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}

describe('oversight: the county samples, calls and orders rectification; the operator sees it', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(() => browser.close());
  jest.setTimeout(300_000);

  it('the county commits, draws, reveals, calls, completes and orders rectification', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    await signIn(page, 'county.reviewer');
    await page.getByTestId('menu-callbacks').first().click();
    await page.waitForURL((u) => u.pathname === '/callbacks');
    await page.getByTestId('callback-create').click();
    await page.getByTestId('callback-operator').click();
    await page.locator('nz-option-item').filter({ hasText: '郑州豫才人力资源服务有限公司' }).click();
    await pickDate(page, 'callback-from', day(-7));
    await pickDate(page, 'callback-to', day(-1));
    await page.getByTestId('callback-size').locator('input').fill('3');
    await page.locator('.ant-modal-footer button.ant-btn-primary').click();
    const row = page.getByTestId('callback-row').filter({ hasText: `${day(-7)} ～ ${day(-1)}` });
    await row.getByTestId('callback-status').filter({ hasText: '已承诺种子' }).waitFor();
    await row.locator('.ant-table-row-expand-icon').click();
    await page.getByTestId('callback-commitment').filter({ hasText: /[0-9a-f]{64}/ }).waitFor();
    await shot(page, 'oversight-01-sample-committed');

    await row.getByTestId('callback-draw').click();
    await page.getByTestId('callback-seed').filter({ hasText: /[0-9a-f]{64}/ }).waitFor();
    expect(await page.getByTestId('callback-call').count()).toBe(3);
    await page.getByTestId('callback-script').waitFor();
    await page.getByTestId('callback-reveal').first().click();
    await page.getByTestId('callback-mobile').filter({ hasText: /^1\d{10}$/ }).waitFor();
    await shot(page, 'oversight-02-sample-drawn-revealed');

    for (const outcome of ['否认上岗', '确认属实', '否认上岗']) {
      const call = page.getByTestId('callback-call').filter({ has: page.getByTestId('callback-outcome-select') }).first();
      await call.getByTestId('callback-outcome-select').click();
      await page.locator('nz-option-item').filter({ hasText: outcome }).click();
      await call.getByTestId('callback-record').click();
      await page.getByTestId('callback-outcome').filter({ hasText: outcome }).first().waitFor();
      await page.waitForTimeout(200);
    }
    expect(await page.getByTestId('callback-outcome').count()).toBe(3);
    await row.getByTestId('callback-complete').click();
    await row.getByTestId('callback-status').filter({ hasText: '已完成' }).waitFor();
    await page.getByTestId('callback-rate').filter({ hasText: '33.33%' }).first().waitFor();
    await shot(page, 'oversight-03-sample-completed');

    await row.getByTestId('callback-order').click();
    await page.waitForURL((u) => u.pathname === '/rectifications');
    await page.getByTestId('rectification-title').fill('上岗记录回访不实整改');
    await page.getByTestId('rectification-items').fill('逐条核实否认上岗的记录并更正\n上岗须双方扫码确认');
    await page.getByTestId('rectification-responsible').fill('王建国');
    await page.waitForTimeout(300);
    await shot(page, 'oversight-04-order-dialog');
    await page.locator('.ant-modal-footer button.ant-btn-primary').click();
    const order = page.getByTestId('rectification-row').filter({ hasText: '上岗记录回访不实整改' });
    await order.getByTestId('rectification-status').filter({ hasText: '待整改' }).waitFor();
    await shot(page, 'oversight-05-rectification-board');

    await page.getByTestId('menu-inspections').first().click();
    await page.waitForURL((u) => u.pathname === '/inspections');
    await page.getByTestId('inspection-row').filter({ hasText: '跟进检查' }).first().waitFor();
    await shot(page, 'oversight-06-follow-up-inspection');
    await page.close();
  });

  it('the operator sees the order on its home page and starts it', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    await signIn(page, 'op1.admin');
    await page.getByTestId('home-oversight').waitFor();
    expect(Number((await page.getByTestId('home-rect-open').locator('.ant-statistic-content-value').innerText()).trim())).toBeGreaterThanOrEqual(1);
    await shot(page, 'oversight-07-operator-home');
    await page.goto(`${BASE_URL}/rectifications`);
    const order = page.getByTestId('rectification-row').filter({ hasText: '上岗记录回访不实整改' });
    await order.getByTestId('rectification-start').click();
    await order.getByTestId('rectification-status').filter({ hasText: '整改中' }).waitFor();
    await shot(page, 'oversight-08-operator-started');
    await page.close();
  });
});
