import { createHash } from 'node:crypto';
import {
  COMPLAINT_LABELS_ZH as ZH, DEFAULT_RESOLVE_DAYS, complaintDeadlines, complaintStepPayload, maskName, maskPhone,
  type ComplaintCategory, type ComplaintChannel, type Satisfaction,
} from '@linggong/domain';
import { PUBLIC_ACTOR, SYSTEM_ACTOR_REF, addDays, dayStart, qualityOf, type MarketActivity, type ServiceSimContext, type StaffRef } from './demo-activity';
import { Rng, mobile, personName, uuidv7 } from './demo-data';

/**
 * Complaints over a market's 90 days (issue 6), with the same rows, records and work-log entries as
 * libs/api/complaints writes: hotline, on-site, 12345 and online complaints at a rate that follows
 * the market's size, acknowledged the same day or the next, some with a one-time notice (a few
 * breaking it), handling calls and visits, closed mostly on time with a callback; the last days'
 * ones still open, and one that ran past its deadline escalated to the county automatically. The
 * today-only variant (tests) has none.
 */
const MINUTE = 60_000;
const CATEGORIES: [ComplaintCategory, number][] = [
  ['wage_arrears', 30], ['dispute', 20], ['illegal_fee', 10], ['fake_post', 10], ['staff_conduct', 8], ['safety', 7], ['discrimination', 5], ['other', 10],
];
const CHANNELS: [ComplaintChannel, number][] = [['hotline', 40], ['on_site', 30], ['public_page', 15], ['gov_12345', 15]];
const CONTENT: Record<ComplaintCategory, string[]> = {
  wage_arrears: ['干了三天装卸，老板说月底一起结，到现在没给', '日结说好二百一天，只给了一百五', '工地完工后包工头联系不上，拖欠两天工钱'],
  dispute: ['雇主说活没干好要扣钱，双方争执', '工作时间比说好的多了两个小时，加班费不认', '工具损坏责任说不清'],
  illegal_fee: ['介绍工作时被收了五十元介绍费', '招工人员要求先交押金才能上工', '登记时有人收取“服务费”'],
  fake_post: ['岗位写日薪三百，到了现场只给一百八', '招聘信息写包吃住，实际没有', '到了地址发现不是招工，是推销'],
  staff_conduct: ['窗口工作人员态度生硬，不给解释', '排队时工作人员优先照顾熟人', '咨询政策时工作人员说不清楚'],
  safety: ['高处作业没有安全绳', '现场没有防护用品，粉尘很大', '市场门口车辆乱停，有安全隐患'],
  discrimination: ['招工只要四十岁以下，年龄大的不让报名', '雇主说不要女的，不管能不能干', '外地口音的被拒绝'],
  other: ['市场开门时间和公示的不一致', '希望增加保洁类岗位', '手机扫码登记总是失败'],
};
const NOTICE_ITEMS = ['身份证复印件', '工资欠条或聊天记录', '工作地点和雇主联系方式', '现场照片', '收费凭证'];
const RESULTS: [string, number][] = [['mediated', 45], ['substantiated', 25], ['partly_substantiated', 12], ['unsubstantiated', 12], ['withdrawn', 6]];
const SATISFACTIONS: [Satisfaction, number][] = [['satisfied', 70], ['basically', 22], ['dissatisfied', 8]];
const iso = (ms: number) => new Date(ms).toISOString();

interface Step { at: number; actor: StaffRef; kind: string; content: string; data: Record<string, unknown> }

