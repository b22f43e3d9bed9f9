import { randomUUID } from 'node:crypto';
import { bootApp, demoId, login, type Session, type TestApp } from '../support/app';
import { EXPECTATIONS, type Roles, type Subject } from './isolation-expectations';

/**
 * Every route of the OpenAPI document × every demo role × (own tenant, other tenant, other region,
 * missing id), compared with the declared table in isolation-expectations.ts (issue 2, acceptance).
 */
const ROLES: Roles[] = ['anonymous', 'admin', 'province.auditor', 'city.analyst', 'county.reviewer', 'op1.admin', 'op1.manager',
  'op1.desk', 'op1.complaints', 'op2.admin', 'op2.desk'];

type Four = [string, string, string, string];
const op = (k: string) => demoId(k);
const user = (u: string) => demoId(`user:${u}`);

/** Per role: the objects that are its own, another tenant's, another region's (demo data, tools/db/demo-seed.ts). */
type PerTenant = Record<'op1' | 'op2' | 'op3', string>;
/** Fixtures per tenant, made in beforeAll: a worker, an employer, a published post and a placement. */
const fx = { workers: { op1: '', op2: '', op3: '' } as PerTenant, employers: { op1: '', op2: '', op3: '' } as PerTenant, posts: { op1: '', op2: '', op3: '' } as PerTenant, placements: { op1: '', op2: '', op3: '' } as PerTenant, complaints: { op1: '', op2: '', op3: '' } as PerTenant, tools: { op1: '', op2: '', op3: '' } as PerTenant,
  // Training and events (issue 5): a course with a session and an enrolment, and a started event, per tenant.
  courses: { op1: '', op2: '', op3: '' } as PerTenant, sessions: { op1: '', op2: '', op3: '' } as PerTenant,
  enrolments: { op1: '', op2: '', op3: '' } as PerTenant, events: { op1: '', op2: '', op3: '' } as PerTenant, plans: { op1: '', op2: '', op3: '' } as PerTenant };
const MARKET_TENANT: Record<string, 'op1' | 'op2' | 'op3'> = {};

function targets(role: Roles, events: PerTenant, workers: PerTenant, employers: PerTenant): Record<Exclude<Subject, 'OrgForCreate' | 'MarketForRegister'>, Four> {
  const missing = randomUUID();
  const region: Four = ['410122', '410184', '410327', '999999'];
  const op2side = role.startsWith('op2');
  const authority = ['province.auditor', 'city.analyst', 'county.reviewer'].includes(role);
  const per = (x: PerTenant): Four => (op2side ? [x.op2, x.op3, x.op1, missing] : [x.op1, x.op3, x.op2, missing]);
  return {
    Region: region,
    Organisation: op2side ? [op('op2'), op('op3'), op('op1'), missing] : [op('op1'), op('op3'), op('op2'), missing],
    Market: op2side ? [op('m-yiyang'), op('m-longhu'), op('m-zhongmu'), missing] : [op('m-zhongmu'), op('m-longhu'), op('m-yiyang'), missing],
    User: op2side
      ? [user('op2.desk'), user('op3.admin'), user('op1.desk'), missing]
      : authority ? [user(role), user('op1.desk'), user('op2.desk'), missing] : [user('op1.desk'), user('op3.admin'), user('op2.desk'), missing],
    AuditEvent: op2side ? [events.op2, events.op3, events.op1, missing] : [events.op1, events.op3, events.op2, missing],
    Worker: op2side ? [workers.op2, workers.op3, workers.op1, missing] : [workers.op1, workers.op3, workers.op2, missing],
    Employer: op2side ? [employers.op2, employers.op3, employers.op1, missing] : [employers.op1, employers.op3, employers.op2, missing],
    Post: op2side ? [fx.posts.op2, fx.posts.op3, fx.posts.op1, missing] : [fx.posts.op1, fx.posts.op3, fx.posts.op2, missing],
    Placement: op2side ? [fx.placements.op2, fx.placements.op3, fx.placements.op1, missing] : [fx.placements.op1, fx.placements.op3, fx.placements.op2, missing],
    Complaint: op2side ? [fx.complaints.op2, fx.complaints.op3, fx.complaints.op1, missing] : [fx.complaints.op1, fx.complaints.op3, fx.complaints.op2, missing],
    Tool: op2side ? [fx.tools.op2, fx.tools.op3, fx.tools.op1, missing] : [fx.tools.op1, fx.tools.op3, fx.tools.op2, missing],
    Course: per(fx.courses), TrainingSession: per(fx.sessions), Enrolment: per(fx.enrolments), MarketEvent: per(fx.events),
    AssistancePlan: op2side ? [fx.plans.op2, fx.plans.op3, fx.plans.op1, missing] : [fx.plans.op1, fx.plans.op3, fx.plans.op2, missing],
  };
}

