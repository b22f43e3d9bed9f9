import { z } from 'zod';
import type { LedgerKind } from './ledger';
import { dayWageFen } from './jobs';
import { occupationOf } from './occupations';
import { commaList } from './text';

/**
 * The KPI catalogue (issue 13; DESIGN.md "Figures, reports and oversight"). Every figure an operator
 * is assessed or paid on is computed from sealed work-log days (R-C1) in two steps, both here and
 * both pure:
 *
 * 1. `metricsOfEntry` decides, for one work-log entry (its effective payload: corrections applied),
 *    which base METRICS it adds to and by how much. The rollup job folds every entry of a sealed day
 *    through it into fact rows, remembering the entry's seq, so a figure's drill-down lists exactly
 *    the entries that produced it.
 * 2. `computeKpi` turns the period's aggregates (sums, histograms, distinct counts, day facts) into
 *    each KPI's value.
 *
 * `official: false` marks a definition that is ours, not one written in a notice; the `basis` says
 * where an official definition comes from or why ours was chosen.
 */

/** Base metrics the rollup counts per entry (one fact row per market, day, metric and dimensions). */
export const METRICS = [
  'registrations', 'check_ins', 'posts_published', 'headcount_demanded', 'recommendations', 'hires_confirmed',
  'hires_started', 'settlements', 'non_payment_reports', 'post_day_wage', 'hardship_placed', 'packages_opened',
  'packages_completed', 'training_attendances', 'training_completions', 'guidance_services', 'tool_loans', 'events_held',
  'complaints_closed', 'complaints_closed_on_time', 'complaint_callbacks', 'complaint_satisfied', 'notice_breaches',
  // Cohort metrics (their fact rows carry the cohort's day, see COHORT_METRICS): settlements and non-payment reports of a
  // hire by the business day the hire started, completed 1-3-1 packages by the day the plan opened, closed posts by the
  // day the post was published (with minus its headcount, for the effective 求人倍率's open demand).
  'hires_settled', 'hires_unpaid', 'plans_completed', 'demand_closed',
  // The monthly report's carried-over demand (issue 14 §3): a post's headcount while it is open, as a running balance keyed by
  // the day the post expires (bucket, `epochDay`): + on publication, − when withdrawn or filled, + again when a release reopens a
  // filled post. Summed over the entries before a day, for posts expiring on or after it: the headcount open at that day's start.
  'demand_open',
  // Outcomes on third-party platforms (R-E8; issue 18 §3), counted apart from the desk's: persons hired, started, settled there.
  'platform_hires', 'platform_starts', 'platform_settlements',
] as const;
export type Metric = (typeof METRICS)[number];
/**
 * Metrics counted by cohort: each fact row stores, besides the business day of its entry, the cohort day
 * (the day the hire started, the plan opened, the post was published). A period counts the rows of
 * entries recorded in the period whose cohort day is in the period too — "of the hires started in the
 * period, those settled by its end" — so a rate over a cohort never exceeds 100 %. For every other
 * metric the cohort day is the entry's own business day.
 */
export const COHORT_METRICS: readonly Metric[] = ['hires_settled', 'hires_unpaid', 'plans_completed', 'demand_closed'];
/** Days since 1970-01-01 of a YYYY-MM-DD day: the bucket of `demand_open` rows (the post's expiry day). */
export const epochDay = (day: string): number => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
/** The effective 求人倍率 reads the last N days up to the period's end (open posts published in them, seekers seen in them). */
export const EFFECTIVE_WINDOW_DAYS = 30;

/** An entry as the rollup sees it: kind and effective payload (the original merged with its corrections). */
export interface RollupEntry { seq: number; kind: string; payload: Record<string, unknown> }

/** What the rollup looks up for an entry beyond its own payload (through the ledger and declared read models). */
export interface EntryContext {
  /** The effective payload of the post's `post_submitted` entry (occupation, headcount, wage), by post id. */
  postSubmission(postId: string): { occupation?: string; headcount?: number; wageFen?: number; wageUnit?: string } | undefined;
  /** Whether an earlier `notice` step of the same complaint exists before this entry's seq. */
  hadEarlierNotice(complaintId: string, seq: number): boolean;
  /** The business day of a cohort's first entry in this market: the placement's `hire_started`, the plan's `opened`, the post's `post_published`. */
  cohortDay?(of: 'placement' | 'plan' | 'post', id: string): string | undefined;
  /** The Asia/Shanghai day a post expires (its `expires_at`), by post id: the bucket of its `demand_open` rows. */
  postExpiryDay?(postId: string): string | undefined;
}

export interface MetricHit { metric: Metric; value: number; bucket?: number; occupation?: string | null; cohortDay?: string }

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * The metrics one entry adds to, read from its effective payload (the fields CORRECTABLE_FIELDS lets a
 * correction change, laid over the original). Entries written from a state change are not correctable,
 * so a figure follows the business rows it records (docs/ledger.md "Corrections").
 */
