import { bootApp, registerAssigned, demoId, freshTenant, login, type TestApp } from '../support/app';

/** Roles, grants, markets and personal data (issue 2 §3, §5, §6). */
describe('tenancy and markets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(() => t.close());

  const audit = async (subjectId: string) =>
    (await t.owner.query(`SELECT action, actor_username, summary FROM audit_events WHERE subject_id = $1 ORDER BY occurred_at`, [subjectId])) as { action: string; actor_username: string; summary: Record<string, unknown> }[];

  describe('an operator admin cannot grant beyond its own scope', () => {
    it('refuses a platform or authority role', async () => {
      const s = await login(t, 'op1.admin');
      const res = await t.http.post('/api/v1/users').set(s.auth).send({
        username: 'op1.escalate', displayName: '越权', password: 'Escalate-123!', orgId: demoId('op1'), roles: ['platform_admin'],
      }).expect(422);
      expect(res.body.errors).toEqual([{ field: 'roles', message: '该角色不能授予此类机构的用户' }]);
    });

    it('refuses another operator\'s market, on create and on update', async () => {
      const s = await login(t, 'op1.admin');
      const res = await t.http.post('/api/v1/users').set(s.auth).send({
        username: 'op1.crossmarket', displayName: '越权', password: 'Escalate-123!', orgId: demoId('op1'), roles: ['front_desk'], marketIds: [demoId('m-yiyang')],
      }).expect(403);
      expect(res.body.errors).toEqual([{ field: 'marketIds', message: '所选市场不属于本运营机构' }]);
      await t.http.patch(`/api/v1/users/${demoId('user:op1.desk')}`).set(s.auth).send({ marketIds: [demoId('m-zhongmu'), demoId('m-longhu')] }).expect(403);
      const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM user_markets WHERE user_id = $1`, [demoId('user:op1.desk')]);
      expect(n).toBe(1);
    });

    it('refuses a user in another organisation and cannot touch another tenant\'s users', async () => {
      const s = await login(t, 'op1.admin');
      await t.http.post('/api/v1/users').set(s.auth).send({
        username: 'op1.foreign', displayName: '越权', password: 'Escalate-123!', orgId: demoId('op2'), roles: ['operator_admin'],
      }).expect(422);
      await t.http.patch(`/api/v1/users/${demoId('user:op2.desk')}`).set(s.auth).send({ roles: ['operator_admin'] }).expect(404);
    });

    it('cannot raise its own roles', async () => {
      const s = await login(t, 'op1.admin');
      await t.http.patch(`/api/v1/users/${s.user.id}`).set(s.auth).send({ roles: ['operator_admin', 'market_manager'] }).expect(403);
    });

    it('can create staff for its own markets; the new user signs in with exactly that scope', async () => {
      const s = await login(t, 'op1.admin');
      const created = await t.http.post('/api/v1/users').set(s.auth).send({
        username: 'op1.newdesk', displayName: '新窗口', password: 'New-Desk-2026!', orgId: demoId('op1'), roles: ['front_desk'],
        marketIds: [demoId('m-guandu')], phone: '13812345678',
      }).expect(201);
      expect(created.body.phone).toBe('138****5678');
      const desk = await login(t, 'op1.newdesk', 'New-Desk-2026!');
      const markets = await t.http.get('/api/v1/markets').set(desk.auth).expect(200);
      expect(markets.body.items.map((m: { id: string }) => m.id)).toEqual([demoId('m-guandu')]);
      // Changing the scope ends the user's sessions at once.
      await t.http.patch(`/api/v1/users/${created.body.id}`).set(s.auth).send({ marketIds: [demoId('m-zhongmu')] }).expect(200);
      await t.http.get('/api/v1/auth/me').set(desk.auth).expect(401);
      expect((await audit(created.body.id)).map((e) => e.action)).toEqual(expect.arrayContaining(['user.create', 'user.update']));
    });
  });

  describe('personal data', () => {
    it('masks phones in every list and audits each reveal', async () => {
      const s = await login(t, 'op1.admin');
      const list = await t.http.get('/api/v1/users?pageSize=200').set(s.auth).expect(200);
      expect(list.body.items.length).toBeGreaterThan(1);
      for (const u of list.body.items) if (u.phone) expect(u.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      const manager = await login(t, 'op1.manager');
      const managerList = await t.http.get('/api/v1/users').set(manager.auth).expect(200);
      for (const u of managerList.body.items) if (u.phone) expect(u.phone).toMatch(/\*{4}/);
      await t.http.post(`/api/v1/users/${demoId('user:op1.desk')}/reveal-phone`).set(manager.auth).expect(403);
      const reveals = async () => (await audit(demoId('user:op1.desk'))).filter((e) => e.action === 'personal_data.reveal' && e.actor_username === 'op1.admin').length;
      const before = await reveals();
      const revealed = await t.http.post(`/api/v1/users/${demoId('user:op1.desk')}/reveal-phone`).set(s.auth).expect(200);
      expect(revealed.body.phone).toBe('13703710012');
      expect(await reveals()).toBe(before + 1);
    });
  });

  describe('markets', () => {
    it('the county registers a market for an operator; the operator edits operating details but not registration', async () => {
      const county = await login(t, 'county.reviewer');
      const m = { body: await registerAssigned(t, county, {
        name: '中牟县刘集镇零工驿站', type: 'station', nature: 'public', mode: 'contracted', regionCode: '410122', operatorId: demoId('op1'),
      }) };
      expect(m.body).toMatchObject({ status: 'preparing', operatorName: '郑州豫才人力资源服务有限公司', regionName: '河南省郑州市中牟县' });
      const op = await login(t, 'op1.admin');
      const ops = await t.http.patch(`/api/v1/markets/${m.body.id}/operations`).set(op.auth)
        .send({ address: '河南省郑州市中牟县刘集镇政府东侧', longitude: 113.93, latitude: 34.66, hotline: '0371-62112333', occupations: ['农业采摘工'] }).expect(200);
      expect(ops.body.address).toBe('河南省郑州市中牟县刘集镇政府东侧');
      await t.http.patch(`/api/v1/markets/${m.body.id}/registration`).set(op.auth).send({ status: 'open' }).expect(403);
      const reg = await t.http.patch(`/api/v1/markets/${m.body.id}/registration`).set(county.auth).send({ status: 'open' }).expect(200);
      expect(reg.body.status).toBe('open');
      // Registered with no operator, then assigned under the contract that lists it (issue 15 §1), then the rest.
      expect((await audit(m.body.id)).map((e) => e.action)).toEqual(['market.register', 'market.update_registration', 'market.update_operations', 'market.update_registration']);
      // The county sees the change in its own audit log.
      const log = await t.http.get(`/api/v1/audit-events?subjectId=${m.body.id}`).set(county.auth).expect(200);
      expect(log.body.total).toBe(4);
    });

    it('the database refuses registration changes from an operator session even if the API let one through', async () => {
      await expect(t.owner.transaction(async (em) => {
        await em.query(`SELECT set_config('app.org_kind', 'operator', true), set_config('app.tenant_id', $1, true)`, [demoId('op1')]);
        await em.query(`UPDATE markets SET name = '中牟县零工市场（改名）' WHERE id = $1`, [demoId('m-zhongmu')]);
      })).rejects.toThrow(/may not change market registration/);
    });

    it('a county cannot register a market outside its county', async () => {
      const county = await login(t, 'county.reviewer');
      const res = await t.http.post('/api/v1/markets').set(county.auth).send({
        name: '宜阳县零工市场（越界）', type: 'comprehensive', nature: 'public', mode: 'contracted', regionCode: '410327', operatorId: demoId('op2'),
      }).expect(422);
      expect(res.body.errors[0]).toEqual({ field: 'regionCode', message: '该行政区划不在您的管辖范围内' });
    });

    it('authorities read their region\'s markets and operators, and cannot write operational details', async () => {
      const city = await login(t, 'city.analyst');
      const overview = await t.http.get('/api/v1/overview').set(city.auth).expect(200);
      expect(overview.body.scope.regionName).toBe('河南省郑州市');
      const names = overview.body.operators.map((o: { name: string }) => o.name);
      expect(names).toEqual(expect.arrayContaining(['郑州豫才人力资源服务有限公司', '新郑市众创就业服务中心']));
      expect(names).not.toContain('洛阳河洛就业服务有限公司');
      const op1 = overview.body.operators.find((o: { name: string }) => o.name === '郑州豫才人力资源服务有限公司');
      expect(op1.counties).toEqual(expect.arrayContaining(['河南省郑州市中牟县', '河南省郑州市新郑市']));
      await t.http.patch(`/api/v1/markets/${demoId('m-zhongmu')}/operations`).set(city.auth).send({ openingHours: '全天' }).expect(403);
      // The county of Xinzheng's operator op1 (registered in Zhongmu) is still visible to a county it serves.
      const reviewer = await login(t, 'county.reviewer');
      const orgs = await t.http.get('/api/v1/organisations').query({ kind: 'operator', q: '豫才' }).set(reviewer.auth).expect(200);
      expect(orgs.body.items.map((o: { name: string }) => o.name)).toContain('郑州豫才人力资源服务有限公司');
    });
  });

  describe('an operator leaves only through an exit case (R-F1, issue 16 §4)', () => {
    it('its status is not an edit, not even the platform admin\'s: 409 with the way to go, nothing changed', async () => {
      // Read-only after the archive, the sessions renewed: tests/api/exit.e2e-spec.ts takes an operator through its case.
      const f = await freshTenant(t, 'exit');
      const admin = await login(t, 'admin');
      const before = (await audit(f.org.id)).length;
      const refused = await t.http.patch(`/api/v1/organisations/${f.org.id}`).set(admin.auth).send({ status: 'exited', contactName: '改不了' }).expect(409);
      expect(refused.body.title).toContain('退出程序');
      const en = await t.http.patch(`/api/v1/organisations/${f.org.id}`).set(admin.auth).set('Accept-Language', 'en').send({ status: 'exited' }).expect(409);
      expect(en.body.title).toContain('exit case');
      const org = (await t.http.get(`/api/v1/organisations/${f.org.id}`).set(admin.auth).expect(200)).body;
      expect([org.status, org.contactName]).toEqual(['active', f.org.contactName ?? null]);
      expect((await audit(f.org.id)).length).toBe(before);
      // The same status is no change: an edit of the other fields goes through.
      await t.http.patch(`/api/v1/organisations/${f.org.id}`).set(admin.auth).send({ status: 'active', contactName: '新联系人' }).expect(200);
    });
  });

  describe('password change', () => {
    it('checks the current password and the policy, then ends every session', async () => {
      const f = await freshTenant(t, 'pw');
      const s = await login(t, f.deskUser.username, f.password);
      const wrong = await t.http.post('/api/v1/auth/password').set(s.auth).send({ currentPassword: 'nope', newPassword: 'Another-Pass-2026' }).expect(400);
      expect(wrong.body.errors).toEqual([{ field: 'currentPassword', message: '当前密码不正确' }]);
      const weak = await t.http.post('/api/v1/auth/password').set(s.auth).set('Accept-Language', 'en').send({ currentPassword: f.password, newPassword: 'short' }).expect(400);
      expect(weak.body.errors[0].field).toBe('newPassword');
      await t.http.post('/api/v1/auth/password').set(s.auth).send({ currentPassword: f.password, newPassword: 'Another-Pass-2026' }).expect(204);
      await t.http.get('/api/v1/auth/me').set(s.auth).expect(401);
      await login(t, f.deskUser.username, 'Another-Pass-2026');
    });
  });
});
