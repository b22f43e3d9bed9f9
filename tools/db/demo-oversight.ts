import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { CallbackService, ExitService, InspectionsService, RectificationService } from '@linggong/api-oversight';
import { addWorkingDays, type Actor } from '@linggong/domain';
import { shanghaiDay } from '@linggong/ledger-chain';
import { demoId } from './demo-seed';

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const COUNTY: Actor = { userId: demoId('user:xinzheng.reviewer'), username: 'xinzheng.reviewer', orgId: demoId('xinzheng'), orgKind: 'county', regionPrefix: '410184', marketIds: [], roles: ['county_reviewer'] };
const OP3: Actor = { userId: demoId('user:op3.admin'), username: 'op3.admin', orgId: demoId('op3'), orgKind: 'operator', tenantId: demoId('op3'), marketIds: [], roles: ['operator_admin'] };
/** Ten calls at the failing station: six confirmed, three deny the work, one not reachable (6 ÷ 9 = 66.67 % < 80 %). */
const OUTCOMES: [('confirmed' | 'denied' | 'unreachable'), string][] = [
  ['confirmed', ''], ['denied', '本人称当天在家，没有去快递分拣点干活'], ['confirmed', ''], ['confirmed', '工钱与记录一致'], ['denied', '本人不认识该用工单位'],
  ['unreachable', '连续三天拨打无人接听'], ['confirmed', ''], ['denied', '本人称只登记过，没有上过岗'], ['confirmed', ''], ['confirmed', ''],
];

/**
 * Oversight at the failing operator (issue 16 §5; docs/demo-data.md): 新郑市's reviewer samples op3's 新郑市龙湖镇零工驿站
 * over the last 30 sealed days and calls ten workers — three deny the work, so the agreement rate is 66.67 % and a
 * follow-up inspection opens by itself; a rectification is ordered from the sample and op3 has started it. A
 * quarterly plan's on-site inspection of the station (the rule boards and the facilities fail) is reported, and the
 * rectification ordered from it twenty days ago is past its working-day deadline and escalated to the city.
 * Through the services the console uses; idempotent (an operator that already has a sample is left alone).
 */
