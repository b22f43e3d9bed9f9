import type { Browser, Page } from 'playwright-core';
import { BASE_URL, launch, phoneScreen, shot, signIn } from './support/browser';

/** A bearer session for setting up data over the API. */
async function api(username: string) {
  const res = await fetch(`${BASE_URL}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'Linggong@2026' }) });
  const { token } = (await res.json()) as { token: string };
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${BASE_URL}/api/v1${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
}
const ZHONGMU = '中牟县零工市场';
/** Names and titles the demo seed never generates, so they match one row only. */
const COURSE = '浏览器测试·高低压电工实操班';
const TRAINEE = '欧阳学电';
const PHONE_TRAINEE = '上官学电';
/** Asia/Shanghai wall-clock time `minutes` from now, as the date picker takes it. */
const shanghai = (minutes: number) => new Date(Date.now() + minutes * 60_000 + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

async function pick(page: Page, testId: string, text: string, search?: string): Promise<void> {
  await page.getByTestId(testId).click();
  if (search) await page.getByTestId(testId).locator('input').fill(search);
  await page.locator('nz-option-item').filter({ hasText: text }).first().click();
}

/** Training (R-B10) and events (R-B13) as a market manager works them. */
describe('training and events in the console', () => {
  let browser: Browser;
  let marketId = '';
  let mobiles: Record<string, string> = {};
  beforeAll(async () => {
    browser = await launch();
    const admin = await api('op1.admin');
    const markets = await admin<{ items: { id: string; name: string }[] }>('GET', '/markets?pageSize=50');
    marketId = markets.items.find((m) => m.name === ZHONGMU)?.id ?? '';
    mobiles = { [TRAINEE]: `1390${String(Date.now()).slice(-7)}`, [PHONE_TRAINEE]: `1380${String(Date.now() + 1).slice(-7)}` };
    for (const [name, mobile] of Object.entries(mobiles)) await admin('POST', `/markets/${marketId}/workers`, { name, mobile, consent: true, occupations: ['电工'] });
  });
  afterAll(() => browser.close());

  it('a market manager creates a course with a session, enrols trainees, records a signed attendance, and a trainee signs in by QR', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })).newPage();
    await signIn(page, 'op1.manager');
    await page.getByTestId('menu-training').click();
    await page.getByTestId('training-demand-summary').waitFor();
    await page.getByTestId('training-course-create').click();
    await pick(page, 'course-market', ZHONGMU);
    await page.getByTestId('course-title').fill(COURSE);
    await pick(page, 'course-occupation', '电工', '电工');
    await page.getByTestId('course-hours').locator('input').fill('2');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    const row = page.getByTestId('course-row').filter({ hasText: COURSE });
    await row.waitFor();
    await page.waitForTimeout(600);
    await shot(page, '75-training-courses');

    await row.getByTestId('course-link').click();
    await page.getByTestId('course-add-session').click();
    await page.getByTestId('session-trainer').fill('王建国');
    await page.getByTestId('session-place').fill('中牟县零工市场二楼培训室');
    for (const [id, minutes] of [['session-starts', -20], ['session-ends', 100]] as const) {
      const input = page.getByTestId(id).locator('input');
      await input.click();
      await input.fill(shanghai(minutes));
      await input.press('Enter');
    }
    await page.getByTestId('session-hours').locator('input').fill('2');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.getByTestId('session-row').filter({ hasText: '王建国' }).waitFor();

    for (const name of [TRAINEE, PHONE_TRAINEE]) {
      await page.getByTestId('course-enrol').click();
      await pick(page, 'enrol-worker', name, name);
      await page.locator('.ant-modal-footer .ant-btn-primary').click();
      await page.getByTestId('enrolment-row').filter({ hasText: name }).waitFor();
    }

    // At the desk: the trainee signs on the screen.
    await page.getByTestId('session-attend').first().click();
    await pick(page, 'attend-trainee', TRAINEE);
    const pad = await page.getByTestId('signature-pad').boundingBox();
    if (!pad) throw new Error('no signature pad');
    await page.mouse.move(pad.x + 40, pad.y + 120);
    await page.mouse.down();
    for (const [dx, dy] of [[90, 60], [160, 140], [230, 50], [300, 130], [380, 70]]) await page.mouse.move(pad.x + dx, pad.y + dy, { steps: 6 });
    await page.mouse.up();
    await page.getByText('已签名').waitFor();
    await shot(page, '76-training-desk-signature');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.getByTestId('enrolment-row').filter({ hasText: TRAINEE }).getByTestId('enrolment-attended').getByText('1 / 1').waitFor();
    await page.getByTestId('session-attended').getByText('1').waitFor();

    // The session's QR: the trainee's phone opens it and signs in with the registered mobile number.
    await page.getByTestId('session-qr').first().click();
    await page.getByTestId('session-qr-image').waitFor();
    const url = (await page.getByTestId('session-qr-url').textContent())?.trim() ?? '';
    expect(url).toMatch(/\/t\/[A-Za-z0-9_-]{20,}$/);
    await page.waitForTimeout(600);
    await shot(page, '77-training-session-qr');
    await page.keyboard.press('Escape');

    const phone = await (await browser.newContext(phoneScreen())).newPage();
    await phone.goto(url);
    await phone.getByTestId('t-course').getByText(COURSE).waitFor();
    await phone.getByTestId('t-mobile').fill(mobiles[PHONE_TRAINEE]);
    await phone.getByTestId('t-submit').click();
    await phone.getByTestId('t-done').getByText('上** 签到成功').waitFor();
    await shot(phone, '78-training-qr-sign-in-phone');
    await phone.context().close();

    await page.reload();
    await page.getByTestId('enrolment-row').filter({ hasText: PHONE_TRAINEE }).getByTestId('enrolment-attended').getByText('1 / 1').waitFor();
    // Both attended the only session (2 h): the manager completes the trainee; the subsidy reasons show what is missing.
    const trainee = page.getByTestId('enrolment-row').filter({ hasText: TRAINEE });
    await trainee.getByTestId('enrolment-complete').click();
    await trainee.getByText('已结业').waitFor();
    await trainee.getByTestId('enrolment-show').click();
    await page.getByTestId('subsidy-reason').filter({ hasText: '已登记身份证号' }).getByText('✗').waitFor();
    await page.getByTestId('attendance-item').first().waitFor();
    await page.context().close();
  });

  it('a market manager sees an event with its posts and hires, and records its attendance', async () => {
    const manager = await api('op1.manager');
    const posts = await manager<{ items: { id: string }[] }>('GET', `/posts?marketId=${marketId}&pageSize=3`);
    const ev = await manager<{ id: string }>('POST', `/markets/${marketId}/events`, {
      kind: 'night_market', title: '浏览器测试·官渡零工夜市', startsAt: new Date(Date.now() - 3_600_000).toISOString(),
      endsAt: new Date(Date.now() + 3 * 3_600_000).toISOString(), place: '中牟县商业步行街', organiser: '中牟县人社局',
    });
    await manager('POST', `/events/${ev.id}/posts`, { postIds: posts.items.map((p) => p.id) });
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })).newPage();
    await signIn(page, 'op1.manager');
    await page.getByTestId('menu-events').click();
    const row = page.getByTestId('event-row').filter({ hasText: '浏览器测试·官渡零工夜市' });
    await row.waitFor();
    await row.getByText('零工夜市').first().waitFor();
    await row.getByTestId('event-hires').getByText(`岗位 ${posts.items.length} 个`).waitFor();
    await row.getByTestId('event-record-attendance').click();
    await page.getByTestId('event-workers').locator('input').fill('260');
    await page.getByTestId('event-employers').locator('input').fill('31');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await row.getByTestId('event-attendance').getByText('求职者 260 人').waitFor();
    await row.getByTestId('event-held').click();
    await row.getByTestId('event-status').getByText('已举办').waitFor();
    await row.locator('td').first().click();
    await page.getByTestId('event-post').first().waitFor();
    await page.waitForTimeout(400);
    await shot(page, '79-events');
    await page.context().close();
  });
});
