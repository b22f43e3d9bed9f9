import { addWorkingDays } from './working-days';
import { agreementRate, createCallbackSampleSchema, createRectificationSchema, inspectionReportSchema, inspectionScore, verdictTarget } from './oversight';

describe('oversight rules (issue 16)', () => {
  it('agreement rate: confirmed ÷ reached, where not reachable is not reached; none reached gives no rate', () => {
    expect(agreementRate(['confirmed', 'confirmed', 'denied', 'unreachable', 'confirmed'])).toEqual({ confirmed: 3, reached: 4, rate: 75 });
    expect(agreementRate(['confirmed', 'differs', 'denied'])).toEqual({ confirmed: 1, reached: 3, rate: 33.33 });
    expect(agreementRate(['unreachable', null])).toEqual({ confirmed: 0, reached: 0, rate: null });
  });

  it('inspection score: passed ÷ applicable × 100, less 5 per major and 10 per critical finding, never below 0', () => {
    const r = (pass: number, fail: number, na = 0) => [...Array(pass).fill({ result: 'pass' }), ...Array(fail).fill({ result: 'fail' }), ...Array(na).fill({ result: 'na' })];
    expect(inspectionScore(r(6, 1, 1), [{ severity: 'major' }])).toBe(80.71);
    expect(inspectionScore(r(8, 0), [{ severity: 'minor' }])).toBe(100);
    expect(inspectionScore(r(1, 7), [{ severity: 'critical' }, { severity: 'critical' }])).toBe(0);
    expect(inspectionScore(r(0, 0, 8), [])).toBeNull();
  });

  it('a verdict of pass verifies; partial and fail send the order back to 整改中', () => {
    expect(verdictTarget('pass')).toBe('verified');
    expect(verdictTarget('partial')).toBe('in_progress');
    expect(verdictTarget('fail')).toBe('in_progress');
  });

  it('deadlines are working days: three from the eve of the National Day holiday end after the holiday week', () => {
    // 2026-09-30 is the last working day before the National Day holiday (1 October onwards, at least a week).
    const due = addWorkingDays('2026-09-30', 3);
    expect(due > '2026-10-07').toBe(true);
  });

  it('refuses bad input with keys a clerk understands', () => {
    expect(createCallbackSampleSchema.safeParse({ operatorId: '00000000-0000-7000-8000-000000000001', from: '2026-11-30', to: '2026-11-01', size: 5 }).error?.issues[0].message).toBe('bad_range');
    expect(createCallbackSampleSchema.safeParse({ operatorId: '00000000-0000-7000-8000-000000000001', from: '2026-11-01', to: '2026-11-30', size: 500 }).success).toBe(false);
    expect(createRectificationSchema.safeParse({ source: { kind: 'inspection', id: 'x' }, title: '整改', items: [], severity: 'major', responsiblePerson: '王建国', deadlineDays: 5 }).success).toBe(false);
    const dup = inspectionReportSchema.safeParse({ results: [{ code: 'hotline', result: 'pass' }, { code: 'hotline', result: 'fail' }], summary: '检查完毕' });
    expect(dup.error?.issues[0].message).toBe('inspection_duplicate_item');
  });
});
