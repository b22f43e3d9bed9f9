import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadConfig, type AppConfig } from '@linggong/api-core';
import { OCCUPATION_NAMES, complaintDeadlines, creditCodeValid, idCardValid } from '@linggong/domain';
import { reset } from '../../tools/db/db';
import { FULL_HISTORY_DAYS, activityMarkets, demoHazards, seedDemo, simulateDemo } from '../../tools/db/demo-seed';
import { shanghaiDayOf } from '../../tools/db/demo-activity';
import { Pii } from '@linggong/api-core';
import { TierRecomputation } from '@linggong/api-assistance';
import { bootApp, demoId, login, tableCounts, type TestApp } from '../support/app';

/**
 * The demo `db setup` builds (issue 4): 90 sealed days of 即时快招 activity at every demo market, in
 * its own database beside the suite's (`<test db>_demo`, dropped afterwards), checked through the
 * API as an auditor would — every market's work log verifies — and for the patterns and the
 * bookkeeping analytics will rely on.
 */
const MARKETS = ['m-zhongmu', 'm-guandu', 'm-xinzheng', 'm-longhu', 'm-yiyang', 'm-sanxiang'];
const TODAY = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const FROM = addDays(TODAY, -FULL_HISTORY_DAYS);

describe('demo seed: 90 days of 即时快招 activity', () => {
  let t: TestApp;
  let config: AppConfig;
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.owner.query(sql, params) as Promise<T[]>;

  beforeAll(async () => {
    const base = loadConfig();
    const db = `${new URL(base.DATABASE_URL).pathname.slice(1)}_demo`;
    const swap = (url: string) => url.replace(/\/[^/?]*(\?|$)/, `/${db}$1`);
    const urls = { DATABASE_URL: swap(base.DATABASE_URL), DATABASE_OWNER_URL: swap(base.DATABASE_OWNER_URL) };
    config = loadConfig({ ...process.env, ...urls });
    const log = console.log;
    console.log = () => undefined;
    try {
      await reset(config, { activity: 'full' });
    } finally {
      console.log = log;
    }
    t = await bootApp(urls);
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    const admin = new Client({ connectionString: config.DATABASE_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${new URL(config.DATABASE_URL).pathname.slice(1)}" WITH (FORCE)`);
    await admin.end();
  });

  it('every demo market\'s work log verifies through the API: 90 sealed days with receipts, today open', async () => {
    const county = await login(t, 'admin');
    for (const key of MARKETS) {
      const id = demoId(key);
      const v = await t.http.get(`/api/v1/markets/${id}/ledger/verify`).query({ from: FROM, to: TODAY }).set(county.auth).expect(200);
      const [{ n }] = await q<{ n: number }>('SELECT count(*)::int AS n FROM ledger_entries WHERE market_id = $1', [id]);
      expect([key, v.body]).toMatchObject([key, { ok: true, firstBad: null, seals: FULL_HISTORY_DAYS, receipts: FULL_HISTORY_DAYS, entries: n }]);
      const [head] = await q<{ s: string; last_seq: string }>(`SELECT to_char(sealed_through, 'YYYY-MM-DD') AS s, last_seq FROM ledger_heads WHERE market_id = $1`, [id]);
      expect([key, head.s, Number(head.last_seq)]).toEqual([key, addDays(TODAY, -1), n]);
    }
    // The market's daily-log view: every past day sealed and verified, today open.
    const manager = await login(t, 'op1.manager');
    const days = (await t.http.get(`/api/v1/markets/${demoId('m-zhongmu')}/ledger/days`).query({ from: FROM, to: TODAY }).set(manager.auth).expect(200)).body as { businessDay: string; sealed: boolean; verification: string; count: number }[];
    expect(days).toHaveLength(FULL_HISTORY_DAYS + 1);
    expect(days.filter((d) => d.businessDay < TODAY).every((d) => d.sealed && d.verification === 'verified' && d.count > 0)).toBe(true);
    expect(days.find((d) => d.businessDay === TODAY)).toMatchObject({ sealed: false });
    // The county reviewer sees its own markets' seals, and each matches the receipt it holds.
    const reviewer = await login(t, 'county.reviewer');
    const seals = (await t.http.get('/api/v1/ledger/seals').query({ from: FROM, to: TODAY }).set(reviewer.auth).expect(200)).body as { marketId: string; receipt: boolean; verification: string }[];
    expect(new Set(seals.map((s) => s.marketId))).toEqual(new Set([demoId('m-zhongmu'), demoId('m-guandu')]));
    expect(seals.every((s) => s.receipt && s.verification !== 'broken')).toBe(true);
  });

  it('shows the weekly rhythm: more check-ins, posts and hires on working days than at weekends', async () => {
    const rows = await q<{ dow: number; ci: number; posts: number; hires: number }>(`
      WITH d AS (SELECT generate_series($1::date, $2::date - 1, '1 day')::date AS day)
      SELECT extract(isodow FROM d.day)::int AS dow,
        avg((SELECT count(*) FROM check_ins c WHERE c.day = d.day))::float8 AS ci,
        avg((SELECT count(*) FROM posts p WHERE (p.start_at AT TIME ZONE 'Asia/Shanghai')::date = d.day))::float8 AS posts,
        avg((SELECT count(*) FROM placements pl WHERE pl.status = 'completed' AND (pl.started_at AT TIME ZONE 'Asia/Shanghai')::date = d.day))::float8 AS hires
      FROM d WHERE to_char(d.day, 'MM-DD') NOT BETWEEN '10-01' AND '10-07' GROUP BY 1 ORDER BY 1`, [FROM, TODAY]);
    const avg = (days: number[], k: 'ci' | 'posts' | 'hires') => rows.filter((r) => days.includes(r.dow)).reduce((s, r) => s + r[k], 0) / days.length;
    for (const k of ['ci', 'posts', 'hires'] as const) {
      const weekday = avg([1, 2, 3, 4, 5], k);
      const weekend = avg([6, 7], k);
      expect([k, weekday > weekend * 1.35]).toEqual([k, true]);
      expect([k, avg([6], k) > avg([7], k)]).toEqual([k, true]);
    }
    // Every day has activity, and the markets grew into it (the first weeks are quieter).
    const perDay = await q<{ day: string; n: number }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, count(*)::int AS n FROM check_ins GROUP BY 1 ORDER BY 1`);
    // (Around the Spring Festival a small station may see nobody for a day or two.)
    expect(perDay.length).toBeGreaterThan(FULL_HISTORY_DAYS - 10);
    expect(perDay[0].day).toBe(FROM);
  });

  it('keeps the books straight: counters, statuses and one work-log entry per business event, with ids and no personal data', async () => {
    // Worker counters and dates follow from the placements and check-ins.
    const [bad] = await q<{ n: number }>(`
      SELECT count(*)::int AS n FROM workers w WHERE
        w.completed_count <> (SELECT count(*) FROM placements p WHERE p.worker_id = w.id AND p.status = 'completed')
        OR w.no_show_count <> (SELECT count(*) FROM placements p WHERE p.worker_id = w.id AND p.status = 'no_show' AND p.no_show_party = 'worker')
        OR w.last_seen_on IS DISTINCT FROM (SELECT max(day) FROM check_ins c WHERE c.worker_id = w.id)
        OR w.last_worked_on IS DISTINCT FROM (SELECT max((coalesce(p.completed_at, p.started_at) AT TIME ZONE 'Asia/Shanghai')::date) FROM placements p WHERE p.worker_id = w.id AND p.started_at IS NOT NULL)`);
    expect(bad.n).toBe(0);
    const [posts] = await q<{ n: number }>(`
      SELECT count(*)::int AS n FROM posts p WHERE p.hired_count <> (SELECT count(*) FROM placements x WHERE x.post_id = p.id AND x.status IN ('confirmed', 'started', 'completed'))
        OR (p.status = 'filled') <> (p.hired_count >= p.headcount AND p.status NOT IN ('rejected', 'withdrawn'))
        OR (p.status IN ('published', 'pending_review') AND p.expires_at < now() - interval '1 hour')`);
    expect(posts.n).toBe(0);
    const [flags] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM employers e WHERE e.open_flags <> (SELECT count(*) FROM employer_flags f WHERE f.employer_id = e.id)`);
    expect(flags.n).toBe(0);
    // Nothing happened in the future.
    const [future] = await q<{ n: number }>(`SELECT (SELECT count(*) FROM ledger_entries WHERE recorded_at > now()) + (SELECT count(*) FROM check_ins WHERE checked_in_at > now())
      + (SELECT count(*) FROM placements WHERE updated_at > now()) + (SELECT count(*) FROM posts WHERE created_at > now()) AS n`);
    expect(Number(future.n)).toBe(0);
    // One entry per event, naming the row by id.
    const missing = await q<{ what: string; n: number }>(`
      SELECT 'check_in' AS what, count(*)::int AS n FROM check_ins c WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.market_id = c.market_id AND e.kind = 'check_in' AND e.payload->>'checkInId' = c.id::text)
      UNION ALL SELECT 'registration', count(*)::int FROM workers w WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.kind = 'registration' AND e.subject_id = w.id::text)
      UNION ALL SELECT 'post_submitted', count(*)::int FROM posts p WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.kind = 'post_submitted' AND e.subject_id = p.id::text)
      UNION ALL SELECT 'review', count(*)::int FROM posts p WHERE p.reviewed_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.kind IN ('post_published', 'post_rejected') AND e.subject_id = p.id::text)
      UNION ALL SELECT 'expired', count(*)::int FROM posts p WHERE p.status = 'expired' AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.kind = 'post_closed' AND e.subject_id = p.id::text)
      UNION ALL SELECT 'match', count(*)::int FROM placements p WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.kind = 'match' AND e.subject_id = p.id::text)
      UNION ALL SELECT 'settlement', count(*)::int FROM placements p WHERE p.status = 'completed' AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.kind = 'settlement' AND e.subject_id = p.id::text AND (e.payload->>'amountPaidFen')::int = p.amount_paid_fen)
      UNION ALL SELECT 'no_show', count(*)::int FROM placements p WHERE p.status = 'no_show' AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.kind = 'no_show' AND e.subject_id = p.id::text)
      UNION ALL SELECT 'cancellation', count(*)::int FROM placements p WHERE p.status = 'cancelled' AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.kind = 'cancellation' AND e.subject_id = p.id::text)
      UNION ALL SELECT 'refusal', count(*)::int FROM compliance_refusals r WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.kind = 'compliance_refusal' AND e.payload->>'workerId' = r.worker_id::text)
      UNION ALL SELECT 'flag', count(*)::int FROM employer_flags f WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.kind IN ('non_payment_report', 'wage_referral') AND e.payload->>'flagId' = f.id::text)
      UNION ALL SELECT 'sanction', count(*)::int FROM worker_sanctions s WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.kind = 'worker_sanction' AND e.payload->>'sanctionId' = s.id::text)`);
    expect(missing.filter((m) => m.n > 0)).toEqual([]);
    const kinds = (await q<{ kind: string }>('SELECT DISTINCT kind FROM ledger_entries')).map((r) => r.kind);
    for (const k of ['registration', 'employer_registration', 'employer_verification', 'post_submitted', 'post_published', 'post_rejected', 'post_closed', 'check_in', 'match',
      'hire_confirmed', 'hire_started', 'settlement', 'no_show', 'cancellation', 'non_payment_report', 'wage_referral', 'compliance_refusal', 'worker_sanction', 'appeal']) {
      expect([k, kinds.includes(k)]).toEqual([k, true]);
    }
    // The work log records events, not people: no worker's name or masked phone in any payload.
    const [leak] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entries e JOIN workers w ON w.id::text = coalesce(e.payload->>'workerId', e.subject_id)
      WHERE e.payload::text LIKE '%' || w.name || '%'`);
    expect(leak.n).toBe(0);
    const [phones] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entries WHERE payload::text ~ '(^|[^0-9])1[3-9][0-9]{9}([^0-9]|$)'`);
    expect(phones.n).toBe(0);
    // The rare stories: a refusal with its legal basis, a removal overturned on appeal, flagged employers — at several operators.
    const tenants = async (table: string) => (await q<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM ${table}`)).map((r) => r.tenant_id);
    for (const table of ['posts', 'check_ins', 'placements', 'compliance_refusals', 'worker_sanctions', 'employer_flags']) {
      const ts = await tenants(table);
      expect([table, ts.includes(demoId('op1')), ts.length >= 2]).toEqual([table, true, true]);
    }
    const [appeal] = await q<{ status: string; same: boolean }>(`SELECT status, decided_by = created_by AS same FROM worker_sanctions WHERE kind = 'removal'`);
    expect(appeal).toEqual({ status: 'overturned', same: false });
    const refusals = await q<{ rule: string; legal_source: string }>('SELECT rule, legal_source FROM compliance_refusals');
    expect(refusals.map((r) => r.rule)).toEqual(expect.arrayContaining(['prohibited_for_women', 'under_16', 'gender_unknown_for_hazard']));
    expect(refusals.every((r) => r.legal_source.includes('《'))).toBe(true);
  });

  it('looks like the real thing: dictionary occupations by market, plausible wages, valid identity numbers, encrypted contact data', async () => {
    const occ = await q<{ o: string }>('SELECT DISTINCT unnest(occupations) AS o FROM workers UNION SELECT DISTINCT occupation FROM posts');
    expect(occ.map((r) => r.o).filter((o) => !OCCUPATION_NAMES.includes(o))).toEqual([]);
    const top = async (key: string) => (await q<{ o: string }>(`SELECT occupation AS o FROM posts WHERE market_id = $1 GROUP BY 1 ORDER BY count(*) DESC LIMIT 3`, [demoId(key)])).map((r) => r.o);
    expect(await top('m-guandu')).toContain('农业采摘工');
    expect((await top('m-xinzheng')).some((o) => ['快递分拣员', '普工', '装卸搬运工', '仓库理货员'].includes(o))).toBe(true);
    // Day wages around the dictionary's reference, red flags where they are due.
    const [wages] = await q<{ inside: number; all: number }>(`SELECT count(*) FILTER (WHERE wage_fen BETWEEN 8000 AND 60000)::int AS inside, count(*)::int AS "all" FROM posts WHERE wage_unit = 'day' AND status <> 'rejected'`);
    expect(wages.inside / wages.all).toBeGreaterThan(0.97);
    const flagged = await q<{ code: string; status: string }>(`SELECT f->>'code' AS code, status FROM posts, jsonb_array_elements(red_flags) f`);
    expect(flagged.filter((f) => f.code === 'worker_fee').every((f) => f.status === 'rejected')).toBe(true);
    expect(flagged.some((f) => f.code === 'wage_below_median')).toBe(true);
    // Nothing in clear text; the blind index is the app's: a worker is found by mobile through the API after a reveal.
    const op1 = await login(t, 'op1.admin');
    const [w] = await q<{ id: string }>(`SELECT id FROM workers WHERE market_id = $1 AND id_enc IS NOT NULL ORDER BY created_at LIMIT 1`, [demoId('m-zhongmu')]);
    const mobile = (await t.http.post(`/api/v1/workers/${w.id}/reveal`).set(op1.auth).send({ field: 'mobile' }).expect(200)).body.value as string;
    const idNumber = (await t.http.post(`/api/v1/workers/${w.id}/reveal`).set(op1.auth).send({ field: 'idNumber' }).expect(200)).body.value as string;
    expect(mobile).toMatch(/^1[3-9]\d{9}$/);
    const found = await t.http.get('/api/v1/workers').query({ mobile }).set(op1.auth).expect(200);
    expect(found.body.items.map((x: { id: string }) => x.id)).toEqual([w.id]);
    expect(idCardValid(idNumber)).toBe(true);
    const [row] = await q<{ birth_date: string; gender: string }>(`SELECT to_char(birth_date, 'YYYY-MM-DD') AS birth_date, gender FROM workers WHERE id = $1`, [w.id]);
    expect(row.birth_date).toBe(`${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`);
    expect(row.gender).toBe(Number(idNumber[16]) % 2 ? 'male' : 'female');
    const codes = await q<{ credit_code: string }>('SELECT credit_code FROM employers WHERE credit_code IS NOT NULL');
    expect(codes.length).toBeGreaterThan(50);
    expect(codes.every((c) => creditCodeValid(c.credit_code))).toBe(true);
    const [plain] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM workers WHERE mobile_enc !~ '^v1:' OR (id_enc IS NOT NULL AND id_enc !~ '^v1:')`);
    expect(plain.n).toBe(0);
  });

  it('gives the desk a queue and the public board open jobs today, and ranks candidates for a seeded post', async () => {
    const desk = await login(t, 'op1.desk');
    const m = demoId('m-zhongmu');
    const queue = await t.http.get(`/api/v1/markets/${m}/queue`).query({ status: 'all' }).set(desk.auth).expect(200);
    expect(queue.body.length).toBeGreaterThan(0);
    expect(queue.body.some((e: { status: string }) => e.status === 'waiting')).toBe(true);
    // Open jobs on the public boards (a small station may have filled all of its own by now).
    let boards = 0;
    for (const key of MARKETS) if ((await t.http.get(`/api/v1/public/markets/${demoId(key)}/posts`).expect(200)).body.length > 0) boards++;
    expect(boards).toBeGreaterThanOrEqual(3);
    const page = await t.http.get(`/api/v1/public/markets/${m}`).expect(200);
    expect(page.body.waitingToday).toBeGreaterThan(0);
    // The ranking runs over the seeded pool (queue and workers seen in 30 days) for an open post.
    const [open] = await q<{ id: string; market_id: string }>(`SELECT id, market_id FROM posts WHERE tenant_id = $1 AND status = 'published' AND expires_at > now() ORDER BY created_at LIMIT 1`, [demoId('op1')]);
    const admin = await login(t, 'op1.admin');
    const cands = await t.http.get(`/api/v1/posts/${open.id}/candidates`).set(admin.auth).expect(200);
    expect(cands.body.length).toBeGreaterThan(0);
    expect(cands.body[0].parts).toMatchObject({ fit: expect.any(Number), reliability: expect.any(Number) });
  });

  it('has complaints handled as the service would: one work-log entry per record, deadlines from the calendar, boards with figures', async () => {
    const [{ n, closed, open }] = await q<{ n: number; closed: number; open: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'closed')::int AS closed, count(*) FILTER (WHERE status <> 'closed')::int AS open FROM complaints`);
    expect(n).toBeGreaterThan(20);
    expect(closed).toBeGreaterThan(open);
    const mismatched = await q(`SELECT c.id FROM complaints c WHERE (SELECT count(*) FROM complaint_records r WHERE r.complaint_id = c.id)
      <> (SELECT count(*) FROM ledger_entries e WHERE e.kind = 'complaint_step' AND e.subject_id = c.id::text)`);
    expect(mismatched).toEqual([]);
    const rows = await q<{ d: string; lim: number; due: string }>(`SELECT to_char(received_day, 'YYYY-MM-DD') AS d, resolve_limit_days AS lim, to_char(resolve_due, 'YYYY-MM-DD') AS due FROM complaints LIMIT 50`);
    for (const r of rows) expect(r.due).toBe(complaintDeadlines(r.d, r.lim).resolve.day);
    const county = await login(t, 'county.reviewer');
    const board = (await t.http.get('/api/v1/complaints/board').set(county.auth).expect(200)).body;
    expect(board.totals.closed).toBeGreaterThan(0);
    expect(board.totals.onTimeRate).toBeGreaterThan(50);
    expect(board.totals.callbacks).toBeGreaterThan(0);
  });

  it('lends tools by the rules over the 90 days, and every market\'s deposits reconcile (R-B11)', async () => {
    const [c] = await q<{ tools: number; loans: number; lent: number; returned: number; charges: number; repairs: number }>(`SELECT
      (SELECT count(*)::int FROM tools) AS tools, (SELECT count(*)::int FROM tool_loans) AS loans,
      (SELECT count(*)::int FROM tool_loans WHERE status = 'lent') AS lent, (SELECT count(*)::int FROM tool_loans WHERE status = 'returned') AS returned,
      (SELECT count(*)::int FROM tool_charges WHERE kind = 'damage') AS charges, (SELECT count(*)::int FROM tool_maintenance) AS repairs`);
    expect(c.tools).toBeGreaterThan(30);
    expect(c.returned).toBeGreaterThan(100);
    expect(c.lent).toBeGreaterThan(0);
    expect(c.charges).toBeGreaterThan(0);
    expect(c.repairs).toBeGreaterThan(0);
    // 先批后租, 使用签字: every hand-out was approved by someone other than who asked, and signed.
    expect(await q(`SELECT id FROM tool_loans WHERE status IN ('lent', 'returned') AND (decided_by IS NULL OR decided_by = requested_by OR signature_hash IS NULL)`)).toEqual([]);
    expect(await q(`SELECT l.id FROM tool_loans l LEFT JOIN tool_signatures s ON s.hash = l.signature_hash WHERE l.signature_hash IS NOT NULL AND s.hash IS NULL`)).toEqual([]);
    // Each step in the work log: one entry per loan request, hand-out and return.
    const [e] = await q<{ req: number; loans: number; lent: number; ret: number; returned: number }>(`SELECT
      (SELECT count(*)::int FROM ledger_entries WHERE kind = 'tool_loan_request') AS req, (SELECT count(*)::int FROM tool_loans) AS loans,
      (SELECT count(*)::int FROM ledger_entries WHERE kind = 'tool_loan') AS lent, (SELECT count(*)::int FROM tool_loans WHERE lent_at IS NOT NULL) AS ret,
      (SELECT count(*)::int FROM ledger_entries WHERE kind = 'tool_return') - (SELECT count(*)::int FROM tool_loans WHERE status = 'returned') AS returned`);
    expect(e).toEqual({ req: e.loans, loans: e.loans, lent: e.ret, ret: e.ret, returned: 0 });
    // The tools' state agrees with their loans.
    expect(await q(`SELECT t.code FROM tools t WHERE (t.status = 'on_loan') <> EXISTS (SELECT 1 FROM tool_loans l WHERE l.tool_id = t.id AND l.status = 'lent')`)).toEqual([]);
    // The manager's reconciliation, run now over the seeded account, finds nothing amiss at any market.
    const admin = await login(t, 'admin');
    for (const key of MARKETS) {
      const r = await t.http.post(`/api/v1/markets/${demoId(key)}/tool-reconciliations`).set(admin.auth).expect(200);
      expect([key, r.body.status, r.body.problems]).toEqual([key, 'ok', []]);
    }
    const past = await q<{ n: number }>(`SELECT count(*)::int AS n FROM tool_reconciliations WHERE status <> 'ok'`);
    expect(past[0].n).toBe(0);
  });

  it('includes training and events consistent with the 90 days: attendance inside each session, hours behind each completion, every step in the work log (R-B10, R-B13)', async () => {
    const [n] = await q<Record<string, number>>(`SELECT (SELECT count(*)::int FROM training_demands) AS demands, (SELECT count(*)::int FROM training_courses) AS courses,
      (SELECT count(*)::int FROM training_sessions) AS sessions, (SELECT count(*)::int FROM training_enrolments) AS enrolments,
      (SELECT count(*)::int FROM training_attendance) AS attendance, (SELECT count(*)::int FROM training_enrolments WHERE certificate_number IS NOT NULL) AS certificates,
      (SELECT count(*)::int FROM market_events) AS events, (SELECT count(*)::int FROM market_event_posts) AS links`);
    for (const k of ['demands', 'courses', 'sessions', 'enrolments', 'attendance', 'certificates', 'events', 'links']) expect([k, n[k] > 0]).toEqual([k, true]);
    const [bad] = await q<Record<string, number>>(`SELECT
      (SELECT count(*)::int FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id
        WHERE a.signed_at < s.starts_at - interval '30 minutes' OR a.signed_at > s.ends_at OR a.signed_at > now()) AS outside,
      (SELECT count(*)::int FROM training_enrolments e JOIN workers w ON w.id = e.worker_id WHERE e.created_at < w.created_at) AS before_registration,
      (SELECT count(*)::int FROM training_enrolments e JOIN training_courses c ON c.id = e.course_id WHERE e.status = 'completed' AND
        (SELECT COALESCE(sum(s.hours), 0) FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id WHERE a.enrolment_id = e.id) < c.hours * c.completion_percent / 100) AS short,
      (SELECT count(*)::int FROM training_attendance a WHERE NOT EXISTS (SELECT 1 FROM ledger_entries l WHERE l.subject_id = a.id::text AND l.kind = 'training_attendance'
        AND l.payload->>'signatureHash' IS NOT DISTINCT FROM a.signature_hash AND l.payload->>'enrolmentId' = a.enrolment_id::text)) AS unlogged`);
    expect(bad).toEqual({ outside: 0, before_registration: 0, short: 0, unlogged: 0 });
    // A desk signature's stored hash is the SM3 of its stored PNG.
    const sigs = await q<{ signature: Buffer; signature_hash: string }>(`SELECT signature, signature_hash FROM training_attendance WHERE method = 'signature' LIMIT 20`);
    for (const s of sigs) expect(createHash('sm3').update(s.signature).digest('hex')).toBe(s.signature_hash);
    // Through the API: a gap in the catalogue, a trainee's subsidy reasons, an event with hires.
    const op1 = await login(t, 'op1.manager');
    const summary = (await t.http.get('/api/v1/training/demand-summary').query({ marketId: demoId('m-zhongmu') }).set(op1.auth).expect(200)).body as { lacksCourse: boolean }[];
    expect(summary.some((r) => r.lacksCourse)).toBe(true);
    expect(summary.some((r) => !r.lacksCourse)).toBe(true);
    const [e] = await q<{ id: string }>(`SELECT id FROM training_enrolments WHERE market_id = $1 AND certificate_number IS NOT NULL LIMIT 1`, [demoId('m-zhongmu')]);
    const view = (await t.http.get(`/api/v1/training/enrolments/${e.id}`).set(op1.auth).expect(200)).body;
    expect(view.subsidyReasons.map((r: { code: string }) => r.code)).toEqual(['all_sessions_attended', 'hours_complete', 'id_number_on_file', 'certificate_issued']);
    expect(view.status).toBe('completed');
    const events = (await t.http.get('/api/v1/events').query({ marketId: demoId('m-zhongmu'), pageSize: 50 }).set(op1.auth).expect(200)).body.items as { status: string; hires: number }[];
    expect(new Set(events.map((x) => x.status))).toEqual(new Set(['planned', 'held', 'cancelled']));
    expect(events.some((x) => x.status === 'held' && x.hires > 0)).toBe(true);
    const xlsx = await t.http.get('/api/v1/training/ledger').query({ marketId: demoId('m-zhongmu') }).set(op1.auth).expect(200);
    expect(String(xlsx.headers['content-type'])).toMatch(/spreadsheetml/);
  });

  it('holds assistance plans consistent with the 90 days: tiers as the daily job computes them, one entry per record, packages counted (issue 5)', async () => {
    const [n] = await q<Record<string, number>>(`SELECT (SELECT count(*) FROM hardship_records)::int AS records, (SELECT count(*) FROM assistance_plans)::int AS plans,
      (SELECT count(*) FROM assistance_plans WHERE status = 'package_complete')::int AS complete, (SELECT count(*) FROM assistance_plans WHERE status = 'stable_employment')::int AS stable,
      (SELECT count(*) FROM assistance_steps)::int AS steps, (SELECT count(*) FROM public_welfare_posts)::int AS welfare, (SELECT count(*) FROM service_records)::int AS services`);
    expect(n.records).toBeGreaterThan(50);
    for (const k of ['plans', 'complete', 'stable', 'steps', 'welfare', 'services']) expect([k, n[k] > 0]).toEqual([k, true]);
    // A tier only with a consented record; and the job, run now, finds nothing to change.
    const [orphan] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM workers w WHERE w.hardship_tier > 0 AND NOT EXISTS (SELECT 1 FROM hardship_records h WHERE h.worker_id = w.id)`);
    expect(orphan.n).toBe(0);
    const run = await t.app.get(TierRecomputation).run();
    expect({ checked: run.checked, changed: run.changed }).toEqual({ checked: n.records, changed: 0 });
    const missing = await q<{ what: string; n: number }>(`
      SELECT 'hardship' AS what, count(*)::int AS n FROM hardship_records h WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.kind = 'hardship_record' AND e.subject_id = h.worker_id::text)
      UNION ALL SELECT 'plan', count(*)::int FROM assistance_plans p WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.kind = 'assistance_plan' AND e.subject_id = p.id::text AND e.payload->>'step' = 'opened')
      UNION ALL SELECT 'complete', count(*)::int FROM assistance_plans p WHERE p.package_completed_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.kind = 'assistance_plan' AND e.subject_id = p.id::text AND e.payload->>'step' = 'package_complete')
      UNION ALL SELECT 'step', count(*)::int FROM assistance_steps s WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.kind = 'assistance_step' AND e.payload->>'stepId' = s.id::text)
      UNION ALL SELECT 'welfare', count(*)::int FROM public_welfare_posts w WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.kind = 'public_welfare_post' AND e.payload->>'placementId' = w.id::text)
      UNION ALL SELECT 'service', count(*)::int FROM service_records r WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.kind = 'guidance' AND e.subject_id = r.id::text)`);
    expect(missing.filter((m) => m.n > 0)).toEqual([]);
    // The roster through the API: package progress from the real records, some plans behind.
    const manager = await login(t, 'op1.manager');
    const roster = (await t.http.get('/api/v1/assistance-plans').query({ pageSize: 200 }).set(manager.auth).expect(200)).body;
    expect(roster.total).toBeGreaterThan(0);
    for (const p of roster.items as { status: string; done: { guidance: number; referrals: number; training: number } }[]) {
      if (p.status === 'package_complete' || p.status === 'stable_employment') expect(p.done.guidance >= 1 && p.done.referrals >= 3 && p.done.training >= 1).toBe(true);
    }
    expect((await t.http.get('/api/v1/assistance-plans').query({ behind: 'true' }).set(manager.auth).expect(200)).body.total).toBeGreaterThan(0);
  });

  it('holds no work-log code the console would show raw: every field has a label and every code value its words, in both languages (issue 17 §4)', async () => {
    // Code-like strings in the entries' payloads (lists one by one, an object of counts by its parts), by field; every
    // field but those holding an id (the console leaves a bare id out: the names column says who and what).
    const rows = await q<{ key: string; value: string }>(`
      WITH f AS (SELECT j.key AS k, j.value AS v FROM ledger_entries e, jsonb_each(e.payload) j)
      SELECT DISTINCT k AS key, v #>> '{}' AS value FROM f WHERE jsonb_typeof(v) = 'string'
      UNION SELECT DISTINCT k, x #>> '{}' FROM f, jsonb_array_elements(v) x WHERE jsonb_typeof(v) = 'array' AND jsonb_typeof(x) = 'string'
      UNION SELECT DISTINCT s.key, NULL FROM f, jsonb_each(v) s WHERE jsonb_typeof(v) = 'object'
      UNION SELECT DISTINCT k, NULL FROM f WHERE jsonb_typeof(v) NOT IN ('string', 'null')`);
    // A code is a lower-case word or words (`wage_arrears`, `third_party:zhaogong-app`); a digest is not one.
    const CODE = /^(?![0-9a-f]{32,}$)[a-z][a-z0-9_]*(:[a-z0-9_-]+)?$/;
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    // Codes the API names with the entry (`names`), not the console's words: the prohibited work a refusal cites, named by
    // the jobs context's list (tests/api/jobs.e2e-spec.ts).
    const DATA = new Set(['items']);
    for (const lang of ['zh-CN', 'en']) {
      const { ledger } = JSON.parse(readFileSync(join(__dirname, '../../libs/console/ledger/i18n', `${lang}.json`), 'utf8')) as
        { ledger: { field: Record<string, string>; value: Record<string, Record<string, string>> } };
      const unlabelled = [...new Set(rows.filter((r) => !UUID.test(r.value ?? '')).map((r) => r.key))].filter((k) => !ledger.field[k]);
      const raw = rows.filter((r) => r.value !== null && CODE.test(r.value) && !DATA.has(r.key))
        .filter((r) => !ledger.value[r.key]?.[r.value as string] && !ledger.value[r.key]?.[(r.value as string).split(':')[0]])
        .map((r) => `${r.key}=${r.value}`);
      expect({ lang, unlabelled, raw }).toEqual({ lang, unlabelled: [], raw: [] });
    }
  });

  it('is idempotent: seeding again adds nothing', async () => {
    const before = await tableCounts(t);
    const log = console.log;
    console.log = () => undefined;
    try {
      await seedDemo(t.owner, config, { activity: 'full' });
    } finally {
      console.log = log;
    }
    expect(await tableCounts(t)).toEqual(before);
  });
});

