/**
 * The characters free text must not carry (issue 12, findings 9 and 10), without any schema library, so
 * both the full schemas (text.ts, zod) and the light ones (light-input.ts, zod/mini) share them.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS_RE = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
export const MULTILINE_CONTROL_CHARS_RE = /[\u0000-\u0008\u000b-\u001f\u007f]/;
export const INVISIBLE_CHARS_RE = /[\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]/;
