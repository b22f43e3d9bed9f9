import ExcelJS from 'exceljs';
import type { Response } from 'superagent';
import { bootApp, demoId, freshTenant, login, tableCounts, type Session, type TestApp } from '../support/app';

/**
 * Roster import and export (issue 4 §1, R-B3 实名制台账): an existing roster in Excel is imported row by
 * row through the desk registration, refused rows are reported by row number in the caller's
 * language, and the export carries masked phones and ID numbers only.
 */

const HEADER = ['姓名', '手机号', '身份证号', '性别', '出生年份', '工种', '技能', '可工作时间', '居住地', '同意'];

/** A resident ID number with its check character (GB 11643). */
function idWithCheck(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return first17 + '10X98765432'[sum % 11];
}
const GOOD_ID = idWithCheck('41012219850315001');
const BAD_ID = GOOD_ID.slice(0, 17) + (GOOD_ID[17] === '0' ? '1' : '0');

/** A workbook from rows (row 1 first); `null` leaves a row empty. */
async function workbook(rows: (unknown[] | null)[], sheet = '名册'): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  rows.forEach((cells, r) => cells?.forEach((v, c) => { if (v !== undefined) ws.getCell(r + 1, c + 1).value = v as ExcelJS.CellValue; }));
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

async function readSheet(buf: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0];
  const out: string[][] = [];
  ws.eachRow((row) => out.push(Array.from((row.values as unknown[]).slice(1), (v) => (v == null ? '' : String(v)))));
  return out;
}

