import { z } from 'zod';
import { KPIS, kpiOf, type KpiDef } from './kpis';
import { line, multiline, nameText } from './text';

/**
 * Assessment of contracted operators (issue 15; R-A3, R-F1, R-F2; notice 001 四 "评估不合格的及时予以退出").
 * Pure rules: the indicator template (a tree of 一级 / 二级 / 三级 indicators whose leaves are KPI-backed or
 * evidence-backed), its validation (weights total 100, grade bands cover 0–100), the scoring rules (linear
 * between floor and target, or bands; higher or lower is better), grades with their consequences, the
 * default template (docs/assessment.md) and the subsidy arithmetic (R-F2).
 */

// ------------------------------------------------------------------ grades

export const GRADES = ['excellent', 'good', 'fair', 'poor'] as const;
export type Grade = (typeof GRADES)[number];
export const GRADE_ZH: Record<Grade, string> = { excellent: '优', good: '良', fair: '中', poor: '差' };
export const CONSEQUENCES = ['none', 'warning', 'rectification', 'exit_proposable'] as const;
export type Consequence = (typeof CONSEQUENCES)[number];
export const CONSEQUENCE_ZH: Record<Consequence, string> = { none: '无', warning: '警示', rectification: '限期整改', exit_proposable: '可提出退出' };

/** A grade band: scores in [min, max) — the top band includes 100. */
export interface GradeBand { grade: Grade; min: number; max: number; consequence: Consequence }

/** 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 < 60 (the procurement-evaluation custom; docs/assessment.md). */
export const DEFAULT_BANDS: readonly GradeBand[] = [
  { grade: 'excellent', min: 90, max: 100, consequence: 'none' },
  { grade: 'good', min: 80, max: 90, consequence: 'warning' },
  { grade: 'fair', min: 60, max: 80, consequence: 'rectification' },
  { grade: 'poor', min: 0, max: 60, consequence: 'exit_proposable' },
];

// ------------------------------------------------------------------ scoring rules

export type Direction = 'higher' | 'lower';
/**
 * How a KPI figure becomes a share of the item's weight (0…1):
 * - `linear`: 0 at the floor, 1 at the target, straight in between (direction decides which side is good);
 * - `bands`: steps — the share of the best step the figure reaches (`at`: for higher-is-better the figure
 *   must be ≥ at, for lower-is-better ≤ at); a figure that reaches no step scores 0.
 */
export type ScoringRule = { type: 'linear' } | { type: 'bands'; steps: { at: number; share: number }[] };

export interface KpiItem {
  kpi: string; direction: Direction; target: number; floor: number; rule: ScoringRule;
  /**
   * Count targets (persons, counts) are per market and per 30 days, scaled to the contract's markets and
   * the cycle's length (a station and a county market are not asked the same numbers).
   */
  perMarketMonth?: boolean;
}
export interface EvidenceItem { requirement: string }

export interface IndicatorNode {
  code: string; zh: string; en?: string;
  /** Points of the total 100: a parent's weight is the sum of its children's. */
  weight: number;
  children?: IndicatorNode[];
  kpi?: KpiItem;
  evidence?: EvidenceItem;
  /** Added by a city or county within the province's local budget. */
  local?: boolean;
}
export interface TemplateBody { indicators: IndicatorNode[]; bands: GradeBand[]; localBudget: number }

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The share (0…1) of an item's weight a figure earns under its rule. A null figure (no case in the period: a ratio whose denominator is zero) earns the full share — nothing went wrong — and is flagged by the caller. */
export function kpiShare(item: Pick<KpiItem, 'direction' | 'target' | 'floor' | 'rule'>, value: number | null): number {
  if (value === null) return 1;
  const { direction, target, floor, rule } = item;
  if (rule.type === 'bands') {
    const hit = rule.steps.filter((s) => (direction === 'higher' ? value >= s.at : value <= s.at));
    return hit.length ? Math.max(...hit.map((s) => s.share)) : 0;
  }
  if (direction === 'higher') {
    if (value >= target) return 1;
    if (value <= floor) return 0;
    return (value - floor) / (target - floor);
  }
  if (value <= target) return 1;
  if (value >= floor) return 0;
  return (floor - value) / (floor - target);
}

