import { CORRECTABLE_FIELDS, applyCorrections, correctionPayloadSchema, correctionSizeProblem } from './ledger-corrections';
import { LEDGER_KINDS } from './ledger';

describe('work-log corrections (issue 12, finding 6)', () => {
  it('names only real kinds, never corrections, and never an id', () => {
    for (const [kind, fields] of Object.entries(CORRECTABLE_FIELDS)) {
      expect(LEDGER_KINDS).toContain(kind);
      expect(kind).not.toBe('correction');
      expect(Object.keys(fields).filter((f) => /Ids?$/.test(f))).toEqual([]);
    }
  });

  it('has no schema for a kind with nothing correctable, nor for inherited names', () => {
    for (const kind of ['match', 'hire_started', 'correction', 'constructor', '__proto__', 'toString']) expect(correctionPayloadSchema(kind)).toBeNull();
    expect(correctionPayloadSchema('settlement')?.safeParse({ amountPaidFen: 18000 }).success).toBe(true);
    expect(correctionPayloadSchema('settlement')?.safeParse({ workerId: 'x' }).success).toBe(false);
  });

  it('limits size, keys and depth', () => {
    expect(correctionSizeProblem({})).toBe('correction_empty');
    expect(correctionSizeProblem({ a: { b: { c: 1 } } })).toBe('correction_too_large');
    expect(correctionSizeProblem({ note: 'x'.repeat(5000) })).toBe('correction_too_large');
    expect(correctionSizeProblem({ title: '更正' })).toBeNull();
  });

  it('shows only valid, correctable fields, later corrections last', () => {
    const p = { placementId: 'p1', amountPaidFen: 20000, method: 'cash' };
    expect(applyCorrections('settlement', p, [
      { amountPaidFen: 99_999_999, placementId: 'other-tenant' },
      { amountPaidFen: 18000 },
      { method: 'bank', note: '  转账  ' },
    ])).toEqual({ placementId: 'p1', amountPaidFen: 18000, method: 'bank', note: '转账' });
    expect(applyCorrections('match', { score: 1 }, [{ score: 100 }])).toEqual({ score: 1 });
  });
});
