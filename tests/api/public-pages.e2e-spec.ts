import { bootApp, freshTenant, login, type Session, type TestApp } from '../support/app';

/**
 * The public, sign-in-free pages' API (issue 17 §9): every message a worker can get back is plain
 * Chinese — no internal codes (`wage_arrears`, `category:`), no English — and the market's common
 * trades come first for the check-in page's chips.
 */
let seq = 0;
const nextPhone = () => `137${String(Date.now() % 100000).padStart(5, '0')}${String(++seq).padStart(3, '0')}`;

/** Every sentence of a problem document people read: its title, its detail and each field's message. */
function words(body: { title?: string; detail?: string; errors?: { message: string }[] }): string[] {
  return [body.title ?? '', body.detail ?? '', ...(body.errors ?? []).map((e) => e.message)].filter(Boolean);
}

describe('public pages: plain Chinese and the market\'s common trades (issue 17 §9)', () => {
  let t: TestApp;
  let f: Awaited<ReturnType<typeof freshTenant>>;
  let desk: Session;
  let admin: Session;

  beforeAll(async () => {
    t = await bootApp();
    f = await freshTenant(t, 'pub');
    desk = await login(t, f.deskUser.username, f.password);
    admin = await login(t, f.adminUser.username, f.password);
  });
  afterAll(() => t.close());

  it('answers every bad public request in plain Chinese: no field codes, no English option lists', async () => {
    const m = f.market.id;
    const gateCode = (await t.http.get(`/api/v1/markets/${m}/gate-code`).set(desk.auth).expect(200)).body.code as string;
    const complaint = (body: Record<string, unknown>) => t.http.post(`/api/v1/public/markets/${m}/complaints`).send(body);
    const checkIn = (body: Record<string, unknown>) => t.http.post(`/api/v1/public/markets/${m}/check-ins`).send(body);
    const answers = [
      // The case: a complaint without its category.
      await complaint({ content: '老板拖欠工资两个月不给', anonymous: true }).expect(400),
      await complaint({ category: 'not-a-category', content: '老板拖欠工资两个月不给', anonymous: true }).expect(400),
      await complaint({ category: 'wage_arrears', content: '短', anonymous: false, mobile: '123' }).expect(400),
      await complaint({}).expect(400),
      await checkIn({ name: '', mobile: '12345', gateCode }).expect(400),
      await checkIn({ name: '孙立', mobile: nextPhone(), consent: true, gateCode, occupations: ['不存在的工种'] }).expect(400),
      await checkIn({ name: '孙立', mobile: nextPhone(), consent: true, gateCode: '000000x' }).expect(400),
      await checkIn({ name: '孙立', mobile: nextPhone(), consent: true, gateCode: String((Number(gateCode) + 1) % 1_000_000).padStart(6, '0') }).expect(403),
      await t.http.get('/api/v1/public/markets/00000000-0000-7000-8000-000000000000').expect(404),
      await t.http.get('/api/v1/public/complaints/AAAAAAAAAA').expect(404),
      await t.http.get(`/api/v1/public/markets/${m}/confirmations/not-a-real-token-at-all-xx`).expect(404),
    ];
    for (const res of answers) {
      expect(res.headers['content-type']).toContain('application/problem+json');
      const said = words(res.body);
      expect(said.length).toBeGreaterThan(0);
      for (const s of said) expect({ path: res.req.path, s, latin: /[A-Za-z_]/.test(s) }).toEqual({ path: res.req.path, s, latin: false });
    }
    // The missing category is "required", placed on its field.
    expect(answers[0].body.errors).toEqual([{ field: 'category', message: '此项必选' }]);
    expect(answers[1].body.errors).toEqual([{ field: 'category', message: '不是可选的值，请从给出的选项中选择' }]);
  });

  it('lists the market\'s common trades first: its check-ins and posts of the last 90 days, most frequent first, then its configured trades', async () => {
    const m = f.market.id;
    const before = (await t.http.get(`/api/v1/public/markets/${m}`).expect(200)).body;
    expect(before.commonOccupations).toEqual(before.occupations);
    // Configured usual trades (the operator's market settings) come after what the data shows.
    await t.http.patch(`/api/v1/markets/${m}/operations`).set(admin.auth).send({ occupations: ['厨师'] }).expect(200);
    // Three check-ins for 保洁员, two for 电工 (one also 保洁员), one 育婴员: 保洁员 4, 电工 2, 育婴员 1.
    const checkIn = async (occupations: string[]) => {
      const w = (await t.http.post(`/api/v1/markets/${m}/workers`).set(desk.auth).send({ name: '常见工种', mobile: nextPhone(), consent: true, occupations }).expect(201)).body;
      await t.http.post(`/api/v1/markets/${m}/check-ins`).set(desk.auth).send({ workerId: w.id }).expect(200);
    };
    await checkIn(['保洁员']);
    await checkIn(['保洁员']);
    await checkIn(['保洁员', '电工']);
    await checkIn(['电工']);
    await checkIn(['育婴员']);
    const e = (await t.http.post(`/api/v1/markets/${m}/employers`).set(desk.auth)
      .send({ kind: 'individual', name: '常见工种测试户', contactName: '刘师傅', contactPhone: nextPhone() }).expect(201)).body;
    await t.http.post(`/api/v1/employers/${e.id}/verification`).set(admin.auth).send({ decision: 'verified', evidence: '身份证原件已核验' }).expect(200);
    await t.http.post(`/api/v1/markets/${m}/posts`).set(desk.auth).send({
      employerId: e.id, occupation: '保洁员', title: '开荒保洁', headcount: 2, wageFen: 2500, wageUnit: 'hour', period: 'same_day',
      startAt: new Date(Date.now() + 3_600_000).toISOString(), place: '中牟县建设路 6 号', requirements: '',
    }).expect(201);
    const after = (await t.http.get(`/api/v1/public/markets/${m}`).expect(200)).body;
    expect(after.commonOccupations).toEqual(['保洁员', '电工', '育婴员', '厨师']);
    // Independent count over the same rows.
    const [{ n }] = await t.owner.query(
      `SELECT count(*)::int AS n FROM (SELECT unnest(occupations) o FROM check_ins WHERE market_id = $1 UNION ALL SELECT occupation FROM posts WHERE market_id = $1) x WHERE o = '保洁员'`, [m]);
    expect(n).toBe(4);
  });
});
