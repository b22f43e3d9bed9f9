/** Periods of the dashboard (issue 13 §4): business days in Asia/Shanghai, as YYYY-MM-DD strings. */
export const PERIOD_KINDS = ['day', 'week', 'month', 'quarter', 'year', 'last30', 'last90', 'last365', 'custom'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
export interface Period { kind: PeriodKind; from: string; to: string }

const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const isDay = (v: unknown): v is string => {
  if (typeof v !== 'string' || !DAY.test(v)) return false;
  const t = Date.parse(`${v}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === v;
};

/** Today's business day in China. */
export function shanghaiToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
const toDate = (d: string) => new Date(`${d}T00:00:00Z`);
const fromDate = (d: Date) => d.toISOString().slice(0, 10);
export function addDays(d: string, n: number): string {
  const x = toDate(d);
  x.setUTCDate(x.getUTCDate() + n);
  return fromDate(x);
}
export function daysBetween(from: string, to: string): number {
  return Math.round((toDate(to).getTime() - toDate(from).getTime()) / 86_400_000) + 1;
}
const minDay = (a: string, b: string) => (a < b ? a : b);

/** The period of a kind that contains `anchor` (rolling ones end on it), never past today. */
export function periodOf(kind: Exclude<PeriodKind, 'custom'>, anchor: string, today = shanghaiToday()): Period {
  const d = toDate(anchor);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  let from: string;
  let to: string;
  switch (kind) {
    case 'day': from = to = anchor; break;
    case 'week': { const back = (d.getUTCDay() + 6) % 7; from = addDays(anchor, -back); to = addDays(from, 6); break; }
    case 'month': from = fromDate(new Date(Date.UTC(y, m, 1))); to = fromDate(new Date(Date.UTC(y, m + 1, 0))); break;
    case 'quarter': { const q = Math.floor(m / 3) * 3; from = fromDate(new Date(Date.UTC(y, q, 1))); to = fromDate(new Date(Date.UTC(y, q + 3, 0))); break; }
    case 'year': from = `${y}-01-01`; to = `${y}-12-31`; break;
    case 'last30': case 'last90': case 'last365': { const n = Number(kind.slice(4)); to = anchor; from = addDays(anchor, -(n - 1)); break; }
  }
  return { kind, from, to: minDay(to, today) < from ? from : minDay(to, today) };
}

/** Why a custom range cannot be asked for (a Transloco key), or null. The API checks the same (≤ 366 days). */
export function rangeProblem(from: string, to: string): string | null {
  if (!isDay(from) || !isDay(to)) return 'analytics.badDate';
  if (from > to) return 'analytics.badRange';
  if (daysBetween(from, to) > 367) return 'analytics.rangeTooLong';
  return null;
}

/** Buckets of the trend chart: days up to 31 days, weeks up to 26 weeks, months beyond. */
export function buckets(from: string, to: string): { label: string; from: string; to: string }[] {
  const n = daysBetween(from, to);
  const out: { label: string; from: string; to: string }[] = [];
  if (n <= 31) {
    for (let d = from; d <= to; d = addDays(d, 1)) out.push({ label: d.slice(5), from: d, to: d });
  } else if (n <= 182) {
    for (let d = from; d <= to; d = addDays(d, 7)) out.push({ label: d.slice(5), from: d, to: minDay(addDays(d, 6), to) });
  } else {
    let d = from;
    while (d <= to) {
      const x = toDate(d);
      const end = minDay(fromDate(new Date(Date.UTC(x.getUTCFullYear(), x.getUTCMonth() + 1, 0))), to);
      out.push({ label: d.slice(0, 7), from: d, to: end });
      d = addDays(end, 1);
    }
  }
  return out;
}

/** Median of the non-null values (the mean of the two middle ones for an even count). */
export function median(values: (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (!v.length) return null;
  const h = Math.floor(v.length / 2);
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}
