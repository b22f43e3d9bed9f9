import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiAs, BASE_URL, demoId, launch, phoneScreen, settled, shot, signIn } from './support/browser';

/**
 * The public, sign-in-free market pages on a phone (issue 4 §7; R-B2, R-B4, R-B5, R-D1): QR check-in with
 * registration, the market page with its complaint hotline, the job board, the hire confirmation QR, and the
 * printable gate QR in the console.
 */
const MARKET = demoId('m-zhongmu');
/** A phone number no other run has used (the suite's database is reset per run, but be safe). */
const PHONE = `139${String(Date.now()).slice(-8)}`;
const WORKER = '赵小满';
const SHANGHAI_DAY = (offsetDays: number) => new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('public market pages on a phone', () => {
  let browser: Browser;
  let phone: BrowserContext;
  let desk: Awaited<ReturnType<typeof apiAs>>;
  let postId: string;

  beforeAll(async () => {
    browser = await launch();
    phone = await browser.newContext({
      ...phoneScreen(),
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47',
    });
    // Two published jobs, so the board and the market's counter have something to show.
    desk = await apiAs('op1.desk');
    const admin = await apiAs('op1.admin');
    const employer = await desk<{ id: string }>('POST', `/markets/${MARKET}/employers`, {
      kind: 'individual', name: '刘师傅装修队', contactName: '刘师傅', contactPhone: '13912340001',
    });
    await admin('POST', `/employers/${employer.id}/verification`, { decision: 'verified', evidence: '身份证原件已核验，施工现场已走访' });
    const post = async (body: Record<string, unknown>) => {
      const p = await desk<{ id: string }>('POST', `/markets/${MARKET}/posts`, {
        employerId: employer.id, headcount: 3, period: 'same_day', requirements: '', ...body,
      });
      await admin('POST', `/posts/${p.id}/review`, { decision: 'published' });
      return p.id;
    };
    postId = await post({
      occupation: '装卸搬运工', title: '建材卸车（水泥、瓷砖）', wageFen: 22000, wageUnit: 'day', startAt: `${SHANGHAI_DAY(1)}T07:00:00+08:00`,
      place: '中牟县青年路建材市场 B 区', requirements: '身体健康，能搬 25 公斤；中午管饭',
    });
    await post({
      occupation: '保洁员', title: '新房开荒保洁', wageFen: 2500, wageUnit: 'hour', headcount: 2, period: 'days', periodCount: 2,
      startAt: `${SHANGHAI_DAY(2)}T08:30:00+08:00`, place: '中牟县建设路锦绣花园 6 号楼',
    });
  });
  afterAll(() => browser.close());

  it('a new worker scans the gate QR, types the gate code from the screen, registers with phone, name and one trade, and gets a queue number; the second scan keeps it', async () => {
    const gateCode = async () => (await desk<{ code: string }>('GET', `/markets/${MARKET}/gate-code`)).code;
    const page = await phone.newPage();
    await page.goto(`${BASE_URL}/m/${MARKET}/checkin`);
    await settled(page);
    const mobile = page.getByTestId('checkin-mobile');
    const code = page.getByTestId('checkin-gate-code');
    await mobile.waitFor();
    expect(await mobile.getAttribute('inputmode')).toBe('numeric');
    expect(await code.getAttribute('inputmode')).toBe('numeric');
    expect(page.url()).not.toContain('/login');
    await shot(page, '50-public-checkin-phone');

    // A short number and a missing gate code are refused on the page, next to their fields.
    await mobile.fill('1390000');
    await page.getByTestId('checkin-submit').click();
    await page.getByTestId('checkin-mobile-error').getByText('11 位手机号').waitFor();
    await page.getByTestId('checkin-gate-code-error').getByText('6 位签到码').waitFor();

    // A code that is not the screen's: the server refuses it (proof of presence, issue 12 §4) and the page says so beside the code.
    const right = await gateCode();
    await code.fill(String((Number(right) + 1) % 1_000_000).padStart(6, '0'));
    await mobile.fill(PHONE);
    await page.getByTestId('checkin-submit').click();
    await page.getByTestId('checkin-register-step').waitFor();
    expect(await page.getByTestId('checkin-register-mobile').textContent()).toContain(PHONE);
    await page.getByTestId('checkin-name').fill(WORKER);
    await page.getByTestId('checkin-occupation').filter({ hasText: '装卸搬运工' }).click();
    // Consent first (R-B2): without it the page says so beside the box and sends nothing.
    await page.getByTestId('checkin-register-submit').click();
    await page.getByTestId('checkin-consent-error').waitFor();
    await page.getByTestId('checkin-consent').check();
    expect(await page.getByTestId('checkin-consent-notice').textContent()).toContain('个人信息使用告知');
    await shot(page, '51-public-checkin-register');
    await page.getByTestId('checkin-register-submit').click();
    await page.getByTestId('checkin-gate-code-error').getByText('签到码不正确或已过期').waitFor();
    const queue = await desk<{ name: string }[]>('GET', `/markets/${MARKET}/queue?status=all`);
    expect(queue.map((e) => e.name)).not.toContain(WORKER);

    await code.fill(await gateCode());
    await page.getByTestId('checkin-submit').click();
    await page.getByTestId('checkin-register-step').waitFor();
    await page.getByTestId('checkin-register-submit').click();
    const done = page.getByTestId('checkin-done');
    await done.waitFor();
    expect(await done.getAttribute('data-status')).toBe('checked_in');
    // The same words for a known and a new number: the page never says who is registered.
    expect(await page.getByTestId('checkin-done-message').textContent()).toContain('签到成功');
    const number = (await page.getByTestId('checkin-queue-number').textContent())?.trim();
    expect(number).toMatch(/^\d+$/);
    await shot(page, '52-public-checkin-done');

    // Next visit: the phone remembers the number and name; the gate code and one tap check in again and keep the queue number.
    await page.reload();
    await settled(page);
    await mobile.waitFor();
    expect(await mobile.inputValue()).toBe(PHONE);
    await page.getByTestId('checkin-not-me').waitFor();
    await code.fill(await gateCode());
    await page.getByTestId('checkin-submit').click();
    await done.waitFor();
    expect(await done.getAttribute('data-status')).toBe('checked_in');
    expect((await page.getByTestId('checkin-queue-number').textContent())?.trim()).toBe(number);
    await shot(page, '53-public-checkin-again');

    // "不是我" forgets the number and name on this phone.
    await page.getByTestId('checkin-done-not-me').click();
    expect(await mobile.inputValue()).toBe('');
    expect(await page.evaluate(() => [localStorage.getItem('lg.public.mobile'), localStorage.getItem('lg.public.name')])).toEqual([null, null]);
    await page.close();
  });

  it('the front desk opens the gate screen: the current gate code, large, with the check-in QR', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage();
    await signIn(page, 'op1.desk');
    await page.goto(`${BASE_URL}/markets/${MARKET}`);
    await page.getByTestId('market-gate').click();
    await page.waitForURL(`**/markets/${MARKET}/gate`);
    const shown = page.getByTestId('gate-code');
    await shown.waitFor();
    expect((await shown.textContent())?.trim()).toMatch(/^\d{6}$/);
    // The API accepts the screen's code (current or previous window).
    const api = (await desk<{ code: string }>('GET', `/markets/${MARKET}/gate-code`)).code;
    const onScreen = (await shown.textContent())?.trim();
    const r = await fetch(`${BASE_URL}/api/v1/public/markets/${MARKET}/check-ins`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '门屏测试', mobile: `138${String(Date.now()).slice(-8)}`, consent: true, gateCode: onScreen }),
    });
    expect([r.status, onScreen === api || r.status === 200]).toEqual([200, true]);
    expect(await page.getByTestId('gate-qr').getAttribute('alt')).toBe(`${BASE_URL}/m/${MARKET}/checkin`);
    await page.getByTestId('gate-countdown').getByText('秒后更换').waitFor();
    await shot(page, '59-public-gate-screen');
    // The desk screen links to it too (opened in a new tab for the display at the entrance).
    await page.goto(`${BASE_URL}/desk`);
    expect(await page.getByTestId('desk-gate').getAttribute('href')).toBe(`/markets/${MARKET}/gate`);
    await page.context().close();
  });

  it('the market page shows the complaint hotline, counters and tap-to-call numbers; the board shows the jobs', async () => {
    const page = await phone.newPage();
    await page.goto(`${BASE_URL}/m/${MARKET}`);
    await settled(page);
    const market = page.getByTestId('public-market');
    await market.waitFor();
    expect(await market.textContent()).toContain('中牟县零工市场');
    expect(await page.title()).toBe('中牟县零工市场');
    const complaint = page.getByTestId('public-complaint');
    expect(await complaint.textContent()).toContain('投诉举报电话');
    expect(await complaint.locator('a[href="tel:12345"]').count()).toBe(1);
    expect(await page.getByTestId('public-contact-tel').getAttribute('href')).toMatch(/^tel:\d+$/);
    expect(Number(await page.getByTestId('public-open-posts').locator('b').textContent())).toBeGreaterThanOrEqual(2);
    expect(Number(await page.getByTestId('public-waiting').locator('b').textContent())).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('public-map').getAttribute('href')).toContain('113.9873,34.7192');
    await shot(page, '54-public-market');

    await page.getByTestId('public-go-jobs').click();
    const job = page.getByTestId('public-job').filter({ hasText: '建材卸车（水泥、瓷砖）' });
    await job.waitFor();
    const text = await job.textContent();
    expect(text).toContain('220');
    expect(text).toContain('元/天');
    expect(text).toContain('明天 07:00');
    expect(text).toContain('刘师傅装修队');
    expect(await page.getByTestId('public-job').filter({ hasText: '新房开荒保洁' }).textContent()).toContain('25 元/小时');
    await shot(page, '55-public-jobs');

    // Chinese first, English on request (the choice is kept on the phone; switch back for the next tests).
    await page.getByTestId('public-lang').click();
    await page.getByText('Open jobs').waitFor();
    expect(await job.textContent()).toContain('yuan/day');
    expect(await job.textContent()).toContain('Tomorrow 07:00');
    await shot(page, '55-public-jobs-en');
    await page.getByTestId('public-lang').click();
    await page.getByText('正在招工').waitFor();
    await page.close();
  });

  it('both sides confirm a recommendation by QR; the worker can then report unpaid wages; a bad code is explained', async () => {
    const found = await desk<{ items: { id: string }[] }>('GET', `/workers?mobile=${PHONE}`);
    expect(found.items).toHaveLength(1);
    const rec = await desk<{ id: string; confirmTokens: { worker: string; employer: string } }>('POST', '/placements', { postId, workerId: found.items[0].id });

    // Each scan opens the page afresh, as a phone's QR scanner does.
    let page = await phone.newPage();
    const scan = async (path: string) => {
      await page.close();
      page = await phone.newPage();
      await page.goto(`${BASE_URL}${path}`);
      await settled(page);
    };
    await scan(`/m/${MARKET}/c/${rec.confirmTokens.worker}`);
    await page.getByTestId('confirm-job').waitFor();
    expect(await page.getByTestId('confirm-job').textContent()).toContain('建材卸车');
    expect(await page.getByTestId('confirm-job').textContent()).toContain('赵**');
    await shot(page, '56-public-confirm-worker');
    await page.getByTestId('confirm-submit').click();
    await page.getByTestId('confirm-state').getByText('等对方确认').waitFor();

    await scan(`/m/${MARKET}/c/${rec.confirmTokens.employer}`);
    await page.getByTestId('confirm-submit').getByText('确认用工').click();
    await page.getByTestId('confirm-state').getByText('双方已确认，请按时到岗').waitFor();
    await shot(page, '56-public-confirm-both');

    // After the work starts the worker's own code offers a non-payment report (R-B5, R-B8).
    await desk('POST', `/placements/${rec.id}/start`, {});
    await scan(`/m/${MARKET}/c/${rec.confirmTokens.worker}`);
    await page.getByTestId('confirm-report-open').click();
    await page.getByTestId('confirm-report-amount').fill('220');
    await page.getByTestId('confirm-report-description').fill('干了一天卸车，老板说过几天给，一直没给。');
    await shot(page, '57-public-nonpayment');
    await page.getByTestId('confirm-report-submit').click();
    await page.getByTestId('confirm-reported').waitFor();

    await scan(`/m/${MARKET}/c/not-a-real-token-at-all-xx`);
    await page.getByTestId('confirm-invalid').waitFor();
    expect(await page.getByTestId('confirm-invalid').textContent()).toContain('确认码');
    await shot(page, '58-public-confirm-invalid');

    // An unknown market is a friendly page, not the login screen.
    await scan(`/m/${demoId('no-such-market')}/checkin`);
    await page.getByTestId('public-not-found').waitFor();
    expect(new URL(page.url()).pathname).toContain('/m/');
    await page.close();
  });

  it('an operator admin prints the gate QR from the market page', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage();
    await signIn(page, 'op1.admin');
    await page.goto(`${BASE_URL}/markets/${MARKET}`);
    await page.getByTestId('market-qr').click();
    await page.waitForURL(`**/markets/${MARKET}/qr`);
    const img = page.getByTestId('market-qr-image');
    await img.waitFor();
    expect(await img.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await img.getAttribute('alt')).toBe(`${BASE_URL}/m/${MARKET}/checkin`);
    expect(await page.getByTestId('market-qr-sheet').textContent()).toContain('扫码登记签到');
    await shot(page, '59-public-qr-print');
    // Printing shows the sheet alone.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nz-sider, .ant-layout-sider').first().isVisible()).toBe(false);
    expect(await page.getByTestId('market-qr-print').isVisible()).toBe(false);
    await shot(page, '59-public-qr-print-media');
    await page.context().close();
  });
});
