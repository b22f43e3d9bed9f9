import type { Browser, Page } from 'playwright-core';
import { apiAs, BASE_URL, demoId, launch, shot, signIn } from './support/browser';

/**
 * Assessment in the console (issue 15): the province builds a template version in the editor (the live total
 * turns red off 100), freezes a cycle and publishes it; the operator self-assesses its evidence items in the
 * workspace; the county reviews them; the operator appeals the published result; the province decides it. The
 * demo's completed cycle (op3 差) is on the board. The county records the contract and the province opens the cycle
 * in the console.
 */
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const addDay = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const EVIDENCE = ['output.services.list', 'satisfaction.survey', 'process.rules'];

describe('assessment in the console', () => {
  let browser: Browser;
  let templateName = '';
  let cycleId = '';
  let assessmentId = '';

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(() => browser.close());

  const page = async (user: string): Promise<Page> => {
    const p = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await signIn(p, user);
    return p;
  };
  const fillScore = async (p: Page, testId: string, v: number) => {
    const input = p.getByTestId(testId).locator('input');
    await input.fill(String(v));
    await input.press('Tab');
  };

  it('the province builds a template version: the live total follows the weights', async () => {
    const p = await page('province.auditor');
    await p.goto(`${BASE_URL}/assessment/templates`);
    await p.getByTestId('tpl-weight-hires_started').waitFor();
    await p.getByTestId('template-total').filter({ hasText: '100 / 100' }).waitFor();
    await fillScore(p, 'tpl-weight-hires_started', 11);
    await p.getByTestId('template-total').filter({ hasText: '99 / 100' }).waitFor();
    expect(await p.getByTestId('template-total').getAttribute('class')).toBe('bad');
    await shot(p, 'assessment-template-off-total');
    // Saving with 99 is refused with the number in the message.
    templateName = `浏览器测试指标体系 ${Date.now()}`;
    await p.getByTestId('template-name').fill(templateName);
    await p.getByTestId('template-save').click();
    await p.getByText('一级指标权重合计须为 100 分，当前合计 99 分').first().waitFor();
    await fillScore(p, 'tpl-weight-hires_started', 12);
    await p.getByTestId('template-total').filter({ hasText: '100 / 100' }).waitFor();
    await p.getByTestId('template-save').click();
    await p.getByText('已保存为第 1 版').waitFor();
    await shot(p, 'assessment-template-saved');
    await p.close();
  });

  it('the county records a contract in the console; the province opens a cycle over it and freezes it', async () => {
    const d = today();
    const number = `BR-${Date.now()}`;
    // A market the county has registered but not yet assigned (issue 15 §1: it contracts first, assigns second).
    const fresh = `中牟县零工市场（韩寺新设${Date.now() % 100000}）`;
    await (await apiAs('county.reviewer'))('POST', '/markets', { name: fresh, type: 'comprehensive', nature: 'public', mode: 'contracted', regionCode: '410122' });
    const c = await page('county.reviewer');
    await c.goto(`${BASE_URL}/assessment/contracts`);
    await c.getByTestId('contract-row').first().waitFor();
    await c.getByTestId('contract-create').click();
    const pick = async (p: Page, testId: string, texts: (string | { exact: string })[]) => {
      await p.getByTestId(testId).click();
      for (const t of texts) {
        await (typeof t === 'string' ? p.locator('nz-option-item').filter({ hasText: t }) : p.locator('nz-option-item').filter({ has: p.getByText(t.exact, { exact: true }) })).first().click();
      }
      await p.locator('.ant-modal-title').click(); // closes a multiple select's dropdown (Escape would close the modal)
    };
    await pick(c, 'contract-operator', ['郑州豫才人力资源服务有限公司']);
    // The picker offers the operator's markets and the county's unassigned ones, marked as such.
    await pick(c, 'contract-markets', [{ exact: '中牟县零工市场' }, '中牟县官渡镇零工服务站', `${fresh}（未指定运营机构）`]);
    await c.getByTestId('contract-number').fill(number);
    const form = c.getByTestId('contract-form');
    await form.locator('input[type=date]').nth(0).fill(addDay(d, -30));
    await form.locator('input[type=date]').nth(1).fill(addDay(d, 335));
    await c.getByTestId('contract-amount').fill('10000');
    await c.getByTestId('contract-sm3').fill('ab'.repeat(32));
    await shot(c, 'assessment-contract-form');
    await c.locator('.ant-modal-footer button.ant-btn-primary').click();
    await c.getByTestId('contract-row').filter({ hasText: number }).getByText('3', { exact: true }).waitFor();
    await shot(c, 'assessment-contracts');
    await c.close();

    const p = await page('province.auditor');
    await p.goto(`${BASE_URL}/assessment`);
    await p.getByTestId('cycle-row').first().waitFor();
    await p.getByTestId('cycle-open').click();
    const name = `浏览器测试考核 ${Date.now()}`;
    await p.getByTestId('cycle-name').fill(name);
    await pick(p, 'cycle-template', [templateName]);
    await pick(p, 'cycle-contracts', [number]);
    await p.getByTestId('cycle-periodFrom').fill(addDay(d, -6));
    await p.getByTestId('cycle-periodTo').fill(d);
    await p.getByTestId('cycle-cutoff').fill(d);
    await p.getByTestId('cycle-selfDeadline').fill(addDay(d, 3));
    await p.getByTestId('cycle-reviewDeadline').fill(addDay(d, 5));
    await p.getByTestId('cycle-form').locator('input[type=number]').fill('0');
    await p.locator('.ant-modal-footer button.ant-btn-primary').click();
    await p.getByTestId('cycle-row').filter({ hasText: name }).waitFor();
    await shot(p, 'assessment-cycles-board');
    await p.getByTestId('cycle-row').filter({ hasText: name }).getByRole('link').click();
    await p.getByTestId('cycle-freeze').click();
    await p.getByTestId('cycle-state').filter({ hasText: '数据已冻结' }).waitFor();
    await p.getByTestId('assessment-row').first().waitFor();
    cycleId = new URL(p.url()).pathname.split('/').pop()!;
    assessmentId = (await p.getByTestId('assessment-link').first().getAttribute('href'))!.split('/').pop()!;
    await p.close();
  });

  it('the county amends a contract in the console: a market its operator runs under it alone cannot be dropped; another can, as the next version', async () => {
    const d = today();
    const county = await apiAs('county.reviewer');
    const run = `中牟县零工市场（修订在营${Date.now() % 100000}）`;
    const spare = `中牟县零工市场（修订备选${Date.now() % 100000}）`;
    const ran = await county<{ id: string }>('POST', '/markets', { name: run, type: 'comprehensive', nature: 'public', mode: 'contracted', regionCode: '410122' });
    const sp = await county<{ id: string }>('POST', '/markets', { name: spare, type: 'comprehensive', nature: 'public', mode: 'contracted', regionCode: '410122' });
    const number = `AM-BR-${Date.now()}`;
    await county('POST', '/contracts', {
      operatorId: demoId('op1'), number, title: '零工市场委托运营服务合同', termFrom: addDay(d, -30), termTo: addDay(d, 335), marketIds: [ran.id, sp.id], amountFen: 1_000_000,
      schedule: [{ label: '基本运营费', due: addDay(d, 335), amountFen: 700_000, resultLinked: false }, { label: '考核结算', due: addDay(d, 335), amountFen: 300_000, resultLinked: true }],
      documentSm3: 'ef'.repeat(32),
    });
    await county('PATCH', `/markets/${ran.id}/registration`, { operatorId: demoId('op1') });
    const c = await page('county.reviewer');
    await c.goto(`${BASE_URL}/assessment/contracts`);
    const row = c.getByTestId('contract-row').filter({ hasText: number });
    await row.getByTestId('contract-amend').click();
    await c.getByTestId('contract-amend-operator').filter({ hasText: '郑州豫才人力资源服务有限公司' }).waitFor();
    expect(await c.getByTestId('contract-number').inputValue()).toBe(number);
    const removeTag = (title: string) => c.locator(`[data-testid="contract-markets"] nz-select-item[title="${title}"] .ant-select-selection-item-remove`).click();
    // Dropping the market op1 runs under this contract alone: refused, with the market named; the form stays open.
    await removeTag(run);
    await c.getByTestId('contract-reason').fill('补充协议：调整覆盖的市场');
    await c.locator('.ant-modal-footer button.ant-btn-primary').click();
    await c.locator('.ant-message-error').filter({ hasText: `该运营机构仍在运营${run}` }).waitFor();
    await shot(c, 'assessment-contract-amend-refused');
    await c.locator('.ant-modal-footer button').first().click();
    await c.getByTestId('contract-form').waitFor({ state: 'hidden' });
    // The unassigned one may go: the next version, with the reason; the list shows v2 with one market.
    await row.getByTestId('contract-amend').click();
    await removeTag(`${spare}（未指定运营机构）`);
    await c.getByTestId('contract-reason').fill('补充协议：备选市场不再纳入');
    await c.locator('.ant-modal-footer button.ant-btn-primary').click();
    await row.filter({ hasText: 'v2' }).getByText('1', { exact: true }).waitFor();
    const live = (await county<{ number: string; version: number; marketIds: string[]; reason: string; schedule: unknown[] }[]>('GET', '/contracts')).filter((x) => x.number === number);
    expect(live).toEqual([expect.objectContaining({ version: 2, marketIds: [ran.id], reason: '补充协议：备选市场不再纳入' })]);
    // The form kept the schedule (amount and share unchanged).
    expect(live[0].schedule).toEqual([
      { label: '基本运营费', due: addDay(d, 335), amountFen: 700_000, resultLinked: false }, { label: '考核结算', due: addDay(d, 335), amountFen: 300_000, resultLinked: true },
    ]);
    await shot(c, 'assessment-contract-amended');
    await c.close();
  });

  it('a county contracts an operator registered in another county: it finds it in the picker by searching', async () => {
    const d = today();
    const tag = Date.now().toString(36).toUpperCase().replace(/[IOSVZ]/g, 'A');
    const credit = `914101${tag.padEnd(11, '0').slice(0, 11)}X`;
    const operator = `中牟县外县检索人力资源有限公司${tag}`;
    // Registered in 中牟县 (410122): 新郑市 does not see it (organisations' RLS) until it runs a market there.
    await (await apiAs('admin'))('POST', '/organisations', { kind: 'operator', name: operator, regionCode: '410122', creditCode: credit });
    const fresh = `新郑市零工市场（外县运营${Date.now() % 100000}）`;
    await (await apiAs('xinzheng.reviewer'))('POST', '/markets', { name: fresh, type: 'comprehensive', nature: 'public', mode: 'contracted', regionCode: '410184' });
    const c = await page('xinzheng.reviewer');
    await c.goto(`${BASE_URL}/assessment/contracts`);
    await c.getByTestId('contract-create').click();
    const select = c.getByTestId('contract-operator');
    await select.click();
    // Not among the operators the county sees; a search by part of the credit code finds it, with its home county.
    await select.locator('input').fill(credit.slice(0, 12));
    const option = c.locator('nz-option-item').filter({ hasText: operator });
    await option.filter({ hasText: '中牟县' }).filter({ hasText: credit }).waitFor();
    await shot(c, 'assessment-contract-operator-search');
    await option.click();
    await c.getByTestId('contract-markets').click();
    await c.locator('nz-option-item').filter({ hasText: `${fresh}（未指定运营机构）` }).click();
    await c.locator('.ant-modal-title').click();
    const number = `XZ-BR-${tag}`;
    await c.getByTestId('contract-number').fill(number);
    const form = c.getByTestId('contract-form');
    await form.locator('input[type=date]').nth(0).fill(addDay(d, -30));
    await form.locator('input[type=date]').nth(1).fill(addDay(d, 335));
    await c.getByTestId('contract-amount').fill('8000');
    await c.getByTestId('contract-sm3').fill('cd'.repeat(32));
    await c.locator('.ant-modal-footer button.ant-btn-primary').click();
    await c.getByTestId('contract-row').filter({ hasText: number }).filter({ hasText: operator }).waitFor();
    await c.close();
  });

  it('the operator self-assesses its evidence items in the workspace', async () => {
    const p = await page('op1.admin');
    await p.goto(`${BASE_URL}/assessment/${assessmentId}`);
    await p.getByTestId('assessment-step').waitFor();
    for (const code of EVIDENCE) await fillScore(p, `self-score-${code}`, 2);
    await p.getByTestId('item-drilldown').first().waitFor();
    await shot(p, 'assessment-workspace-self');
    await p.getByTestId('step-submit').click();
    await p.getByTestId('assessment-state').filter({ hasText: '待审核' }).waitFor();
    await p.close();
  });

  it('the county reviews; the province publishes; the operator appeals and the province decides', async () => {
    const c = await page('county.reviewer');
    await c.goto(`${BASE_URL}/assessment/${assessmentId}`);
    await c.getByTestId('assessment-step').waitFor();
    for (const code of EVIDENCE) await fillScore(c, `county-score-${code}`, 1);
    await shot(c, 'assessment-workspace-review');
    await c.getByTestId('step-submit').click();
    await c.getByTestId('assessment-state').filter({ hasText: '已审核' }).waitFor();
    await c.close();

    const p = await page('province.auditor');
    await p.goto(`${BASE_URL}/assessment/cycles/${cycleId}`);
    await p.getByTestId('cycle-publish').click();
    await p.getByTestId('cycle-state').filter({ hasText: '已公布' }).waitFor();
    await p.getByTestId('assessment-grade').first().waitFor();

    const o = await page('op1.admin');
    await o.goto(`${BASE_URL}/assessment/${assessmentId}`);
    await o.getByTestId('assessment-result').waitFor();
    await o.getByTestId('step-reason').fill('公示照片已补充上传，请复核服务清单得分');
    await o.getByTestId('step-submit').click();
    await o.getByTestId('assessment-state').filter({ hasText: '申诉中' }).waitFor();
    await o.close();

    await p.goto(`${BASE_URL}/assessment/${assessmentId}`);
    await p.getByTestId('step-reason').waitFor();
    await p.getByTestId('step-reason').fill('经复核照片，服务清单已公示，予以改分');
    await p.getByTestId('step-submit').click();
    await p.getByTestId('assessment-state').filter({ hasText: '已定' }).waitFor();
    await p.getByTestId('assessment-radar').locator('canvas').waitFor();
    await shot(p, 'assessment-workspace-final');
    await p.close();
  });

  it('the demo cycle: the failing station graded 差 on the cycle page', async () => {
    const p = await page('province.auditor');
    await p.goto(`${BASE_URL}/assessment?state=published`);
    await p.getByTestId('cycle-row').first().waitFor();
    await p.getByTestId('cycle-row').filter({ hasText: '季度考核' }).getByRole('link').first().click();
    await p.getByTestId('assessment-row').filter({ hasText: '新郑市众创就业服务中心' }).getByTestId('assessment-grade').filter({ hasText: '差' }).waitFor();
    await shot(p, 'assessment-demo-cycle');
    await p.close();
  });
});
