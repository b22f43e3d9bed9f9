import type { KpiFigure, KpiUnit } from '@linggong/domain';
import { formatYuan } from '@linggong/console-core';

/** A figure as text in its unit: fen as yuan, percent with %, counts grouped, others with up to 2 decimals. */
export function formatValue(v: number | null | undefined, unit: KpiUnit, lang: string): string {
  if (v === null || v === undefined) return '—';
  if (unit === 'fen') return formatYuan(v);
  const n = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(v);
  return unit === 'percent' ? `${n}%` : n;
}

export type Tone = 'good' | 'bad' | 'neutral';
/** Green when the change is for the better (by the KPI's direction), red when for the worse, grey otherwise. */
export function toneOf(delta: number | null, direction: KpiFigure['direction']): Tone {
  if (delta === null || delta === 0 || direction === 'none') return 'neutral';
  return (delta > 0) === (direction === 'up') ? 'good' : 'bad';
}

/** The change against the previous period: "+12.5%" (or "+3" where the previous was 0), null when either is missing. */
export function changeOf(value: number | null, previous: number | null, unit: KpiUnit, lang: string): { delta: number; text: string } | null {
  if (value === null || previous === null) return null;
  const delta = Math.round((value - previous) * 100) / 100;
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
  if (unit === 'percent') return { delta, text: `${sign}${formatValue(Math.abs(delta), 'ratio', lang)} pp` };
  if (previous === 0) return { delta, text: `${sign}${formatValue(Math.abs(delta), unit, lang)}` };
  const pct = Math.round((Math.abs(delta) / Math.abs(previous)) * 1000) / 10;
  return { delta, text: `${sign}${pct}%` };
}
