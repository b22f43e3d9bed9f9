import { Client } from 'pg';
import { TenantDb, loadConfig, type AppConfig } from '@linggong/api-core';
import { reset } from '../../tools/db/db';
import { rollupDemo } from '../../tools/db/demo-rollup';
import { seedAssessmentDemo } from '../../tools/db/demo-assessment';
import { shanghaiDay } from '@linggong/ledger-chain';
import type { Actor, PublicDirectory, PublicModelMarkets } from '@linggong/domain';
import { bootApp, demoId, login, type Session, type TestApp } from '../support/app';

const addDay = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const EXCLUSION_ORDER = ['operation_too_short', 'grade_below', 'result_under_appeal', 'chain_broken', 'callback_failed', 'discrimination_upheld', 'already_titled'];
interface Evaluated { marketId: string; name: string; regionCode: string; eligible: boolean; exclusions: { key: string }[]; reasons: { key: string }[] }

/**
 * The model-market rules (issue 15 §5) recomputed here by independent SQL over the owning contexts' tables, for every
 * market of a cycle in a region, on a day: each market's exclusion keys (empty: a candidate).
 */
async function sqlExclusions(t: TestApp, cycleId: string, region: string, level: 'province' | 'city', day: string, titledAsOf: 'now' | 'none'): Promise<Map<string, string[]>> {
  const rows: { id: string; first_day: string | null; grade: string; under_appeal: boolean; chain: number; calls: number; disc: number; titled: boolean }[] = await t.owner.query(
    `WITH cy AS (SELECT period_from AS f, period_to AS t FROM assessment_cycles WHERE id = $1),
     res AS (SELECT DISTINCT ON (mid) mid, a.grade, a.state = 'appealed' AS under_appeal
             FROM assessments a JOIN contracts c ON c.id = a.contract_id, unnest(c.market_ids) AS mid
             WHERE a.cycle_id = $1 AND a.state IN ('published', 'appealed', 'final') ORDER BY mid, a.total),
     mk AS (SELECT m.id, m.tenant_id, m.region_code, res.grade, res.under_appeal FROM markets m JOIN res ON res.mid = m.id WHERE m.region_code LIKE $2 || '%')
     SELECT mk.id, mk.grade, mk.under_appeal,
       (SELECT min(e.business_day) FROM ledger_entries e WHERE e.market_id = mk.id) AS first_day,
       (SELECT count(*) FROM ledger_alerts x, cy WHERE x.market_id = mk.id AND x.business_day BETWEEN cy.f AND cy.t)::int
         + (SELECT count(*) FROM ledger_verifications v, cy WHERE v.market_id = mk.id AND v.ok = false AND v.from_day <= cy.t AND v.to_day >= cy.f)::int AS chain,
       (SELECT count(*) FROM callback_calls k, cy WHERE k.market_id = mk.id AND k.outcome IN ('denied', 'differs') AND k.business_day BETWEEN cy.f AND cy.t)::int
         + (SELECT count(*) FROM callback_samples s, cy WHERE s.tenant_id = mk.tenant_id AND s.region_code = mk.region_code AND s.status = 'completed'
              AND s.rate < s.threshold AND s.period_from <= cy.t AND s.period_to >= cy.f)::int AS calls,
       (SELECT count(*) FROM complaints p, cy WHERE p.market_id = mk.id AND p.category = 'discrimination' AND p.status = 'closed'
              AND p.result IN ('substantiated', 'partly_substantiated') AND p.received_day BETWEEN cy.f AND cy.t)::int AS disc,
       EXISTS (SELECT 1 FROM model_markets z WHERE z.market_id = mk.id AND z.level = $3 AND z.state IN ('notice', 'designated')) AS titled
     FROM mk`, [cycleId, region, level]);
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const days = r.first_day ? (Date.parse(day) - Date.parse(r.first_day)) / 86_400_000 + 1 : 0;
    const keys: string[] = [];
    if (days < 90) keys.push('operation_too_short');
    if (r.grade !== 'excellent') keys.push('grade_below');
    if (r.under_appeal) keys.push('result_under_appeal');
    if (r.chain > 0) keys.push('chain_broken');
    if (r.calls > 0) keys.push('callback_failed');
    if (r.disc > 0) keys.push('discrimination_upheld');
    if (titledAsOf === 'now' && r.titled) keys.push('already_titled');
    out.set(r.id, keys.sort((a, b) => EXCLUSION_ORDER.indexOf(a) - EXCLUSION_ORDER.indexOf(b)));
  }
  return out;
}
const keysOf = (markets: Evaluated[]) => new Map(markets.map((m) => [m.marketId, m.exclusions.map((e) => e.key)]));

