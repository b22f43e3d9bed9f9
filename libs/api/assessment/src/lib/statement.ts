import ExcelJS from 'exceljs';
import { GRADE_ZH, type Grade, type SubsidyLine } from '@linggong/domain';
import { renderPdf, type PdfLine } from '@linggong/api-reports';

const yuan = (fen: number) => Number((fen / 100).toFixed(2));

/** What the statement shows (AssessmentService.statement). */
export interface StatementData {
  contract: { number: string; version: number; title: string; operatorName: string; amountFen: number };
  cycle: { name: string; periodFrom: string; periodTo: string };
  total: number; grade: Grade; figuresVersion: number; figuresDigest: string;
  resultLinkedFen: number; factorPct: number; resultPartFen: number; workload: SubsidyLine[]; workloadFen: number; payableFen: number;
  approved: { at: string; digest: string } | null;
}

/** The statement's lines (item, quantity, unit rate in yuan, share, amount in yuan), shared by the .xlsx and the PDF. */
function statementRows(s: StatementData): (string | number)[][] {
  return [
    ['与考核结果挂钩部分（本期应付）', '', '', '', yuan(s.resultLinkedFen)],
    [`× 等次系数（${GRADE_ZH[s.grade]}）`, '', '', `${s.factorPct}%`, yuan(s.resultPartFen)],
    ...s.workload.map((w) => [`工作量：${w.label}`, w.quantity, yuan(w.rateFen ?? 0), '', yuan(w.amountFen)]),
    ['工作量小计', '', '', '', yuan(s.workloadFen)],
    ['本期应付合计', '', '', '', yuan(s.payableFen)],
  ];
}
function statementHead(s: StatementData): [string, string][] {
  return [
    ['合同', `${s.contract.number}（第 ${s.contract.version} 版）${s.contract.title}`],
    ['运营机构', s.contract.operatorName],
    ['考核周期', `${s.cycle.name}（${s.cycle.periodFrom} 至 ${s.cycle.periodTo}）`],
    ['考核得分 / 等次', `${s.total} / ${GRADE_ZH[s.grade]}`],
    ['冻结数据版本 / 摘要', `v${s.figuresVersion} ${s.figuresDigest}`],
  ];
}
const HEAD = ['项目', '数量', '单价（元）', '比例', '金额（元）'];
const approval = (s: StatementData) => (s.approved ? `已核准 ${s.approved.at.slice(0, 10)}，摘要 ${s.approved.digest}` : '待县级人社部门核准');
const TITLE = '零工市场运营补助结算单（按效付费）';

/** The subsidy statement as .xlsx (exceljs, as the monthly report's .xlsx in api-reports): amounts in yuan, quantities from the frozen figures. */
export async function statementXlsx(s: StatementData): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('补助结算单');
  ws.addRows([[TITLE], ...statementHead(s), [], HEAD, ...statementRows(s), [], ['核准', approval(s)]]);
  ws.getColumn(1).width = 34;
  for (const c of [2, 3, 4, 5]) ws.getColumn(c).width = 16;
  ws.getRow(8).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The subsidy statement as PDF, with the monthly report's writer (api-reports `renderPdf`: embedded CJK font). */
export function statementPdf(s: StatementData): Promise<Buffer> {
  const at = [0, 200, 270, 350, 420];
  const lines: PdfLine[] = [
    { text: TITLE, size: 16, gap: 6 },
    ...statementHead(s).map(([k, v]) => ({ text: `${k}：${v}`, size: 9 })),
    { cells: HEAD, at, size: 10, gap: 10 },
    ...statementRows(s).map((r) => ({ cells: r.map(String), at, size: 10, gap: 2 })),
    { text: `核准：${approval(s)}`, size: 9, gap: 12 },
  ];
  return renderPdf(lines, `${TITLE} ${s.contract.number}`);
}