export function simulateComplaints(a: MarketActivity, ctx: ServiceSimContext): void {
  if (ctx.historyDays === 0) return;
  const m = a.market;
  const rng = new Rng(`linggong-demo-complaints:${m.id}`);
  const handler = m.manager;
  // 回访 checks the handling, so it is someone else's call (issue 17 §7): the operator's admin or the desk,
  // whichever is not the handler; a market run by one person records no callback (its satisfaction stays unmeasured).
  const caller = [m.admin, m.desk].find((s) => s.id !== handler.id) ?? null;
  const complaints: Record<string, unknown>[] = [];
  const records: Record<string, unknown>[] = [];
  const notices: Record<string, unknown>[] = [];
  const escalations: Record<string, unknown>[] = [];
  const taken = new Set(a.workers.map((w) => w.mobile));
  const verified = a.employers.filter((e) => e.status === 'verified');
  let order = 2_000_000_000;
  // A comprehensive market hears about one complaint a week; a station about one a month.
  // The failing operator's market (demo-activity.ts QUALITY) hears more, closes late and lets three run past their deadline.
  const quality = qualityOf(m.key);
  const rate = quality.complaintRate ?? (m.type === 'station' ? 1 / 30 : 1 / 7);
  let overdueLeft = quality.overdue.length;

  // From two days back: a complaint's first steps (acknowledgement the next morning) are all in the past.
  for (let back = ctx.historyDays; back >= 2; back--) {
    const day = addDays(ctx.today, -back);
    // Besides the random ones, every market has two being handled now and one that ran past its deadline.
    const scenario = back === 2 || back === 3 ? 'open' : quality.overdue.includes(back) ? 'overdue' : null;
    if (!scenario && !rng.chance(rate)) continue;
    const id = uuidv7(rng, dayStart(day) + 8 * 3_600_000);
    const category = scenario === 'overdue' ? 'wage_arrears' : rng.weighted(CATEGORIES);
    const channel = rng.weighted(CHANNELS);
    const limit = DEFAULT_RESOLVE_DAYS[category];
    const due = complaintDeadlines(day, limit);
    const receivedAt = dayStart(day) + rng.range(8 * 60, 16 * 60) * MINUTE;
    const receiver = channel === 'public_page' ? PUBLIC_ACTOR : m.desk;
    const known = a.workers.filter((w) => w.regAt < receivedAt);
    const worker = known.length && rng.chance(0.5) ? rng.pick(known) : undefined;
    const anonymous = channel === 'public_page' ? rng.chance(0.5) : rng.chance(0.15);
    const gender = rng.chance(0.7) ? 'male' : 'female';
    const name = worker?.name ?? personName(rng, gender, rng.int(1965, 2000));
    const phone = worker?.mobile ?? mobile(rng, taken);
    const employer = category === 'wage_arrears' && verified.length && rng.chance(0.7) ? rng.pick(verified) : undefined;
    const steps: Step[] = [{ at: receivedAt, actor: receiver, kind: 'received', content: `收到投诉（${ZH[channel]}）`,
      data: { channel, category, ackDue: due.ack.day, resolveDue: due.resolve.day, limitDays: limit } }];
    // Acknowledged the same afternoon, or the next morning.
    let t = receivedAt + rng.range(20, 150) * MINUTE;
    if (t > dayStart(day) + 18.3 * 3_600_000) t = dayStart(addDays(day, 1)) + rng.range(8.5 * 60, 10 * 60) * MINUTE;
    const ackAt = t;
    steps.push({ at: ackAt, actor: handler, kind: 'acknowledged', content: '已受理并告知投诉人', data: {} });
    if (rng.chance(0.3)) {
      const items = [...new Set([rng.pick(NOTICE_ITEMS), rng.pick(NOTICE_ITEMS)])];
      steps.push({ at: ackAt + 10 * MINUTE, actor: handler, kind: 'notice', content: `一次性告知需补充：${items.join('、')}`, data: { items, newItems: [], repeat: false } });
      const againAt = dayStart(addDays(day, 2)) + rng.range(9 * 60, 16 * 60) * MINUTE;
      if (rng.chance(quality.repeatNotice) && againAt < ctx.now) {
        const extra = NOTICE_ITEMS.find((x) => !items.includes(x)) as string;
        steps.push({ at: againAt, actor: handler, kind: 'notice', content: `一次性告知需补充：${[...items, extra].join('、')}`, data: { items: [...items, extra], newItems: [extra], repeat: true } });
      }
    }
    // Handling over the following working days; closed on time mostly, a few late, the recent ones still open.
    const late = scenario === 'overdue' || (!scenario && rng.chance(quality.closedLate));
    const closeDay = scenario ? ctx.today : late ? addDays(due.resolve.day, rng.int(1, 3)) : addDays(day, rng.int(1, Math.max(1, dayDiff(day, due.resolve.day))));
    const handling = rng.int(1, 3);
    for (let i = 0; i < handling; i++) {
      const hDay = addDays(day, Math.min(dayDiff(day, closeDay), i + 1));
      const at = dayStart(hDay) + rng.range(9 * 60, 17 * 60) * MINUTE;
      if (at <= ackAt + 30 * MINUTE || hDay >= ctx.today || hDay >= closeDay) continue;
      const kind = rng.pick(['call', 'visit', 'mediation'] as const);
      steps.push({ at, actor: handler, kind, content: kind === 'call' ? '电话联系当事双方，了解情况' : kind === 'visit' ? '到现场核实情况' : '组织双方在市场调解室调解', data: {} });
    }
    const row: Record<string, unknown> = {
      id, tenant_id: m.tenantId, market_id: m.id, region_code: m.regionCode, reference: `TS${day.replace(/-/g, '')}-${id.replace(/-/g, '').slice(-10).toUpperCase()}`,
      tracking_hash: createHash('sha256').update(`demo:${id}`).digest('hex'), channel,
      gov_reference: channel === 'gov_12345' ? `ZZ12345-${day.replace(/-/g, '')}-${String(rng.int(1, 9999)).padStart(4, '0')}` : null,
      category, content: rng.pick(CONTENT[category]), about: employer ? employer.name : null, anonymous,
      name_enc: anonymous ? null : ctx.pii.encrypt(name), name_masked: anonymous ? null : maskName(name),
      mobile_enc: ctx.pii.encrypt(phone), mobile_masked: maskPhone(phone), mobile_bidx: ctx.pii.index('mobile', phone),
      worker_id: worker && !anonymous ? worker.id : null, employer_id: employer?.id ?? null, post_id: null, staff_user_id: null,
      status: 'in_progress', received_at: iso(receivedAt), received_day: day, received_by: receiver.id, owner_user_id: handler.id,
      resolve_limit_days: limit, clock_from: day, extension_days: 0, ack_due: due.ack.day, resolve_due: due.resolve.day, due_provisional: due.resolve.provisional,
      acknowledged_at: iso(ackAt), ack_overdue_at: null, reminded_for: null, overdue_escalated_at: null, closed_at: null, closed_by: null, closed_late: null,
      result: null, result_summary: null, callback_at: null, callback_by: null, satisfaction: null, callback_note: null, reopen_count: 0,
      created_at: iso(receivedAt), updated_at: iso(ackAt),
    };
    if (closeDay < ctx.today) {
      const closedAt = dayStart(closeDay) + rng.range(10 * 60, 17.5 * 60) * MINUTE;
      const result = rng.weighted(RESULTS);
      const summary = result === 'mediated' ? '经调解双方达成一致，已履行' : result === 'unsubstantiated' ? '经核实与事实不符，已向投诉人说明' : '经核实已督促整改，投诉人认可';
      steps.push({ at: closedAt, actor: handler, kind: 'closed', content: `办结（${ZH[result]}）：${summary}`, data: { result, late } });
      Object.assign(row, { status: 'closed', closed_at: iso(closedAt), closed_by: handler.id, closed_late: late, result, result_summary: summary, updated_at: iso(closedAt) });
      const cbDay = addDays(closeDay, rng.int(1, 2));
      if (cbDay < ctx.today && rng.chance(0.8)) {
        const cbAt = dayStart(cbDay) + rng.range(9 * 60, 17 * 60) * MINUTE;
        const satisfaction = rng.weighted(SATISFACTIONS);
        // Drawn either way, so the rest of the market's random history stays as it was.
        if (caller) steps.push({ at: cbAt, actor: caller, kind: 'callback', content: `回访：${ZH[satisfaction]}`, data: { satisfaction } });
        if (caller) Object.assign(row, { callback_at: iso(cbAt), callback_by: caller.id, satisfaction, updated_at: iso(cbAt) });
      }
    } else if (ctx.today > due.resolve.day && overdueLeft > 0) {
      // Ran past its deadline: the timer escalated it to the county bureau just after midnight.
      overdueLeft--;
      const at = dayStart(addDays(due.resolve.day, 1)) + rng.range(1, 5) * MINUTE;
      if (at < ctx.now) {
        const escId = uuidv7(rng, at);
        escalations.push({ id: escId, complaint_id: id, tenant_id: m.tenantId, market_id: m.id, region_code: m.regionCode, target: 'county_bureau',
          reason: `超过办结期限（${due.resolve.day}）未办结，自动上报县级人社部门`, automatic: true, overdue_for: due.resolve.day, status: 'sent', created_by: SYSTEM_ACTOR_REF.id, created_at: iso(at) });
        steps.push({ at, actor: SYSTEM_ACTOR_REF, kind: 'escalated', content: `超期自动上报/移送（${ZH['county_bureau']}）：超过办结期限（${due.resolve.day}）未办结，自动上报县级人社部门`,
          data: { escalationId: escId, target: 'county_bureau', automatic: true } });
        Object.assign(row, { overdue_escalated_at: iso(at), reminded_for: due.resolve.day });
      }
    } else if (ctx.today > due.resolve.day) {
      continue; // only the planned overdue cases: the rest were handled in time
    }
    complaints.push(row);
    for (const s of steps.sort((x, y) => x.at - y.at)) {
      const recId = uuidv7(rng, s.at);
      records.push({ id: recId, complaint_id: id, tenant_id: m.tenantId, market_id: m.id, region_code: m.regionCode, kind: s.kind, content: s.content,
        attachments: [], data: s.data, author_user_id: s.actor.id, author_name: s.actor.username, created_at: iso(s.at) });
      if (s.kind === 'notice') {
        notices.push({ id: uuidv7(rng, s.at), complaint_id: id, tenant_id: m.tenantId, market_id: m.id, region_code: m.regionCode, items: s.data['items'],
          new_items: s.data['newItems'], note: null, created_by: s.actor.id, author_name: s.actor.username, created_at: iso(s.at) });
      }
      const payload = complaintStepPayload(id, recId, s.kind, s.data);
      a.events.push({ at: Math.floor(s.at), order: order++, kind: 'complaint_step', subjectType: 'Complaint', subjectId: id, actor: s.actor, payload: () => payload });
    }
  }
  a.extraRows.push({ table: 'complaints', rows: complaints }, { table: 'complaint_records', rows: records }, { table: 'complaint_notices', rows: notices },
    { table: 'complaint_escalations', rows: escalations });
}

function dayDiff(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
