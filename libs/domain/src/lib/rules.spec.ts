import { marketNameProblem } from './market';
import { maskPhone } from './privacy';
import { passwordProblem, registerMarketSchema, secondFactorSchema } from './schemas';
import { secondFactorRequired } from './roles';
import { pickLang, zodErrorMap } from './i18n';
import { regionLevel } from './region';

describe('market names (R-A4)', () => {
  it.each([
    ['中牟县零工市场', 'comprehensive', null],
    ['新郑市零工市场', 'comprehensive', null],
    ['金水区零工市场', 'industry', null],
    ['中牟县零工市场（白沙分市场）', 'comprehensive', null],
    ['新郑市龙湖镇零工驿站', 'station', null],
    ['中牟县官渡镇零工服务站', 'station', null],
    ['中牟人力资源市场', 'comprehensive', 'market'],
    ['零工市场', 'comprehensive', 'market'],
    ['官渡镇服务点', 'station', 'station'],
  ] as const)('%s (%s) → %s', (name, type, problem) => {
    expect(marketNameProblem(name, type)).toBe(problem);
  });

  it('the register schema reports the naming rule on the name field', () => {
    const r = registerMarketSchema.safeParse({ name: '中牟人力超市', type: 'comprehensive', nature: 'public', mode: 'contracted', regionCode: '410122' });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['name', 'market_name_market']]);
  });
});

describe('password policy', () => {
  it.each([
    ['Linggong@2026', undefined, null],
    ['short1!A', undefined, 'password_policy'],
    // ASVS L2 (issue 12): at least 12 characters, up to 128, and no composition rules (V2.1.9).
    ['Abcdef-12!x', undefined, 'password_policy'],
    ['x'.repeat(129), undefined, 'password_policy'],
    ['alllowercaseonly', undefined, null],
    ['op1.admin-Secret1', 'op1.admin', 'password_contains_username'],
    ['Correct-Horse-7', 'op1.desk', null],
  ])('%s', (pw, user, problem) => expect(passwordProblem(pw, user)).toBe(problem));
});

describe('second factor', () => {
  it('is required of authority users and the platform admin, optional for operator users', () => {
    expect(secondFactorRequired('province', ['province_auditor'])).toBe(true);
    expect(secondFactorRequired('city', ['city_analyst'])).toBe(true);
    expect(secondFactorRequired('county', ['county_reviewer'])).toBe(true);
    expect(secondFactorRequired('platform', ['platform_admin'])).toBe(true);
    expect(secondFactorRequired('operator', ['operator_admin'])).toBe(false);
    expect(secondFactorRequired('operator', ['front_desk'])).toBe(false);
  });
  it('takes a six-digit code or a recovery code, not both and not neither', () => {
    const challenge = 'c'.repeat(43);
    expect(secondFactorSchema.safeParse({ challenge, code: '012345' }).success).toBe(true);
    expect(secondFactorSchema.safeParse({ challenge, recoveryCode: 'abcde-fghjk' }).success).toBe(true);
    expect(secondFactorSchema.safeParse({ challenge, code: '12345' }).success).toBe(false);
    expect(secondFactorSchema.safeParse({ challenge }).success).toBe(false);
    expect(secondFactorSchema.safeParse({ challenge, code: '012345', recoveryCode: 'abcde-fghjk' }).success).toBe(false);
  });
});

describe('small rules', () => {
  it('masks phones as 138****1234', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone(null)).toBeNull();
  });
  it('prefers zh-CN unless English is asked for first', () => {
    expect(pickLang(undefined)).toBe('zh-CN');
    expect(pickLang('en-US,en;q=0.9')).toBe('en');
    expect(pickLang('zh-CN,en;q=0.5')).toBe('zh-CN');
  });
  it('words a missing field for a clerk', () => {
    const map = zodErrorMap('zh-CN');
    expect(map({ code: 'invalid_type', expected: 'string', input: undefined } as never)).toBe('此项必填');
  });
  it('knows region levels by code length (GB/T 2260)', () => {
    expect([regionLevel('41'), regionLevel('4101'), regionLevel('410122'), regionLevel('4101x')]).toEqual(['province', 'city', 'county', undefined]);
  });
});
