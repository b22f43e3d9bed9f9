import { z } from 'zod';
import { CONTROL_CHARS_RE, INVISIBLE_CHARS_RE, MULTILINE_CONTROL_CHARS_RE } from './text-rules';

/**
 * The shared string types of every input schema (issue 12, findings 9 and 10). Free text never carries
 * C0 control characters (U+0000–U+001F) or DEL: PostgreSQL refuses NUL in text and jsonb, and no
 * clerk types the others. Multi-line text (notes, descriptions, reasons) may carry line feeds and
 * tabs, nothing else. Names and titles also refuse the characters that make a name look like
 * something else: direction overrides and isolates (U+202A–U+202E, U+2066–U+2069) and zero-width
 * characters (U+200B–U+200D, U+2060, U+FEFF).
 */
export { CONTROL_CHARS_RE, INVISIBLE_CHARS_RE, MULTILINE_CONTROL_CHARS_RE };

/** A plain string without control characters, untrimmed (passwords, search terms, filters). */
export const plain = () => z.string().refine((s) => !CONTROL_CHARS_RE.test(s), { error: 'text_control_chars' });
/** One line of text: trimmed, `min`…`max` characters, no control characters. */
export const line = (min: number, max: number) =>
  z.string().trim().min(min).max(max).refine((s) => !CONTROL_CHARS_RE.test(s), { error: 'text_control_chars' });
/** Multi-line text: line feeds and tabs allowed, no other control characters. */
export const multiline = (min: number, max: number) =>
  z.string().trim().min(min).max(max).refine((s) => !MULTILINE_CONTROL_CHARS_RE.test(s), { error: 'text_control_chars' });
/** A name or title: one line, and no direction overrides or zero-width characters. */
export const nameText = (min: number, max: number) =>
  line(min, max).refine((s) => !INVISIBLE_CHARS_RE.test(s), { error: 'text_invisible_chars' });

/**
 * A query parameter that lists values separated by commas (`kpis=a,b`): trimmed, blanks dropped, each value checked by
 * `item`, at most `maxItems` of them; absent or empty reads as undefined.
 */
export const commaList = <T extends z.ZodType<unknown, string>>(item: T, maxItems: number, maxChars = 2000) =>
  z.string().trim().max(maxChars).optional()
    .transform((v) => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : undefined))
    .pipe(z.array(item).max(maxItems).optional());

/** The path and problem of the first string anywhere in `value` that no text field accepts (the pipes' backstop). */
export function findControlChars(value: unknown, path: (string | number)[] = []): (string | number)[] | null {
  if (typeof value === 'string') return MULTILINE_CONTROL_CHARS_RE.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = findControlChars(value[i], [...path, i]);
      if (p) return p;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const k of Object.keys(value)) {
      if (CONTROL_CHARS_RE.test(k)) return [...path, k];
      const p = findControlChars((value as Record<string, unknown>)[k], [...path, k]);
      if (p) return p;
    }
  }
  return null;
}
