import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { BASE_URL, SHOTS, demoId, launch, selectOptions, shot, signIn } from './support/browser';

/**
 * The analytics console (issue 13 §4): the county reviewer finds the worst market of the county in the
 * ranking (one `analytics_ranking` call, grouped by operator or market) and drills from its figure to the
 * work-log entries behind it (their count equals the figure); the worst operator of a county by the
 * settlement rate is found and marked against the median;
 * a card's figure drills down the same way; market staff see only their market; bad input in the URL
 * gets a message in the user's language. Figures come from the demo's 90 sealed days rolled up by the
 * browser setup (`db reset`).
 */
const EXTRA_SHOTS = process.env['SHOTS_DIR'];
async function snap(page: Page, name: string): Promise<void> {
  await shot(page, name);
  if (EXTRA_SHOTS) {
    mkdirSync(EXTRA_SHOTS, { recursive: true });
    copyFileSync(join(SHOTS, `${name}.png`), join(EXTRA_SHOTS, `${name}.png`));
  }
}
const num = (s: string) => Number(s.replace(/[^\d.]/g, ''));
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * The drawer's entries read as the work log shows them (issue 17 §4): every field by its label in the user's
 * language, never an id nor a field's key (`workerId: 01a…`) — the names column says who and what.
 */
async function expectReadableFields(page: Page): Promise<void> {
  const fields = await page.getByTestId('drill-fields').allInnerTexts();
  expect(fields.length).toBeGreaterThan(0);
  for (const f of fields) {
    expect(f).not.toMatch(UUID);
    expect(f).not.toMatch(/[A-Za-z]\w*\s*[:：]/);
  }
  expect(fields.some((f) => /[\u4e00-\u9fff]+：\S/.test(f))).toBe(true);
}

async function openDashboard(page: Page, query = ''): Promise<void> {
  await page.getByTestId('menu-analytics').first().click();
  await page.waitForURL((u) => u.pathname === '/analytics');
  if (query) await page.goto(`${BASE_URL}/analytics?${query}`);
  await page.locator('[data-testid="kpi-card"][data-kpi="service_visits"] [data-testid="kpi-value"]').filter({ hasText: /\d/ }).waitFor();
}

