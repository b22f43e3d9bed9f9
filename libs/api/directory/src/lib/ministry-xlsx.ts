import ExcelJS from 'exceljs';
import { MINISTRY_COLUMNS, ministryRow, type ListingView } from '@linggong/domain';
import type { VersionRow } from './rows';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The yearly directory for the ministry (人社部发〔2022〕38号 九): one row a market, the columns in the notice's
 * order (name, operating nature, address, hours, occupations, contacts, job-seeker scale, main recruited
 * occupations, daily average successful hires), from one published version.
 */
export async function ministryWorkbook(provinceName: string, year: number, v: VersionRow, listings: ListingView[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Linggong';
  const ws = wb.addWorksheet('零工市场名录');
  ws.addRow([`${provinceName}零工市场名录（${year} 年度，${v.quarter} 第 ${v.seq} 版，统计期 ${v.figures_from} 至 ${v.figures_to}）`]);
  ws.mergeCells(1, 1, 1, MINISTRY_COLUMNS.length + 2);
  ws.getRow(1).font = { bold: true, size: 14 };
  ws.addRow(['序号', ...MINISTRY_COLUMNS.map((c) => c.zh), '所在县（市、区）']);
  ws.getRow(2).font = { bold: true };
  listings.forEach((l, i) => ws.addRow([i + 1, ...ministryRow(l), [l.cityName, l.regionName].filter(Boolean).join('')]));
  ws.addRow([]);
  ws.addRow(['注：求职人员规模为统计期内到场签到的不同人数；日均招聘成功人数＝上岗人次÷开市天数（有签到的营业日）；主要招聘工种为上岗人次最多的工种（至多 3 个）；均取自已封存的工作日志。县级登记的零工聚集点（无运营机构）为县级估计数。']);
  ws.columns.forEach((c, i) => { c.width = [6, 30, 10, 40, 20, 30, 36, 12, 24, 12, 20][i] ?? 14; });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
