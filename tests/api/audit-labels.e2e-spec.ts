import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_ONLY_ACTIONS, FACT_STEPS, auditActionParts, currentAuditAction } from '@linggong/domain';
import { bootApp, registerAssigned, demoId, freshTenant, login, type TestApp } from '../support/app';

/**
 * The audit log in words (issue 17 §4): every action with a label in both console languages from one
 * catalogue (a fact's action is its work-log kind's word, plus its step), the actor by display name for
 * every actor — an authority's reviewer read by the operator included — and subjects by name through
 * the contexts that own them, never a raw code or id in their place.
 */
const i18n = (lib: string, lang: string) => JSON.parse(readFileSync(join(__dirname, '../../libs/console', lib, 'i18n', `${lang}.json`), 'utf8'));

describe('audit log labels and names', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(() => t?.close());

  it.each(['zh-CN', 'en'])('every audit-only action and every step of a fact has a %s label', (lang) => {
    const act = i18n('audit', lang).audit.act as Record<string, string>;
    expect(AUDIT_ONLY_ACTIONS.filter((a) => !act[a.replace(/\./g, ':')]?.trim())).toEqual([]);
    const step = i18n('ledger', lang).ledger.step as Record<string, Record<string, string>>;
    const missing = Object.entries(FACT_STEPS).flatMap(([kind, steps]) => (steps ?? []).filter((s) => !step[kind]?.[s]?.trim()).map((s) => `${kind}.${s}`));
    expect(missing).toEqual([]);
  });

  it('shows the county reviewer\'s actions to the operator with the reviewer\'s name and organisation, and the market by name', async () => {
    const county = await login(t, 'county.reviewer');
    const op = await login(t, 'op1.admin');
    const name = `中牟县${[...String(Date.now() % 100000)].map((d) => '零一二三四五六七八九'[Number(d)]).join('')}号审计零工驿站`;
    const m = { body: await registerAssigned(t, county, {
      name, type: 'station', nature: 'public', mode: 'contracted', regionCode: '410122', operatorId: demoId('op1'),
    }) };
    await t.http.patch(`/api/v1/markets/${m.body.id}/registration`).set(county.auth).send({ status: 'open' }).expect(200);
    // Who the reviewer is, by independent SQL.
    const [who] = await t.owner.query(
      `SELECT u.id, u.display_name, o.name AS org_name FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.username = 'county.reviewer'`);
    expect(who.display_name).not.toBe('county.reviewer');
    // Registered with no operator (the operator does not read that event: the market was not its yet), assigned under
    // the contract that lists it (issue 15 §1), then opened.
    for (const [reader, actions] of [[op, ['market.update_registration', 'market.update_registration']], [county, ['market.register', 'market.update_registration', 'market.update_registration']]] as const) {
      const log = await t.http.get('/api/v1/audit-events').query({ subjectId: m.body.id, sort: 'occurredAt' }).set(reader.auth).expect(200);
      expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(actions);
      for (const e of log.body.items) {
        expect(e).toMatchObject({ actorUserId: who.id, actorName: who.display_name, actorOrgName: who.org_name, subjectType: 'Market', subjectName: name });
      }
    }
  });

  it('names workers and users as subjects; a person the reader may not see is masked, not shown by id', async () => {
    const f = await freshTenant(t, 'audn');
    const desk = await login(t, f.deskUser.username, f.password);
    const admin = await login(t, f.adminUser.username, f.password);
    const w = await t.http.post(`/api/v1/markets/${f.market.id}/workers`).set(desk.auth).send({ name: '审计名称', mobile: '13800000917', consent: true }).expect(201);
    const own = await t.http.get('/api/v1/audit-events').query({ subjectId: w.body.id }).set(admin.auth).expect(200);
    expect(own.body.items).toEqual([expect.objectContaining({ action: 'registration', subjectType: 'Worker', subjectName: '审计名称', actorName: f.deskUser.displayName })]);
    // The desk user created by the platform admin: the subject is the user, named by display name.
    const [u] = await t.owner.query('SELECT display_name FROM users WHERE id = $1', [f.deskUser.id]);
    const created = await t.http.get('/api/v1/audit-events').query({ subjectId: f.deskUser.id, action: 'user.create' }).set(admin.auth).expect(200);
    expect(created.body.items).toEqual([expect.objectContaining({ subjectType: 'User', subjectName: u.display_name })]);
  });

  it('names placements, tool loans, assistance plans, training, market events and reports by what they are, as independent SQL does', async () => {
    const f = await freshTenant(t, 'audsub', ['market_manager']);
    const [desk, admin, manager] = await Promise.all([f.signIn('front_desk'), f.signIn('operator_admin'), f.signIn('market_manager')]);
    const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    let phone = 13700000000 + (Date.now() % 1_000_000) * 10;
    const worker = async (name: string) => (await t.http.post(`/api/v1/markets/${f.market.id}/workers`).set(desk.auth)
      .send({ name, mobile: String(++phone), consent: true, occupations: ['装卸搬运工'] }).expect(201)).body as { id: string; name: string };
    const w = await worker('审计对象甲');
    // A placement: the worker and the post's title.
    const e = (await t.http.post(`/api/v1/markets/${f.market.id}/employers`).set(desk.auth).send({ kind: 'individual', name: '审计雇主', contactName: '周', contactPhone: String(++phone) }).expect(201)).body;
    await t.http.post(`/api/v1/employers/${e.id}/verification`).set(admin.auth).send({ decision: 'verified', evidence: '身份证原件已核验' }).expect(200);
    const post = (await t.http.post(`/api/v1/markets/${f.market.id}/posts`).set(desk.auth).send({
      employerId: e.id, occupation: '装卸搬运工', title: '审计卸货岗', headcount: 2, wageFen: 20000, wageUnit: 'day', period: 'same_day', startAt: at(60), place: '物流园',
    }).expect(201)).body;
    await t.http.post(`/api/v1/posts/${post.id}/review`).set(admin.auth).send({ decision: 'published' }).expect(200);
    const pl = (await t.http.post('/api/v1/placements').set(desk.auth).send({ postId: post.id, workerId: w.id }).expect(201)).body;
    await t.http.post(`/api/v1/placements/${pl.id}/confirm`).set(desk.auth).send({ party: 'both' }).expect(200);
    // A tool and its loan: the tool by name and code, the loan by the tool and the borrower.
    const tool = (await t.http.post(`/api/v1/markets/${f.market.id}/tools`).set(manager.auth)
      .send({ code: `AUD-${Date.now().toString(36)}`, name: '审计冲击钻', category: 'regular', valueFen: 40000, depositFen: 5000, dailyFeeFen: 500 }).expect(201)).body;
    const loan = (await t.http.post(`/api/v1/tools/${tool.id}/loans`).set(desk.auth).send({ workerId: w.id, days: 3 }).expect(201)).body;
    await t.http.post(`/api/v1/tool-loans/${loan.id}/decision`).set(manager.auth).send({ decision: 'approved' }).expect(200);
    // An assistance plan: the worker and its goal.
    await t.http.post(`/api/v1/workers/${w.id}/hardship`).set(desk.auth).send({ categories: ['registered_unemployed'], consent: true, evidence: '现场查验相关证件' }).expect(200);
    const plan = (await t.http.post(`/api/v1/workers/${w.id}/assistance-plans`).set(desk.auth).send({ goal: '实现稳定就业' }).expect(201)).body;
    // Training: the course, a session by its course and start, the enrolment and the attendance by the worker.
    const course = (await t.http.post(`/api/v1/markets/${f.market.id}/training/courses`).set(desk.auth).send({
      title: '审计电工培训', occupation: '电工', skill: '低压电工证', hours: 6, mode: 'classroom', free: true, completionPercent: 60, provider: '中牟县职业培训学校',
    }).expect(201)).body;
    const session = (await t.http.post(`/api/v1/training/courses/${course.id}/sessions`).set(desk.auth).send({ trainer: '王建国', place: '培训室', startsAt: at(-30), endsAt: at(60), hours: 1 }).expect(201)).body;
    const enrolment = (await t.http.post(`/api/v1/training/courses/${course.id}/enrolments`).set(desk.auth).send({ workerId: w.id }).expect(201)).body;
    const attendance = (await t.http.post(`/api/v1/training/sessions/${session.id}/attendance`).set(desk.auth)
      .send({ enrolmentId: enrolment.id, signature: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' }).expect(201)).body;
    // A market event: its title and start.
    const ev = (await t.http.post(`/api/v1/markets/${f.market.id}/events`).set(admin.auth).send({
      kind: 'fair', title: '审计专场招聘会', startsAt: at(-60), endsAt: at(180), place: '市场广场', organiser: '中牟县人社局',
    }).expect(201)).body;

    // The labels by independent SQL over the owning tables.
    const q = async (sql: string, id: string) => (await t.owner.query(sql, [id]))[0].label as string;
    const shanghai = (col: string) => `to_char(${col} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')`;
    const expected: [string, string, string][] = [
      ['Placement', pl.id, await q(`SELECT w.name || ' · ' || p.title AS label FROM placements x JOIN workers w ON w.id = x.worker_id JOIN posts p ON p.id = x.post_id WHERE x.id = $1`, pl.id)],
      ['Tool', tool.id, await q(`SELECT name || '（' || code || '）' AS label FROM tools WHERE id = $1`, tool.id)],
      ['ToolLoan', loan.id, await q(`SELECT t.name || '（' || t.code || '） · ' || w.name AS label FROM tool_loans l JOIN tools t ON t.id = l.tool_id JOIN workers w ON w.id = l.worker_id WHERE l.id = $1`, loan.id)],
      ['AssistancePlan', plan.id, await q(`SELECT w.name || ' · ' || x.goal AS label FROM assistance_plans x JOIN workers w ON w.id = x.worker_id WHERE x.id = $1`, plan.id)],
      ['TrainingCourse', course.id, await q(`SELECT title AS label FROM training_courses WHERE id = $1`, course.id)],
      ['TrainingSession', session.id, await q(`SELECT c.title || ' · ' || ${shanghai('s.starts_at')} AS label FROM training_sessions s JOIN training_courses c ON c.id = s.course_id WHERE s.id = $1`, session.id)],
      ['TrainingEnrolment', enrolment.id, await q(`SELECT w.name || ' · ' || c.title AS label FROM training_enrolments x JOIN workers w ON w.id = x.worker_id JOIN training_courses c ON c.id = x.course_id WHERE x.id = $1`, enrolment.id)],
      ['TrainingAttendance', attendance.id, await q(`SELECT w.name || ' · ' || c.title || ' · ' || ${shanghai('s.starts_at')} AS label FROM training_attendance a JOIN workers w ON w.id = a.worker_id
         JOIN training_sessions s ON s.id = a.session_id JOIN training_courses c ON c.id = s.course_id WHERE a.id = $1`, attendance.id)],
      ['MarketEvent', ev.id, await q(`SELECT title || ' · ' || ${shanghai('starts_at')} AS label FROM market_events WHERE id = $1`, ev.id)],
    ];
    for (const [type, id, label] of expected) {
      const items = (await t.http.get('/api/v1/audit-events').query({ subjectId: id }).set(admin.auth).expect(200)).body.items as { subjectType: string; subjectName: string | null }[];
      expect({ type, n: items.filter((x) => x.subjectType === type).length > 0 }).toEqual({ type, n: true });
      for (const i of items.filter((x) => x.subjectType === type)) expect({ type, name: i.subjectName }).toEqual({ type, name: label });
    }
    // A supply–demand report, by the county's name, its month and version; the reminders and releases (no id) by region and month.
    const county = await login(t, 'county.reviewer');
    const month = new Date(Date.now() + 8 * 3_600_000 - 40 * 86_400_000).toISOString().slice(0, 7);
    const made = await t.http.post('/api/v1/reports').set(county.auth).send({ month });
    const report = made.status === 201 ? made.body
      : (await t.http.get('/api/v1/reports').query({ month, pageSize: 100 }).set(county.auth).expect(200)).body.items.find((r: { regionCode: string }) => r.regionCode === '410122');
    expect(report?.id).toBeTruthy();
    const label = await q(`SELECT g.full_name || ' ' || r.month || ' v' || r.version AS label FROM supply_demand_reports r JOIN regions g ON g.code = r.region_code WHERE r.id = $1`, report.id);
    const log = (await t.http.get('/api/v1/audit-events').query({ subjectId: report.id }).set(county.auth).expect(200)).body.items as { subjectName: string | null }[];
    expect(log.length).toBeGreaterThan(0);
    for (const i of log) expect(i.subjectName).toBe(label);
    // A monthly release has no id of its own: it is named by its province and month (a row as the release job writes it;
    // 'test.' actions are left out of the catalogue check below).
    const rel = (await t.owner.query(`INSERT INTO audit_events (id, action, region_code, subject_type, subject_id, summary)
      VALUES (gen_random_uuid(), 'test.release_label', '41', 'ReportRelease', NULL, $1) RETURNING id`, [JSON.stringify({ month })]))[0].id;
    const [{ full_name }] = await t.owner.query(`SELECT full_name FROM regions WHERE code = '41'`);
    expect((await t.http.get(`/api/v1/audit-events/${rel}`).set((await login(t, 'admin')).auth).expect(200)).body.subjectName).toBe(`${full_name} ${month}`);
  });

  it('every action recorded in the database (this and the other suites\') is in the catalogue', async () => {
    const rows: { action: string; summary: Record<string, unknown> }[] = await t.owner.query(
      // 'test.*' rows are written straight into the table by the retention test (worker.e2e-spec), not by the system.
      `SELECT DISTINCT ON (action) action, summary FROM audit_events WHERE action NOT LIKE 'test.%' ORDER BY action`);
    expect(rows.length).toBeGreaterThan(5);
    const unknown = rows.map((r) => currentAuditAction(r.action, r.summary)).filter((a) => !auditActionParts(a));
    expect(unknown).toEqual([]);
  });
});
