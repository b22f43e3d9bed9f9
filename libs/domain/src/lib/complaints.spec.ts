import { calendarCovers } from './working-days';
import { complaintDeadlines, dueAfterWorkingDays, intakeComplaintSchema, newNoticeItems, publicComplaintSchema } from './complaints';

/**
 * Complaint deadlines on real dates (issue 6 §3, R-C2 限时办结). Calendar source: the `chinese-days`
 * npm package, version 1.5.7 (package-lock.json), which carries the State Council's yearly notices —
 * 《国务院办公厅关于2025年部分节假日安排的通知》 (国办发明电〔2024〕12号): National Day + Mid-Autumn
 * 1–8 October 2025 off, Sunday 28 September and Saturday 11 October worked; Spring Festival
 * 28 January – 4 February 2025 off, Sunday 26 January and Saturday 8 February worked.
 */
describe('complaint deadlines (administrative time limits in China working days)', () => {
  it('received 2025-09-30, 5-working-day limit → due 2025-10-14 (the Saturday 11 October worked counts); acknowledgement due 2025-10-09', () => {
    const d = complaintDeadlines('2025-09-30', 5);
    expect(d.resolve).toEqual({ day: '2025-10-14', provisional: false });
    expect(d.ack).toEqual({ day: '2025-10-09', provisional: false });
  });

  it('across the 2025 Spring Festival: received 2025-01-24 (Friday), 5 → 2025-02-07, 15 → 2025-02-20', () => {
    expect(complaintDeadlines('2025-01-24', 5).resolve.day).toBe('2025-02-07');
    expect(complaintDeadlines('2025-01-24', 15).resolve.day).toBe('2025-02-20');
    // Received on the adjusted workday Sunday 26 January: acknowledged by Monday 27th, the last day before the holiday.
    expect(complaintDeadlines('2025-01-26', 1).ack.day).toBe('2025-01-27');
  });

  it('filed on a Saturday: the clock starts on the next working day (Sat 2025-11-22 → ack Mon 24th, 5 days → Fri 28th)', () => {
    const d = complaintDeadlines('2025-11-22', 5);
    expect(d.ack.day).toBe('2025-11-24');
    expect(d.resolve.day).toBe('2025-11-28');
  });

  it('a limit reaching a year whose holidays are not published yet is counted Monday–Friday and marked provisional, never refused', () => {
    const uncovered = [2027, 2028, 2030].find((y) => !calendarCovers(y)) as number;
    expect(uncovered).toBeDefined();
    // 28 December of the last covered year + 10 working days lands in the uncovered January.
    const d = dueAfterWorkingDays(`${uncovered - 1}-12-28`, 10);
    expect(d.provisional).toBe(true);
    expect(d.day.startsWith(`${uncovered}-01-`)).toBe(true);
    const dow = new Date(`${d.day}T00:00:00Z`).getUTCDay();
    expect(dow === 0 || dow === 6).toBe(false);
  });

  it('one-time notification: a later notice may only repeat what the first asked for', () => {
    expect(newNoticeItems([['身份证复印件', '工资条']], ['工资条', ' 身份证 复印件'])).toEqual([]);
    expect(newNoticeItems([['身份证复印件']], ['身份证复印件', '劳动合同'])).toEqual(['劳动合同']);
  });

  it('intake rules: 12345 transfers keep their work-order number; a named complaint needs the name', () => {
    const base = { marketId: '0190a000-0000-7000-8000-000000000001', category: 'wage_arrears', content: '老板拖欠三天工资不给' };
    expect(intakeComplaintSchema.safeParse({ ...base, channel: 'gov_12345', anonymous: true }).success).toBe(false);
    expect(intakeComplaintSchema.safeParse({ ...base, channel: 'gov_12345', anonymous: true, govReference: 'ZZ20251001-0012' }).success).toBe(true);
    expect(publicComplaintSchema.safeParse({ category: 'other', content: '内容足够长的投诉', anonymous: false }).success).toBe(false);
    expect(publicComplaintSchema.safeParse({ category: 'other', content: '内容足够长的投诉', anonymous: true, mobile: '1380013800' }).success).toBe(false);
  });
});
