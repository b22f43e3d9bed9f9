import { KPIS, ageBandOf, epochDay, computeKpi, drillMetricOf, drillSourceOf, histogramOf, kpiOf, kpiQuerySchema, medianOf, metricsOfEntry, type EntryContext, type KpiInputs } from './kpis';

const ctx = (posts: Record<string, object> = {}, notices: Record<string, number[]> = {}): EntryContext => ({
  postSubmission: (id) => posts[id] as ReturnType<EntryContext['postSubmission']>,
  hadEarlierNotice: (c, seq) => (notices[c] ?? []).some((s) => s < seq),
});
const base: KpiInputs = { sums: {}, histograms: {}, openDays: 0, distinctSeekers: 0, openDemand: 0, recentSeekers: 0, seeking: [], daysWithEntries: 0, lateDays: 0, verificationFailures: 0, staff: 0, markets: 0 };
const k = (code: string) => {
  const def = kpiOf(code);
  if (!def) throw new Error(`no KPI ${code}`);
  return def;
};

describe('KPI catalogue', () => {
  it('has a unique code, both names, both definitions and a requirement for every KPI', () => {
    expect(new Set(KPIS.map((x) => x.code)).size).toBe(KPIS.length);
    for (const x of KPIS) {
      expect(x.zh && x.en && x.definitionZh && x.definitionEn && x.basis).toBeTruthy();
      expect(x.requirement.every((r) => /^R-[A-G]\d+$/.test(r))).toBe(true);
    }
  });

  it('covers what issue 13 names', () => {
    for (const c of ['registrations', 'service_visits', 'posts_published', 'headcount_demanded', 'recommendations', 'hires_confirmed', 'hires_started',
      'daily_avg_hires', 'match_success_rate', 'demand_supply_ratio', 'median_day_wage', 'settlement_rate', 'non_payment_per_100', 'job_seeking_days',
      'hardship_placed', 'package_131_completion', 'training_attendances', 'training_completions', 'guidance_services', 'tool_loans', 'events_held',
      'complaints_on_time', 'complaint_satisfaction', 'notice_breaches', 'log_timeliness', 'log_late_days', 'log_verification_failures',
      'staff_per_market', 'seekers_per_staff', 'effective_demand_ratio']) expect(kpiOf(c)).toBeDefined();
  });
});

describe('metricsOfEntry: which entries a figure counts', () => {
  const posts = { p1: { occupation: '瓦工', headcount: 3, wageFen: 4000, wageUnit: 'hour' }, p2: { occupation: '普工', headcount: 2, wageFen: 50, wageUnit: 'piece' } };
  it('a published post adds 1 post, its submitted headcount and its day wage (hour × 8 = 4000 × 8 = 32000 fen)', () => {
    expect(metricsOfEntry({ seq: 5, kind: 'post_published', payload: { postId: 'p1' } }, ctx(posts))).toEqual([
      { metric: 'posts_published', value: 1, occupation: '瓦工' },
      { metric: 'headcount_demanded', value: 3, occupation: '瓦工' },
      { metric: 'post_day_wage', value: 1, bucket: 32000, occupation: '瓦工' },
    ]);
  });
  it('a piece-rate post has no day wage', () => {
    expect(metricsOfEntry({ seq: 6, kind: 'post_published', payload: { postId: 'p2' } }, ctx(posts)).map((h) => h.metric)).toEqual(['posts_published', 'headcount_demanded']);
  });
  it('hires take the occupation of their post', () => {
    expect(metricsOfEntry({ seq: 8, kind: 'hire_started', payload: { postId: 'p1' } }, ctx(posts))).toEqual([{ metric: 'hires_started', value: 1, occupation: '瓦工' }]);
  });
  it('complaints: closed late is closed but not on time; basically satisfied is satisfied; only a later notice adding items is a breach', () => {
    expect(metricsOfEntry({ seq: 1, kind: 'complaint_step', payload: { step: 'closed', late: true } }, ctx()).map((h) => h.metric)).toEqual(['complaints_closed']);
    expect(metricsOfEntry({ seq: 1, kind: 'complaint_step', payload: { step: 'closed', late: false } }, ctx()).map((h) => h.metric)).toEqual(['complaints_closed', 'complaints_closed_on_time']);
    expect(metricsOfEntry({ seq: 1, kind: 'complaint_step', payload: { step: 'callback', satisfaction: 'basically' } }, ctx()).map((h) => h.metric)).toEqual(['complaint_callbacks', 'complaint_satisfied']);
    expect(metricsOfEntry({ seq: 1, kind: 'complaint_step', payload: { step: 'callback', satisfaction: 'dissatisfied' } }, ctx()).map((h) => h.metric)).toEqual(['complaint_callbacks']);
    const n = { c1: [10] };
    expect(metricsOfEntry({ seq: 10, kind: 'complaint_step', payload: { step: 'notice', complaintId: 'c1', noticeAddedItems: 2 } }, ctx({}, n))).toEqual([]);
    expect(metricsOfEntry({ seq: 12, kind: 'complaint_step', payload: { step: 'notice', complaintId: 'c1', noticeAddedItems: 1 } }, ctx({}, n)).map((h) => h.metric)).toEqual(['notice_breaches']);
    expect(metricsOfEntry({ seq: 12, kind: 'complaint_step', payload: { step: 'notice', complaintId: 'c1', noticeAddedItems: 0 } }, ctx({}, n))).toEqual([]);
  });
  it('events count when held, training when completed (not at the certificate), plans by step', () => {
    expect(metricsOfEntry({ seq: 1, kind: 'event', payload: { step: 'planned' } }, ctx())).toEqual([]);
    expect(metricsOfEntry({ seq: 1, kind: 'event', payload: { step: 'held' } }, ctx()).map((h) => h.metric)).toEqual(['events_held']);
    expect(metricsOfEntry({ seq: 1, kind: 'training_completion', payload: { step: 'certificate' } }, ctx())).toEqual([]);
    expect(metricsOfEntry({ seq: 1, kind: 'assistance_plan', payload: { step: 'stable_employment' } }, ctx()).map((h) => h.metric)).toEqual(['hardship_placed']);
    expect(metricsOfEntry({ seq: 1, kind: 'public_welfare_post', payload: {} }, ctx()).map((h) => h.metric)).toEqual(['hardship_placed']);
  });
});

