import type { DataSource } from 'typeorm';
import type { ReportsService } from '@linggong/api-reports';
import { nextMonth, reportDeadline, type Actor, type OrgKind, type Role } from '@linggong/domain';
import { shanghaiDay } from '@linggong/ledger-chain';
import { demoId } from './demo-seed';

const actor = (username: string, org: string, orgKind: OrgKind, region: string, role: Role): Actor => ({
  userId: demoId(`user:${username}`), username, orgId: demoId(org), orgKind, regionPrefix: region, marketIds: [], roles: [role],
});
const COUNTY = {
  '410122': actor('county.reviewer', 'zhongmu', 'county', '410122', 'county_reviewer'),
  '410184': actor('xinzheng.reviewer', 'xinzheng', 'county', '410184', 'county_reviewer'),
  '410327': actor('yiyang.reviewer', 'yiyang', 'county', '410327', 'county_reviewer'),
};
const CITY = { '4101': actor('city.analyst', 'zhengzhou', 'city', '4101', 'city_analyst'), '4103': actor('luoyang.analyst', 'luoyang', 'city', '4103', 'city_analyst') };
const PROVINCE = actor('province.auditor', 'henan', 'province', '41', 'province_auditor');
const TEXT: Record<string, [string, string]> = {
  '410122': ['中牟县本月零工需求以装卸搬运、农业采摘为主，物流园区用工稳定，求人倍率与上月基本持平。', '加强与物流园区、种植基地对接，采摘季前组织专场招聘，做好日结工资支付提醒。'],
  '410184': ['新郑市本月快递分拣、餐饮服务需求旺盛，龙湖镇驿站台账日结不及时，求职人员登记偏少。', '督促龙湖镇驿站按时日结，开展快递分拣技能培训，推动电商园区岗位归集。'],
  '410327': ['宜阳县本月建筑小工、钢筋工需求较多，农业采摘需求随季节回落，求职人员年龄偏大。', '引导富余人员参加钢筋工、木工培训，加强县乡零工驿站建设，做好冬季用工服务。'],
  '4101': ['郑州市本月零工需求集中在交通运输仓储和建筑业，县域间供求差异明显，新郑市求人倍率高于中牟县。', '推动县级市场延长服务时间，加强欠薪风险提示，组织跨县岗位共享。'],
  '4103': ['洛阳市本月零工供求基本平衡，建筑业日工资中位数最高，农业采摘需求回落。', '加强县乡零工驿站建设，开展建筑工种技能培训，做好冬季用工服务。'],
};
const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Three months of reports through the chain (issue 14 §6): the three months before the current one. The
 * counties submit by the 20th of the next month, the cities by the 25th; Luoyang is late for the first
 * month (two days after the deadline); Zhengzhou's second month is returned with a reason and resubmitted
 * as version 2; the province accepts, and with both cities accepted each month is released. Submissions
 * are dated (their `submittedAt` and timeliness); the last month's dates are capped at yesterday.
 * Idempotent: a month that already has reports is left alone.
 */
export async function seedDemoReports(reports: ReportsService, owner: DataSource, now = new Date()): Promise<string> {
  const today = shanghaiDay(now);
  const months: string[] = [];
  let m = today.slice(0, 7);
  for (let i = 0; i < 3; i++) {
    const [y, mm] = m.split('-').map(Number);
    m = mm === 1 ? `${y - 1}-12` : `${y}-${String(mm - 1).padStart(2, '0')}`;
    months.unshift(m);
  }
  const yesterday = addDays(today, -1);
  const cap = (d: string) => (d < yesterday ? d : yesterday);
  let made = 0;
  for (const [i, month] of months.entries()) {
    if ((await owner.query('SELECT 1 FROM supply_demand_reports WHERE month = $1 LIMIT 1', [month])).length) continue;
    const after = nextMonth(month);
    const submit = async (a: Actor, region: string, when: Date) => {
      const r = await reports.create(a, { month });
      await reports.saveNarrative(a, r.id, { analysis: TEXT[region][0], measures: TEXT[region][1] });
      made++;
      return reports.submit(a, r.id, when);
    };
    for (const [region, a] of Object.entries(COUNTY)) await submit(a, region, at(cap(`${after}-${String(18 + (made % 3)).padStart(2, '0')}`), '16:30'));
    let zz = await submit(CITY['4101'], '4101', at(cap(`${after}-24`), '10:00'));
    const lyDay = i === 0 ? addDays(reportDeadline(month).due, 2) : `${after}-25`;
    const ly = await submit(CITY['4103'], '4103', at(cap(lyDay), '15:00'));
    if (i === 1) {
      await reports.review(PROVINCE, zz.id, { decision: 'returned', reason: '请补充分行业工资价位的分析，并说明新郑市求人倍率偏高的原因。' });
      const v2 = await reports.create(CITY['4101'], { month });
      await reports.saveNarrative(CITY['4101'], v2.id, { analysis: `${TEXT['4101'][0]}分行业看，建筑业日工资中位数最高；新郑市快递分拣岗位集中发布，拉高了求人倍率。`, measures: TEXT['4101'][1] });
      zz = await reports.submit(CITY['4101'], v2.id, at(cap(`${after}-26`), '09:30'));
    }
    await reports.review(PROVINCE, zz.id, { decision: 'accepted' });
    await reports.review(PROVINCE, ly.id, { decision: 'accepted' });
  }
  return `reports: ${made} demo reports over ${months.join(', ')}`;
}
