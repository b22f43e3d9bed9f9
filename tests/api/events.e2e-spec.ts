import { bootApp, registerAssigned, demoId, freshTenant, login, tableCounts, type Session, type TestApp } from '../support/app';

const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
let phone = 13500000000 + (Date.now() % 1_000_000) * 10;
const nextPhone = () => String(++phone);

/** Events (issue 5 §5, R-B13): plan → link posts → hires counted; attendance; held or cancelled. */
describe('events', () => {
  let t: TestApp;
  let f: Awaited<ReturnType<typeof freshTenant>>;
  let admin: Session;
  let desk: Session;
  const api = (p: string) => `/api/v1${p}`;
  const plan = async (extra: Record<string, unknown> = {}, who: Session = admin) =>
    (await t.http.post(api(`/markets/${f.market.id}/events`)).set(who.auth).send({
      kind: 'fair', title: '春风行动零工专场招聘会', startsAt: at(-60), endsAt: at(180), place: '中牟县零工市场广场', organiser: '中牟县人社局', ...extra,
    }).expect(201)).body;

  beforeAll(async () => {
    t = await bootApp();
    f = await freshTenant(t, 'ev');
    admin = await login(t, f.adminUser.username, f.password);
    desk = await login(t, f.deskUser.username, f.password);
  });
  afterAll(() => t.close());

  it('plans an event, links the posts that came with it and counts the hires made from them', async () => {
    const ev = await plan();
    expect(ev).toMatchObject({ kind: 'fair', status: 'planned', posts: 0, hires: 0, workers: null, postList: [] });
    const emp = (await t.http.post(api(`/markets/${f.market.id}/employers`)).set(desk.auth)
      .send({ kind: 'company', name: '中牟县绿源农业合作社', creditCode: '91350100M000100Y43', contactName: '周社长', contactPhone: '13900003333' }).expect(201)).body;
    await t.http.post(api(`/employers/${emp.id}/verification`)).set(admin.auth).send({ decision: 'verified', evidence: '营业执照原件已核验' }).expect(200);
    const post = async (title: string) => {
      const p = (await t.http.post(api(`/markets/${f.market.id}/posts`)).set(desk.auth).send({
        employerId: emp.id, occupation: '农业采摘工', title, headcount: 3, wageFen: 15000, wageUnit: 'day', period: 'same_day', startAt: at(120), place: '中牟县大蒜基地',
      }).expect(201)).body;
      await t.http.post(api(`/posts/${p.id}/review`)).set(admin.auth).send({ decision: 'published' }).expect(200);
      return p;
    };
    const p1 = await post('招聘会大蒜采收工');
    const p2 = await post('招聘会西瓜采摘工');
    const hire = async (postId: string, confirm: boolean) => {
      const w = (await t.http.post(api(`/markets/${f.market.id}/workers`)).set(desk.auth).send({ name: '欧阳采摘', mobile: nextPhone(), consent: true }).expect(201)).body;
      const pl = (await t.http.post(api('/placements')).set(desk.auth).send({ postId, workerId: w.id }).expect(201)).body;
      if (confirm) await t.http.post(api(`/placements/${pl.id}/confirm`)).set(desk.auth).send({ party: 'both' }).expect(200);
    };
    await hire(p1.id, true);
    await hire(p1.id, true);
    await hire(p1.id, false);
    await hire(p2.id, false);

    // A post of another operator cannot be linked, and nothing is stored.
    const [foreign] = await t.owner.query('SELECT id FROM posts WHERE tenant_id = $1 LIMIT 1', [demoId('op1')]);
    const before = await tableCounts(t);
    const refused = await t.http.post(api(`/events/${ev.id}/posts`)).set(admin.auth).send({ postIds: [p1.id, foreign.id] }).expect(422);
    expect(refused.body.errors).toEqual([{ field: 'postIds', message: '所选岗位不存在或不属于本运营机构' }]);
    await t.http.post(api(`/events/${ev.id}/posts`)).set(admin.auth).send({ postIds: ['not-a-uuid'] }).expect(400);
    expect(await tableCounts(t)).toEqual(before);

    const linked = (await t.http.post(api(`/events/${ev.id}/posts`)).set(admin.auth).send({ postIds: [p1.id, p2.id, p1.id] }).expect(200)).body;
    expect(linked).toMatchObject({ posts: 2, hires: 2 });
    expect(linked.postList.map((p: { title: string; hires: number }) => [p.title, p.hires])).toEqual([['招聘会大蒜采收工', 2], ['招聘会西瓜采摘工', 0]]);
    // Linking again changes nothing and appends no entry.
    await t.http.post(api(`/events/${ev.id}/posts`)).set(admin.auth).send({ postIds: [p2.id] }).expect(200);
    await hire(p2.id, true);
    const later = (await t.http.get(api(`/events/${ev.id}`)).set(desk.auth).expect(200)).body;
    expect(later).toMatchObject({ posts: 2, hires: 3 });

    const att = (await t.http.post(api(`/events/${ev.id}/attendance`)).set(admin.auth).send({ workers: 320, employers: 28 }).expect(200)).body;
    expect(att).toMatchObject({ workers: 320, employers: 28, viewers: 0 });
    const held = (await t.http.post(api(`/events/${ev.id}/status`)).set(admin.auth).send({ status: 'held' }).expect(200)).body;
    expect(held.status).toBe('held');
    await t.http.post(api(`/events/${ev.id}/status`)).set(admin.auth).send({ status: 'cancelled', reason: '改期' }).expect(409);

    const entries = (await t.owner.query(`SELECT payload FROM ledger_entries WHERE market_id = $1 AND kind = 'event' AND subject_id = $2 ORDER BY seq`, [f.market.id, ev.id])) as { payload: Record<string, unknown> }[];
    expect(entries.map((e) => e.payload['step'])).toEqual(['planned', 'posts_linked', 'attendance', 'held']);
    expect(entries[1].payload['postIds']).toEqual([p1.id, p2.id].sort());
    const list = (await t.http.get(api('/events')).query({ marketId: f.market.id, status: 'held' }).set(desk.auth).expect(200)).body;
    expect(list.items.map((e: { id: string; hires: number }) => [e.id, e.hires])).toEqual([[ev.id, 3]]);
  });

  it('links only posts of the event\'s market and time, each to one event, and counts only hires made from the event\'s start', async () => {
    const [{ id: employerId }] = await t.owner.query(`SELECT id FROM employers WHERE tenant_id = $1 AND status = 'verified' LIMIT 1`, [f.org.id]);
    const post = async (title: string, marketId = f.market.id) => {
      const p = (await t.http.post(api(`/markets/${marketId}/posts`)).set(admin.auth).send({
        employerId, occupation: '农业采摘工', title, headcount: 2, wageFen: 15000, wageUnit: 'day', period: 'same_day', startAt: at(120), place: '中牟县大蒜基地',
      }).expect(201)).body;
      await t.http.post(api(`/posts/${p.id}/review`)).set(admin.auth).send({ decision: 'published' }).expect(200);
      return p;
    };
    const root = await login(t, 'admin');
    const market2 = ({ body: await registerAssigned(t, root, {
      name: `中牟县零工市场（第二测试${Date.now() % 100000}）`, type: 'comprehensive', nature: 'public', mode: 'contracted', regionCode: '410122', operatorId: f.org.id, status: 'open',
    }) }).body;
    const elsewhere = await post('别的市场的岗位', market2.id);
    // An event three days ahead: a post taken today is outside its window (± 1 day).
    const ahead = await plan({ title: '三天后的招聘会', startsAt: at(3 * 24 * 60), endsAt: at(3 * 24 * 60 + 180) });
    const today = await post('今天的岗位');
    const ev = await plan({ title: '关联规则测试招聘会', startsAt: at(-30), endsAt: at(120) });
    const before = await tableCounts(t);
    const otherMarket = await t.http.post(api(`/events/${ev.id}/posts`)).set(admin.auth).send({ postIds: [today.id, elsewhere.id] }).expect(422);
    expect(otherMarket.body.errors).toEqual([{ field: 'postIds', message: '只能关联本活动所在市场、活动期间（前后各一天内）发布的岗位' }]);
    const tooEarly = await t.http.post(api(`/events/${ahead.id}/posts`)).set(admin.auth).set('Accept-Language', 'en').send({ postIds: [today.id] }).expect(422);
    expect(tooEarly.body.errors[0].message).toMatch(/created during the event/);
    expect(await tableCounts(t)).toEqual(before);

    // A placement made before the event started is not one of its hires; one made since is.
    const hire = async (postId: string) => {
      const w = (await t.http.post(api(`/markets/${f.market.id}/workers`)).set(desk.auth).send({ name: '上官采摘', mobile: nextPhone(), consent: true }).expect(201)).body;
      const pl = (await t.http.post(api('/placements')).set(desk.auth).send({ postId, workerId: w.id }).expect(201)).body;
      await t.http.post(api(`/placements/${pl.id}/confirm`)).set(desk.auth).send({ party: 'both' }).expect(200);
      return pl;
    };
    const early = await hire(today.id);
    await t.owner.query(`UPDATE placements SET created_at = $2::timestamptz - interval '1 minute' WHERE id = $1`, [early.id, ev.startsAt]);
    await hire(today.id);
    const linked = (await t.http.post(api(`/events/${ev.id}/posts`)).set(admin.auth).send({ postIds: [today.id] }).expect(200)).body;
    expect(linked).toMatchObject({ posts: 1, hires: 1 });
    expect(linked.postList.map((p: { hires: number }) => p.hires)).toEqual([1]);

    // A post belongs to one event only.
    const ev2 = await plan({ title: '同日夜市', kind: 'night_market', startsAt: at(-20), endsAt: at(100) });
    const before2 = await tableCounts(t);
    const twice = await t.http.post(api(`/events/${ev2.id}/posts`)).set(admin.auth).send({ postIds: [today.id] }).expect(409);
    expect(twice.body.title).toBe('所选岗位已关联到另一场活动，一个岗位只能属于一场活动');
    expect(await tableCounts(t)).toEqual(before2);
    await expect(t.owner.query('INSERT INTO market_event_posts (event_id, post_id, tenant_id, market_id, region_code) SELECT $1, $2, tenant_id, market_id, region_code FROM market_events WHERE id = $1', [ev2.id, today.id]))
      .rejects.toThrow(/market_event_posts_one_event/);
  });

  it('plans live streams with a stream URL, refuses bad input with clear messages, and cannot hold an event before it starts', async () => {
    const before = await tableCounts(t);
    const noUrl = await t.http.post(api(`/markets/${f.market.id}/events`)).set(admin.auth)
      .send({ kind: 'livestream', title: '直播带岗', startsAt: at(60), endsAt: at(120) }).expect(400);
    expect(noUrl.body.errors).toEqual([{ field: 'streamUrl', message: '直播招聘须填写以 http(s):// 开头的直播地址' }]);
    const backwards = await t.http.post(api(`/markets/${f.market.id}/events`)).set(admin.auth).set('Accept-Language', 'en')
      .send({ kind: 'night_market', title: '零工夜市', startsAt: at(120), endsAt: at(60), place: '商业街' }).expect(400);
    expect(backwards.body.errors).toEqual([{ field: 'endsAt', message: 'The event must end after it starts' }]);
    await t.http.post(api(`/markets/${f.market.id}/events`)).set(admin.auth).send({ kind: 'caravan', title: '招聘大篷车', startsAt: at(60), endsAt: at(120) }).expect(400);
    expect(await tableCounts(t)).toEqual(before);

    const live = await plan({ kind: 'livestream', title: '直播带岗·春季专场', startsAt: at(24 * 60), endsAt: at(25 * 60), place: '', streamUrl: 'https://live.example.cn/room/88' });
    expect(live).toMatchObject({ streamUrl: 'https://live.example.cn/room/88', status: 'planned' });
    const early = await t.http.post(api(`/events/${live.id}/status`)).set(admin.auth).send({ status: 'held' }).expect(409);
    expect(early.body.title).toBe('活动开始后才能登记举办情况和到场人数');
    await t.http.post(api(`/events/${live.id}/attendance`)).set(admin.auth).send({ workers: 1, employers: 1 }).expect(409);
    const noReason = await t.http.post(api(`/events/${live.id}/status`)).set(admin.auth).send({ status: 'cancelled' }).expect(400);
    expect(noReason.body.errors).toEqual([{ field: 'reason', message: '取消活动须写明原因' }]);
    const cancelled = (await t.http.post(api(`/events/${live.id}/status`)).set(admin.auth).send({ status: 'cancelled', reason: '直播平台维护，改期举办' }).expect(200)).body;
    expect(cancelled).toMatchObject({ status: 'cancelled', statusReason: '直播平台维护，改期举办' });
  });

  it('lets the desk see events but not plan them; refuses other tenants (404), authorities (403) and anonymous (401), changing nothing', async () => {
    const ev = await plan({ title: '隔离测试招聘会' });
    await t.http.post(api(`/markets/${f.market.id}/events`)).set(desk.auth)
      .send({ kind: 'fair', title: '窗口不能办的招聘会', startsAt: at(60), endsAt: at(120), place: '广场' }).expect(403);
    await t.http.get(api(`/events/${ev.id}`)).set(desk.auth).expect(200);
    const writes: [string, Record<string, unknown>][] = [
      [`/markets/${f.market.id}/events`, { kind: 'fair', title: '越权招聘会', startsAt: at(60), endsAt: at(120), place: '广场' }],
      [`/events/${ev.id}/status`, { status: 'held' }],
      [`/events/${ev.id}/attendance`, { workers: 5, employers: 1 }],
      [`/events/${ev.id}/posts`, { postIds: ['00000000-0000-7000-8000-00000000b0b0'] }],
    ];
    const other = await login(t, 'op2.admin');
    const county = await login(t, 'county.reviewer');
    const before = await tableCounts(t);
    for (const [url, body] of writes) {
      const label = `POST ${url}`;
      expect([label, (await t.http.post(api(url)).send(body)).status]).toEqual([label, 401]);
      expect([label, (await t.http.post(api(url)).set(other.auth).send(body)).status]).toEqual([label, 404]);
      expect([label, (await t.http.post(api(url)).set(county.auth).send(body)).status]).toEqual([label, 403]);
      expect([label, (await t.http.post(api(url)).set(desk.auth).send(body)).status]).toEqual([label, 403]);
    }
    expect(await tableCounts(t)).toEqual(before);
    await t.http.get(api(`/events/${ev.id}`)).set(other.auth).expect(404);
    expect((await t.http.get(api(`/events/${ev.id}`)).set(county.auth).expect(200)).body.title).toBe('隔离测试招聘会');
  });
});