/** An item's points: weight × share, to two decimals. */
export function kpiPoints(item: KpiItem, weight: number, value: number | null, scale = 1): number {
  const scaled = item.perMarketMonth ? { ...item, target: item.target * scale, floor: item.floor * scale } : item;
  return round2(weight * kpiShare(scaled, value));
}

/** The scale of a per-market-month target: markets × days ÷ 30. */
export function targetScale(markets: number, days: number): number {
  return (Math.max(markets, 1) * days) / 30;
}

/** The grade band a total falls in (a total is clamped to 0…100). */
export function gradeOf(total: number, bands: readonly GradeBand[] = DEFAULT_BANDS): GradeBand {
  const t = Math.min(100, Math.max(0, total));
  const b = bands.find((x) => t >= x.min && (t < x.max || (x.max === 100 && t === 100)));
  if (!b) throw new Error(`no band for ${total}`);
  return b;
}

// ------------------------------------------------------------------ validation

export interface TemplateProblem { field: string; key: string; params?: Record<string, string | number> }

/** Every leaf with its path (code), level (1…3) and parent codes. */
export function leavesOf(nodes: readonly IndicatorNode[], level = 1, path: string[] = []): { node: IndicatorNode; level: number; path: string[] }[] {
  return nodes.flatMap((n) => (n.children?.length ? leavesOf(n.children, level + 1, [...path, n.code]) : [{ node: n, level, path: [...path, n.code] }]));
}

/**
 * What is wrong with a template (empty: nothing): weights total 100 at the top and each parent's weight is
 * its children's sum; at most three levels; each leaf is KPI-backed (a catalogue code, target ≠ floor on the
 * right side of each other, bands' shares in 0…1) or evidence-backed, not both; codes unique; local items
 * within the province's budget; grade bands cover 0–100 with no gap or overlap, each grade once.
 */
export function templateProblems(t: TemplateBody): TemplateProblem[] {
  const out: TemplateProblem[] = [];
  const total = round2(t.indicators.reduce((s, n) => s + n.weight, 0));
  if (total !== 100) out.push({ field: 'indicators', key: 'assessment_weights_total', params: { total } });
  const codes = new Set<string>();
  let local = 0;
  const walk = (nodes: IndicatorNode[], level: number, at: string) => {
    nodes.forEach((n, i) => {
      const f = `${at}[${i}]`;
      if (codes.has(n.code)) out.push({ field: `${f}.code`, key: 'assessment_code_duplicate', params: { code: n.code } });
      codes.add(n.code);
      if (!(n.weight > 0)) out.push({ field: `${f}.weight`, key: 'assessment_weight_positive', params: { code: n.code } });
      if (n.children?.length) {
        if (level >= 3) out.push({ field: `${f}.children`, key: 'assessment_too_deep', params: { code: n.code } });
        const sum = round2(n.children.reduce((s, c) => s + c.weight, 0));
        if (sum !== round2(n.weight)) out.push({ field: `${f}.children`, key: 'assessment_children_weights', params: { code: n.code, weight: n.weight, total: sum } });
        if (n.kpi || n.evidence) out.push({ field: f, key: 'assessment_leaf_kind', params: { code: n.code } });
        walk(n.children, level + 1, `${f}.children`);
        return;
      }
      if (n.local) local += n.weight;
      if (!!n.kpi === !!n.evidence) { out.push({ field: f, key: 'assessment_leaf_kind', params: { code: n.code } }); return; }
      if (n.kpi) {
        const k = kpiOf(n.kpi.kpi);
        if (!k) out.push({ field: `${f}.kpi.kpi`, key: 'assessment_unknown_kpi', params: { code: n.kpi.kpi } });
        const { target, floor, direction, rule } = n.kpi;
        if (rule.type === 'linear' && (direction === 'higher' ? !(target > floor) : !(target < floor))) {
          out.push({ field: `${f}.kpi.target`, key: 'assessment_target_floor', params: { code: n.code } });
        }
        if (rule.type === 'bands' && (!rule.steps.length || rule.steps.some((s) => s.share < 0 || s.share > 1))) {
          out.push({ field: `${f}.kpi.rule`, key: 'assessment_band_steps', params: { code: n.code } });
        }
      }
    });
  };
  walk(t.indicators, 1, 'indicators');
  if (round2(local) > t.localBudget) out.push({ field: 'indicators', key: 'assessment_local_budget', params: { total: round2(local), budget: t.localBudget } });
  out.push(...bandProblems(t.bands));
  return out;
}