export function metricsOfEntry(e: RollupEntry, ctx: EntryContext): MetricHit[] {
  const p = e.payload;
  const one = (metric: Metric, occupation: string | null = null): MetricHit => ({ metric, value: 1, occupation });
  /** The post's headcount × sign as a `demand_open` row of the entry's day (bucket: the post's expiry day), if both are known. */
  const openDemand = (postId: string, sign: 1 | -1): MetricHit | null => {
    const sub = ctx.postSubmission(postId);
    const expiry = ctx.postExpiryDay?.(postId);
    const headcount = num(sub?.headcount);
    if (!expiry || !headcount) return null;
    return { metric: 'demand_open', value: sign * headcount, bucket: epochDay(expiry), occupation: str(sub?.occupation) ?? null };
  };
  const withOpen = (hits: MetricHit[], open: MetricHit | null) => (open ? [...hits, open] : hits);
  const postOcc = () => {
    const id = str(p['postId']);
    return (id && str(ctx.postSubmission(id)?.occupation)) || null;
  };
  switch (e.kind as LedgerKind) {
    case 'registration': return [one('registrations')];
    case 'check_in': return [one('check_ins')];
    case 'post_published': {
      const sub = ctx.postSubmission(String(p['postId'] ?? ''));
      const occupation = str(sub?.occupation) ?? null;
      const hits: MetricHit[] = [one('posts_published', occupation), { metric: 'headcount_demanded', value: num(sub?.headcount) ?? 0, occupation }];
      const open = openDemand(String(p['postId'] ?? ''), 1);
      if (open) hits.push(open);
      const unit = str(sub?.wageUnit);
      const wage = num(sub?.wageFen);
      const day = wage !== undefined && (unit === 'hour' || unit === 'day' || unit === 'month' || unit === 'piece') ? dayWageFen(wage, unit) : null;
      if (day !== null) hits.push({ metric: 'post_day_wage', value: 1, bucket: day, occupation });
      return hits;
    }
    case 'match': return [one('recommendations', postOcc())];
    // The hire that fills its post takes the post's headcount out of the open demand (the payload says so: `filled`).
    case 'hire_confirmed': return withOpen([one('hires_confirmed', postOcc())], p['filled'] === true ? openDemand(String(p['postId'] ?? ''), -1) : null);
    // A release of a confirmed hire that reopens a filled post puts it back (`reopened`).
    case 'no_show': case 'cancellation': return withOpen([], p['reopened'] === true ? openDemand(String(p['postId'] ?? ''), 1) : null);
    case 'hire_started': return [one('hires_started', postOcc())];
    case 'settlement': {
      // Counted for the settlement rate only when the hire's start is in the work log (its cohort).
      const started = ctx.cohortDay?.('placement', String(p['placementId'] ?? ''));
      return started ? [one('settlements', postOcc()), { ...one('hires_settled', postOcc()), cohortDay: started }] : [one('settlements', postOcc())];
    }
    case 'non_payment_report': {
      const started = ctx.cohortDay?.('placement', String(p['placementId'] ?? ''));
      return started ? [one('non_payment_reports'), { ...one('hires_unpaid'), cohortDay: started }] : [one('non_payment_reports')];
    }
    case 'post_closed': {
      const published = ctx.cohortDay?.('post', String(p['postId'] ?? ''));
      if (!published) return []; // withdrawn before it was published: never demanded
      const sub = ctx.postSubmission(String(p['postId'] ?? ''));
      // Withdrawn: out of the open demand from this day. Expired: its expiry day (the bucket) already says when it stopped counting.
      return withOpen([{ metric: 'demand_closed', value: -(num(sub?.headcount) ?? 0), occupation: str(sub?.occupation) ?? null, cohortDay: published }],
        p['reason'] === 'withdrawn' ? openDemand(String(p['postId'] ?? ''), -1) : null);
    }
    case 'public_welfare_post': return [one('hardship_placed')];
    // A platform's outcome (R-E8): its own metrics, so no desk figure (hires, starts, settlement rate) counts it.
    case 'platform_outcome': {
      const metric = ({ hire: 'platform_hires', start: 'platform_starts', settlement: 'platform_settlements' } as const)[String(p['step']) as 'hire'];
      return metric ? [{ metric, value: num(p['persons']) ?? 1, occupation: null }] : [];
    }
    case 'assistance_plan':
      if (p['step'] === 'stable_employment') return [one('hardship_placed')];
      if (p['step'] === 'opened') return [one('packages_opened')];
      if (p['step'] === 'package_complete') {
        const opened = ctx.cohortDay?.('plan', String(p['planId'] ?? ''));
        return opened ? [one('packages_completed'), { ...one('plans_completed'), cohortDay: opened }] : [one('packages_completed')];
      }
      return [];
    case 'training_attendance': return [one('training_attendances')];
    case 'training_completion': return p['step'] === 'completed' ? [one('training_completions')] : [];
    case 'guidance': return [one('guidance_services')];
    case 'tool_loan': return [one('tool_loans')];
    case 'event': return p['step'] === 'held' ? [one('events_held')] : [];
    case 'complaint_step': {
      if (p['step'] === 'closed') return p['late'] === true ? [one('complaints_closed')] : [one('complaints_closed'), one('complaints_closed_on_time')];
      if (p['step'] === 'callback') return p['satisfaction'] === 'satisfied' || p['satisfaction'] === 'basically' ? [one('complaint_callbacks'), one('complaint_satisfied')] : [one('complaint_callbacks')];
      // A later notice that asks for something the first did not breaks 一次性告知 (R-C2).
      if (p['step'] === 'notice' && (num(p['noticeAddedItems']) ?? 0) > 0 && ctx.hadEarlierNotice(String(p['complaintId'] ?? ''), e.seq)) return [one('notice_breaches')];
      return [];
    }
    default: return [];
  }
}

/** Industry: the occupation's category in the dictionary (the employer's own industry is not recorded). */
export function industryOf(occupation: string | null | undefined): string | null {
  return occupation ? (occupationOf(occupation)?.category ?? null) : null;
}

