import type { Browser, Page } from 'playwright-core';
import { apiAs, BASE_URL, demoId, enrolledUser, launch, ownerQuery, shot, signIn } from './support/browser';

/**
 * Model markets and local items in the console (issue 15 §5, §2), on the full demo: the province's list stands under
 * 公示 (the demo's), shown on the public directory without sign-in; the province reads each market's reasons and the
 * excluded markets with why, and records an objection; Zhengzhou proposes its city-level list from the same cycle
 * (the rules' answer shown first); a county saves a local version of the province's template within the budget.
 */
describe('model markets and local items in the console', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(() => browser.close());

  const page = async (user?: string): Promise<Page> => {
    const p = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    if (user) await signIn(p, user);
    return p;
  };

  it('the public directory shows the markets under 公示 with the dates, without sign-in', async () => {
    const p = await page();
    await p.goto(`${BASE_URL}/directory`);
    const section = p.getByTestId('directory-model-markets');
    await section.waitFor();
    const items = section.getByTestId('model-market-public');
    expect(await items.count()).toBeGreaterThan(0);
    expect(await items.first().getAttribute('data-state')).toBe('notice');
    await section.getByText('省级示范零工市场 · 公示中').first().waitFor();
    await section.getByText(/公示期 \d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}/).first().waitFor();
    await shot(p, 'model-markets-public-notice');
    await p.close();
  });

  it('the province reads its list: reasons, the excluded markets and why; records an objection', async () => {
    const p = await page('province.auditor');
    await p.goto(`${BASE_URL}/assessment/model-markets`);
    await p.getByTestId('model-list-row').first().waitFor();
    await p.getByTestId('model-list-state').filter({ hasText: '公示中' }).first().waitFor();
    await shot(p, 'model-markets-lists');
    await p.getByTestId('model-list-link').first().click();
    await p.getByTestId('model-market-row').first().waitFor();
    await p.getByText('已运营').first().waitFor();
    // op3's station, graded 差, is excluded with its reason.
    await p.getByTestId('model-excluded').filter({ hasText: '新郑市龙湖镇零工驿站' }).getByText(/考核等次未达要求/).waitFor();
    await p.getByTestId('model-object').click();
    await p.getByTestId('model-objection-content').fill('来信反映：该市场公示栏未及时更新岗位信息。');
    await p.locator('.ant-modal-footer button.ant-btn-primary').click();
    await p.getByTestId('model-objection').first().waitFor();
    await shot(p, 'model-markets-list-objection');
    await p.close();
  });

  it('after 公示 another provincial auditor designates (the objected market kept, with the answer); the province revokes a title with a reason', async () => {
    // The notice days pass: the list's dates move back so that its 公示 ended yesterday (as tests/api/assessment-demo does).
    const [list] = await ownerQuery<{ id: string }>(`SELECT id FROM model_market_lists WHERE level = 'province' AND state = 'notice' ORDER BY proposed_at LIMIT 1`);
    await ownerQuery(`UPDATE model_market_lists SET notice_from = (now() AT TIME ZONE 'Asia/Shanghai')::date - 8, notice_until = (now() AT TIME ZONE 'Asia/Shanghai')::date - 1 WHERE id = $1`, [list.id]);
    // The proposer may not designate (separation of duties): a second auditor of the province does.
    const username = `prov2.${Date.now() % 100000}`;
    const secret = await enrolledUser(await apiAs('admin'), { username, displayName: '省厅审计员 王立', password: 'Test-Passw0rd!', orgId: demoId('henan'), roles: ['province_auditor'] });
    const p = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await signIn(p, username, 'Test-Passw0rd!', secret);
    await p.goto(`${BASE_URL}/assessment/model-markets/${list.id}`);
    await p.getByTestId('model-market-row').first().waitFor();
    await p.getByTestId('model-designate').click();
    const form = p.getByTestId('model-designation-form');
    await form.getByTestId('model-decision-reason').first().fill('经核实，公示栏已于次日更新，异议不影响认定。');
    await shot(p, 'model-markets-designation-dialog');
    await p.locator('.ant-modal-footer button.ant-btn-primary').click();
    await p.getByTestId('model-list-state').filter({ hasText: '已认定' }).waitFor();
    await p.getByTestId('model-market-state').filter({ hasText: '已认定' }).first().waitFor();
    await p.getByText('经核实，公示栏已于次日更新').first().waitFor();
    await shot(p, 'model-markets-designated');
    await p.close();

    // The granting authority revokes a designated title, with its reasons; the public directory no longer lists it.
    const q = await page('province.auditor');
    await q.goto(`${BASE_URL}/assessment/model-markets/${list.id}`);
    const row = q.getByTestId('model-market-row').filter({ has: q.getByTestId('model-revoke') }).first();
    await row.waitFor();
    const revokedName = ((await row.locator('td').first().innerText()).split('\n')[0] ?? '').trim();
    await row.getByTestId('model-revoke').click();
    await q.getByTestId('model-revoke-reason').fill('抽查回访发现虚报招聘成功人数，撤销称号。');
    await shot(q, 'model-markets-revoke-dialog');
    await q.locator('.ant-modal-footer button.ant-btn-primary').click();
    await q.getByTestId('model-market-state').filter({ hasText: '已撤销' }).first().waitFor();
    await q.getByText('抽查回访发现虚报招聘成功人数').first().waitFor();
    await shot(q, 'model-markets-revoked');
    await q.close();
    const pub = await page();
    await pub.goto(`${BASE_URL}/directory`);
    await pub.getByTestId('directory-model-markets').waitFor();
    await pub.locator('[data-testid="model-market-public"][data-state="designated"]').first().waitFor();
    expect(await pub.getByTestId('model-market-public').filter({ hasText: revokedName }).count()).toBe(0);
    await shot(pub, 'model-markets-public-designated');
    await pub.close();
  });

  it('Zhengzhou proposes its city-level list: the rules answer first (candidates and excluded markets), then 公示', async () => {
    const p = await page('city.analyst');
    await p.goto(`${BASE_URL}/assessment/model-markets`);
    await p.getByTestId('model-propose').click();
    await p.getByTestId('model-cycle').click();
    // The demo's cycle (other suites' cycles may be newer).
    await p.locator('nz-option-item').filter({ hasText: /^\s*\d{4}-\d{2} 至 \d{4}-\d{2} 季度考核\s*$/ }).first().click();
    await p.getByTestId('model-evaluation').waitFor();
    expect(await p.getByTestId('model-candidate').count()).toBeGreaterThan(0);
    await p.getByTestId('model-excluded').filter({ hasText: '新郑市龙湖镇零工驿站' }).waitFor();
    await shot(p, 'model-markets-propose');
    await p.locator('.ant-modal-footer button.ant-btn-primary').click();
    await p.getByTestId('model-list-row').filter({ hasText: '市级' }).waitFor();
    await shot(p, 'model-markets-city-list');
    await p.close();
  });

  it('a county saves a local version: a local item within the budget, its points taken from a province item', async () => {
    const p = await page('county.reviewer');
    await p.goto(`${BASE_URL}/assessment/templates`);
    await p.getByTestId('tpl-weight-hires_started').waitFor();
    await p.getByTestId('template-local-total').filter({ hasText: '本地指标 0 分' }).waitFor();
    const add = p.locator('[data-testid^="tpl-add-"]').first();
    await add.click();
    const local = p.getByTestId('tpl-local').first();
    await local.waitFor();
    const weight = p.getByTestId('tpl-weight-hires_started').locator('input');
    const before = Number(await weight.inputValue());
    await weight.fill(String(before - 1));
    await weight.press('Tab');
    await p.getByTestId('template-total').filter({ hasText: '100 / 100' }).waitFor();
    await p.getByTestId('template-local-total').filter({ hasText: '本地指标 1 分' }).waitFor();
    await p.getByTestId('template-name').fill(`中牟县本地指标 ${Date.now()}`);
    await p.getByTestId('template-save').click();
    await p.getByText('已保存为第 1 版').waitFor();
    await shot(p, 'assessment-template-local');
    await p.close();
  });
});
