import { createHash } from 'node:crypto';
import {
  OCCUPATIONS, WORKER_FEE_WORDS, complianceCheck, dayWageFen, idCardFacts, occupationOf,
  type OccupationCategory, type ProhibitedItem, type RedFlag,
} from '@linggong/domain';
import {
  COUNTY_NAMES, REQUIREMENTS, Rng, SKILLS, TITLES, TOWNS, companyName, creditCode, cropOf, idNumber, mobile, personName, surname,
  uuidv7, village,
} from './demo-data';
import type { AppConfig, Pii } from '@linggong/api-core';

/**
 * 即时快招 demo activity (issue 4): a pure, seeded simulation of a market's days — registrations,
 * employers and their verification, job posts with review and red flags, daily check-ins with
 * weekday, holiday and seasonal patterns, recommendations through confirmation, start and 日结
 * settlement, no-shows, cancellations, non-payment reports, compliance refusals, disputes and a
 * removal with its appeal — and, for every one of those steps, the work-log event the API would have
 * appended (same kind, subject and payload as the services in libs/api/jobs and
 * libs/api/registry). Nothing here touches the database: tools/db/demo-ledger.ts writes the rows,
 * chains and seals the events. Times are Asia/Shanghai; nothing is dated after `now`.
 */

export interface StaffRef { id: string; username: string }

export interface ActivityMarket {
  key: string; id: string; tenantId: string; regionCode: string; name: string; type: 'comprehensive' | 'station';
  lat: number; lng: number;
  /** Who works the desk (registration, check-in, posts, recommendations, 日结). */
  desk: StaffRef;
  /** Who reviews posts, verifies employers, imposes sanctions and closes the day. */
  manager: StaffRef;
  /** The operator admin (third-party posts, appeal decisions, referrals). */
  admin: StaffRef;
}

export interface ActivityOptions {
  /** Asia/Shanghai date of `now`. */
  today: string;
  now: number;
  /** Days of history before today (0: today only, the fast variant for tests). */
  historyDays: number;
  /** Size factor for workers, employers and daily volume. */
  scale: number;
  hazards: ProhibitedItem[];
}

/** The public pages' actor (libs/api/jobs public.service.ts) and the system's (libs/domain SYSTEM_ACTOR). */
export const PUBLIC_ACTOR: StaffRef = { id: '00000000-0000-7000-8000-0000000000aa', username: 'public' };
export const SYSTEM_ACTOR_REF: StaffRef = { id: '00000000-0000-7000-8000-000000000000', username: 'system' };

export interface DemoEvent {
  at: number; order: number; kind: string; subjectType: string | null; subjectId: string | null; actor: StaffRef;
  payload: () => Record<string, unknown>;
}

export interface DemoWorker {
  id: string; name: string; mobile: string; idNumber: string | null; gender: 'male' | 'female' | null; birthDate: string | null;
  birthYear: number | null; occupations: string[]; skills: string[]; availability: string | null; homeArea: string | null;
  homeLat: number | null; homeLng: number | null; hardship: number; source: 'desk' | 'qr' | 'import'; regAt: number; regDay: string;
  regBy: StaffRef; propensity: number; noShowRisk: number; status: 'active' | 'removed'; completed: number; noShows: number;
  lastSeen: string | null; lastWorked: string | null; busyThrough: string | null; updatedAt: number;
  /** Removed from the market between these times (a removal later overturned). */
  removedFrom: number | null; removedUntil: number | null; special: string | null;
  /** Opted in to job push at registration (issue 18 §2; set by demo-board.ts). */
  jobPush?: boolean;
}
export interface DemoEmployer {
  id: string; kind: 'company' | 'individual'; name: string; creditCode: string | null; contactName: string; contactPhone: string;
  address: string; status: 'pending' | 'verified' | 'rejected'; evidence: string | null; verifiedBy: StaffRef | null; verifiedAt: number | null;
  regAt: number; regDay: string; verifyAt: number | null; verifyDay: string | null; decision: 'verified' | 'rejected' | null; createdBy: StaffRef;
  category: OccupationCategory; occupations: string[]; weight: number; bad: boolean; flagsAt: number[];
}
export interface DemoPost {
  id: string; employer: DemoEmployer; occupation: string; title: string; headcount: number; hired: number; wageFen: number;
  wageUnit: 'hour' | 'day' | 'piece' | 'month'; period: 'same_day' | 'days' | 'weeks'; periodCount: number; startDay: string; startAt: number;
  hours: number; place: string; requirements: string; skills: string[]; workerFeeFen: number; hazards: string[]; status: string;
  redFlags: RedFlag[]; reviewReason: string | null; reviewedBy: StaffRef | null; reviewedAt: number | null; expiresAt: number;
  source: 'desk' | 'third_party'; platform: string | null; externalId: string | null; createdBy: StaffRef; createdAt: number;
  decision: 'published' | 'rejected' | null; publishedAt: number | null; rejectedAt: number | null; expiredAt: number | null;
  withdrawnAt: number | null; lowball: boolean; cityPrefix: string; lat: number; lng: number; forced: string | null;
}
export interface DemoCheckIn {
  id: string; worker: DemoWorker; day: string; occupations: string[]; channel: 'desk' | 'qr'; status: 'waiting' | 'matched' | 'left';
  queueNumber: number; at: number; createdBy: StaffRef; taken: boolean;
}
export interface DemoPlacement {
  id: string; post: DemoPost; worker: DemoWorker; checkIn: DemoCheckIn | null; status: string; score: number | null;
  workerTokenHash: string; employerTokenHash: string; employerConfirmedAt: number | null; workerConfirmedAt: number | null;
  startedAt: number | null; completedAt: number | null; amountPaidFen: number | null; paidBy: string | null; paidAt: number | null;
  payMethod: string | null; noShowParty: 'worker' | 'employer' | null; cancelReason: string | null; nonPayment: boolean;
  recommendedBy: StaffRef; createdAt: number; updatedAt: number;
}
export interface DemoRefusal { id: string; worker: DemoWorker; post: DemoPost; rule: string; items: string[]; legalSource: string; actor: StaffRef; at: number }
export interface DemoSanction {
  id: string; worker: DemoWorker; placement: DemoPlacement | null; kind: 'dispute' | 'removal'; reason: string; notice: string; noticeAt: number;
  appealDeadline: number; status: string; appealStatement: string | null; appealedAt: number | null; decisionReason: string | null;
  decidedBy: StaffRef | null; decidedAt: number | null; createdBy: StaffRef;
}
export interface DemoFlag {
  id: string; employer: DemoEmployer; kind: 'non_payment' | 'wage_arrears_referral'; placement: DemoPlacement | null; amountOwedFen: number;
  workersAffected: number; description: string; referredTo: string | null; referredAt: number | null; createdBy: StaffRef; at: number;
}

export interface MarketActivity {
  market: ActivityMarket;
  workers: DemoWorker[]; employers: DemoEmployer[]; posts: DemoPost[]; checkIns: DemoCheckIn[]; placements: DemoPlacement[];
  refusals: DemoRefusal[]; sanctions: DemoSanction[]; flags: DemoFlag[]; events: DemoEvent[];
  /** Days to seal, in order, with their close (closedAt ≤ now). */
  seals: { day: string; closedAt: number; late: boolean; closedBy: StaffRef | null }[];
  /**
   * Rows of the other contexts' demo (assistance, training, tools …), inserted in this order after
   * the 即时快招 rows, in the same transaction; their work-log entries go into `events`.
   */
  extraRows: { table: string; rows: Record<string, unknown>[] }[];
}

/**
 * A context's demo over one market's simulated activity (registered in demo-seed.ts
 * SERVICE_SIMULATIONS). It pushes its rows to `a.extraRows` and its work-log entries to `a.events`.
 * The days are already sealed: an entry on a day before `today` must fall between 07:00 and 18:30
 * Asia/Shanghai (every seal closes after 19:00 or the next night), one on `today` before `now`.
 * With `historyDays` 0 (the test reset) only today exists.
 */
export interface ServiceSimContext { today: string; now: number; historyDays: number; pii: Pii; config: AppConfig }
export type ServiceSimulation = (a: MarketActivity, ctx: ServiceSimContext) => void;

// ── Calendar ───────────────────────────────────────────────────────────────────────────────────

const MINUTE = 60_000;
export const dayStart = (day: string) => Date.parse(`${day}T00:00:00+08:00`);
export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
export const shanghaiDayOf = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const weekdayOf = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
const monthOf = (day: string) => Number(day.slice(5, 7));
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/** Lunar new year's day (春节) and the Mid-Autumn Festival (中秋), for the seasonal pattern. */
const SPRING_FESTIVAL = ['2025-01-29', '2026-02-17', '2027-02-06', '2028-01-26', '2029-02-13', '2030-02-03'];
const MID_AUTUMN = ['2025-10-06', '2026-09-25', '2027-09-15', '2028-10-03', '2029-09-22', '2030-09-12'];

/** Mon–Fri busy, Saturday less, Sunday least: employers hire on working days. */
const WEEKDAY_FACTOR = [0.5, 1.12, 1.08, 1.04, 1.0, 0.95, 0.68];

/** How much of a normal day's traffic comes on this date (holidays; workers go home for the Spring Festival). */
export function holidayFactor(day: string): number {
  const md = day.slice(5);
  if (md >= '10-01' && md <= '10-07') return md <= '10-03' ? 0.35 : 0.55;
  if (md === '01-01' || (md >= '05-01' && md <= '05-03')) return 0.6;
  for (const sf of SPRING_FESTIVAL) {
    const d = daysBetween(sf, day);
    if (d >= -20 && d < -12) return 0.8;
    if (d >= -12 && d < -5) return 0.55;
    if (d >= -5 && d < 0) return 0.25;
    if (d >= 0 && d <= 6) return 0.05;
    if (d > 6 && d <= 15) return 0.3 + (d - 6) * 0.06;
  }
  for (const ma of MID_AUTUMN) if (Math.abs(daysBetween(ma, day)) <= 1) return 0.6;
  return 1;
}

/** Seasonal demand by occupation category and month (central Henan): harvests, building season, 双十一, 年货. */
const SEASON: Record<OccupationCategory, number[]> = {
  agriculture: [0.5, 0.4, 0.8, 1.0, 1.45, 1.55, 0.9, 0.85, 1.4, 1.5, 1.05, 0.6],
  construction: [0.5, 0.35, 1.0, 1.15, 1.1, 0.95, 0.75, 0.8, 1.1, 1.15, 1.0, 0.7],
  logistics: [1.25, 0.5, 0.9, 0.95, 1.0, 1.1, 0.95, 0.95, 1.0, 1.05, 1.4, 1.15],
  manufacturing: [1.1, 0.5, 0.9, 1.0, 1.0, 1.0, 0.95, 1.0, 1.15, 1.05, 1.05, 1.1],
  services: [1.1, 0.7, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.05, 1.1, 1.0, 1.05],
  domestic: [1.35, 0.6, 1.0, 1.0, 1.0, 0.95, 0.95, 0.95, 1.0, 1.0, 1.05, 1.2],
  hospitality: [1.25, 0.7, 0.9, 1.0, 1.15, 1.0, 0.9, 0.9, 1.05, 1.25, 1.0, 1.1],
  sales: [1.35, 0.6, 0.9, 0.9, 1.0, 1.1, 0.9, 0.9, 1.0, 1.1, 1.3, 1.15],
};
function season(category: OccupationCategory, day: string): number {
  let f = SEASON[category][monthOf(day) - 1];
  const md = day.slice(5);
  // The 双十一 peak for parcels is the first three weeks of November.
  if (category === 'logistics' && md >= '11-01' && md <= '11-20') f *= 1.15;
  return f;
}

