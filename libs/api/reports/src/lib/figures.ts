import type { ReportAggregates, ReportFactGroup } from '@linggong/api-analytics';
import {
  SEEKING_BUCKETS, computeKpi, percentileOf, requireKpi,
  type CountRow, type DemandSupplyRow, type KpiInputs, type Metric, type ReportFigures, type WageRow,
} from '@linggong/domain';

const KPI = {
  ratio: requireKpi('demand_supply_ratio'), wage: requireKpi('median_day_wage'), seeking: requireKpi('job_seeking_days'),
  demand: requireKpi('headcount_demanded'), hires: requireKpi('hires_started'), visits: requireKpi('service_visits'), posts: requireKpi('posts_published'),
};
const blank = (): KpiInputs => ({ sums: {}, histograms: {}, openDays: 0, distinctSeekers: 0, openDemand: 0, recentSeekers: 0, seeking: [], daysWithEntries: 0, lateDays: 0, verificationFailures: 0, staff: 0, markets: 0 });
/** 求人倍率 through the catalogue's own formula (demand ÷ distinct seekers), for any slice. */
const ratioOf = (demand: number, seekers: number) => computeKpi(KPI.ratio, { ...blank(), sums: { headcount_demanded: demand }, distinctSeekers: seekers });

function sumBy(groups: ReportFactGroup[], metric: Metric, key: (g: ReportFactGroup) => string, field: 'value' | 'n' = 'value'): Map<string, number> {
  const out = new Map<string, number>();
  for (const g of groups) if (g.metric === metric) out.set(key(g), (out.get(key(g)) ?? 0) + g[field]);
  return out;
}
function histBy(groups: ReportFactGroup[], key: (g: ReportFactGroup) => string): Map<string, [number, number][]> {
  const out = new Map<string, Map<number, number>>();
  for (const g of groups) {
    if (g.metric !== 'post_day_wage') continue;
    const h = out.get(key(g)) ?? out.set(key(g), new Map()).get(key(g))!;
    h.set(g.bucket, (h.get(g.bucket) ?? 0) + g.n);
  }
  return new Map([...out].map(([k, h]) => [k, [...h]]));
}
/** Wages in fen per day (the buckets are day-equivalent wages, `dayWageFen`), with hourly equivalents (÷ 8). */
function wageRows(h: Map<string, [number, number][]>): WageRow[] {
  const hour = (v: number | null) => (v === null ? null : Math.round(v / 8));
  return [...h].map(([key, hist]) => {
    const posts = hist.reduce((s, [, n]) => s + n, 0);
    const median = computeKpi(KPI.wage, { ...blank(), histograms: { post_day_wage: hist } });
    const p25 = percentileOf(hist, 0.25);
    const p75 = percentileOf(hist, 0.75);
    const average = posts ? Math.round(hist.reduce((s, [v, n]) => s + v * n, 0) / posts) : null;
    return { key, posts, average, p25, median, p75, hourlyP25: hour(p25), hourlyMedian: hour(median), hourlyP75: hour(p75) };
  }).sort((a, b) => b.posts - a.posts || a.key.localeCompare(b.key));
}
const rows = (m: Map<string, number>): CountRow[] => [...m].map(([key, value]) => ({ key, value })).sort((a, b) => b.value - a.value || a.key.localeCompare(b.key));

/**
 * The standard tables of a monthly 供求分析 from analytics' aggregates (issue 14 §3). Totals are the
 * KPI catalogue's figures over the same inputs as `analytics_kpis`; every slice uses the catalogue's
 * formulas (demand ratio, median wage) on its own part of the same fact rows.
 */
