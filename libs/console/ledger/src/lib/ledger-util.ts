import { displayValue as show, formatShanghai } from '@linggong/console-core';
import type { LedgerEntryView } from '@linggong/domain';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isDay(v: unknown): v is string {
  return typeof v === 'string' && DAY.test(v);
}

/** Today's date in Asia/Shanghai, YYYY-MM-DD. */
export function shanghaiToday(): string {
  return formatShanghai(new Date()).slice(0, 10);
}

/** The Shanghai calendar day of an instant. */
export function shanghaiDay(iso: string): string {
  return formatShanghai(iso).slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** A YYYY-MM-DD as a local Date at midnight (what the date pickers show). */
export function dayToDate(day: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d);
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** A date picked in the browser, read as the calendar day the user saw. */
export function dateToDay(d: Date | null | undefined): string | null {
  if (!d) return null;
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}`;
}

/** A date-time picked in the browser, read as Beijing wall-clock time (+08:00), whatever the browser's zone. */
export function dateToShanghaiIso(d: Date): string {
  return `${dateToDay(d)}T${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}+08:00`;
}

/** Now in Beijing wall-clock time, as a local Date for a picker. */
export function shanghaiNowAsLocal(): Date {
  const s = formatShanghai(new Date());
  const [day, time] = s.split(' ');
  const [h, mi, se] = time.split(':').map(Number);
  const d = dayToDate(day);
  d.setHours(h, mi, se, 0);
  return d;
}

/** Late: recorded into a later business day than the one it happened on (or flagged so by the API). */
export function isLateEntry(e: LedgerEntryView): boolean {
  return e.late || shanghaiDay(e.occurredAt) < e.businessDay;
}

/** The fields a correction changed, old → new, for "已更正" (effective vs original payload). */
export function changedFields(e: LedgerEntryView): { key: string; from: string; to: string }[] {
  const out: { key: string; from: string; to: string }[] = [];
  const keys = new Set([...Object.keys(e.payload ?? {}), ...Object.keys(e.effectivePayload ?? {})]);
  for (const k of keys) {
    const a = show(e.payload?.[k]);
    const b = show(e.effectivePayload?.[k]);
    if (a !== b) out.push({ key: k, from: a, to: b });
  }
  return out;
}

export function display(v: unknown): string {
  return show(v);
}

/** Parse an edited value back to the type the original had (number, boolean, JSON), else a string. */
export function parseLike(original: unknown, text: string): unknown {
  const t = text.trim();
  if (typeof original === 'number') {
    const n = Number(t);
    return t !== '' && Number.isFinite(n) ? n : t;
  }
  if (typeof original === 'boolean') return t === 'true' ? true : t === 'false' ? false : t;
  if (original !== null && typeof original === 'object') {
    try {
      return JSON.parse(t);
    } catch {
      return t;
    }
  }
  return text;
}

/** File → base64 (without the data: prefix). */
export function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const s = String(r.result ?? '');
      resolve(s.slice(s.indexOf(',') + 1));
    };
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

/** Verification badge colours: 已核验 green, 链条断裂 red, 未日结 / 未核验 grey. */
export const BADGE_COLORS: Record<string, string> = { verified: 'green', broken: 'red', unsealed: 'default', unchecked: 'default' };
