import { asSubject, defineAbilityFor } from './abilities';
import { behindPlan, hardshipTier, packageDone, planStepSchema, serviceRecordSchema, waitingDays } from './assistance';

describe('assistance (R-B9)', () => {
  it('counts waiting days from registration, or from the last day worked when later', () => {
    expect(waitingDays('2026-10-01', null, '2026-10-31')).toBe(30);
    expect(waitingDays('2026-10-01', '2026-10-20', '2026-10-31')).toBe(11);
    // A stale last-worked date before registration (imported roster) does not count.
    expect(waitingDays('2026-10-01', '2026-09-01', '2026-10-02')).toBe(1);
    expect(waitingDays('2026-10-31', null, '2026-10-31')).toBe(0);
  });

  it('derives the tier from categories and waiting time, and passes a threshold at 30 and 90 days', () => {
    expect(hardshipTier([], 400)).toBe(0);
    expect(hardshipTier(['older_age'], 29)).toBe(1);
    expect(hardshipTier(['older_age'], 30)).toBe(2);
    expect(hardshipTier(['older_age'], 90)).toBe(2);
    expect(hardshipTier(['older_age', 'veteran'], 90)).toBe(3);
    expect(hardshipTier(['disability'], 0)).toBe(2);
    expect(hardshipTier(['disability', 'low_income'], 0)).toBe(3);
    expect(hardshipTier(['veteran', 'veteran'], 0)).toBe(1);
  });

  it('knows when the 1 guidance / 3 referrals / 1 training package is done', () => {
    const pkg = { guidance: 1, referrals: 3, training: 1 };
    expect(packageDone(pkg, { guidance: 1, referrals: 2, training: 1 })).toBe(false);
    expect(packageDone(pkg, { guidance: 2, referrals: 3, training: 1 })).toBe(true);
  });

  it('marks a plan behind when its package is late or a follow-up is overdue', () => {
    const pkg = { behindDays: 30 };
    expect(behindPlan({ status: 'active', openedOn: '2026-10-01', nextFollowUpOn: null }, pkg, '2026-10-31')).toBe(false);
    expect(behindPlan({ status: 'active', openedOn: '2026-10-01', nextFollowUpOn: null }, pkg, '2026-11-01')).toBe(true);
    expect(behindPlan({ status: 'package_complete', openedOn: '2026-01-01', nextFollowUpOn: '2026-11-01' }, pkg, '2026-11-01')).toBe(false);
    expect(behindPlan({ status: 'package_complete', openedOn: '2026-01-01', nextFollowUpOn: '2026-10-31' }, pkg, '2026-11-01')).toBe(true);
    expect(behindPlan({ status: 'stable_employment', openedOn: '2026-01-01', nextFollowUpOn: '2026-01-31' }, pkg, '2026-11-01')).toBe(false);
  });

  it('asks for the course of a training step, the outcome of a follow-up and one party of a service record', () => {
    const at = '2026-11-20T09:00:00+08:00';
    expect(planStepSchema.safeParse({ kind: 'training', occurredAt: at, note: '报名参加' }).error?.issues[0].path).toEqual(['courseName']);
    expect(planStepSchema.safeParse({ kind: 'follow_up', occurredAt: at, note: '电话回访', outcome: 'stable_employment' }).error?.issues[0].path).toEqual(['employerName']);
    expect(planStepSchema.safeParse({ kind: 'follow_up', occurredAt: at, note: '电话回访', outcome: 'still_seeking' }).success).toBe(true);
    expect(serviceRecordSchema.safeParse({ kind: 'policy_consultation', occurredAt: at, summary: '咨询社保补贴' }).success).toBe(false);
  });
});

describe('assistance abilities (R-B9)', () => {
  const op1 = 'op1-tenant';
  const base = { userId: 'u', username: 'u', orgId: op1, marketIds: [] as string[] };
  it('market staff record at their market and may see the categories there; authorities read plans and never see categories', () => {
    const desk = defineAbilityFor({ ...base, orgKind: 'operator', tenantId: op1, roles: ['front_desk'], marketIds: ['m1'] });
    expect(desk.can('update', asSubject('Assistance', { tenantId: op1, marketId: 'm1' }))).toBe(true);
    expect(desk.can('reveal', asSubject('Assistance', { tenantId: op1, marketId: 'm1' }))).toBe(true);
    expect(desk.can('update', asSubject('Assistance', { tenantId: op1, marketId: 'm2' }))).toBe(false);
    // Issue 12 §5: another market's plans are not the desk's to read.
    expect(desk.can('read', asSubject('Assistance', { tenantId: op1, marketId: 'm2' }))).toBe(false);
    expect(desk.can('create', asSubject('ServiceRecord', { tenantId: op1, marketId: 'm1' }))).toBe(true);
    const county = defineAbilityFor({ ...base, orgId: 'c', orgKind: 'county', regionPrefix: '410122', roles: ['county_reviewer'] });
    expect(county.can('read', asSubject('Assistance', { regionCode: '410122' }))).toBe(true);
    expect(county.can('reveal', 'Assistance')).toBe(false);
    expect(county.can('update', 'Assistance')).toBe(false);
    expect(county.can('create', 'ServiceRecord')).toBe(false);
    const exited = defineAbilityFor({ ...base, orgKind: 'operator', tenantId: op1, roles: ['operator_admin'], readOnly: true });
    expect(exited.can('read', asSubject('Assistance', { tenantId: op1 }))).toBe(true);
    expect(exited.can('create', asSubject('Assistance', { tenantId: op1 }))).toBe(false);
  });
});