// ── Market profiles ────────────────────────────────────────────────────────────────────────────

interface Profile { workers: number; employers: number; checkIns: number; mix: Record<string, number>; homeTown: string | null }
/**
 * What each demo market's gate looks like: 中牟 farms (garlic, strawberries, greenhouse vegetables)
 * and the Zhengzhou–Kaifeng logistics belt; 官渡 almost all farm work; 新郑 the airport economy zone's
 * warehouses, parcel hubs and factories; 龙湖 the university town's households, canteens and couriers;
 * 宜阳 building sites, orchards and workshops; 三乡 orchards and loading.
 */
const PROFILES: Record<string, Profile> = {
  'm-zhongmu': { workers: 380, employers: 46, checkIns: 46, homeTown: null, mix: {
    农业采摘工: 14, 大棚种植工: 8, 园林绿化工: 4, 养殖工: 2, 装卸搬运工: 11, 快递分拣员: 4, 仓库理货员: 4, 货车司机: 3, 外卖配送员: 1, 建筑小工: 10, 瓦工: 4, 木工: 3,
    钢筋工: 3, 电工: 2, 焊工: 2, 油漆工: 2, 水暖工: 1, 装修工: 3, 普工: 4, 包装工: 4, 缝纫工: 1, 质检员: 1, 保洁员: 5, 保安员: 2, 家政服务员: 4, 育婴员: 1,
    养老护理员: 1, 厨师: 1, 帮厨: 2, 餐厅服务员: 2, 促销员: 1, 会展搭建工: 1 } },
  'm-guandu': { workers: 170, employers: 20, checkIns: 18, homeTown: '官渡镇', mix: {
    农业采摘工: 30, 大棚种植工: 18, 养殖工: 5, 园林绿化工: 4, 装卸搬运工: 14, 建筑小工: 10, 瓦工: 3, 包装工: 6, 保洁员: 4, 家政服务员: 3, 帮厨: 2, 普工: 3 } },
  'm-xinzheng': { workers: 380, employers: 46, checkIns: 46, homeTown: null, mix: {
    装卸搬运工: 10, 快递分拣员: 12, 仓库理货员: 9, 货车司机: 4, 外卖配送员: 4, 普工: 12, 质检员: 4, 包装工: 5, 缝纫工: 2, 电工: 3, 焊工: 3, 建筑小工: 6,
    瓦工: 2, 木工: 2, 钢筋工: 2, 装修工: 2, 保安员: 4, 保洁员: 4, 餐厅服务员: 4, 帮厨: 2, 厨师: 2, 促销员: 2, 会展搭建工: 2, 家政服务员: 2, 农业采摘工: 2,
    园林绿化工: 2 } },
  'm-longhu': { workers: 170, employers: 20, checkIns: 18, homeTown: '龙湖镇', mix: {
    家政服务员: 14, 育婴员: 6, 养老护理员: 6, 保洁员: 12, 快递分拣员: 10, 外卖配送员: 8, 餐厅服务员: 8, 帮厨: 6, 厨师: 3, 保安员: 6, 促销员: 4, 装修工: 4,
    仓库理货员: 3 } },
  'm-yiyang': { workers: 380, employers: 46, checkIns: 46, homeTown: null, mix: {
    建筑小工: 14, 瓦工: 6, 木工: 5, 钢筋工: 5, 电工: 3, 焊工: 3, 油漆工: 3, 水暖工: 2, 装修工: 4, 农业采摘工: 10, 大棚种植工: 3, 园林绿化工: 4, 养殖工: 3,
    装卸搬运工: 7, 货车司机: 3, 普工: 5, 包装工: 3, 缝纫工: 2, 保洁员: 4, 保安员: 2, 家政服务员: 3, 养老护理员: 2, 厨师: 2, 帮厨: 2, 餐厅服务员: 2 } },
  'm-sanxiang': { workers: 170, employers: 20, checkIns: 18, homeTown: '三乡镇', mix: {
    农业采摘工: 28, 大棚种植工: 6, 养殖工: 6, 园林绿化工: 5, 装卸搬运工: 16, 建筑小工: 12, 瓦工: 3, 包装工: 5, 保洁员: 3, 帮厨: 2 } },
};

/**
 * Places posted per worker waiting at the gate, by kind of work, in an average month (before the
 * season, which moves demand more than supply). Gig gates at dawn usually have more workers than
 * places; households short of carers and building sites in season have fewer. With workers coming
 * four to five mornings a month, this gives a monthly 求人倍率 (headcount ÷ distinct seekers) of about
 * 1.0–1.6 for a province, below 1 for services and sales, above for domestic work and harvests —
 * where the national public employment services have run at about 1.1–1.5.
 */
const PLACES_PER_WORKER: Record<OccupationCategory, number> = {
  agriculture: 0.22, construction: 0.26, logistics: 0.21, manufacturing: 0.2, services: 0.11, domestic: 0.38, hospitality: 0.15, sales: 0.1,
};

/** Share of men among those who do this kind of work (for names, ID numbers and the compliance guard). */
const MALE_SHARE: Record<OccupationCategory, number> = {
  construction: 0.93, logistics: 0.78, agriculture: 0.45, manufacturing: 0.5, services: 0.45, domestic: 0.08, hospitality: 0.4, sales: 0.3,
};
const MALE_SHARE_BY_OCC: Record<string, number> = { 保安员: 0.9, 货车司机: 0.97, 外卖配送员: 0.85, 保洁员: 0.3, 厨师: 0.75, 会展搭建工: 0.9, 快递分拣员: 0.55 };

/**
 * Forced stories per market: the rare events the brief asks for, placed on given days before today
 * (in the today-only variant, all of them early this morning). Non-payment by the market's "bad"
 * employer, refusals by the compliance guard, disputes and a removal overturned on appeal.
 */
interface Scenario {
  refusal?: { back: number; kind: 'women' | 'minor' | 'gender_unknown' };
  sanction?: { back: number; kind: 'removal' | 'dispute' };
  nonPayment?: number[];
  referral?: { back: number; to: string };
}
/**
 * How well a market is run (issue 13 §5): the demo has one failing operator for the assessment work to
 * find — 新郑市众创就业服务中心 (op3) at 新郑市龙湖镇零工驿站, beside op1's well-run 新郑市零工市场 in the
 * same county. Its days are often left for the deadline job to seal, a quarter of its started hires
 * never get their 日结 recorded, its bad employer is reported for non-payment again and again, its
 * complaints are more, often closed late, three ran past their deadline (tools/db/demo-complaints.ts),
 * and one day's check-ins are several times the station's own history (the shape of inflated data).
 * Every other market is run as before.
 */
export interface ServiceQuality {
  /** Share of days sealed late, by the deadline job. */
  lateSeals: number;
  /** Share of started hires whose 日结 is never recorded. */
  unsettled: number;
  /** Complaints a day (null: the market type's usual rate), share closed late, days back of those that ran past their deadline, share of notices repeated with a new item. */
  complaintRate: number | null; closedLate: number; overdue: number[]; repeatNotice: number;
  /** A day `back` days before today with `factor` times the usual traffic. */
  spike: { back: number; factor: number } | null;
}
const DEFAULT_QUALITY: ServiceQuality = { lateSeals: 0.03, unsettled: 0, complaintRate: null, closedLate: 0.08, overdue: [20], repeatNotice: 0.12, spike: null };
const QUALITY: Record<string, Partial<ServiceQuality>> = {
  'm-longhu': { lateSeals: 0.3, unsettled: 0.25, complaintRate: 1 / 9, closedLate: 0.45, overdue: [16, 29, 47], repeatNotice: 0.45, spike: { back: 37, factor: 4.5 } },
};
export function qualityOf(marketKey: string): ServiceQuality {
  return { ...DEFAULT_QUALITY, ...QUALITY[marketKey] };
}
/** The failing operator's market (docs/demo-data.md). */
export const FAILING_MARKET = 'm-longhu';

const SCENARIOS: Record<string, Scenario> = {
  'm-zhongmu': { refusal: { back: 41, kind: 'women' }, sanction: { back: 33, kind: 'removal' }, nonPayment: [52, 19], referral: { back: 16, to: '中牟县劳动保障监察大队' } },
  'm-guandu': { nonPayment: [44] },
  'm-xinzheng': { nonPayment: [27], refusal: { back: 58, kind: 'gender_unknown' } },
  // The failing operator's bad employer is reported again and again (see QUALITY).
  'm-longhu': { refusal: { back: 12, kind: 'gender_unknown' }, nonPayment: [71, 58, 44, 23, 11, 4], sanction: { back: 38, kind: 'dispute' } },
  'm-yiyang': { refusal: { back: 26, kind: 'minor' }, sanction: { back: 9, kind: 'dispute' }, nonPayment: [35], referral: { back: 31, to: '宜阳县劳动保障监察大队' } },
  'm-sanxiang': { nonPayment: [15] },
};

// ── Clock: nothing after now ───────────────────────────────────────────────────────────────────

/**
 * Maps a planned time (a day and minutes after midnight) to an instant. Past days are as planned;
 * today stops two minutes before `now` — and before 08:00 the morning is squeezed into the minutes
 * since midnight, so the desk has a queue and an open board whenever the seed runs.
 */
class Clock {
  readonly limit: number;
  private readonly scale: number;
  constructor(readonly today: string, now: number) {
    const nowMin = (now - dayStart(today)) / MINUTE;
    this.scale = nowMin < 480 ? Math.max(nowMin - 0.2, 0.02) / 480 : 1;
    this.limit = nowMin < 480 ? 480 : nowMin - 2;
  }
  /** A duration of `min` planned minutes on `day`, in ms (shorter in a squeezed morning). */
  span(day: string, min: number): number {
    return min * MINUTE * (day === this.today ? this.scale : 1);
  }
  ok(day: string, min: number): boolean {
    return day < this.today || (day === this.today && min <= this.limit);
  }
  at(day: string, min: number): number {
    return dayStart(day) + Math.round((day === this.today ? min * this.scale : min) * MINUTE);
  }
}

// ── The simulation ─────────────────────────────────────────────────────────────────────────────

interface Shared { mobiles: Set<string>; ids: Set<string>; codes: Set<string>; names: Set<string> }

