import { Client } from 'pg';
import { TENANT_TABLES } from '@linggong/api-schema';
import { bootApp, demoId, freshTenant, login, type TestApp } from '../support/app';
import { toolFixtures } from '../support/tools';
import { AnalyticsService } from '@linggong/api-analytics';

/**
 * Row-level security, the second layer (DESIGN.md): as the application role, a query with no WHERE
 * clause sees only the scoped tenant's rows, and nothing at all without a scope.
 */
/** Oversight's tables (issue 16): their rows come from the two fresh operators, whose days are sealed (a sample needs sealed entries). */
const OVERSIGHT_TABLES = ['callback_samples', 'callback_calls', 'inspections', 'inspection_findings', 'rectifications', 'rectification_events', 'exit_cases', 'exit_events', 'market_handovers'];

describe('row-level security', () => {
  let t: TestApp;
  let app: Client;
  const ledgerTenants: string[] = [];
  beforeAll(async () => {
    t = await bootApp();
    app = new Client({ connectionString: t.config.DATABASE_URL });
    await app.connect();
    // Rows of two tenants in every tenant table. Ledger rows come from two fresh operators, so the
    // demo markets' days stay open for other suites.
    for (const [username, market, mobile] of [['op1.admin', 'm-zhongmu', '13600000101'], ['op2.admin', 'm-yiyang', '13600000102']]) {
      const s = await login(t, username);
      const w = await t.http.post(`/api/v1/markets/${demoId(market)}/workers`).set(s.auth).send({ name: 'RLS 零工', mobile, consent: true });
      await t.http.post(`/api/v1/markets/${demoId(market)}/employers`).set(s.auth).send({ kind: 'individual', name: 'RLS 个体户', contactName: '王', contactPhone: mobile });
      // Assistance rows (issue 5): hardship record, plan, step, public-welfare post, service record.
      const now = new Date().toISOString();
      await t.http.post(`/api/v1/workers/${w.body.id}/hardship`).set(s.auth).send({ categories: ['older_age'], consent: true }).expect(200);
      const plan = await t.http.post(`/api/v1/workers/${w.body.id}/assistance-plans`).set(s.auth).send({ goal: 'RLS 帮扶' }).expect(201);
      await t.http.post(`/api/v1/assistance-plans/${plan.body.id}/steps`).set(s.auth).send({ kind: 'follow_up', occurredAt: now, note: 'RLS 回访', outcome: 'still_seeking' }).expect(201);
      await t.http.post(`/api/v1/workers/${w.body.id}/public-welfare-posts`).set(s.auth).send({ employerName: 'RLS 街道办', postName: '保洁', startOn: '2026-12-01', endOn: '2027-01-01' }).expect(201);
      await t.http.post(`/api/v1/markets/${demoId(market)}/service-records`).set(s.auth).send({ kind: 'policy_consultation', workerId: w.body.id, occurredAt: now, summary: 'RLS 政策咨询' }).expect(201);
      // Training and events (issue 5): a demand, a course with a session, an enrolment with a signed attendance, an event with a post.
      const soon = (min: number) => new Date(Date.now() + min * 60_000).toISOString();
      await t.http.post(`/api/v1/markets/${demoId(market)}/training/demands`).set(s.auth).send({ workerId: w.body.id, occupation: '电工' }).expect(201);
      const c = await t.http.post(`/api/v1/markets/${demoId(market)}/training/courses`).set(s.auth).send({ title: 'RLS 课程', occupation: '电工', hours: 2, mode: 'online', free: true }).expect(201);
      const ses = await t.http.post(`/api/v1/training/courses/${c.body.id}/sessions`).set(s.auth).send({ trainer: 'RLS 讲师', place: '线上', startsAt: soon(-10), endsAt: soon(60), hours: 1 }).expect(201);
      const en = await t.http.post(`/api/v1/training/courses/${c.body.id}/enrolments`).set(s.auth).send({ workerId: w.body.id }).expect(201);
      await t.http.post(`/api/v1/training/sessions/${ses.body.id}/attendance`).set(s.auth).send({ enrolmentId: en.body.id,
        signature: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' }).expect(201);
      const ev = await t.http.post(`/api/v1/markets/${demoId(market)}/events`).set(s.auth).send({ kind: 'fair', title: 'RLS 招聘会', startsAt: soon(-10), endsAt: soon(60), place: '广场' }).expect(201);
      // A post of the event's market, taken within a day of it and not linked to another event (the linking rules).
      const [post] = await t.owner.query(`SELECT id FROM posts p WHERE market_id = $1 AND created_at > now() - interval '1 day'
        AND NOT EXISTS (SELECT 1 FROM market_event_posts ep WHERE ep.post_id = p.id) ORDER BY created_at DESC LIMIT 1`, [demoId(market)]);
      await t.http.post(`/api/v1/events/${ev.body.id}/posts`).set(s.auth).send({ postIds: [post.id] }).expect(200);
      // Tool rental rows (R-B11): the desk asks and lends, another user approves.
      const desk = await login(t, username === 'op1.admin' ? 'op1.desk' : 'op2.desk');
      await toolFixtures(t, desk, s, demoId(market), w.body.id);
    }
    // Complaints with every kind of dependent row, in two tenants (issue 6).
    for (const [owner, handler, market, target] of [['op1.admin', 'op1.admin', 'm-zhongmu', 'op1.complaints'], ['op2.desk', 'op2.admin', 'm-yiyang', 'op2.admin']]) {
      const o = await login(t, owner);
      const h = await login(t, handler);
      const c = await t.http.post('/api/v1/complaints').set(o.auth)
        .send({ marketId: demoId(market), channel: 'on_site', category: 'dispute', content: 'RLS 测试投诉：现场纠纷', anonymous: true }).expect(201);
      const url = `/api/v1/complaints/${c.body.complaint.id}`;
      await t.http.post(`${url}/notices`).set(h.auth).send({ items: ['现场照片'] }).expect(201);
      await t.http.post(`${url}/transfers`).set(h.auth).send({ toUserId: demoId(`user:${target}`), reason: 'RLS 转交' }).expect(201);
      await t.http.post(`${url}/extensions`).set(h.auth).send({ workingDays: 2, reason: 'RLS 延期申请' }).expect(201);
      await t.http.post(`${url}/escalations`).set(h.auth).send({ target: 'county_bureau', reason: 'RLS 上报' }).expect(201);
    }
    // Assessment rows (issue 15) of op1 and op2: the demo's legacy contracts, a province cycle over them, frozen today.
    {
      const prov = await login(t, 'province.auditor');
      const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      const tpl = await t.http.get('/api/v1/assessment-templates/default').set(prov.auth).expect(200);
      const tid = (await t.http.post('/api/v1/assessment-templates').set(prov.auth).send({ name: `RLS 指标体系 ${Date.now()}`, body: tpl.body }).expect(201)).body.id;
      const contracts: { id: string }[] = await t.owner.query(`SELECT id FROM contracts WHERE tenant_id = ANY($1::uuid[]) AND superseded_at IS NULL`, [[demoId('op1'), demoId('op2')]]);
      const cyc = await t.http.post('/api/v1/assessment-cycles').set(prov.auth).send({ name: 'RLS 考核', kind: 'special', templateId: tid, periodFrom: day, periodTo: day, cutoff: day,
        selfDeadline: day, reviewDeadline: day, contractIds: contracts.map((c) => c.id) }).expect(201);
      await t.http.post(`/api/v1/assessment-cycles/${cyc.body.id}/freeze`).set(prov.auth).expect(200);
    }
    for (const label of ['rlsA', 'rlsB']) {
      const f = await freshTenant(t, label);
      ledgerTenants.push(f.org.id);
      const s = await login(t, f.adminUser.username, f.password);
      const up = await t.http.post('/api/v1/ledger/attachments').set(s.auth)
        .send({ filename: 'rls.txt', mime: 'text/plain', contentBase64: Buffer.from(`rls ${label} ${Date.now()}`).toString('base64') }).expect(201);
      await t.http.post(`/api/v1/markets/${f.market.id}/ledger/entries`).set(s.auth)
        .send({ kind: 'manual_note', occurredAt: new Date().toISOString(), title: 'RLS 测试', attachments: [up.body.hash] }).expect(201);
      // A check-in, so the rollup has a fact and a job seeker to write (issue 13).
      const w = await t.http.post(`/api/v1/markets/${f.market.id}/workers`).set(s.auth).send({ name: 'RLS 零工', mobile: label === 'rlsA' ? '13600000201' : '13600000202', consent: true }).expect(201);
      await t.http.post(`/api/v1/markets/${f.market.id}/check-ins`).set(s.auth).send({ workerId: w.body.id }).expect(200);
      // A service record: a work-log entry naming a worker, which a call-back sample can draw (issue 16).
      await t.http.post(`/api/v1/markets/${f.market.id}/service-records`).set(s.auth).send({ kind: 'policy_consultation', workerId: w.body.id, occurredAt: new Date().toISOString(), summary: 'RLS 政策咨询' }).expect(201);
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      await t.http.post(`/api/v1/markets/${f.market.id}/ledger/days/${today}/close`).set(s.auth).send({ reason: '测试：提前日结' }).expect(201);
      // Oversight rows (issue 16): a sample drawn, called and completed; an inspection reported with a finding; an order started.
      const county = await login(t, 'county.reviewer');
      const sample = await t.http.post('/api/v1/callback-samples').set(county.auth).send({ operatorId: f.org.id, from: today, to: today, size: 1 }).expect(201);
      const drawn = await t.http.post(`/api/v1/callback-samples/${sample.body.id}/draw`).set(county.auth).expect(200);
      await t.http.post(`/api/v1/callback-samples/${sample.body.id}/calls/${drawn.body.calls[0].id}/outcome`).set(county.auth).send({ outcome: 'confirmed' }).expect(200);
      await t.http.post(`/api/v1/callback-samples/${sample.body.id}/complete`).set(county.auth).expect(200);
      const insp = await t.http.post('/api/v1/inspections').set(county.auth).send({ operatorId: f.org.id, marketId: f.market.id, kind: 'online', scheduledOn: today }).expect(201);
      await t.http.post(`/api/v1/inspections/${insp.body.id}/report`).set(county.auth)
        .send({ results: [{ code: 'hotline', result: 'fail' }], findings: [{ text: 'RLS 未公布热线', severity: 'minor' }], summary: 'RLS 检查' }).expect(200);
      const order = await t.http.post('/api/v1/rectifications').set(county.auth).send({ source: { kind: 'inspection', id: insp.body.id }, title: 'RLS 整改', items: [{ text: '公布热线', severity: 'minor' }], severity: 'minor', responsiblePerson: 'RLS 负责人', deadlineDays: 5 }).expect(201);
      await t.http.post(`/api/v1/rectifications/${order.body.id}/start`).set(s.auth).send({}).expect(200);
      expect(await t.app.get(AnalyticsService).rollupDay(f.market.id, today)).toBe(true);
      // A recorded check of its days (ledger_verifications, issue 17 §2).
      await t.http.get(`/api/v1/markets/${f.market.id}/ledger/verify`).query({ from: today, to: today }).set(s.auth).expect(200);
      await t.http.post('/api/v1/analytics/runs').set(s.auth).send({ marketId: f.market.id, from: '2026-01-01', to: '2026-01-02' }).expect(202);
      await t.owner.query(
        `INSERT INTO ledger_alerts (id, market_id, tenant_id, region_code, business_day, code, detail)
         SELECT gen_random_uuid(), id, tenant_id, region_code, DATE '2026-01-01', 'test', 'rls fixture' FROM markets WHERE id = $1`, [f.market.id]);
    }
  });
  // Exit rows (issue 16 §4): each of the two fresh tenants is taken into exit and its market's handover opened to a third.
  beforeAll(async () => {
    const county = await login(t, 'county.reviewer');
    const city = await login(t, 'city.analyst');
    const succ = await freshTenant(t, 'rlsS');
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    for (const tenant of ledgerTenants) {
      const [{ admin, market }] = await t.owner.query(`SELECT (SELECT username FROM users WHERE org_id = $1 AND 'operator_admin' = ANY(roles) LIMIT 1) AS admin,
        (SELECT id FROM markets WHERE tenant_id = $1 LIMIT 1) AS market`, [tenant]);
      const c = await t.http.post('/api/v1/exit-cases').set(county.auth).send({ operatorId: tenant, grounds: ['failed_callback'], reason: 'RLS 退出测试' }).expect(201);
      await t.http.post(`/api/v1/exit-cases/${c.body.id}/decision`).set(city.auth).send({ decision: 'approved' }).expect(200);
      await t.http.post(`/api/v1/exit-cases/${c.body.id}/answer`).set((await login(t, admin, 'Test-Passw0rd!')).auth).send({ text: 'RLS 申辩' }).expect(200);
      await t.http.post(`/api/v1/exit-cases/${c.body.id}/start`).set(county.auth).expect(200);
      // The successor's contract must list the market (issue 15 §1): one for this market, now that its operator is exiting.
      const cover = await t.http.post('/api/v1/contracts').set(county.auth).send({
        operatorId: succ.org.id, number: `RLS-EXIT-${Date.now()}-${market.slice(-6)}`, title: 'RLS 承接合同', termFrom: today, termTo: today, marketIds: [market], amountFen: 100,
        schedule: [{ label: '全额', due: today, amountFen: 100, resultLinked: false }], documentSm3: 'cd'.repeat(32),
      }).expect(201);
      await t.http.post(`/api/v1/exit-cases/${c.body.id}/handovers`).set(county.auth).send({ marketId: market, successorId: succ.org.id, contractId: cover.body.id }).expect(201);
    }
  });
  afterAll(async () => {
    await app.end();
    await t.close();
  });

  const scoped = async <T>(settings: Record<string, string>, fn: () => Promise<T>): Promise<T> => {
    await app.query('BEGIN');
    try {
      for (const [k, v] of Object.entries(settings)) await app.query('SELECT set_config($1, $2, true)', [`app.${k}`, v]);
      return await fn();
    } finally {
      await app.query('ROLLBACK');
    }
  };

  it('runs the app as a role that owns nothing and cannot bypass RLS', async () => {
    const [{ rolbypassrls, rolsuper }] = (await app.query('SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user')).rows;
    expect(rolbypassrls).toBe(false);
    expect(rolsuper).toBe(false);
    const owned = (await app.query(`SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = current_user`)).rows[0].n;
    expect(owned).toBe(0);
  });

  it('enables and forces RLS on every table that has a tenant_id column, and the list is complete', async () => {
    const rows = (await t.owner.query(`
      SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r'
        AND (EXISTS (SELECT 1 FROM information_schema.columns col WHERE col.table_name = c.relname AND col.column_name = 'tenant_id')
             OR c.relname = ANY($1))`, [TENANT_TABLES])) as { relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }[];
    expect(rows.map((r) => r.relname).sort()).toEqual([...TENANT_TABLES].sort());
    for (const r of rows) expect([r.relname, r.relrowsecurity, r.relforcerowsecurity]).toEqual([r.relname, true, true]);
  });

  it.each(TENANT_TABLES)('%s: a tenant sees only its own rows with no WHERE clause', async (table) => {
    const op1 = table.startsWith('ledger_') || table.startsWith('analytics_') || OVERSIGHT_TABLES.includes(table) ? ledgerTenants[0] : demoId('op1');
    // users.password_hash is not even selectable by the app role, so name the scope column.
    const column = table === 'organisations' ? 'id' : 'tenant_id';
    const rows = await scoped({ tenant_id: op1, org_kind: 'operator', org_id: op1 }, async () => (await app.query(`SELECT ${column} AS tenant FROM ${table}`)).rows);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.tenant !== op1)).toEqual([]);
    // And the rows of the other tenants exist: the filter is doing the work.
    const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM ${table}`);
    expect(n).toBeGreaterThan(rows.length);
  });

  it.each(TENANT_TABLES)('%s: no scope set, no rows', async (table) => {
    const rows = await scoped({}, async () => (await app.query(`SELECT count(*)::int AS n FROM ${table}`)).rows);
    expect(rows[0].n).toBe(0);
  });

  it('region pre-aggregates (no tenant): the platform and the region’s authorities read them, operators and no scope nothing', async () => {
    await t.app.get(AnalyticsService).refreshRegionPeriods(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10));
    for (const table of ['analytics_region_days', 'analytics_region_periods', 'analytics_region_months']) {
      const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM ${table}`);
      expect(n).toBeGreaterThan(0);
      const count = (settings: Record<string, string>) => scoped(settings, async () => (await app.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);
      expect(await count({ tenant_id: ledgerTenants[0], org_kind: 'operator', org_id: ledgerTenants[0] })).toBe(0);
      expect(await count({})).toBe(0);
      expect(await count({ org_kind: 'platform' })).toBe(n);
      const county = await scoped({ region_prefix: '410122', org_kind: 'county', org_id: demoId('zhongmu') }, async () => (await app.query(`SELECT region_code FROM ${table}`)).rows);
      expect(county.length).toBeGreaterThan(0);
      expect(county.every((r) => r.region_code.startsWith('410122'))).toBe(true);
      await expect(scoped({ region_prefix: '410122', org_kind: 'county', org_id: demoId('zhongmu') }, () => app.query(`DELETE FROM ${table}`)))
        .resolves.toMatchObject({ rowCount: 0 });
    }
  });

  it('an authority sees its region only', async () => {
    const rows = await scoped({ region_prefix: '410122', org_kind: 'county', org_id: demoId('zhongmu') }, async () => (await app.query('SELECT region_code FROM markets')).rows);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.region_code.startsWith('410122'))).toBe(true);
  });

  it('refuses to write another tenant\'s rows, and the password hash is not readable by the app role', async () => {
    await scoped({ tenant_id: demoId('op1'), org_kind: 'operator' }, async () => {
      const upd = await app.query(`UPDATE markets SET hotline = '0371-00000000' WHERE id = $1`, [demoId('m-yiyang')]);
      expect(upd.rowCount).toBe(0);
    });
    await expect(scoped({ tenant_id: demoId('op1'), org_kind: 'operator' }, () =>
      app.query(`INSERT INTO markets (id, tenant_id, region_code, name, type, nature, mode) VALUES (gen_random_uuid(), $1, '410122', '中牟县零工市场（越权）', 'comprehensive', 'public', 'contracted')`, [demoId('op2')]),
    )).rejects.toThrow(/row-level security/);
    await expect(scoped({ org_kind: 'platform' }, () => app.query('SELECT password_hash FROM users'))).rejects.toThrow(/permission denied/);
  });

  it('oversight (issue 16): only the county writes samples and orders; an operator advances its own order only; another county nothing', async () => {
    const [a, b] = ledgerTenants;
    await scoped({ tenant_id: a, org_kind: 'operator', org_id: a }, async () => {
      expect((await app.query(`UPDATE callback_samples SET size = 2`)).rowCount).toBe(0);
      expect((await app.query(`UPDATE callback_calls SET outcome = 'denied'`)).rowCount).toBe(0);
      expect((await app.query(`UPDATE inspections SET score = 100`)).rowCount).toBe(0);
      expect((await app.query(`UPDATE rectifications SET title = 'RLS 自改' WHERE tenant_id = $1`, [a])).rowCount).toBeGreaterThan(0);
    });
    await expect(scoped({ tenant_id: a, org_kind: 'operator', org_id: a }, () => app.query(
      `INSERT INTO rectifications (id, tenant_id, region_code, source_kind, source_id, title, items, severity, responsible_person, deadline_days, ordered_on, due_on, created_by)
       VALUES (gen_random_uuid(), $1, '410122', 'inspection', 'x', '自拟整改', '[]', 'minor', '某', 1, CURRENT_DATE, CURRENT_DATE, $1)`, [a]))).rejects.toThrow(/row-level security/);
    await scoped({ tenant_id: b, org_kind: 'operator', org_id: b }, async () => {
      expect((await app.query(`UPDATE rectifications SET title = 'RLS 越权' WHERE tenant_id = $1`, [a])).rowCount).toBe(0);
    });
    await scoped({ region_prefix: '410327', org_kind: 'county', org_id: demoId('yiyang') }, async () => {
      expect((await app.query(`SELECT count(*)::int AS n FROM rectifications WHERE tenant_id = $1`, [a])).rows[0].n).toBe(0);
      expect((await app.query(`UPDATE callback_samples SET size = 2 WHERE tenant_id = $1`, [a])).rowCount).toBe(0);
    });
  });

  it('keeps audit events append-only even for the platform scope', async () => {
    await expect(scoped({ org_kind: 'platform' }, () => app.query(`UPDATE audit_events SET action = 'x'`))).rejects.toThrow(/permission denied/);
    await expect(scoped({ org_kind: 'platform' }, () => app.query(`DELETE FROM audit_events`))).rejects.toThrow(/permission denied/);
    // Even the owner cannot rewrite or delete a young event: the trigger refuses.
    await expect(t.owner.query(`UPDATE audit_events SET action = 'x' WHERE id = (SELECT id FROM audit_events LIMIT 1)`)).rejects.toThrow(/append-only/);
    await expect(t.owner.query(`DELETE FROM audit_events WHERE id = (SELECT id FROM audit_events LIMIT 1)`)).rejects.toThrow(/180 days/);
  });

  it('the retention purge removes only events older than the retention period', async () => {
    // Plant an old event as the superuser-free owner would find it after 200 days (trigger allows deleting it).
    await t.owner.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`);
    const old = demoId(`old-event-${Date.now()}`);
    try {
      await t.owner.query(`INSERT INTO audit_events (id, occurred_at, action) VALUES ($1, now() - interval '200 days', 'test.old')`, [old]);
    } finally {
      await t.owner.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`);
    }
    const before = (await t.owner.query(`SELECT count(*)::int AS n FROM audit_events`))[0].n;
    const [{ n }] = (await app.query('SELECT audit_purge(180) AS n')).rows;
    expect(Number(n)).toBe(1);
    expect((await t.owner.query(`SELECT count(*)::int AS n FROM audit_events`))[0].n).toBe(before - 1);
    await expect(scoped({}, () => app.query('SELECT audit_purge(30)'))).rejects.toThrow(/at least 180 days/);
  });
});
