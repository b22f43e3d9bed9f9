import type { Browser, Page } from 'playwright-core';
import { BASE_URL, demoId, launch, settled, shot, signIn } from './support/browser';

/**
 * Every page fits the screens staff use (issue 17 §8): `/events` was 1,710 px wide at 1440 and the work
 * log's content column overflowed. Each role's menu pages are opened in turn (in-app navigation, one
 * sign-in per role) and measured at 1440×900 and 1280×800: the document may not scroll sideways, and no
 * table cell may push its text past its own edge. A wide table scrolls inside its own container
 * (nz-table's scroll), which is allowed; the page around it may not.
 */
const VIEWPORTS = [{ width: 1440, height: 900 }, { width: 1280, height: 800 }];
const ROLES = ['op1.admin', 'op1.manager', 'op1.desk', 'county.reviewer', 'city.analyst', 'province.auditor'];

/** Pages reached from a list rather than the menu, where long content lives: the work log of a market, per role that reads it. */
const DEEP: Record<string, string[]> = {
  'op1.admin': [`/markets/${demoId('m-zhongmu')}/ledger`], 'op1.manager': [`/markets/${demoId('m-zhongmu')}/ledger`],
  'county.reviewer': [`/markets/${demoId('m-zhongmu')}/ledger`],
};

interface Overflow { width: number; page: string; scrollWidth: number; cells: string[] }

/** The page's width beyond the viewport, and table cells whose content overflows them (not those inside a scrolling table body). */
async function measure(page: Page, width: number, path: string): Promise<Overflow | null> {
  const found = await page.evaluate(() => {
    const cells: string[] = [];
    for (const td of Array.from(document.querySelectorAll('td'))) {
      if (td.scrollWidth > td.clientWidth + 2 && !td.closest('.ant-table-body, .ant-table-content[style*="overflow"]')) {
        cells.push((td.textContent ?? '').trim().slice(0, 40));
      }
    }
    // The innermost elements sticking out past the right edge, to say what to fix.
    const over = document.documentElement.scrollWidth > window.innerWidth;
    // Closed drawers and overlays sit off-screen on purpose; an icon's paths are not layout.
    const wide = !over ? [] : Array.from(document.querySelectorAll('body *')).filter((el) => {
      if (el.closest('.ant-drawer, .cdk-overlay-container, svg')) return false;
      // Content clipped by a scrolling (or clipping) box is that box's business, not the page's.
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return false;
      const r = el.getBoundingClientRect();
      return r.right > window.innerWidth + 1 && r.width > 0 && !Array.from(el.children).some((c) => c.getBoundingClientRect().right > window.innerWidth + 1);
    }).slice(0, 3).map((el) => `${el.tagName.toLowerCase()}.${Array.from(el.classList).join('.')} "${(el.textContent ?? '').trim().slice(0, 30)}"`);
    return { scrollWidth: document.documentElement.scrollWidth, inner: window.innerWidth, cells: [...cells.slice(0, 5), ...wide] };
  });
  if (found.scrollWidth <= found.inner && !found.cells.length) return null;
  return { width, page: path, scrollWidth: found.scrollWidth, cells: found.cells };
}

describe('every page fits 1440 and 1280 wide screens (issue 17 §8)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(() => browser.close());

  it.each(ROLES)('%s: no menu page scrolls sideways or overflows a cell', async (role) => {
    const page = await (await browser.newContext({ viewport: VIEWPORTS[0], locale: 'zh-CN' })).newPage();
    await signIn(page, role);
    const items = await page.locator('[data-testid^="menu-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') as string));
    const problems: Overflow[] = [];
    const stops: (() => Promise<void>)[] = [
      ...[...new Set(items)].map((id) => async () => { await page.getByTestId(id).first().click(); }),
      ...(DEEP[role] ?? []).map((path) => async () => { await page.goto(`${BASE_URL}${path}`); }),
    ];
    for (const go of stops) {
      await page.setViewportSize(VIEWPORTS[0]);
      await go();
      // Content arrives after the route's data: wait for the page to stop changing and, while its own spinner shows,
      // for the spinner to go and the content to settle.
      await page.waitForLoadState('load');
      await settled(page);
      const spinner = page.locator('.ant-spin-spinning').first();
      if (await spinner.count()) {
        await spinner.waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
        await settled(page);
      }
      const path = new URL(page.url()).pathname;
      for (const vp of VIEWPORTS) {
        await page.setViewportSize(vp);
        await settled(page, 100);
        // A table still loading can be wide for a moment: a page counts as too wide when it still is a second later.
        let o = await measure(page, vp.width, path);
        if (o) {
          await page.waitForTimeout(1000);
          o = await measure(page, vp.width, path);
        }
        if (o) {
          problems.push(o);
          await shot(page, `layout-${role}-${path.replace(/\W+/g, '_')}-${vp.width}`);
        }
      }
    }
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
