import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { apiAs, BASE_URL, demoCode, launch, phoneScreen, shot, SHOTS, signIn } from './support/browser';

/**
 * The market directory (issue 14 §1–2; R-E1, R-E2): the county confirms a listing in the console, the cities
 * compile (arranged through the API), the province publishes in the console; then the public directory on a
 * 390×844 phone: the region choice, the search by occupation, the map of the markets, a listing's hours and
 * hotline with the link to the market's page, the job statistics catalogue. axe-core runs over each public page
 * (WCAG 2.1 A/AA rules) and the spec fails on any serious or critical violation; results are written to
 * artifacts/axe/.
 */
const ROOT = join(__dirname, '../..');
/** axe-core: the project's devDependency; a local copy for a checkout without it (AXE_CORE_PATH, then /tmp/axe). */
const AXE_CANDIDATES = [join(ROOT, 'node_modules/axe-core/axe.min.js'), process.env['AXE_CORE_PATH'] ?? '', '/tmp/axe/node_modules/axe-core/axe.min.js'].filter(Boolean);
const AXE_OUT = join(SHOTS, '..', 'axe');

/** A signed-in API caller for arranging data; authority users pass their demo second factor. */
interface AxeResult { violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[]; passes: unknown[] }

/** Run axe-core on the page as it stands; write the full result; return the serious and critical violations. */
async function axe(page: Page, name: string): Promise<string[]> {
  const path = AXE_CANDIDATES.find((p) => existsSync(p));
  if (!path) throw new Error(`axe-core not found (looked in ${AXE_CANDIDATES.join(', ')}): add it as a devDependency`);
  await page.addScriptTag({ content: readFileSync(path, 'utf8') });
  const result = await page.evaluate(() => (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<AxeResult> } }).axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  mkdirSync(AXE_OUT, { recursive: true });
  writeFileSync(join(AXE_OUT, `${name}.json`), JSON.stringify({ url: page.url(), axe: path, violations: result.violations, passes: result.passes.length }, null, 2));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('the market directory: the chain in the console, the public directory on a phone', () => {
  let browser: Browser;
  let versionId: string;

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(() => browser.close());

  it('the county confirms a listing of its county in the console', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await signIn(page, 'county.reviewer');
    await page.goto(`${BASE_URL}/directory-review`);
    await page.getByTestId('directory-version-card').waitFor();
    // The demo's open version (this quarter, frozen on demand): the county's pending listings.
    expect(await page.getByTestId('directory-version-card').getAttribute('data-status')).toBe('open');
    const row = page.getByTestId('listing-row').filter({ has: page.getByTestId('listing-confirm') }).first();
    const name = (await row.locator('td').first().innerText()).split('\n')[0];
    await row.getByTestId('listing-confirm').click();
    await page.getByTestId('listing-row').filter({ hasText: name }).getByTestId('listing-status').filter({ hasText: '已确认' }).waitFor();
    // The county has no compile or publish button (role separation, as the API refuses them).
    expect(await page.getByTestId('directory-publish').count()).toBe(0);
    expect(await page.getByTestId('directory-compile').count()).toBe(0);
    await shot(page, 'directory-county-confirm');
    await page.close();
  });

  it('the province publishes once the counties confirmed and the cities compiled', async () => {
    const province = await apiAs('province.auditor');
    const versions = await province<{ items: { id: string; status: string; seq: number }[] }>('GET', '/directory/versions');
    versionId = versions.items.filter((v) => v.status === 'open').sort((a, b) => b.seq - a.seq)[0].id;
    for (const u of ['county.reviewer', 'xinzheng.reviewer', 'yiyang.reviewer']) {
      const api = await apiAs(u);
      const pending = await api<{ items: { id: string }[] }>('GET', `/directory/listings?versionId=${versionId}&status=pending&pageSize=200`);
      for (const l of pending.items) await api('POST', `/directory/listings/${l.id}/confirm`);
    }
    for (const u of ['city.analyst', 'luoyang.analyst']) await (await apiAs(u))('POST', `/directory/versions/${versionId}/compile`);

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await signIn(page, 'province.auditor');
    await page.goto(`${BASE_URL}/directory-review`);
    await page.getByTestId('directory-version-card').waitFor();
    expect(await page.getByTestId('directory-city').count()).toBe(2);
    await page.getByTestId('directory-publish').click();
    await page.getByTestId('directory-version-status').filter({ hasText: '已发布' }).waitFor();
    await shot(page, 'directory-province-published');
    // The difference from the version before: the demo's correction and this quarter's figures.
    await page.getByTestId('directory-diff').click();
    await page.getByTestId('directory-diff-body').waitFor();
    await shot(page, 'directory-diff');
    await page.close();
  });

  it('the public directory on a 390×844 phone: regions, search by occupation, the map, a market\'s hours and hotline', async () => {
    const phone = await browser.newPage(phoneScreen({ width: 390, height: 844 }));
    await phone.goto(`${BASE_URL}/directory`);
    await phone.getByTestId('directory-listing').first().waitFor();
    const all = await phone.getByTestId('directory-listing').count();
    expect(all).toBeGreaterThanOrEqual(7); // six markets and 中牟's gathering point
    expect(await phone.getByTestId('directory-version-note').innerText()).toMatch(/Q\d 第 \d+ 版/);
    // The map: the province's county boundaries with the markets on them (a canvas drawn by ECharts).
    await phone.getByTestId('directory-map').locator('canvas').first().waitFor();
    expect(await phone.getByTestId('catalogue-row').count()).toBeGreaterThan(0);
    await shot(phone, 'directory-public-phone');
    // Province → city → county: 郑州 then 新郑.
    await phone.getByTestId('directory-city-select').selectOption('4101');
    await phone.getByTestId('directory-county-select').selectOption('410184');
    await phone.getByTestId('directory-go').click();
    await phone.waitForURL(/region=410184/);
    await phone.waitForFunction(() => document.querySelectorAll('[data-testid="directory-listing"]').length === 2);
    // By occupation.
    await phone.getByTestId('directory-county-select').selectOption('');
    await phone.getByTestId('directory-city-select').selectOption('');
    await phone.getByTestId('directory-q').fill('钢筋工');
    await phone.getByTestId('directory-go').click();
    await phone.waitForURL((u) => u.searchParams.has('q') && !u.searchParams.has('region'));
    // The answer to this search, not the county's list still on the page: 宜阳 has 钢筋工, 新郑 has none.
    await phone.getByTestId('directory-listing').filter({ hasText: '宜阳县零工市场' }).waitFor();
    const names = await phone.getByTestId('directory-listing').locator('h3').allInnerTexts();
    expect(names.sort()).toEqual(['中牟县东风路立交桥下零工聚集点', '宜阳县零工市场']);
    await shot(phone, 'directory-public-search');
    // One market's page: hours and hotline, and the way to the market's own page.
    await phone.goto(`${BASE_URL}/directory?q=${encodeURIComponent('官渡')}`);
    await phone.getByTestId('listing-public-open').first().click();
    await phone.getByTestId('listing-page').waitFor();
    expect(await phone.getByTestId('listing-page-hours').innerText()).toContain('14:00-17:30');
    expect(await phone.getByTestId('listing-page-hotline').getAttribute('href')).toBe('tel:0371-62112333');
    await shot(phone, 'directory-public-listing');
    await phone.getByTestId('listing-page-market').click();
    await phone.waitForURL(/\/m\//);
    await phone.getByTestId('public-market').waitFor();
    await phone.close();
  });

  it('axe-core: no serious or critical violation on the public directory pages (results in artifacts/axe)', async () => {
    // A context of its own that lets the injected axe script run (the console's CSP allows scripts from the origin only).
    const ctx = await browser.newContext({ ...phoneScreen({ width: 390, height: 844 }), bypassCSP: true });
    const page = await ctx.newPage();
    const found: string[] = [];
    await page.goto(`${BASE_URL}/directory`);
    await page.getByTestId('directory-map').locator('canvas').first().waitFor();
    found.push(...(await axe(page, 'directory')).map((v) => `/directory: ${v}`));
    await page.goto(`${BASE_URL}/directory?q=${encodeURIComponent('装卸搬运工')}`);
    await page.getByTestId('directory-listing').first().waitFor();
    found.push(...(await axe(page, 'directory-search')).map((v) => `/directory?q: ${v}`));
    await page.getByTestId('listing-public-open').first().click();
    await page.getByTestId('listing-page').waitFor();
    found.push(...(await axe(page, 'directory-listing')).map((v) => `/directory/l: ${v}`));
    await ctx.close();
    expect(found).toEqual([]);
  });
});