/** A value as JSON with object keys sorted (order-free comparison). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/**
 * What is wrong with a city's or county's local version of a province template (empty: nothing), besides
 * `templateProblems`: the province's bands and budget stay; every province node stays where it was with its
 * definition; the new nodes are marked local (and the province's are not); a province leaf may only give points
 * (its weight may fall, never rise) — with the total still 100, the local items take exactly the points the
 * province's leaves gave, at most `localBudget`.
 */
export function localVersionProblems(base: TemplateBody, t: TemplateBody): TemplateProblem[] {
  const out: TemplateProblem[] = [];
  // Compared by value: stored as jsonb, an object's keys may come back in another order.
  const same = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);
  if (!same(base.bands, t.bands)) out.push({ field: 'bands', key: 'assessment_local_fixed', params: { code: 'bands' } });
  if (base.localBudget !== t.localBudget) out.push({ field: 'localBudget', key: 'assessment_local_fixed', params: { code: 'localBudget' } });
  const flat = (nodes: readonly IndicatorNode[], parent: string, m = new Map<string, { node: IndicatorNode; parent: string }>()) => {
    for (const n of nodes) { m.set(n.code, { node: n, parent }); flat(n.children ?? [], n.code, m); }
    return m;
  };
  const before = flat(base.indicators, '');
  const after = flat(t.indicators, '');
  for (const [code, b] of before) {
    const a = after.get(code);
    const kept = a && a.parent === b.parent && a.node.zh === b.node.zh && !a.node.local && same(a.node.kpi ?? null, b.node.kpi ?? null) && same(a.node.evidence ?? null, b.node.evidence ?? null);
    if (!kept) { out.push({ field: 'indicators', key: 'assessment_local_base_changed', params: { code } }); continue; }
    if (!b.node.children?.length && round2(a.node.weight) > round2(b.node.weight)) out.push({ field: 'indicators', key: 'assessment_local_weight_up', params: { code, weight: b.node.weight } });
  }
  for (const [code, a] of after) {
    if (!before.has(code) && !a.node.local) out.push({ field: 'indicators', key: 'assessment_local_unmarked', params: { code } });
  }
  return [...out, ...templateProblems(t)];
}

/** Grade bands cover 0–100 with no gap or overlap, each grade once. */
export function bandProblems(bands: readonly GradeBand[]): TemplateProblem[] {
  const out: TemplateProblem[] = [];
  const grades = new Set(bands.map((b) => b.grade));
  if (grades.size !== bands.length || !bands.length) out.push({ field: 'bands', key: 'assessment_band_grades' });
  const sorted = [...bands].sort((a, b) => a.min - b.min);
  let at = 0;
  for (const b of sorted) {
    if (!(b.max > b.min)) { out.push({ field: 'bands', key: 'assessment_band_empty', params: { grade: GRADE_ZH[b.grade] } }); continue; }
    if (b.min > at) out.push({ field: 'bands', key: 'assessment_band_gap', params: { from: at, to: b.min } });
    if (b.min < at) out.push({ field: 'bands', key: 'assessment_band_overlap', params: { from: b.min, to: at } });
    at = Math.max(at, b.max);
  }
  if (at !== 100 && !out.some((p) => p.key === 'assessment_band_empty')) out.push({ field: 'bands', key: 'assessment_band_gap', params: { from: at, to: 100 } });
  return out;
}

// ------------------------------------------------------------------ the default template

const kpiLeaf = (code: string, weight: number, direction: Direction, target: number, floor: number, perMarketMonth = false): IndicatorNode => {
  const k = KPIS.find((x) => x.code === code) as KpiDef;
  return { code, zh: k.zh, en: k.en, weight, kpi: { kpi: code, direction, target, floor, rule: { type: 'linear' }, ...(perMarketMonth ? { perMarketMonth } : {}) } };
};
const evidenceLeaf = (code: string, zh: string, en: string, weight: number, requirement: string): IndicatorNode => ({ code, zh, en, weight, evidence: { requirement } });

/**
 * The default template on the procurement-evaluation shape 产出 50 · 效益 30 · 满意度 10 · 过程与数据质量 10
 * (财预〔2020〕10 号 项目支出绩效评价指标体系; 政府购买服务绩效管理), built from the KPI catalogue; our synthesis,
 * documented with its sources in docs/assessment.md. Count targets are per market and per 30 days.
 */
