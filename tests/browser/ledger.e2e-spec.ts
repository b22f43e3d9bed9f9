import { createHash } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { BASE_URL, launch, shot, signIn } from './support/browser';

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
    await page.getByTestId('ledger-close-confirm').click();
    await page.locator(`[data-testid="ledger-day"][data-day="${TODAY}"] [data-testid="ledger-badge"][data-state="verified"]`).waitFor();
    await page.getByTestId('ledger-verify').click();
    await page.locator('[data-testid="ledger-verify-result"][data-ok="true"]').waitFor();
    await shot(page, '22-ledger-closed-verified');
    await page.context().close();
  });

  it('the county reviewer sees the seal with its receipt and drills down to the day, without append or close buttons', async () => {
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
    await shot(page, '24-county-ledger-day');
    await page.context().close();
  });
});
