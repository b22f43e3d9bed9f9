import type { Browser } from 'playwright-core';
import { launch, shot, signIn } from './support/browser';

/** Front-desk registration of a worker (R-B2): name, mobile, consent; the roster shows the phone masked. */
describe('worker registration in the console', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(() => browser.close());

  it('a front-desk user registers a worker and sees it masked in the roster', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage();
    await signIn(page, 'op1.desk');
    await page.getByTestId('menu-workers').click();
    await page.getByTestId('table-workers').waitFor();
    await page.getByTestId('worker-register').click();
    await page.getByTestId('worker-name').fill('刘大壮');
    await page.getByTestId('worker-mobile').fill('13866667777');
    await page.getByTestId('worker-consent').click();
    await shot(page, '30-worker-register');
    await page.getByTestId('worker-submit').click();
    await page.getByTestId('worker-row').filter({ hasText: '刘大壮' }).waitFor();
    expect(await page.getByTestId('table-workers').textContent()).toContain('138****7777');
    expect(await page.getByTestId('table-workers').textContent()).not.toContain('13866667777');
    await shot(page, '31-worker-roster');
    await page.context().close();
  });
});
