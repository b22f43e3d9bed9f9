import {
  DEFAULT_PACKAGE_REGION, SERVICE_KINDS, hardshipTier, packageDone, waitingDays,
  type HardshipCategory, type ServiceKind,
} from '@linggong/domain';
import { COUNTY_NAMES, Rng, uuidv7 } from './demo-data';
import { addDays, dayStart, shanghaiDayOf, type DemoWorker, type MarketActivity, type ServiceSimContext, type ServiceSimulation, type StaffRef } from './demo-activity';

/**
 * Assistance (R-B9) and service-record (R-B12, R-B14) demo over one market's simulated days
 * (issue 5): hardship records with consent for the workers the 即时快招 simulation gave a tier,
 * plans with the default 1/3/1 package (assistance_packages '00'), guidance as service records,
 * training and outside referrals as plan steps, referrals at the desk counted from the market's real
 * placements, follow-ups about every 30 days until stable work, some plans left behind on purpose,
 * public-welfare posts, and everyday guidance and information records for workers and employers.
 * Every row has the work-log entry the API appends (same kind, subject and payload).
 *
 * The worker's tier is set to what the daily job would compute today (categories + waiting time), so
 * the first run of the job changes nothing. The job's own `hardship_tier` entries are not replayed:
 * it runs at 02:30, outside the hours a sealed demo day may hold entries.
 */

const MIN = 60_000;
const PKG = { guidance: 1, referrals: 3, training: 1, followUpDays: 30, behindDays: 60, region: DEFAULT_PACKAGE_REGION };
const COURSES = ['家政服务员', '保洁员', '育婴员', '中式烹调师', '叉车司机', '电工', '养老护理员', '农业经理人'];
const WELFARE_POSTS = ['社区保洁', '公园管护', '治安巡防', '公共设施维护', '乡村保洁', '养老服务协理'];
const SUMMARIES: Record<ServiceKind, string[]> = {
  vocational_guidance: ['职业能力评估与求职方向指导', '指导制作简历、介绍适合岗位', '分析求职意向，建议先做短期保洁岗位'],
  policy_consultation: ['咨询灵活就业人员社保补贴申领条件', '咨询就业困难人员认定办法', '咨询创业担保贷款政策'],
  labour_contract_guidance: ['指导签订劳务协议，明确工价与结算方式', '讲解劳动合同与劳务协议的区别', '指导约定工伤责任与安全条款'],
  rights_guidance: ['被拖欠工资，指导收集考勤与转账证据', '介绍劳动保障监察投诉渠道与 12333', '告知劳动争议仲裁流程与法律援助'],
  accident_insurance_info: ['告知新就业形态职业伤害保障与参保方式', '介绍灵活就业人员意外伤害保险', '告知发生工伤后的报案与申报时限'],
};
const EMPLOYER_KINDS: ServiceKind[] = ['policy_consultation', 'labour_contract_guidance', 'rights_guidance', 'accident_insurance_info'];

interface Plan {
  id: string; worker: DemoWorker; openedAt: number; status: string; steps: Row[]; guidance: number; training: number; outside: number;
  completedAt: number | null; lastFollowUp: string | null; closedAt: number | null; closedBy: StaffRef | null; stableEmployer: string | null; neglected: boolean;
}
type Row = Record<string, unknown>;

