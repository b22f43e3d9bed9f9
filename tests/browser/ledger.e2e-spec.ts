import { createHash } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { BASE_URL, launch, ownerQuery, shot, signIn } from './support/browser';

/**
 * The work-log ledger from the console (issue 3 §7): the market manager records a patrol, closes the
 * day after seeing what will be sealed, verifies; the county reviewer sees the seal and drills down.
 */
function demoId(key: string): string {
  const h = createHash('sha256').update(`linggong-demo:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
const MARKET = demoId('m-zhongmu');
const TODAY = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

describe('work-log ledger in the console', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(() => browser.close());
  const newPage = async (): Promise<Page> => (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage();

  /** Confirm the close dialog; before the market's closing time it asks for a reason first (issue 17 §1). */
  async function closeWithReasonIfEarly(page: Page) {
    await page.getByTestId('ledger-close-preview-day').first().waitFor();
    if (await page.getByTestId('ledger-close-early').count()) await page.getByTestId('ledger-close-reason').fill('浏览器测试：提前日结');
    await page.getByTestId('ledger-close-confirm').click();
  }

  it('a market manager records a patrol, closes the day and sees it verified', async () => {
    const page = await newPage();
    await signIn(page, 'op1.manager');
    await page.goto(`${BASE_URL}/markets/${MARKET}/ledger`);
    await page.getByTestId('ledger-page').waitFor();
    await page.getByTestId('ledger-manual-new').click();
    await page.getByTestId('ledger-manual-title').fill('早市现场巡查：秩序良好');
    await shot(page, '20-ledger-manual-entry');
    await page.getByTestId('ledger-manual-submit').click();
    await page.locator(`[data-testid="ledger-day"][data-day="${TODAY}"]`).waitFor();
    await page.getByText('早市现场巡查：秩序良好').first().waitFor();

    await page.getByTestId('ledger-close').click();
    await page.getByTestId('ledger-close-confirm').waitFor();
    // The preview lists the day with its sequence range (other suites may have appended to this market first).
    await page.getByText(/#\d+ – #\d+/).first().waitFor();
    await shot(page, '21-ledger-close-preview');
    await closeWithReasonIfEarly(page);
    await page.locator(`[data-testid="ledger-day"][data-day="${TODAY}"] [data-testid="ledger-badge"][data-state="verified"]`).waitFor();
    await page.getByTestId('ledger-verify').click();
    await page.locator('[data-testid="ledger-verify-result"][data-ok="true"]').waitFor();
    await shot(page, '22-ledger-closed-verified');
    await page.context().close();
  });

  it('the county reviewer sees the seal with its receipt and drills down to the day, without append or close buttons', async () => {
    // A complaint filed on the market's public page: its entry is recorded by the sign-in-free pages (`public`).
    const filed = await fetch(`${BASE_URL}/api/v1/public/markets/${MARKET}/complaints`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'illegal_fee', content: '浏览器测试：市场门口有人收介绍费', anonymous: true }),
    });
    expect(filed.status).toBe(201);
    const page = await newPage();
    await signIn(page, 'county.reviewer');
    await page.getByTestId('menu-ledger').click();
    const row = page.locator(`[data-testid="seals-row"][data-market-id="${MARKET}"][data-day="${TODAY}"]`);
    await row.waitFor();
    await shot(page, '23-county-seals');
    await row.click();
    await page.getByTestId('ledger-page').waitFor();
    await page.getByText('早市现场巡查：秩序良好').first().waitFor();
    expect(await page.getByTestId('ledger-manual-new').count()).toBe(0);
    expect(await page.getByTestId('ledger-close').count()).toBe(0);
    // Every recorder by name or in words: the public pages' entries (a complaint filed online) are not `public`.
    const recorders = await page.getByTestId('ledger-entry-actor').allInnerTexts();
    expect(recorders).toContain('公众自助（扫码、网上）');
    expect(recorders.filter((r) => /^(public|system|op\d\.\w+)$/.test(r.trim()))).toEqual([]);
    await shot(page, '24-county-ledger-day');
    await page.context().close();
  });

  it('entries read as labels and names; a patrol after the close stays on today and gets a supplementary seal; the county\'s check shows in the seal review (issue 17)', async () => {
    const page = await newPage();
    await signIn(page, 'op1.manager');
    await page.goto(`${BASE_URL}/markets/${MARKET}/ledger`);
    const day = page.locator(`[data-testid="ledger-day"][data-day="${TODAY}"]`);
    await day.waitFor();
    await page.getByTestId('ledger-manual-new').click();
    await page.getByTestId('ledger-manual-title').fill('午后补记巡查：入口秩序');
    await page.getByTestId('ledger-manual-submit').click();
    // Recorded after today's close: still today, waiting for a supplementary seal (not tomorrow).
    await day.getByTestId('ledger-day-tail').waitFor();
    await day.getByText('午后补记巡查：入口秩序').first().waitFor();
    const text = await day.getByTestId('ledger-entries').first().innerText();
    expect(text).not.toMatch(/ledger\.(kind|field)\./);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
    await shot(page, '25-ledger-after-close');
    await day.getByTestId('ledger-close-day').click();
    await page.locator('[data-testid="ledger-close-preview-day"]:not([data-part="0"])').first().waitFor();
    await shot(page, '26-ledger-close-supplement');
    await closeWithReasonIfEarly(page);
    await day.getByTestId('ledger-day-supplements').waitFor();
    expect(await day.getByTestId('ledger-day-tail').count()).toBe(0);
    await shot(page, '27-ledger-supplement-sealed');
    await page.context().close();

    const county = await newPage();
    await signIn(county, 'county.reviewer');
    await county.goto(`${BASE_URL}/markets/${MARKET}/ledger`);
    await county.getByTestId('ledger-verify').click();
    await county.locator('[data-testid="ledger-verify-result"][data-ok="true"]').waitFor();
    await county.getByTestId('menu-ledger').click();
    const row = county.locator(`[data-testid="seals-row"][data-market-id="${MARKET}"][data-day="${TODAY}"]`).first();
    await row.waitFor();
    await row.locator('[data-testid="seals-verification"][data-state="verified"]').waitFor();
    await row.getByTestId('seals-verified-by').waitFor();
    await shot(county, '28-county-seals-verified');
    await county.context().close();
  }, 240_000);

  it('the county reviewer searches a market\'s work log in words: 拖欠工资 finds the complaints coded wage_arrears', async () => {
    const from = new Date(Date.now() + 8 * 3_600_000 - 120 * 86_400_000).toISOString().slice(0, 10);
    const [{ n }] = await ownerQuery<{ n: number }>(
      `SELECT count(*)::int AS n FROM ledger_entries WHERE market_id = $1 AND business_day BETWEEN $2 AND $3 AND (payload->>'category' = 'wage_arrears' OR payload::text LIKE '%拖欠工资%')`, [MARKET, from, TODAY]);
    expect(n).toBeGreaterThan(0);
    const page = await newPage();
    await signIn(page, 'county.reviewer');
    await page.goto(`${BASE_URL}/markets/${MARKET}/ledger?s.from=${from}&s.to=${TODAY}`);
    await page.getByTestId('ledger-page').waitFor();
    await page.getByTestId('ledger-search').fill('拖欠工资');
    await page.getByTestId('ledger-search-submit').click();
    const rows = page.getByTestId('ledger-search-results').getByTestId('ledger-entry');
    await rows.first().waitFor();
    const texts = await rows.allInnerTexts();
    expect(texts).toHaveLength(n);
    for (const text of texts) expect(text).toContain('拖欠工资');
    await shot(page, '29-county-ledger-search-words');
    await page.context().close();
  });
});
