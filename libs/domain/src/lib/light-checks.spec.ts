import { checkLogin, checkNonPayment, checkPublicCheckIn, checkPublicComplaint } from './light-checks';
import { loginSchema, TOTP_CODE_RE } from './schemas';
import { nonPaymentSchema, publicCheckInSchema } from './jobs';
import { COMPLAINT_CATEGORIES, publicComplaintSchema } from './complaints';
import { LIGHT_COMPLAINT_CATEGORIES, LIGHT_TOTP_CODE_RE } from '../light';
import { LIGHT_MESSAGES } from './light-checks';
import { MESSAGES } from './i18n';

/**
 * The light checks (no zod, for the pages that must load on a weak signal, issue 17 §10) and the API's
 * schemas give the same answer: valid or not, and the same fields at fault.
 */
const fields = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  r.success ? [] : [...new Set(r.error?.issues.map((i) => String(i.path[0] ?? '')))].sort();
const mine = (ps: { field: string }[]) => [...new Set(ps.map((p) => p.field))].sort();

describe('light checks agree with the schemas', () => {
  it('keeps the copied constants equal', () => {
    expect(LIGHT_COMPLAINT_CATEGORIES).toEqual(COMPLAINT_CATEGORIES);
    expect(String(LIGHT_TOTP_CODE_RE)).toBe(String(TOTP_CODE_RE));
    for (const lang of ['zh-CN', 'en'] as const) {
      for (const [k, v] of Object.entries(LIGHT_MESSAGES[lang])) expect({ k, v }).toEqual({ k, v: MESSAGES[lang][k] });
    }
  });

  it('login', () => {
    for (const v of [{ username: 'op1.desk', password: 'x' }, {}, { username: ' ', password: '' }, { username: 'a'.repeat(65), password: 'p' }, { username: 'a\u0000b', password: 'p' }, { username: 'ok', password: 'p'.repeat(129) }]) {
      expect({ v, f: mine(checkLogin(v)) }).toEqual({ v, f: fields(loginSchema.safeParse(v)) });
    }
  });

  it('public check-in', () => {
    const ok = { name: '赵小满', mobile: '13912345678', occupations: ['保洁员'], consent: true, gateCode: '123456' };
    for (const v of [ok, { ...ok, occupations: undefined }, { ...ok, name: '' }, { ...ok, name: '  ' }, { ...ok, name: '赵\u200b小满' }, { ...ok, name: 'x'.repeat(31) },
      { ...ok, mobile: '1390000' }, { ...ok, mobile: undefined }, { ...ok, occupations: ['不存在'] }, { ...ok, occupations: ['保洁员', '电工', '厨师', '帮厨', '瓦工', '木工'] },
      { ...ok, consent: false }, { ...ok, gateCode: '12345' }, { ...ok, gateCode: undefined }, {}]) {
      expect({ v, f: mine(checkPublicCheckIn(v)) }).toEqual({ v, f: fields(publicCheckInSchema.safeParse(v)) });
    }
  });

  it('public complaint', () => {
    const ok = { category: 'wage_arrears', content: '老板拖欠工资两个月', anonymous: true };
    for (const v of [ok, { ...ok, category: undefined }, { ...ok, category: 'nope' }, { ...ok, content: '短' }, { ...ok, content: undefined }, { ...ok, anonymous: false },
      { ...ok, anonymous: false, name: '王建国' }, { ...ok, mobile: '123' }, { ...ok, mobile: '13912345678' }, { ...ok, about: 'x'.repeat(201) }, { ...ok, content: 'a\u0001bcdef' }]) {
      expect({ v, f: mine(checkPublicComplaint(v, LIGHT_COMPLAINT_CATEGORIES)) }).toEqual({ v, f: fields(publicComplaintSchema.safeParse(v)) });
    }
  });

  it('non-payment report', () => {
    const ok = { amountOwedFen: 22000, description: '干了一天没给钱' };
    for (const v of [ok, { ...ok, amountOwedFen: 0 }, { ...ok, amountOwedFen: 1.5 }, { ...ok, amountOwedFen: 10_000_001 }, { ...ok, description: '短' }, { ...ok, description: undefined }, {}]) {
      expect({ v, f: mine(checkNonPayment(v)) }).toEqual({ v, f: fields(nonPaymentSchema.safeParse(v)) });
    }
  });
});