export const assistanceSimulation: ServiceSimulation = (a: MarketActivity, ctx: ServiceSimContext) => {
  const m = a.market;
  const rng = new Rng(`linggong-demo-assistance:${m.id}`);
  const ids = new Rng(`linggong-demo-assistance-ids:${m.id}`);
  const base = { tenant_id: m.tenantId, market_id: m.id, region_code: m.regionCode };
  const iso = (ms: number) => new Date(ms).toISOString();
  /** A time on `day` after `after` in staff hours (07:30–18:20), before now today; null if none is left. */
  const slot = (day: string, after = 0): number | null => {
    if (day > ctx.today) return null;
    // Today is not sealed: any time before now will do.
    if (day === ctx.today) {
      const lo0 = Math.max(after + MIN, dayStart(day));
      return lo0 >= ctx.now - MIN ? null : Math.floor(lo0 + rng.next() * Math.min(ctx.now - MIN - lo0, 90 * MIN));
    }
    const lo = Math.max(after + MIN, dayStart(day) + 7.5 * 60 * MIN);
    const hi = dayStart(day) + 18 * 60 * MIN + 20 * MIN;
    return lo >= hi ? null : Math.floor(lo + rng.next() * Math.min(hi - lo, 90 * MIN));
  };
  /** The first slot on or after `day` (up to a week later). */
  const slotFrom = (day: string, after = 0): number | null => {
    for (let i = 0; i < 7; i++) {
      const t = slot(addDays(day, i), after);
      if (t !== null) return t;
    }
    return null;
  };
  let order = 1_000_000_000;
  const ev = (at: number, kind: string, subjectType: string, subjectId: string, actor: StaffRef, payload: Record<string, unknown>) =>
    a.events.push({ at, order: order++, kind, subjectType, subjectId, actor, payload: () => payload });

  const hardshipRows: Row[] = [];
  const plans: Plan[] = [];
  const welfareRows: Row[] = [];
  const serviceRows: Row[] = [];
  const planWorkers = new Set<string>();

  const service = (at: number, kind: ServiceKind, party: { workerId: string } | { employerId: string }, actor: StaffRef) => {
    const id = uuidv7(ids, at);
    const channel = rng.weighted([['desk', 70], ['phone', 20], ['visit', 7], ['online', 3]] as const);
    serviceRows.push({
      id, ...base, kind, worker_id: 'workerId' in party ? party.workerId : null, employer_id: 'employerId' in party ? party.employerId : null,
      occurred_at: iso(at), channel, summary: rng.pick(SUMMARIES[kind]), outcome: rng.chance(0.5) ? '本人已了解' : '', created_by: actor.id, created_at: iso(at),
    });
    ev(at, 'guidance', 'ServiceRecord', id, actor, { serviceRecordId: id, service: kind, channel, occurredAt: iso(at), ...('workerId' in party ? { party: 'worker', ...party } : { party: 'employer', ...party }) });
  };

  const age = (w: DemoWorker) => (w.birthYear ? Number(ctx.today.slice(0, 4)) - w.birthYear : null);
  const categoriesFor = (w: DemoWorker): HardshipCategory[] => {
    const one: HardshipCategory[] = [];
    const a0 = age(w);
    // 大龄 (“4050”): women from 40, men from 50.
    if (a0 !== null && a0 >= (w.gender === 'female' ? 40 : 50)) one.push('older_age');
    one.push('registered_unemployed', 'migrant_worker', 'new_form_worker');
    if (w.gender === 'male') one.push('veteran');
    const two: HardshipCategory[] = ['low_income', 'disability', 'extreme_hardship_family'];
    const target = w.hardship;
    const pickOne = () => (one.includes('older_age') && rng.chance(0.6) ? 'older_age' : rng.pick(one));
    if (target <= 1) return [pickOne()];
    if (target === 2) return rng.chance(0.5) ? [rng.pick(two)] : [...new Set<HardshipCategory>([pickOne(), rng.pick(one)])];
    const first = rng.pick(two);
    return rng.chance(0.5) ? [first, rng.pick(two.filter((c) => c !== first))] : [first, pickOne()];
  };

  const placementsOf = new Map<string, { at: number; status: string; employer: string }[]>();
  for (const p of a.placements) {
    const list = placementsOf.get(p.worker.id) ?? [];
    list.push({ at: p.createdAt, status: p.status, employer: p.post.employer.name });
    placementsOf.set(p.worker.id, list);
  }

  for (const w of a.workers) {
    if (w.hardship <= 0) continue;
    // Recorded at the desk soon after registration, with the person's consent; without a record there is no tier.
    const recAt = w.status === 'active' ? slotFrom(w.regDay, w.regAt + 5 * MIN) : null;
    if (recAt === null) {
      w.hardship = 0;
      continue;
    }
    const cats = categoriesFor(w);
    const actor = w.regBy.id === m.desk.id || w.regBy.id === m.manager.id || w.regBy.id === m.admin.id ? w.regBy : m.desk;
    const recordId = uuidv7(ids, recAt);
    hardshipRows.push({
      id: recordId, ...base, worker_id: w.id,
      data_enc: ctx.pii.encrypt(JSON.stringify({ categories: cats, evidence: rng.pick(['已查验相关证件原件', '本人陈述，社区证明已核', '已查验残疾人证/低保证', '']) })),
      consent_at: iso(recAt), recorded_by: actor.id, created_at: iso(recAt), updated_at: iso(recAt),
    });
    // As the service writes it: that a record was made and its id, never the tier or the categories.
    ev(recAt, 'hardship_record', 'Worker', w.id, actor, { workerId: w.id, recordId, change: 'recorded', consent: true });
    // Today's tier, as the daily job computes it (R-B9): the ranking reads this column.
    w.hardship = hardshipTier(cats, waitingDays(w.regDay, w.lastWorked, ctx.today));

    if (!rng.chance(0.75)) continue;
    // Two minutes after the record, but never after now (a record made in the last minutes of today: the plan right after it).
    const openedAt = Math.min(recAt + 2 * MIN, Math.max(recAt + 1, ctx.now - 1));
    const plan: Plan = {
      id: uuidv7(ids, openedAt), worker: w, openedAt, status: 'active', steps: [], guidance: 0, training: 0, outside: 0, completedAt: null,
      lastFollowUp: null, closedAt: null, closedBy: null, stableEmployer: null, neglected: rng.chance(0.25),
    };
    plans.push(plan);
    planWorkers.add(w.id);
    ev(openedAt, 'assistance_plan', 'AssistancePlan', plan.id, actor, { planId: plan.id, workerId: w.id, step: 'opened', package: { guidance: PKG.guidance, referrals: PKG.referrals, training: PKG.training } });
    const openedDay = shanghaiDayOf(openedAt);
    const referralsAt = (t: number) => (placementsOf.get(w.id) ?? []).filter((p) => p.status !== 'cancelled' && p.at >= dayStart(openedDay) && p.at <= t).length;
    const done = (t: number) => packageDone(PKG, { guidance: plan.guidance, referrals: referralsAt(t) + plan.outside, training: plan.training });
    /** After each assistance write the API checks the package (refreshCompletion). */
    const check = (t: number, by: StaffRef) => {
      if (plan.status !== 'active' || !done(t)) return;
      plan.status = 'package_complete';
      plan.completedAt = t + 1;
      ev(t + 1, 'assistance_plan', 'AssistancePlan', plan.id, by, { planId: plan.id, workerId: w.id, step: 'package_complete', done: { guidance: plan.guidance, referrals: referralsAt(t) + plan.outside, training: plan.training } });
    };
    const step = (t: number, kind: 'referral' | 'training' | 'follow_up', by: StaffRef, extra: Row) => {
      const id = uuidv7(ids, t);
      plan.steps.push({
        id, ...base, plan_id: plan.id, kind, occurred_at: iso(t), note: String(extra['note']), course_name: extra['courseName'] ?? null,
        referred_to: extra['referredTo'] ?? null, outcome: extra['outcome'] ?? null, employer_name: extra['employerName'] ?? null, created_by: by.id, created_at: iso(t),
      });
      ev(t, 'assistance_step', 'AssistancePlan', plan.id, by, {
        planId: plan.id, stepId: id, workerId: w.id, kind, occurredAt: iso(t),
        ...(kind === 'training' ? { courseName: extra['courseName'] } : {}), ...(kind === 'follow_up' ? { outcome: extra['outcome'] } : {}),
      });
    };

    // The package: guidance first, training within a month, outside referrals when the desk found too few.
    const items: { at: number; what: 'guidance' | 'training' | 'referral' | 'follow_up' }[] = [];
    const g = slotFrom(addDays(openedDay, rng.int(0, 6)), openedAt);
    if (g !== null) items.push({ at: g, what: 'guidance' });
    if (!plan.neglected) {
      const tr = slotFrom(addDays(openedDay, rng.int(7, 35)), openedAt);
      if (tr !== null) items.push({ at: tr, what: 'training' });
      for (let i = 0; i < 3; i++) {
        const r = slotFrom(addDays(openedDay, rng.int(3, 50)), openedAt);
        if (r !== null && rng.chance(0.5)) items.push({ at: r, what: 'referral' });
      }
    }
    // Follow-ups about every 30 days (a neglected plan gets at most the first).
    for (let d = 28 + rng.int(0, 4); ; d += 28 + rng.int(0, 5)) {
      const t = slotFrom(addDays(openedDay, d), openedAt);
      if (t === null || (plan.neglected && d > 35)) break;
      items.push({ at: t, what: 'follow_up' });
    }
    items.sort((x, y) => x.at - y.at);
    for (const it of items) {
      if (plan.status === 'stable_employment') break;
      const by = rng.chance(0.8) ? m.desk : m.manager;
      if (it.what === 'guidance') {
        plan.guidance++;
        service(it.at, 'vocational_guidance', { workerId: w.id }, by);
        check(it.at, by);
      } else if (it.what === 'training') {
        plan.training++;
        step(it.at, 'training', by, { note: '已报名参加免费技能培训', courseName: rng.pick(COURSES) });
        check(it.at, by);
      } else if (it.what === 'referral') {
        if (referralsAt(it.at) + plan.outside >= PKG.referrals) continue;
        plan.outside++;
        step(it.at, 'referral', by, { note: '电话推荐面试', referredTo: `${COUNTY_NAMES[m.regionCode] ?? ''}${rng.pick(['城市管理局环卫所', '某物业服务有限公司', '某家政服务中心', '某农业合作社'])}` });
        check(it.at, by);
      } else {
        const worked = (placementsOf.get(w.id) ?? []).some((p) => p.status === 'completed' && p.at >= it.at - 30 * 24 * 60 * MIN && p.at <= it.at);
        const stable = plan.status === 'package_complete' && rng.chance(0.3);
        const employerName = stable ? ((placementsOf.get(w.id) ?? []).find((p) => p.at <= it.at)?.employer ?? `${COUNTY_NAMES[m.regionCode] ?? ''}某物业服务有限公司`) : null;
        const outcome = stable ? 'stable_employment' : worked ? 'working_temporary' : 'still_seeking';
        step(it.at, 'follow_up', by, { note: stable ? '上门回访，已签订劳动合同' : worked ? '电话回访，近期有零工收入' : '电话回访，仍在求职', outcome, employerName });
        plan.lastFollowUp = shanghaiDayOf(it.at);
        if (stable) {
          plan.status = 'stable_employment';
          plan.closedAt = it.at;
          plan.closedBy = by;
          plan.stableEmployer = employerName;
          ev(it.at + 1, 'assistance_plan', 'AssistancePlan', plan.id, by, { planId: plan.id, workerId: w.id, step: 'stable_employment' });
        } else {
          check(it.at, by);
        }
      }
    }

    // 公益性岗位 for some of the hardest cases.
    if (w.hardship >= 2 && rng.chance(0.15) && plan.status !== 'stable_employment') {
      const t = slotFrom(addDays(openedDay, rng.int(10, 60)), openedAt);
      if (t !== null) {
        const id = uuidv7(ids, t);
        const startOn = addDays(shanghaiDayOf(t), rng.int(1, 7));
        const endOn = addDays(startOn, rng.pick([180, 364]));
        const postName = rng.pick(WELFARE_POSTS);
        welfareRows.push({
          id, ...base, worker_id: w.id, plan_id: plan.id, employer_name: `${COUNTY_NAMES[m.regionCode] ?? ''}${rng.pick(['城关镇人民政府', '青年路街道办事处', '城市管理局', '民政局'])}`,
          post_name: postName, start_on: startOn, end_on: endOn, note: '', created_by: m.manager.id, created_at: iso(t),
        });
        ev(t, 'public_welfare_post', 'Worker', w.id, m.manager, { placementId: id, workerId: w.id, planId: plan.id, postName, startOn, endOn });
      }
    }
  }

  // Everyday guidance and information at the desk (R-B12, R-B14): about one record a working day.
  const employers = a.employers.filter((e) => e.status === 'verified');
  const days = Array.from({ length: ctx.historyDays + 1 }, (_, i) => addDays(ctx.today, i - ctx.historyDays));
  for (const day of days) {
    const n = rng.count(ctx.historyDays === 0 ? 2 : 1.2);
    for (let i = 0; i < n; i++) {
      const t = slot(day);
      if (t === null) continue;
      const toEmployer = rng.chance(0.3);
      if (toEmployer) {
        const e = employers.filter((x) => (x.verifiedAt ?? Infinity) < t);
        if (!e.length) continue;
        service(t, rng.pick(EMPLOYER_KINDS), { employerId: rng.pick(e).id }, m.desk);
      } else {
        const ws = a.workers.filter((w) => w.regAt < t && w.status === 'active');
        if (!ws.length) continue;
        const w = rng.pick(ws);
        // Plan workers' guidance is counted by their plan above; here they get the other services.
        const kind = planWorkers.has(w.id) ? rng.pick(SERVICE_KINDS.filter((k) => k !== 'vocational_guidance')) : rng.pick(SERVICE_KINDS);
        service(t, kind, { workerId: w.id }, m.desk);
      }
    }
  }

  const planRows = plans.map((p) => {
    const openedDay = shanghaiDayOf(p.openedAt);
    const open = p.status === 'active' || p.status === 'package_complete';
    return {
      id: p.id, ...base, worker_id: p.worker.id, status: p.status, goal: '实现稳定就业', note: '', pkg_guidance: PKG.guidance, pkg_referrals: PKG.referrals,
      pkg_training: PKG.training, follow_up_days: PKG.followUpDays, behind_days: PKG.behindDays, opened_at: iso(p.openedAt), opened_by: m.desk.id,
      package_completed_at: p.completedAt ? iso(p.completedAt) : null,
      next_follow_up_on: open ? addDays(p.lastFollowUp ?? openedDay, PKG.followUpDays) : null, last_follow_up_on: p.lastFollowUp,
      closed_at: p.closedAt ? iso(p.closedAt) : null, closed_by: p.closedBy?.id ?? null, close_reason: null, stable_employer: p.stableEmployer,
    };
  });
  a.extraRows.push(
    { table: 'hardship_records', rows: hardshipRows },
    { table: 'assistance_plans', rows: planRows },
    { table: 'assistance_steps', rows: plans.flatMap((p) => p.steps) },
    { table: 'public_welfare_posts', rows: welfareRows },
    { table: 'service_records', rows: serviceRows },
  );
};