describe('open demand (the report\'s carried-over demand): a post\'s headcount while open, keyed by its expiry day', () => {
  const c: EntryContext = { ...ctx({ p1: { occupation: '瓦工', headcount: 3 } }), cohortDay: (of, id) => (of === 'post' && id === 'p1' ? '2026-10-02' : undefined), postExpiryDay: (id) => (id === 'p1' ? '2026-10-05' : undefined) };
  const open = (value: number) => ({ metric: 'demand_open', value, bucket: epochDay('2026-10-05'), occupation: '瓦工' });
  const openOf = (kind: string, payload: Record<string, unknown>) => metricsOfEntry({ seq: 9, kind, payload: { postId: 'p1', ...payload } }, c).filter((h) => h.metric === 'demand_open');
  it('publication adds the headcount; withdrawal and the hire that fills the post take it out; a release that reopens it puts it back', () => {
    // 1970-01-01 to 2026-10-05: 56 years of which 14 leap (1972 … 2024) = 20,454 days, + 277 days of 2026 before 5 October = 20,731.
    expect(epochDay('2026-10-05')).toBe(20731);
    expect(openOf('post_published', {})).toEqual([open(3)]);
    expect(openOf('post_closed', { reason: 'withdrawn' })).toEqual([open(-3)]);
    expect(openOf('hire_confirmed', { filled: true })).toEqual([open(-3)]);
    expect(openOf('cancellation', { reopened: true })).toEqual([open(3)]);
    expect(openOf('no_show', { reopened: true })).toEqual([open(3)]);
  });
  it('expiry, a hire that leaves places, a release of a post not full and a post without a known expiry change nothing', () => {
    expect(openOf('post_closed', { reason: 'expired' })).toEqual([]);
    expect(openOf('hire_confirmed', { filled: false })).toEqual([]);
    expect(openOf('cancellation', { reopened: false })).toEqual([]);
    expect(metricsOfEntry({ seq: 1, kind: 'post_published', payload: { postId: 'p1' } }, ctx({ p1: { occupation: '瓦工', headcount: 3 } })).map((h) => h.metric)).toEqual(['posts_published', 'headcount_demanded']);
  });
});

