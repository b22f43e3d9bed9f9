import { completionReached, requiredHours, subsidyEligible, subsidyReasons, type SubsidyFacts } from './training';

describe('training completion and subsidy rule (R-B10 培训补贴)', () => {
  it('requires the course\'s share of its hours, to a hundredth of an hour', () => {
    expect(requiredHours(40, 80)).toBe(32);
    expect(requiredHours(7.5, 90)).toBe(6.75);
    expect(requiredHours(3, 100)).toBe(3);
    expect(completionReached(32, 32)).toBe(true);
    expect(completionReached(31.5, 32)).toBe(false);
  });

  const full: SubsidyFacts = { totalSessions: 4, attendedSessions: 4, attendedHours: 16, requiredHours: 12.8, hasIdNumber: true, certificateNumber: 'C-1' };

  it('is eligible when every session was attended, the hours reached, the ID number is on file and a certificate issued', () => {
    const r = subsidyReasons(full);
    expect(r).toEqual([
      { code: 'all_sessions_attended', ok: true, detail: '4/4' },
      { code: 'hours_complete', ok: true, detail: '16/12.8' },
      { code: 'id_number_on_file', ok: true, detail: '' },
      { code: 'certificate_issued', ok: true, detail: 'C-1' },
    ]);
    expect(subsidyEligible(r)).toBe(true);
  });

  it('names each missing condition, and a course without sessions is never eligible', () => {
    const missing = (f: Partial<SubsidyFacts>) => subsidyReasons({ ...full, ...f }).filter((x) => !x.ok).map((x) => x.code);
    expect(missing({ attendedSessions: 3 })).toEqual(['all_sessions_attended']);
    expect(missing({ attendedHours: 12.7 })).toEqual(['hours_complete']);
    expect(missing({ hasIdNumber: false })).toEqual(['id_number_on_file']);
    expect(missing({ certificateNumber: null })).toEqual(['certificate_issued']);
    expect(missing({ totalSessions: 0, attendedSessions: 0 })).toEqual(['all_sessions_attended']);
    expect(subsidyEligible(subsidyReasons({ ...full, certificateNumber: null }))).toBe(false);
  });
});