const postBody = (employerId: string | undefined, title: string) => ({
  employerId: employerId ?? randomUUID(), occupation: '装卸搬运工', title, headcount: 50, wageFen: 20000, wageUnit: 'day', period: 'same_day',
  startAt: new Date(Date.now() + 3_600_000).toISOString(), place: '矩阵测试地点',
});

let counter = 0;
function bodyFor(operationId: string, role: Roles, target: string | undefined): Record<string, unknown> | undefined {
  const n = `${Date.now().toString(36)}${++counter}`;
  switch (operationId) {
    case 'tenancy_createOrganisation':
      return { kind: 'operator', name: `矩阵测试运营机构${n}`, regionCode: '410122' };
    case 'tenancy_createUser':
      return { username: `mx${n}`.slice(0, 32), displayName: '矩阵测试', password: 'Matrix-Passw0rd!', orgId: target, roles: ['operator_admin'], marketIds: [] };
    case 'ledger_appendManual':
      return { kind: 'manual_note', occurredAt: new Date().toISOString(), title: '矩阵测试记录', note: '', attachments: [] };
    case 'ledger_correct':
      // Entry 1 of the demo markets is an employer registration: its credit code is correctable (issue 12, finding 6).
      return { reason: '矩阵测试更正', payload: { creditCode: '91350100M000100Y43' } };
    case 'registry_registerWorker':
      return { name: '矩阵零工', mobile: `139${String(counter).padStart(8, '0')}`, consent: true };
    case 'registry_createEmployer':
      return { kind: 'individual', name: `矩阵个体户${counter}`, contactName: '张师傅', contactPhone: '13912345678' };
    case 'registry_verifyEmployer':
      return { decision: 'verified', evidence: '现场核验营业执照与经营场所' };
    case 'registry_revealWorker':
      return { field: 'mobile' };
    case 'jobs_createPost':
      return postBody(fx.employers[MARKET_TENANT[target ?? '']], `矩阵岗位${n}`);
    case 'jobs_ingestPost':
      return { ...postBody(fx.employers[MARKET_TENANT[target ?? '']], `矩阵外部岗位${n}`), source: 'third_party', platform: 'matrix', externalId: n };
    case 'jobs_checkIn':
      return { workerId: fx.workers[MARKET_TENANT[target ?? '']] ?? randomUUID() };
    case 'jobs_referWageArrears':
      return { referredTo: '劳动保障监察大队', amountOwedFen: 10000, workersAffected: 1, description: '矩阵测试移送', referredAt: new Date().toISOString() };
    case 'tools_createTool':
      return { code: `MX-${n}`, name: '矩阵测试工具', category: 'simple', valueFen: 3000, depositFen: 1000 };
    case 'training_createDemand':
      return { workerId: fx.workers[MARKET_TENANT[target ?? '']] ?? randomUUID(), occupation: '电工', skill: '低压电工证' };
    case 'training_createCourse':
      return { title: `矩阵课程${n}`, occupation: '电工', hours: 4, mode: 'classroom', free: true };
    case 'training_createSession':
      // Sessions of one course never overlap: each call gets its own hour, a year ahead of the demo's sessions.
      return { trainer: '矩阵讲师', place: '矩阵培训室', startsAt: new Date(Date.now() + (365 * 24 + 2 * counter) * 3_600_000).toISOString(), endsAt: new Date(Date.now() + (365 * 24 + 2 * counter + 1) * 3_600_000).toISOString(), hours: 1 };
    case 'events_create':
      return { kind: 'fair', title: `矩阵招聘会${n}`, startsAt: new Date(Date.now() + 3_600_000).toISOString(), endsAt: new Date(Date.now() + 7_200_000).toISOString(), place: '矩阵广场' };
    case 'events_recordAttendance':
      return { workers: 10, employers: 2 };
    case 'assistance_recordHardship':
      return { categories: ['veteran'], consent: true };
    case 'assistance_placePublicWelfare':
      return { employerName: '矩阵测试街道办事处', postName: '社区保洁', startOn: '2026-12-01', endOn: '2027-11-30' };
    case 'assistance_addStep':
      return { kind: 'follow_up', occurredAt: new Date().toISOString(), note: '矩阵测试回访', outcome: 'still_seeking' };
    case 'assistance_createServiceRecord':
      return { kind: 'policy_consultation', workerId: fx.workers[MARKET_TENANT[target ?? '']] ?? randomUUID(), occurredAt: new Date().toISOString(), summary: '矩阵测试政策咨询' };
    case 'ledger_uploadAttachment':
      return { filename: 'matrix.txt', mime: 'text/plain', contentBase64: Buffer.from(`matrix ${n}`).toString('base64') };
    case 'markets_register': {
      const [regionCode, operatorId] = (target ?? '').split('|');
      const county = { '410122': '中牟县', '410184': '新郑市', '410327': '宜阳县' }[regionCode] ?? '中牟县';
      return { name: `${county}零工市场（矩阵${counter}）`, type: 'comprehensive', nature: 'public', mode: 'contracted', regionCode, operatorId, status: 'preparing' };
    }
    default:
      return undefined;
  }
}