export function defaultTemplate(): TemplateBody {
  return {
    localBudget: 10,
    bands: DEFAULT_BANDS.map((b) => ({ ...b })),
    indicators: [
      { code: 'output', zh: '产出', en: 'Output', weight: 50, children: [
        { code: 'output.volume', zh: '服务数量', en: 'Volume of service', weight: 30, children: [
          kpiLeaf('registrations', 6, 'higher', 60, 10, true),
          kpiLeaf('service_visits', 6, 'higher', 300, 50, true),
          kpiLeaf('posts_published', 6, 'higher', 60, 10, true),
          kpiLeaf('hires_started', 12, 'higher', 150, 20, true),
        ] },
        { code: 'output.services', zh: '专项服务', en: 'Special services', weight: 20, children: [
          kpiLeaf('guidance_services', 5, 'higher', 20, 2, true),
          kpiLeaf('training_completions', 5, 'higher', 5, 0, true),
          kpiLeaf('events_held', 5, 'higher', 1, 0, true),
          evidenceLeaf('output.services.list', '服务清单公示与执行', 'Service list posted and kept', 5, '服务清单、收费公示照片（附件哈希）及对应工作日志'),
        ] },
      ] },
      { code: 'effect', zh: '效益', en: 'Effect', weight: 30, children: [
        { code: 'effect.placement', zh: '就业成效', en: 'Placement', weight: 20, children: [
          kpiLeaf('match_success_rate', 5, 'higher', 80, 40),
          kpiLeaf('settlement_rate', 10, 'higher', 98, 80),
          kpiLeaf('non_payment_per_100', 5, 'lower', 0.3, 1.5),
        ] },
        { code: 'effect.assistance', zh: '困难帮扶', en: 'Assistance', weight: 10, children: [
          kpiLeaf('package_131_completion', 5, 'higher', 60, 10),
          kpiLeaf('job_seeking_days', 5, 'lower', 3, 15),
        ] },
      ] },
      { code: 'satisfaction', zh: '满意度', en: 'Satisfaction', weight: 10, children: [
        { code: 'satisfaction.complaints', zh: '投诉处理', en: 'Complaints', weight: 10, children: [
          kpiLeaf('complaints_on_time', 4, 'higher', 95, 60),
          kpiLeaf('complaint_satisfaction', 3, 'higher', 90, 50),
          evidenceLeaf('satisfaction.survey', '服务对象满意度调查', 'Satisfaction survey', 3, '满意度调查方案、样本与结果（附件哈希）'),
        ] },
      ] },
      { code: 'process', zh: '过程与数据质量', en: 'Process and data quality', weight: 10, children: [
        { code: 'process.log', zh: '台账质量', en: 'Work-log quality', weight: 10, children: [
          kpiLeaf('log_timeliness', 4, 'higher', 97, 70),
          kpiLeaf('log_verification_failures', 2, 'lower', 0, 2),
          kpiLeaf('notice_breaches', 2, 'lower', 0, 3),
          evidenceLeaf('process.rules', '制度建设与人员配备', 'Rules and staffing', 2, '工作制度、人员名册与培训记录（附件哈希或工作日志链接）'),
        ] },
      ] },
    ],
  };
}

// ------------------------------------------------------------------ scoring an assessment

export interface ItemScore {
  code: string; zh: string; weight: number; path: string[]; kind: 'kpi' | 'evidence';
  /** The frozen figure of a KPI item (null: no case in the period). */
  value?: number | null;
  /** Points the rule gives a KPI item, or the latest score of an evidence item (self → county → audit → appeal). */
  points: number | null;
}

/**
 * The final score of one item: a KPI item's rule points unless an audit or an appeal set another figure (with
 * a reason); an evidence item's latest score — the appeal's, else the audit's, else the county's (the
 * operator's own claim never counts by itself).
 */
export function finalPoints(base: number | null, county: number | null, audit: number | null, appeal: number | null): number {
  return appeal ?? audit ?? county ?? base ?? 0;
}

/** The total and grade of a set of item points. */
export function resultOf(points: number[], bands: readonly GradeBand[] = DEFAULT_BANDS): { total: number; grade: Grade; consequence: Consequence } {
  const total = round2(points.reduce((s, p) => s + p, 0));
  const b = gradeOf(total, bands);
  return { total, grade: b.grade, consequence: b.consequence };
}

// ------------------------------------------------------------------ subsidy (R-F2)