/**
 * The assessment demo (issue 15 §7), built with the full 90-day demo in its own database (`<test db>_assessdemo`,
 * dropped afterwards): a completed cycle over the three months before this one in which the analytics demo's
 * visibly worse station (op3, 新郑市龙湖镇零工驿站) grades 差 and the others pass, with one appeal decided.
 */
describe('assessment demo: a completed cycle; model markets', () => {
  let t: TestApp;
  let config: AppConfig;
  const s: Record<string, Session> = {};

  beforeAll(async () => {
    const base = loadConfig();
    const db = `${new URL(base.DATABASE_URL).pathname.slice(1)}_assessdemo`;
    const swap = (url: string) => url.replace(/\/[^/?]*(\?|$)/, `/${db}$1`);
    const urls = { DATABASE_URL: swap(base.DATABASE_URL), DATABASE_OWNER_URL: swap(base.DATABASE_OWNER_URL) };
    config = loadConfig({ ...process.env, ...urls });
    const log = console.log;
    console.log = () => undefined;
    let summary = '';
    try {
      await reset(config, { activity: 'full' });
      await rollupDemo(config);
      summary = await seedAssessmentDemo(config);
    } finally {
      console.log = log;
    }
    console.log(summary);
    t = await bootApp(urls);
    for (const u of ['admin', 'province.auditor', 'city.analyst', 'luoyang.analyst', 'county.reviewer', 'op1.admin']) s[u] = await login(t, u);
  }, 600_000);

  afterAll(async () => {
    await t?.close();
    const admin = new Client({ connectionString: config.DATABASE_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${new URL(config.DATABASE_URL).pathname.slice(1)}" WITH (FORCE)`);
    await admin.end();
  });

  it('op3 grades 差 with "exit may be proposed", every other contract passes; op3 appealed and the city rejected it', async () => {
    const city = await login(t, 'province.auditor');
    const results = (await t.http.get('/api/v1/assessments/results').set(city.auth).expect(200)).body as { tenantId: string; grade: string; consequence: string; total: number; appealed: boolean; final: boolean }[];
    expect(results.length).toBe(4);
    const op3 = results.filter((r) => r.tenantId === demoId('op3'));
    expect(op3.map((r) => [r.grade, r.consequence, r.appealed, r.final])).toEqual([['poor', 'exit_proposable', true, true]]);
    for (const r of results.filter((x) => x.tenantId !== demoId('op3'))) expect([r.tenantId, r.total >= 60]).toEqual([r.tenantId, true]);
    const op3Admin = await login(t, 'op3.admin');
    const own = (await t.http.get('/api/v1/assessments').set(op3Admin.auth).expect(200)).body;
    expect(own).toHaveLength(1);
    expect(own[0].appeal).toMatchObject({ decision: 'rejected' });
    // Running the demo again changes nothing.
    expect(await seedAssessmentDemo(config)).toMatch(/left alone/);
  });

  // ------------------------------------------------------------------ model markets (issue 15 §5)

  it('the demo list stands under 公示: every market of the cycle evaluated, the exclusions equal independent SQL; shown publicly without sign-in', async () => {
    const lists = (await t.http.get('/api/v1/model-market-lists').set(s['province.auditor'].auth).expect(200)).body;
    expect(lists).toHaveLength(1);
    const list = (await t.http.get(`/api/v1/model-market-lists/${lists[0].id}`).set(s['province.auditor'].auth).expect(200)).body;
    expect(list).toMatchObject({ level: 'province', regionCode: '41', state: 'notice', noticeDays: 7, noticeUntil: addDay(list.noticeFrom, 6) });
    const evaluated = list.evaluation.markets as Evaluated[];
    // The demo's six markets, each evaluated; the rules recomputed by SQL on the proposal day (no title existed then).
    expect(evaluated).toHaveLength(6);
    const sql = await sqlExclusions(t, list.cycleId, '41', 'province', list.noticeFrom, 'none');
    expect(keysOf(evaluated)).toEqual(sql);
    // op3's station graded 差: excluded for its grade; the list holds exactly the candidates, each with its reasons.
    expect(keysOf(evaluated).get(demoId('m-longhu'))).toContain('grade_below');
    const candidates = evaluated.filter((m) => m.eligible).map((m) => m.marketId).sort();
    expect(candidates.length).toBeGreaterThan(0);
    expect(list.markets.map((m: { marketId: string }) => m.marketId).sort()).toEqual(candidates);
    for (const m of list.markets) expect(m.reasons.map((r: { key: string }) => r.key)).toEqual(['operation', 'grade', 'chain_clean', 'callbacks_clean', 'no_discrimination']);
    // Public, no sign-in: the 公示 with its dates; a published listing of a market under 公示 says so.
    const pub = (await t.http.get('/api/v1/public/directory/model-markets').expect(200)).body as PublicModelMarkets;
    expect(pub.titles.filter((x) => x.level === 'province').map((x) => [x.marketId, x.state, x.noticeUntil, x.grantRegionName]).sort())
      .toEqual(candidates.map((id) => [id, 'notice', list.noticeUntil, '河南省']).sort());
    // Each market's published listing (if the directory has published one) carries its title, and only it.
    const dir = (await t.http.get('/api/v1/public/directory').expect(200)).body as PublicDirectory;
    const published: { source_id: string }[] = await t.owner.query(`SELECT source_id FROM public_directory_listings() WHERE source = 'market'`);
    expect(dir.listings.filter((l) => l.marketId).map((l) => l.marketId).sort()).toEqual(published.map((p) => p.source_id).sort());
    for (const l of dir.listings.filter((x) => x.marketId)) {
      const expected = candidates.includes(l.marketId as string) ? [expect.objectContaining({ level: 'province', state: 'notice', noticeUntil: list.noticeUntil })] : [];
      expect([l.marketId, l.modelTitles]).toEqual([l.marketId, expected]);
    }
  });

  let provinceList = '';
  it('objections during 公示; designation after it, by someone other than the proposer, each objection decided; revocation with reasons', async () => {
    const [list] = (await t.http.get('/api/v1/model-market-lists').set(s['province.auditor'].auth).expect(200)).body;
    provinceList = list.id;
    const detail = (await t.http.get(`/api/v1/model-market-lists/${list.id}`).set(s['province.auditor'].auth).expect(200)).body;
    const [x, ...rest] = detail.markets.map((m: { marketId: string }) => m.marketId) as string[];
    const objection = { marketId: x, channel: 'letter', content: '来信反映：该市场公示栏长期未更新岗位信息。' };
    // Only the granting authority records objections; bad input is a 400 and nothing is written.
    await t.http.post(`/api/v1/model-market-lists/${list.id}/objections`).set(s['county.reviewer'].auth).send(objection).expect(403);
    await t.http.post(`/api/v1/model-market-lists/${list.id}/objections`).set(s['city.analyst'].auth).send(objection).expect(403);
    await t.http.post(`/api/v1/model-market-lists/${list.id}/objections`).set(s['op1.admin'].auth).send(objection).expect(403);
    const bad = await t.http.post(`/api/v1/model-market-lists/${list.id}/objections`).set(s['province.auditor'].auth).set('Accept-Language', 'en').send({ ...objection, channel: 'pigeon', content: '短' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['channel', 'content']);
    const stranger = await t.http.post(`/api/v1/model-market-lists/${list.id}/objections`).set(s['province.auditor'].auth).set('Accept-Language', 'zh-CN')
      .send({ ...objection, marketId: demoId('m-longhu') }).expect(422);
    expect(stranger.body.errors).toEqual([{ field: 'marketId', message: '该市场不在本名单中' }]);
    expect((await t.owner.query('SELECT count(*)::int AS n FROM model_market_objections'))[0].n).toBe(0);
    await t.http.post(`/api/v1/model-market-lists/${list.id}/objections`).set(s['province.auditor'].auth).send(objection).expect(201);
    // Not during 公示.
    const early = await t.http.post(`/api/v1/model-market-lists/${list.id}/designation`).set(s['province.auditor'].auth).set('Accept-Language', 'en').send({}).expect(422);
    expect(early.body.title).toBe('The public notice period has not ended yet');
    // The notice days pass (the test moves the list's dates back: the 公示 ended yesterday).
    const today = shanghaiDay(new Date());
    await t.owner.query('UPDATE model_market_lists SET notice_from = $2, notice_until = $3 WHERE id = $1', [list.id, addDay(today, -7), addDay(today, -1)]);
    await t.http.post(`/api/v1/model-market-lists/${list.id}/objections`).set(s['province.auditor'].auth).send(objection).expect(409);
    // Separation of duties: the proposer does not designate.
    const sep = await t.http.post(`/api/v1/model-market-lists/${list.id}/designation`).set(s['province.auditor'].auth).set('Accept-Language', 'zh-CN').send({}).expect(403);
    expect(sep.body.title).toContain('职责分离');
    const second = (await t.http.post('/api/v1/users').set(s['admin'].auth).send({
      username: `prov2.${Date.now() % 100000}`, displayName: '省厅审计员 王立', password: 'Test-Passw0rd!', orgId: demoId('henan'), roles: ['province_auditor'], marketIds: [], phone: '13800000099',
    }).expect(201)).body;
    const prov2 = await login(t, second.username, 'Test-Passw0rd!');
    await t.http.post(`/api/v1/model-market-lists/${list.id}/designation`).set(s['city.analyst'].auth).send({}).expect(403);
    const undecided = await t.http.post(`/api/v1/model-market-lists/${list.id}/designation`).set(prov2.auth).set('Accept-Language', 'zh-CN').send({}).expect(422);
    expect(undecided.body.errors).toEqual([{ field: 'decisions', message: '有异议的市场须逐一作出保留或撤出的决定并写明理由' }]);
    // Two identical designations at once: one does the work.
    const body = { decisions: [{ marketId: x, keep: false, reason: '经核实，公示栏确未按月更新，本期不予认定' }] };
    const both = await Promise.all([1, 2].map(() => t.http.post(`/api/v1/model-market-lists/${list.id}/designation`).set(prov2.auth).send(body)));
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const done = both.find((r) => r.status === 200)!.body;
    expect(done.state).toBe('designated');
    expect(done.markets.map((m: { marketId: string; state: string }) => [m.marketId, m.state]).sort())
      .toEqual([[x, 'dropped'], ...rest.map((id) => [id, 'designated'])].sort());
    const pub = (await t.http.get('/api/v1/public/directory/model-markets').expect(200)).body as PublicModelMarkets;
    expect(pub.titles.filter((y) => y.level === 'province').map((y) => [y.marketId, y.state]).sort()).toEqual(rest.map((id) => [id, 'designated']).sort());

    // Revocation: the granting authority, with reasons; once.
    const titles = (await t.http.get('/api/v1/model-markets?state=designated&level=province').set(s['province.auditor'].auth).expect(200)).body;
    expect(titles.map((m: { marketId: string }) => m.marketId).sort()).toEqual([...rest].sort());
    const victim = titles[0];
    await t.http.post(`/api/v1/model-markets/${victim.id}/revocation`).set(s['city.analyst'].auth).send({ reason: '城市无权撤销省级称号' }).expect(403);
    await t.http.post(`/api/v1/model-markets/${victim.id}/revocation`).set(s['province.auditor'].auth).send({ reason: '' }).expect(400);
    const rv = await Promise.all([1, 2].map(() => t.http.post(`/api/v1/model-markets/${victim.id}/revocation`).set(s['province.auditor'].auth).send({ reason: '抽查回访发现虚报招聘成功人数，撤销称号' })));
    expect(rv.map((r) => r.status).sort()).toEqual([200, 409]);
    const after = (await t.http.get('/api/v1/public/directory/model-markets').expect(200)).body as PublicModelMarkets;
    expect(after.titles.map((y) => y.marketId)).not.toContain(victim.marketId);
    const actions = (await t.owner.query(`SELECT action, count(*)::int AS n FROM audit_events WHERE action LIKE 'model_market.%' GROUP BY action ORDER BY action`));
    expect(actions).toEqual([
      { action: 'model_market.designate', n: 1 }, { action: 'model_market.object', n: 1 }, { action: 'model_market.propose', n: 1 }, { action: 'model_market.revoke', n: 1 },
    ]);
  });

  it('a city grants its own title from the same cycle: only its markets; each exclusion (broken chain, failed call-back, upheld discrimination) equals independent SQL', async () => {
    const [{ cycle_id: cycleId, period_from: from }] = await t.owner.query('SELECT cycle_id, c.period_from FROM model_market_lists l JOIN assessment_cycles c ON c.id = l.cycle_id WHERE l.id = $1', [provinceList]);
    const day = addDay(from, 10);
    // Falsified data in the period: a failed verification at 中牟, a call-back whose worker told it differently at 新郑市零工市场,
    // an upheld discrimination complaint at 宜阳 (官渡 stays clean: the city's candidate).
    await t.owner.query(`INSERT INTO ledger_verifications (id, market_id, tenant_id, region_code, from_day, to_day, ok, entries, seals, problems)
      VALUES (gen_random_uuid(), $1, $2, '410122', $3, $3, false, 12, 1, 1)`, [demoId('m-zhongmu'), demoId('op1'), day]);
    const [sample] = await t.owner.query(`INSERT INTO callback_samples (id, tenant_id, region_code, period_from, period_to, size, threshold, status, alg, seed_hash, seed, rule, created_by)
      VALUES (gen_random_uuid(), $1, '410184', $2, $2, 1, 80, 'drawn', 'sha256', repeat('a', 64), 'seed', 'test', $3) RETURNING id`, [demoId('op1'), day, demoId('user:xinzheng.reviewer')]);
    const [w] = await t.owner.query(`SELECT id FROM workers WHERE tenant_id = $1 LIMIT 1`, [demoId('op1')]);
    await t.owner.query(`INSERT INTO callback_calls (id, sample_id, tenant_id, region_code, market_id, rank, business_day, seq, kind, entry_hash, hmac, worker_id, outcome, called_at)
      VALUES (gen_random_uuid(), $1, $2, '410184', $3, 1, $4, 1, 'hire_started', repeat('b', 64), repeat('c', 64), $5, 'differs', now())`, [sample.id, demoId('op1'), demoId('m-xinzheng'), day, w.id]);
    await t.owner.query(`INSERT INTO complaints (id, tenant_id, market_id, region_code, reference, channel, category, content, received_day, owner_user_id, resolve_limit_days, clock_from,
        ack_due, resolve_due, status, closed_at, result, result_summary)
      VALUES (gen_random_uuid(), $1, $2, '410327', $3, 'hotline', 'discrimination', '招聘限定户籍', $4, $5, 10, $4, $4, $4, 'closed', now(), 'substantiated', '属实')`,
    [demoId('op2'), demoId('m-yiyang'), `TS-${Date.now()}`, day, demoId('user:op2.admin')]);

    const zz = (await t.http.get(`/api/v1/model-market-lists/eligibility?cycleId=${cycleId}`).set(s['city.analyst'].auth).expect(200)).body;
    const today = shanghaiDay(new Date());
    expect(zz).toMatchObject({ level: 'city', regionCode: '4101' });
    expect(zz.markets.every((m: Evaluated) => m.regionCode.startsWith('4101'))).toBe(true);
    expect(keysOf(zz.markets)).toEqual(await sqlExclusions(t, cycleId, '4101', 'city', today, 'now'));
    expect(keysOf(zz.markets).get(demoId('m-zhongmu'))).toContain('chain_broken');
    expect(keysOf(zz.markets).get(demoId('m-xinzheng'))).toContain('callback_failed');
    const ly = (await t.http.get(`/api/v1/model-market-lists/eligibility?cycleId=${cycleId}`).set(s['luoyang.analyst'].auth).expect(200)).body;
    expect(keysOf(ly.markets)).toEqual(await sqlExclusions(t, cycleId, '4103', 'city', today, 'now'));
    expect(keysOf(ly.markets).get(demoId('m-yiyang'))).toContain('discrimination_upheld');
    // The province's titles count at province level only: its designated markets are 'already titled' there, not for the city.
    const pv = (await t.http.get(`/api/v1/model-market-lists/eligibility?cycleId=${cycleId}`).set(s['province.auditor'].auth).expect(200)).body;
    expect(keysOf(pv.markets)).toEqual(await sqlExclusions(t, cycleId, '41', 'province', today, 'now'));

    // Who may propose: not a county, not an operator; a city only its own markets; bad input is a 400.
    const base = { cycleId, title: '郑州市示范零工市场拟认定名单', noticeDays: 7 };
    await t.http.post('/api/v1/model-market-lists').set(s['county.reviewer'].auth).send(base).expect(403);
    await t.http.post('/api/v1/model-market-lists').set(s['op1.admin'].auth).send(base).expect(403);
    const other = await t.http.post('/api/v1/model-market-lists').set(s['luoyang.analyst'].auth).set('Accept-Language', 'en').send({ ...base, marketIds: [demoId('m-zhongmu')] }).expect(422);
    expect(other.body.errors).toEqual([{ field: 'marketIds', message: 'This market does not meet the model market rules (see its exclusions in the list)' }]);
    const short = await t.http.post('/api/v1/model-market-lists').set(s['city.analyst'].auth).send({ ...base, noticeDays: 2 }).expect(400);
    expect(short.body.errors.map((e: { field: string }) => e.field)).toEqual(['noticeDays']);
    const zzCandidates = zz.markets.filter((m: Evaluated) => m.eligible).map((m: Evaluated) => m.marketId).sort();
    expect(zzCandidates.length).toBeGreaterThan(0);
    // Two identical proposals at once: one list; the second finds the markets already under 公示.
    const both = await Promise.all([1, 2].map(() => t.http.post('/api/v1/model-market-lists').set(s['city.analyst'].auth).send(base)));
    expect(both.map((r) => r.status).sort()).toEqual([201, 422]);
    const cityList = both.find((r) => r.status === 201)!.body;
    expect(cityList).toMatchObject({ level: 'city', regionCode: '4101', state: 'notice' });
    expect(cityList.markets.map((m: { marketId: string }) => m.marketId).sort()).toEqual(zzCandidates);
    // Another city neither reads nor touches it.
    await t.http.get(`/api/v1/model-market-lists/${cityList.id}`).set(s['luoyang.analyst'].auth).expect(404);
    await t.http.post(`/api/v1/model-market-lists/${cityList.id}/objections`).set(s['luoyang.analyst'].auth).send({ marketId: zzCandidates[0], channel: 'phone', content: '来电反映服务态度问题' }).expect(404);
    const pub = (await t.http.get('/api/v1/public/directory/model-markets').expect(200)).body as PublicModelMarkets;
    expect(pub.titles.filter((y) => y.level === 'city').map((y) => [y.marketId, y.state, y.grantRegionName]).sort()).toEqual(zzCandidates.map((id: string) => [id, 'notice', '郑州市']));
  });

  it('row-level security of the model-market tables: region records; an operator reads none, a city its own and the province\'s, writes only its own', async () => {
    const db = t.app.get(TenantDb);
    const actor = (username: string, org: string, orgKind: Actor['orgKind'], region: string | undefined, roles: Actor['roles'], tenantId?: string): Actor =>
      ({ userId: demoId(`user:${username}`), username, orgId: demoId(org), orgKind, regionPrefix: region, tenantId, marketIds: [], roles });
    const count = (a: Actor, sql: string) => db.run(a, async (em) => (await em.query(sql))[0].n as number);
    const op = actor('op1.admin', 'op1', 'operator', undefined, ['operator_admin'], demoId('op1'));
    for (const table of ['model_market_lists', 'model_markets', 'model_market_objections']) {
      expect([table, await count(op, `SELECT count(*)::int AS n FROM ${table}`)]).toEqual([table, 0]);
    }
    const luoyang = actor('luoyang.analyst', 'luoyang', 'city', '4103', ['city_analyst']);
    const [all] = await t.owner.query(`SELECT count(*) FILTER (WHERE region_code IN ('41', '4103'))::int AS mine, count(*)::int AS n FROM model_market_lists`);
    expect(all.n).toBeGreaterThan(all.mine);
    expect(await count(luoyang, 'SELECT count(*)::int AS n FROM model_market_lists')).toBe(all.mine);
    expect(await count(luoyang, `SELECT count(*)::int AS n FROM model_markets WHERE region_code NOT LIKE '4103%'`)).toBe(0);
    const zz = actor('city.analyst', 'zhengzhou', 'city', '4101', ['city_analyst']);
    const updated = (grant: string) => count(zz, `WITH u AS (UPDATE model_markets SET decision_reason = 'RLS' WHERE grant_region = '${grant}' RETURNING id) SELECT count(*)::int AS n FROM u`);
    // Zhengzhou's markets under the province's title: the city reads them, cannot change them.
    expect(await count(zz, `SELECT count(*)::int AS n FROM model_markets WHERE grant_region = '41'`)).toBeGreaterThan(0);
    expect(await updated('41')).toBe(0);
    expect(await updated('4101')).toBeGreaterThan(0);
  });
});
