import ExcelJS from 'exceljs';
import type { LedgerEntryView } from '@linggong/domain';

const KIND_ZH: Record<string, string> = {
  registration: '登记', check_in: '签到', post_published: '发布岗位', match: '匹配', hire_confirmed: '确认用工', settlement: '日结结算',
  guidance: '指导服务', training_attendance: '培训签到', tool_loan: '工具借出', tool_return: '工具归还', complaint_step: '投诉处理',
  tool_added: '工具入库', tool_loan_request: '工具借用申请', tool_loan_decision: '工具借用审批', tool_maintenance: '工具维修报废',
  event: '活动', manual_patrol: '现场巡查', manual_fair: '招聘会', manual_visit: '走访', manual_note: '工作记录', correction: '更正',
};

/** The work-log ledger as a spreadsheet people read (工作日志台账); the JSONL export is for the verifier. */
export async function ledgerWorkbook(marketName: string, from: string, to: string, entries: LedgerEntryView[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Linggong';
  const ws = wb.addWorksheet('工作日志台账');
  ws.addRow([`${marketName} 工作日志台账（${from} 至 ${to}）`]);
  ws.mergeCells(1, 1, 1, 10);
  ws.getRow(1).font = { bold: true, size: 14 };
  ws.addRow(['序号', '业务日', '发生时间（北京时间）', '记录时间（北京时间）', '类型', '记录人', '内容', '更正说明', '补录', '哈希']);
  ws.getRow(2).font = { bold: true };
  const bj = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
  for (const e of entries) {
    ws.addRow([
      e.seq, e.businessDay, bj(e.occurredAt), bj(e.recordedAt), KIND_ZH[e.kind] ?? e.kind, e.actorName ?? '',
      JSON.stringify(e.effectivePayload), e.corrects ? `更正第 ${e.corrects} 条：${e.reason ?? ''}` : e.correctedBy.length ? `已被第 ${e.correctedBy.join('、')} 条更正` : '',
      e.late ? '是' : '', e.hash,
    ]);
  }
  ws.columns.forEach((c, i) => { c.width = [8, 12, 20, 20, 10, 14, 60, 30, 6, 66][i]; });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