export interface ScheduleItem { label: string; due: string; amountFen: number; resultLinked: boolean }
export interface UnitRate { kpi: string; rateFen: number }
export type GradeFactors = Record<Grade, number>;
/** Percent of the result-linked share paid per grade (a contract may set its own). */
export const DEFAULT_GRADE_FACTORS: GradeFactors = { excellent: 100, good: 90, fair: 70, poor: 0 };

export interface SubsidyLine { label: string; kpi?: string; quantity: number; rateFen?: number; amountFen: number }
export interface SubsidyStatement {
  /** The result-linked instalments of the contract that fall in the cycle's period (due dates inside it). */
  resultLinkedFen: number; grade: Grade; factorPct: number; resultPartFen: number;
  workload: SubsidyLine[]; workloadFen: number; payableFen: number;
}

/**
 * Payable for a contract in a cycle (R-F2, 以事定费 / 按效付费): the result-linked instalments due within the
 * cycle's period × the grade's factor (percent, rounded to the fen), plus each workload item's frozen figure ×
 * its unit rate. Integer fen throughout.
 */
export function subsidyOf(c: { schedule: ScheduleItem[]; unitRates: UnitRate[]; gradeFactors: GradeFactors }, period: { from: string; to: string },
  grade: Grade, figures: Record<string, number | null>): SubsidyStatement {
  const resultLinkedFen = c.schedule.filter((s) => s.resultLinked && s.due >= period.from && s.due <= period.to).reduce((s, x) => s + x.amountFen, 0);
  const factorPct = c.gradeFactors[grade];
  const resultPartFen = Math.round((resultLinkedFen * factorPct) / 100);
  const workload = c.unitRates.map((u) => {
    const quantity = figures[u.kpi] ?? 0;
    return { label: kpiOf(u.kpi)?.zh ?? u.kpi, kpi: u.kpi, quantity, rateFen: u.rateFen, amountFen: Math.round(quantity * u.rateFen) };
  });
  const workloadFen = workload.reduce((s, w) => s + w.amountFen, 0);
  return { resultLinkedFen, grade, factorPct, resultPartFen, workload, workloadFen, payableFen: resultPartFen + workloadFen };
}

// ------------------------------------------------------------------ schemas

const day = z.iso.date();
const fen = z.number().int().min(0).max(100_000_000_000);
const score = z.number().min(0).max(100);
const ruleSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('linear') }),
  z.strictObject({ type: z.literal('bands'), steps: z.array(z.strictObject({ at: z.number().finite(), share: z.number().min(0).max(1) })).min(1).max(10) }),
]);
const KPI_CODES_ALL = KPIS.map((k) => k.code) as [string, ...string[]];
const nodeSchema: z.ZodType<IndicatorNode> = z.lazy(() => z.strictObject({
  code: z.string().trim().regex(/^[a-z0-9_.]{1,60}$/, { error: 'assessment_code_format' }),
  zh: nameText(1, 60), en: nameText(1, 80).optional(),
  weight: z.number().positive().max(100),
  children: z.array(nodeSchema).max(20).optional(),
  kpi: z.strictObject({
    kpi: z.enum(KPI_CODES_ALL, { error: 'assessment_unknown_kpi' }), direction: z.enum(['higher', 'lower']),
    target: z.number().finite(), floor: z.number().finite(), rule: ruleSchema, perMarketMonth: z.boolean().optional(),
  }).optional(),
  evidence: z.strictObject({ requirement: multiline(1, 500) }).optional(),
  local: z.boolean().optional(),
}));
export const gradeBandSchema = z.strictObject({ grade: z.enum(GRADES), min: z.number().min(0).max(100), max: z.number().min(0).max(100), consequence: z.enum(CONSEQUENCES) });
export const templateBodySchema = z.strictObject({
  indicators: z.array(nodeSchema).min(1).max(10),
  bands: z.array(gradeBandSchema).min(1).max(4),
  localBudget: z.number().min(0).max(30).default(10),
});
export const createTemplateSchema = z.strictObject({ name: nameText(1, 80), body: templateBodySchema });

