import { bootApp, demoId, login, tableCounts, type Session, type TestApp } from '../support/app';

/**
 * Issue 15 §1 (R-A3): "a market can only be assigned to an operator under a contract that covers it". A market gets an
 * operator (registration, a change of operator) only when a live contract version of that operator in the market's
 * county lists it: not superseded, its term containing today. The check is the assessment context's, registered with
 * the markets context's `AssignmentCovers`; it locks the contract row it found (FOR SHARE) inside the assignment's
 * transaction. A contract may list the county's unassigned markets, so the county contracts first and assigns second.
 * Real PostgreSQL and Redis.
 */
describe('market assignment under a covering contract (issue 15 §1)', () => {
  let t: TestApp;
  let county: Session;
  let platform: Session;
  let opId: string;
  const zh = { 'Accept-Language': 'zh-CN' };
  const en = { 'Accept-Language': 'en' };
  const day = (shift: number) => new Date(Date.now() + 8 * 3_600_000 + shift * 86_400_000).toISOString().slice(0, 10);
  let n = 0;
  const terms = (marketIds: string[], from = day(-30), to = day(335)) => ({
    title: '零工市场委托运营服务合同', termFrom: from, termTo: to, marketIds, amountFen: 200_000,
    schedule: [{ label: '运营费', due: to, amountFen: 200_000, resultLinked: false }], documentSm3: 'd1'.repeat(32),
  });
  const contract = async (marketIds: string[], from?: string, to?: string) =>
    (await t.http.post('/api/v1/contracts').set(county.auth).send({ operatorId: opId, number: `MA-${Date.now().toString(36)}-${++n}`, ...terms(marketIds, from, to) }).expect(201)).body;
  const unassigned = async () => (await t.http.post('/api/v1/markets').set(county.auth).send({
    name: `中牟县零工市场（指定${++n}${Date.now() % 100000}）`, type: 'comprehensive', nature: 'public', mode: 'contracted', regionCode: '410122',
  }).expect(201)).body as { id: string; operatorId: string | null };
  const assign = (id: string, as: Session = county, lang = zh) => t.http.patch(`/api/v1/markets/${id}/registration`).set(as.auth).set(lang).send({ operatorId: opId });
  const tenantOf = async (id: string) => (await t.owner.query('SELECT tenant_id FROM markets WHERE id = $1', [id]))[0].tenant_id as string | null;

  beforeAll(async () => {
    t = await bootApp();
    county = await login(t, 'county.reviewer');
    platform = await login(t, 'admin');
    opId = (await t.http.post('/api/v1/organisations').set(platform.auth).send({ kind: 'operator', name: `指定测试运营机构${Date.now().toString(36)}`, regionCode: '410122' }).expect(201)).body.id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('registering a market with an operator is refused (no contract can list a market not yet registered), in zh and en, nothing written', async () => {
    const body = { name: `中牟县零工市场（直接指定${Date.now() % 100000}）`, type: 'comprehensive', nature: 'public', mode: 'contracted', regionCode: '410122', operatorId: demoId('op1') };
    const before = await tableCounts(t);
    const r = await t.http.post('/api/v1/markets').set(county.auth).set(zh).send(body).expect(422);
    expect(r.body.title).toMatch(/新登记的市场还没有合同覆盖/);
    expect(r.body.errors).toEqual([{ field: 'operatorId', message: expect.stringContaining('再指定运营机构') }]);
    const e = await t.http.post('/api/v1/markets').set(platform.auth).set(en).send(body).expect(422);
    expect(e.body.errors[0].message).toMatch(/register it without an operator, list it on a contract with the operator, then assign it/);
    expect(await tableCounts(t)).toEqual(before);
  });

  it('an assignment without a covering contract is refused in zh and en, nothing written; a contract that does not list the market does not cover it', async () => {
    const m = await unassigned();
    // op1 holds a live contract in this county (its LEGACY cover), but it does not list the new market.
    const op1 = (await t.http.get('/api/v1/contracts?operatorId=' + demoId('op1')).set(county.auth).expect(200)).body as { regionCode: string; marketIds: string[] }[];
    expect(op1.some((c) => c.regionCode === '410122')).toBe(true);
    const before = await tableCounts(t);
    const r = await t.http.patch(`/api/v1/markets/${m.id}/registration`).set(county.auth).set(zh).send({ operatorId: demoId('op1') }).expect(422);
    expect(r.body.title).toBe('该运营机构在本县没有覆盖此市场的有效合同：请先在与该运营机构的购买服务合同中列入此市场（合同须现行有效），再指定运营机构');
    expect(r.body.errors).toEqual([{ field: 'operatorId', message: r.body.title }]);
    const e = await assign(m.id, platform, en).expect(422);
    expect(e.body.errors).toEqual([{ field: 'operatorId', message: expect.stringMatching(/^The operator has no live contract in this county that covers this market/) }]);
    expect(await tableCounts(t)).toEqual(before);
    expect(await tenantOf(m.id)).toBeNull();
  });

  it('the county records a contract listing an unassigned market, then assigns it; two identical assignments at once change it once', async () => {
    const m = await unassigned();
    const c = await contract([m.id]);
    expect(c.marketIds).toEqual([m.id]);
    // A market another active operator runs cannot be listed.
    const bad = await t.http.post('/api/v1/contracts').set(county.auth).set(en).send({ operatorId: opId, number: `MA-X-${++n}`, ...terms([demoId('m-zhongmu')]) }).expect(422);
    expect(bad.body.errors[0]).toEqual({ field: 'marketIds', message: expect.stringMatching(/no operator yet/) });
    const burst = await Promise.all([0, 1].map(() => assign(m.id)));
    expect(burst.map((r) => r.status)).toEqual([200, 200]);
    expect(burst.map((r) => r.body.operatorId)).toEqual([opId, opId]);
    expect(await tenantOf(m.id)).toBe(opId);
    const events: { summary: { after: Record<string, unknown> } }[] = await t.owner.query(
      `SELECT summary FROM audit_events WHERE subject_id = $1 AND action = 'market.update_registration'`, [m.id]);
    expect(events.map((x) => x.summary.after)).toEqual([{ tenantId: opId }]);
    // Taking the operator away needs no contract.
    await t.http.patch(`/api/v1/markets/${m.id}/registration`).set(county.auth).send({ operatorId: null }).expect(200);
    expect(await tenantOf(m.id)).toBeNull();
  });

  it('a county contracts an operator registered in another county (not visible to it yet) and assigns it a market', async () => {
    const xz = await login(t, 'xinzheng.reviewer');
    await t.http.get(`/api/v1/organisations/${opId}`).set(xz.auth).expect(404);
    const m = (await t.http.post('/api/v1/markets').set(xz.auth).send({
      name: `新郑市零工市场（指定${++n}${Date.now() % 100000}）`, type: 'comprehensive', nature: 'public', mode: 'contracted', regionCode: '410184',
    }).expect(201)).body;
    await t.http.patch(`/api/v1/markets/${m.id}/registration`).set(xz.auth).send({ operatorId: opId }).expect(422);
    const c = (await t.http.post('/api/v1/contracts').set(xz.auth).send({ operatorId: opId, number: `XZ-${Date.now().toString(36)}`, ...terms([m.id]) }).expect(201)).body;
    expect(c.operatorName).toMatch(/^指定测试运营机构/);
    expect((await t.http.get('/api/v1/contracts').set(xz.auth).expect(200)).body.map((x: { id: string }) => x.id)).toContain(c.id);
    const r = await t.http.patch(`/api/v1/markets/${m.id}/registration`).set(xz.auth).send({ operatorId: opId }).expect(200);
    expect(r.body.operatorName).toMatch(/^指定测试运营机构/);
    // Now it runs a market there, the county reads it.
    await t.http.get(`/api/v1/organisations/${opId}`).set(xz.auth).expect(200);
    // A contract with an organisation that is not an operator is refused.
    await t.http.post('/api/v1/contracts').set(xz.auth).send({ operatorId: demoId('henan'), number: `XZ-N-${++n}`, ...terms([m.id]) }).expect(422);
  });

  it("the contract form's operator search finds active operators of any county by name or credit code, the minimum of each; a county's only; bad input 400", async () => {
    const xz = await login(t, 'xinzheng.reviewer');
    const tag = Date.now().toString(36).toUpperCase().replace(/[IOSVZ]/g, 'A');
    const credit = `914101${tag.padEnd(11, '0').slice(0, 11)}X`;
    const name = `外县检索运营机构${tag}`;
    const o = (await t.http.post('/api/v1/organisations').set(platform.auth).send({ kind: 'operator', name, regionCode: '410122', creditCode: credit }).expect(201)).body;
    // Registered in 中牟县: 新郑市 cannot read it through organisations, the search finds it.
    await t.http.get(`/api/v1/organisations/${o.id}`).set(xz.auth).expect(404);
    const byName = (await t.http.get('/api/v1/contracts/operators').query({ q: tag }).set(xz.auth).expect(200)).body;
    expect(byName).toEqual([{ id: o.id, name, creditCode: credit, regionCode: '410122', regionName: expect.stringContaining('中牟县') }]);
    const byCode = (await t.http.get('/api/v1/contracts/operators').query({ q: credit.slice(0, 12).toLowerCase() }).set(xz.auth).expect(200)).body;
    expect(byCode.map((x: { id: string }) => x.id)).toEqual([o.id]);
    // Wildcards are text, not patterns; only operators come back, never an authority.
    expect((await t.http.get('/api/v1/contracts/operators').query({ q: '%%' }).set(xz.auth).expect(200)).body).toEqual([]);
    const wide = (await t.http.get('/api/v1/contracts/operators').query({ q: '中牟' }).set(xz.auth).expect(200)).body as { id: string }[];
    const kinds = await t.owner.query(`SELECT DISTINCT kind, status FROM organisations WHERE id = ANY($1::uuid[])`, [wide.map((x) => x.id)]);
    expect(kinds).toEqual(wide.length ? [{ kind: 'operator', status: 'active' }] : []);
    expect(await t.owner.query(`SELECT 1 FROM organisations WHERE kind = 'county' AND name LIKE '%中牟%'`)).not.toEqual([]);
    // Only active operators: one exiting or exited is not offered.
    await t.owner.query(`UPDATE organisations SET status = 'exiting' WHERE id = $1`, [o.id]);
    expect((await t.http.get('/api/v1/contracts/operators').query({ q: tag }).set(xz.auth).expect(200)).body).toEqual([]);
    await t.owner.query(`UPDATE organisations SET status = 'active' WHERE id = $1`, [o.id]);
    // A county's search: an operator user (even the admin), a province and the platform are refused.
    const opAdmin = await login(t, 'op1.admin');
    await t.http.get('/api/v1/contracts/operators').query({ q: tag }).set(opAdmin.auth).expect(403);
    await t.http.get('/api/v1/contracts/operators').query({ q: tag }).set(platform.auth).expect(403);
    await t.http.get('/api/v1/contracts/operators').query({ q: tag }).expect(401);
    // Bad input: no term, too short, too long, a NUL; in the caller's language.
    for (const q of [undefined, ' a ', 'x'.repeat(51)]) {
      const r = await t.http.get('/api/v1/contracts/operators').query(q === undefined ? {} : { q }).set(xz.auth).set(en).expect(400);
      expect(r.body.errors).toEqual([{ field: 'q', message: expect.any(String) }]);
    }
    const nul = await t.http.get('/api/v1/contracts/operators').query({ q: 'ab\u0000cd' }).set(xz.auth).set(zh).expect(400);
    expect(nul.body.errors).toEqual([{ field: 'q', message: '不能包含控制字符（如空字符），请删除后重新输入' }]);
    // The found operator is contracted from 新郑市 as before (createContract checks it as the system).
    const m = (await t.http.post('/api/v1/markets').set(xz.auth).send({
      name: `新郑市零工市场（检索${++n}${Date.now() % 100000}）`, type: 'comprehensive', nature: 'public', mode: 'contracted', regionCode: '410184',
    }).expect(201)).body;
    const c = (await t.http.post('/api/v1/contracts').set(xz.auth).send({ operatorId: byName[0].id, number: `XZS-${tag}`, ...terms([m.id]) }).expect(201)).body;
    expect(c.operatorName).toBe(name);
    // An exiting operator gets no new contract: a clear 422 in the caller's language, nothing written.
    await t.owner.query(`UPDATE organisations SET status = 'exiting' WHERE id = $1`, [o.id]);
    const before = await tableCounts(t);
    for (const [lang, text] of [[zh, '该运营机构正在退出，不能与其签订新合同'], [en, 'This operator is exiting: no new contract can be made with it']] as const) {
      const r = await t.http.post('/api/v1/contracts').set(xz.auth).set(lang).send({ operatorId: o.id, number: `XZX-${tag}`, ...terms([m.id]) }).expect(422);
      expect(r.body.errors).toEqual([{ field: 'operatorId', message: text }]);
    }
    expect(await tableCounts(t)).toEqual(before);
    await t.owner.query(`UPDATE organisations SET status = 'active' WHERE id = $1`, [o.id]);
  });

  it('an expired contract, one not yet in force, and a superseded version do not cover; the amendment that lists the market again does', async () => {
    const m = await unassigned();
    await contract([m.id], day(-400), day(-1));
    await assign(m.id).expect(422);
    await contract([m.id], day(1), day(300));
    await assign(m.id).expect(422);
    const other = await unassigned();
    const v1 = await contract([m.id, other.id]);
    const amend = (id: string, marketIds: string[]) => t.http.post(`/api/v1/contracts/${id}/amendments`).set(county.auth).send({ number: 'x', ...terms(marketIds), reason: '调整覆盖的市场' }).expect(201);
    const v2 = (await amend(v1.id, [other.id])).body;
    await assign(m.id).expect(422);
    expect(await tenantOf(m.id)).toBeNull();
    await amend(v2.id, [other.id, m.id]);
    await assign(m.id).expect(200);
    expect(await tenantOf(m.id)).toBe(opId);
  });

  it('an amendment may not drop a market its operator runs unless another live contract lists it: zh and en, nothing written', async () => {
    const m = await unassigned();
    const other = await unassigned();
    const v1 = await contract([m.id, other.id]);
    await assign(m.id).expect(200);
    const name = (await t.owner.query('SELECT name FROM markets WHERE id = $1', [m.id]))[0].name as string;
    const amend = (id: string, marketIds: string[], lang = zh) =>
      t.http.post(`/api/v1/contracts/${id}/amendments`).set(county.auth).set(lang).send({ number: 'x', ...terms(marketIds), reason: '调整覆盖的市场' });
    const before = await tableCounts(t);
    const r = await amend(v1.id, [other.id]).expect(422);
    expect(r.body.errors).toEqual([{ field: 'marketIds', message: `该运营机构仍在运营${name}，且没有其他有效合同覆盖：请先移交或收回这些市场，再从合同中去掉` }]);
    expect(r.body.marketIds).toEqual([m.id]);
    const e = await amend(v1.id, [other.id], en).expect(422);
    expect(e.body.errors[0].message).toBe(`The operator still runs ${name} and no other live contract covers it: hand these markets over or take them back before removing them from the contract`);
    expect(await tableCounts(t)).toEqual(before);
    expect((await t.owner.query('SELECT superseded_at FROM contracts WHERE id = $1', [v1.id]))[0].superseded_at).toBeNull();
    // Dropping the market it does not run (still unassigned) is an ordinary amendment.
    const v2 = (await amend(v1.id, [m.id]).expect(201)).body;
    // Another live contract of the operator that lists the market covers it: then the amendment may drop it.
    await contract([m.id]);
    await amend(v2.id, [other.id]).expect(201);
    expect(await tenantOf(m.id)).toBe(opId);
  });

  it('an assignment racing an amendment that drops the market waits for it and is refused (the cover locks the contract row)', async () => {
    const m = await unassigned();
    const v1 = await contract([m.id]);
    // The amendment's transaction, held open: the contract row locked and superseded, the next version without the market.
    const qr = t.owner.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    try {
      await qr.query(`SELECT set_config('app.org_kind', 'platform', true), set_config('app.roles', 'platform_admin', true)`);
      await qr.query('SELECT id FROM contracts WHERE id = $1 FOR NO KEY UPDATE', [v1.id]);
      await qr.query('UPDATE contracts SET superseded_at = now() WHERE id = $1', [v1.id]);
      await qr.query(
        `INSERT INTO contracts (id, region_code, tenant_id, number, version, title, term_from, term_to, market_ids, amount_fen, schedule, unit_rates, grade_factors, document_sm3, reason)
         SELECT gen_random_uuid(), region_code, tenant_id, number, 2, title, term_from, term_to, ARRAY[]::uuid[] || $2::uuid, amount_fen, schedule, unit_rates, grade_factors, document_sm3, '去掉该市场'
         FROM contracts WHERE id = $1`, [v1.id, demoId('m-zhongmu')]);
      const pending = assign(m.id).then((r) => r);
      await new Promise((r) => setTimeout(r, 700));
      // Still waiting on the contract row.
      const [{ waiting }] = await t.owner.query(`SELECT count(*)::int AS waiting FROM pg_locks WHERE NOT granted`);
      expect(waiting).toBeGreaterThan(0);
      await qr.commitTransaction();
      const r = await pending;
      expect(r.status).toBe(422);
      expect(r.body.errors[0].field).toBe('operatorId');
    } finally {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      await qr.release();
    }
    expect(await tenantOf(m.id)).toBeNull();
  });
});
