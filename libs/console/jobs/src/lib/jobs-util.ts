import { Pipe, type PipeTransform } from '@angular/core';
import { formatShanghai } from '@linggong/console-core';
import { MOBILE_RE, OCCUPATIONS, normaliseMobile, occupationOf, type Lang } from '@linggong/domain';

/** Today's date in Asia/Shanghai, YYYY-MM-DD (the business day of the queue and the placements). */
export function shanghaiToday(): string {
  return formatShanghai(new Date()).slice(0, 10);
}

/** Money is integer fen; staff type and read yuan. */
export function fenToYuan(fen: number | null | undefined): number | null {
  return fen === null || fen === undefined ? null : fen / 100;
}
export function yuanToFen(yuan: number | null | undefined): number {
  return Math.round((yuan ?? 0) * 100);
}


/** The occupation's name in the user's language (stored values are the Chinese dictionary names). */
@Pipe({ name: 'occupation' })
export class OccupationPipe implements PipeTransform {
  transform(name: string, lang: Lang): string {
    return lang === 'en' ? (occupationOf(name)?.en ?? name) : name;
  }
}

/**
 * What the desk's box was given: typed digits with spaces or dashes, or a scanner's text that
 * contains a mobile number. Returns the 11-digit mobile or null.
 */
export function extractMobile(raw: string): string | null {
  const compact = normaliseMobile(raw);
  if (MOBILE_RE.test(compact)) return compact;
  const found = compact.match(/(?<!\d)1[3-9]\d{9}(?!\d)/g);
  return found && found.length === 1 ? found[0] : null;
}

/** A start time as staff say it: "07:30" today, otherwise "05-21 07:30". */
export function shortTime(iso: string | null | undefined, today = shanghaiToday()): string {
  if (!iso) return '';
  const s = formatShanghai(iso, false);
  return s.startsWith(today) ? s.slice(11) : s.slice(5);
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** A date-time picked in the browser, read as Beijing wall-clock time (+08:00), whatever the browser's zone. */
export function dateToShanghaiIso(d: Date): string {
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}:00+08:00`;
}

/** Now in Beijing wall-clock time, as a local Date for a picker (plus `addMinutes`). */
export function shanghaiNowAsLocal(addMinutes = 0): Date {
  const s = formatShanghai(new Date(Date.now() + addMinutes * 60_000));
  const [day, time] = s.split(' ');
  const [y, m, d] = day.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  return new Date(y, m - 1, d, h, mi, 0, 0);
}

/** A small remembered choice on this browser (the desk's market). */
export function remember(key: string, value?: string | null): string | null {
  try {
    if (value !== undefined) {
      if (value === null) globalThis.localStorage?.removeItem(key);
      else globalThis.localStorage?.setItem(key, value);
      return value;
    }
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** The dictionary's occupations with the market's own first (what its workers usually seek). */
export function occupationChoices(own: readonly string[] = []): string[] {
  const mine = new Set(own);
  return [...OCCUPATIONS].sort((a, b) => Number(mine.has(b.name)) - Number(mine.has(a.name))).map((o) => o.name);
}
