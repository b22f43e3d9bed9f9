/** Small formatting helpers for the public pages (money in fen, times in Asia/Shanghai, phone links). */

const DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export { yuanAmount as yuan } from '@linggong/console-core';

/** "12.5" / "12" / "１２" typed by a worker → fen, or null when it is not an amount. */
export function toFen(text: string): number | null {
  const v = text.replace(/[０-９．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\s,，元¥￥]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(v)) return null;
  return Math.round(Number(v) * 100);
}

/** The Shanghai calendar day of an instant, YYYY-MM-DD. */
export function shanghaiDay(value: Date | string): string {
  return DAY.format(typeof value === 'string' ? new Date(value) : value);
}

/**
 * When work starts, relative to today in Shanghai: `{ rel: 0, date: '05-12', time: '07:00' }`.
 * `rel` is days from today (0 today, 1 tomorrow, −1 yesterday); the page words it ("今天 07:00").
 */
export function startParts(iso: string, now = new Date()): { rel: number; month: number; day: number; time: string } {
  const d = new Date(iso);
  const [y, m, dd] = shanghaiDay(d).split('-').map(Number);
  const [ty, tm, td] = shanghaiDay(now).split('-').map(Number);
  const rel = Math.round((Date.UTC(y, m - 1, dd) - Date.UTC(ty, tm - 1, td)) / 86_400_000);
  return { rel, month: m, day: dd, time: TIME.format(d) };
}

/** Words for a start day near today (public.day.* keys), by days from today. */
export const REL_DAYS: Record<number, string> = { [-1]: 'yesterday', 0: 'today', 1: 'tomorrow', 2: 'dayAfter' };

/** "今天 07:00", "明天 14:30", "5月12日 08:00" — `t` is the translator (public.day.* keys). */
export function startLabel(iso: string, t: (key: string, params?: Record<string, unknown>) => string, now = new Date()): string {
  const s = startParts(iso, now);
  const rel = REL_DAYS[s.rel];
  return `${rel ? t(`public.day.${rel}`) : t('public.day.date', { month: s.month, day: s.day })} ${s.time}`;
}

/** Digits (and a leading +) only, for a tel: link: "0371-62112333" → "tel:037162112333". */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

/** "0371-62112333；12345" → ["0371-62112333", "12345"] (the complaint hotline lists several numbers). */
export function phones(text: string | null | undefined): string[] {
  return (text ?? '').split(/[；;,，、/]/).map((s) => s.trim()).filter(Boolean);
}

/** A map marker link that opens the map app on a phone (AMap URI API, no key needed). */
export function mapHref(lng: number, lat: number, name: string): string {
  return `https://uri.amap.com/marker?position=${lng},${lat}&name=${encodeURIComponent(name)}&callnative=1`;
}

