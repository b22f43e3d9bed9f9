import {
  DEFAULT_BANDS, bandProblems, defaultTemplate, gradeOf, kpiPoints, kpiShare, leavesOf, localVersionProblems, resultOf, subsidyOf, targetScale, templateProblems,
  type IndicatorNode, type TemplateBody,
} from './assessment';

const linearUp = { direction: 'higher' as const, target: 98, floor: 80, rule: { type: 'linear' as const } };
const linearDown = { direction: 'lower' as const, target: 0.3, floor: 1.5, rule: { type: 'linear' as const } };

describe('scoring rules (hand-computed)', () => {
  it('linear, higher is better: 0 at the floor, 1 at the target, straight between', () => {
    expect(kpiShare(linearUp, 80)).toBe(0);
    expect(kpiShare(linearUp, 70)).toBe(0);
    expect(kpiShare(linearUp, 98)).toBe(1);
    expect(kpiShare(linearUp, 99.5)).toBe(1);
    // (89 − 80) / (98 − 80) = 9 / 18 = 0.5
    expect(kpiShare(linearUp, 89)).toBeCloseTo(0.5, 10);
    // 10 points × (72.4 − 80 → below floor) = 0; 10 × (95 − 80)/18 = 8.333… → 8.33
    expect(kpiPoints({ kpi: 'settlement_rate', ...linearUp }, 10, 72.4)).toBe(0);
    expect(kpiPoints({ kpi: 'settlement_rate', ...linearUp }, 10, 95)).toBe(8.33);
  });
  it('linear, lower is better: 1 at or under the target, 0 at or over the floor', () => {
    expect(kpiShare(linearDown, 0)).toBe(1);
    expect(kpiShare(linearDown, 1.5)).toBe(0);
    expect(kpiShare(linearDown, 2)).toBe(0);
    // (1.5 − 0.9) / (1.5 − 0.3) = 0.6 / 1.2 = 0.5 → 5 points × 0.5 = 2.5
    expect(kpiPoints({ kpi: 'non_payment_per_100', ...linearDown }, 5, 0.9)).toBe(2.5);
    // (1.5 − 1.6) → over the floor: 0
    expect(kpiPoints({ kpi: 'non_payment_per_100', ...linearDown }, 5, 1.6)).toBe(0);
  });
  it('bands: the best step reached, 0 when none is', () => {
    const up = { direction: 'higher' as const, target: 0, floor: 0, rule: { type: 'bands' as const, steps: [{ at: 95, share: 1 }, { at: 90, share: 0.8 }, { at: 80, share: 0.5 }] } };
    expect(kpiShare(up, 96)).toBe(1);
    expect(kpiShare(up, 90)).toBe(0.8);
    expect(kpiShare(up, 85)).toBe(0.5);
    expect(kpiShare(up, 79.9)).toBe(0);
    const down = { direction: 'lower' as const, target: 0, floor: 0, rule: { type: 'bands' as const, steps: [{ at: 0, share: 1 }, { at: 2, share: 0.5 }] } };
    expect(kpiShare(down, 0)).toBe(1);
    expect(kpiShare(down, 2)).toBe(0.5);
    expect(kpiShare(down, 3)).toBe(0);
    // 4 points × 0.5 = 2
    expect(kpiPoints({ kpi: 'notice_breaches', ...down }, 4, 1)).toBe(2);
  });
  it('a null figure (no case in the period) earns the full share', () => {
    expect(kpiShare(linearUp, null)).toBe(1);
  });
  it('per-market-month targets scale with markets and days', () => {
    // two markets over a 90-day quarter: × 6; target 150 → 900, floor 20 → 120; 510 hires: (510 − 120)/(900 − 120) = 0.5 → 12 × 0.5 = 6
    expect(targetScale(2, 90)).toBe(6);
    expect(kpiPoints({ kpi: 'hires_started', direction: 'higher', target: 150, floor: 20, rule: { type: 'linear' }, perMarketMonth: true }, 12, 510, 6)).toBe(6);
  });
});

