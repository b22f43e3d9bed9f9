import ExcelJS from 'exceljs';
import { z } from 'zod';
import { MOBILE_RE, OCCUPATIONS, line, type Lang } from '@linggong/domain';
import { unprocessable } from '@linggong/api-core';

/**
 * Roster import and export (实名制台账, R-B3): the spreadsheet side only — reading a roster into
 * registration inputs and writing workbooks. Registration itself goes through WorkersService.
 */

/** The upload: a base64 .xlsx (≤ 5 MB of file, ≈ 6.7 MB of base64) and whether to only check it. */
export const importWorkersSchema = z.strictObject({
  file: z.string().min(4).max(7_000_000, { error: 'import_file_too_large' }).regex(/^[A-Za-z0-9+/]+={0,2}$/),
  dryRun: z.boolean().default(false),
});
export type ImportWorkersInput = z.infer<typeof importWorkersSchema>;

export const exportWorkersQuerySchema = z.object({
  q: line(0, 30).optional(),
  marketId: z.string().uuid().optional(),
  mobile: z.string().regex(MOBILE_RE, { error: 'invalid_mobile' }).optional(),
});
export type ExportWorkersQuery = z.infer<typeof exportWorkersQuerySchema>;

export const MAX_IMPORT_ROWS = 5000;
export const MAX_EXPORT_ROWS = 50_000;
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type RosterField = 'name' | 'mobile' | 'idNumber' | 'gender' | 'birthYear' | 'occupations' | 'skills' | 'availability' | 'homeArea' | 'consent';

/** The template's columns, in order: the Chinese header people see, and the names also accepted. */
const COLUMNS: { field: RosterField; header: string; aliases: string[]; width: number }[] = [
  { field: 'name', header: '姓名', aliases: ['name', '名字'], width: 12 },
  { field: 'mobile', header: '手机号', aliases: ['mobile', 'phone', '手机', '手机号码', '联系电话'], width: 16 },
  { field: 'idNumber', header: '身份证号', aliases: ['idnumber', 'id', '身份证', '身份证号码', '公民身份号码'], width: 22 },
  { field: 'gender', header: '性别', aliases: ['gender', 'sex'], width: 8 },
  { field: 'birthYear', header: '出生年份', aliases: ['birthyear', '出生年'], width: 10 },
  { field: 'occupations', header: '工种', aliases: ['occupations', 'occupation'], width: 24 },
  { field: 'skills', header: '技能', aliases: ['skills', 'skill'], width: 20 },
  { field: 'availability', header: '可工作时间', aliases: ['availability'], width: 16 },
  { field: 'homeArea', header: '居住地', aliases: ['homearea', 'home', '住址', '居住地址'], width: 20 },
  { field: 'consent', header: '同意', aliases: ['consent', '是否同意', '本人同意', '同意使用个人信息'], width: 8 },
];
const REQUIRED: RosterField[] = ['name', 'mobile', 'consent'];
const ROSTER_SHEET = '零工名册';
/** The template's example row: skipped if left in place. */
const EXAMPLE_NAME = '张三（示例行，不会导入）';

/** "手机号（必填）", " Mobile * " → "手机号", "mobile". */
function normaliseHeader(s: string): string {
  return s.replace(/[（(][^）)]*[）)]/g, '').replace(/[\s*＊:：]/g, '').toLowerCase();
}
const HEADER_FIELD = new Map<string, RosterField>(
  COLUMNS.flatMap((c) => [[normaliseHeader(c.header), c.field] as const, ...c.aliases.map((a) => [normaliseHeader(a), c.field] as const)]),
);

/** A cell as the text a person sees (rich text, formulas' results, hyperlinks' text). */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('').trim();
    if ('result' in v) return cellText((v.result ?? null) as ExcelJS.CellValue);
    if ('formula' in v || 'sharedFormula' in v) return '';
    if ('text' in v) return String(v.text).trim();
    if ('error' in v) return '';
  }
  return String(v).trim();
}

const YES = new Set(['是', '同意', '已同意', '本人同意', 'y', 'yes', '1', 'true', '√', '✓', '✔']);
const MALE = new Set(['男', '男性', 'm', 'male']);
const FEMALE = new Set(['女', '女性', 'f', 'female']);
const list = (s: string) => s.split(/[、,，;；/|\n]+/).map((x) => x.trim()).filter(Boolean);

/** One data row: its number in the sheet, the input for registerWorkerSchema, and what was wrong before the schema. */
export interface RosterRow { row: number; input: Record<string, unknown>; issues: { field: RosterField; key: string }[] }

