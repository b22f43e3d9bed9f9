import { bootApp, freshTenant, login, type TestApp } from '../support/app';

/** Worker registration (R-B2) and the real-name ledger (R-B3): minimal input, encrypted PII, masked lists, audited reveal. */
describe('worker registry', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(() => t.close());

  it('registers with name and mobile only, appends a chained registration entry in the same transaction, and stores no plain PII', async () => {
    const f = await freshTenant(t, 'reg');
    const desk = await login(t, f.deskUser.username, f.password);
    const res = await t.http.post(`/api/v1/markets/${f.market.id}/workers`).set(desk.auth)
      .send({ name: '李建军', mobile: '13812345678', idNumber: '11010519491231002x', consent: true, occupations: ['装卸搬运工'] }).expect(201);
    expect(res.body).toMatchObject({ name: '李建军', mobile: '138****5678', idNumber: '1101**********002X', occupations: ['装卸搬运工'] });
    const [row] = await t.owner.query('SELECT * FROM workers WHERE id = $1', [res.body.id]);
    expect(JSON.stringify(row)).not.toMatch(/13812345678|11010519491231002X/);
    const [entry] = await t.owner.query(`SELECT kind, subject_id, payload FROM ledger_entries WHERE market_id = $1 AND subject_id = $2`, [f.market.id, res.body.id]);
    expect(entry).toMatchObject({ kind: 'registration', payload: { workerId: res.body.id, realName: true } });
    expect(JSON.stringify(entry.payload)).not.toMatch(/李建军|13812345678/);
    const v = await t.http.get(`/api/v1/markets/${f.market.id}/ledger/verify`).query({ from: '2026-06-01', to: '2027-05-31' }).set(desk.auth).expect(200);
    expect(v.body.ok).toBe(true);
  });

  it('refuses a bad ID number, missing consent and a duplicate mobile with clear messages, writing nothing', async () => {
    const f = await freshTenant(t, 'regbad');
    const s = await login(t, f.adminUser.username, f.password);
    const badId = await t.http.post(`/api/v1/markets/${f.market.id}/workers`).set(s.auth)
      .send({ name: '王五', mobile: '13812340001', idNumber: '110105194912310021', consent: true }).expect(400);
    expect(badId.body.errors).toEqual([{ field: 'idNumber', message: '身份证号码有误，请核对（校验位不符或出生日期无效）' }]);
    const noConsent = await t.http.post(`/api/v1/markets/${f.market.id}/workers`).set(s.auth).set('Accept-Language', 'en')
      .send({ name: '王五', mobile: '13812340001' }).expect(400);
    expect(noConsent.body.errors).toEqual([{ field: 'consent', message: 'The person\'s consent to the use of personal data is required' }]);
    await t.http.post(`/api/v1/markets/${f.market.id}/workers`).set(s.auth).send({ name: '王五', mobile: '13812340001', consent: true }).expect(201);
    const dup = await t.http.post(`/api/v1/markets/${f.market.id}/workers`).set(s.auth).send({ name: '王六', mobile: '13812340001', consent: true }).expect(409);
    expect(dup.body.errors).toEqual([{ field: 'mobile', message: '该手机号已在本机构登记' }]);
    await t.http.post(`/api/v1/markets/${f.market.id}/workers`).set(s.auth).send({ name: '王七', mobile: '13812340002', idNumber: '11010519491231002X', consent: true }).expect(201);
    const dupId = await t.http.post(`/api/v1/markets/${f.market.id}/workers`).set(s.auth).send({ name: '王八', mobile: '13812340003', idNumber: '11010519491231002X', consent: true }).expect(409);
    expect(dupId.body.errors).toEqual([{ field: 'idNumber', message: '该身份证号码已在本机构登记' }]);
    const [{ n }] = await t.owner.query('SELECT count(*)::int AS n FROM workers WHERE tenant_id = $1', [f.org.id]);
    expect(n).toBe(2);
  });

  it('masks phones in every list, finds a worker by mobile, and audits each reveal', async () => {
    const f = await freshTenant(t, 'regmask');
    const op1 = await login(t, f.adminUser.username, f.password);
    const mobile = '13599887766';
    const w = await t.http.post(`/api/v1/markets/${f.market.id}/workers`).set(op1.auth).send({ name: '赵六', mobile, consent: true }).expect(201);
    for (const s of [op1, await f.signIn('front_desk'), await login(t, 'county.reviewer'), await login(t, 'city.analyst')]) {
      const list = await t.http.get('/api/v1/workers').query({ pageSize: 200 }).set(s.auth).expect(200);
      expect(list.body.items.length).toBeGreaterThan(0);
      for (const item of list.body.items) expect(item.mobile).toMatch(/^\d{3}\*{4}\d{4}$/);
    }
    const found = await t.http.get('/api/v1/workers').query({ mobile }).set(op1.auth).expect(200);
    expect(found.body.items.map((x: { id: string }) => x.id)).toEqual([w.body.id]);
    const county = await login(t, 'county.reviewer');
    await t.http.post(`/api/v1/workers/${w.body.id}/reveal`).set(county.auth).send({ field: 'mobile' }).expect(403);
    const shown = await t.http.post(`/api/v1/workers/${w.body.id}/reveal`).set(op1.auth).send({ field: 'mobile' }).expect(200);
    expect(shown.body.value).toBe(mobile);
    const events = await t.owner.query(`SELECT actor_username, summary FROM audit_events WHERE subject_id = $1 AND action = 'personal_data.reveal'`, [w.body.id]);
    expect(events).toEqual([{ actor_username: f.adminUser.username, summary: { field: 'mobile' } }]);
    const other = await login(t, 'op2.admin');
    await t.http.get(`/api/v1/workers/${w.body.id}`).set(other.auth).expect(404);
  });

  it('registers a company with a checksum-valid credit code, and the market manager verifies it with evidence (R-B6)', async () => {
    const f = await freshTenant(t, 'regemp', ['market_manager']);
    const op1 = await login(t, f.deskUser.username, f.password);
    const bad = await t.http.post(`/api/v1/markets/${f.market.id}/employers`).set(op1.auth)
      .send({ kind: 'company', name: '中牟县宏达劳务有限公司', creditCode: '91350100M000100Y44', contactName: '李经理', contactPhone: '13912345670' }).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'creditCode', message: '统一社会信用代码有误，请核对（18 位，校验位不符）' }]);
    const missing = await t.http.post(`/api/v1/markets/${f.market.id}/employers`).set(op1.auth)
      .send({ kind: 'company', name: '中牟县宏达劳务有限公司', contactName: '李经理', contactPhone: '13912345670' }).expect(400);
    expect(missing.body.errors).toEqual([{ field: 'creditCode', message: '单位用工须填写统一社会信用代码' }]);
    const e = await t.http.post(`/api/v1/markets/${f.market.id}/employers`).set(op1.auth)
      .send({ kind: 'company', name: '中牟县宏达劳务有限公司', creditCode: '91350100m000100y43', contactName: '李经理', contactPhone: '13912345670' }).expect(201);
    expect(e.body).toMatchObject({ status: 'pending', creditCode: '91350100M000100Y43', contactPhone: '139****5670' });
    await t.http.post(`/api/v1/employers/${e.body.id}/verification`).set(op1.auth).send({ decision: 'verified', evidence: '营业执照原件已核验' }).expect(403);
    const manager = await f.signIn('market_manager');
    const v = await t.http.post(`/api/v1/employers/${e.body.id}/verification`).set(manager.auth).send({ decision: 'verified', evidence: '营业执照原件已核验，经营场所已走访' }).expect(200);
    expect(v.body).toMatchObject({ status: 'verified', evidence: '营业执照原件已核验，经营场所已走访' });
    const kinds = (await t.owner.query(`SELECT kind FROM ledger_entries WHERE subject_id = $1 ORDER BY seq`, [e.body.id])).map((r: { kind: string }) => r.kind);
    expect(kinds).toEqual(['employer_registration', 'employer_verification']);
  });
});