const PAY_METHODS: [string, number][] = [['wechat', 55], ['cash', 25], ['alipay', 15], ['bank', 5]];
const CANCEL_REASONS = ['雇主改期', '零工临时有事', '雇主人数已够', '天气原因停工', '工种不符，另行推荐', '雇主未到场接人'];
const FEE_TEXTS = ['入职需交押金200元，干满一周退还', '需交服装费50元', '先交报名费30元', '需交保证金100元'];
const PLATFORMS = ['zhaogong-app', 'gig-platform-a'];
const EVIDENCE_OK = ['营业执照原件已核验，经营场所已走访', '营业执照原件已核验', '身份证原件及用工场所已现场核实', '合作社登记证书已核验，负责人身份已核实'];
const MANUAL: { kind: string; title: string; note: string }[] = [
  { kind: 'manual_patrol', title: '早市现场巡查', note: '秩序良好，无违规收费' },
  { kind: 'manual_patrol', title: '安全检查', note: '消防通道畅通，灭火器在有效期内' },
  { kind: 'manual_visit', title: '走访用工企业', note: '了解季节性用工需求' },
  { kind: 'manual_note', title: '政策咨询', note: '解答灵活就业人员参保问题' },
  { kind: 'manual_patrol', title: '午间巡查', note: '候工区饮水、遮阳设施正常' },
];

export class MarketSim {
  private readonly rng: Rng;
  private readonly profile: Profile;
  private readonly clock: Clock;
  private readonly county: string;
  readonly out: MarketActivity;
  private order = 0;
  private readonly days: string[];
  private readonly first: string;
  private readonly hazardsByCode: Map<string, ProhibitedItem>;
  private readonly checkInsByDay = new Map<string, DemoCheckIn[]>();
  private readonly postsByStart = new Map<string, DemoPost[]>();
  private readonly pendingPayReports: { placement: DemoPlacement; day: string; min: number; via: 'desk' | 'qr' }[] = [];
  private readonly scenario: Scenario;
  private readonly quality: ServiceQuality;
  /** Started hires whose 日结 the failing market never records. */
  private readonly unsettled = new Set<DemoPlacement>();

  constructor(readonly market: ActivityMarket, private readonly opts: ActivityOptions, private readonly shared: Shared) {
    this.rng = new Rng(`linggong-demo-activity:${market.key}`);
    this.profile = PROFILES[market.key] ?? PROFILES['m-zhongmu'];
    this.clock = new Clock(opts.today, opts.now);
    this.county = market.regionCode;
    this.first = addDays(opts.today, -opts.historyDays);
    this.days = Array.from({ length: opts.historyDays + 1 }, (_, i) => addDays(this.first, i));
    this.hazardsByCode = new Map(opts.hazards.map((h) => [h.code, h]));
    this.scenario = SCENARIOS[market.key] ?? {};
    this.quality = qualityOf(market.key);
    this.out = { market, workers: [], employers: [], posts: [], checkIns: [], placements: [], refusals: [], sanctions: [], flags: [], events: [], seals: [], extraRows: [] };
  }

  private scaled(n: number, min = 1): number {
    return Math.max(min, Math.round(n * this.opts.scale));
  }
  /** The day of a scenario `back` days before today (today itself in the today-only variant). */
  private scenarioDay(back: number): string {
    return this.opts.historyDays === 0 ? this.opts.today : addDays(this.opts.today, -Math.min(back, this.opts.historyDays - 1));
  }
  private emit(at: number, kind: string, subjectType: string | null, subjectId: string | null, actor: StaffRef, payload: () => Record<string, unknown>) {
    this.out.events.push({ at: Math.floor(at), order: this.order++, kind, subjectType, subjectId, actor, payload });
  }
  private occupations(): [string, number][] {
    return Object.entries(this.profile.mix);
  }
  private category(occ: string): OccupationCategory {
    return occupationOf(occ)?.category ?? 'services';
  }

  run(): MarketActivity {
    this.planEmployers();
    this.planWorkers();
    for (const day of this.days) this.simulateDay(day);
    // Whoever would register after now has not come yet.
    const cutoff = this.opts.now - 1000;
    this.out.workers = this.out.workers.filter((w) => w.regAt <= cutoff);
    this.out.employers = this.out.employers.filter((e) => e.regAt <= cutoff);
    this.finish();
    return this.out;
  }

  // ── Employers ──────────────────────────────────────────────────────────────────────────────

  private planEmployers(): void {
    const n = this.scaled(this.profile.employers, 4);
    const cats = new Map<OccupationCategory, number>();
    for (const [occ, w] of this.occupations()) cats.set(this.category(occ), (cats.get(this.category(occ)) ?? 0) + w);
    const catPairs = [...cats.entries()];
    const badAt = new Set<number>();
    if (this.scenario.nonPayment?.length || this.scenario.referral) badAt.add(1);
    for (let i = 0; i < n; i++) {
      // The first of each category the market has, so every occupation can be posted for.
      const category = i < catPairs.length ? catPairs[i][0] : this.rng.weighted(catPairs);
      const occs = this.occupations().filter(([o]) => this.category(o) === category);
      const mine = this.rng.sample(occs, ([, w]) => w, this.rng.int(1, Math.min(3, occs.length))).map(([o]) => o);
      const individual = ['domestic', 'hospitality', 'agriculture'].includes(category) && this.rng.chance(category === 'domestic' ? 0.55 : 0.25);
      const sn = surname(this.rng);
      let name: string;
      let code: string | null = null;
      let kind: 'company' | 'individual' = 'company';
      if (individual) {
        kind = 'individual';
        if (category === 'domestic' || this.rng.chance(0.4)) {
          name = `${sn}${this.rng.pick(['女士', '先生'])}（${category === 'domestic' ? '家庭用工' : '个人用工'}）`;
          let k = 2;
          while (this.shared.names.has(name)) name = `${sn}${this.rng.pick(['女士', '先生'])}（家庭用工${k++}）`;
          this.shared.names.add(name);
        } else {
          const c = companyName(this.rng, this.county, category === 'hospitality' ? 'hospitality' : 'agriculture', this.shared.names);
          name = c.name;
          code = creditCode(this.rng, '92', this.county, this.shared.codes);
        }
      } else {
        const c = companyName(this.rng, this.county, category, this.shared.names);
        name = c.name;
        code = creditCode(this.rng, c.code, this.county, this.shared.codes);
        if (c.code === '92') kind = 'individual';
      }
      // Registration day: many in the first week (existing partners brought in), the rest spread out.
      const early = this.opts.historyDays === 0 || this.rng.chance(0.45) || i < catPairs.length || badAt.has(i);
      const regDay = early ? addDays(this.first, this.opts.historyDays === 0 ? 0 : this.rng.int(0, Math.min(6, this.opts.historyDays))) : addDays(this.first, this.rng.int(7, Math.max(7, this.opts.historyDays - 3)));
      const regMin = this.opts.historyDays === 0 ? this.rng.range(235, 262) : this.rng.range(8 * 60, 16 * 60);
      const roll = this.rng.next();
      const lag = this.opts.historyDays === 0 ? 0 : roll < 0.6 ? 0 : this.rng.int(1, 3);
      const decision: 'verified' | 'rejected' | null = i < catPairs.length || badAt.has(i) ? 'verified' : roll > 0.97 ? 'rejected' : roll > 0.92 ? null : 'verified';
      const verifyDay = decision ? addDays(regDay, lag) : null;
      const verifyMin = lag === 0 ? regMin + (this.opts.historyDays === 0 ? this.rng.range(2, 10) : this.rng.range(10, 60)) : this.rng.range(8 * 60, 17 * 60);
      const e: DemoEmployer = {
        id: '', kind, name, creditCode: code, contactName: kind === 'individual' && name.includes('（') ? name.slice(0, 3) : `${sn}${this.rng.pick(['经理', '总', '师傅', '会计', '主任'])}`,
        contactPhone: mobile(this.rng, this.shared.mobiles), address: `${COUNTY_NAMES[this.county]}${this.rng.pick(TOWNS[this.county]).at(0)}${village(this.rng)}`,
        status: 'pending', evidence: null, verifiedBy: null, verifiedAt: null, regAt: 0, regDay, verifyAt: null, verifyDay, decision,
        createdBy: this.market.desk, category, occupations: mine, weight: this.rng.weighted([[0.5, 3], [1, 5], [2.5, 2]]), bad: badAt.has(i), flagsAt: [],
      };
      e.regAt = this.clock.at(regDay, regMin);
      e.verifyAt = verifyDay ? this.clock.at(verifyDay, Math.max(verifyMin, lag === 0 ? regMin + 5 : 0)) : null;
      e.id = uuidv7(this.rng, e.regAt);
      this.out.employers.push(e);
    }
  }

  private employerEvents(day: string): void {
    for (const e of this.out.employers) {
      if (e.regDay === day && e.regAt <= this.opts.now - 1000) {
        this.emit(e.regAt, 'employer_registration', 'Employer', e.id, e.createdBy, () => ({ employerId: e.id, kind: e.kind, creditCode: e.creditCode, name: e.kind === 'company' ? e.name : null }));
      }
      if (e.verifyDay === day && e.decision && e.verifyAt && e.verifyAt <= this.opts.now - 1000) {
        e.status = e.decision;
        e.verifiedBy = this.market.manager;
        e.verifiedAt = e.verifyAt;
        e.evidence = e.decision === 'verified' ? this.rng.pick(EVIDENCE_OK) : '营业执照经查询已被吊销，不予通过';
        const evidence = e.evidence;
        this.emit(e.verifyAt, 'employer_verification', 'Employer', e.id, this.market.manager, () => ({ employerId: e.id, decision: e.decision, evidence }));
      }
    }
  }

  private verifiedAt(e: DemoEmployer, at: number): boolean {
    return e.decision === 'verified' && e.verifyAt !== null && e.verifyAt <= at;
  }

  // ── Workers ────────────────────────────────────────────────────────────────────────────────

  private planWorkers(): void {
    const n = this.scaled(this.profile.workers, 12);
    const towns = TOWNS[this.county];
    const dayWeights = this.days.map((d, i) => [d, WEEKDAY_FACTOR[weekdayOf(d)] * holidayFactor(d) * (1 + 1.5 * Math.exp(-i / 20))] as [string, number]);
    for (let i = 0; i < n; i++) {
      const primary = this.rng.weighted(this.occupations());
      const cat = this.category(primary);
      const gender: 'male' | 'female' = this.rng.chance(MALE_SHARE_BY_OCC[primary] ?? MALE_SHARE[cat]) ? 'male' : 'female';
      const age = this.rng.weighted([[this.rng.int(18, 25), 10], [this.rng.int(26, 35), 18], [this.rng.int(36, 45), 25], [this.rng.int(46, 55), 30], [this.rng.int(56, 64), 17]]);
      const by = Number(this.opts.today.slice(0, 4)) - age;
      const birthDate = `${by}-${String(this.rng.int(1, 12)).padStart(2, '0')}-${String(this.rng.int(1, 28)).padStart(2, '0')}`;
      const others = this.occupations().filter(([o]) => o !== primary);
      const sameCat = others.filter(([o]) => this.category(o) === cat);
      const extra = this.rng.weighted([[0, 40], [1, 42], [2, 18]]);
      const occs = [primary, ...this.rng.sample(this.rng.chance(0.6) && sameCat.length ? sameCat : others, ([, w]) => w, extra).map(([o]) => o)];
      const skills = [...new Set(occs.flatMap((o) => (this.rng.chance(0.5) ? [this.rng.pick(SKILLS[o] ?? ['能吃苦'])] : [])))].slice(0, 3);
      // Registration: the paper roster imported on the first morning, then desk and QR sign-ups.
      const imported = this.rng.chance(this.opts.historyDays === 0 ? 0.6 : 0.42);
      const regDay = imported ? this.first : this.rng.weighted(dayWeights);
      this.out.workers.push(this.makeWorker({ gender, birthDate, occs, skills, regDay, imported, towns }));
    }
    // The people of the forced stories.
    const r = this.scenario.refusal;
    if (r) {
      const day = this.scenarioDay(r.back);
      const back = this.rng.int(2, 12);
      const regDay = this.opts.historyDays === 0 || addDays(day, -back) < this.first ? this.first : addDays(day, -back);
      const regMin = this.opts.historyDays === 0 ? 292 : this.rng.range(8 * 60, 10 * 60);
      const base = { skills: [], regDay, regMin, imported: false, towns, special: 'refusal' };
      if (r.kind === 'women') {
        this.out.workers.push(this.makeWorker({ ...base, gender: 'female', birthDate: `${Number(day.slice(0, 4)) - 41}-04-17`, occs: ['装卸搬运工', '保洁员'], withId: true }));
      } else if (r.kind === 'minor') {
        // Fifteen on the day: the ID card says so, and the guard refuses (under 16).
        const birth = addDays(`${Number(day.slice(0, 4)) - 15}${day.slice(4).replace('-02-29', '-02-28')}`, -40);
        this.out.workers.push(this.makeWorker({ ...base, gender: 'male', birthDate: birth, occs: ['建筑小工'], withId: true }));
      } else {
        this.out.workers.push(this.makeWorker({ ...base, gender: null, birthDate: null, occs: ['仓库理货员', '装卸搬运工'], withId: false }));
      }
    }
    this.out.workers.sort((a, b) => a.regAt - b.regAt);
  }

