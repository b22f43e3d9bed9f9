import { asSubject, defineAbilityFor } from './abilities';
import type { Actor } from './actor';

const op1 = 'op1-tenant';
const actor = (a: Partial<Actor>): Actor => ({ userId: 'u', username: 'u', orgId: 'org', orgKind: 'operator', marketIds: [], roles: [], ...a });

describe('defineAbilityFor', () => {
  it('an operator admin manages its own users and markets only', () => {
    const a = defineAbilityFor(actor({ orgId: op1, tenantId: op1, roles: ['operator_admin'] }));
    expect(a.can('create', asSubject('User', { tenantId: op1 }))).toBe(true);
    expect(a.can('create', asSubject('User', { tenantId: 'op2' }))).toBe(false);
    expect(a.can('operate', asSubject('Market', { id: 'm', tenantId: op1 }))).toBe(true);
    expect(a.can('register', asSubject('Market', { id: 'm', tenantId: op1 }))).toBe(false);
    expect(a.can('create', 'Organisation')).toBe(false);
  });

  it('front-desk staff read only their assigned markets and write nothing', () => {
    const a = defineAbilityFor(actor({ orgId: op1, tenantId: op1, roles: ['front_desk'], marketIds: ['m1'] }));
    expect(a.can('read', asSubject('Market', { id: 'm1', tenantId: op1 }))).toBe(true);
    expect(a.can('read', asSubject('Market', { id: 'm2', tenantId: op1 }))).toBe(false);
    expect(a.can('operate', 'Market')).toBe(false);
    expect(a.can('read', 'AuditEvent')).toBe(false);
  });

  it('market-level staff read every market-bound subject only at their assigned markets (issue 12 §5)', () => {
    const subjects = ['Worker', 'Employer', 'Post', 'Placement', 'Complaint', 'Tool', 'Training', 'MarketEvent', 'Assistance', 'ServiceRecord', 'Ledger'] as const;
    for (const roles of [['front_desk'], ['complaint_handler'], ['market_manager']] as const) {
      const a = defineAbilityFor(actor({ orgId: op1, tenantId: op1, roles: [...roles], marketIds: ['m1', 'm2'] }));
      for (const s of subjects) {
        expect([roles[0], s, a.can('read', asSubject(s, { tenantId: op1, regionCode: '410122', marketId: 'm1' }))]).toEqual([roles[0], s, true]);
        expect([roles[0], s, a.can('read', asSubject(s, { tenantId: op1, regionCode: '410122', marketId: 'm3' }))]).toEqual([roles[0], s, false]);
        // A row whose market is not known is not readable by market-level staff (the API must pass it).
        expect([roles[0], s, a.can('read', asSubject(s, { tenantId: op1, regionCode: '410122' }))]).toEqual([roles[0], s, false]);
        expect([roles[0], s, a.can('read', asSubject(s, { tenantId: 'op2', marketId: 'm1' }))]).toEqual([roles[0], s, false]);
      }
      // The tenant's worker identity is shared: found by mobile at any market of the tenant, never another tenant's.
      expect(a.can('lookup', asSubject('Worker', { tenantId: op1, marketId: 'm3' }))).toBe(true);
      expect(a.can('lookup', asSubject('Worker', { tenantId: 'op2', marketId: 'm1' }))).toBe(false);
      expect(a.can('lookup', asSubject('Employer', { tenantId: op1, marketId: 'm3' }))).toBe(false);
    }
    const admin = defineAbilityFor(actor({ orgId: op1, tenantId: op1, roles: ['operator_admin'] }));
    expect(admin.can('read', asSubject('Worker', { tenantId: op1, marketId: 'm3' }))).toBe(true);
    expect(admin.can('lookup', asSubject('Worker', { tenantId: op1, marketId: 'm3' }))).toBe(true);
    expect(admin.can('read', asSubject('Training', { tenantId: op1, marketId: 'm3' }))).toBe(true);
  });

  it('a county reviewer reads and registers markets in its county only, and never operates them (R-A1)', () => {
    const a = defineAbilityFor(actor({ orgKind: 'county', regionPrefix: '410122', roles: ['county_reviewer'] }));
    expect(a.can('read', asSubject('Market', { regionCode: '410122' }))).toBe(true);
    expect(a.can('read', asSubject('Market', { regionCode: '410184' }))).toBe(false);
    expect(a.can('register', asSubject('Market', { regionCode: '410122' }))).toBe(true);
    expect(a.can('operate', asSubject('Market', { regionCode: '410122' }))).toBe(false);
    expect(a.can('read', asSubject('Organisation', { regionCode: '410327', servedRegions: ['410122'] }))).toBe(true);
  });

  it('a city analyst reads its whole city and writes nothing', () => {
    const a = defineAbilityFor(actor({ orgKind: 'city', regionPrefix: '4101', roles: ['city_analyst'] }));
    expect(a.can('read', asSubject('Market', { regionCode: '410184' }))).toBe(true);
    expect(a.can('read', asSubject('Market', { regionCode: '410327' }))).toBe(false);
    expect(a.can('create', 'Market')).toBe(false);
    expect(a.can('update', 'User')).toBe(false);
  });

  it('an exited operator keeps reading but cannot write (R-F1)', () => {
    const a = defineAbilityFor(actor({ orgId: op1, tenantId: op1, roles: ['operator_admin'], readOnly: true }));
    expect(a.can('read', asSubject('Market', { tenantId: op1 }))).toBe(true);
    expect(a.can('operate', asSubject('Market', { tenantId: op1 }))).toBe(false);
    expect(a.can('create', asSubject('User', { tenantId: op1 }))).toBe(false);
  });

  it('a platform role claimed by a non-platform organisation grants nothing extra', () => {
    const a = defineAbilityFor(actor({ orgKind: 'operator', tenantId: op1, roles: ['platform_admin'] }));
    expect(a.can('create', 'Organisation')).toBe(false);
    expect(a.can('read', asSubject('Market', { tenantId: 'op2' }))).toBe(false);
  });
});