/**
 * Reads the first sheet with a recognisable header row (姓名, 手机号, 同意; English names too) into
 * registration inputs. Empty rows are skipped. Throws a 422 problem for a file that is not an .xlsx,
 * a sheet without the required columns, no data rows, or more than MAX_IMPORT_ROWS.
 */
export async function readRoster(base64: string): Promise<RosterRow[]> {
  const buf = Buffer.from(base64, 'base64');
  // An .xlsx is a zip archive: refuse anything else before handing it to the parser.
  if (buf.length < 4 || buf.readUInt32LE(0) !== 0x04034b50) throw unprocessable('import_not_xlsx', 'file');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  } catch {
    throw unprocessable('import_not_xlsx', 'file');
  }
  if (!wb.worksheets.length) throw unprocessable('import_not_xlsx', 'file');
  for (const ws of wb.worksheets) {
    const header = findHeader(ws);
    if (!header) continue;
    if (REQUIRED.some((f) => ![...header.columns.values()].includes(f))) throw unprocessable('import_missing_columns', 'file');
    const rows: RosterRow[] = [];
    for (let r = header.row + 1; r <= ws.rowCount; r++) {
      const texts = new Map<RosterField, { text: string; value: ExcelJS.CellValue }>();
      const row = ws.getRow(r);
      for (const [col, field] of header.columns) {
        const value = row.getCell(col).value;
        texts.set(field, { text: cellText(value), value });
      }
      // Empty rows, and the template's example row left in place, are not workers.
      if ([...texts.values()].every((t) => !t.text) || texts.get('name')?.text === EXAMPLE_NAME) continue;
      if (rows.length >= MAX_IMPORT_ROWS) throw unprocessable('import_too_many_rows', 'file');
      rows.push(toInput(r, texts));
    }
    if (!rows.length) throw unprocessable('import_no_rows', 'file');
    return rows;
  }
  throw unprocessable('import_missing_columns', 'file');
}

function findHeader(ws: ExcelJS.Worksheet): { row: number; columns: Map<number, RosterField> } | null {
  for (let r = 1; r <= Math.min(ws.rowCount, 10); r++) {
    const columns = new Map<number, RosterField>();
    ws.getRow(r).eachCell((cell, col) => {
      const field = HEADER_FIELD.get(normaliseHeader(cellText(cell.value)));
      if (field && ![...columns.values()].includes(field)) columns.set(col, field);
    });
    if ([...columns.values()].includes('name') && [...columns.values()].includes('mobile')) return { row: r, columns };
  }
  return null;
}

function toInput(row: number, cells: Map<RosterField, { text: string; value: ExcelJS.CellValue }>): RosterRow {
  const input: Record<string, unknown> = {};
  const issues: RosterRow['issues'] = [];
  const text = (f: RosterField) => cells.get(f)?.text ?? '';
  if (text('name')) input['name'] = text('name');
  // As typed at a desk: "138 0013 8000", "138-0013-8000".
  if (text('mobile')) input['mobile'] = text('mobile').replace(/[\s-]/g, '');
  if (text('idNumber')) input['idNumber'] = text('idNumber').replace(/\s/g, '');
  const gender = text('gender').toLowerCase();
  if (MALE.has(gender)) input['gender'] = 'male';
  else if (FEMALE.has(gender)) input['gender'] = 'female';
  else if (gender) issues.push({ field: 'gender', key: 'import_bad_gender' });
  const birth = cells.get('birthYear');
  if (birth?.value instanceof Date) input['birthYear'] = birth.value.getUTCFullYear();
  else if (birth?.text) {
    const y = birth.text.replace(/年$/, '');
    // Not a year: the schema words the problem as the form does.
    input['birthYear'] = /^\d{1,4}(\.0+)?$/.test(y) ? Number(y) : y;
  }
  if (text('occupations')) input['occupations'] = list(text('occupations'));
  if (text('skills')) input['skills'] = list(text('skills'));
  if (text('availability')) input['availability'] = text('availability');
  if (text('homeArea')) input['homeArea'] = text('homeArea');
  // Consent must be recorded on the roster (是 / Y / 1); anything else leaves it missing.
  input['consent'] = YES.has(text('consent').toLowerCase()) || undefined;
  return { row, input, issues };
}