  private makeWorker(w: { gender: 'male' | 'female' | null; birthDate: string | null; occs: string[]; skills: string[]; regDay: string; imported: boolean;
    towns: [string, number, number][]; special?: string; withId?: boolean; regMin?: number }): DemoWorker {
    const rng = this.rng;
    const hasId = w.withId ?? rng.chance(0.65);
    const birthYear = w.birthDate ? Number(w.birthDate.slice(0, 4)) : null;
    const id = hasId && w.birthDate && w.gender ? idNumber(rng, this.county, w.birthDate, w.gender, this.shared.ids) : null;
    const facts = id ? idCardFacts(id) : null;
    const typed = !id && w.gender ? rng.weighted([['both', 50], ['gender', 30], ['none', 20]] as const) : 'none';
    const town = this.profile.homeTown && rng.chance(0.7) ? (w.towns.find((t) => t[0] === this.profile.homeTown) ?? rng.pick(w.towns)) : rng.pick(w.towns);
    const located = rng.chance(0.7);
    const km = () => rng.normal() * 1.5;
    const lat = this.market.lat + ((town[2] + km()) / 111) * (this.profile.homeTown ? 0.4 : 1);
    const lng = this.market.lng + ((town[1] + km()) / (111 * Math.cos((this.market.lat * Math.PI) / 180))) * (this.profile.homeTown ? 0.4 : 1);
    const source: DemoWorker['source'] = w.imported ? 'import' : w.special ? 'desk' : rng.chance(0.35) ? 'qr' : 'desk';
    let regMin: number;
    if (w.regMin !== undefined) regMin = w.regMin;
    else if (w.imported) regMin = this.opts.historyDays === 0 ? 290 : 6 * 60 + 5;
    else if (source === 'qr') regMin = this.checkInMinute();
    else regMin = this.checkInMinute() - rng.range(1, 4);
    const regAt = this.clock.at(w.regDay, regMin) + (w.imported ? this.out.workers.length * 7 : 0);
    const propensity = w.special ? 0 : rng.weighted([[5, 25], [1.5, 45], [0.35, 30]]);
    return {
      id: uuidv7(rng, regAt), name: personName(rng, w.gender ?? rng.pick(['male', 'female'] as const), birthYear ?? 1980), mobile: mobile(rng, this.shared.mobiles),
      idNumber: id, gender: facts?.sex ?? (typed !== 'none' ? w.gender : null), birthDate: facts?.birthDate ?? null,
      birthYear: facts ? Number(facts.birthDate.slice(0, 4)) : typed === 'both' ? birthYear : null, occupations: w.occs, skills: w.skills,
      availability: rng.chance(0.6) ? rng.pick(['每天早上', '工作日白天', '周末', '农闲时', '随叫随到', '上午']) : null,
      homeArea: rng.chance(0.85) ? `${town[0]}${rng.chance(0.7) ? village(rng) : ''}` : null,
      homeLat: located ? Math.round(lat * 1e5) / 1e5 : null, homeLng: located ? Math.round(lng * 1e5) / 1e5 : null,
      hardship: rng.weighted([[0, 74], [1, 13], [2, 8], [3, 5]]), source, regAt, regDay: w.regDay,
      regBy: source === 'qr' ? PUBLIC_ACTOR : w.imported ? this.market.manager : this.market.desk, propensity,
      noShowRisk: rng.weighted([[0.015, 85], [0.08, 12], [0.25, 3]]), status: 'active', completed: 0, noShows: 0, lastSeen: null, lastWorked: null,
      busyThrough: null, updatedAt: regAt, removedFrom: null, removedUntil: null, special: w.special ?? null,
    };
  }

  /** When workers come to the gate: the early-morning 早市, a late-morning tail, a few in the afternoon. */
  private checkInMinute(): number {
    const r = this.rng.next();
    if (this.market.type === 'station') return r < 0.75 ? clamp(410 + this.rng.normal() * 30, 360, 540) : this.rng.range(480, 660);
    if (r < 0.7) return clamp(405 + this.rng.normal() * 35, 330, 570);
    if (r < 0.95) return this.rng.range(450, 690);
    return this.rng.range(780, 960);
  }

  private registrationEvents(day: string): DemoWorker[] {
    const todays = this.out.workers.filter((w) => w.regDay === day && w.regAt <= this.opts.now - 1000);
    for (const w of todays) {
      this.emit(w.regAt, 'registration', 'Worker', w.id, w.regBy, () => ({ workerId: w.id, occupations: w.occupations, realName: Boolean(w.idNumber) }));
    }
    return todays;
  }

  private activeAt(w: DemoWorker, at: number): boolean {
    return w.regAt < at && !(w.removedFrom !== null && w.removedFrom <= at && (w.removedUntil === null || w.removedUntil > at));
  }

  // ── A day ──────────────────────────────────────────────────────────────────────────────────

  private simulateDay(day: string): void {
    this.expirePosts(day);
    this.employerEvents(day);
    const registered = this.registrationEvents(day);
    this.checkIns(day, registered);
    this.submitPosts(day, 'morning');
    this.submitPosts(addDays(day, 1), 'eve');
    this.scenarioRefusal(day);
    this.match(day);
    this.completeMultiDay(day);
    this.payReports(day);
    this.scenarioSanction(day);
    this.scenarioReferral(day);
    this.manualEntries(day);
  }

  private dayVolume(day: string): number {
    const mix = this.occupations();
    const total = mix.reduce((s, [, w]) => s + w, 0);
    const seasonal = mix.reduce((s, [o, w]) => s + w * season(this.category(o), day), 0) / total;
    const ramp = this.opts.historyDays === 0 ? 1 : Math.min(1, 0.55 + daysBetween(this.first, day) / 30);
    const spike = this.quality.spike && this.opts.historyDays > 0 && this.scenarioDay(this.quality.spike.back) === day ? this.quality.spike.factor : 1;
    // The inflated day is inflated against an ordinary working day, whatever weekday or holiday it falls on (a 4.5× Saturday is no spike).
    const v = this.profile.checkIns * this.opts.scale * (spike > 1 ? 1 : WEEKDAY_FACTOR[weekdayOf(day)] * holidayFactor(day)) * seasonal * ramp * spike;
    // Whatever the calendar says, the desk opens to a queue today (a demo is shown on a holiday too).
    return day === this.opts.today ? Math.max(v, 0.4 * this.profile.checkIns * this.opts.scale) : v;
  }

  private checkIns(day: string, registered: DemoWorker[]): void {
    const list: { w: DemoWorker; min: number; channel: 'desk' | 'qr' }[] = [];
    // New sign-ups come to the gate: a QR sign-up is checked in by the same request; most desk ones check in right after.
    for (const w of registered) {
      if (w.source === 'qr') list.push({ w, min: minuteOf(w.regAt, day, this.clock), channel: 'qr' });
      else if (w.source === 'desk' && this.rng.chance(0.75)) list.push({ w, min: minuteOf(w.regAt, day, this.clock) + this.rng.range(0.5, 2), channel: 'desk' });
    }
    const taken = new Set(list.map((x) => x.w));
    const special = this.out.workers.find((w) => w.special === 'refusal');
    const r = this.scenario.refusal;
    if (special && r && this.scenarioDay(r.back) === day && !taken.has(special)) {
      list.push({ w: special, min: this.opts.historyDays === 0 ? 335 : 378, channel: 'desk' });
      taken.add(special);
    }
    const target = this.rng.count(this.dayVolume(day));
    const open = this.dayStartAt(day);
    const pool = this.out.workers.filter((w) => !taken.has(w) && (w.regDay < day || (w.regDay === day && w.source === 'import')) && w.regAt <= this.opts.now - 1000
      && w.propensity > 0 && (!w.busyThrough || w.busyThrough < day) && this.activeAt(w, Math.max(open, w.regAt + 1)));
    const weight = (w: DemoWorker) => w.propensity * (w.occupations.reduce((s, o) => s + season(this.category(o), day), 0) / w.occupations.length) ** 2;
    for (const w of this.rng.sample(pool, weight, Math.max(0, target - list.length))) list.push({ w, min: this.checkInMinute(), channel: this.rng.chance(0.4) ? 'qr' : 'desk' });
    list.sort((a, b) => a.min - b.min);
    const out: DemoCheckIn[] = [];
    for (const { w, min, channel } of list) {
      if (!this.clock.ok(day, min)) continue;
      const at = Math.max(this.clock.at(day, min), w.regAt + 1);
      if (!this.activeAt(w, at)) continue;
      const occs = this.rng.chance(0.85) ? w.occupations : [w.occupations[0]];
      const actor = channel === 'qr' ? PUBLIC_ACTOR : this.market.desk;
      const c: DemoCheckIn = { id: uuidv7(this.rng, at), worker: w, day, occupations: occs, channel, status: 'waiting', queueNumber: out.length + 1, at, createdBy: actor, taken: false };
      out.push(c);
      w.lastSeen = day;
      this.emit(at, 'check_in', 'Worker', w.id, actor, () => ({ workerId: w.id, checkInId: c.id, queueNumber: c.queueNumber, channel, occupations: occs }));
    }
    this.checkInsByDay.set(day, out);
    this.out.checkIns.push(...out);
  }

  private dayStartAt(day: string): number {
    return this.clock.at(day, 0);
  }