export const scheduleSchema = z.array(z.strictObject({ label: nameText(1, 60), due: day, amountFen: fen, resultLinked: z.boolean() })).min(1).max(24);
export const unitRatesSchema = z.array(z.strictObject({ kpi: z.enum(KPI_CODES_ALL, { error: 'assessment_unknown_kpi' }), rateFen: fen })).max(10);
const gradeFactorsSchema = z.strictObject({ excellent: z.number().int().min(0).max(100), good: z.number().int().min(0).max(100), fair: z.number().int().min(0).max(100), poor: z.number().int().min(0).max(100) });
const contractTerms = {
  number: line(1, 60), title: nameText(1, 120), termFrom: day, termTo: day,
  marketIds: z.array(z.uuid()).min(1).max(50),
  amountFen: fen, schedule: scheduleSchema, unitRates: unitRatesSchema.default([]),
  gradeFactors: gradeFactorsSchema.default(DEFAULT_GRADE_FACTORS),
  documentSm3: z.string().regex(/^[0-9a-f]{64}$/, { error: 'assessment_document_hash' }),
};
const termsChecks = <T extends z.ZodType<{ termFrom: string; termTo: string; amountFen: number; schedule: ScheduleItem[] }>>(s: T) => s
  .refine((v) => v.termFrom <= v.termTo, { message: 'bad_range', path: ['termTo'] })
  .refine((v) => v.schedule.reduce((a, x) => a + x.amountFen, 0) === v.amountFen, { message: 'assessment_schedule_total', path: ['schedule'] });
export const createContractSchema = termsChecks(z.strictObject({ operatorId: z.uuid(), ...contractTerms }));
export const amendContractSchema = termsChecks(z.strictObject({ ...contractTerms, reason: multiline(2, 500) }));

export const CYCLE_KINDS = ['quarterly', 'annual', 'special'] as const;
export const createCycleSchema = z.strictObject({
  name: nameText(1, 80), kind: z.enum(CYCLE_KINDS), templateId: z.uuid(),
  periodFrom: day, periodTo: day, cutoff: day, selfDeadline: day, reviewDeadline: day,
  appealDays: z.number().int().min(1).max(30).default(5),
  samplePct: z.number().int().min(0).max(100).default(30),
  contractIds: z.array(z.uuid()).min(1).max(200),
}).refine((v) => v.periodFrom <= v.periodTo, { message: 'bad_range', path: ['periodTo'] })
  .refine((v) => Date.parse(v.periodTo) - Date.parse(v.periodFrom) <= 366 * 86_400_000, { message: 'range_too_long', path: ['periodTo'] })
  .refine((v) => v.periodTo <= v.cutoff, { message: 'assessment_cutoff_before_period_end', path: ['cutoff'] })
  .refine((v) => v.cutoff <= v.selfDeadline && v.selfDeadline <= v.reviewDeadline, { message: 'assessment_deadline_order', path: ['selfDeadline'] });

const evidenceRef = z.strictObject({
  attachmentSm3: z.string().regex(/^[0-9a-f]{64}$/, { error: 'assessment_document_hash' }).optional(),
  marketId: z.uuid().optional(), seq: z.number().int().min(1).optional(),
  note: line(0, 200).optional(),
}).refine((e) => !!e.attachmentSm3 || (!!e.marketId && !!e.seq), { message: 'assessment_evidence_ref' });
export const selfAssessmentSchema = z.strictObject({
  items: z.array(z.strictObject({ code: z.string().max(60), score: score, explanation: multiline(0, 1000).default(''), evidence: z.array(evidenceRef).max(20).default([]) })).min(1).max(60),
});
/** The county's review: a score on every evidence item and a comment on any item (a KPI item's points are the rule's: no score). */
export const reviewSchema = z.strictObject({ items: z.array(z.strictObject({ code: z.string().max(60), score: score.optional(), comment: multiline(0, 1000).default('') })).min(1).max(60) });
export const auditSchema = z.strictObject({ items: z.array(z.strictObject({ code: z.string().max(60), score, reason: multiline(2, 1000) })).max(60) });
export const assessmentAppealSchema = z.strictObject({ reason: multiline(5, 2000), items: z.array(z.string().max(60)).max(60).default([]) });
export const decideAppealSchema = z.strictObject({
  decision: z.enum(['upheld', 'rejected']), reason: multiline(2, 1000),
  items: z.array(z.strictObject({ code: z.string().max(60), score })).max(60).default([]),
});
export const recomputeSchema = z.strictObject({ reason: multiline(2, 500) });
export const cycleListSchema = z.object({ state: z.enum(['open', 'frozen', 'published']).optional() });