/**
 * The seed checks that each sealed day closes after its last entry, and refuses to write the demo otherwise. The
 * simulation depends on the hour it runs at (which posts are still open, what has happened by then): on 2026-12-07 the
 * seed failed from about 10:50 UTC, an online application on a post published the day before being dated that day,
 * after its seal. Simulated (not written) at hours across two days: the board's pushes and applications happen today,
 * and every market's sealed days close after the last entry recorded on them.
 */
describe('demo simulation at any hour', () => {
  it('dates the board\'s applications today and never records an entry on a sealed day after its seal', async () => {
    const config = loadConfig();
    const pii = new Pii(config);
    const db = new Client({ connectionString: config.DATABASE_OWNER_URL });
    await db.connect();
    const hazards = await demoHazards(async (sql) => (await db.query(sql)).rows).finally(() => db.end());
    const problems: string[] = [];
    const start = Date.parse(`${TODAY}T00:00:00+08:00`) - 86_400_000;
    let applications = 0;
    for (let h = 0.7; h < 48; h += 4.3) {
      const now = new Date(start + h * 3_600_000);
      const today = shanghaiDayOf(now.getTime());
      for (const a of simulateDemo(activityMarkets(), { now, historyDays: 7, scale: 1, hazards, pii, config })) {
        const lastOf = new Map<string, number>();
        for (const e of a.events) {
          const day = shanghaiDayOf(e.at);
          lastOf.set(day, Math.max(lastOf.get(day) ?? 0, e.at));
          if (e.kind === 'application') {
            applications++;
            if (day !== today) problems.push(`${now.toISOString()} ${a.market.name}: application dated ${day}`);
          }
        }
        for (const seal of a.seals) {
          const last = lastOf.get(seal.day) ?? 0;
          if (last >= seal.closedAt) problems.push(`${now.toISOString()} ${a.market.name} ${seal.day}: entry ${new Date(last).toISOString()} ≥ seal ${new Date(seal.closedAt).toISOString()}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(applications).toBeGreaterThan(0);
  });
});
