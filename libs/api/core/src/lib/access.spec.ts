import { DataSource } from 'typeorm';
import { applyAccess } from './access';
import type { Actor } from '@linggong/domain';

/** The CASL → SQL translation that builds list queries from the same rules as the object checks. */
describe('applyAccess', () => {
  const ds = new DataSource({ type: 'postgres' });
  const qb = () => ds.createQueryBuilder().select('m.id').from('markets', 'm');
  const cols = { id: 'm.id', tenantId: 'm.tenant_id', regionCode: 'm.region_code' };
  const actor = (a: Partial<Actor>): Actor => ({ userId: 'u', username: 'u', orgId: 'o', orgKind: 'operator', marketIds: [], roles: [], ...a });

  it('scopes an operator admin to its tenant', () => {
    const q = qb();
    expect(applyAccess(q, actor({ tenantId: 't1', roles: ['operator_admin'] }), 'read', 'Market', cols)).toBe(true);
    const [sql, params] = q.getQueryAndParameters();
    expect(sql).toMatch(/m\.tenant_id::text = \$1/);
    expect(params).toEqual(['t1']);
  });

  it('scopes a county to a region prefix with LIKE', () => {
    const q = qb();
    applyAccess(q, actor({ orgKind: 'county', regionPrefix: '410122', roles: ['county_reviewer'] }), 'read', 'Market', cols);
    const [sql, params] = q.getQueryAndParameters();
    expect(sql).toMatch(/m\.region_code LIKE \$1/);
    expect(params).toEqual(['410122%']);
  });

  it('scopes market staff to their assigned markets', () => {
    const q = qb();
    applyAccess(q, actor({ tenantId: 't1', roles: ['front_desk'], marketIds: ['a', 'b'] }), 'read', 'Market', cols);
    const [sql, params] = q.getQueryAndParameters();
    expect(sql).toMatch(/m\.id::text = ANY\(\$1\)/);
    expect(params).toEqual([['a', 'b']]);
  });

  it('adds nothing for the platform and refuses a role with no rule', () => {
    const all = qb();
    expect(applyAccess(all, actor({ orgKind: 'platform', roles: ['platform_admin'] }), 'read', 'Market', cols)).toBe(true);
    expect(all.getQuery()).not.toMatch(/WHERE/);
    expect(applyAccess(qb(), actor({ tenantId: 't1', roles: ['front_desk'] }), 'read', 'AuditEvent', cols)).toBe(false);
  });
});