describe('grades', () => {
  it('优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 < 60, each with its consequence', () => {
    expect(gradeOf(100).grade).toBe('excellent');
    expect(gradeOf(90).grade).toBe('excellent');
    expect(gradeOf(89.99).grade).toBe('good');
    expect(gradeOf(80).grade).toBe('good');
    expect(gradeOf(60).grade).toBe('fair');
    expect(gradeOf(59.99)).toEqual({ grade: 'poor', min: 0, max: 60, consequence: 'exit_proposable' });
    expect(gradeOf(0).grade).toBe('poor');
    expect(resultOf([30, 20.5, 9.49])).toEqual({ total: 59.99, grade: 'poor', consequence: 'exit_proposable' });
    expect(resultOf([50, 30, 5]).consequence).toBe('warning');
    expect(resultOf([40, 25]).consequence).toBe('rectification');
  });
});

describe('template validation', () => {
  it('the default template is valid: 产出 50 · 效益 30 · 满意度 10 · 过程与数据质量 10, leaves total 100', () => {
    const t = defaultTemplate();
    expect(templateProblems(t)).toEqual([]);
    expect(t.indicators.map((n) => [n.zh, n.weight])).toEqual([['产出', 50], ['效益', 30], ['满意度', 10], ['过程与数据质量', 10]]);
    expect(leavesOf(t.indicators).reduce((s, l) => s + l.node.weight, 0)).toBe(100);
    expect(leavesOf(t.indicators).every((l) => l.level === 3)).toBe(true);
  });
  it('weights that do not total 100 are refused with the total', () => {
    const t = defaultTemplate();
    t.indicators[3].weight = 5;
    t.indicators[3].children![0].weight = 5;
    t.indicators[3].children![0].children![0].weight = 0;
    const p = templateProblems(t);
    expect(p).toContainEqual({ field: 'indicators', key: 'assessment_weights_total', params: { total: 95 } });
    expect(p.map((x) => x.key)).toContain('assessment_weight_positive');
  });
  it("a parent's weight is its children's sum", () => {
    const t = defaultTemplate();
    t.indicators[0].children![0].children![0].weight = 7;
    expect(templateProblems(t)).toContainEqual({ field: 'indicators[0].children[0].children', key: 'assessment_children_weights', params: { code: 'output.volume', weight: 30, total: 31 } });
  });
  it('a leaf is KPI-backed or evidence-backed, an unknown KPI and a reversed target are refused, four levels are too deep', () => {
    const leaf = (x: Partial<IndicatorNode>): IndicatorNode => ({ code: 'x', zh: 'x', weight: 100, ...x });
    const body = (n: IndicatorNode): TemplateBody => ({ indicators: [n], bands: [...DEFAULT_BANDS], localBudget: 10 });
    expect(templateProblems(body(leaf({}))).map((p) => p.key)).toEqual(['assessment_leaf_kind']);
    expect(templateProblems(body(leaf({ kpi: { kpi: 'nope', direction: 'higher', target: 1, floor: 0, rule: { type: 'linear' } } }))).map((p) => p.key)).toEqual(['assessment_unknown_kpi']);
    expect(templateProblems(body(leaf({ kpi: { kpi: 'settlement_rate', direction: 'higher', target: 50, floor: 80, rule: { type: 'linear' } } }))).map((p) => p.key)).toEqual(['assessment_target_floor']);
    const deep: IndicatorNode = { code: 'a', zh: 'a', weight: 100, children: [{ code: 'b', zh: 'b', weight: 100, children: [{ code: 'c', zh: 'c', weight: 100, children: [{ code: 'd', zh: 'd', weight: 100, evidence: { requirement: 'x' } }] }] }] };
    expect(templateProblems(body(deep)).map((p) => p.key)).toEqual(['assessment_too_deep']);
  });
  it('local items stay within the budget', () => {
    const t = defaultTemplate();
    t.localBudget = 2;
    t.indicators[1].children![0].children![0].local = true; // 5 points
    expect(templateProblems(t)).toContainEqual({ field: 'indicators', key: 'assessment_local_budget', params: { total: 5, budget: 2 } });
  });
  it('bands cover 0–100 with no gap or overlap', () => {
    expect(bandProblems(DEFAULT_BANDS)).toEqual([]);
    const gap = DEFAULT_BANDS.map((b) => (b.grade === 'fair' ? { ...b, min: 65 } : b));
    expect(bandProblems(gap)).toEqual([{ field: 'bands', key: 'assessment_band_gap', params: { from: 60, to: 65 } }]);
    const overlap = DEFAULT_BANDS.map((b) => (b.grade === 'good' ? { ...b, min: 75 } : b));
    expect(bandProblems(overlap)).toEqual([{ field: 'bands', key: 'assessment_band_overlap', params: { from: 75, to: 80 } }]);
    expect(bandProblems(DEFAULT_BANDS.filter((b) => b.grade !== 'excellent'))).toEqual([{ field: 'bands', key: 'assessment_band_gap', params: { from: 90, to: 100 } }]);
    expect(bandProblems([...DEFAULT_BANDS, DEFAULT_BANDS[0]]).map((p) => p.key)).toContain('assessment_band_grades');
  });
});

