import type { Browser, Page } from 'playwright-core';
import { BASE_URL, launch, shot, signIn } from './support/browser';

/**
 * The list kit (issue 11 §1): a list keeps its filters, page and page size in the URL, so a list
 * can be bookmarked or reloaded, and the back button restores the previous state. Defaults stay out
 * of the URL. Shown on the users list (an operator admin sees its four colleagues).
 */
describe('list kit', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(() => browser.close());

  const newPage = async (): Promise<Page> => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    return ctx.newPage();
  };
  /** Waits until the users table shows exactly n rows (after the load the URL change started). */
  const showsRows = (page: Page, n: number) =>
    page.waitForFunction((want) => document.querySelectorAll('[data-testid="table-users"] tbody tr:not(.ant-table-placeholder)').length === want, n);
  const query = (page: Page) => Object.fromEntries(new URL(page.url()).searchParams);

  it('a search is in the URL: reload keeps it, back undoes it, forward redoes it', async () => {
    const page = await newPage();
    await signIn(page, 'op1.admin');
    await page.goto(`${BASE_URL}/users`);
    await page.getByText('op1.manager').first().waitFor();
    await showsRows(page, 4);
    expect(query(page)).toEqual({});

    const search = page.locator('lg-list-page input[name="q"]');
    await search.fill('op1.desk');
    await search.press('Enter');
    await page.waitForURL((u) => u.searchParams.get('q') === 'op1.desk');
    await showsRows(page, 1);
    await page.getByText('op1.desk').first().waitFor();
    await shot(page, 'list-kit-01-users-searched');

    await page.reload();
    await page.getByTestId('table-users').waitFor();
    await showsRows(page, 1);
    expect(await search.inputValue()).toBe('op1.desk');

    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('q'));
    await showsRows(page, 4);
    expect(await search.inputValue()).toBe('');

    await page.goForward();
    await page.waitForURL((u) => u.searchParams.get('q') === 'op1.desk');
    await showsRows(page, 1);
    await page.context().close();
  });

  it('page and page size are in the URL; the defaults are not', async () => {
    const page = await newPage();
    await signIn(page, 'op1.admin');
    await page.goto(`${BASE_URL}/users?pageSize=2`);
    await page.getByTestId('table-users').waitFor();
    await showsRows(page, 2);
    await page.locator('.ant-pagination-item[title="2"]').click();
    await page.waitForURL((u) => u.searchParams.get('page') === '2');
    await showsRows(page, 2);
    await shot(page, 'list-kit-02-users-page-2');

    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('page'));
    expect(query(page)).toEqual({ pageSize: '2' });
    await page.locator('.ant-pagination-item-active[title="1"]').waitFor();
    await page.context().close();
  });

  it('a search that finds nothing says so', async () => {
    const page = await newPage();
    await signIn(page, 'op1.admin');
    await page.goto(`${BASE_URL}/users?q=nobody-by-this-name`);
    await page.getByTestId('list-empty').getByText('没有符合条件的记录').waitFor();
    await shot(page, 'list-kit-03-users-no-match');
    await page.context().close();
  });
});
