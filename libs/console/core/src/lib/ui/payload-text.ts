import { Injectable, inject } from '@angular/core';
import { LangService } from '../i18n/lang.service';
import { formatShanghai } from './shanghai-time.pipe';

/** A payload value as text: strings as they are, numbers and booleans printed, anything else as JSON. */
export function displayValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** An object of plain values, such as an assistance plan's services done (`{ guidance: 1, referrals: 3 }`). */
const isFlatRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => x === null || typeof x !== 'object');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A payload for people (issue 17 §4): each field with its label, ids as the names the API resolved
 * (workers, employers, posts) and otherwise left out (a bare UUID says nothing to a reader), instants
 * in Asia/Shanghai, amounts in fen as yuan, lists of codes one by one (`value`), an object of counts
 * as its labelled parts. `label(key)` gives the
 * field's label, `value(key, v)` a value's wording. Pages render entries through `PayloadText`.
 */
export function describePayload(payload: Record<string, unknown> | null | undefined, names: Record<string, string> | undefined,
  label: (key: string) => string, value: (key: string, v: string) => string = (_k, v) => v, max = 200): string {
  if (!payload) return '';
  const lead = ['title', 'name', 'summary'].find((k) => payload[k] !== undefined && payload[k] !== '');
  const parts: string[] = [];
  if (lead) parts.push(displayValue(payload[lead]));
  for (const [k, v] of Object.entries(payload)) {
    if (k === lead || v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length)) continue;
    const named = names?.[k];
    let text: string;
    if (named) text = named;
    else if (typeof v === 'string' && UUID.test(v)) continue;
    else if (typeof v === 'string' && INSTANT.test(v)) text = formatShanghai(v, false);
    else if (typeof v === 'number' && /Fen$/.test(k)) text = `¥${(v / 100).toFixed(2)}`;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string' && UUID.test(x))) text = String(v.length);
    else if (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')) text = v.map((x) => value(k, displayValue(x))).join('、');
    else if (isFlatRecord(v)) text = Object.entries(v).map(([sub, x]) => `${label(sub)} ${value(sub, displayValue(x))}`).join('、');
    else text = value(k, displayValue(v));
    parts.push(`${label(k)}：${text}`);
  }
  const text = parts.join(' · ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Work-log entries' fields in the user's language, wherever entries are shown (the market's work log,
 * the analytics drill-down): labels `ledger.field.<key>` and values `ledger.value.<key>.<value>` from the
 * ledger context's translations (merged into the console's), yes or no for a boolean (`ledger.boolean.*`),
 * the key or value itself where none is defined.
 */
@Injectable({ providedIn: 'root' })
export class PayloadText {
  private readonly lang = inject(LangService);

  /** A field's label, or the key itself where none is defined. */
  label(key: string): string {
    return this.translated(`ledger.field.${key}`) ?? key;
  }

  /**
   * Who recorded an entry: the staff member's name as the API gives it; the sign-in-free public pages and the system's
   * jobs (recorded as `public` and `system`) in words (`ledger.actor.*`).
   */
  recorder(actorName: string | null | undefined): string {
    return this.translated(`ledger.actor.${actorName ?? 'system'}`) ?? actorName ?? '';
  }

  /** A payload for people (`describePayload`): `names` are the names of its ids by field (`{ workerId: '王小明' }`). */
  describe(payload: Record<string, unknown> | null | undefined, names?: Record<string, string>): string {
    return describePayload(payload, names, (k) => this.label(k), (k, v) => this.value(k, v));
  }

  /**
   * The codes whose words in the user's language hold `text`, for the work log's search (the API matches the codes an
   * entry stores): field values and steps (拖欠 → `wage_arrears`, from `ledger.value.*` and `ledger.step.*`) and kinds
   * (结算 → `settlement`, from `ledger.kind.*`); the work-log page sends them beside the text as `qCodes` and `qKinds`.
   */
  searchCodes(text: string): { codes: string[]; kinds: string[] } {
    const t = text.trim().toLowerCase();
    const matching = (prefix: string) => t
      ? this.lang.entries(prefix).filter(([, words]) => words.toLowerCase().includes(t)).map(([key]) => key.slice(key.lastIndexOf('.') + 1))
      : [];
    return { codes: [...new Set([...matching('ledger.value.'), ...matching('ledger.step.')])], kinds: [...new Set(matching('ledger.kind.'))] };
  }

  /**
   * A value's wording: `ledger.value.<key>.<value>`; for a qualified code (`third_party:zhaogong-app`) the wording of
   * its first part with the rest after it; yes or no for a boolean; else the value itself.
   */
  private value(key: string, v: string): string {
    const exact = this.translated(`ledger.value.${key}.${v}`);
    if (exact) return exact;
    const [head, ...rest] = v.split(':');
    const qualified = rest.length ? this.translated(`ledger.value.${key}.${head}`) : null;
    if (qualified) return this.lang.lang() === 'zh-CN' ? `${qualified}（${rest.join(':')}）` : `${qualified} (${rest.join(':')})`;
    return (v === 'true' || v === 'false' ? this.translated(`ledger.boolean.${v}`) : null) ?? v;
  }

  private translated(key: string): string | null {
    const t = this.lang.t(key);
    return t && t !== key ? t : null;
  }
}