export const AGE_BANDS = ['16-24', '25-39', '40-49', '50-59', '60+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
/** A worker's age band on a day from the birth year (the only age the registry keeps for everyone). */
export function ageBandOf(birthYear: number | null | undefined, day: string): AgeBand | null {
  if (!birthYear) return null;
  const age = Number(day.slice(0, 4)) - birthYear;
  if (age < 16) return null;
  if (age < 25) return '16-24';
  if (age < 40) return '25-39';
  if (age < 50) return '40-49';
  if (age < 60) return '50-59';
  return '60+';
}

/** A period's aggregates, read from the rollups (or computed live for today, provisional). */
export interface KpiInputs {
  sums: Partial<Record<Metric, number>>;
  /** Value → how many, e.g. day wage in fen → posts. */
  histograms: Partial<Record<Metric, [number, number][]>>;
  /** Days in the period with at least one check-in (the market was open). */
  openDays: number;
  /** Distinct workers who checked in during the period (求人倍率's denominator). */
  distinctSeekers: number;
  /**
   * The effective 求人倍率's parts over the EFFECTIVE_WINDOW_DAYS days ending on the period's last day:
   * headcount of the posts published in the window and not closed (withdrawn or expired) by its end, and
   * distinct workers who checked in during the window.
   */
  openDemand: number; recentSeekers: number;
  /**
   * For each worker whose first start in the period came on or after a check-in in the period, the days between — as a
   * histogram [days, workers] (a province's period has tens of thousands of such workers; their median needs only the counts).
   */
  seeking: [number, number][];
  /** Business days in the period with at least one entry, of those sealed late (by the deadline job), and verification failures. */
  daysWithEntries: number; lateDays: number; verificationFailures: number;
  /** Staff assigned to the markets in scope (desk staff and managers). */
  staff: number; markets: number;
}

export type KpiUnit = 'count' | 'persons' | 'per_day' | 'ratio' | 'percent' | 'per_100' | 'fen' | 'days' | 'per_staff';
export type Formula =
  | { type: 'sum'; metric: Metric }
  | { type: 'ratio'; num: Metric; den: Metric; scale: number }
  | { type: 'per_open_day'; metric: Metric }
  | { type: 'median'; metric: Metric }
  | { type: 'demand_ratio' } | { type: 'effective_demand_ratio' } | { type: 'seeking_days' } | { type: 'timeliness' } | { type: 'late_days' }
  | { type: 'verification_failures' } | { type: 'staff_per_market' } | { type: 'seekers_per_staff' };

export interface KpiDef {
  code: string; zh: string; en: string;
  /** What it means, for a bureau official. */
  definitionZh: string; definitionEn: string;
  unit: KpiUnit; direction: 'up' | 'down' | 'none';
  kinds: LedgerKind[]; fields: string[];
  requirement: string[];
  official: boolean; basis: string;
  formula: Formula;
}

const COMPLAINT: LedgerKind[] = ['complaint_step'];
/** The catalogue. Codes are stable: reports, assessments and bookmarks keep them. */
export const KPIS: readonly KpiDef[] = [
  { code: 'registrations', zh: '求职登记人数', en: 'Registrations', definitionZh: '期间内新登记的零工人数（扫码、窗口、导入）。', definitionEn: 'Gig workers newly registered in the period (QR, desk or import).', unit: 'persons', direction: 'up', kinds: ['registration'], fields: [], requirement: ['R-B1', 'R-B3'], official: true, basis: '求职登记（000 一；003 (八) 实名制台账）', formula: { type: 'sum', metric: 'registrations' } },
  { code: 'service_visits', zh: '服务人次', en: 'Service visits', definitionZh: '期间内零工到场签到的人次，同一人多次到场计多次。', definitionEn: 'Check-ins at the market in the period; a worker who comes on several days counts each time.', unit: 'count', direction: 'up', kinds: ['check_in'], fields: [], requirement: ['R-B1', 'R-E6'], official: true, basis: '服务人次（运行统计监测，000 二）', formula: { type: 'sum', metric: 'check_ins' } },
  { code: 'posts_published', zh: '发布岗位数', en: 'Posts published', definitionZh: '期间内审核通过并发布的用工岗位数。', definitionEn: 'Job posts reviewed and published in the period.', unit: 'count', direction: 'up', kinds: ['post_published', 'post_submitted'], fields: ['postId'], requirement: ['R-B1', 'R-B6'], official: true, basis: '岗位信息发布（000 一）', formula: { type: 'sum', metric: 'posts_published' } },
  { code: 'headcount_demanded', zh: '招聘需求人数', en: 'Headcount demanded', definitionZh: '期间内发布岗位的招用人数合计（取岗位提交时的人数，已更正的以更正后为准）。', definitionEn: 'Sum of the headcount of the posts published in the period (as submitted, corrections applied).', unit: 'persons', direction: 'up', kinds: ['post_published', 'post_submitted'], fields: ['postId', 'headcount'], requirement: ['R-E3', 'R-E4'], official: true, basis: '需求人数（求人倍率的分子，001 §5）', formula: { type: 'sum', metric: 'headcount_demanded' } },
  { code: 'recommendations', zh: '撮合人次', en: 'Recommendations', definitionZh: '期间内工作人员向用工方推荐零工的次数。', definitionEn: 'Times staff recommended a worker to a post in the period.', unit: 'count', direction: 'up', kinds: ['match'], fields: ['postId'], requirement: ['R-B4'], official: true, basis: '撮合人次（即时快招，000 二）', formula: { type: 'sum', metric: 'recommendations' } },
  { code: 'hires_confirmed', zh: '达成就业意向人数', en: 'Hires confirmed', definitionZh: '期间内双方确认用工（达成就业意向）的人次。', definitionEn: 'Placements both parties confirmed in the period.', unit: 'persons', direction: 'up', kinds: ['hire_confirmed'], fields: ['postId'], requirement: ['R-B4'], official: true, basis: '达成就业意向（003 (二) 即时确认结果）', formula: { type: 'sum', metric: 'hires_confirmed' } },
  { code: 'hires_started', zh: '招聘成功人数（上岗）', en: 'Hires started', definitionZh: '期间内零工实际上岗的人次。', definitionEn: 'Placements where the worker started work in the period.', unit: 'persons', direction: 'up', kinds: ['hire_started'], fields: ['postId'], requirement: ['R-B4', 'R-E1'], official: true, basis: '招聘成功人数（000 九 市场名录）', formula: { type: 'sum', metric: 'hires_started' } },
  { code: 'daily_avg_hires', zh: '日均招聘成功人数', en: 'Daily average successful hires', definitionZh: '上岗人次 ÷ 期间内市场开市天数（有签到的天数）。', definitionEn: 'Hires started ÷ days the market was open (days with at least one check-in).', unit: 'per_day', direction: 'up', kinds: ['hire_started', 'check_in'], fields: [], requirement: ['R-E1'], official: true, basis: '名录字段“日均招聘成功人数”（000 九）；“开市天数”以有签到的营业日计，为本平台口径', formula: { type: 'per_open_day', metric: 'hires_started' } },
  { code: 'match_success_rate', zh: '撮合成功率', en: 'Match success rate', definitionZh: '达成就业意向人次 ÷ 撮合人次。', definitionEn: 'Hires confirmed ÷ recommendations.', unit: 'percent', direction: 'up', kinds: ['hire_confirmed', 'match'], fields: [], requirement: ['R-E3'], official: false, basis: '本平台口径：通知要求分析匹配结果（001 §5），未给出公式', formula: { type: 'ratio', num: 'hires_confirmed', den: 'recommendations', scale: 100 } },
  { code: 'demand_supply_ratio', zh: '求人倍率', en: 'Jobs-to-applicants ratio (求人倍率)', definitionZh: '期间内发布岗位的需求人数 ÷ 期间内到场求职的不同零工人数（新增需求口径）。', definitionEn: 'Headcount of the posts published in the period ÷ distinct workers who checked in during the period (new-demand form).', unit: 'ratio', direction: 'none', kinds: ['post_published', 'post_submitted', 'check_in'], fields: ['headcount', 'workerId'], requirement: ['R-E4'], official: true, basis: '求人倍率 = 需求人数 ÷ 求职人数（人社部公共就业服务机构市场供求状况分析）；按月发布（001 §5）', formula: { type: 'demand_ratio' } },
  { code: 'effective_demand_ratio', zh: '有效求人倍率', en: 'Effective jobs-to-applicants ratio', definitionZh: '截至期末的近 30 天内：发布且到期末仍未关闭（撤回或过期）的岗位的需求人数 ÷ 近 30 天内到场求职的不同零工人数。反映期末时点的供求，不随期间长短变化。', definitionEn: 'Over the 30 days ending on the period’s last day: headcount of the posts published in them and not closed (withdrawn or expired) by that day ÷ distinct workers who checked in during them. The balance at the period’s end, whatever the period’s length.', unit: 'ratio', direction: 'none', kinds: ['post_published', 'post_submitted', 'post_closed', 'check_in'], fields: ['headcount', 'postId', 'workerId'], requirement: ['R-E4'], official: false, basis: '求人倍率（人社部供求分析）的存量口径：有效需求与近期求职者；30 天窗口与“仍有效”以撤回、过期为准为本平台口径（已招满的岗位在过期前仍计入）', formula: { type: 'effective_demand_ratio' } },
  { code: 'median_day_wage', zh: '日工资中位数', en: 'Median day-equivalent wage', definitionZh: '期间内发布岗位的日工资中位数：时薪 × 8，月薪 ÷ 21.75，计件不计；可按工种查看。', definitionEn: 'Median day-equivalent wage of the posts published: hourly × 8, monthly ÷ 21.75, piece rates left out; by occupation.', unit: 'fen', direction: 'none', kinds: ['post_published', 'post_submitted'], fields: ['wageFen', 'wageUnit', 'occupation'], requirement: ['R-E3', 'R-E4', 'R-E5'], official: false, basis: '折算口径见劳社部发〔2008〕3号（月计薪天数 21.75）；通知要求发布平均工资（001 §5），中位数为本平台口径，抗极端值', formula: { type: 'median', metric: 'post_day_wage' } },
  { code: 'settlement_rate', zh: '日结率', en: 'Settlement rate', definitionZh: '期间内上岗的人次中，到期末已登记日结的人次所占比例（按上岗批次计：期间内上岗、且在期末前日结）。不超过 100%。', definitionEn: 'Of the hires started in the period, the share settled (日结 recorded) by the end of the period (a cohort: settlements of earlier hires do not count). Never above 100 %.', unit: 'percent', direction: 'up', kinds: ['settlement', 'hire_started'], fields: ['placementId'], requirement: ['R-B5'], official: false, basis: '本平台口径：日结为零工主要结算方式（003 (二)）；按上岗批次、截至期末计，已结束期间的数值不随之后的日结变化', formula: { type: 'ratio', num: 'hires_settled', den: 'hires_started', scale: 100 } },
  { code: 'non_payment_per_100', zh: '欠薪报告（每百人次上岗）', en: 'Non-payment reports per 100 hires', definitionZh: '期间内上岗的人次中，到期末已报告欠薪的人次 ÷ 期间内上岗人次 × 100（按上岗批次计；每次用工最多报告一次）。', definitionEn: 'Of the hires started in the period, those reported unpaid by the end of the period, per 100 hires started (a cohort; one report per placement at most).', unit: 'per_100', direction: 'down', kinds: ['non_payment_report', 'hire_started'], fields: ['placementId'], requirement: ['R-B8', 'R-D2'], official: false, basis: '本平台口径：欠薪移送劳动监察（004 附件2 第十二条）；按上岗批次、截至期末计，期末后才报告的欠薪计入较长期间', formula: { type: 'ratio', num: 'hires_unpaid', den: 'hires_started', scale: 100 } },
  { code: 'job_seeking_days', zh: '求职时长（中位数）', en: 'Job-seeking duration (median)', definitionZh: '期间内首次签到到首次上岗的天数中位数（只计期间内上岗的人）。', definitionEn: 'Median days from a worker’s first check-in in the period to the first start in the period (workers who started).', unit: 'days', direction: 'down', kinds: ['check_in', 'hire_started'], fields: ['workerId'], requirement: ['R-E5', 'R-B9'], official: false, basis: '通知要求分析求职时长（001 江苏 四），未给出公式；本平台口径', formula: { type: 'seeking_days' } },
  { code: 'hardship_placed', zh: '困难零工就业安置人数', en: 'Hardship workers placed', definitionZh: '援助计划因稳定就业结束的人数，加公益性岗位安置人数。', definitionEn: 'Assistance plans closed by stable employment plus placements in public-welfare posts.', unit: 'persons', direction: 'up', kinds: ['assistance_plan', 'public_welfare_post'], fields: ['step'], requirement: ['R-B9'], official: false, basis: '困难零工分级服务、公益性岗位安置（000 四；003 (四)）；计数口径为本平台', formula: { type: 'sum', metric: 'hardship_placed' } },
  { code: 'package_131_completion', zh: '“131”服务包完成率', en: '1-3-1 package completion', definitionZh: '期间内新开的援助计划中，到期末已完成“1次职业指导、3次岗位推荐、1次技能培训”的计划所占比例（按开计划批次计）。不超过 100%；服务包需数周完成，宜按季度或年度查看。', definitionEn: 'Of the assistance plans opened in the period, the share whose 1 guidance, 3 referrals and 1 training were completed by the end of the period (a cohort). Never above 100 %; a package takes weeks, so read it over a quarter or a year.', unit: 'percent', direction: 'up', kinds: ['assistance_plan'], fields: ['step', 'planId'], requirement: ['R-B9'], official: false, basis: '“131”服务（004 附件6）；比率为本平台口径（按开计划批次、截至期末）', formula: { type: 'ratio', num: 'plans_completed', den: 'packages_opened', scale: 100 } },
  { code: 'training_attendances', zh: '培训签到人次', en: 'Training attendances', definitionZh: '期间内培训课次的签到人次。', definitionEn: 'Attendances signed at training sessions in the period.', unit: 'count', direction: 'up', kinds: ['training_attendance'], fields: [], requirement: ['R-B10'], official: true, basis: '培训台账（004 附件5）', formula: { type: 'sum', metric: 'training_attendances' } },
  { code: 'training_completions', zh: '培训结业人数', en: 'Training completions', definitionZh: '期间内达到学时要求结业的人数。', definitionEn: 'Enrolments completed (required hours attended) in the period.', unit: 'persons', direction: 'up', kinds: ['training_completion'], fields: ['step'], requirement: ['R-B10'], official: true, basis: '培训台账（004 附件5）', formula: { type: 'sum', metric: 'training_completions' } },
  { code: 'guidance_services', zh: '指导服务人次', en: 'Guidance services', definitionZh: '期间内职业指导、政策咨询、合同签订指导、维权指导等服务记录数。', definitionEn: 'Vocational guidance, policy advice, contract and rights guidance recorded in the period.', unit: 'count', direction: 'up', kinds: ['guidance'], fields: [], requirement: ['R-B12', 'R-B14'], official: true, basis: '职业指导、政策咨询（000；001 §2）', formula: { type: 'sum', metric: 'guidance_services' } },
  { code: 'tool_loans', zh: '工具借用次数', en: 'Tool loans', definitionZh: '期间内签字借出工具的次数。', definitionEn: 'Tools lent out against a signature in the period.', unit: 'count', direction: 'up', kinds: ['tool_loan'], fields: [], requirement: ['R-B11'], official: true, basis: '工具租赁台账（004 附件4）', formula: { type: 'sum', metric: 'tool_loans' } },
  { code: 'events_held', zh: '专场活动场次', en: 'Events held', definitionZh: '期间内标记为已举办的招聘会、夜市、大篷车、直播带岗场次。', definitionEn: 'Job fairs, night markets, caravans and live-streamed recruiting marked held in the period.', unit: 'count', direction: 'up', kinds: ['event'], fields: ['step'], requirement: ['R-B13'], official: true, basis: '专场招聘、夜市、大篷车、直播带岗（000 二；003 (一)）', formula: { type: 'sum', metric: 'events_held' } },
  { code: 'complaints_on_time', zh: '投诉按时办结率', en: 'Complaints closed on time', definitionZh: '期间内按期办结的投诉 ÷ 期间内办结的投诉（来自已日结的工作日志，只计已办结的）。不同于投诉监督看板的“按期率（计入超期未结）”：后者把此刻已超期仍未办结的投诉也计入分母。', definitionEn: 'Complaints closed within their deadline ÷ complaints closed in the period (from the sealed work log; closed complaints only). Not the complaints board\'s “On-time rate (open overdue counted)”, whose denominator also counts complaints open past their deadline now.', unit: 'percent', direction: 'up', kinds: COMPLAINT, fields: ['step', 'late'], requirement: ['R-C2', 'R-D2'], official: true, basis: '限时办结（001 §6；004 附件3）', formula: { type: 'ratio', num: 'complaints_closed_on_time', den: 'complaints_closed', scale: 100 } },
  { code: 'complaint_satisfaction', zh: '投诉回访满意率', en: 'Complaint satisfaction', definitionZh: '回访“满意”或“基本满意”的次数 ÷ 回访次数。', definitionEn: 'Call-backs answered satisfied or basically satisfied ÷ call-backs.', unit: 'percent', direction: 'up', kinds: COMPLAINT, fields: ['step', 'satisfaction'], requirement: ['R-D3'], official: false, basis: '“零投诉”目标（004 附件3）；满意率含基本满意，为本平台口径', formula: { type: 'ratio', num: 'complaint_satisfied', den: 'complaint_callbacks', scale: 100 } },
  { code: 'notice_breaches', zh: '违反一次性告知次数', en: 'One-time-notice breaches', definitionZh: '同一投诉再次告知时要求了首次未告知的材料的次数。', definitionEn: 'Later notices on the same complaint that asked for something the first did not.', unit: 'count', direction: 'down', kinds: COMPLAINT, fields: ['step', 'noticeAddedItems', 'complaintId'], requirement: ['R-C2'], official: true, basis: '一次性告知（001 §6；004 附件3）', formula: { type: 'sum', metric: 'notice_breaches' } },
  { code: 'log_timeliness', zh: '台账按时日结率', en: 'Work-log timeliness', definitionZh: '按时日结的天数 ÷ 有记录的天数（由截止任务代为日结的为逾期）。', definitionEn: 'Days sealed on time ÷ days with entries (a day sealed by the deadline job is late).', unit: 'percent', direction: 'up', kinds: [], fields: [], requirement: ['R-C1', 'R-E6'], official: false, basis: '工作日志台账制度（001 §6）；按时口径为本平台', formula: { type: 'timeliness' } },
  { code: 'log_late_days', zh: '逾期日结天数', en: 'Late-sealed days', definitionZh: '有记录但未在截止前由市场日结、由系统代为日结的天数。', definitionEn: 'Days with entries that the market did not seal before the deadline (sealed by the deadline job).', unit: 'days', direction: 'down', kinds: [], fields: [], requirement: ['R-C1'], official: false, basis: '本平台口径', formula: { type: 'late_days' } },
  { code: 'log_verification_failures', zh: '台账校验失败次数', en: 'Verification failures', definitionZh: '夜间校验发现哈希链、封存签名或县级回执不一致的天数。', definitionEn: 'Sealed days whose chain, seal signature or county receipt failed the nightly verification.', unit: 'count', direction: 'down', kinds: [], fields: [], requirement: ['R-C1', 'R-F1'], official: false, basis: '本平台口径（防篡改校验）', formula: { type: 'verification_failures' } },
  { code: 'platform_hires', zh: '第三方平台达成用工人数', en: 'Hires on third-party platforms', definitionZh: '期间内第三方零工平台经数据接口报送的达成用工人数（单独计数，不计入本市场的撮合与上岗数）。', definitionEn: 'Persons hired on third-party gig platforms in the period, as the platforms reported them through the signed interface (counted apart from the desk’s hires).', unit: 'persons', direction: 'up', kinds: ['platform_outcome'], fields: ['step', 'persons'], requirement: ['R-E8'], official: false, basis: '第三方平台数据对接（001 江苏 五）；按来源分开计数为本平台口径', formula: { type: 'sum', metric: 'platform_hires' } },
  { code: 'platform_starts', zh: '第三方平台上岗人数', en: 'Starts on third-party platforms', definitionZh: '期间内第三方零工平台报送的上岗人数（单独计数）。', definitionEn: 'Persons who started work through third-party platforms in the period, as reported (counted apart).', unit: 'persons', direction: 'up', kinds: ['platform_outcome'], fields: ['step', 'persons'], requirement: ['R-E8'], official: false, basis: '第三方平台数据对接（001 江苏 五）；本平台口径', formula: { type: 'sum', metric: 'platform_starts' } },
  { code: 'platform_settlements', zh: '第三方平台结算人次', en: 'Settlements on third-party platforms', definitionZh: '期间内第三方零工平台报送的工资结算人次（单独计数）。', definitionEn: 'Wage settlements on third-party platforms in the period, by persons, as reported (counted apart).', unit: 'persons', direction: 'up', kinds: ['platform_outcome'], fields: ['step', 'persons'], requirement: ['R-E8'], official: false, basis: '第三方平台数据对接（001 江苏 五）；本平台口径', formula: { type: 'sum', metric: 'platform_settlements' } },
  { code: 'staff_per_market', zh: '每个市场工作人员数', en: 'Staff per market', definitionZh: '分配到市场的工作人员数 ÷ 市场数（当前配置）。', definitionEn: 'Staff assigned to the markets ÷ markets (current assignment).', unit: 'persons', direction: 'none', kinds: [], fields: [], requirement: ['R-A5'], official: false, basis: '工作人员与服务规模相适应（001 §7）；本平台口径', formula: { type: 'staff_per_market' } },
  { code: 'seekers_per_staff', zh: '人均服务零工数', en: 'Workers served per staff member', definitionZh: '期间内到场的不同零工人数 ÷ 工作人员数。', definitionEn: 'Distinct workers who checked in during the period ÷ staff assigned.', unit: 'per_staff', direction: 'none', kinds: ['check_in'], fields: ['workerId'], requirement: ['R-A5'], official: false, basis: '工作人员与服务规模相适应（001 §7）；本平台口径', formula: { type: 'seekers_per_staff' } },
];
export const KPI_CODES = KPIS.map((k) => k.code) as [string, ...string[]];
export function kpiOf(code: string): KpiDef | undefined {
  return KPIS.find((k) => k.code === code);
}
/** A KPI by a code already validated against the catalogue (the query schemas do that). */
export function requireKpi(code: string): KpiDef {
  const k = kpiOf(code);
  if (!k) throw new Error(`unknown KPI code ${code}`);
  return k;
}

/** The metric whose entries a KPI's figure (or one part of it) drills down to; null when the figure is not made of entries (see `drillSourceOf` for every KPI). */
export function drillMetricOf(k: KpiDef, part: 'value' | 'numerator' | 'denominator'): Metric | 'distinct_seekers' | null {
  const f = k.formula;
  switch (f.type) {
    case 'sum': case 'median': case 'per_open_day': return part === 'denominator' ? null : f.metric;
    case 'ratio': return part === 'denominator' ? f.den : f.num;
    case 'demand_ratio': return part === 'denominator' ? 'distinct_seekers' : 'headcount_demanded';
    case 'seekers_per_staff': return part === 'denominator' ? null : 'distinct_seekers';
    default: return null;
  }
}

/**
 * What a KPI's figure (or one part of it) drills down to. `facts`: the work-log entries of fact rows
 * (`window: 'effective'` reads the EFFECTIVE_WINDOW_DAYS days ending on the period's last day); `seekers`:
 * each distinct job seeker's first check-in; `seeking`: each counted worker's first start (the median of
 * their values is the figure); `days`: rolled-up market days (with entries, sealed on time,
 * sealed late, with verification failures); `staff`: staff assignments; `markets`: the markets in scope.
 */
export type DrillSource =
  | { type: 'facts'; metrics: Metric[]; window: 'period' | 'effective' }
  | { type: 'seekers'; window: 'period' | 'effective' }
  /** Job-seeking duration: each counted worker's first start, valued at the days since the first check-in. */
  | { type: 'seeking' }
  | { type: 'days'; which: 'with_entries' | 'on_time' | 'late' | 'failures' }
  | { type: 'staff' } | { type: 'markets' };
export function drillSourceOf(k: KpiDef, part: 'value' | 'numerator' | 'denominator'): DrillSource | null {
  const f = k.formula;
  const den = part === 'denominator';
  switch (f.type) {
    case 'sum': case 'median': case 'per_open_day': return den ? null : { type: 'facts', metrics: [f.metric], window: 'period' };
    case 'ratio': return { type: 'facts', metrics: [den ? f.den : f.num], window: 'period' };
    case 'demand_ratio': return den ? { type: 'seekers', window: 'period' } : { type: 'facts', metrics: ['headcount_demanded'], window: 'period' };
    case 'effective_demand_ratio': return den ? { type: 'seekers', window: 'effective' } : { type: 'facts', metrics: ['headcount_demanded', 'demand_closed'], window: 'effective' };
    case 'seekers_per_staff': return den ? { type: 'staff' } : { type: 'seekers', window: 'period' };
    case 'timeliness': return { type: 'days', which: den ? 'with_entries' : 'on_time' };
    case 'late_days': return den ? null : { type: 'days', which: 'late' };
    case 'verification_failures': return den ? null : { type: 'days', which: 'failures' };
    case 'staff_per_market': return den ? { type: 'markets' } : { type: 'staff' };
    case 'seeking_days': return den ? null : { type: 'seeking' };
  }
}

/** Values counted into a histogram [value, count] (in order of first appearance; `medianOf` sorts). */
export function histogramOf(values: Iterable<number>): [number, number][] {
  const h = new Map<number, number>();
  for (const v of values) h.set(v, (h.get(v) ?? 0) + 1);
  return [...h];
}

/** Median of a histogram (value → count); the mean of the two middle values for an even total. */
export function medianOf(hist: [number, number][]): number | null {
  const h = hist.filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = h.reduce((s, [, n]) => s + n, 0);
  if (!total) return null;
  const at = (k: number) => {
    let seen = 0;
    for (const [v, n] of h) { seen += n; if (seen > k) return v; }
    return h[h.length - 1][0];
  };
  return total % 2 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2;
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const ratio = (a: number, b: number, scale = 1) => (b > 0 ? round((a / b) * scale) : null);

/** One KPI's value from a period's aggregates; null where the denominator is zero or nothing was counted. */
export function computeKpi(k: KpiDef, a: KpiInputs): number | null {
  const s = (m: Metric) => a.sums[m] ?? 0;
  const f = k.formula;
  switch (f.type) {
    case 'sum': return s(f.metric);
    case 'ratio': return ratio(s(f.num), s(f.den), f.scale);
    case 'per_open_day': return ratio(s(f.metric), a.openDays);
    case 'median': { const m = medianOf(a.histograms[f.metric] ?? []); return m === null ? null : Math.round(m); }
    case 'demand_ratio': return ratio(s('headcount_demanded'), a.distinctSeekers);
    case 'effective_demand_ratio': return ratio(Math.max(a.openDemand, 0), a.recentSeekers);
    case 'seeking_days': return medianOf(a.seeking);
    case 'timeliness': return ratio(a.daysWithEntries - a.lateDays, a.daysWithEntries, 100);
    case 'late_days': return a.lateDays;
    case 'verification_failures': return a.verificationFailures;
    case 'staff_per_market': return ratio(a.staff, a.markets);
    case 'seekers_per_staff': return ratio(a.distinctSeekers, a.staff);
  }
}

export const ANALYTICS_SCOPES = ['market', 'operator', 'region'] as const;
const day = z.iso.date();
const period = { from: day, to: day };
const periodChecks = <T extends z.ZodType<{ from: string; to: string }>>(s: T) => s
  .refine((v) => v.from <= v.to, { message: 'bad_range', path: ['to'] })
  .refine((v) => Date.parse(v.to) - Date.parse(v.from) <= 366 * 86_400_000, { message: 'range_too_long', path: ['to'] });

/** `analytics_kpis`: a scope (a market, an operator or a region code; none = everything the caller sees), a period, KPI codes. */
export const kpiQuerySchema = periodChecks(z.object({
  ...period,
  marketId: z.uuid().optional(),
  operatorId: z.uuid().optional(),
  regionCode: z.string().regex(/^\d{2}(\d{2}){0,2}$/, { error: 'analytics_region_code' }).optional(),
  kpis: commaList(z.enum(KPI_CODES, { error: 'analytics_unknown_kpi' }), KPIS.length),
}));
export type KpiQuery = z.infer<typeof kpiQuerySchema>;

/** `analytics_drilldown`: the entries behind one figure (or its numerator or denominator). */
export const drilldownQuerySchema = periodChecks(z.object({
  ...period,
  kpi: z.enum(KPI_CODES, { error: 'analytics_unknown_kpi' }),
  part: z.enum(['value', 'numerator', 'denominator']).default('value'),
  marketId: z.uuid().optional(),
  operatorId: z.uuid().optional(),
  regionCode: z.string().regex(/^\d{2}(\d{2}){0,2}$/, { error: 'analytics_region_code' }).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
}));
export type DrilldownQuery = z.infer<typeof drilldownQuerySchema>;

/** Dimensions of the fact rows a figure can be broken down by (aggregates only: no person is identifiable). */
export const BREAKDOWN_DIMENSIONS = ['occupation', 'industry', 'gender', 'age_band'] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];
/**
 * Whether a KPI splits by the fact rows' dimensions: counts, ratios of counts and medians do; the
 * figures that read distinct workers, open days, seals or staff do not. Occupation and industry are set
 * on post, match and hire rows; gender and age band on rows about a worker; the rest fall under "".
 */
export function breaksDown(k: KpiDef): boolean {
  return k.formula.type === 'sum' || k.formula.type === 'ratio' || k.formula.type === 'median';
}

/** `analytics_breakdown`: one KPI's figure per value of one dimension, for a scope and a period. */
export const breakdownQuerySchema = periodChecks(z.object({
  ...period,
  kpi: z.enum(KPI_CODES, { error: 'analytics_unknown_kpi' }),
  by: z.enum(BREAKDOWN_DIMENSIONS, { error: 'analytics_unknown_dimension' }),
  marketId: z.uuid().optional(),
  operatorId: z.uuid().optional(),
  regionCode: z.string().regex(/^\d{2}(\d{2}){0,2}$/, { error: 'analytics_region_code' }).optional(),
}));
export type BreakdownQuery = z.infer<typeof breakdownQuerySchema>;
export interface BreakdownResult {
  kpi: string; by: BreakdownDimension; from: string; to: string; unit: KpiUnit; provisional: boolean;
  /** The figure for the whole scope (the parts of an additive KPI add up to it). */
  total: number | null;
  /** One row per dimension value ("" = not recorded), largest numerator first. */
  parts: { value: string; figure: number | null; numerator: number; denominator: number | null }[];
}

export const rollupRunSchema = z.strictObject({ marketId: z.uuid().optional(), from: day, to: day })
  .refine((v) => v.from <= v.to, { message: 'bad_range', path: ['to'] })
  .refine((v) => Date.parse(v.to) - Date.parse(v.from) <= 366 * 86_400_000, { message: 'range_too_long', path: ['to'] });

export interface KpiFigure {
  code: string; value: number | null; previous: number | null; unit: KpiUnit; direction: KpiDef['direction'];
  /** True when the period includes a day not yet sealed (computed live, may still change). */
  provisional: boolean;
}
export interface KpiResult {
  from: string; to: string; previousFrom: string; previousTo: string; markets: number;
  figures: KpiFigure[];
  /** Median day wage per occupation, for `median_day_wage`. */
  wageByOccupation?: { occupation: string; value: number | null; posts: number }[];
  /**
   * Whether the region pre-aggregates served the period: `days` the sums and day counts, `seekers` the distinct job seekers
   * (false: computed from the rows), `vector` the whole period from its stored row (a standard period, nothing unsealed in it).
   */
  aggregates?: { days: boolean; seekers: boolean; vector: boolean };
}
/** A work-log entry behind a figure (`value`: what it adds, e.g. a post's headcount; minus for a closed post's). */
export interface DrilldownItem {
  type: 'entry';
  marketId: string; marketName: string; businessDay: string; seq: number; kind: string; payload: Record<string, unknown>;
  effectivePayload: Record<string, unknown>; correctedBy: number[]; value: number; sealed: boolean;
  /** Display names of what the entry is about (worker masked as the caller's role requires), where known. */
  names?: DrilldownNames;
}
export interface DrilldownNames { worker?: string; employer?: string; post?: string; staff?: string }
/** A rolled-up market day behind a day-based figure (timeliness, late days, verification failures); links to the day view. */
export interface DrilldownDayItem {
  type: 'day';
  marketId: string; marketName: string; businessDay: string; sealedAt: string | null; late: boolean; entries: number;
  verificationFailures: number; value: number; sealed: true;
}
/** A staff assignment behind staff per market (as of the market's latest rolled-up day). */
export interface DrilldownStaffItem { type: 'staff'; marketId: string; marketName: string; businessDay: string; userId: string; staffName: string; value: 1 }
/** A market in scope (staff per market's denominator). */
export interface DrilldownMarketItem { type: 'market'; marketId: string; marketName: string; value: 1 }
export type AnyDrilldownItem = DrilldownItem | DrilldownDayItem | DrilldownStaffItem | DrilldownMarketItem;