describe('analytics console', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(() => browser.close());

  it('the county reviewer finds the worst market in the ranking and drills from its figure to entries whose count equals it', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    await signIn(page, 'county.reviewer');
    await openDashboard(page, 'period=last90&kpi=hires_started');
    // The ranking: by default the county's operators (中牟 has one: op1, both its markets), then its markets.
    const rows = page.getByTestId('rank-row');
    await page.locator('[data-testid="rank-row"][data-type="operator"] [data-testid="rank-drill"]').first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('郑州豫才人力资源服务有限公司');
    await page.getByTestId('analytics-group').click();
    await page.locator('nz-option-item').filter({ hasText: '市场' }).click();
    await page.waitForURL((u) => u.searchParams.get('group') === 'market');
    await page.locator('[data-testid="rank-row"][data-type="market"] [data-testid="rank-drill"]').first().waitFor();
    const markets = await page.locator('[data-testid="rank-row"][data-type="market"]').evaluateAll((els) =>
      els.map((e) => ({ key: e.getAttribute('data-key') ?? '', value: Number((e.querySelector('[data-testid="rank-value"]')?.textContent ?? '').replace(/[^\d.]/g, '')) })));
    expect(markets.length).toBe(2);
    expect(markets.map((m) => m.key).sort()).toEqual([`market:${demoId('m-guandu')}`, `market:${demoId('m-zhongmu')}`].sort());
    // The scope's median row, and the worse-than-median mark by the KPI's direction (more hires is better).
    await page.getByTestId('rank-median').waitFor();
    const worseKeys = await page.locator('[data-testid="rank-row"]').evaluateAll((els) =>
      els.filter((e) => e.querySelector('[data-testid="rank-value"]')?.getAttribute('data-worse') === 'true').map((e) => e.getAttribute('data-key')));
    const lowest = markets.reduce((a, b) => (b.value < a.value ? b : a));
    expect(worseKeys).toEqual(markets[0].value === markets[1].value ? [] : [lowest.key]);
    await snap(page, 'analytics-county-ranking');
    // The visible table as .xlsx: the scope and period, the header, one row per ranking row, figures as numbers.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('analytics-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^analytics-hires_started-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await download.path());
    const sheet = book.worksheets[0];
    expect(sheet.rowCount).toBe(2 + (await rows.count()));
    expect(sheet.getRow(2).getCell(3).value).toBe('招聘成功人数（上岗）');
    const exported = new Map<string, unknown>();
    sheet.eachRow((row, i) => { if (i > 2) exported.set(String(row.getCell(2).value), row.getCell(3).value); });
    expect(exported.get('中牟县官渡镇零工服务站')).toBe(markets.find((m) => m.key === `market:${demoId('m-guandu')}`)?.value);
    // Worst first: sort by the figure (ascending; hires started is "higher is better").
    await page.getByTestId('rank-sort-value').click();
    const first = page.locator('[data-testid="rank-row"][data-type="market"]').first();
    const worst = markets.reduce((a, b) => (b.value < a.value ? b : a));
    expect(await page.locator('[data-testid="rank-row"][data-type="market"]').first().getAttribute('data-key')).toBe(worst.key);
    expect(worst.value).toBeGreaterThan(0);
    await first.getByTestId('rank-drill').click();
    const summary = page.getByTestId('drill-summary');
    await summary.filter({ hasText: /共 \d+ 条记录/ }).waitFor();
    await page.getByTestId('drill-row').first().waitFor();
    const total = num((await summary.innerText()).split('，')[0]);
    expect(total).toBe(worst.value);
    // Every entry is the worst market's, and opens that market's day in the work log.
    const marketId = worst.key.slice('market:'.length);
    const href = await page.getByTestId('drill-day-link').first().getAttribute('href');
    expect(href).toMatch(new RegExp(`^/markets/${marketId}/ledger\\?day=\\d{4}-\\d{2}-\\d{2}$`));
    await expectReadableFields(page);
    await snap(page, 'analytics-county-drilldown');
    await page.getByTestId('drill-day-link').first().click();
    await page.waitForURL((u) => u.pathname === `/markets/${marketId}/ledger`);
    await page.locator(`[data-day="${new URL(href ?? '', BASE_URL).searchParams.get('day')}"]`).first().waitFor();

    // A card's figure (the county, service visits) drills down to as many check-ins.
    await page.goBack();
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/analytics');
    const card = page.locator('[data-testid="kpi-card"][data-kpi="service_visits"]');
    await card.getByTestId('kpi-value').filter({ hasText: /\d/ }).waitFor();
    const figure = num(await card.getByTestId('kpi-value').innerText());
    expect(figure).toBeGreaterThan(0);
    await card.click();
    await page.getByTestId('drill-row').first().waitFor();
    await summary.filter({ hasText: new RegExp(`共 ${figure} 条记录`) }).waitFor();
    await page.keyboard.press('Escape');

    // A ratio opens on its numerator; its denominator (settlement rate: hires started) sums to that card's figure.
    const started = num(await page.locator('[data-testid="kpi-card"][data-kpi="hires_started"] [data-testid="kpi-value"]').innerText());
    await page.locator('[data-testid="kpi-card"][data-kpi="settlement_rate"]').click();
    await page.getByTestId('drill-row').first().waitFor();
    await page.getByTestId('drill-part').getByText('分母').click();
    await summary.filter({ hasText: new RegExp(`合计 ${started}\\s*$`) }).waitFor();
    // …and lists hires started, not the numerator's settlements (a switch of part is not undone by a late reload).
    await page.waitForTimeout(1500);
    expect(await summary.innerText()).toMatch(new RegExp(`合计 ${started}$`));
    expect(await page.getByTestId('drill-row').first().locator('td').nth(3).innerText()).toBe('到岗开工');
    await snap(page, 'analytics-county-denominator');
    await page.keyboard.press('Escape');

    // A bookmarked bad range: the message in the user's language, the default period shown instead.
    await page.goto(`${BASE_URL}/analytics?period=custom&from=2026-11-30&to=2026-11-01`);
    await page.getByText('开始日期不能晚于结束日期').first().waitFor();
    await page.close();
  });

  it('the worst operator of a county by the settlement rate, from the ranking (新郑: op1 and the failing op3)', async () => {
    // 中牟's reviewer has one operator; 新郑 (410184) has two, so its county view is read by the city analyst.
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    await signIn(page, 'city.analyst');
    await openDashboard(page, 'period=last90&kpi=settlement_rate&scope=region:410184');
    expect(await selectOptions(page, page.getByTestId('analytics-group'))).toEqual(['运营机构', '市场']);
    await page.locator('nz-option-item').filter({ hasText: '运营机构' }).click();
    const ops = page.locator('[data-testid="rank-row"][data-type="operator"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="rank-row"][data-type="operator"]').length === 2);
    await ops.first().getByTestId('rank-value').filter({ hasText: /\d/ }).waitFor();
    // Worst first: sort by the settlement rate, ascending ("higher is better").
    await page.getByTestId('rank-sort-value').click();
    const worst = ops.first();
    expect(await worst.innerText()).toContain('新郑市众创就业服务中心');
    expect(await worst.getByTestId('rank-value').getAttribute('data-worse')).toBe('true');
    expect(await ops.nth(1).getByTestId('rank-value').getAttribute('data-worse')).toBe('false');
    const rates = (await ops.getByTestId('rank-value').allInnerTexts()).map(num);
    expect(rates[0]).toBeLessThan(rates[1]);
    // Each operator row counts its markets in 新郑 only (op1 also runs two 中牟 markets).
    expect(await ops.nth(1).innerText()).toContain('郑州豫才人力资源服务有限公司');
    expect((await ops.nth(1).locator('td').nth(3).innerText()).trim()).toBe('1');
    await snap(page, 'analytics-county-worst-operator');
    await page.close();
  });

  it('market staff see only their market; an operator admin sees its markets and the funnel; the province ranks its operators', async () => {
    const desk = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    await signIn(desk, 'op1.desk');
    await openDashboard(desk);
    expect(await desk.getByTestId('analytics-basis').innerText()).toContain('统计 1 个市场');
    const options = await selectOptions(desk, desk.getByTestId('analytics-scope'));
    expect(options.sort()).toEqual(['中牟县零工市场', '我可查看的全部'].sort());
    await desk.keyboard.press('Escape');
    expect(await desk.getByTestId('analytics-ranking').count()).toBe(0);
    await desk.close();

    const admin = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    await signIn(admin, 'op1.admin');
    await openDashboard(admin, 'period=last90');
    await admin.locator('[data-testid="rank-row"][data-type="market"] [data-testid="rank-drill"]').first().waitFor();
    expect(await admin.locator('[data-testid="rank-row"][data-type="market"]').count()).toBe(3);
    expect(await admin.locator('[data-testid="rank-row"][data-type="operator"]').count()).toBe(0);
    await admin.getByTestId('chart-funnel').locator('canvas').waitFor();
    await snap(admin, 'analytics-operator-admin');
    // The funnel's first stage (check-ins) opens its entries: as many as the service-visits card says.
    const visits = num(await admin.locator('[data-testid="kpi-card"][data-kpi="service_visits"] [data-testid="kpi-value"]').innerText());
    const funnel = admin.getByTestId('chart-funnel');
    const box = await funnel.boundingBox();
    await funnel.click({ position: { x: (box?.width ?? 400) / 2, y: 30 } });
    await admin.getByTestId('drill-summary').filter({ hasText: new RegExp(`共 ${visits} 条记录`) }).waitFor();
    await admin.keyboard.press('Escape');
    // The admin rolls the period's sealed days up again and sees the run with its progress.
    await admin.getByTestId('table-runs').waitFor();
    const before = await admin.getByTestId('run-row').count();
    await admin.getByTestId('analytics-rerun').click();
    await admin.getByText('已提交重新汇总').first().waitFor();
    await admin.waitForFunction((n) => document.querySelectorAll('[data-testid="run-row"]').length === n, Math.min(before + 1, 10));
    expect(await admin.getByTestId('run-status').first().innerText()).toMatch(/排队中|进行中|已完成/);
    await snap(admin, 'analytics-operator-runs');
    await admin.close();

    const province = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    await signIn(province, 'province.auditor');
    await openDashboard(province, 'period=month&kpi=settlement_rate');
    // The province ranks its cities (郑州, 洛阳) by default, then counties or markets.
    await province.locator('[data-testid="rank-row"][data-type="city"] [data-testid="rank-value"]').filter({ hasText: /\d/ }).first().waitFor();
    expect(await province.locator('[data-testid="rank-row"][data-type="city"]').count()).toBe(2);
    await province.goto(`${BASE_URL}/analytics?period=month&kpi=settlement_rate&group=county`);
    await province.waitForFunction(() => document.querySelectorAll('[data-testid="rank-row"][data-type="county"]').length === 3);
    await province.goto(`${BASE_URL}/analytics?period=month&kpi=settlement_rate&group=market`);
    await province.waitForFunction(() => document.querySelectorAll('[data-testid="rank-row"][data-type="market"]').length === 6);
    await province.getByTestId('chart-trend').locator('canvas').waitFor();
    await snap(province, 'analytics-province');
    // The same page in English.
    await province.getByTestId('lang-switch').click();
    await province.getByTestId('analytics-ranking').getByText('Ranking', { exact: true }).waitFor();
    await province.locator('[data-testid="kpi-card"][data-kpi="settlement_rate"]').getByText('Settlement rate').waitFor();
    await province.getByTestId('analytics-scope').getByText('Everything I can see').waitFor();
    await snap(province, 'analytics-province-en');
    await province.getByTestId('lang-switch').click();
    await province.close();
  });

  it('a KPI breaks down by occupation and gender (chart, table, export); day-based figures and entries drill down with names', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    await signIn(page, 'county.reviewer');
    await openDashboard(page, 'period=last90&kpi=hires_started');
    const started = num(await page.locator('[data-testid="kpi-card"][data-kpi="hires_started"] [data-testid="kpi-value"]').innerText());
    const panel = page.getByTestId('analytics-breakdown');
    await panel.scrollIntoViewIfNeeded();
    await panel.getByTestId('chart-breakdown').locator('canvas').waitFor();
    const figures = async () => (await panel.getByTestId('breakdown-figure').allInnerTexts()).map(num);
    // By occupation (the post's): several occupations whose hires add up to the card's figure.
    await panel.getByTestId('breakdown-row').first().waitFor();
    expect((await figures()).length).toBeGreaterThanOrEqual(2);
    expect((await figures()).reduce((a, b) => a + b, 0)).toBe(started);
    expect(num(await panel.getByTestId('breakdown-total').locator('td').nth(1).innerText())).toBe(started);
    // By gender: 男 and 女, adding up the same way.
    await panel.locator('[data-by="gender"]').click();
    await panel.locator('[data-testid="breakdown-row"][data-value="female"]').waitFor();
    expect(await panel.locator('[data-testid="breakdown-row"][data-value="male"] td').first().innerText()).toBe('男');
    expect((await figures()).reduce((a, b) => a + b, 0)).toBe(started);
    await snap(page, 'analytics-breakdown-gender');
    // Exported with the page's export: the scope and period, the header, one row per part and the total, numbers as numbers.
    const rows = await panel.getByTestId('breakdown-row').count();
    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('breakdown-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^analytics-hires_started-gender-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await download.path());
    const sheet = book.worksheets[0];
    expect(sheet.rowCount).toBe(3 + rows);
    expect(sheet.getRow(2).getCell(1).value).toBe('性别');
    expect(sheet.getRow(3 + rows).getCell(2).value).toBe(started);
    // In English: dimension labels follow the language.
    await page.getByTestId('lang-switch').click();
    await panel.locator('[data-testid="breakdown-row"][data-value="male"] td').first().filter({ hasText: 'Male' }).waitFor();
    await panel.locator('[data-by="occupation"]').click();
    await panel.getByTestId('breakdown-row').filter({ hasText: /[A-Za-z]/ }).first().waitFor();
    await snap(page, 'analytics-breakdown-occupation-en');
    await page.getByTestId('lang-switch').click();

    // Work-log timeliness drills down to the sealed days (late or not), each opening the day view.
    await page.locator('[data-testid="kpi-card"][data-kpi="log_timeliness"]').click();
    await page.getByTestId('drill-part').getByText('分母').click();
    await page.getByTestId('drill-row').first().waitFor();
    const days = num((await page.getByTestId('drill-summary').innerText()).split('，')[0]);
    expect(days).toBeGreaterThan(30);
    expect(await page.getByTestId('drill-day-link').first().getAttribute('href')).toMatch(/^\/markets\/[0-9a-f-]{36}\/ledger\?day=\d{4}-\d{2}-\d{2}$/);
    await snap(page, 'analytics-drill-days');
    await page.keyboard.press('Escape');
    // Hires confirmed list the worker, the employer and the post by name.
    await page.locator('[data-testid="kpi-card"][data-kpi="hires_confirmed"]').click();
    await page.getByTestId('drill-row').first().waitFor();
    expect(await page.getByTestId('drill-names').first().innerText()).toMatch(/零工\s+\S+[\s\S]*岗位\s+\S+/);
    // …and their fields by label (the ids are the names column's), with nothing of the payload's own keys.
    await expectReadableFields(page);
    await snap(page, 'analytics-drill-names');
    await page.close();
  });
});
