import { ageOn, complianceCheck, dayWageFen, type ProhibitedItem } from './jobs';

const heavy: ProhibitedItem = { code: 'heavy_load', name: '负重作业', appliesTo: 'women_and_minors', legalSource: '《女职工劳动保护特别规定》附录' };
const height: ProhibitedItem = { code: 'height_level2', name: '二级以上高处作业', appliesTo: 'minors', legalSource: '《未成年工特殊保护规定》第三条' };

describe('compliance guard (R-B7)', () => {
  it('refuses anyone under 16 from the exact birth date, whatever the post', () => {
    expect(complianceCheck({ gender: 'male', birthDate: '2010-11-23', birthYear: 2010 }, [], '2026-11-22')?.rule).toBe('under_16');
    expect(complianceCheck({ gender: 'male', birthDate: '2010-11-22', birthYear: 2010 }, [], '2026-11-22')).toBeNull();
  });
  it('asks for the ID when only a birth year leaves the age at 15 or 16', () => {
    expect(complianceCheck({ gender: 'male', birthDate: null, birthYear: 2010 }, [], '2026-11-22')?.rule).toBe('age_unverified_under_16');
    expect(complianceCheck({ gender: 'male', birthDate: null, birthYear: 2012 }, [], '2026-11-22')?.rule).toBe('under_16');
  });
  it('refuses a woman prohibited work and returns the legal basis', () => {
    const r = complianceCheck({ gender: 'female', birthDate: '1990-01-01', birthYear: 1990 }, [heavy], '2026-11-22');
    expect(r).toMatchObject({ rule: 'prohibited_for_women', items: [{ code: 'heavy_load' }] });
    expect(r?.legalSource).toContain('女职工劳动保护特别规定');
    expect(complianceCheck({ gender: 'female', birthDate: '1990-01-01', birthYear: 1990 }, [height], '2026-11-22')).toBeNull();
  });
  it('refuses a minor work on the minors list, and unknown age or gender for hazardous posts', () => {
    expect(complianceCheck({ gender: 'male', birthDate: '2009-06-01', birthYear: 2009 }, [height], '2026-11-22')?.rule).toBe('prohibited_for_minors');
    expect(complianceCheck({ gender: 'male', birthDate: null, birthYear: null }, [height], '2026-11-22')?.rule).toBe('age_unknown_for_hazard');
    expect(complianceCheck({ gender: null, birthDate: null, birthYear: 1980 }, [heavy], '2026-11-22')?.rule).toBe('gender_unknown_for_hazard');
    expect(complianceCheck({ gender: null, birthDate: null, birthYear: null }, [], '2026-11-22')).toBeNull();
  });
  it('computes ages and day wages', () => {
    expect(ageOn('2026-03-01', '2000-03-02', 2000)).toEqual({ age: 25, exact: true });
    expect(dayWageFen(2500, 'hour')).toBe(20000);
    expect(dayWageFen(435000, 'month')).toBe(20000);
    expect(dayWageFen(100, 'piece')).toBeNull();
  });
});