/** The import template: the header row, one example row, the instructions and the occupation dictionary. */
export async function templateWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Linggong';
  const ws = wb.addWorksheet(ROSTER_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.field, width: c.width }));
  ws.getRow(1).font = { bold: true };
  // Mobile and ID numbers as text, or the spreadsheet turns an 18-digit ID into 1.10105E+17.
  ws.getColumn('mobile').numFmt = '@';
  ws.getColumn('idNumber').numFmt = '@';
  ws.addRow({
    name: EXAMPLE_NAME, mobile: '13800138000', idNumber: '', gender: '男', birthYear: 1980,
    occupations: '装卸搬运工、建筑小工', skills: '叉车', availability: '工作日白天', homeArea: '官渡镇', consent: '是',
  });
  ws.getRow(2).font = { color: { argb: 'FF8C8C8C' } };
  const validations = (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations;
  const letter = (f: RosterField) => ws.getColumn(f).letter;
  validations.add(`${letter('gender')}2:${letter('gender')}${MAX_IMPORT_ROWS + 1}`, { type: 'list', allowBlank: true, formulae: ['"男,女"'] });
  validations.add(`${letter('consent')}2:${letter('consent')}${MAX_IMPORT_ROWS + 1}`, { type: 'list', allowBlank: true, formulae: ['"是,否"'] });

  const help = wb.addWorksheet('填写说明');
  help.getColumn(1).width = 14;
  help.getColumn(2).width = 80;
  help.addRow(['列', '说明']).font = { bold: true };
  for (const [col, text] of [
    ['姓名', '必填，30 字以内'],
    ['手机号', '必填，11 位手机号码；同一运营机构内不能重复'],
    ['身份证号', '选填，18 位，校验位须正确；填写后性别、出生年份以身份证为准'],
    ['性别', '选填，男 或 女'],
    ['出生年份', '选填，4 位年份，如 1980'],
    ['工种', '选填，多个工种用顿号“、”或逗号分隔，须为“工种目录”表中的名称，最多 10 个'],
    ['技能', '选填，多个用顿号或逗号分隔，每项 20 字以内，最多 10 项'],
    ['可工作时间', '选填，如“工作日白天”“周末”，60 字以内'],
    ['居住地', '选填，乡镇、村或街道，60 字以内'],
    ['同意', '必填“是”：已告知本人并征得本人同意市场为就业服务目的使用上述个人信息；未填“是”的行不会导入'],
    ['其他', `第 1 行为表头，请勿修改；第 2 行为示例，导入时跳过，可直接覆盖或删除；一次最多 ${MAX_IMPORT_ROWS} 人。可先点“先校验”，确认无误后再导入`],
  ]) help.addRow([col, text]);

  const dict = wb.addWorksheet('工种目录');
  dict.columns = [{ header: '工种', width: 16 }, { header: 'Occupation', width: 28 }];
  dict.getRow(1).font = { bold: true };
  for (const o of OCCUPATIONS) dict.addRow([o.name, o.en]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** One worker in an export: masked values only (the stored masks; nothing is decrypted). */
export interface ExportRow {
  name: string; mobileMasked: string; idMasked: string | null; gender: 'male' | 'female' | null; birthYear: number | null;
  occupations: string[]; skills: string[]; marketName: string | null; status: string; registeredAt: string;
}

const EXPORT_HEADERS: Record<Lang, string[]> = {
  'zh-CN': ['姓名', '手机号（脱敏）', '身份证号（脱敏）', '性别', '出生年份', '工种', '技能', '登记市场', '状态', '登记时间（北京时间）'],
  en: ['Name', 'Mobile (masked)', 'ID number (masked)', 'Gender', 'Birth year', 'Occupations', 'Skills', 'Market', 'Status', 'Registered at (Beijing time)'],
};
const GENDER: Record<Lang, Record<string, string>> = { 'zh-CN': { male: '男', female: '女' }, en: { male: 'Male', female: 'Female' } };
const STATUS: Record<Lang, Record<string, string>> = { 'zh-CN': { active: '在册', removed: '已清出' }, en: { active: 'Active', removed: 'Removed' } };

/** The roster as people read it (零工实名制台账), with phones and ID numbers masked. */
export async function exportWorkbook(rows: ExportRow[], lang: Lang): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Linggong';
  const ws = wb.addWorksheet(lang === 'en' ? 'Workers' : '零工实名制台账', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(EXPORT_HEADERS[lang]).font = { bold: true };
  const sep = lang === 'en' ? ', ' : '、';
  for (const r of rows) {
    ws.addRow([
      r.name, r.mobileMasked, r.idMasked ?? '', r.gender ? GENDER[lang][r.gender] : '', r.birthYear ?? '',
      r.occupations.join(sep), r.skills.join(sep), r.marketName ?? '', STATUS[lang][r.status] ?? r.status, r.registeredAt,
    ]);
  }
  ws.columns.forEach((c, i) => { c.width = [12, 16, 22, 8, 10, 28, 20, 30, 8, 20][i]; });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