export async function seedDemoOversight(s: { callbacks: CallbackService; inspections: InspectionsService; rectifications: RectificationService }, owner: DataSource, now = new Date()): Promise<string> {
  if ((await owner.query('SELECT 1 FROM callback_samples WHERE tenant_id = $1 LIMIT 1', [demoId('op3')])).length) return 'oversight: already seeded';
  const today = shanghaiDay(now);
  const sample = await s.callbacks.commit(COUNTY, { operatorId: demoId('op3'), regionCode: '410184', from: addDays(today, -30), to: addDays(today, -1), size: OUTCOMES.length, threshold: 80 });
  let drawn = await s.callbacks.draw(COUNTY, sample.id, now);
  for (const [k, call] of drawn.calls.entries()) {
    const [outcome, note] = OUTCOMES[k % OUTCOMES.length];
    drawn = await s.callbacks.recordOutcome(COUNTY, sample.id, call.id, { outcome, note });
  }
  const done = await s.callbacks.complete(COUNTY, sample.id);
  const fromSample = await s.rectifications.order(COUNTY, {
    source: { kind: 'callback_sample', id: sample.id }, title: '上岗记录回访不实整改', severity: 'critical', responsiblePerson: '赵志强', deadlineDays: 10,
    items: [
      { text: '逐条核实回访中否认上岗的记录，对不实记录作更正并说明原因', severity: 'critical' },
      { text: '建立上岗确认双方签字（扫码确认）制度，杜绝代录', severity: 'major' },
    ],
  });
  await s.rectifications.start(OP3, fromSample.id, { note: '已成立整改小组，逐条核实' });

  const plan = await s.inspections.createPlan(COUNTY, { kind: 'quarterly', title: `${today.slice(0, 4)} 年第四季度零工市场督导检查`, from: addDays(today, -40), to: addDays(today, 50), note: '覆盖全市零工市场和零工驿站' });
  const visit = await s.inspections.create(COUNTY, { planId: plan.id, operatorId: demoId('op3'), marketId: demoId('m-longhu'), kind: 'on_site', scheduledOn: addDays(today, -21), note: '现场检查龙湖镇驿站' });
  const photo = (what: string) => createHash('sha256').update(`demo-photo:${what}`).digest('hex');
  await s.inspections.report(COUNTY, visit.id, {
    results: [
      { code: 'name_board', result: 'pass', note: '' }, { code: 'unified_logo', result: 'pass', note: '' },
      { code: 'rule_boards', result: 'fail', note: '服务制度、收费公示未上墙' }, { code: 'registration_flow', result: 'pass', note: '' },
      { code: 'hotline', result: 'pass', note: '' }, { code: 'complaint_channels', result: 'fail', note: '未公布投诉渠道' },
      { code: 'facilities', result: 'fail', note: '无休息区和饮水设施' }, { code: 'safety', result: 'pass', note: '' },
    ],
    findings: [
      { code: 'rule_boards', text: '浅蓝色制度牌未上墙，收费标准未公示', severity: 'major', photos: [photo('rule-boards')] },
      { code: 'complaint_channels', text: '驿站门口未公布投诉举报电话和线上投诉二维码', severity: 'major', photos: [photo('complaints')] },
      { code: 'facilities', text: '候工区域无遮阳棚、无饮水设施', severity: 'minor', photos: [photo('facilities-1'), photo('facilities-2')] },
    ],
    summary: '驿站标识齐全，但制度上墙、投诉渠道公示和服务设施不符合要求，需限期整改。',
  });
  const fromVisit = await s.rectifications.order(COUNTY, {
    source: { kind: 'inspection', id: visit.id }, title: '龙湖镇驿站现场检查整改', severity: 'major', responsiblePerson: '赵志强', deadlineDays: 10,
    items: [
      { text: '制作并张贴浅蓝色服务制度、服务流程和收费公示牌', severity: 'major' },
      { text: '在门口公布投诉举报电话和线上投诉二维码', severity: 'major' },
      { text: '增设候工遮阳棚和饮水设施', severity: 'minor' },
    ],
  });
  // Ordered the day after the visit (the services date an order today): its deadline is ten working days from then, long past.
  const orderedOn = addDays(today, -20);
  await owner.query(`UPDATE rectifications SET ordered_on = $2, due_on = $3, created_at = $4 WHERE id = $1`, [fromVisit.id, orderedOn, addWorkingDays(orderedOn, 10), `${orderedOn}T10:00:00+08:00`]);
  await owner.query(`UPDATE rectification_events SET at = $2 WHERE rectification_id = $1`, [fromVisit.id, `${orderedOn}T10:00:00+08:00`]);
  const escalated = await s.rectifications.escalateOverdue(now);
  return `oversight: sample at op3 (${done.confirmed}/${done.reached} = ${done.rate} %, follow-up inspection ${done.inspectionId ? 'opened' : 'not opened'}), 2 rectifications (${escalated.length} escalated), 1 inspection reported`;
}

const CITY: Actor = { userId: demoId('user:city.analyst'), username: 'city.analyst', orgId: demoId('zhengzhou'), orgKind: 'city', regionPrefix: '4101', marketIds: [], roles: ['city_analyst'] };

/**
 * An exit case in progress at the failing operator (issue 16 §4, §6; docs/demo-data.md): 新郑市's reviewer proposes op3's
 * exit (a 差 grade with the rectification failing, the call-back sample above), 郑州市's analyst approves it, op3 has
 * answered within its window. The county's next step — start the exit, then hand 新郑市龙湖镇零工驿站 over — is left to
 * the person trying the demo, so op3 still works as before until then. Idempotent.
 */
export async function seedDemoExit(exits: ExitService, owner: DataSource, now = new Date()): Promise<string> {
  if ((await owner.query('SELECT 1 FROM exit_cases WHERE tenant_id = $1 LIMIT 1', [demoId('op3')])).length) return 'exit: already seeded';
  const c = await exits.propose(COUNTY, {
    operatorId: demoId('op3'), grounds: ['poor_grade_failed_rectification', 'failed_callback'], answerDays: 5,
    reason: '年度评估等次为差，抽查回访一致率 66.67%（低于 80%），上岗记录回访不实的整改逾期未完成。依据购买服务合同第十二条提议终止合作、退出运营。',
  });
  await exits.decide(CITY, c.id, { decision: 'approved', note: '同意新郑市人社局意见，请依程序通知运营机构并做好市场移交。' }, now);
  await exits.answer(OP3, c.id, { text: '对回访结果有不同意见，部分零工更换了手机号；但接受退出安排，将配合做好零工名册、在招岗位和押金的移交。' }, now);
  return 'exit: op3 proposed, approved, answered';
}