describe('worker roster import and export', () => {
  let t: TestApp;
  let f: Awaited<ReturnType<typeof freshTenant>>;
  let s: Session;
  let roster: string;

  beforeAll(async () => {
    t = await bootApp();
    f = await freshTenant(t, 'imp');
    s = await login(t, f.adminUser.username, f.password);
    // Already on the roster before the import.
    await t.http.post(`/api/v1/markets/${f.market.id}/workers`).set(s.auth).send({ name: '老登记', mobile: '13700001111', consent: true }).expect(201);
    roster = await workbook([
      HEADER,
      ['王大明', '137 0000 2001', GOOD_ID, '男', 1985, '装卸搬运工、建筑小工', '叉车, 电焊', '工作日白天', '官渡镇', '是'],
      ['李小红', '13700002002', '', '女', '1990', '保洁员', '', '周末', '', 'Y'],
      ['赵强', 13700002003, undefined, undefined, undefined, undefined, undefined, undefined, undefined, 1],
      ['钱坏号', '1370000', '', '', '', '', '', '', '', '是'],
      ['孙错证', '13700002005', BAD_ID, '', '', '', '', '', '', '是'],
      ['周木匠', '13700002006', '', '', '', '装卸搬运工、木匠', '', '', '', '是'],
      ['吴未同意', '13700002007', '', '', '', '', '', '', '', '否'],
      ['郑重复', '13700002001', '', '', '', '', '', '', '', '是'],
      ['冯已登记', '13700001111', '', '', '', '', '', '', '', '是'],
      null,
      ['陈丽', '13700002004', '', '女', '', '育婴员', '', '', '', 'yes'],
    ]);
  });
  afterAll(() => t.close());

  const REJECTED_ZH = [
    { row: 5, field: 'mobile', message: '请输入 11 位手机号码' },
    { row: 6, field: 'idNumber', message: '身份证号码有误，请核对（校验位不符或出生日期无效）' },
    { row: 7, field: 'occupations', message: '请从工种目录中选择（木匠）' },
    { row: 8, field: 'consent', message: '请先征得本人同意（个人信息使用告知）' },
    { row: 9, field: 'mobile', message: '手机号与本文件第 2 行重复' },
    { row: 10, field: 'mobile', message: '该手机号已在本机构登记' },
  ];

  it('checks a roster without writing anything (dry run), in Chinese and in English', async () => {
    const before = await tableCounts(t);
    const dry = await t.http.post(`/api/v1/markets/${f.market.id}/workers/import`).set(s.auth).send({ file: roster, dryRun: true }).expect(200);
    expect(dry.body).toEqual({ total: 10, imported: 4, rejected: REJECTED_ZH, dryRun: true });
    const en = await t.http.post(`/api/v1/markets/${f.market.id}/workers/import`).set(s.auth).set('Accept-Language', 'en')
      .send({ file: roster, dryRun: true }).expect(200);
    expect(en.body.rejected).toEqual([
      { row: 5, field: 'mobile', message: 'Enter an 11-digit mobile number' },
      { row: 6, field: 'idNumber', message: 'The ID number is wrong (check character or birth date)' },
      { row: 7, field: 'occupations', message: 'Choose an occupation from the dictionary (木匠)' },
      { row: 8, field: 'consent', message: 'The person\'s consent to the use of personal data is required' },
      { row: 9, field: 'mobile', message: 'Same mobile number as row 2 of this file' },
      { row: 10, field: 'mobile', message: 'This mobile number is already registered with this operator' },
    ]);
    expect(await tableCounts(t)).toEqual(before);
  });

  it('refuses a file that is not an .xlsx, a sheet without the required columns and more than 5000 rows, writing nothing', async () => {
    const before = await tableCounts(t);
    const url = `/api/v1/markets/${f.market.id}/workers/import`;
    const text = await t.http.post(url).set(s.auth).send({ file: Buffer.from('姓名,手机号\n张三,13700003001\n').toString('base64') }).expect(422);
    expect(text.body.errors).toEqual([{ field: 'file', message: '文件不是有效的 Excel 表格（.xlsx），请下载导入模板填写后再上传' }]);
    const brokenZip = await t.http.post(url).set(s.auth).set('Accept-Language', 'en')
      .send({ file: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64, 7)]).toString('base64') }).expect(422);
    expect(brokenZip.body.errors).toEqual([{ field: 'file', message: 'The file is not a valid Excel workbook (.xlsx); download the import template, fill it in and upload it' }]);
    const noConsentColumn = await t.http.post(url).set(s.auth).send({ file: await workbook([['姓名', '手机号'], ['张三', '13700003001']]) }).expect(422);
    expect(noConsentColumn.body.errors).toEqual([{ field: 'file', message: '表格缺少必需的列（姓名、手机号、同意），请使用导入模板' }]);
    const headerOnly = await t.http.post(url).set(s.auth).send({ file: await workbook([HEADER]) }).expect(422);
    expect(headerOnly.body.errors).toEqual([{ field: 'file', message: '表格中没有可导入的人员' }]);
    const many = Array.from({ length: 5001 }, (_, i) => [`批量${i}`, `137${String(10000000 + i)}`, '', '', '', '', '', '', '', '是']);
    const tooMany = await t.http.post(url).set(s.auth).send({ file: await workbook([HEADER, ...many]) }).expect(422);
    expect(tooMany.body.errors).toEqual([{ field: 'file', message: '一次最多导入 5000 人，请拆分成多个文件分批导入' }]);
    expect(await tableCounts(t)).toEqual(before);
  });

  it('imports the valid rows only, each a registration with its work-log entry, and reports the others by row', async () => {
    const res = await t.http.post(`/api/v1/markets/${f.market.id}/workers/import`).set(s.auth).send({ file: roster }).expect(200);
    expect(res.body).toEqual({ total: 10, imported: 4, rejected: REJECTED_ZH, dryRun: false });
    const list = await t.http.get('/api/v1/workers').query({ marketId: f.market.id, pageSize: 200 }).set(s.auth).expect(200);
    const byName = Object.fromEntries((list.body.items as { name: string }[]).map((w) => [w.name, w]));
    expect(Object.keys(byName).sort()).toEqual(['王大明', '李小红', '老登记', '赵强', '陈丽'].sort());
    expect(byName['王大明']).toMatchObject({
      mobile: '137****2001', idNumber: `4101**********${GOOD_ID.slice(14)}`, gender: 'male', birthYear: 1985, source: 'import',
      occupations: ['装卸搬运工', '建筑小工'], skills: ['叉车', '电焊'], availability: '工作日白天', homeArea: '官渡镇',
    });
    expect(byName['李小红']).toMatchObject({ mobile: '137****2002', idNumber: null, gender: 'female', birthYear: 1990, occupations: ['保洁员'] });
    expect(byName['赵强']).toMatchObject({ mobile: '137****2003', source: 'import' });
    for (const w of list.body.items as { mobile: string }[]) expect(w.mobile).toMatch(/^\d{3}\*{4}\d{4}$/);
    const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM ledger_entries WHERE market_id = $1 AND kind = 'registration'`, [f.market.id]);
    expect(n).toBe(5);
    const events = await t.owner.query(`SELECT summary FROM audit_events WHERE action = 'worker.import' AND subject_id = $1`, [f.market.id]);
    expect(events).toEqual([{ summary: { total: 10, imported: 4, rejectedRows: 6 } }]);
    const v = await t.http.get(`/api/v1/markets/${f.market.id}/ledger/verify`).query({ from: '2026-06-01', to: '2027-05-31' }).set(s.auth).expect(200);
    expect(v.body.ok).toBe(true);
    // The same file again: every row is now a duplicate or invalid, and nothing more is written.
    const again = await t.http.post(`/api/v1/markets/${f.market.id}/workers/import`).set(s.auth).send({ file: roster }).expect(200);
    expect(again.body.imported).toBe(0);
    expect(again.body.rejected.filter((r: { message: string }) => r.message === '该手机号已在本机构登记').map((r: { row: number }) => r.row)).toEqual([2, 3, 4, 9, 10, 12]);
  });

  it('lets only those who may register at the market import there, and serves them the template', async () => {
    const file = await workbook([HEADER, ['隔离测试', '13700004001', '', '', '', '', '', '', '', '是']]);
    const url = `/api/v1/markets/${f.market.id}/workers/import`;
    const other = await login(t, 'op2.admin');
    await t.http.post(url).set(other.auth).send({ file }).expect(404);
    await t.http.get(`/api/v1/markets/${f.market.id}/workers/import-template`).set(other.auth).expect(404);
    const county = await login(t, 'county.reviewer');
    await t.http.post(url).set(county.auth).send({ file }).expect(403);
    await t.http.post(url).send({ file }).expect(401);
    await t.http.post(`/api/v1/markets/${demoId('missing-market')}/workers/import`).set(s.auth).send({ file }).expect(404);
    const desk = await login(t, f.deskUser.username, f.password);
    const ok = await t.http.post(url).set(desk.auth).send({ file, dryRun: true }).expect(200);
    expect(ok.body).toMatchObject({ total: 1, imported: 1, rejected: [] });

    const tpl = await t.http.get(`/api/v1/markets/${f.market.id}/workers/import-template`).set(desk.auth).buffer(true).parse(binary).expect(200);
    expect(tpl.headers['content-type']).toMatch(/spreadsheetml/);
    const rows = await readSheet(tpl.body as Buffer);
    expect(rows[0]).toEqual(HEADER);
    expect(rows).toHaveLength(2);
    // The template as downloaded imports nothing (its example row is skipped), and refuses nothing.
    const asIs = await t.http.post(url).set(desk.auth).send({ file: (tpl.body as Buffer).toString('base64'), dryRun: true }).expect(422);
    expect(asIs.body.errors).toEqual([{ field: 'file', message: '表格中没有可导入的人员' }]);
  });

  it('exports the visible roster with masked phones and ID numbers only, and audits the export', async () => {
    const res = await t.http.get('/api/v1/workers/export').query({ marketId: f.market.id }).set(s.auth).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    expect(res.headers['content-disposition']).toMatch(/attachment/);
    const rows = await readSheet(res.body as Buffer);
    expect(rows[0]).toEqual(['姓名', '手机号（脱敏）', '身份证号（脱敏）', '性别', '出生年份', '工种', '技能', '登记市场', '状态', '登记时间（北京时间）']);
    expect(rows).toHaveLength(6);
    for (const r of rows.slice(1)) {
      expect(r[1]).toMatch(/^\d{3}\*{4}\d{4}$/);
      expect(r[7]).toBe(f.market.name);
      expect(r[9]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    }
    const text = rows.flat().join('|');
    expect(text).not.toMatch(/1[3-9]\d{9}/);
    expect(text).not.toContain(GOOD_ID);
    const wang = rows.find((r) => r[0] === '王大明');
    expect(wang).toEqual(['王大明', '137****2001', `4101**********${GOOD_ID.slice(14)}`, '男', '1985', '装卸搬运工、建筑小工', '叉车、电焊', f.market.name, '在册', expect.any(String)]);
    const events = await t.owner.query(`SELECT actor_username, summary FROM audit_events WHERE action = 'worker.export' AND actor_user_id = $1`, [s.user.id]);
    expect(events).toEqual([{ actor_username: s.user.username, summary: { marketId: f.market.id, q: null, byMobile: false, rows: 5 } }]);

    const en = await t.http.get('/api/v1/workers/export').query({ marketId: f.market.id, q: '王' }).set(s.auth).set('Accept-Language', 'en').buffer(true).parse(binary).expect(200);
    const enRows = await readSheet(en.body as Buffer);
    expect(enRows[0][0]).toBe('Name');
    expect(enRows.slice(1).map((r) => r[0])).toEqual(['王大明']);
    // Another operator sees none of them.
    const other = await login(t, 'op2.admin');
    const theirs = await t.http.get('/api/v1/workers/export').query({ marketId: f.market.id }).set(other.auth).buffer(true).parse(binary).expect(200);
    expect(await readSheet(theirs.body as Buffer)).toHaveLength(1);
  });
});
