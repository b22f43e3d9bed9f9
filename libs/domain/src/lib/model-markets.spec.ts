import { DEFAULT_MODEL_RULES, daysInclusive, gradeAtLeast, modelEligibility, modelLevelOf, proposeModelMarketsSchema, type ModelMarketFacts } from './model-markets';

const DAY = '2026-12-06';
const clean: ModelMarketFacts = {
  firstDay: '2026-09-08', result: { grade: 'excellent', total: 93.5, underAppeal: false }, chainProblems: 0, callbackFailures: 0, discriminationUpheld: 0, titled: false,
};

describe('model market eligibility (issue 15 §5)', () => {
  it('counts days both included; grades in order 优 > 良 > 中 > 差', () => {
    expect(daysInclusive('2026-09-08', '2026-12-06')).toBe(90);
    expect(daysInclusive('2026-12-06', '2026-12-06')).toBe(1);
    expect(gradeAtLeast('excellent', 'excellent')).toBe(true);
    expect(gradeAtLeast('good', 'excellent')).toBe(false);
    expect(gradeAtLeast('good', 'fair')).toBe(true);
    expect(gradeAtLeast('poor', 'fair')).toBe(false);
  });

  it('a clean market with 90 days and 优 is a candidate, with its reasons', () => {
    const r = modelEligibility(clean, DAY);
    expect(r.eligible).toBe(true);
    expect(r.exclusions).toEqual([]);
    expect(r.reasons).toEqual([
      { key: 'operation', params: { days: 90 } }, { key: 'grade', params: { grade: 'excellent', total: 93.5 } },
      { key: 'chain_clean' }, { key: 'callbacks_clean' }, { key: 'no_discrimination' },
    ]);
  });

  it('89 days is too short; no work log at all is 0 days', () => {
    expect(modelEligibility({ ...clean, firstDay: '2026-09-09' }, DAY).exclusions).toEqual([{ key: 'operation_too_short', params: { days: 89, min: 90 } }]);
    expect(modelEligibility({ ...clean, firstDay: null }, DAY).exclusions).toEqual([{ key: 'operation_too_short', params: { days: 0, min: 90 } }]);
  });

  it('each falsified-data rule excludes on its own, and every failed rule is named', () => {
    expect(modelEligibility({ ...clean, chainProblems: 1 }, DAY).exclusions).toEqual([{ key: 'chain_broken', params: { count: 1 } }]);
    expect(modelEligibility({ ...clean, callbackFailures: 2 }, DAY).exclusions).toEqual([{ key: 'callback_failed', params: { count: 2 } }]);
    expect(modelEligibility({ ...clean, discriminationUpheld: 1 }, DAY).exclusions).toEqual([{ key: 'discrimination_upheld', params: { count: 1 } }]);
    expect(modelEligibility({ ...clean, titled: true }, DAY).exclusions).toEqual([{ key: 'already_titled' }]);
    const all = modelEligibility({ firstDay: '2026-11-01', result: { grade: 'good', total: 85, underAppeal: true }, chainProblems: 3, callbackFailures: 1, discriminationUpheld: 1, titled: true }, DAY);
    expect(all.eligible).toBe(false);
    expect(all.reasons).toEqual([]);
    expect(all.exclusions.map((e) => e.key)).toEqual(['operation_too_short', 'grade_below', 'result_under_appeal', 'chain_broken', 'callback_failed', 'discrimination_upheld', 'already_titled']);
  });

  it('the grade threshold: 良 passes a 良 threshold, fails the default 优; a market not assessed is no candidate', () => {
    const good = { ...clean, result: { grade: 'good' as const, total: 84, underAppeal: false } };
    expect(modelEligibility(good, DAY).exclusions).toEqual([{ key: 'grade_below', params: { grade: 'good', total: 84, min: 'excellent' } }]);
    expect(modelEligibility(good, DAY, { ...DEFAULT_MODEL_RULES, minGrade: 'good' }).eligible).toBe(true);
    expect(modelEligibility({ ...clean, result: null }, DAY)).toEqual({ eligible: false, reasons: [], exclusions: [{ key: 'not_assessed' }] });
  });

  it('levels: the province and a city grant titles, nobody else; the notice lasts 5 to 30 days', () => {
    expect([modelLevelOf('province'), modelLevelOf('city'), modelLevelOf('county'), modelLevelOf('operator')]).toEqual(['province', 'city', null, null]);
    const ok = { cycleId: '0190a3b4-0000-7000-8000-000000000001', title: '2026年第四季度示范零工市场', noticeDays: 7 };
    expect(proposeModelMarketsSchema.safeParse(ok).success).toBe(true);
    expect(proposeModelMarketsSchema.safeParse({ ...ok, noticeDays: 4 }).success).toBe(false);
    expect(proposeModelMarketsSchema.safeParse({ ...ok, noticeDays: 31 }).success).toBe(false);
  });
});