export function buildFigures(a: ReportAggregates, month: string, from: string, to: string, regionCode: string, countyNames: Map<string, string>): ReportFigures {
  const i = a.inputs;
  const newDemand = computeKpi(KPI.demand, i) ?? 0;
  const seekers = i.distinctSeekers;
  const demandOcc = sumBy(a.groups, 'headcount_demanded', (g) => g.occupation);
  const occupations = new Set([...demandOcc.keys(), ...a.seekersByOccupation.keys()].filter(Boolean));
  const byOccupation: DemandSupplyRow[] = [...occupations].map((key) => {
    const demand = demandOcc.get(key) ?? 0;
    const s = a.seekersByOccupation.get(key) ?? 0;
    return { key, demand, seekers: s, ratio: ratioOf(demand, s), gap: demand - s };
  }).sort((x, y) => y.demand - x.demand || y.seekers - x.seekers || x.key.localeCompare(y.key));
  const demandInd = sumBy(a.groups, 'headcount_demanded', (g) => g.employerIndustry);
  const postsInd = sumBy(a.groups, 'posts_published', (g) => g.employerIndustry);
  const counties = new Set([...a.markets.map((m) => m.regionCode)]);
  const cDemand = sumBy(a.countyGroups, 'headcount_demanded', (g) => g.county);
  const cHires = sumBy(a.countyGroups, 'hires_started', (g) => g.county);
  const cWage = histBy(a.countyGroups, (g) => g.county);
  const counted = (lo: number, hi: number) => i.seeking.filter(([d]) => d >= lo && d <= hi).reduce((t, [, n]) => t + n, 0);
  return {
    month, from, to, regionCode, markets: a.markets.length, provisional: a.provisional,
    totals: {
      carriedOver: a.carriedOver, newDemand, demand: a.carriedOver + newDemand, posts: computeKpi(KPI.posts, i) ?? 0,
      seekers, visits: computeKpi(KPI.visits, i) ?? 0, hiresStarted: computeKpi(KPI.hires, i) ?? 0,
      ratio: computeKpi(KPI.ratio, i), ratioWithCarried: ratioOf(a.carriedOver + newDemand, seekers),
      medianDayWage: computeKpi(KPI.wage, i),
    },
    demandByIndustry: [...new Set([...demandInd.keys(), ...postsInd.keys()])].map((key) => {
      const s = a.seekersOfSets.get(key) ?? 0;
      return { key, value: demandInd.get(key) ?? 0, posts: postsInd.get(key) ?? 0, seekers: s, ratio: key ? ratioOf(demandInd.get(key) ?? 0, s) : null };
    }).sort((x, y) => y.value - x.value || x.key.localeCompare(y.key)),
    byOccupation,
    shortages: byOccupation.filter((r) => r.gap > 0).sort((x, y) => y.gap - x.gap || x.key.localeCompare(y.key)).slice(0, 10),
    surpluses: byOccupation.filter((r) => r.gap < 0).sort((x, y) => x.gap - y.gap || x.key.localeCompare(y.key)).slice(0, 10),
    wagesByIndustry: wageRows(histBy(a.groups, (g) => g.employerIndustry)),
    wagesByOccupation: wageRows(histBy(a.groups, (g) => g.occupation)),
    periodOfEmployment: rows(sumBy(a.groups, 'headcount_demanded', (g) => g.workPeriod)),
    // Distinct persons (not check-in visits) by their recorded gender and age band.
    seekersByGender: rows(a.seekersByGender),
    seekersByAge: rows(a.seekersByAge),
    seeking: {
      median: computeKpi(KPI.seeking, i), started: counted(0, Infinity),
      buckets: SEEKING_BUCKETS.map(([lo, hi, key]) => ({ key, value: counted(lo, hi) })),
    },
    byCounty: [...counties].sort().map((code) => {
      const demand = cDemand.get(code) ?? 0;
      const s = a.seekersByCounty.get(code) ?? 0;
      return {
        regionCode: code, name: countyNames.get(code) ?? code, markets: a.markets.filter((m) => m.regionCode === code).length,
        demand, seekers: s, ratio: ratioOf(demand, s), hiresStarted: cHires.get(code) ?? 0,
        medianDayWage: computeKpi(KPI.wage, { ...blank(), histograms: { post_day_wage: cWage.get(code) ?? [] } }),
      };
    }),
  };
}