describe('subsidy (R-F2)', () => {
  it('result-linked instalments due in the period × the grade factor + workload × unit rates', () => {
    const c = {
      schedule: [
        { label: '一季度固定', due: '2026-03-31', amountFen: 20_000_000, resultLinked: false },
        { label: '一季度考核', due: '2026-03-31', amountFen: 10_000_000, resultLinked: true },
        { label: '二季度考核', due: '2026-06-30', amountFen: 10_000_000, resultLinked: true },
      ],
      unitRates: [{ kpi: 'hires_started', rateFen: 500 }, { kpi: 'training_completions', rateFen: 12_000 }],
      gradeFactors: { excellent: 100, good: 90, fair: 70, poor: 0 },
    };
    const s = subsidyOf(c, { from: '2026-01-01', to: '2026-03-31' }, 'good', { hires_started: 1234, training_completions: 7 });
    // 10 000 000 × 90 % = 9 000 000; 1 234 × 500 = 617 000; 7 × 12 000 = 84 000; total 9 701 000 fen
    expect(s.resultLinkedFen).toBe(10_000_000);
    expect(s.resultPartFen).toBe(9_000_000);
    expect(s.workload.map((w) => w.amountFen)).toEqual([617_000, 84_000]);
    expect(s.payableFen).toBe(9_701_000);
    expect(subsidyOf(c, { from: '2026-01-01', to: '2026-03-31' }, 'poor', { hires_started: 0 }).payableFen).toBe(0);
  });
});

describe('local versions by cities and counties (issue 15 §2)', () => {
  const base = defaultTemplate();
  // Take 5 points from the first KPI leaf of 产出 and give them to a local evidence item under 产出.
  const withLocal = (take: number, give: number, mutate?: (b: TemplateBody) => void) => {
    const b = structuredClone(base);
    const output = b.indicators[0];
    const firstParent = output.children?.[0] as IndicatorNode;
    const leaf = (firstParent.children ?? [firstParent])[0];
    leaf.weight = Math.round((leaf.weight - take) * 100) / 100;
    firstParent.weight = Math.round((firstParent.weight - take + (firstParent.children ? give : 0)) * 100) / 100;
    (firstParent.children ?? output.children ?? []).push({ code: 'local.fair', zh: '本地招聘会次数', weight: give, evidence: { requirement: '活动照片' }, local: true });
    if (!firstParent.children) output.weight = Math.round((output.weight - take + give) * 100) / 100;
    mutate?.(b);
    return b;
  };
  it('points taken from province leaves and given to local items: valid within the budget', () => {
    expect(localVersionProblems(base, withLocal(5, 5))).toEqual([]);
  });
  it('over the budget, raised province weights, changed or unmarked items are refused with the code', () => {
    expect(localVersionProblems(base, withLocal(11, 11)).map((p) => p.key)).toContain('assessment_local_budget');
    const up = withLocal(5, 5, (b) => { const l = leavesOf(b.indicators).find((x) => !x.node.local && x.node.code !== leavesOf(base.indicators)[0].node.code); if (l) l.node.weight += 1; });
    expect(localVersionProblems(base, up).map((p) => p.key)).toContain('assessment_local_weight_up');
    const renamed = withLocal(5, 5, (b) => { b.indicators[1].zh = '改名'; });
    expect(localVersionProblems(base, renamed)).toContainEqual({ field: 'indicators', key: 'assessment_local_base_changed', params: { code: b0(base) } });
    const unmarked = withLocal(5, 5, (b) => { const l = leavesOf(b.indicators).find((x) => x.node.code === 'local.fair'); if (l) delete l.node.local; });
    expect(localVersionProblems(base, unmarked)).toContainEqual({ field: 'indicators', key: 'assessment_local_unmarked', params: { code: 'local.fair' } });
    expect(localVersionProblems(base, { ...withLocal(5, 5), localBudget: 30 }).map((p) => p.key)).toContain('assessment_local_fixed');
  });
});
const b0 = (t: TemplateBody) => t.indicators[1].code;