describe('cohorts: settlements, non-payment, completed packages and closed posts carry their cohort day', () => {
  const c = (days: Record<string, string>): EntryContext => ({ ...ctx({ p1: { occupation: '瓦工', headcount: 3 } }), cohortDay: (of, id) => days[`${of}:${id}`] });
  it('a settlement counts for the hire started on its start day; without a start entry only as a settlement', () => {
    expect(metricsOfEntry({ seq: 9, kind: 'settlement', payload: { placementId: 'a', postId: 'p1' } }, c({ 'placement:a': '2026-10-30' }))).toEqual([
      { metric: 'settlements', value: 1, occupation: '瓦工' }, { metric: 'hires_settled', value: 1, occupation: '瓦工', cohortDay: '2026-10-30' }]);
    expect(metricsOfEntry({ seq: 9, kind: 'settlement', payload: { placementId: 'b', postId: 'p1' } }, c({})).map((h) => h.metric)).toEqual(['settlements']);
  });
  it('non-payment and completed packages by their hire and plan', () => {
    expect(metricsOfEntry({ seq: 9, kind: 'non_payment_report', payload: { placementId: 'a' } }, c({ 'placement:a': '2026-10-01' }))[1]).toEqual({ metric: 'hires_unpaid', value: 1, occupation: null, cohortDay: '2026-10-01' });
    expect(metricsOfEntry({ seq: 9, kind: 'assistance_plan', payload: { planId: 'x', step: 'package_complete' } }, c({ 'plan:x': '2026-09-12' }))[1]).toEqual({ metric: 'plans_completed', value: 1, occupation: null, cohortDay: '2026-09-12' });
  });
  it('a closed post takes its headcount out of the open demand of its publishing day; one never published is nothing', () => {
    expect(metricsOfEntry({ seq: 9, kind: 'post_closed', payload: { postId: 'p1', reason: 'expired' } }, c({ 'post:p1': '2026-10-02' }))).toEqual([{ metric: 'demand_closed', value: -3, occupation: '瓦工', cohortDay: '2026-10-02' }]);
    expect(metricsOfEntry({ seq: 9, kind: 'post_closed', payload: { postId: 'p1', reason: 'withdrawn' } }, c({}))).toEqual([]);
  });
});

describe('computeKpi: formulas on hand-computed aggregates', () => {
  const a: KpiInputs = {
    ...base,
    sums: { hires_started: 45, recommendations: 80, hires_confirmed: 52, settlements: 40, hires_settled: 36, non_payment_reports: 4, hires_unpaid: 3, plans_completed: 3, headcount_demanded: 410, packages_opened: 8, packages_completed: 3, complaints_closed: 7, complaints_closed_on_time: 6, complaint_callbacks: 6, complaint_satisfied: 5, check_ins: 300 },
    histograms: { post_day_wage: [[20000, 2], [15000, 1], [30000, 1]] },
    openDays: 18, distinctSeekers: 120, openDemand: 150, recentSeekers: 200, seeking: histogramOf([0, 2, 5, 1]), daysWithEntries: 20, lateDays: 3, verificationFailures: 1, staff: 6, markets: 2,
  };
  it('sums are the metric', () => expect(computeKpi(k('service_visits'), a)).toBe(300));
  // 45 started ÷ 18 open days = 2.5
  it('daily average successful hires', () => expect(computeKpi(k('daily_avg_hires'), a)).toBe(2.5));
  // 52 confirmed ÷ 80 recommended × 100 = 65 %
  it('match success rate', () => expect(computeKpi(k('match_success_rate'), a)).toBe(65));
  // 410 headcount ÷ 120 distinct seekers = 3.4166… → 3.42
  it('求人倍率 (new demand)', () => expect(computeKpi(k('demand_supply_ratio'), a)).toBe(3.42));
  // sorted 15000, 20000, 20000, 30000: even total 4 → (20000 + 20000) / 2 = 20000
  it('median day wage', () => expect(computeKpi(k('median_day_wage'), a)).toBe(20000));
  // Open demand 150 (headcount published in the 30 days, minus that of the posts closed since) ÷ 200 recent seekers = 0.75
  it('effective 求人倍率', () => {
    expect(computeKpi(k('effective_demand_ratio'), a)).toBe(0.75);
    expect(computeKpi(k('effective_demand_ratio'), { ...a, openDemand: -4 })).toBe(0); // more closed than published in the window: no open demand
    expect(computeKpi(k('effective_demand_ratio'), { ...a, recentSeekers: 0 })).toBeNull();
  });
  // Cohort: 36 of the 45 hires started were settled by the period's end (the 40 settlements recorded include 4 of
  // earlier hires, which do not count) → 36 ÷ 45 × 100 = 80 %; 3 of the 45 reported unpaid → 3 ÷ 45 × 100 = 6.666… → 6.67
  it('settlement rate and non-payment per 100 hires', () => {
    expect(computeKpi(k('settlement_rate'), a)).toBe(80);
    expect(computeKpi(k('non_payment_per_100'), a)).toBe(6.67);
  });
  // sorted 0, 1, 2, 5 → (1 + 2) / 2 = 1.5 days
  it('job-seeking duration', () => expect(computeKpi(k('job_seeking_days'), a)).toBe(1.5));
  // 3 of the 8 plans opened completed their package → 3 ÷ 8 × 100 = 37.5 %; 6 ÷ 7 × 100 = 85.714… → 85.71; 5 ÷ 6 × 100 = 83.33
  it('1-3-1 completion, complaints on time, satisfaction', () => {
    expect(computeKpi(k('package_131_completion'), a)).toBe(37.5);
    expect(computeKpi(k('complaints_on_time'), a)).toBe(85.71);
    expect(computeKpi(k('complaint_satisfaction'), a)).toBe(83.33);
  });
  // (20 − 3) ÷ 20 × 100 = 85 %; 3 late; 1 failure
  it('work-log timeliness', () => {
    expect(computeKpi(k('log_timeliness'), a)).toBe(85);
    expect(computeKpi(k('log_late_days'), a)).toBe(3);
    expect(computeKpi(k('log_verification_failures'), a)).toBe(1);
  });
  // 6 staff ÷ 2 markets = 3; 120 seekers ÷ 6 staff = 20
  it('staff per market and workers served per staff member (R-A5)', () => {
    expect(computeKpi(k('staff_per_market'), a)).toBe(3);
    expect(computeKpi(k('seekers_per_staff'), a)).toBe(20);
  });
  it('a zero denominator is no figure, not 0 or infinity', () => {
    expect(computeKpi(k('settlement_rate'), base)).toBeNull();
    expect(computeKpi(k('median_day_wage'), base)).toBeNull();
    expect(computeKpi(k('job_seeking_days'), base)).toBeNull();
  });
  it('median of an odd histogram is the middle value: 1, 2, 2, 9, 9 → 2', () => expect(medianOf([[9, 2], [1, 1], [2, 2]])).toBe(2));
});

