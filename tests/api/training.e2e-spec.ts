import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { bootApp, freshTenant, login, tableCounts, type Session, type TestApp } from '../support/app';

/** A checksum-valid 18-digit ID number (GB 11643). */
function idNumber(birth: string, seq = 21): string {
  const body = `410122${birth.replace(/-/g, '')}${String(seq).padStart(2, '0')}1`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = body.split('').reduce((s, c, i) => s + Number(c) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}
/** A real 1×1 PNG, as the desk's signature pad sends it. */
const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const SIGNATURE = `data:image/png;base64,${PNG_B64}`;
const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
let phone = 13600000000 + (Date.now() % 1_000_000) * 10;
const nextPhone = () => String(++phone);
const binary = (res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
async function readSheet(buf: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  const out: string[][] = [];
  wb.worksheets[0].eachRow((row) => out.push(Array.from((row.values as unknown[]).slice(1), (v) => (v == null ? '' : String(v)))));
  return out;
}

/** Training (issue 5 §2, R-B10): demand → catalogue → sessions → enrolment → attendance → completion → certificate → 培训台账. */
describe('training', () => {
  let t: TestApp;
  let f: Awaited<ReturnType<typeof freshTenant>>;
  let admin: Session;
  let desk: Session;
  const api = (p: string) => `/api/v1${p}`;
  const worker = async (name: string, extra: Record<string, unknown> = {}) =>
    (await t.http.post(api(`/markets/${f.market.id}/workers`)).set(desk.auth).send({ name, mobile: nextPhone(), consent: true, ...extra }).expect(201)).body;
  const course = async (extra: Record<string, unknown> = {}) =>
    (await t.http.post(api(`/markets/${f.market.id}/training/courses`)).set(desk.auth).send({
      title: '低压电工实操培训', occupation: '电工', skill: '低压电工证', hours: 6, mode: 'classroom', free: true, completionPercent: 60, provider: '中牟县职业培训学校', ...extra,
    }).expect(201)).body;
  const session = async (courseId: string, from: number, to: number, hours = 2) =>
    (await t.http.post(api(`/training/courses/${courseId}/sessions`)).set(desk.auth).send({
      trainer: '王建国', place: '中牟县零工市场二楼培训室', startsAt: at(from), endsAt: at(to), hours,
    }).expect(201)).body;

  beforeAll(async () => {
    t = await bootApp();
    f = await freshTenant(t, 'tr');
    admin = await login(t, f.adminUser.username, f.password);
    desk = await login(t, f.deskUser.username, f.password);
  });
  afterAll(() => t.close());

  it('collects demand and shows which occupations lack a course', async () => {
    const a = await worker('欧阳培训');
    const b = await worker('上官学员');
    await t.http.post(api(`/markets/${f.market.id}/training/demands`)).set(desk.auth).send({ workerId: a.id, occupation: '焊工', skill: '氩弧焊' }).expect(201);
    const d = await t.http.post(api(`/markets/${f.market.id}/training/demands`)).set(desk.auth).send({ workerId: b.id, occupation: '育婴员' }).expect(201);
    expect(d.body).toMatchObject({ workerId: b.id, workerName: '上官学员', occupation: '育婴员', enrolled: false });
    const bad = await t.http.post(api(`/markets/${f.market.id}/training/demands`)).set(desk.auth).send({ workerId: b.id, occupation: '飞行员' }).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'occupation', message: '请从工种目录中选择' }]);
    await course({ title: '育婴员培训', occupation: '育婴员', skill: '' });
    const sum = (await t.http.get(api('/training/demand-summary')).query({ marketId: f.market.id }).set(desk.auth).expect(200)).body;
    expect(sum).toEqual([
      { occupation: '焊工', demands: 1, courses: 0, lacksCourse: true },
      { occupation: '育婴员', demands: 1, courses: 1, lacksCourse: false },
    ]);
    const list = (await t.http.get(api('/training/demands')).query({ marketId: f.market.id }).set(desk.auth).expect(200)).body;
    expect(list.total).toBe(2);
    expect(list.items.find((x: { occupation: string }) => x.occupation === '育婴员').enrolled).toBe(false);
  });

  it('runs sessions, desk-signed and QR attendance (refused outside the session), completion, certificate and the subsidy reasons', async () => {
    const a = await worker('欧阳电工', { idNumber: idNumber('1988-04-12') });
    const b = await worker('上官电工');
    const c = await course();
    // Two back-to-back sessions both open for sign-in now (sessions of one course never overlap).
    const s1 = await session(c.id, -100, 20);
    const s2 = await session(c.id, 20, 140);
    const s3 = await session(c.id, 24 * 60, 26 * 60);
    const bad = await t.http.post(api(`/training/courses/${c.id}/sessions`)).set(desk.auth).send({ trainer: '王建国', place: '培训室', startsAt: at(60), endsAt: at(30), hours: 1 }).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'endsAt', message: '下课时间须晚于开课时间' }]);
    const ea = (await t.http.post(api(`/training/courses/${c.id}/enrolments`)).set(desk.auth).send({ workerId: a.id }).expect(201)).body;
    const eb = (await t.http.post(api(`/training/courses/${c.id}/enrolments`)).set(desk.auth).send({ workerId: b.id }).expect(201)).body;
    await t.http.post(api(`/training/courses/${c.id}/enrolments`)).set(desk.auth).send({ workerId: a.id }).expect(409);
    expect(ea).toMatchObject({ status: 'enrolled', totalSessions: 3, attendedSessions: 0, requiredHours: 3.6, subsidyEligible: false });

    // Signed on the desk screen: the PNG is kept with its SM3 hash, which the work log carries.
    const sig = await t.http.post(api(`/training/sessions/${s1.id}/attendance`)).set(desk.auth).send({ enrolmentId: ea.id, signature: SIGNATURE }).expect(201);
    const sm3 = createHash('sm3').update(Buffer.from(PNG_B64, 'base64')).digest('hex');
    expect(sig.body).toMatchObject({ method: 'signature', signatureHash: sm3, hashAlg: 'sm3', enrolmentId: ea.id });
    const png = await t.http.get(api(`/training/attendance/${sig.body.id}/signature`)).set(admin.auth).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(png.body as Buffer, Buffer.from(PNG_B64, 'base64'))).toBe(0);
    expect(png.headers['x-content-hash']).toBe(sm3);
    const views = await t.owner.query(`SELECT actor_username FROM audit_events WHERE action = 'training.signature_view' AND subject_id = $1`, [sig.body.id]);
    expect(views).toEqual([{ actor_username: f.adminUser.username }]);
    await t.http.post(api(`/training/sessions/${s1.id}/attendance`)).set(desk.auth).send({ enrolmentId: ea.id, signature: SIGNATURE }).expect(409);
    await t.http.post(api(`/training/sessions/${s2.id}/attendance`)).set(desk.auth).send({ enrolmentId: ea.id, signature: SIGNATURE }).expect(201);

    // A session that has not started (or has ended) refuses attendance, and nothing is stored.
    const before = await tableCounts(t);
    const early = await t.http.post(api(`/training/sessions/${s3.id}/attendance`)).set(desk.auth).send({ enrolmentId: ea.id, signature: SIGNATURE }).expect(422);
    expect(early.body.title).toBe('现在不在本次课的签到时间内（开课前 30 分钟至下课），不能签到');
    expect(early.body.errors).toEqual([{ field: 'sessionId', message: '现在不在本次课的签到时间内（开课前 30 分钟至下课），不能签到' }]);
    expect(Date.parse(early.body.opensAt)).toBe(Date.parse(s3.startsAt) - 30 * 60_000);
    const past = await course({ title: '已结束的课' });
    const ended = await session(past.id, -5 * 60, -3 * 60);
    const ep = (await t.http.post(api(`/training/courses/${past.id}/enrolments`)).set(desk.auth).send({ workerId: a.id }).expect(201)).body;
    const before2 = await tableCounts(t);
    const late = await t.http.post(api(`/training/sessions/${ended.id}/attendance`)).set(desk.auth).set('Accept-Language', 'en').send({ enrolmentId: ep.id, signature: SIGNATURE }).expect(422);
    expect(late.body.errors[0].message).toMatch(/Sign-in is not open now/);
    const notPng = await t.http.post(api(`/training/sessions/${s1.id}/attendance`)).set(desk.auth).send({ enrolmentId: eb.id, signature: 'data:image/png;base64,aGVsbG8gd29ybGQ=' }).expect(400);
    expect(notPng.body.errors).toEqual([{ field: 'signature', message: '请让学员在屏幕上签名（PNG 图片）' }]);
    expect(await tableCounts(t)).toEqual(before2);
    expect(before2['training_attendance']).toBe(before['training_attendance']);

    // By QR: the classroom shows the session's code; the trainee's phone opens it and types the mobile.
    const code = (await t.http.post(api(`/training/sessions/${s1.id}/qr-code`)).set(desk.auth).expect(200)).body.token;
    const [{ qr_token_hash }] = await t.owner.query('SELECT qr_token_hash FROM training_sessions WHERE id = $1', [s1.id]);
    expect(qr_token_hash).toBe(createHash('sha256').update(code).digest('hex'));
    const seen = await t.http.get(api(`/public/training-sessions/${code}`)).expect(200);
    expect(seen.body).toMatchObject({ courseTitle: '低压电工实操培训', trainer: '王建国', hours: 2 });
    const bMobile = (await t.http.post(api(`/workers/${b.id}/reveal`)).set(admin.auth).send({ field: 'mobile' }).expect(200)).body.value;
    const qr = await t.http.post(api(`/public/training-sessions/${code}/attendance`)).send({ mobile: bMobile }).expect(200);
    expect(qr.body).toMatchObject({ status: 'signed_in', name: '上**' });
    expect((await t.http.post(api(`/public/training-sessions/${code}/attendance`)).send({ mobile: bMobile }).expect(200)).body.status).toBe('already_signed_in');
    // An unknown number and a registered but not enrolled one get the same answer (no registration oracle).
    const unknown = await t.http.post(api(`/public/training-sessions/${code}/attendance`)).send({ mobile: '13000000000' }).expect(422);
    const stranger = await worker('未报名者');
    const strangerMobile = (await t.http.post(api(`/workers/${stranger.id}/reveal`)).set(admin.auth).send({ field: 'mobile' }).expect(200)).body.value;
    const notEnrolled = await t.http.post(api(`/public/training-sessions/${code}/attendance`)).send({ mobile: strangerMobile }).expect(422);
    expect({ ...unknown.body, requestId: null }).toEqual({ ...notEnrolled.body, requestId: null });
    expect(unknown.body.title).toBe('该人员未报名此课程，请先报名');
    await t.http.get(api('/public/training-sessions/not-a-real-code-at-all-xx')).expect(404);
    const code3 = (await t.http.post(api(`/training/sessions/${s3.id}/qr-code`)).set(desk.auth).expect(200)).body.token;
    await t.http.post(api(`/public/training-sessions/${code3}/attendance`)).send({ mobile: bMobile }).expect(422);

    // Completion needs the required share of hours: A has 4 of 6 (≥ 3.6), B has 2.
    const short = await t.http.post(api(`/training/enrolments/${eb.id}/completion`)).set(desk.auth).expect(409);
    expect(short.body).toMatchObject({ title: '出勤学时未达到结业要求，不能结业', attendedHours: 2, requiredHours: 3.6 });
    await t.http.post(api(`/training/enrolments/${eb.id}/certificate`)).set(desk.auth).send({ number: 'ZM-2026-0001', issuedOn: '2026-01-05' }).expect(409);
    const done = await t.http.post(api(`/training/enrolments/${ea.id}/completion`)).set(desk.auth).expect(200);
    expect(done.body).toMatchObject({ status: 'completed', attendedHours: 4, attendedSessions: 2, totalSessions: 3 });
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const future = await t.http.post(api(`/training/enrolments/${ea.id}/certificate`)).set(desk.auth).send({ number: 'ZM-2026-0001', issuedOn: '2099-01-01' }).expect(422);
    expect(future.body.errors).toEqual([{ field: 'issuedOn', message: '发证日期不能晚于今天' }]);
    await t.http.post(api(`/training/enrolments/${ea.id}/certificate`)).set(desk.auth).send({ number: 'ZM-2026-0001', issuedOn: '2020-01-01' }).expect(422);
    const cert = await t.http.post(api(`/training/enrolments/${ea.id}/certificate`)).set(desk.auth).send({ number: 'ZM-2026-0001', issuedOn: today }).expect(200);
    expect(cert.body).toMatchObject({ certificateNumber: 'ZM-2026-0001', certificateIssuedOn: today, subsidyEligible: false });
    expect(cert.body.subsidyReasons).toEqual([
      { code: 'all_sessions_attended', ok: false, detail: '2/3' },
      { code: 'hours_complete', ok: true, detail: '4/3.6' },
      { code: 'id_number_on_file', ok: true, detail: '' },
      { code: 'certificate_issued', ok: true, detail: 'ZM-2026-0001' },
    ]);
    const bView = (await t.http.get(api(`/training/enrolments/${eb.id}`)).set(desk.auth).expect(200)).body;
    expect(bView.subsidyReasons.filter((r: { ok: boolean }) => !r.ok).map((r: { code: string }) => r.code)).toEqual(['all_sessions_attended', 'hours_complete', 'id_number_on_file', 'certificate_issued']);
    expect(bView.attendance).toEqual([expect.objectContaining({ method: 'qr', signatureHash: null })]);

    // Every step is in the market's work log, chained.
    const kinds = (await t.owner.query('SELECT kind, payload FROM ledger_entries WHERE market_id = $1 ORDER BY seq', [f.market.id])) as { kind: string; payload: Record<string, unknown> }[];
    const names = kinds.map((k) => k.kind);
    for (const k of ['training_demand', 'training_plan', 'training_enrolment', 'training_attendance', 'training_completion']) expect(names).toContain(k);
    expect(kinds.filter((k) => k.kind === 'training_attendance').map((k) => k.payload['signatureHash'])).toEqual([sm3, sm3, null]);
    expect(kinds.filter((k) => k.kind === 'training_completion').map((k) => k.payload['step'])).toEqual(['completed', 'certificate']);
    const v = await t.http.get(api(`/markets/${f.market.id}/ledger/verify`)).query({ from: '2026-01-01', to: '2026-12-31' }).set(admin.auth).expect(200);
    expect(v.body.ok).toBe(true);
  });

  it('refuses a session over 12 hours, an overlapping session of the course, and a trainee already signed in for an overlapping session (desk and QR)', async () => {
    const c = await course({ title: '叉车司机培训' });
    const before = await tableCounts(t);
    const long = await t.http.post(api(`/training/courses/${c.id}/sessions`)).set(desk.auth).send({ trainer: '王建国', place: '培训室', startsAt: at(60), endsAt: at(60 + 13 * 60), hours: 2 }).expect(400);
    expect(long.body.errors).toEqual([{ field: 'endsAt', message: '一次课从开课到下课不能超过 12 小时' }]);
    expect(await tableCounts(t)).toEqual(before);
    const sA = await session(c.id, -30, 90);
    const before2 = await tableCounts(t);
    const clash = await t.http.post(api(`/training/courses/${c.id}/sessions`)).set(desk.auth).send({ trainer: '李老师', place: '培训室', startsAt: at(60), endsAt: at(150), hours: 1 }).expect(409);
    expect(clash.body.title).toBe('本课程在这段时间已有一次课，同一课程的课次时间不能重叠');
    const clashEn = await t.http.post(api(`/training/courses/${c.id}/sessions`)).set(desk.auth).set('Accept-Language', 'en').send({ trainer: '李老师', place: '培训室', startsAt: at(-60), endsAt: at(0), hours: 1 }).expect(409);
    expect(clashEn.body.title).toMatch(/sessions of one course cannot overlap/);
    expect(await tableCounts(t)).toEqual(before2);
    const c2 = await course({ title: '电焊工培训' });
    const sB = await session(c2.id, -10, 120);
    const mobile = nextPhone();
    const w = await worker('欧阳叉车', { mobile });
    const e1 = (await t.http.post(api(`/training/courses/${c.id}/enrolments`)).set(desk.auth).send({ workerId: w.id }).expect(201)).body;
    const e2 = (await t.http.post(api(`/training/courses/${c2.id}/enrolments`)).set(desk.auth).send({ workerId: w.id }).expect(201)).body;
    await t.http.post(api(`/training/sessions/${sA.id}/attendance`)).set(desk.auth).send({ enrolmentId: e1.id, signature: SIGNATURE }).expect(201);
    const before3 = await tableCounts(t);
    const twice = await t.http.post(api(`/training/sessions/${sB.id}/attendance`)).set(desk.auth).send({ enrolmentId: e2.id, signature: SIGNATURE }).expect(409);
    expect(twice.body.title).toBe('该学员已在同一时间段的另一次课签到，不能重复签到');
    const code = (await t.http.post(api(`/training/sessions/${sB.id}/qr-code`)).set(desk.auth).expect(200)).body.token;
    const before4 = await tableCounts(t);
    const qr = await t.http.post(api(`/public/training-sessions/${code}/attendance`)).send({ mobile }).expect(409);
    expect(qr.body.title).toBe('该学员已在同一时间段的另一次课签到，不能重复签到');
    expect(await tableCounts(t)).toEqual(before4);
    expect(before4['training_attendance']).toBe(before3['training_attendance']);

    // The same trainee signing in twice at once (two taps, two phones): one is signed in, the other told so.
    const w2Mobile = nextPhone();
    const w2 = await worker('上官并发', { mobile: w2Mobile });
    await t.http.post(api(`/training/courses/${c2.id}/enrolments`)).set(desk.auth).send({ workerId: w2.id }).expect(201);
    const both = await Promise.all([0, 1, 2].map(() => t.http.post(api(`/public/training-sessions/${code}/attendance`)).send({ mobile: w2Mobile })));
    expect(both.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(both.map((r) => r.body.status).sort()).toEqual(['already_signed_in', 'already_signed_in', 'signed_in']);
    const [{ n }] = await t.owner.query('SELECT count(*)::int AS n FROM training_attendance WHERE session_id = $1 AND worker_id = $2', [sB.id, w2.id]);
    expect(n).toBe(1);
  });

  it('lets the app role change a session\'s QR code only, never its time or hours', async () => {
    const c = await course({ title: '学时不可改课' });
    const s = await session(c.id, 24 * 60, 26 * 60);
    const app = new Client({ connectionString: t.config.DATABASE_URL });
    await app.connect();
    const tenant = { tenant_id: f.org.id, org_kind: 'operator', org_id: f.org.id };
    const asApp = async (sql: string): Promise<string> => {
      await app.query('BEGIN');
      try {
        for (const [k, v] of Object.entries(tenant)) await app.query('SELECT set_config($1, $2, true)', [`app.${k}`, v]);
        return `${(await app.query(sql, [s.id])).rowCount}`;
      } catch (e) {
        return (e as Error).message;
      } finally {
        await app.query('ROLLBACK');
      }
    };
    try {
      expect(await asApp('UPDATE training_sessions SET hours = 99 WHERE id = $1')).toMatch(/permission denied/);
      expect(await asApp(`UPDATE training_sessions SET starts_at = starts_at - interval '1 day' WHERE id = $1`)).toMatch(/permission denied/);
      expect(await asApp(`UPDATE training_sessions SET qr_token_hash = 'x' WHERE id = $1`)).toBe('1');
    } finally {
      await app.end();
    }
  });

  it('shows a trainee\'s later referrals and hires (培训+技能+推荐+就业)', async () => {
    const w = await worker('欧阳就业', { occupations: ['电工'] });
    const c = await course({ title: '电工复训' });
    const e = (await t.http.post(api(`/training/courses/${c.id}/enrolments`)).set(desk.auth).send({ workerId: w.id }).expect(201)).body;
    expect(e.laterPlacements).toEqual([]);
    const emp = (await t.http.post(api(`/markets/${f.market.id}/employers`)).set(desk.auth)
      .send({ kind: 'company', name: '中牟县恒通电气安装有限公司', creditCode: '91350100M000100Y43', contactName: '孙经理', contactPhone: '13900002222' }).expect(201)).body;
    await t.http.post(api(`/employers/${emp.id}/verification`)).set(admin.auth).send({ decision: 'verified', evidence: '营业执照原件已核验' }).expect(200);
    const p = (await t.http.post(api(`/markets/${f.market.id}/posts`)).set(desk.auth).send({
      employerId: emp.id, occupation: '电工', title: '厂房线路改造电工', headcount: 1, wageFen: 32000, wageUnit: 'day', period: 'same_day', startAt: at(120), place: '中牟县汽车产业园',
    }).expect(201)).body;
    await t.http.post(api(`/posts/${p.id}/review`)).set(admin.auth).send({ decision: 'published' }).expect(200);
    const pl = (await t.http.post(api('/placements')).set(desk.auth).send({ postId: p.id, workerId: w.id }).expect(201)).body;
    await t.http.post(api(`/placements/${pl.id}/confirm`)).set(desk.auth).send({ party: 'both' }).expect(200);
    const after = (await t.http.get(api(`/training/enrolments/${e.id}`)).set(desk.auth).expect(200)).body;
    expect(after.laterPlacements).toEqual([expect.objectContaining({ placementId: pl.id, postTitle: '厂房线路改造电工', status: 'confirmed', sameOccupation: true })]);
  });

  it('exports the training ledger (培训台账) as a readable .xlsx, masked, in the caller\'s language', async () => {
    const res = await t.http.get(api('/training/ledger')).query({ marketId: f.market.id }).set(admin.auth).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    const rows = await readSheet(res.body as Buffer);
    expect(rows[0].slice(0, 3)).toEqual(['序号', '市场', '课程']);
    const a = rows.find((r) => r[9] === '欧阳电工' && r[2] === '低压电工实操培训');
    expect(a).toBeDefined();
    expect(a?.[10]).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(a?.[11]).toMatch(/\*/);
    expect(a?.slice(12, 17)).toEqual(['2', '3', '4', '3.6', '已结业']);
    expect(a?.[18]).toBe('ZM-2026-0001');
    expect(a?.[20]).toBe('否');
    expect(a?.[21]).toBe('未满足：全勤');
    expect(JSON.stringify(rows)).not.toMatch(/1988041221/);
    const en = await t.http.get(api('/training/ledger')).query({ marketId: f.market.id }).set(admin.auth).set('Accept-Language', 'en').buffer(true).parse(binary).expect(200);
    expect((await readSheet(en.body as Buffer))[0].slice(0, 3)).toEqual(['No.', 'Market', 'Course']);
    const other = await login(t, 'op2.admin');
    const theirs = await t.http.get(api('/training/ledger')).query({ marketId: f.market.id }).set(other.auth).buffer(true).parse(binary).expect(200);
    expect(await readSheet(theirs.body as Buffer)).toHaveLength(1);
    const [audit] = await t.owner.query(`SELECT summary FROM audit_events WHERE action = 'training.ledger_export' AND actor_username = $1 ORDER BY occurred_at DESC LIMIT 1`, [f.adminUser.username]);
    expect(audit.summary).toMatchObject({ marketId: f.market.id });
  });

  it('refuses every write to another tenant (404), an authority (403) and anonymous (401), changing nothing; authorities read', async () => {
    const w = await worker('隔离学员');
    const c = await course({ title: '隔离测试课' });
    const s = await session(c.id, -30, 60, 1);
    const e = (await t.http.post(api(`/training/courses/${c.id}/enrolments`)).set(desk.auth).send({ workerId: w.id }).expect(201)).body;
    const writes: [string, Record<string, unknown>][] = [
      [`/markets/${f.market.id}/training/demands`, { workerId: w.id, occupation: '电工' }],
      [`/markets/${f.market.id}/training/courses`, { title: '越权课程', occupation: '电工', hours: 2, mode: 'online', free: true }],
      [`/training/courses/${c.id}/sessions`, { trainer: '李老师', place: '线上', startsAt: at(60), endsAt: at(120), hours: 1 }],
      [`/training/courses/${c.id}/enrolments`, { workerId: w.id }],
      [`/training/sessions/${s.id}/qr-code`, {}],
      [`/training/sessions/${s.id}/attendance`, { enrolmentId: e.id, signature: SIGNATURE }],
      [`/training/enrolments/${e.id}/completion`, {}],
      [`/training/enrolments/${e.id}/certificate`, { number: 'GL-0001', issuedOn: '2026-01-05' }],
    ];
    const other = await login(t, 'op2.admin');
    const county = await login(t, 'county.reviewer');
    const before = await tableCounts(t);
    for (const [url, body] of writes) {
      const label = `POST ${url}`;
      expect([label, (await t.http.post(api(url)).send(body)).status]).toEqual([label, 401]);
      expect([label, (await t.http.post(api(url)).set(other.auth).send(body)).status]).toEqual([label, 404]);
      expect([label, (await t.http.post(api(url)).set(county.auth).send(body)).status]).toEqual([label, 403]);
    }
    expect(await tableCounts(t)).toEqual(before);
    await t.http.get(api(`/training/courses/${c.id}`)).set(other.auth).expect(404);
    await t.http.get(api(`/training/enrolments/${e.id}`)).set(other.auth).expect(404);
    const seen = await t.http.get(api(`/training/courses/${c.id}`)).set(county.auth).expect(200);
    expect(seen.body.sessionList).toHaveLength(1);
    expect((await t.http.get(api('/training/courses')).query({ marketId: f.market.id }).set(other.auth).expect(200)).body.total).toBe(0);
  });
});
