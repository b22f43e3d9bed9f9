import ExcelJS from 'exceljs';
import { industryName, type ReportFigures, type ReportView, type WageRow } from '@linggong/domain';
import { renderPdf, type PdfLine } from './pdf';

const yuan = (fen: number | null) => (fen === null ? '—' : (fen / 100).toFixed(2));
const num = (v: number | null) => (v === null ? '—' : String(v));
const ind = (code: string) => (code ? `${code} ${industryName(code)}` : '未登记行业');
const orBlank = (k: string, blank: string) => k || blank;
const PERIOD: Record<string, string> = { same_day: '当日', days: '数日', weeks: '数周', '': '未登记' };
const STATUS: Record<string, string> = { draft: '草稿', submitted: '已报送', accepted: '已接收', returned: '已退回' };

/** The report's tables as rows of cells, shared by the PDF and the .xlsx (one definition of what is printed). */
export function reportTables(f: ReportFigures): { title: string; head: string[]; rows: (string | number)[][] }[] {
  const wage = (label: string, rows: WageRow[], name: (k: string) => string) => ({
    title: label, head: ['类别', '岗位数', '日工资P25', '日工资中位数', '日工资P75', '平均日工资', '时薪中位数'],
    rows: rows.map((r) => [name(r.key), r.posts, yuan(r.p25), yuan(r.median), yuan(r.p75), yuan(r.average), yuan(r.hourlyMedian)]),
  });
  const t = f.totals;
  return [
    { title: '一、总体情况', head: ['项目', '数值'], rows: [
      ['上月结转需求人数', t.carriedOver], ['本月新增需求人数', t.newDemand], ['需求人数合计', t.demand], ['发布岗位数', t.posts],
      ['求职人数（不同人）', t.seekers], ['求职服务人次', t.visits], ['招聘成功人数（上岗）', t.hiresStarted],
      ['求人倍率（新增需求÷求职人数）', num(t.ratio)], ['求人倍率（含结转）', num(t.ratioWithCarried)], ['日工资中位数（元）', yuan(t.medianDayWage)], ['市场数', f.markets],
    ] },
    { title: '二、分行业需求（GB/T 4754—2017 门类）', head: ['行业', '需求人数', '岗位数', '相关工种求职人数', '求人倍率'],
      rows: f.demandByIndustry.map((r) => [ind(r.key), r.value, r.posts, r.seekers, num(r.ratio)]) },
    { title: '三、分工种供求', head: ['工种', '需求人数', '求职人数', '求人倍率', '缺口'], rows: f.byOccupation.map((r) => [r.key, r.demand, r.seekers, num(r.ratio), r.gap]) },
    { title: '四、缺工前十位工种', head: ['工种', '需求人数', '求职人数', '缺口'], rows: f.shortages.map((r) => [r.key, r.demand, r.seekers, r.gap]) },
    { title: '五、求职人数多于需求前十位工种', head: ['工种', '需求人数', '求职人数', '富余'], rows: f.surpluses.map((r) => [r.key, r.demand, r.seekers, -r.gap]) },
    wage('六、分行业工资价位（元）', f.wagesByIndustry, ind),
    wage('七、分工种工资价位（元）', f.wagesByOccupation, (k) => orBlank(k, '未登记工种')),
    { title: '八、用工周期', head: ['用工周期', '需求人数'], rows: f.periodOfEmployment.map((r) => [PERIOD[r.key] ?? r.key, r.value]) },
    { title: '九、求职者性别与年龄（人）', head: ['类别', '人数'], rows: [
      ...f.seekersByGender.map((r) => [r.key === 'male' ? '男' : r.key === 'female' ? '女' : '未登记', r.value]),
      ...f.seekersByAge.map((r) => [r.key ? `${r.key} 岁` : '年龄未登记', r.value]),
    ] },
    { title: '十、求职时长（首次到场至首次上岗）', head: ['天数', '人数'], rows: [['中位数（天）', num(f.seeking.median)], ['上岗人数', f.seeking.started], ...f.seeking.buckets.map((b) => [`${b.key} 天`, b.value])] },
    { title: '十一、分县（市、区）', head: ['地区', '市场数', '需求人数', '求职人数', '求人倍率', '上岗人数', '日工资中位数'],
      rows: f.byCounty.map((c) => [c.name, c.markets, c.demand, c.seekers, num(c.ratio), c.hiresStarted, yuan(c.medianDayWage)]) },
  ];
}

const AT = [0, 150, 215, 280, 345, 410, 460];

/** The report as a PDF (readable Chinese: an embedded CJK font, see pdf.ts). */
export function reportPdf(r: ReportView): Promise<Buffer> {
  const f = r.figures;
  const lines: PdfLine[] = [
    { text: `${r.regionName}零工市场供求分析报告（${r.month.replace('-', '年')}月）`, size: 16, gap: 6 },
    { text: `版本 ${r.version} · 状态 ${STATUS[r.status] ?? r.status} · 报送期限 ${r.deadline.due}${r.submittedAt ? ` · 报送时间 ${r.submittedAt.slice(0, 10)}${r.onTime === false ? '（逾期）' : ''}` : ''}`, size: 9 },
    ...(r.digest ? [{ text: `SM3 摘要 ${r.digest}`, size: 8 }] : []),
    ...(r.returnReason ? [{ text: `退回原因：${r.returnReason}`, size: 9 }] : []),
  ];
  if (f) {
    for (const t of reportTables(f)) {
      lines.push({ text: t.title, size: 12, gap: 10 });
      const at = AT.slice(0, t.head.length);
      lines.push({ cells: t.head, at, size: 9 });
      for (const row of t.rows) lines.push({ cells: row.map((c) => String(c).slice(0, 14)), at, size: 9, gap: 2 });
    }
  }
  lines.push({ text: '十二、分析', size: 12, gap: 10 }, { text: r.analysis ?? '（未填写）' });
  lines.push({ text: '十三、应对措施', size: 12, gap: 10 }, { text: r.measures ?? '（未填写）' });
  for (const p of r.parts) {
    lines.push({ text: `附：${p.regionName}报告（第 ${p.version} 版）`, size: 11, gap: 10 }, { text: `分析：${p.analysis}` }, { text: `应对措施：${p.measures}` });
  }
  lines.push({ text: '数据来源：零工市场工作日志台账（已日结封存的业务记录）汇总；口径见《指标说明》（docs/kpis.md）。', size: 8, gap: 12 });
  return renderPdf(lines, `${r.regionName}供求分析报告 ${r.month}`);
}

/** The report as .xlsx: one sheet per table, the narrative on the first. */
export async function reportXlsx(r: ReportView): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const s = wb.addWorksheet('报告');
  s.addRows([[`${r.regionName}零工市场供求分析报告`, r.month], ['版本', r.version], ['状态', STATUS[r.status] ?? r.status], ['报送期限', r.deadline.due],
    ['SM3 摘要', r.digest ?? ''], ['分析', r.analysis ?? ''], ['应对措施', r.measures ?? '']]);
  s.getColumn(1).width = 16;
  s.getColumn(2).width = 80;
  for (const t of r.figures ? reportTables(r.figures) : []) {
    const ws = wb.addWorksheet(t.title.replace(/^[^、]+、/, '').replace(/[\\/*?:[\]]/g, ' ').slice(0, 31));
    ws.addRow([t.title]);
    ws.addRow(t.head).font = { bold: true };
    ws.addRows(t.rows);
    ws.columns.forEach((c, i) => { c.width = i ? 14 : 28; });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