describe('isolation matrix', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, { operationId: string }>> };
  const sessions = new Map<Roles, Session | null>();
  const events = { op1: '', op2: '', op3: '' };
  let attachmentHash = '';
  const workers = fx.workers;
  const employers = fx.employers;

  beforeAll(async () => {
    t = await bootApp();
    doc = (await t.http.get('/api/docs-json').expect(200)).body;
    for (const role of ROLES) sessions.set(role, role === 'anonymous' ? null : await login(t, role));
    await login(t, 'op3.admin');
    const up = await t.http.post('/api/v1/ledger/attachments').set((sessions.get('op1.admin') as Session).auth)
      .send({ filename: 'patrol.jpg', mime: 'image/jpeg', contentBase64: Buffer.from(`op1 photo ${Date.now()}`).toString('base64') }).expect(201);
    attachmentHash = up.body.hash;
    const op3 = await login(t, 'op3.admin');
    for (const [k, s, market, mobile] of [['op1', sessions.get('op1.admin'), 'm-zhongmu', '13700000001'], ['op2', sessions.get('op2.admin'), 'm-yiyang', '13700000002'], ['op3', op3, 'm-longhu', '13700000003']] as const) {
      const w = await t.http.post(`/api/v1/markets/${op(market)}/workers`).set((s as Session).auth).send({ name: `零工${k}`, mobile, consent: true }).expect(201);
      workers[k] = w.body.id;
      const e = await t.http.post(`/api/v1/markets/${op(market)}/employers`).set((s as Session).auth)
        .send({ kind: 'individual', name: `个体户${k}`, contactName: '王师傅', contactPhone: mobile }).expect(201);
      employers[k] = e.body.id;
      MARKET_TENANT[op(market)] = k;
      // A published post and a recommendation per tenant, for the 即时快招 routes (issue 4).
      await t.http.post(`/api/v1/employers/${e.body.id}/verification`).set((s as Session).auth).send({ decision: 'verified', evidence: '矩阵测试核验' }).expect(200);
      const p = await t.http.post(`/api/v1/markets/${op(market)}/posts`).set((s as Session).auth).send(postBody(e.body.id, `矩阵岗位${k}`)).expect(201);
      await t.http.post(`/api/v1/posts/${p.body.id}/review`).set((s as Session).auth).send({ decision: 'published' }).expect(200);
      fx.posts[k] = p.body.id;
      const pl = await t.http.post('/api/v1/placements').set((s as Session).auth).send({ postId: p.body.id, workerId: w.body.id }).expect(201);
      fx.placements[k] = pl.body.id;
      // A hotline complaint per tenant (issue 6).
      const cmp = await t.http.post('/api/v1/complaints').set((s as Session).auth)
        .send({ marketId: op(market), channel: 'hotline', category: 'dispute', content: `矩阵测试投诉${k}：现场纠纷`, anonymous: true }).expect(201);
      fx.complaints[k] = cmp.body.complaint.id;
      // A tool per tenant, for the tool rental routes (R-B11).
      const tl = await t.http.post(`/api/v1/markets/${op(market)}/tools`).set((s as Session).auth)
        .send({ code: `MX-${k}`, name: `矩阵工具${k}`, category: 'simple', valueFen: 3000, depositFen: 1000 }).expect(201);
      fx.tools[k] = tl.body.id;
      const c = await t.http.post(`/api/v1/markets/${op(market)}/training/courses`).set((s as Session).auth)
        .send({ title: `矩阵课程${k}`, occupation: '电工', hours: 4, mode: 'classroom', free: true }).expect(201);
      fx.courses[k] = c.body.id;
      const ses = await t.http.post(`/api/v1/training/courses/${c.body.id}/sessions`).set((s as Session).auth)
        .send({ trainer: '矩阵讲师', place: '矩阵培训室', startsAt: new Date(Date.now() - 600_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString(), hours: 1 }).expect(201);
      fx.sessions[k] = ses.body.id;
      const en = await t.http.post(`/api/v1/training/courses/${c.body.id}/enrolments`).set((s as Session).auth).send({ workerId: w.body.id }).expect(201);
      fx.enrolments[k] = en.body.id;
      const ev = await t.http.post(`/api/v1/markets/${op(market)}/events`).set((s as Session).auth)
        .send({ kind: 'fair', title: `矩阵招聘会${k}`, startsAt: new Date(Date.now() - 600_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString(), place: '矩阵广场' }).expect(201);
      fx.events[k] = ev.body.id;
      // A hardship record and an open assistance plan per tenant (issue 5).
      await t.http.post(`/api/v1/workers/${w.body.id}/hardship`).set((s as Session).auth).send({ categories: ['older_age'], consent: true }).expect(200);
      fx.plans[k] = (await t.http.post(`/api/v1/workers/${w.body.id}/assistance-plans`).set((s as Session).auth).send({ goal: '矩阵测试帮扶' }).expect(201)).body.id;
    }
    for (const k of ['op1', 'op2', 'op3'] as const) {
      const [row] = await t.owner.query(`SELECT id FROM audit_events WHERE tenant_id = $1 AND action = 'auth.login.success' ORDER BY occurred_at DESC LIMIT 1`, [op(k)]);
      events[k] = row.id;
    }
  });
  afterAll(() => t.close());

  it('has a declared expectation for every operation in the OpenAPI document', () => {
    const ops = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((m) => m.operationId));
    expect(ops.length).toBeGreaterThan(20);
    expect(ops.filter((id) => !EXPECTATIONS[id])).toEqual([]);
    expect(Object.keys(EXPECTATIONS).filter((id) => !ops.includes(id))).toEqual([]);
  });

  it('answers every route, role and target as declared', async () => {
    const mismatches: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const exp = EXPECTATIONS[operation.operationId];
        if (!exp || exp.kind === 'covered') continue;
        for (const role of ROLES) {
          const session = sessions.get(role);
          const declared = exp.expect[role].split(' ');
          const tg = targets(role, events, workers, employers);
          const list: (string | undefined)[] =
            exp.kind === 'collection' ? [undefined]
            : exp.subject === 'OrgForCreate' ? tg.Organisation
            : exp.subject === 'MarketForRegister' ? [`410122|${op('op1')}`, `410184|${op('op3')}`, `410327|${op('op2')}`, `410122|${randomUUID()}`]
            : tg[exp.subject as keyof typeof tg];
          for (let i = 0; i < list.length; i++) {
            const target = list[i];
            const roleDay = `2026-01-${String(ROLES.indexOf(role) + 1).padStart(2, '0')}`;
            const url = path
              .replace(/\{(id|code)\}/, target ?? '')
              .replace('{seq}', '1')
              .replace('{day}', roleDay)
              .replace('{hash}', attachmentHash) + (exp.query ?? '');
            let req = (t.http as unknown as Record<string, (u: string) => import('supertest').Test>)[method](url);
            if (session) req = req.set(session.auth);
            const body = bodyFor(operation.operationId, role, target) ?? ((exp.kind === 'item' && exp.body === 'empty') ? {} : undefined);
            const res = body ? await req.send(body) : await req;
            const label = ['own', 'other tenant', 'other region', 'missing'][i] ?? '';
            if (String(res.status) !== declared[i]) {
              mismatches.push(`${operation.operationId} ${method.toUpperCase()} ${url} as ${role} (${label}): got ${res.status}, declared ${declared[i]} ${res.status >= 400 ? JSON.stringify(res.body.title) : ''}`);
            }
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('never lists another tenant\'s or another region\'s markets or users', async () => {
    for (const role of ['county.reviewer', 'op1.admin', 'op1.desk', 'op2.admin'] as Roles[]) {
      const s = sessions.get(role) as Session;
      const markets = (await t.http.get('/api/v1/markets?pageSize=200').set(s.auth).expect(200)).body.items as { id: string; operatorId: string; regionCode: string }[];
      expect(markets.length).toBeGreaterThan(0);
      for (const m of markets) {
        if (role.startsWith('op')) expect(m.operatorId).toBe(s.user.tenantId);
        else expect(m.regionCode.startsWith('410122')).toBe(true);
      }
      const users = (await t.http.get('/api/v1/users?pageSize=200').set(s.auth).expect(200)).body.items as { tenantId: string | null; id: string }[];
      for (const u of users) expect(u.tenantId === s.user.tenantId || u.id === s.user.id).toBe(true);
    }
    const desk = sessions.get('op1.desk') as Session;
    const deskMarkets = (await t.http.get('/api/v1/markets').set(desk.auth).expect(200)).body.items as { id: string }[];
    expect(deskMarkets.map((m) => m.id)).toEqual([op('m-zhongmu')]);
  });
});