describe('ages, drill-down parts and the query', () => {
  it('age bands on the business day', () => {
    expect(ageBandOf(2000, '2026-12-01')).toBe('25-39'); // 26
    expect(ageBandOf(1966, '2026-12-01')).toBe('60+');
    expect(ageBandOf(null, '2026-12-01')).toBeNull();
  });
  it('a ratio drills to its numerator or denominator; timeliness is not made of entries', () => {
    expect(drillMetricOf(k('settlement_rate'), 'denominator')).toBe('hires_started');
    expect(drillMetricOf(k('demand_supply_ratio'), 'denominator')).toBe('distinct_seekers');
    expect(drillMetricOf(k('log_timeliness'), 'value')).toBeNull();
    expect(drillSourceOf(k('settlement_rate'), 'numerator')).toEqual({ type: 'facts', metrics: ['hires_settled'], window: 'period' });
    expect(drillSourceOf(k('effective_demand_ratio'), 'numerator')).toEqual({ type: 'facts', metrics: ['headcount_demanded', 'demand_closed'], window: 'effective' });
    expect(drillSourceOf(k('log_timeliness'), 'value')).toEqual({ type: 'days', which: 'on_time' });
    expect(drillSourceOf(k('staff_per_market'), 'denominator')).toEqual({ type: 'markets' });
    expect(drillSourceOf(k('log_late_days'), 'denominator')).toBeNull();
  });
  it('every KPI drills down (its value part)', () => {
    for (const x of KPIS) expect({ code: x.code, source: drillSourceOf(x, 'value') }).toEqual({ code: x.code, source: expect.any(Object) });
  });
  it('rejects an unknown KPI code and a reversed period', () => {
    expect(kpiQuerySchema.safeParse({ from: '2026-01-01', to: '2026-01-31', kpis: 'hires_started,nope' }).success).toBe(false);
    expect(kpiQuerySchema.safeParse({ from: '2026-02-01', to: '2026-01-31' }).success).toBe(false);
    expect(kpiQuerySchema.parse({ from: '2026-01-01', to: '2026-01-31', kpis: 'hires_started, settlement_rate' }).kpis).toEqual(['hires_started', 'settlement_rate']);
  });
});
