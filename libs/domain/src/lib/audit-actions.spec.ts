import { AUDIT_ONLY_ACTIONS, FACT_STEPS, LEDGER_KINDS, auditActionParts } from './ledger';

describe('auditActionParts (issue 17 §4)', () => {
  it('tells a fact (its kind and step) from an audit-only action', () => {
    expect(auditActionParts('settlement')).toEqual({ kind: 'settlement', step: null });
    expect(auditActionParts('complaint_step.closed')).toEqual({ kind: 'complaint_step', step: 'closed' });
    expect(auditActionParts('auth.login.success')).toEqual({ code: 'auth.login.success' });
    expect(auditActionParts('user.change_password.failure')).toEqual({ code: 'user.change_password.failure' });
  });
  it('knows nothing it was not told: an unknown kind, a step of another kind, an old code', () => {
    expect(auditActionParts('settlement.paid')).toBeNull();
    expect(auditActionParts('post_closed.closed')).toBeNull();
    expect(auditActionParts('placement.complete')).toBeNull();
    expect(auditActionParts('complaint_step.closed.again')).toBeNull();
  });
  it('keeps the lists apart: no audit-only action is named like a fact', () => {
    const kinds = new Set<string>(LEDGER_KINDS);
    expect(AUDIT_ONLY_ACTIONS.filter((a) => kinds.has(a.split('.')[0]))).toEqual([]);
    expect(Object.keys(FACT_STEPS).filter((k) => !kinds.has(k))).toEqual([]);
  });
});
