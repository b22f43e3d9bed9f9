import { CONTROL_CHARS_RE, INVISIBLE_CHARS_RE, MULTILINE_CONTROL_CHARS_RE } from './text-rules';
import { MOBILE_RE } from './privacy';
import { OCCUPATION_NAMES } from './occupations';
import type { Lang } from './lang';

/**
 * The checks a page loaded on a weak phone signal makes before it sends (issue 17 §10): the console's
 * sign-in and the market's public check-in, complaint and non-payment forms. Plain functions, no zod: the
 * full zod API cannot be tree-shaken and its core is shared with every other page's schemas, so one
 * schema on such a page costs ≈ 450 kB (≈ 77 kB brotli). They apply the same rules as the API's schemas
 * (`loginSchema`, `publicCheckInSchema`, `publicComplaintSchema`, `nonPaymentSchema`), which still
 * decide on the server; light-checks.spec.ts holds the two to the same answers on every field.
 */
export interface FieldProblem {
  field: string;
  /** A MESSAGES key, or `required` / `choose` / `too_short` / `too_long` / `too_small` / `too_large` with `limit`. */
  key: string;
  limit?: number;
}

/**
 * The few MESSAGES (i18n.ts) these checks and the public check-in need, copied so a public page does not load the
 * whole dictionary (≈ 40 kB); light-checks.spec.ts keeps them equal to MESSAGES.
 */
export const LIGHT_MESSAGES: Record<Lang, Record<string, string>> = {
  'zh-CN': {
    text_control_chars: '不能包含控制字符（如空字符），请删除后重新输入',
    text_invisible_chars: '名称和标题不能包含不可见字符（零宽字符）或文字方向控制字符',
    invalid_mobile: '请输入 11 位手机号码',
    unknown_occupation: '请从工种目录中选择',
    consent_required: '请先征得本人同意（个人信息使用告知）',
    invalid_gate_code: '请输入市场入口屏幕上显示的 6 位签到码',
    complaint_name_required: '请填写投诉人姓名，或选择匿名投诉',
    gate_code_invalid: '签到码不正确或已过期，请以市场入口屏幕上当前显示的签到码为准',
  },
  en: {
    text_control_chars: 'Must not contain control characters (such as NUL); remove them and try again',
    text_invisible_chars: 'Names and titles must not contain invisible (zero-width) characters or text-direction controls',
    invalid_mobile: 'Enter an 11-digit mobile number',
    unknown_occupation: 'Choose an occupation from the dictionary',
    consent_required: 'The person\'s consent to the use of personal data is required',
    invalid_gate_code: 'Enter the 6-digit code shown on the screen at the market\'s gate',
    complaint_name_required: 'Enter the complainant\'s name, or choose to complain anonymously',
    gate_code_invalid: 'The gate code is wrong or has expired; use the code shown on the screen at the market\'s gate now',
  },
};

/** The words for a field problem, as zodErrorMap words the same issue. */
export function fieldProblemText(lang: Lang, p: FieldProblem): string {
  const zh = lang === 'zh-CN';
  switch (p.key) {
    case 'required': return zh ? '此项必填' : 'This field is required';
    case 'choose': return zh ? '此项必选' : 'Please choose one';
    case 'too_short': return zh ? `至少 ${p.limit} 个字符` : `At least ${p.limit} characters`;
    case 'too_long': return zh ? `不能超过 ${p.limit} 个字符` : `At most ${p.limit} characters`;
    case 'too_small': return zh ? `不能小于 ${p.limit}` : `Must be at least ${p.limit}`;
    case 'too_large': return zh ? `不能大于 ${p.limit}` : `Must be at most ${p.limit}`;
    default: return LIGHT_MESSAGES[lang][p.key] ?? LIGHT_MESSAGES['zh-CN'][p.key] ?? p.key;
  }
}

type Text = { kind: 'plain' | 'line' | 'multiline' | 'name'; min: number; max: number };

/** text.ts `plain`/`line`/`multiline`/`nameText`: required, trimmed length, control and invisible characters. */
function text(out: FieldProblem[], field: string, value: unknown, t: Text, required = true): void {
  if (value === undefined || value === null) {
    if (required) out.push({ field, key: 'required' });
    return;
  }
  if (typeof value !== 'string') return void out.push({ field, key: 'required' });
  const s = t.kind === 'plain' ? value : value.trim();
  const len = s.length;
  if (len < t.min) return void out.push({ field, key: t.min === 1 && len === 0 ? 'required' : 'too_short', limit: t.min });
  if (len > t.max) return void out.push({ field, key: 'too_long', limit: t.max });
  if ((t.kind === 'multiline' ? MULTILINE_CONTROL_CHARS_RE : CONTROL_CHARS_RE).test(s)) return void out.push({ field, key: 'text_control_chars' });
  if (t.kind === 'name' && INVISIBLE_CHARS_RE.test(s)) out.push({ field, key: 'text_invisible_chars' });
}

