import type { Browser, Page } from 'playwright-core';
import { BASE_URL, launch, shot, signIn } from './support/browser';

/**
 * 供求分析 (issue 14 §3–4) on the demo (`db reset`: three months through the chain). For the current
 * month, the two counties of 郑州市 draft and submit their reports, the city analyst consolidates (the
 * counties' narratives attached) and submits; the provincial auditor sees the board (three months, one
 * city late, one report returned) with the new submission, and opens the city's report. Screenshots.
 */
const now = new Date(Date.now() + 8 * 3_600_000);
const MONTH = now.toISOString().slice(0, 7);

async function openMonth(page: Page): Promise<void> {
  await page.getByTestId('menu-reports').first().click();
  await page.waitForURL((u) => u.pathname === '/reports');
  await page.getByTestId('report-month').click();
  await page.locator('nz-option-item', { hasText: MONTH }).first().click();
}

/** Save the narrative, and submit once it is saved (submitting while the save is in flight would submit without it). */
async function saveThenSubmit(page: Page): Promise<void> {
  await page.getByTestId('report-save').click();
  await page.locator('.ant-message').getByText('已保存').first().waitFor();
  await page.getByTestId('report-submit').click();
}

async function draftAndSubmit(page: Page, analysis: string, measures: string): Promise<void> {
  await page.getByTestId('report-create').click();
  await page.getByTestId('report-detail').waitFor();
  await page.getByTestId('report-totals').waitFor();
  await page.getByTestId('report-analysis').fill(analysis);
  await page.getByTestId('report-measures').fill(measures);
  await saveThenSubmit(page);
  await page.getByTestId('report-status').filter({ hasText: '已报送' }).waitFor();
  await page.getByTestId('report-digest').filter({ hasText: /SM3 [0-9a-f]{64}/ }).waitFor();
}

describe('reports: the city analyst consolidates and submits, the province sees the board', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(() => browser.close());

  // Three sign-ins with a second factor and three drafts computed from the rollups.
  jest.setTimeout(300_000);

  it('the counties submit, the city consolidates with their narratives and submits', async () => {
    for (const [user, text] of [
      ['county.reviewer', ['中牟县本月零工需求以装卸搬运为主，供求基本平衡。', '加强物流园区岗位对接，组织冬季专场招聘。']],
      ['xinzheng.reviewer', ['新郑市本月快递分拣需求旺盛，龙湖镇驿站需按时日结。', '督促驿站日结，开展分拣技能培训。']],
    ] as const) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
      await signIn(page, user);
      await openMonth(page);
      await draftAndSubmit(page, text[0], text[1]);
      await page.close();
    }
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    await signIn(page, 'city.analyst');
    await openMonth(page);
    await page.getByTestId('report-create').click();
    await page.getByTestId('report-detail').waitFor();
    // The city's figures recomputed, with its two counties, and charts drawn.
    await page.getByTestId('chart-county').locator('canvas').first().waitFor();
    await page.getByTestId('report-analysis').fill('郑州市本月零工需求集中在交通运输仓储和建筑业，新郑市求人倍率高于中牟县。');
    await page.getByTestId('report-measures').fill('推动县级市场延长服务时间，组织跨县岗位共享，加强欠薪风险提示。');
    await saveThenSubmit(page);
    await page.getByTestId('report-status').filter({ hasText: '已报送' }).waitFor();
    expect(await page.getByTestId('report-part').count()).toBe(2);
    expect(await page.getByTestId('report-part').first().innerText()).toContain('中牟县');
    await page.waitForTimeout(300);
    await shot(page, 'reports-city-submitted');
    await page.close();
  });

  it('the province sees the board (on time, late, returned) and the city’s new submission', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    await signIn(page, 'province.auditor');
    await openMonth(page);
    const board = page.getByTestId('report-board');
    await board.waitFor();
    // The board first shows the default month's window; wait for the chosen month's column.
    // (a column header, not a due date: November's reports are due on 2026-12-28)
    await board.locator('thead th').filter({ hasText: new RegExp(`^${MONTH}$`) }).waitFor();
    const text = await board.innerText();
    expect(text).toContain('郑州市');
    expect(text).toContain('洛阳市');
    // the current month: Zhengzhou submitted, Luoyang not yet; the demo's earlier months: a late city and a return
    expect(text).toContain('已报送');
    expect(text).toContain('未报送');
    expect(text).toMatch(/退回 1 次/);
    // the demo's first month: Luoyang submitted two days after the deadline
    expect(text).toMatch(/逾期 1/);
    await shot(page, 'reports-province-board');
    await page.getByTestId('report-open-4101-v1').click();
    await page.getByTestId('report-accept').waitFor();
    await page.getByTestId('report-accept').click();
    await page.getByTestId('report-status').filter({ hasText: '已接收' }).waitFor();
    await shot(page, 'reports-province-accepted');
    await page.close();
  });

  it('the public release page lists the accepted months without sign-in', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await page.goto(`${BASE_URL}/releases`);
    await page.getByTestId('release-detail').waitFor();
    expect(await page.getByTestId('release-detail').innerText()).toContain('求人倍率');
    await shot(page, 'reports-public-release-phone');
    await page.close();
  });
});
