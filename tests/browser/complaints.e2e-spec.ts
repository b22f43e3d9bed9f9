import type { Browser, Page } from 'playwright-core';
import { BASE_URL, demoId, launch, phoneScreen, shot, signIn } from './support/browser';

/**
 * Complaints in the console (issue 6): a handler takes a hotline complaint, sends a one-time notice
 * (and is warned when a second one asks for more), records the handling and closes it; the county
 * reviewer sees it on the board. A member of the public files one from the market's page.
 */
const CONTENT = '欧阳小军来电：浏览器测试雇主拖欠两天工钱共四百元，多次催要未果';

async function pick(page: Page, testId: string, label: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.locator('nz-option-item').filter({ hasText: label }).first().click();
}

describe('complaints in the console', () => {
  let browser: Browser;
  let reference = '';
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(() => browser.close());

  it('a complaint handler takes a hotline complaint, sends a one-time notice, records handling and closes it', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage();
    await signIn(page, 'op1.complaints');
    await page.getByTestId('menu-complaints').click();
    await page.getByTestId('table-complaints').waitFor();
    await page.getByTestId('complaint-intake').click();
    await pick(page, 'complaint-category', '拖欠工资');
    // Missing name on a named complaint: the clerk-readable message, nothing saved.
    await page.getByTestId('complaint-content').fill(CONTENT);
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.getByText('请填写投诉人姓名，或选择匿名投诉').first().waitFor();
    await page.getByTestId('complaint-name').fill('欧阳小军');
    await page.getByTestId('complaint-mobile').fill('13700009876');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    reference = (await page.getByTestId('complaint-reference').innerText()).trim();
    expect(reference).toMatch(/^TS\d{8}-/);
    expect(await page.getByTestId('complaint-tracking').innerText()).toMatch(/^[A-Z2-9]{10}$/);
    await shot(page, '90-complaint-intake-issued');
    await page.getByRole('button', { name: '去办理' }).click();
    await page.getByTestId('complaint-ref').waitFor();
    expect(await page.getByTestId('complaint-ref').innerText()).toBe(reference);

    // The handler calls the complainant back: the number in full, through an audited reveal.
    expect(await page.getByTestId('complaint-mobile').innerText()).toBe('137****9876');
    await page.getByTestId('complaint-reveal').click();
    await page.getByTestId('complaint-mobile').filter({ hasText: '13700009876' }).waitFor();
    await page.getByTestId('act-acknowledge').click();
    await page.getByTestId('act-acknowledge').waitFor({ state: 'detached' });
    // One-time notification: everything at once.
    await page.getByTestId('act-notice').click();
    await page.getByTestId('notice-items').fill('身份证复印件\n欠条或聊天记录');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.getByTestId('complaint-notice').first().waitFor();
    // A second notice asking for something new is flagged before it goes out.
    await page.getByTestId('act-notice').click();
    // The form starts from the first notice's list; the handler adds one more line.
    expect(await page.getByTestId('notice-items').inputValue()).toBe('身份证复印件\n欠条或聊天记录');
    await page.getByTestId('notice-items').fill('身份证复印件\n欠条或聊天记录\n劳动合同');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.getByText('违反一次性告知').first().waitFor();
    await shot(page, '91-complaint-notice-warning');
    await page.locator('.ant-modal-confirm .ant-btn-dangerous').click();
    await page.getByText('新增材料：劳动合同').waitFor();

    await page.getByTestId('act-record').click();
    await page.getByTestId('record-content').fill('致电雇主，对方承认拖欠，约定明日上午到市场当面结清');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.getByTestId('complaint-record').filter({ hasText: '约定明日上午到市场当面结清' }).waitFor();

    await page.getByTestId('act-close').click();
    await pick(page, 'close-result', '调解解决');
    await page.getByTestId('close-summary').fill('雇主已当面结清四百元，投诉人确认');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    // The callback checks the handling: whoever closed it does not make it (issue 17 §7).
    await page.getByTestId('callback-other').waitFor();
    expect(await page.getByTestId('act-callback').count()).toBe(0);
    expect(await page.getByTestId('complaint-state').innerText()).toBe('按时办结');
    const records = await page.getByTestId('complaint-record').allInnerTexts();
    expect(records.length).toBeGreaterThanOrEqual(6);
    await page.locator('.ant-modal-wrap').first().waitFor({ state: 'hidden' });
    await shot(page, '92-complaint-closed');
  });

  it('the county reviewer sees it on the board and in the list', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage();
    await signIn(page, 'county.reviewer');
    await page.getByTestId('menu-complaints').click();
    await page.goto(`${BASE_URL}/complaints/board`);
    await page.getByTestId('complaint-board-rows').waitFor();
    const row = page.getByTestId('complaint-board-row').filter({ hasText: '郑州豫才人力资源服务有限公司' });
    await row.waitFor();
    // Closed on time, with one one-time-notice breach.
    const cells = await row.locator('td').allInnerTexts();
    expect(Number(cells[4])).toBeGreaterThanOrEqual(1);
    expect(Number(cells[8])).toBeGreaterThanOrEqual(1);
    // The board's rate is not the KPI of the same family: named apart, and the difference stated (docs/kpis.md).
    expect(await page.getByTestId('complaint-board-totals').textContent()).toContain('按期率（计入超期未结）');
    expect(await page.getByTestId('complaint-board-on-time-note').textContent()).toContain('投诉按时办结率');
    await shot(page, '93-complaint-board-county');
    await page.goto(`${BASE_URL}/complaints`);
    await page.getByTestId('complaint-search').fill(reference);
    await pick(page, 'complaint-filter-status', '已办结');
    await page.getByTestId('complaint-row').filter({ hasText: reference }).waitFor();
    await page.getByTestId('complaint-row').filter({ hasText: reference }).locator('a').click();
    await page.getByTestId('complaint-content-full').filter({ hasText: '拖欠两天工钱' }).waitFor();
    // Read-only for the authority.
    expect(await page.getByTestId('act-record').count()).toBe(0);
    expect(await page.getByTestId('act-callback').count()).toBe(0);
  });

  it('a member of the public files a complaint from the market page on a phone and tracks it', async () => {
    const ctx = await browser.newContext(phoneScreen());
    const page = await ctx.newPage();
    await page.goto(`${BASE_URL}/m/${demoId('m-zhongmu')}`);
    await page.getByTestId('public-go-complaint').click();
    await page.getByTestId('public-complaint-form').waitFor();
    await page.getByTestId('public-complaint-cat-illegal_fee').click();
    await page.getByTestId('public-complaint-anonymous').check();
    await page.getByTestId('public-complaint-mobile').fill('1380013');
    await page.getByTestId('public-complaint-submit').click();
    await page.getByTestId('public-complaint-content-error').waitFor();
    await page.getByTestId('public-complaint-mobile-error').waitFor();
    await page.getByTestId('public-complaint-content').fill('上官秀英反映：登记时被收取二十元“押金”，没有收据');
    await page.getByTestId('public-complaint-mobile').fill('13800138123');
    await page.getByTestId('public-complaint-submit').click();
    const code = (await page.getByTestId('public-complaint-code').innerText()).trim();
    expect(code).toMatch(/^[A-Z2-9]{10}$/);
    await page.getByTestId('public-track-submit').click();
    await page.getByTestId('public-track-status').filter({ hasText: '待受理' }).waitFor();
    await shot(page, '94-public-complaint-tracked');
    await ctx.close();
  });
});
