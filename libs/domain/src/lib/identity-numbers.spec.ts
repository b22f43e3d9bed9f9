import { creditCodeValid, idCardFacts, idCardValid, maskIdNumber } from './identity-numbers';

describe('identity numbers', () => {
  it('checks resident ID numbers (GB 11643, MOD 11-2) including the birth date', () => {
    expect(idCardValid('11010519491231002X')).toBe(true);
    expect(idCardValid('110105194912310021')).toBe(false); // wrong check character
    expect(idCardValid('110105194902300028')).toBe(false); // 30 February
    expect(idCardValid('1101051949123100')).toBe(false);
    expect(idCardFacts('11010519491231002X')).toEqual({ birthDate: '1949-12-31', sex: 'female' });
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
  });

  it('checks unified social credit codes (GB 32100, MOD 31)', () => {
    expect(creditCodeValid('91350100M000100Y43')).toBe(true);
    expect(creditCodeValid('91350100M000100Y44')).toBe(false);
    expect(creditCodeValid('91350100M000100YI3')).toBe(false); // I is not in the alphabet
  });
});
