import ExcelJS from 'exceljs';
import type { EnrolmentView, Lang } from '@linggong/domain';
import type { LedgerExportRow } from './rows';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const HEADERS: Record<Lang, string[]> = {
  'zh-CN': ['序号', '市场', '课程', '工种', '培训方式', '是否免费', '培训机构', '开班日期', '结班日期', '姓名', '手机号（脱敏）', '身份证号（脱敏）',
    '出勤次数', '课次', '出勤学时', '结业要求学时', '状态', '结业时间', '证书编号', '发证日期', '补贴资格', '补贴说明'],
  en: ['No.', 'Market', 'Course', 'Occupation', 'Mode', 'Free', 'Provider', 'First session', 'Last session', 'Name', 'Mobile (masked)', 'ID number (masked)',
    'Sessions attended', 'Sessions', 'Hours attended', 'Hours required', 'Status', 'Completed at', 'Certificate no.', 'Issued on', 'Subsidy eligible', 'Subsidy reasons'],
};
const WORDS: Record<Lang, Record<string, string>> = {
  'zh-CN': {
    classroom: '线下课堂', online: '线上', yes: '是', no: '否', enrolled: '在训', completed: '已结业',
    all_sessions_attended: '全勤', hours_complete: '学时达标', id_number_on_file: '已实名（身份证）', certificate_issued: '已发证',
  },
  en: {
    classroom: 'Classroom', online: 'Online', yes: 'Yes', no: 'No', enrolled: 'Training', completed: 'Completed',
    all_sessions_attended: 'all sessions attended', hours_complete: 'hours complete', id_number_on_file: 'ID number on file', certificate_issued: 'certificate issued',
  },
};
/** A timestamp's Asia/Shanghai day. */
const day = (v: Date | null) => (v ? new Date(v.getTime() + 8 * 3_600_000).toISOString().slice(0, 10) : '');
const time = (v: string | null) => (v ? new Date(Date.parse(v) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : '');

/**
 * The training ledger (培训台账, R-B10) as the county reviews it for a subsidy claim: one row per
 * trainee and course, with attendance, hours, completion, certificate and the eligibility reasons.
 * Phones and ID numbers are the stored masks; nothing is decrypted.
 */
export async function trainingLedgerWorkbook(rows: (EnrolmentView & { row: LedgerExportRow })[], lang: Lang): Promise<Buffer> {
  const w = WORDS[lang];
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Linggong';
  const ws = wb.addWorksheet(lang === 'en' ? 'Training ledger' : '培训台账', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(HEADERS[lang]).font = { bold: true };
  rows.forEach((r, i) => {
    const missing = r.subsidyReasons.filter((x) => !x.ok).map((x) => w[x.code]);
    const sep = lang === 'en' ? ', ' : '、';
    ws.addRow([
      i + 1, r.row.market_name ?? '', r.courseTitle, r.occupation, w[r.row.mode] ?? '', r.row.free ? w['yes'] : w['no'],
      r.row.provider ?? '', day(r.row.first_session), day(r.row.last_session), r.workerName, r.workerMobile,
      r.row.id_masked ?? '', r.attendedSessions, r.totalSessions, r.attendedHours, r.requiredHours, w[r.status] ?? r.status,
      time(r.completedAt), r.certificateNumber ?? '', r.certificateIssuedOn ?? '', r.subsidyEligible ? w['yes'] : w['no'],
      r.subsidyEligible ? r.subsidyReasons.map((x) => w[x.code]).join(sep) : (lang === 'en' ? `missing: ${missing.join(sep)}` : `未满足：${missing.join(sep)}`),
    ]);
  });
  ws.columns.forEach((c, i) => { c.width = [6, 24, 24, 12, 10, 8, 20, 12, 12, 10, 16, 22, 8, 6, 8, 10, 8, 17, 18, 12, 8, 36][i]; });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