function mobile(out: FieldProblem[], value: unknown, required: boolean): void {
  if (value === undefined || value === null) {
    if (required) out.push({ field: 'mobile', key: 'required' });
  } else if (typeof value !== 'string' || !MOBILE_RE.test(value)) out.push({ field: 'mobile', key: 'invalid_mobile' });
}

/** `loginSchema`: a username and a password. */
export function checkLogin(v: { username?: unknown; password?: unknown }): FieldProblem[] {
  const out: FieldProblem[] = [];
  text(out, 'username', v.username, { kind: 'line', min: 1, max: 64 });
  text(out, 'password', v.password, { kind: 'plain', min: 1, max: 128 });
  return out;
}

/** The six digits on the screen at the market's gate (jobs.ts GATE_CODE_RE). */
const GATE_CODE = /^\d{6}$/;

/** `publicCheckInSchema`: name, mobile, up to 5 trades from the dictionary, consent, the gate code. */
export function checkPublicCheckIn(v: { name?: unknown; mobile?: unknown; occupations?: unknown; consent?: unknown; gateCode?: unknown }): FieldProblem[] {
  const out: FieldProblem[] = [];
  text(out, 'name', v.name, { kind: 'name', min: 1, max: 30 });
  mobile(out, v.mobile, true);
  const occ = v.occupations ?? [];
  if (!Array.isArray(occ)) out.push({ field: 'occupations', key: 'unknown_occupation' });
  else if (occ.length > 5) out.push({ field: 'occupations', key: 'too_large', limit: 5 });
  else if (occ.some((o) => !(OCCUPATION_NAMES as readonly unknown[]).includes(o))) out.push({ field: 'occupations', key: 'unknown_occupation' });
  if (v.consent !== true) out.push({ field: 'consent', key: 'consent_required' });
  if (typeof v.gateCode !== 'string' || !GATE_CODE.test(v.gateCode)) out.push({ field: 'gateCode', key: 'invalid_gate_code' });
  return out;
}

/** `boardApplicationSchema` (issue 18 §1): name, mobile, consent. */
export function checkBoardApplication(v: { name?: unknown; mobile?: unknown; consent?: unknown }): FieldProblem[] {
  const out: FieldProblem[] = [];
  text(out, 'name', v.name, { kind: 'name', min: 1, max: 30 });
  mobile(out, v.mobile, true);
  if (v.consent !== true) out.push({ field: 'consent', key: 'consent_required' });
  return out;
}

/** `publicComplaintSchema`: a category, the content (5–2000), a name unless anonymous, an optional mobile. */
export function checkPublicComplaint(
  v: { category?: unknown; content?: unknown; anonymous?: unknown; name?: unknown; mobile?: unknown; about?: unknown },
  categories: readonly string[],
): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (v.category === undefined || v.category === null || v.category === '') out.push({ field: 'category', key: 'choose' });
  else if (!categories.includes(String(v.category))) out.push({ field: 'category', key: 'choose' });
  text(out, 'content', v.content, { kind: 'multiline', min: 5, max: 2000 });
  text(out, 'name', v.name, { kind: 'name', min: 1, max: 30 }, false);
  mobile(out, v.mobile, false);
  text(out, 'about', v.about, { kind: 'line', min: 0, max: 200 }, false);
  if (v.anonymous !== true && !v.name && !out.some((p) => p.field === 'name')) out.push({ field: 'name', key: 'complaint_name_required' });
  return out;
}

/** `nonPaymentSchema`: the amount owed in fen (1 … 10,000,000) and a description (4–1000). */
export function checkNonPayment(v: { amountOwedFen?: unknown; description?: unknown }): FieldProblem[] {
  const out: FieldProblem[] = [];
  const n = v.amountOwedFen;
  if (typeof n !== 'number' || !Number.isInteger(n)) out.push({ field: 'amountOwedFen', key: 'required' });
  else if (n < 1) out.push({ field: 'amountOwedFen', key: 'too_small', limit: 1 });
  else if (n > 10_000_000) out.push({ field: 'amountOwedFen', key: 'too_large', limit: 10_000_000 });
  text(out, 'description', v.description, { kind: 'multiline', min: 4, max: 1000 });
  return out;
}
