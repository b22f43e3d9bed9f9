import { asSubject, defineAbilityFor } from './abilities';
import type { Actor } from './actor';
import { createToolSchema, decisionSchema, returnSchema } from './tools';

const op1 = 'op1-tenant';
const actor = (a: Partial<Actor>): Actor => ({ userId: 'u', username: 'u', orgId: op1, orgKind: 'operator', tenantId: op1, marketIds: [], roles: [], ...a });
const tool = (marketId: string, tenantId = op1) => asSubject('Tool', { marketId, tenantId, regionCode: '410122' });

describe('tool rental rules (R-B11)', () => {
  it('the desk asks, lends and takes back at its markets; only the manager adds tools and approves (先批后租)', () => {
    const desk = defineAbilityFor(actor({ roles: ['front_desk'], marketIds: ['m1'] }));
    expect(desk.can('create', tool('m1'))).toBe(true);
    expect(desk.can('create', tool('m2'))).toBe(false);
    expect(desk.can('verify', tool('m1'))).toBe(false);
    expect(desk.can('update', tool('m1'))).toBe(false);
    const manager = defineAbilityFor(actor({ roles: ['market_manager'], marketIds: ['m1'] }));
    expect(manager.can('verify', tool('m1'))).toBe(true);
    expect(manager.can('update', tool('m1'))).toBe(true);
    expect(manager.can('verify', tool('m2'))).toBe(false);
    expect(manager.can('read', tool('m2', 'op2'))).toBe(false);
  });

  it('an exited operator (read-only) keeps reading its tools and approves nothing', () => {
    const manager = defineAbilityFor(actor({ roles: ['market_manager', 'operator_admin'], marketIds: ['m1'], readOnly: true }));
    expect(manager.can('read', tool('m1'))).toBe(true);
    for (const action of ['create', 'update', 'verify'] as const) expect(manager.can(action, tool('m1'))).toBe(false);
  });

  it('authorities read the tools of their region and change nothing', () => {
    const county = defineAbilityFor(actor({ orgKind: 'county', tenantId: undefined, regionPrefix: '410122', roles: ['county_reviewer'] }));
    expect(county.can('read', tool('m1'))).toBe(true);
    expect(county.can('read', asSubject('Tool', { regionCode: '410184' }))).toBe(false);
    for (const action of ['create', 'update', 'verify'] as const) expect(county.can(action, tool('m1'))).toBe(false);
  });

  it('simple tools carry no fee, a deposit never exceeds the value, damage is charged only when damaged', () => {
    expect(createToolSchema.safeParse({ code: 'ZM-1', name: '铁锹', category: 'simple', valueFen: 3000, depositFen: 2000, dailyFeeFen: 100 }).success).toBe(false);
    expect(createToolSchema.safeParse({ code: 'ZM-1', name: '铁锹', category: 'simple', valueFen: 3000, depositFen: 2000 }).success).toBe(true);
    expect(createToolSchema.safeParse({ code: 'ZM-2', name: '电锤', category: 'regular', valueFen: 3000, depositFen: 4000, dailyFeeFen: 100 }).success).toBe(false);
    expect(createToolSchema.safeParse({ code: 'ZM-3', name: '电锤', category: 'regular', valueFen: 3000, depositFen: 1000, dailyFeeFen: 3001 }).success).toBe(false);
    expect(createToolSchema.safeParse({ code: 'ZM-3', name: '电锤', category: 'regular', valueFen: 3000, depositFen: 1000, dailyFeeFen: 3000 }).success).toBe(true);
    expect(returnSchema.safeParse({ condition: 'damaged', inspectionNote: '开裂' }).success).toBe(false);
    expect(returnSchema.safeParse({ condition: 'good', damageFen: 100 }).success).toBe(false);
    expect(returnSchema.safeParse({ condition: 'worn' }).success).toBe(false);
    expect(returnSchema.safeParse({ condition: 'damaged', inspectionNote: '开裂', damageFen: 500 }).success).toBe(true);
    expect(decisionSchema.safeParse({ decision: 'rejected' }).success).toBe(false);
    expect(decisionSchema.safeParse({ decision: 'approved' }).success).toBe(true);
  });
});
