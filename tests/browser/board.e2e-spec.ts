import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { toDataURL } from 'qrcode';
import { apiAs, BASE_URL, demoId, launch, phoneScreen, shot, showsAfter, signIn } from './support/browser';

/**
 * The province-wide job board on a phone (issue 18 §1–2): a worker at 390×844 finds a post by trade and distance,
 * sees it on the map, applies (应聘报名) with a new mobile number and the push opt-in; the market's desk sees the
 * application and recommends; the worker's push page unsubscribes with one click. axe-core: no serious or critical
 * violation on the new public pages (results in artifacts/axe).
 */
const MARKET = demoId('m-zhongmu');
const ARTIFACTS = join(__dirname, '../../artifacts');
const PHONE = phoneScreen({ width: 390, height: 844 });
const MOBILE = `138${String(Date.now()).slice(-8)}`;
const TITLE = `看板测试·蔬菜大棚采摘${String(Date.now()).slice(-5)}`;
const SHANGHAI_DAY = (offsetDays: number) => new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

function axeSource(): string {
  let path = process.env['AXE_PATH'] ?? '';
  try {
    path = require.resolve('axe-core/axe.min.js');
  } catch {
    // not installed in node_modules: AXE_PATH
  }
  if (!path || !existsSync(path)) throw new Error('axe-core not found: add it as a devDependency or set AXE_PATH to axe.min.js');
  return readFileSync(path, 'utf8');
}
interface AxeViolation { id: string; impact: string | null; help: string; nodes: { html: string }[] }
async function axe(page: Page, name: string): Promise<string[]> {
  await page.evaluate(axeSource());
  const result = await page.evaluate(() => (window as unknown as { axe: { run: (c: Document) => Promise<unknown> } }).axe.run(document)) as { violations: AxeViolation[] };
  mkdirSync(join(ARTIFACTS, 'axe'), { recursive: true });
  writeFileSync(join(ARTIFACTS, 'axe', `${name}.json`), JSON.stringify({ url: page.url(), at: new Date().toISOString(), ...result }, null, 2));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => n.html.slice(0, 120)).join(' | ')}`);
}

describe('the province-wide job board on a phone (issue 18 §1–2)', () => {
  let browser: Browser;
  let phone: BrowserContext;
  let desk: Awaited<ReturnType<typeof apiAs>>;
  let postId: string;
  const violations: string[] = [];

  beforeAll(async () => {
    browser = await launch();
    // The phone stands at the gate of 中牟县零工市场 and lets the page know where it is.
    phone = await browser.newContext({ ...PHONE, geolocation: { latitude: 34.7195, longitude: 113.9762 }, permissions: ['geolocation'] });
    desk = await apiAs('op1.desk');
    const admin = await apiAs('op1.admin');
    const employer = await desk<{ id: string }>('POST', `/markets/${MARKET}/employers`, {
      kind: 'individual', name: '看板测试种植户', contactName: '马师傅', contactPhone: '13912340077',
    });
    await admin('POST', `/employers/${employer.id}/verification`, { decision: 'verified', evidence: '身份证原件已核验，大棚现场已走访' });
    const p = await desk<{ id: string }>('POST', `/markets/${MARKET}/posts`, {
      employerId: employer.id, occupation: '大棚种植工', title: TITLE, headcount: 3, wageFen: 18000, wageUnit: 'day', period: 'same_day',
      startAt: `${SHANGHAI_DAY(1)}T07:00:00+08:00`, place: '中牟县官渡镇草莓大棚 12 号', requirements: '会摘草莓，手脚轻',
    });
    await admin('POST', `/posts/${p.id}/review`, { decision: 'published' });
    postId = p.id;
  });
  afterAll(() => browser.close());

  it('a phone finds the post by trade and distance, on the list and on the map', async () => {
    const page = await phone.newPage();
    await page.goto(`${BASE_URL}/board`);
    await page.getByTestId('board-heading').waitFor();
    await page.getByTestId('board-count').waitFor();
    await shot(page, '90-board-phone');
    violations.push(...await axe(page, 'board-list'));
    await page.getByTestId('board-occupation').selectOption('大棚种植工');
    await page.getByTestId('board-go').click();
    await page.waitForURL((u) => u.searchParams.get('occupation') === '大棚种植工');
    await page.getByTestId('board-locate').click();
    await page.getByTestId('board-where').filter({ hasText: '已按您的位置' }).waitFor();
    const card = page.locator(`[data-testid="board-post"][data-post="${postId}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain('已核验');
    expect(await card.textContent()).toMatch(/距您 \d+(\.\d)? 公里/);
    expect(await page.getByTestId('board-reviewed').textContent()).toContain('歧视');
    // Every card is the chosen trade, nearest first.
    const kms = await page.getByTestId('board-post').evaluateAll((els) => els.map((e) => Number(/距您 ([\d.]+) 公里/.exec(e.textContent ?? '')?.[1] ?? 'NaN')));
    expect(kms).toEqual([...kms].sort((a, b) => a - b));
    await card.scrollIntoViewIfNeeded();
    await shot(page, '91-board-search-distance');
    // The chart library is a lazy chunk parsed on the emulated phone before the canvas exists: 20 s ran out once with
    // two browser shards on a loaded 2-core machine (the canvas is still required, only the patience is longer); 60 s
    // ran out once too (stop 25's CI), so a failure now says what the page met and shows.
    await showsAfter(page, () => page.getByTestId('board-view-map').click(), page.getByTestId('board-map').locator('canvas').first(), 'board-map');
    await page.waitForTimeout(500);
    await shot(page, '92-board-map');
    violations.push(...await axe(page, 'board-map'));
    await page.getByTestId('board-view-list').click();
    await page.close();
  });

  it('the phone applies (a new number, registered on the spot) and the desk sees the application and recommends', async () => {
    const page = await phone.newPage();
    await page.goto(`${BASE_URL}/board/p/${postId}`);
    await page.getByTestId('board-post-detail').waitFor();
    violations.push(...await axe(page, 'board-post'));
    // Bad input first: the page says what is wrong, in plain Chinese, and sends nothing.
    await page.getByTestId('board-mobile').fill('12345');
    await page.getByTestId('board-submit').press('Enter');
    await page.locator('#board-mobile-err').waitFor();
    expect(await page.locator('#board-mobile-err').textContent()).not.toMatch(/[A-Za-z_]/);
    await page.getByTestId('board-mobile').fill(MOBILE);
    await page.getByTestId('board-name').fill('韩小麦');
    await page.getByTestId('board-consent').check();
    await page.getByTestId('board-push').check();
    await shot(page, '93-board-apply-form');
    await page.getByTestId('board-submit').press('Enter');
    await page.getByTestId('board-applied').waitFor();
    expect(await page.getByTestId('board-applied').textContent()).toContain('中牟县零工市场');
    await shot(page, '94-board-applied');
    violations.push(...await axe(page, 'board-applied'));
    await page.close();

    // The desk (a desktop screen) sees it in its queue of online applications and recommends the applicant.
    const staff = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    const d = await staff.newPage();
    await signIn(d, 'op1.desk');
    await d.goto(`${BASE_URL}/desk`);
    const row = d.locator(`[data-testid="desk-application"][data-post="${postId}"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('韩小麦');
    expect(await row.textContent()).toContain(`${MOBILE.slice(0, 3)}****${MOBILE.slice(7)}`);
    await row.scrollIntoViewIfNeeded();
    await shot(d, '95-desk-applications');
    await row.getByTestId('desk-application-recommend').click();
    await d.getByTestId('desk-confirm-panel').waitFor();
    await shot(d, '96-desk-application-recommended');
    await staff.close();
    const placements = await desk<{ items: { postId: string; workerName: string; status: string }[] }>('GET', `/placements?postId=${postId}`);
    expect(placements.items).toEqual([expect.objectContaining({ postId, workerName: '韩小麦', status: 'recommended' })]);
  });

  it('the worker\'s push page shows their pushed posts and unsubscribes with one click', async () => {
    const found = await desk<{ items: { id: string; jobPush: boolean }[] }>('GET', `/workers?mobile=${MOBILE}`);
    expect(found.items[0].jobPush).toBe(true);
    const workerId = found.items[0].id;
    // The desk shows the worker their page as a QR on the worker's page in the console (issue 18 §2: "a link sent by QR").
    const staff = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const d = await staff.newPage();
    await signIn(d, 'op1.desk');
    await d.goto(`${BASE_URL}/workers/${workerId}`);
    await d.getByTestId('worker-push-qr').click();
    const img = d.getByTestId('worker-push-qr-image');
    await img.waitFor();
    const url = ((await d.getByTestId('worker-push-url').textContent()) ?? '').trim();
    const link = await desk<{ path: string }>('GET', `/workers/${workerId}/push-link`);
    expect(url).toBe(`${d.url().split('/workers/')[0]}${link.path}`);
    // The code is that link: the same library draws the same pixels from it (the PNG bytes differ: canvas vs pngjs).
    const expectedQr = await toDataURL(url, { errorCorrectionLevel: 'M', margin: 1, width: 560 });
    const samePixels = await d.evaluate(async ([a, b]) => {
      const pixels = async (src: string) => {
        const im = new Image();
        im.src = src;
        await im.decode();
        const c = document.createElement('canvas');
        c.width = im.naturalWidth;
        c.height = im.naturalHeight;
        const g = c.getContext('2d') as CanvasRenderingContext2D;
        g.drawImage(im, 0, 0);
        return { w: c.width, h: c.height, data: Array.from(g.getImageData(0, 0, c.width, c.height).data) };
      };
      const [x, y] = [await pixels(a), await pixels(b)];
      return x.w === y.w && x.h === y.h && x.data.every((v, i) => v === y.data[i]);
    }, [(await img.getAttribute('src')) ?? '', expectedQr] as const);
    expect(samePixels).toBe(true);
    await d.waitForTimeout(400);
    await shot(d, '96b-worker-push-qr');
    await staff.close();
    // Showing it is a reveal of the worker's own page: audited.
    const audit = await (await apiAs('op1.admin'))<{ items: { action: string; summary: { sent?: boolean } }[] }>('GET', `/audit-events?subjectId=${workerId}&action=push.link`);
    expect(audit.items.some((e) => e.summary.sent === false)).toBe(true);
    const page = await phone.newPage();
    await page.goto(url);
    await page.getByTestId('push-subscribed').waitFor();
    await shot(page, '97-push-page');
    violations.push(...await axe(page, 'push-page'));
    await page.getByTestId('push-unsubscribe').press('Enter');
    await page.getByTestId('push-unsubscribed').waitFor();
    await shot(page, '98-push-unsubscribed');
    await page.reload();
    await page.getByTestId('push-unsubscribed').waitFor();
    await page.close();
    expect(violations).toEqual([]);
  });
});
