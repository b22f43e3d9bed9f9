import { bootApp, demoId, freshTenant, login, tableCounts, type Session, type TestApp } from '../support/app';

/**
 * Work-log corrections have a schema per entry kind (issue 12, finding 6): before, any JSON was
 * accepted and shown as the entry's effective values — a settlement displayed as ¥999,999.99 with
 * another tenant's ids.
 */
describe('work-log corrections: correctable fields per kind, size and depth limits, no ids', () => {
  let t: TestApp;
  let s: Session;
  let market: string;
  let settlementSeq = 0;
  let manualSeq = 0;
  let matchSeq = 0;
  const corr = (seq: number, payload: unknown, lang = 'en') =>
    t.http.post(`/api/v1/markets/${market}/ledger/entries/${seq}/corrections`).set(s.auth).set('Accept-Language', lang).send({ reason: '录入错误更正', payload });
  const entries = async () => (await t.http.get(`/api/v1/markets/${market}/ledger/entries`).query({ pageSize: 500 }).set(s.auth).expect(200)).body.items as
    { seq: number; kind: string; payload: Record<string, unknown>; effectivePayload: Record<string, unknown> }[];

  beforeAll(async () => {
    t = await bootApp();
    const f = await freshTenant(t, 'corr');
    s = await login(t, f.adminUser.username, f.password);
    market = f.market.id;
    const e = await t.http.post(`/api/v1/markets/${market}/employers`).set(s.auth)
      .send({ kind: 'individual', name: '个体户更正', contactName: '王师傅', contactPhone: '13912345670' }).expect(201);
    await t.http.post(`/api/v1/employers/${e.body.id}/verification`).set(s.auth).send({ decision: 'verified', evidence: '身份证已核验' }).expect(200);
    const p = await t.http.post(`/api/v1/markets/${market}/posts`).set(s.auth).send({
      employerId: e.body.id, occupation: '装卸搬运工', title: '卸货', headcount: 2, wageFen: 20000, wageUnit: 'day', period: 'same_day',
      startAt: new Date(Date.now() + 3_600_000).toISOString(), place: '物流园',
    }).expect(201);
    await t.http.post(`/api/v1/posts/${p.body.id}/review`).set(s.auth).send({ decision: 'published' }).expect(200);
    const w = await t.http.post(`/api/v1/markets/${market}/workers`).set(s.auth).send({ name: '李四', mobile: '13912348888', consent: true }).expect(201);
    const pl = await t.http.post('/api/v1/placements').set(s.auth).send({ postId: p.body.id, workerId: w.body.id }).expect(201);
    await t.http.post(`/api/v1/placements/${pl.body.id}/confirm`).set(s.auth).send({ party: 'both' }).expect(200);
    await t.http.post(`/api/v1/placements/${pl.body.id}/start`).set(s.auth).send({}).expect(200);
    await t.http.post(`/api/v1/placements/${pl.body.id}/complete`).set(s.auth)
      .send({ amountPaidFen: 20000, paidBy: '王师傅', paidAt: new Date().toISOString(), method: 'cash' }).expect(200);
    const m = await t.http.post(`/api/v1/markets/${market}/ledger/entries`).set(s.auth)
      .send({ kind: 'manual_patrol', occurredAt: new Date().toISOString(), title: '现场巡查', note: '秩序良好' }).expect(201);
    manualSeq = m.body.seq;
    const all = await entries();
    settlementSeq = all.find((x) => x.kind === 'settlement')?.seq ?? 0;
    matchSeq = all.find((x) => x.kind === 'match')?.seq ?? 0;
    expect(settlementSeq && matchSeq).toBeTruthy();
  });
  afterAll(() => t.close());

  it('refuses the probe\'s correction: another tenant\'s ids and an inflated amount; nothing written, nothing shown', async () => {
    const before = await tableCounts(t);
    const foreign = { placementId: demoId('m-yiyang'), workerId: demoId('op2'), amountPaidFen: 99_999_999 };
    const res = await corr(settlementSeq, foreign).expect(422);
    expect(res.body.errors).toEqual([
      { field: 'payload.placementId', message: 'This field cannot be corrected' },
      { field: 'payload.workerId', message: 'This field cannot be corrected' },
    ]);
    // The amount alone, past what a settlement can be (¥100,000): a 400 naming it.
    const big = await corr(settlementSeq, { amountPaidFen: 99_999_999 }).expect(400);
    expect(big.body.errors.map((e: { field: string }) => e.field)).toEqual(['payload.amountPaidFen']);
    const wrongType = await corr(settlementSeq, { amountPaidFen: '20000' }).expect(400);
    expect(wrongType.body.errors.map((e: { field: string }) => e.field)).toEqual(['payload.amountPaidFen']);
    expect(await tableCounts(t)).toEqual(before);
    const settlement = (await entries()).find((x) => x.seq === settlementSeq);
    expect(settlement?.effectivePayload).toEqual(settlement?.payload);
  });

  it('accepts a correctable field with a valid value, and shows it as the effective value', async () => {
    await corr(settlementSeq, { amountPaidFen: 18000, note: '实付 180 元' }).expect(201);
    const settlement = (await entries()).find((x) => x.seq === settlementSeq);
    expect(settlement?.payload['amountPaidFen']).toBe(20000);
    expect(settlement?.effectivePayload).toMatchObject({ amountPaidFen: 18000, note: '实付 180 元' });
  });

  it('refuses a correction of a kind with nothing correctable, in the caller\'s language', async () => {
    const en = await corr(matchSeq, { score: 100 }).expect(422);
    expect(en.body.errors).toEqual([{ field: 'seq', message: 'Entries of this kind cannot be corrected' }]);
    const zh = await corr(matchSeq, { score: 100 }, 'zh-CN').expect(422);
    expect(zh.body.errors).toEqual([{ field: 'seq', message: '该类记录不能更正' }]);
  });

  it('limits a correction\'s size and depth, and refuses an empty one', async () => {
    const before = await tableCounts(t);
    const deep = await corr(manualSeq, { title: { a: { b: { c: 1 } } } }).expect(400);
    expect(deep.body.errors).toEqual([{ field: 'payload', message: 'The correction is too large or too deeply nested' }]);
    const wide = await corr(manualSeq, Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 1]))).expect(400);
    expect(wide.body.errors).toEqual([{ field: 'payload', message: 'The correction is too large or too deeply nested' }]);
    const large = await corr(manualSeq, { note: 'x'.repeat(5000) }).expect(400);
    expect(large.body.errors).toEqual([{ field: 'payload', message: 'The correction is too large or too deeply nested' }]);
    const empty = await corr(manualSeq, {}).expect(400);
    expect(empty.body.errors).toEqual([{ field: 'payload', message: 'Correct at least one field' }]);
    const nested = await corr(manualSeq, { title: { a: 1 } }).expect(400);
    expect(nested.body.errors.map((e: { field: string }) => e.field)).toEqual(['payload.title']);
    expect(await tableCounts(t)).toEqual(before);
  });

  it('shows only valid, correctable fields of a correction written before these rules', async () => {
    // A legacy correction (written directly, as the old API allowed) of the manual entry.
    const [m] = await t.owner.query('SELECT last_seq, last_hash FROM ledger_heads WHERE market_id = $1', [market]);
    const seq = Number(m.last_seq) + 1;
    await t.owner.query(
      `INSERT INTO ledger_entries (market_id, seq, id, tenant_id, region_code, kind, occurred_at, recorded_at, business_day, payload, corrects, reason, prev_hash, hash, alg)
       SELECT $1, $2, gen_random_uuid(), tenant_id, region_code, 'correction', now(), now(), current_date, $3, $4, '旧规则下的更正', 'x', 'y', 'sm3' FROM markets WHERE id = $1`,
      [market, seq, JSON.stringify({ title: '旧的合法更正', participants: 999_999_999, workerId: demoId('op2') }), manualSeq]);
    try {
      const manual = (await entries()).find((x) => x.seq === manualSeq);
      expect(manual?.effectivePayload).toEqual({ ...manual?.payload, title: '旧的合法更正' });
    } finally {
      // The owner (migration role) may delete: the fixture leaves the chain as it found it.
      await t.owner.query('DELETE FROM ledger_entries WHERE market_id = $1 AND seq = $2', [market, seq]);
    }
  });
});
