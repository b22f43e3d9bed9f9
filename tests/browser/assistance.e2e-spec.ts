import { Client } from 'pg';
import type { Browser } from 'playwright-core';
import { BASE_URL, launch, shot, signIn } from './support/browser';
import { BROWSER_ENV } from './support/env';

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

const ZHONGMU = (async () => {
  const call = await api('op1.admin');
  const markets = await call<{ items: { id: string; name: string }[] }>('GET', '/markets?pageSize=200');
  return markets.items.find((m) => m.name === '中牟县零工市场')?.id ?? '';
})();
let phone = 13500000000 + (Date.now() % 1_000_000) * 10;

/** Assistance (R-B9) and service records (R-B12, R-B14) in the console, as the market's manager and desk use them. */
describe('assistance roster and service records in the console', () => {
  let browser: Browser;
  let owner: Client;
  beforeAll(async () => {
    browser = await launch();
    owner = new Client({ connectionString: BROWSER_ENV['DATABASE_OWNER_URL'] });
    await owner.connect();
  });
  afterAll(async () => {
    await owner.end();
    await browser.close();
  });

  const person = async (name: string, categories: string[]) => {
    const desk = await api('op1.desk');
    const market = await ZHONGMU;
    const mobile = String(++phone);
    const w = await desk<{ id: string }>('POST', `/markets/${market}/workers`, { name, mobile, consent: true, occupations: ['保洁员'] });
    await desk('POST', `/workers/${w.id}/hardship`, { categories, consent: true, evidence: '已查验证件原件' });
    const plan = await desk<{ id: string }>('POST', `/workers/${w.id}/assistance-plans`, { goal: '实现稳定就业' });
    return { workerId: w.id, planId: plan.id, mobile };
  };

  it('a market manager sees the roster with who is behind plan, opens a plan and records a follow-up', async () => {
    const late = await person('欧阳帮扶', ['disability', 'low_income']);
    const onTime = await person('上官帮扶', ['veteran']);
    // Opened 61 days ago with its package incomplete: behind plan (package due within 60 days).
    await owner.query(`UPDATE assistance_plans SET opened_at = now() - interval '61 days' WHERE id = $1`, [late.planId]);

    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage();
    await signIn(page, 'op1.manager');
    await page.getByTestId('menu-assistance').click();
    await page.getByTestId('table-assistance').waitFor();
    // The demo's 90 days fill the roster; the ones behind plan come first.
    await page.getByTestId('assistance-row').first().waitFor();
    const firstRows = await page.getByTestId('assistance-row').all();
    expect(firstRows.length).toBeGreaterThan(5);
    expect(await firstRows[0].getAttribute('data-behind')).toBe('true');
    await page.getByTestId('assistance-behind').first().waitFor();
    await page.waitForTimeout(400);
    await shot(page, '70-assistance-roster');
    // One person by mobile: behind, with the package as it stands.
    const oneRow = () => page.waitForFunction(() => document.querySelectorAll('[data-testid="assistance-row"]').length === 1);
    const lateRow = page.getByTestId('assistance-row').filter({ hasText: '欧阳帮扶' });
    const okRow = page.getByTestId('assistance-row').filter({ hasText: '上官帮扶' });
    await page.getByTestId('assistance-search').fill(late.mobile);
    await page.getByTestId('assistance-search').press('Enter');
    await oneRow();
    await lateRow.getByTestId('assistance-behind').waitFor();
    expect(await lateRow.getAttribute('data-behind')).toBe('true');
    await expect(lateRow.innerText()).resolves.toMatch(/3 级[\s\S]*职业指导 0\/1[\s\S]*岗位推荐 0\/3[\s\S]*技能培训 0\/1[\s\S]*61 天/);
    await page.getByTestId('assistance-search').fill(onTime.mobile);
    await page.getByTestId('assistance-search').press('Enter');
    await okRow.waitFor();
    await oneRow();
    expect(await okRow.getAttribute('data-behind')).toBe('false');
    expect(await okRow.getByTestId('assistance-behind').count()).toBe(0);
    // Only those behind plan: the on-time one drops out, the late one stays.
    await page.getByTestId('assistance-behind-only').click();
    await okRow.waitFor({ state: 'detached' });
    await page.getByTestId('assistance-search').fill('');
    await page.getByTestId('assistance-search').press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="assistance-row"]').length > 1);
    for (const r of await page.getByTestId('assistance-row').all()) expect(await r.getAttribute('data-behind')).toBe('true');
    await shot(page, '71-assistance-behind-only');
    await page.getByTestId('assistance-search').fill(late.mobile);
    await page.getByTestId('assistance-search').press('Enter');
    await oneRow();
    await lateRow.waitFor();

    // The plan, its categories on request (an audited read), and a follow-up.
    await lateRow.getByTestId('assistance-open').click();
    const drawer = page.getByTestId('assistance-plan');
    await drawer.waitFor();
    await drawer.getByTestId('hardship-show').click();
    await drawer.getByTestId('hardship-categories').getByText('残疾人').waitFor();
    await drawer.getByTestId('plan-add-step').click();
    await page.getByTestId('step-note').fill('电话回访：正在参加保洁岗位面试');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await drawer.getByTestId('plan-step').filter({ hasText: '电话回访：正在参加保洁岗位面试' }).waitFor();
    await page.waitForTimeout(400);
    await shot(page, '72-assistance-plan');
    const [audit] = (await owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'hardship.read' AND subject_id = $1 AND actor_username = 'op1.manager'`, [late.workerId])).rows;
    expect(audit.n).toBe(1);
    expect(onTime.planId).toBeTruthy();
    await page.context().close();
  });

  it('the front desk records a person\'s hardship with consent and opens a plan, then records a service for them', async () => {
    const desk = await api('op1.desk');
    const mobile = String(++phone);
    await desk('POST', `/markets/${await ZHONGMU}/workers`, { name: '欧阳新档', mobile, consent: true });

    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage();
    await signIn(page, 'op1.desk');
    await page.getByTestId('menu-assistance').click();
    await page.getByTestId('table-assistance').waitFor();
    await page.getByTestId('assistance-new').click();
    await page.getByTestId('assistance-mobile').fill(mobile);
    await page.getByTestId('assistance-find').click();
    await page.getByTestId('assistance-found').getByText('欧阳新档').waitFor();
    await page.getByTestId('cat-low_income').click();
    await page.getByTestId('cat-registered_unemployed').click();
    // Without consent nothing is recorded.
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.getByText('请先征得本人同意').first().waitFor();
    await page.getByTestId('assistance-consent').click();
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    const drawer = page.getByTestId('assistance-plan');
    await drawer.waitFor();
    await drawer.getByText('2 级').waitFor();
    await drawer.getByTestId('plan-status').getByText('服务中').waitFor();
    await page.waitForTimeout(400);
    await shot(page, '73-assistance-new-plan');
    await page.keyboard.press('Escape');

    await page.getByTestId('menu-services').click();
    await page.getByTestId('table-services').waitFor();
    await page.getByTestId('service-create').click();
    await page.getByTestId('service-mobile').fill(mobile);
    await page.getByTestId('service-find').click();
    // The person found, in the dialog (the roster's closing drawer may still show the same name).
    await page.locator('.ant-modal').getByText('欧阳新档').first().waitFor();
    await page.getByTestId('service-summary').fill('职业能力评估，建议参加保洁员培训');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    const row = page.getByTestId('service-row').filter({ hasText: '欧阳新档' });
    await row.getByText('职业指导').waitFor();
    await page.waitForTimeout(400);
    await shot(page, '74-service-records');
    // The guidance counts toward the new plan's package.
    const [w] = (await owner.query(`SELECT id FROM workers WHERE name = '欧阳新档'`)).rows;
    const plans = await desk<{ items: { done: { guidance: number } }[] }>('GET', `/assistance-plans?workerId=${w.id}`);
    expect(plans.items[0].done.guidance).toBe(1);

    // The person withdraws consent: the record is erased and the plan closes.
    await page.getByTestId('menu-assistance').click();
    await page.getByTestId('assistance-search').fill(mobile);
    await page.getByTestId('assistance-search').press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="assistance-row"]').length === 1);
    await page.getByTestId('assistance-row').filter({ hasText: '欧阳新档' }).getByTestId('assistance-open').click();
    await page.getByTestId('hardship-withdraw').click();
    await page.locator('.ant-popover .ant-btn-primary').click();
    await page.getByTestId('assistance-plan').getByTestId('plan-status').getByText('已结束').waitFor();
    const [gone] = (await owner.query(`SELECT count(*)::int AS n FROM hardship_records WHERE worker_id = $1`, [w.id])).rows;
    expect(gone.n).toBe(0);
    await page.context().close();
  });

  it('a provincial auditor reads the roster (no writes) and sets the province\'s service package', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage();
    await signIn(page, 'province.auditor');
    await page.getByTestId('menu-assistance').click();
    await page.getByTestId('table-assistance').waitFor();
    await page.getByTestId('assistance-row').first().waitFor();
    expect(await page.getByTestId('assistance-new').count()).toBe(0);
    expect(await page.getByTestId('assistance-search').count()).toBe(0);
    await page.getByTestId('assistance-package').click();
    const followUp = page.locator('[data-testid="package-followUpDays"] input');
    await followUp.waitFor();
    await page.waitForFunction(() => (document.querySelector('[data-testid="package-region"]') as HTMLInputElement | null)?.value === '41');
    await followUp.fill('20');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.getByText('已保存服务包').waitFor();
    const [row] = (await owner.query(`SELECT follow_up_days, referrals FROM assistance_packages WHERE region_code = '41'`)).rows;
    expect(row).toEqual({ follow_up_days: 20, referrals: 3 });
    await page.context().close();
  });
});