  // ── Posts ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Posts starting on `day`: the demand of the day by occupation (seasonal, and in proportion to who
   * comes to this gate), most submitted that morning, some the afternoon before. With `onlyEarlier`
   * (tomorrow), just those submitted today.
   */
  private submitPosts(day: string, phase: 'morning' | 'eve'): void {
    if (phase === 'eve' && addDays(day, -1) < this.first) return;
    const posts: DemoPost[] = this.postsByStart.get(day) ?? [];
    this.postsByStart.set(day, posts);
    const forced: string[] = [];
    const r = this.scenario.refusal;
    if (phase === 'morning' && r && this.scenarioDay(r.back) === day) forced.push(`refusal:${r.kind}`);
    for (const back of this.scenario.nonPayment ?? []) if (phase === 'morning' && this.opts.historyDays > 0 && this.scenarioDay(back) === day) forced.push('nonpayment');
    for (const f of forced) {
      const p = this.makePost(day, f, phase);
      if (p) posts.push(p);
    }
    const mix = this.occupations();
    const seasonal = mix.map(([o, w]) => [o, w * season(this.category(o), day)] as [string, number]);
    const add = (occ: string, want: number) => {
      let guard = 0;
      while (want > 0 && guard++ < 30) {
        const p = this.makePost(day, null, phase, occ, want);
        if (!p) break;
        posts.push(p);
        want -= p.headcount;
      }
    };
    if (phase === 'eve') {
      // Regular employers book the next morning's crew the afternoon before.
      let left = this.rng.count(this.dayVolume(day) * this.rng.range(0.1, 0.2) * (this.opts.historyDays === 0 ? 1 : 0.3));
      for (let i = 0; left > 0 && i < 40; i++) {
        const before = posts.length;
        add(this.rng.weighted(seasonal), Math.min(left, 6));
        left -= posts.slice(before).reduce((n, p) => n + p.headcount, 0) || 1;
      }
      return;
    }
    // The morning's posts follow who is at the gate (what each asks for today), less what was booked
    // the afternoon before, more in season; a few ask for what nobody here does today and stay open.
    const queue = this.checkInsByDay.get(day) ?? [];
    const supply = new Map<string, number>();
    for (const c of queue) supply.set(c.occupations[0], (supply.get(c.occupations[0]) ?? 0) + 1);
    for (const [occ, n] of [...supply.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))) {
      const booked = posts.filter((p) => p.occupation === occ).reduce((s, p) => s + p.headcount, 0);
      if (n === 1 && this.rng.chance(0.35)) continue;
      if (this.opts.historyDays === 0) {
        // The test morning (a small, unsealed day): a full board, as before.
        add(occ, Math.round(n * this.rng.range(0.45, 0.95) * Math.min(1.15, season(this.category(occ), day))) - booked);
        continue;
      }
      const cat = this.category(occ);
      add(occ, this.rng.count(n * PLACES_PER_WORKER[cat] * this.rng.range(0.75, 1.25) * clamp(season(cat, day), 0.4, 1.6) ** 1.5) - booked);
    }
    for (let i = this.rng.count(this.dayVolume(day) * (this.opts.historyDays === 0 ? 0.04 : 0.015)); i > 0; i--) add(this.rng.weighted(seasonal), this.rng.int(1, 3));
    if (day === this.opts.today && this.opts.historyDays > 0) this.openToday(posts, queue, seasonal);
  }

  /**
   * Whatever the hour the demo is shown, the public board has open jobs today: by mid-morning the gate's
   * own trades are filled, so at least two of today's posts ask for a trade of this market nobody in
   * today's queue does (nor has on record), and stay open (a small station's board was bare at 09:30). The today-only
   * variant (the test morning) has a full board already.
   */
  private openToday(posts: DemoPost[], queue: DemoCheckIn[], seasonal: [string, number][]): void {
    const asked = new Set(queue.flatMap((c) => [...c.occupations, ...c.worker.occupations]));
    const nobody = seasonal.filter(([o]) => !asked.has(o));
    const open = () => posts.filter((p) => p.status === 'published' && !asked.has(p.occupation)).length;
    for (let tries = 0; nobody.length && open() < 2 && tries < 10; tries++) {
      const p = this.makePost(this.opts.today, null, 'morning', this.rng.weighted(nobody), this.rng.int(1, 3));
      if (p) posts.push(p);
    }
  }

  private makePost(day: string, forced: string | null, phase: 'morning' | 'eve', occ?: string, maxHead = 500): DemoPost | null {
    const rng = this.rng;
    let occupation = occ ?? '装卸搬运工';
    let hazards: string[] = [];
    let employer: DemoEmployer | undefined;
    if (forced === 'refusal:women') { occupation = '装卸搬运工'; hazards = ['heavy_load']; }
    if (forced === 'refusal:minor') occupation = '建筑小工';
    if (forced === 'refusal:gender_unknown') { occupation = '仓库理货员'; hazards = ['heavy_load']; }
    if (forced === 'nonpayment') {
      employer = this.out.employers.find((e) => e.bad);
      if (!employer) return null;
      occupation = employer.occupations[0];
    }
    // Submitted the afternoon before (a quarter of posts) or early that morning.
    const before = phase === 'eve';
    const createdDay = before ? addDays(day, -1) : day;
    const createdMin = before ? rng.range(13 * 60, 19 * 60) : forced ? (this.opts.historyDays === 0 ? 300 : 335)
      : rng.chance(0.82) ? clamp(375 + rng.normal() * 40, 300, 540) : rng.range(510, 720);
    if (!this.clock.ok(createdDay, createdMin)) return null;
    const createdAt = this.clock.at(createdDay, createdMin);
    const cat = this.category(occupation);
    if (!employer) {
      const candidates = this.out.employers.filter((e) => !e.bad && e.regAt < createdAt && (e.occupations.includes(occupation) || e.category === cat));
      if (!candidates.length) return null;
      // Mostly employers already verified; now and then one not yet verified tries its luck.
      const verified = candidates.filter((e) => this.verifiedAt(e, createdAt));
      const pool = verified.length && rng.chance(0.985) ? verified : candidates;
      employer = rng.sample(pool, (e) => e.weight * (e.occupations.includes(occupation) ? 3 : 1), 1)[0];
    }
    if (!employer || employer.regAt >= createdAt) return null;
    const ref = occupationOf(occupation)?.refDayFen ?? 15000;
    const unit = this.wageUnit(occupation);
    const lowball = !forced && rng.chance(0.03);
    const harvest = cat === 'agriculture' ? Math.max(1, season('agriculture', day)) ** 0.5 : 1;
    const f = (lowball ? rng.range(0.42, 0.62) : Math.exp(rng.normal() * 0.1) * harvest);
    let wageFen: number;
    if (unit === 'day') wageFen = roundTo(ref * f, 500);
    else if (unit === 'hour') wageFen = roundTo((ref / 8) * f * rng.range(1.02, 1.2), 100);
    else if (unit === 'month') wageFen = roundTo(ref * 26 * f * rng.range(0.95, 1.05), 10000);
    else wageFen = pieceRate(occupation, rng);
    const period: DemoPost['period'] = unit === 'month' ? 'weeks' : forced ? 'same_day' : rng.weighted([['same_day', 82], ['days', 15], ['weeks', 3]]);
    const periodCount = period === 'same_day' ? 1 : period === 'days' ? rng.int(2, 5) : rng.int(1, 4);
    const startMin = before ? rng.range(420, 480) : Math.max(createdMin + rng.range(30, 90), 420);
    const hours = unit === 'hour' ? rng.int(4, 9) : 8;
    const fee = !forced && rng.chance(0.012);
    const headcount = forced?.startsWith('refusal') ? rng.int(2, 4) : forced ? rng.int(1, 2) : Math.max(1, Math.min(maxHead, this.headcount(cat, day)));
    const title0 = rng.pick(TITLES[occupation] ?? [occupation]).replace('{crop}', cropOf(monthOf(day), this.county));
    const title = forced === 'refusal:gender_unknown' ? '冷库搬运（重体力）' : forced === 'refusal:women' ? '水泥装卸' : title0;
    const third = !forced && rng.chance(0.04);
    const p: DemoPost = {
      id: uuidv7(rng, createdAt), employer, occupation, title, headcount, hired: 0, wageFen, wageUnit: unit, period, periodCount, startDay: day,
      startAt: this.clock.at(day, Math.round(Math.min(startMin, 14 * 60) / 15) * 15), hours,
      place: placeFor(occupation, this.county, rng, this.market), requirements: fee ? rng.pick(FEE_TEXTS) : rng.chance(0.7) ? rng.sample(REQUIREMENTS, () => 1, rng.int(1, 2)).join('；') : '',
      skills: rng.chance(0.35) ? [rng.pick(SKILLS[occupation] ?? ['能吃苦'])] : [], workerFeeFen: fee && rng.chance(0.4) ? 5000 : 0,
      hazards: hazards.length ? hazards : this.hazardsFor(occupation, title), status: 'pending_review', redFlags: [], reviewReason: null,
      reviewedBy: null, reviewedAt: null, expiresAt: Date.parse(`${day}T23:59:59+08:00`), source: third ? 'third_party' : 'desk',
      platform: third ? rng.pick(PLATFORMS) : null, externalId: third ? `${rng.int(100000, 999999)}` : null,
      createdBy: third ? this.market.admin : this.market.desk, createdAt, decision: null, publishedAt: null, rejectedAt: null, expiredAt: null,
      withdrawnAt: null, lowball, cityPrefix: this.county.slice(0, 4), lat: this.market.lat, lng: this.market.lng, forced,
    };
    if (p.startAt < createdAt) p.startAt = createdAt + this.clock.span(day, 30);
    this.out.posts.push(p);
    this.emit(createdAt, 'post_submitted', 'Post', p.id, p.createdBy, () => ({
      postId: p.id, employerId: p.employer.id, occupation, headcount, wageFen, wageUnit: unit, period: p.period, redFlags: p.redFlags.map((x) => x.code),
      source: p.source === 'third_party' ? `third_party:${p.platform}` : 'desk',
    }));
    this.review(p, createdDay, createdMin);
    return p;
  }

  private wageUnit(occ: string): DemoPost['wageUnit'] {
    const table: Record<string, [DemoPost['wageUnit'], number][]> = {
      餐厅服务员: [['hour', 40], ['day', 60]], 帮厨: [['hour', 30], ['day', 70]], 促销员: [['hour', 50], ['day', 50]], 快递分拣员: [['hour', 40], ['day', 60]],
      外卖配送员: [['piece', 60], ['day', 40]], 家政服务员: [['hour', 50], ['day', 50]], 保洁员: [['hour', 20], ['month', 12], ['day', 68]],
      保安员: [['month', 30], ['day', 70]], 养老护理员: [['month', 35], ['day', 65]], 育婴员: [['month', 55], ['day', 45]],
      农业采摘工: [['piece', 30], ['day', 70]], 包装工: [['piece', 25], ['day', 75]], 缝纫工: [['piece', 30], ['day', 70]],
    };
    return this.rng.weighted(table[occ] ?? [['day', 100]]);
  }

  private headcount(cat: OccupationCategory, day: string): number {
    const r = this.rng;
    switch (cat) {
      case 'agriculture': return r.int(2, season('agriculture', day) > 1.2 ? 14 : 7);
      case 'construction': return r.int(1, 5);
      case 'logistics': return r.int(1, 8);
      case 'manufacturing': return r.int(2, 10);
      case 'domestic': return 1;
      case 'hospitality': return r.int(1, 4);
      default: return r.int(1, 3);
    }
  }

  private hazardsFor(occ: string, title: string): string[] {
    if (occ === '装卸搬运工' && /水泥|化肥|建材/.test(title)) return ['heavy_load'];
    if (occ === '装卸搬运工' && this.rng.chance(0.2)) return ['heavy_load'];
    if ((occ === '钢筋工' || occ === '焊工') && this.rng.chance(0.3)) return ['height_level2'];
    if (occ === '建筑小工' && this.rng.chance(0.15)) return ['heavy_load'];
    return [];
  }

  /** R-B6: the manager reviews; fees, an unverified employer and lowball wages are turned down with a reason. */
  private review(p: DemoPost, day: string, createdMin: number): void {
    const min = createdMin + this.rng.range(4, 35);
    if (!this.clock.ok(day, min)) return;
    const at = this.clock.at(day, min);
    const unverified = !this.verifiedAt(p.employer, at);
    const fee = p.workerFeeFen > 0 || WORKER_FEE_WORDS.some((w) => p.requirements.includes(w) || p.title.includes(w));
    let reason: string | null = null;
    let decision: 'published' | 'rejected' = 'published';
    if (fee) { decision = 'rejected'; reason = '要求劳动者缴纳押金或费用，违反零工市场不得向劳动者收费的规定'; }
    else if (unverified) { decision = 'rejected'; reason = '用工主体尚未完成核验，请先提交营业执照或身份证明'; }
    else if (p.lowball && this.rng.chance(0.85)) { decision = 'rejected'; reason = '工资明显低于本地同类岗位水平，请核实后重新发布'; }
    else if (this.rng.chance(0.008)) { decision = 'rejected'; reason = '岗位信息不完整（工作地点不明确），请补充后重新提交'; }
    else if (p.employer.flagsAt.some((t) => t < p.createdAt)) reason = '已约谈用工主体，承诺当日结清工钱后发布';
    p.decision = decision;
    p.status = decision;
    p.reviewReason = reason;
    p.reviewedBy = this.market.manager;
    p.reviewedAt = at;
    if (decision === 'published') p.publishedAt = at;
    else p.rejectedAt = at;
    this.emit(at, decision === 'published' ? 'post_published' : 'post_rejected', 'Post', p.id, this.market.manager, () => ({
      postId: p.id, decision, reason, redFlags: p.redFlags.map((x) => x.code),
    }));
    // Now and then an employer calls the post off soon after publishing.
    if (decision === 'published' && !p.forced && this.rng.chance(0.01)) {
      const wm = min + this.rng.range(15, 90);
      if (this.clock.ok(day, wm)) {
        const wat = this.clock.at(day, wm);
        const note = this.rng.pick(['雇主取消用工计划', '已在别处招满', '工期推迟']);
        p.withdrawnAt = wat;
        p.status = 'withdrawn';
        p.reviewReason = p.reviewReason ?? note;
        this.emit(wat, 'post_closed', 'Post', p.id, this.market.desk, () => ({ postId: p.id, reason: 'withdrawn', note }));
      }
    }
  }

  /** The hourly posts-expire job: a post still open after its expiry leaves the board, logged by the system. */
  private expirePosts(day: string): void {
    const yesterday = addDays(day, -1);
    for (const p of this.postsByStart.get(yesterday) ?? []) {
      if (p.status !== 'published' && p.status !== 'pending_review') continue;
      const min = this.rng.range(0.02, 0.4);
      if (!this.clock.ok(day, min)) continue;
      const at = Math.max(this.clock.at(day, min), p.expiresAt + 1000);
      if (at > this.opts.now - 1000) continue;
      p.status = 'expired';
      p.expiredAt = at;
      this.emit(at, 'post_closed', 'Post', p.id, SYSTEM_ACTOR_REF, () => ({ postId: p.id, reason: 'expired' }));
    }
  }

  // ── Matching, hires, 日结 ────────────────────────────────────────────────────────────────────

  private scenarioRefusal(day: string): void {
    const r = this.scenario.refusal;
    if (!r || this.scenarioDay(r.back) !== day) return;
    const w = this.out.workers.find((x) => x.special === 'refusal');
    const p = (this.postsByStart.get(day) ?? []).find((x) => x.forced === `refusal:${r.kind}`);
    const ci = (this.checkInsByDay.get(day) ?? []).find((c) => c.worker === w);
    if (!w || !p || !ci || p.status !== 'published' || !p.publishedAt) return;
    const min = minuteOf(Math.max(p.publishedAt, ci.at), day, this.clock) + 3;
    if (!this.clock.ok(day, min)) return;
    const at = this.clock.at(day, min);
    const refusal = complianceCheck(guard(w), this.itemsOf(p), day);
    if (!refusal) return;
    const items = refusal.items.map((i) => i.code);
    const x: DemoRefusal = { id: uuidv7(this.rng, at), worker: w, post: p, rule: refusal.rule, items, legalSource: refusal.legalSource, actor: this.market.desk, at };
    this.out.refusals.push(x);
    this.emit(at, 'compliance_refusal', 'Post', p.id, this.market.desk, () => ({ postId: p.id, workerId: w.id, rule: refusal.rule, items }));
  }

  private itemsOf(p: DemoPost): ProhibitedItem[] {
    return p.hazards.map((c) => this.hazardsByCode.get(c)).filter((h): h is ProhibitedItem => !!h).sort((a, b) => a.code.localeCompare(b.code));
  }

  private match(day: string): void {
    const queue = this.checkInsByDay.get(day) ?? [];
    const posts = (this.postsByStart.get(day) ?? []).filter((p) => p.status === 'published' && p.publishedAt !== null).sort((a, b) => (a.publishedAt ?? 0) - (b.publishedAt ?? 0));
    for (const p of posts) {
      const items = this.itemsOf(p);
      const t0 = Math.max(p.publishedAt ?? 0, this.clock.at(day, this.market.type === 'station' ? 365 : 340));
      const lastCall = p.startAt + this.clock.span(day, 75);
      // The same pool as MatchingService.rank: today's queue with the occupation asked for today or on record.
      const eligible = queue.filter((c) => !c.taken && c.at <= lastCall && (c.occupations.includes(p.occupation) || c.worker.occupations.includes(p.occupation)) && c.worker.status === 'active'
        && !(p.forced === 'refusal:women' || p.forced === 'refusal:minor' || p.forced === 'refusal:gender_unknown' ? c.worker.special === 'refusal' : false)
        && complianceCheck(guard(c.worker), items, day) === null);
      const ranked = eligible.map((c) => ({ c, s: this.score(p, c, Math.max(t0, c.at + this.clock.span(day, 3))) + this.rng.normal() * 6 })).sort((a, b) => b.s - a.s);
      const picks = ranked.slice(0, p.headcount);
      const spares = ranked.slice(p.headcount);
      for (const [i, { c }] of picks.entries()) this.place(p, c, Math.max(t0, c.at) + this.clock.span(day, this.rng.range(2, 10) + i * this.rng.range(0.5, 2)), spares);
    }
  }

  private score(p: DemoPost, c: DemoCheckIn, at: number): number {
    const w = c.worker;
    const fit = 30 + 10 * Math.min(2, w.skills.filter((s) => p.skills.includes(s)).length);
    const waiting = 20 + Math.min(10, (at - c.at) / this.clock.span(c.day, 1) / 10);
    const km = w.homeLat === null || w.homeLng === null ? null : haversine(w.homeLat, w.homeLng, p.lat, p.lng);
    const distance = km === null ? 5 : Math.max(0, 10 - km);
    const reliability = (15 * (w.completed + 1)) / (w.completed + w.noShows + 2);
    return Math.round((fit + w.hardship * 5 + waiting + distance + reliability) * 100) / 100;
  }

  /** One recommendation and what becomes of it; a released place may go to the next in line. */
  private place(p: DemoPost, c: DemoCheckIn, at: number, spares: { c: DemoCheckIn }[], replacement = false): void {
    const day = c.day;
    const rng = this.rng;
    const w = c.worker;
    const mins = (lo: number, hi: number) => this.clock.span(day, rng.range(lo, hi));
    if (c.taken || p.status !== 'published' || p.hired >= p.headcount || at > p.startAt + this.clock.span(day, 120)) return;
    const recMin = minuteOf(at, day, this.clock);
    if (!this.clock.ok(day, recMin)) return;
    c.taken = true;
    const pl: DemoPlacement = {
      id: uuidv7(rng, at), post: p, worker: w, checkIn: c, status: 'recommended', score: this.score(p, c, at), workerTokenHash: sha(rng.hex(32)),
      employerTokenHash: sha(rng.hex(32)), employerConfirmedAt: null, workerConfirmedAt: null, startedAt: null, completedAt: null, amountPaidFen: null,
      paidBy: null, paidAt: null, payMethod: null, noShowParty: null, cancelReason: null, nonPayment: false, recommendedBy: this.market.desk,
      createdAt: at, updatedAt: at,
    };
    this.out.placements.push(pl);
    const score = pl.score;
    this.emit(at, 'match', 'Placement', pl.id, this.market.desk, () => ({ placementId: pl.id, postId: p.id, workerId: w.id, score }));

    const nonPay = p.forced === 'nonpayment' && !this.out.placements.some((x) => x.post === p && x.nonPayment);
    const roll = nonPay ? 1 : rng.next();
    const release = (t: number) => {
      // The next in line, if the post still has time (R-B4: the desk fills the gap).
      if (replacement || !spares.length || !rng.chance(0.6)) return;
      const next = spares.shift();
      if (next) this.place(p, next.c, t + mins(5, 25), spares, true);
    };
    if (roll < 0.05) {
      const t = at + mins(5, 40);
      if (!this.clock.ok(day, minuteOf(t, day, this.clock))) return;
      const reason = rng.pick(CANCEL_REASONS);
      pl.status = 'cancelled'; pl.cancelReason = reason; pl.updatedAt = t;
      // Back in the queue (the service puts today's check-in back to waiting).
      c.status = 'waiting';
      this.emit(t, 'cancellation', 'Placement', pl.id, this.market.desk, () => ({ placementId: pl.id, postId: p.id, workerId: w.id, reason }));
      release(t);
      return;
    }
    // Confirmation by both parties: at the desk, or one of them by scanning the QR.
    const t1 = at + mins(1, 12);
    if (!this.clock.ok(day, minuteOf(t1, day, this.clock))) return;
    if (p.hired >= p.headcount || p.status !== 'published') return;
    const via: 'desk' | 'qr' = rng.chance(0.12) ? 'qr' : 'desk';
    const firstParty = rng.chance(0.3) ? at + mins(0.5, 1) : null;
    pl.employerConfirmedAt = via === 'qr' ? (firstParty ?? t1 - mins(0.3, 0.6)) : t1;
    pl.workerConfirmedAt = via === 'qr' ? t1 : (firstParty ?? t1);
    pl.status = 'confirmed'; pl.updatedAt = t1;
    p.hired++;
    if (p.hired >= p.headcount) p.status = 'filled';
    const filled = p.status === 'filled';
    c.status = 'matched';
    this.emit(t1, 'hire_confirmed', 'Placement', pl.id, via === 'qr' ? PUBLIC_ACTOR : this.market.desk, () => ({
      placementId: pl.id, postId: p.id, workerId: w.id, employerId: p.employer.id, via, filled,
    }));
    const lastDay = p.period === 'same_day' ? day : addDays(day, p.period === 'days' ? p.periodCount - 1 : p.periodCount * 7 - 1);
    if (!nonPay && roll < 0.05 + 0.06 * (w.noShowRisk / 0.03)) {
      // A no-show: recorded when the employer calls from the site.
      const party: 'worker' | 'employer' = rng.chance(0.85) ? 'worker' : 'employer';
      const t = Math.max(p.startAt, t1) + mins(20, 60);
      if (!this.clock.ok(day, minuteOf(t, day, this.clock))) return;
      pl.status = 'no_show'; pl.noShowParty = party; pl.updatedAt = t;
      p.hired--;
      const reopened = p.status === 'filled';
      if (reopened) p.status = 'published';
      if (party === 'worker') w.noShows++;
      const note = party === 'worker' ? rng.pick(['电话未接', '说好到场未来', '']) : rng.pick(['雇主未到集合点接人', '']);
      this.emit(t, 'no_show', 'Placement', pl.id, this.market.desk, () => ({ placementId: pl.id, postId: p.id, workerId: w.id, party, note: note || null, reopened }));
      release(t);
      return;
    }
    if (!nonPay && roll < 0.05 + 0.06 * (w.noShowRisk / 0.03) + 0.025) {
      const t = t1 + mins(10, 45);
      if (!this.clock.ok(day, minuteOf(t, day, this.clock))) return;
      const reason = rng.pick(['雇主临时取消', '天气原因停工', '雇主人数已够']);
      pl.status = 'cancelled'; pl.cancelReason = reason; pl.updatedAt = t;
      p.hired--;
      const reopened = p.status === 'filled';
      if (reopened) p.status = 'published';
      c.status = 'waiting';
      this.emit(t, 'cancellation', 'Placement', pl.id, this.market.desk, () => ({ placementId: pl.id, postId: p.id, workerId: w.id, reason, reopened }));
      release(t);
      return;
    }
    // Work starts.
    const ts = Math.max(p.startAt, t1 + mins(8, 30));
    if (!this.clock.ok(day, minuteOf(ts, day, this.clock))) return;
    pl.status = 'started'; pl.startedAt = ts; pl.updatedAt = ts;
    w.lastWorked = day;
    if (lastDay > day) w.busyThrough = lastDay;
    this.emit(ts, 'hire_started', 'Placement', pl.id, this.market.desk, () => ({ placementId: pl.id, postId: p.id, workerId: w.id, startedAt: new Date(ts).toISOString() }));
    if (nonPay) {
      pl.nonPayment = true;
      const reportDay = this.opts.historyDays === 0 ? day : addDays(day, rng.int(1, 2));
      this.pendingPayReports.push({ placement: pl, day: reportDay, min: rng.range(480, 600), via: rng.chance(0.5) ? 'qr' : 'desk' });
      return;
    }
    // The failing market: work done, but nobody records the 日结 (the placement stays started).
    if (this.quality.unsettled > 0 && this.opts.historyDays > 0 && day < this.opts.today && rng.chance(this.quality.unsettled)) {
      this.unsettled.add(pl);
      return;
    }
    if (lastDay === day) this.complete(pl, day);
  }

  /** 日结: paid at the end of the (last) working day. */
  private complete(pl: DemoPlacement, day: string): void {
    const p = pl.post;
    const rng = this.rng;
    // Work begins at the post's start time each day (the actual start on the first day).
    const startMin = p.startDay === day ? minuteOf(pl.startedAt ?? p.startAt, day, this.clock) : minuteOf(p.startAt, p.startDay, this.clock);
    let endMin: number;
    if (p.wageUnit === 'hour') endMin = Math.min(startMin + p.hours * 60 + (p.hours > 5 ? 60 : 0), 19 * 60 + 10);
    else endMin = rng.range(16.5 * 60, 18.6 * 60);
    endMin = Math.max(endMin, startMin + 120);
    const paidMin = Math.min(endMin + rng.range(0, 35), 19 * 60 + 40);
    if (!this.clock.ok(day, paidMin)) return;
    const paidAt = this.clock.at(day, paidMin);
    const days = p.period === 'same_day' ? 1 : p.period === 'days' ? p.periodCount : p.periodCount * 7;
    const ref = occupationOf(p.occupation)?.refDayFen ?? 15000;
    let amount: number;
    if (p.wageUnit === 'day') amount = p.wageFen * days + (rng.chance(0.1) ? roundTo(rng.range(1000, 3000), 500) : 0);
    else if (p.wageUnit === 'hour') amount = p.wageFen * p.hours * days;
    else if (p.wageUnit === 'month') amount = roundTo((p.wageFen * days) / 26, 100);
    else amount = roundTo(ref * rng.range(0.8, 1.3) * days, 100);
    const paidBy = p.employer.kind === 'company' ? p.employer.contactName : '雇主本人';
    const method = rng.weighted(PAY_METHODS);
    pl.status = 'completed'; pl.completedAt = paidAt; pl.paidAt = paidAt; pl.amountPaidFen = amount; pl.paidBy = paidBy; pl.payMethod = method; pl.updatedAt = paidAt;
    pl.worker.completed++;
    pl.worker.lastWorked = day;
    const note = rng.chance(0.08) ? rng.pick(['含加班费', '提前收工按半天结', '另付午饭补贴']) : null;
    this.emit(paidAt, 'settlement', 'Placement', pl.id, this.market.desk, () => ({
      placementId: pl.id, postId: p.id, workerId: pl.worker.id, amountPaidFen: amount, paidAt: new Date(paidAt).toISOString(), method, note,
    }));
  }

  private completeMultiDay(day: string): void {
    for (const pl of this.out.placements) {
      if (pl.status !== 'started' || pl.nonPayment || this.unsettled.has(pl) || pl.post.period === 'same_day' || pl.post.startDay === day) continue;
      const p = pl.post;
      const lastDay = addDays(p.startDay, p.period === 'days' ? p.periodCount - 1 : p.periodCount * 7 - 1);
      if (lastDay === day) this.complete(pl, day);
    }
  }

  /** A worker reports not being paid (desk, or the phone link of the confirmation); the employer is flagged. */
  private payReports(day: string): void {
    for (const r of this.pendingPayReports.filter((x) => x.day === day)) {
      if (!this.clock.ok(day, r.min)) continue;
      const at = Math.max(this.clock.at(day, r.min), (r.placement.startedAt ?? 0) + this.clock.span(day, 10));
      const pl = r.placement;
      const p = pl.post;
      const amount = p.wageUnit === 'day' ? p.wageFen : (occupationOf(p.occupation)?.refDayFen ?? 15000);
      const f: DemoFlag = {
        id: uuidv7(this.rng, at), employer: p.employer, kind: 'non_payment', placement: pl, amountOwedFen: amount, workersAffected: 1,
        description: this.rng.pick(['干完活老板说下周再给，至今未付', '约定当天结清，雇主以质量问题为由拒付', '雇主电话关机，工钱未结']),
        referredTo: null, referredAt: null, createdBy: r.via === 'qr' ? PUBLIC_ACTOR : this.market.desk, at,
      };
      this.out.flags.push(f);
      p.employer.flagsAt.push(at);
      pl.updatedAt = at;
      const via = r.via;
      this.emit(at, 'non_payment_report', 'Employer', p.employer.id, f.createdBy, () => ({ flagId: f.id, placementId: pl.id, employerId: p.employer.id, amountOwedFen: amount, via }));
    }
  }

  /** R-B8: a wage-arrears referral of the market's flagged employer to labour inspection. */
  private scenarioReferral(day: string): void {
    const r = this.scenario.referral;
    if (!r || this.scenarioDay(r.back) !== day) return;
    const e = this.out.employers.find((x) => x.bad);
    if (!e) return;
    const min = this.opts.historyDays === 0 ? 455 : 15 * 60 + 20;
    if (!this.clock.ok(day, min)) return;
    const at = this.clock.at(day, min);
    const owed = this.out.flags.filter((f) => f.employer === e && f.kind === 'non_payment');
    const amount = owed.reduce((s, f) => s + f.amountOwedFen, 0) || 360000;
    const affected = owed.length || 3;
    const f: DemoFlag = {
      id: uuidv7(this.rng, at), employer: e, kind: 'wage_arrears_referral', placement: null, amountOwedFen: amount, workersAffected: affected,
      description: owed.length ? `拖欠${affected}名零工工资，经多次协调仍未支付` : '拖欠三名零工秋收工钱，经调解未果', referredTo: r.to, referredAt: at,
      createdBy: this.market.admin, at,
    };
    this.out.flags.push(f);
    e.flagsAt.push(at);
    this.emit(at, 'wage_referral', 'Employer', e.id, this.market.admin, () => ({ flagId: f.id, employerId: e.id, referredTo: r.to, amountOwedFen: amount, workersAffected: affected }));
  }

  /** R-B8: a quality dispute, or a removal for repeated no-shows that is appealed and overturned by someone else. */
  private scenarioSanction(day: string): void {
    const s = this.scenario.sanction;
    if (!s || this.scenarioDay(s.back) !== day) return;
    const today = this.opts.historyDays === 0;
    const min = today ? (s.kind === 'removal' ? 345 : 440) : s.kind === 'removal' ? 10 * 60 + 30 : 19 * 60 + 5;
    if (!this.clock.ok(day, min)) return;
    const at = this.clock.at(day, min);
    let worker: DemoWorker | undefined;
    let placement: DemoPlacement | null = null;
    if (s.kind === 'removal') {
      worker = [...this.out.workers].filter((w) => w.regAt < at && w.status === 'active' && !w.special).sort((a, b) => b.noShows - a.noShows || a.regAt - b.regAt)[0];
      placement = [...this.out.placements].reverse().find((x) => x.worker === worker && x.status === 'no_show' && x.updatedAt < at) ?? null;
    } else {
      placement = [...this.out.placements].reverse().find((x) => x.checkIn?.day === day && x.createdAt < at && ['completed', 'started'].includes(x.status)) ?? null;
      worker = placement?.worker ?? this.out.workers.find((w) => w.regAt < at && !w.special);
    }
    if (!worker) return;
    const w = worker;
    const reason = s.kind === 'removal' ? '多次无故爽约，经提醒仍未改正' : '雇主反映墙面刮腻子不平需返工，经现场核实存在质量问题';
    const notice = s.kind === 'removal'
      ? '您因多次确认用工后无故不到岗，依据本市场服务规则被清出市场。如有异议，可在收到本告知之日起 15 日内向服务台提出申诉。'
      : '经核实，您在本次用工中存在质量问题，已记录在案。如有异议，可在收到本告知之日起 15 日内向服务台提出申诉。';
    const x: DemoSanction = {
      id: uuidv7(this.rng, at), worker: w, placement, kind: s.kind, reason, notice, noticeAt: at, appealDeadline: at + 15 * 86_400_000,
      status: 'active', appealStatement: null, appealedAt: null, decisionReason: null, decidedBy: null, decidedAt: null, createdBy: this.market.manager,
    };
    this.out.sanctions.push(x);
    this.emit(at, 'worker_sanction', 'Worker', w.id, this.market.manager, () => ({ sanctionId: x.id, workerId: w.id, kind: s.kind, reason, appealDays: 15 }));
    if (s.kind !== 'removal') return;
    w.status = 'removed';
    w.removedFrom = at;
    w.updatedAt = at;
    // The appeal, recorded at the desk in the worker's words, and the decision by the operator admin (not who removed).
    const appealDay = today ? day : addDays(day, 2);
    const appealMin = today ? 360 : 9 * 60 + 15;
    if (!this.clock.ok(appealDay, appealMin)) return;
    const aat = this.clock.at(appealDay, appealMin);
    x.status = 'appealed';
    x.appealStatement = '家中老人住院需要陪护，并非故意爽约，今后确认前会先看好时间';
    x.appealedAt = aat;
    this.emitLater(aat, 'appeal', 'Worker', w.id, this.market.desk, () => ({ sanctionId: x.id, step: 'lodged' }));
    const decideDay = today ? day : addDays(day, 4);
    const decideMin = today ? 375 : 15 * 60;
    if (!this.clock.ok(decideDay, decideMin)) return;
    const dat = this.clock.at(decideDay, decideMin);
    x.status = 'overturned';
    x.decisionReason = '经核实，爽约期间其家人住院属实，撤销清退，予以提醒';
    x.decidedBy = this.market.admin;
    x.decidedAt = dat;
    w.status = 'active';
    w.removedUntil = dat;
    w.updatedAt = dat;
    const decisionReason = x.decisionReason;
    this.emitLater(dat, 'appeal', 'Worker', w.id, this.market.admin, () => ({ sanctionId: x.id, step: 'decided', decision: 'overturned', reason: decisionReason }));
  }

  /** An event on a later day, planned now (appeals): same as emit. */
  private emitLater(at: number, kind: string, subjectType: string, subjectId: string, actor: StaffRef, payload: () => Record<string, unknown>) {
    this.emit(at, kind, subjectType, subjectId, actor, payload);
  }

  /** Records staff add by hand: a morning patrol every day, visits and notes now and then, a weekly job fair at the big markets. */
  private manualEntries(day: string): void {
    const plan: { min: number; e: { kind: string; title: string; note: string }; extra?: Record<string, unknown> }[] = [];
    plan.push({ min: this.rng.range(6.5 * 60, 8 * 60), e: MANUAL[0] });
    if (this.rng.chance(0.35)) plan.push({ min: this.rng.range(9 * 60, 16 * 60), e: this.rng.pick(MANUAL.slice(1)) });
    if (this.market.type === 'comprehensive' && weekdayOf(day) === 3 && holidayFactor(day) > 0.9) {
      plan.push({ min: 9 * 60 + 30, e: { kind: 'manual_fair', title: '零工专场招聘会', note: '现场对接岗位' }, extra: { place: '市场候工大厅', participants: this.rng.int(60, 180) } });
    }
    for (const x of plan) {
      if (!this.clock.ok(day, x.min)) continue;
      const at = this.clock.at(day, x.min);
      const payload = { title: x.e.title, note: x.e.note, ...(x.extra ?? {}) };
      this.emit(at, x.e.kind, 'Market', this.market.id, this.market.manager, () => payload);
    }
  }

  // ── End of the simulation: counters, statuses, seals ───────────────────────────────────────

  private finish(): void {
    const now = this.opts.now;
    const hired = new Map<DemoPost, number>();
    for (const x of this.out.placements) if (['confirmed', 'started', 'completed'].includes(x.status)) hired.set(x.post, (hired.get(x.post) ?? 0) + 1);
    for (const p of this.out.posts) {
      if ((hired.get(p) ?? 0) !== p.hired) throw new Error(`demo: post ${p.id} hired ${p.hired}, placements say ${hired.get(p) ?? 0}`);
    }
    // Days before today are sealed, each after its last entry (a few late, by the deadline job at 02:00).
    const lastOf = new Map<string, number>();
    for (const e of this.out.events) {
      const d = shanghaiDayOf(e.at);
      lastOf.set(d, Math.max(lastOf.get(d) ?? 0, e.at));
    }
    for (const day of this.days) {
      if (day >= this.opts.today) continue;
      const last = lastOf.get(day) ?? dayStart(day) + 18 * 3_600_000;
      const lateClose = dayStart(addDays(day, 1)) + (2 * 60 + this.rng.range(0.05, 0.5)) * MINUTE;
      const late = this.rng.chance(this.quality.lateSeals) && lateClose < now - MINUTE;
      const normal = Math.max(last + this.rng.range(6, 35) * MINUTE, dayStart(day) + this.rng.range(19 * 60, 20.5 * 60) * MINUTE);
      // Before midnight if it can be, and always after the day's last entry (one at 23:55 met a seal capped at 23:54).
      const closedAt = late ? lateClose : Math.max(Math.min(normal, dayStart(day) + 23.9 * 3_600_000), last + 20_000);
      this.out.seals.push({ day, closedAt, late, closedBy: late ? null : this.market.manager });
    }
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
function roundTo(x: number, step: number): number {
  return Math.max(step, Math.round(x / step) * step);
}
function minuteOf(ms: number, day: string, clock: Clock): number {
  // Planned minutes for today (undo the squeeze) so ok() compares like with like.
  const raw = (ms - dayStart(day)) / MINUTE;
  if (day !== clock.today) return raw;
  const scale = (clock.at(day, 480) - dayStart(day)) / (480 * MINUTE);
  return raw / scale;
}
function sha(v: string): string {
  return createHash('sha256').update(v).digest('hex');
}
function guard(w: DemoWorker) {
  return { gender: w.gender, birthDate: w.birthDate, birthYear: w.birthYear };
}
function haversine(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const r = (d: number) => (d * Math.PI) / 180;
  return 12742 * Math.asin(Math.sqrt(Math.sin(r(lat1 - lat2) / 2) ** 2 + Math.cos(r(lat2)) * Math.cos(r(lat1)) * Math.sin(r(lng1 - lng2) / 2) ** 2));
}
function pieceRate(occ: string, rng: Rng): number {
  if (occ === '外卖配送员') return roundTo(rng.range(450, 700), 10);
  if (occ === '缝纫工') return roundTo(rng.range(120, 300), 10);
  if (occ === '包装工') return roundTo(rng.range(15, 40), 5);
  return roundTo(rng.range(25, 60), 5); // picking, per 斤
}
function placeFor(occ: string, county: string, rng: Rng, m: ActivityMarket): string {
  const town = rng.pick(TOWNS[county])[0];
  const c = COUNTY_NAMES[county];
  const cat = occupationOf(occ)?.category;
  if (cat === 'agriculture') return `${c}${town}${village(rng)}${rng.pick(['田间', '大棚区', '合作社基地', '果园'])}`;
  if (cat === 'construction') return `${c}${town}${rng.pick(['安置房项目', '厂房工地', '道路改造工地', '小区装修'])}`;
  if (cat === 'logistics') return `${c}${rng.pick(['物流园', '快递分拨中心', '冷链仓储园', '商贸城'])}${rng.int(1, 12)}号库`;
  if (cat === 'manufacturing') return `${c}${rng.pick(['产业集聚区', '工业园', '食品产业园'])}${rng.pick(['东区', '西区', ''])}`;
  if (cat === 'domestic') return `${c}${town}${rng.pick(['小区', '家属院', '社区'])}（具体门牌电话告知）`;
  return `${m.name.slice(0, 3)}${town}${rng.pick(['商业街', '酒店', '学校食堂', '社区服务中心'])}`;
}

/**
 * Every market's activity, then the red flags each post had when it was submitted (R-B6), computed
 * as PostsService does: the fee words or amount, the employer's verification and open flags at that
 * moment, and a day wage under 70 % of the city's median for the occupation over 180 days (≥ 5
 * posts then published, filled or expired), otherwise of the dictionary's reference day wage.
 */
export function simulate(markets: ActivityMarket[], opts: ActivityOptions): MarketActivity[] {
  const shared: Shared = { mobiles: new Set(), ids: new Set(), codes: new Set(), names: new Set() };
  const out = markets.map((m) => new MarketSim(m, opts, shared).run());
  // Posts of one city and occupation, oldest first: the median only ever looks at earlier ones.
  const groups = new Map<string, DemoPost[]>();
  for (const p of out.flatMap((a) => a.posts).sort((a, b) => a.createdAt - b.createdAt)) {
    const k = `${p.cityPrefix}|${p.occupation}`;
    const g = groups.get(k) ?? [];
    p.redFlags = redFlagsOf(p, g);
    g.push(p);
    groups.set(k, g);
  }
  return out;
}

function counted(q: DemoPost, at: number): boolean {
  if ((q.rejectedAt !== null && q.rejectedAt <= at) || (q.withdrawnAt !== null && q.withdrawnAt <= at)) return false;
  return (q.publishedAt !== null && q.publishedAt <= at) || (q.expiredAt !== null && q.expiredAt <= at);
}

/** `earlier`: the posts of the same city and occupation submitted before this one. */
function redFlagsOf(p: DemoPost, earlier: DemoPost[]): RedFlag[] {
  const flags: RedFlag[] = [];
  const words = WORKER_FEE_WORDS.filter((w) => p.requirements.includes(w) || p.title.includes(w));
  if (p.workerFeeFen > 0 || words.length) flags.push({ code: 'worker_fee', detail: { workerFeeFen: p.workerFeeFen, words } });
  const e = p.employer;
  const verified = e.decision === 'verified' && e.verifyAt !== null && e.verifyAt <= p.createdAt;
  const status = verified ? 'verified' : e.decision === 'rejected' && e.verifyAt !== null && e.verifyAt <= p.createdAt ? 'rejected' : 'pending';
  if (status !== 'verified') flags.push({ code: 'employer_unverified', detail: { status } });
  const open = e.flagsAt.filter((t) => t < p.createdAt).length;
  if (open > 0) flags.push({ code: 'employer_flagged', detail: { openFlags: open } });
  const day = dayWageFen(p.wageFen, p.wageUnit);
  if (day !== null) {
    const since = p.createdAt - 180 * 86_400_000;
    const values = earlier.filter((q) => q.createdAt < p.createdAt && q.createdAt > since && q.wageUnit !== 'piece' && counted(q, p.createdAt)).map((q) => (q.wageUnit === 'day' ? q.wageFen : q.wageUnit === 'hour' ? q.wageFen * 8 : q.wageFen / 21.75)).sort((a, b) => a - b);
    const local = values.length >= 5;
    const median = local ? Math.round(percentileCont(values, 0.5)) : (occupationOf(p.occupation)?.refDayFen ?? null);
    if (median && day < median * 0.7) {
      flags.push({ code: 'wage_below_median', detail: { dayWageFen: day, medianDayFen: median, basis: local ? 'local_posts' : 'reference', samples: values.length } });
    }
  }
  return flags;
}

function percentileCont(sorted: number[], f: number): number {
  const pos = f * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}


/**
 * How common each dictionary occupation is among the demo markets' workers (their profiles added
 * up), every one of the dictionary's entries included: the distribution the ranking benchmark
 * (tools/bench/rank.ts) gives its million workers.
 */
export function occupationWeights(): [string, number][] {
  const total = new Map<string, number>(OCCUPATIONS.map((o) => [o.name, 0.5]));
  for (const p of Object.values(PROFILES)) for (const [o, w] of Object.entries(p.mix)) total.set(o, (total.get(o) ?? 0) + w);
  return [...total.entries()].sort((a, b) => b[1] - a[1]);
}
