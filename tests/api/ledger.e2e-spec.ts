import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import ExcelJS from 'exceljs';
import {
  DEFAULT_ALG, ed25519FromSeed, entryHash, merkleRoot, sealDigest, signDigest, type LedgerEntry,
} from '@linggong/ledger-chain';
import { DEV_LEDGER_SEED } from '@linggong/api-core';
import { LedgerJobs, rowToEntry } from '@linggong/api-ledger';
import { AnalyticsService } from '@linggong/api-analytics';
import { verifyFiles } from '../../tools/ledger-verify/verify-file';
import { bootApp, demoId, freshTenant, login, type Session, type TestApp } from '../support/app';

/**
 * The work-log ledger (issue 3, acceptance): tampering by the database superuser is detected by the
 * API verification and by the offline verifier, naming the first bad sequence; concurrent appends
 * make one gapless chain; the application role cannot rewrite; authorities read and verify only.
 */
const TODAY = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const RANGE = { from: '2026-06-01', to: '2027-05-31' };
const dir = mkdtempSync(join(tmpdir(), 'ledger-'));

describe('work-log ledger', () => {
  let t: TestApp;
  let su: Client;
  let county: Session;
  beforeAll(async () => {
    t = await bootApp();
    su = new Client({ connectionString: t.config.DATABASE_ADMIN_URL.replace(/\/[^/?]*$/, `/${new URL(t.config.DATABASE_URL).pathname.slice(1)}`) });
    await su.connect();
    county = await login(t, 'county.reviewer');
  });
  afterAll(async () => {
    await su.end();
    await t.close();
  });

  /** A fresh market with 6 entries sealed today (seq 1–6) and 3 more recorded after the close (seq 7–9: the same day, not sealed yet). */
  async function ledgerFixture(label: string) {
    const f = await freshTenant(t, label);
    const s = await login(t, f.adminUser.username, f.password);
    const m = f.market.id as string;
    for (let i = 1; i <= 6; i++) await append(s, m, `巡查 ${i}`);
    await t.http.post(`/api/v1/markets/${m}/ledger/days/${TODAY}/close`).set(s.auth).send({ reason: '测试：提前日结' }).expect(201);
    for (let i = 7; i <= 9; i++) await append(s, m, `走访 ${i}`);
    // The authority's copy of its receipts, taken before anything happens.
    const receipts = (await t.http.get(`/api/v1/markets/${m}/ledger/receipts`).query(RANGE).set(county.auth).expect(200)).text;
    const receiptsFile = join(dir, `receipts-${label}.jsonl`);
    writeFileSync(receiptsFile, receipts);
    return { ...f, s, m, receiptsFile };
  }

  const append = (s: Session, m: string, title: string) =>
    t.http.post(`/api/v1/markets/${m}/ledger/entries`).set(s.auth)
      .send({ kind: 'manual_patrol', occurredAt: new Date().toISOString(), title, note: '市场秩序正常' }).expect(201);

  async function verifyBoth(fx: { s: Session; m: string; receiptsFile: string }, label: string) {
    const api = (await t.http.get(`/api/v1/markets/${fx.m}/ledger/verify`).query(RANGE).set(county.auth).expect(200)).body;
    const exported = (await t.http.get(`/api/v1/markets/${fx.m}/ledger/export`).query({ ...RANGE, format: 'jsonl' }).set(fx.s.auth).expect(200)).text;
    const file = join(dir, `export-${label}.jsonl`);
    writeFileSync(file, exported);
    const offline = await verifyFiles({ exports: [file], receipts: [fx.receiptsFile], publicKeys: { [t.config.LEDGER_KEY_ID]: ed25519FromSeed(DEV_LEDGER_SEED).publicPem } });
    return { api, offline };
  }

  /** Run SQL as the superuser with triggers off, as an attacker with full database access would. */
  async function asSuperuser(sql: string | string[], params: unknown[] = []) {
    await su.query('BEGIN');
    try {
      await su.query('SET LOCAL session_replication_role = replica');
      for (const statement of Array.isArray(sql) ? sql : [sql]) await su.query(statement, params);
      await su.query('COMMIT');
    } catch (e) {
      await su.query('ROLLBACK');
      throw e;
    }
  }

  it('an untouched ledger verifies clean through the API and offline', async () => {
    const fx = await ledgerFixture('clean');
    const { api, offline } = await verifyBoth(fx, 'clean');
    expect(api).toMatchObject({ ok: true, entries: 9, seals: 1, receipts: 1, firstBad: null });
    expect(offline).toMatchObject({ ok: true, entries: 9, seals: 1, receipts: 1, firstBad: null });
  });

  const attacks: [string, (m: string, other: string) => Promise<void>, number][] = [
    ['update a payload', (m) => asSuperuser(`UPDATE ledger_entries SET payload = jsonb_set(payload, '{title}', '"伪造的巡查"') WHERE market_id = $1 AND seq = 3`, [m]), 3],
    ['delete an entry', (m) => asSuperuser('DELETE FROM ledger_entries WHERE market_id = $1 AND seq = 4', [m]), 4],
    ['reorder two entries', (m) => asSuperuser([
      'UPDATE ledger_entries SET seq = 100000 WHERE market_id = $1 AND seq = 2',
      'UPDATE ledger_entries SET seq = 2 WHERE market_id = $1 AND seq = 5',
      'UPDATE ledger_entries SET seq = 5 WHERE market_id = $1 AND seq = 100000',
    ], [m]), 2],
    ['back-date an entry', (m) => asSuperuser(`UPDATE ledger_entries SET occurred_at = occurred_at - interval '3 days' WHERE market_id = $1 AND seq = 6`, [m]), 6],
    ['truncate a day\'s tail', (m) => asSuperuser('DELETE FROM ledger_entries WHERE market_id = $1 AND seq IN (5, 6)', [m]), 5],
    ['replay an entry from another market', async (m, other) => {
      const [{ n }] = (await su.query('SELECT max(seq) AS n FROM ledger_entries WHERE market_id = $1', [m])).rows;
      await asSuperuser(
        `INSERT INTO ledger_entries (market_id, seq, id, tenant_id, region_code, kind, occurred_at, recorded_at, business_day, actor_user_id,
           subject_type, subject_id, payload, corrects, reason, attachments, prev_hash, hash, alg)
         SELECT $1, $3::bigint, gen_random_uuid(), (SELECT tenant_id FROM markets WHERE id = $1), region_code, kind, occurred_at, recorded_at, business_day,
           actor_user_id, subject_type, subject_id, payload, corrects, reason, attachments,
           (SELECT hash FROM ledger_entries WHERE market_id = $1 AND seq = $3::bigint - 1), hash, alg
         FROM ledger_entries WHERE market_id = $2 AND seq = 2`, [m, other, Number(n) + 1]);
    }, 10],
  ];

  it.each(attacks)('detects: %s (API and offline name the first bad sequence)', async (label, attack, firstBad) => {
    const fx = await ledgerFixture(label.replace(/\W+/g, '-').slice(0, 12));
    const other = await ledgerFixture(`o${label.length}`);
    await attack(fx.m, other.m);
    const { api, offline } = await verifyBoth(fx, label.replace(/\W+/g, '-'));
    expect(api.ok).toBe(false);
    expect(offline.ok).toBe(false);
    expect(api.firstBad.seq).toBe(firstBad);
    expect(offline.firstBad?.seq).toBe(firstBad);
  });

  it('detects a whole chain recomputed and even re-signed after an edit, through the authority\'s receipts', async () => {
    const fx = await ledgerFixture('recompute');
    // The attacker edits entry 2, recomputes every hash after it, the day's Merkle root and seal, and
    // (worst case: the signing key leaked) signs the new seal. Only the receipts are out of reach.
    const rows = (await su.query(`SELECT *, to_char(business_day, 'YYYY-MM-DD') AS business_day FROM ledger_entries WHERE market_id = $1 ORDER BY seq`, [fx.m])).rows;
    const entries: LedgerEntry[] = rows.map(rowToEntry);
    entries[1].payload = { ...entries[1].payload, title: '伪造' };
    let prev = entries[0].hash;
    for (const e of entries.slice(1)) {
      e.prevHash = prev;
      e.hash = entryHash(e);
      prev = e.hash;
    }
    const [seal] = (await su.query(`SELECT *, to_char(business_day, 'YYYY-MM-DD') AS business_day FROM ledger_seals WHERE market_id = $1`, [fx.m])).rows;
    // The seal covers seq 1–6; 7–9 were recorded on the same day after it (issue 17: not moved to tomorrow) and are not sealed yet.
    const day = entries.filter((e) => e.businessDay === TODAY && e.seq <= Number(seal.last_seq));
    const base = {
      marketId: fx.m, businessDay: TODAY, count: day.length, firstSeq: day[0].seq, lastSeq: day[day.length - 1].seq,
      lastHash: day[day.length - 1].hash, merkleRoot: merkleRoot(DEFAULT_ALG, day.map((e) => e.hash)),
      closedAt: new Date(seal.closed_at).toISOString(), late: seal.late, alg: DEFAULT_ALG, keyId: seal.key_id,
      // Before the market's closing time the fixture's close was early and its reason is in the digest (issue 17 §1).
      part: Number(seal.part), reason: seal.reason ?? null,
    };
    const digest = sealDigest(base);
    await su.query('BEGIN');
    await su.query('SET LOCAL session_replication_role = replica');
    for (const e of entries.slice(1)) {
      await su.query('UPDATE ledger_entries SET payload = $3, prev_hash = $4, hash = $5 WHERE market_id = $1 AND seq = $2', [fx.m, e.seq, JSON.stringify(e.payload), e.prevHash, e.hash]);
    }
    await su.query('UPDATE ledger_heads SET last_hash = $2 WHERE market_id = $1', [fx.m, prev]);
    await su.query('UPDATE ledger_seals SET merkle_root = $2, last_hash = $3, digest = $4, signature = $5 WHERE market_id = $1',
      [fx.m, base.merkleRoot, base.lastHash, digest, signDigest(ed25519FromSeed(DEV_LEDGER_SEED).privateKey, digest)]);
    await su.query('COMMIT');

    const { api, offline } = await verifyBoth(fx, 'recompute');
    for (const r of [api, offline]) {
      expect(r.ok).toBe(false);
      expect(r.problems.map((p: { code: string }) => p.code)).toEqual(['receipt_mismatch']);
      expect(r.firstBad.seq).toBe(1);
      expect(r.firstBad.businessDay).toBe(TODAY);
    }
    // Without the authority's receipts, the rewrite would pass: that is what the receipts are for.
    const blind = await verifyFiles({ exports: [join(dir, 'export-recompute.jsonl')], publicKeys: { [t.config.LEDGER_KEY_ID]: ed25519FromSeed(DEV_LEDGER_SEED).publicPem } });
    expect(blind.ok).toBe(true);
  });

  it('20 parallel appenders on one market produce a gapless, fork-free chain', async () => {
    const f = await freshTenant(t, 'conc');
    const s = await login(t, f.adminUser.username, f.password);
    await Promise.all(Array.from({ length: 20 }, (_, i) => append(s, f.market.id, `并发 ${i}`)));
    const rows = (await t.owner.query('SELECT seq, prev_hash, hash FROM ledger_entries WHERE market_id = $1 ORDER BY seq', [f.market.id])) as { seq: string; prev_hash: string; hash: string }[];
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
    expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(20);
    const v = await t.http.get(`/api/v1/markets/${f.market.id}/ledger/verify`).query(RANGE).set(s.auth).expect(200);
    expect(v.body).toMatchObject({ ok: true, entries: 20 });
  });

  describe('privileges', () => {
    let app: Client;
    beforeAll(async () => {
      app = new Client({ connectionString: t.config.DATABASE_URL });
      await app.connect();
    });
    afterAll(() => app.end());

    const asApp = async (settings: Record<string, string>, sql: string, params: unknown[] = []) => {
      await app.query('BEGIN');
      try {
        for (const [k, v] of Object.entries(settings)) await app.query('SELECT set_config($1, $2, true)', [`app.${k}`, v]);
        return await app.query(sql, params);
      } finally {
        await app.query('ROLLBACK');
      }
    };

    it('the application role can neither UPDATE nor DELETE entries or seals, even for the platform', async () => {
      for (const sql of ['UPDATE ledger_entries SET payload = \'{}\'', 'DELETE FROM ledger_entries', 'UPDATE ledger_seals SET late = true', 'DELETE FROM ledger_seals']) {
        await expect(asApp({ org_kind: 'platform' }, sql)).rejects.toThrow(/permission denied/);
      }
    });

    it('the append-only trigger stops even the superuser unless triggers are switched off', async () => {
      await expect(su.query('UPDATE ledger_entries SET kind = kind WHERE seq = 1')).rejects.toThrow(/append-only/);
    });

    it('operators cannot write receipts; authorities can read and verify but not append or close', async () => {
      const op1 = demoId('op1');
      await expect(asApp({ tenant_id: op1, org_kind: 'operator' },
        `INSERT INTO ledger_receipts (market_id, business_day, region_code, seal_digest) VALUES ($1, '2026-01-01', '410122', 'x')`, [demoId('m-zhongmu')])).rejects.toThrow(/permission denied/);
      await expect(asApp({ tenant_id: op1, org_kind: 'operator' }, 'UPDATE ledger_receipts SET seal_digest = \'x\'')).rejects.toThrow(/permission denied/);
      const m = demoId('m-zhongmu');
      await t.http.get(`/api/v1/markets/${m}/ledger/entries`).set(county.auth).expect(200);
      await t.http.get(`/api/v1/markets/${m}/ledger/verify`).query(RANGE).set(county.auth).expect(200);
      await t.http.post(`/api/v1/markets/${m}/ledger/entries`).set(county.auth)
        .send({ kind: 'manual_note', occurredAt: new Date().toISOString(), title: '越权记录' }).expect(403);
      await t.http.post(`/api/v1/markets/${m}/ledger/days/${TODAY}/close`).set(county.auth).expect(403);
      // And beneath the API, RLS refuses an authority's insert.
      await expect(asApp({ region_prefix: '410122', org_kind: 'county' },
        `INSERT INTO ledger_entries (market_id, seq, id, tenant_id, region_code, kind, occurred_at, recorded_at, business_day, payload, prev_hash, hash, alg)
         VALUES ($1, 999999, gen_random_uuid(), $2, '410122', 'manual_note', now(), now(), CURRENT_DATE, '{}', 'x', 'y', 'sm3')`, [m, op1])).rejects.toThrow(/row-level security/);
    });
  });

  it('exports a date range to XLSX for people, with every entry as a row', async () => {
    const fx = await ledgerFixture('xlsx');
    const res = await t.http.get(`/api/v1/markets/${fx.m}/ledger/export`).query({ ...RANGE, format: 'xlsx' }).set(county.auth)
      .buffer(true).parse((r, cb) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => cb(null, Buffer.concat(chunks))); })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as Buffer);
    const ws = wb.getWorksheet('工作日志台账');
    expect(ws?.getRow(2).getCell(1).value).toBe('序号');
    const seqs = [];
    for (let r = 3; r <= (ws?.rowCount ?? 0); r++) seqs.push(ws?.getRow(r).getCell(1).value);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('refuses a manual entry dated in the future, or an unknown attachment, with clear messages and no entry', async () => {
    const f = await freshTenant(t, 'bad');
    const s = await login(t, f.adminUser.username, f.password);
    const future = await t.http.post(`/api/v1/markets/${f.market.id}/ledger/entries`).set(s.auth)
      .send({ kind: 'manual_visit', occurredAt: new Date(Date.now() + 86_400_000).toISOString(), title: '明天的走访' }).expect(422);
    expect(future.body.errors).toEqual([{ field: 'occurredAt', message: '发生时间不能晚于现在' }]);
    const missing = await t.http.post(`/api/v1/markets/${f.market.id}/ledger/entries`).set(s.auth).set('Accept-Language', 'en')
      .send({ kind: 'manual_visit', occurredAt: new Date().toISOString(), title: '走访', attachments: ['a'.repeat(64)] }).expect(422);
    expect(missing.body.errors).toEqual([{ field: 'attachments', message: 'Attachment not found; upload it first' }]);
    const [{ n }] = await t.owner.query('SELECT count(*)::int AS n FROM ledger_entries WHERE market_id = $1', [f.market.id]);
    expect(n).toBe(0);
  });

  it('a correction is a new entry; the view shows the corrected value and keeps the history', async () => {
    const f = await freshTenant(t, 'corr');
    const s = await login(t, f.adminUser.username, f.password);
    await append(s, f.market.id, '原始标题');
    const c = await t.http.post(`/api/v1/markets/${f.market.id}/ledger/entries/1/corrections`).set(s.auth)
      .send({ reason: '标题录入错误', payload: { title: '更正后的标题' } }).expect(201);
    expect(c.body).toMatchObject({ seq: 2, kind: 'correction', corrects: 1, reason: '标题录入错误' });
    const list = await t.http.get(`/api/v1/markets/${f.market.id}/ledger/entries`).set(s.auth).expect(200);
    const original = list.body.items.find((e: { seq: number }) => e.seq === 1);
    expect(original.payload.title).toBe('原始标题');
    expect(original.effectivePayload.title).toBe('更正后的标题');
    expect(original.correctedBy).toEqual([2]);
  });

  it('the close job seals overdue days as late, and the nightly verification raises an alert for a broken day', async () => {
    const jobs = t.app.get(LedgerJobs);
    const f = await freshTenant(t, 'late');
    const s = await login(t, f.adminUser.username, f.password);
    await append(s, f.market.id, '未日结的记录');
    // Tomorrow at 03:00 Asia/Shanghai, past the 02:00 deadline.
    const tomorrow3am = new Date(Date.parse(`${TODAY}T03:00:00+08:00`) + 86_400_000);
    // Only this market: sealing the demo markets through today would change what other suites expect.
    const r = await jobs.closeOverdue(tomorrow3am, [f.market.id]);
    expect(r.closed).toContainEqual({ marketId: f.market.id, through: TODAY });
    const days = await t.http.get(`/api/v1/markets/${f.market.id}/ledger/days`).query(RANGE).set(s.auth).expect(200);
    expect(days.body[0]).toMatchObject({ businessDay: TODAY, sealed: true, late: true, verification: 'verified' });
    await asSuperuser(`UPDATE ledger_entries SET payload = '{"title":"改"}' WHERE market_id = $1 AND seq = 1`, [f.market.id]);
    const v = await jobs.verifyDay(TODAY);
    expect(v.failed).toContain(f.market.id);
    const alerts = await t.http.get('/api/v1/ledger/alerts').set(county.auth).expect(200);
    expect(alerts.body.some((a: { marketId: string }) => a.marketId === f.market.id)).toBe(true);
    const opAlerts = await t.http.get('/api/v1/ledger/alerts').set(s.auth).expect(200);
    expect(opAlerts.body.map((a: { marketId: string }) => a.marketId)).toEqual([f.market.id]);
  });

  /** A day `n` days before today (Asia/Shanghai). */
  const daysAgo = (n: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  const setHours = async (s: Session, m: string, openingHours: string) =>
    t.http.patch(`/api/v1/markets/${m}/operations`).set(s.auth).send({ openingHours }).expect(200);

  it('a close before the closing time needs a reason, seals up to then, and the rest of the day gets a supplementary seal of the same day (issue 17 §1)', async () => {
    const f = await freshTenant(t, 'early');
    const s = await login(t, f.adminUser.username, f.password);
    const m = f.market.id as string;
    // Open until 23:59: any close today (but in its last minute) is early.
    await setHours(s, m, '周一至周日 00:00-23:59');
    for (let i = 1; i <= 2; i++) await append(s, m, `上午巡查 ${i}`);
    const refused = await t.http.post(`/api/v1/markets/${m}/ledger/days/${TODAY}/close`).set(s.auth).send({}).expect(422);
    expect(refused.body.errors).toEqual([{ field: 'reason', message: expect.stringContaining('提前日结须填写原因') }]);
    const en = await t.http.post(`/api/v1/markets/${m}/ledger/days/${TODAY}/close`).set(s.auth).set('Accept-Language', 'en').send({}).expect(422);
    expect(en.body.errors[0].message).toMatch(/closing time.*needs a reason/);
    const first = await t.http.post(`/api/v1/markets/${m}/ledger/days/${TODAY}/close`).set(s.auth).send({ reason: '下午停电，提前收市' }).expect(201);
    expect(first.body).toEqual([expect.objectContaining({ businessDay: TODAY, count: 2, part: 0, earlyReason: '下午停电，提前收市' })]);
    // Work goes on after the close: it stays on today, never tomorrow.
    for (let i = 3; i <= 5; i++) {
      const e = await append(s, m, `下午走访 ${i}`);
      expect(e.body).toMatchObject({ seq: i, businessDay: TODAY, late: false });
    }
    const preview = await t.http.get(`/api/v1/markets/${m}/ledger/close-preview`).query({ day: TODAY }).set(s.auth).expect(200);
    expect(preview.body).toMatchObject({ days: [{ businessDay: TODAY, count: 3, firstSeq: 3, lastSeq: 5, part: 1 }], early: true, closesAt: '23:59',
      openWork: { unsettledHires: 0, unconfirmedPlacements: 0, toolsOut: 0 } });
    let days = (await t.http.get(`/api/v1/markets/${m}/ledger/days`).query(RANGE).set(s.auth).expect(200)).body;
    expect(days[0]).toMatchObject({ businessDay: TODAY, count: 5, sealed: true, unsealedTail: 3, earlyReason: '下午停电，提前收市' });

    // The analytics rollup folds only what is sealed, and a supplementary seal re-rolls the day.
    const analytics = t.app.get(AnalyticsService);
    await analytics.rollupRange({ marketIds: [m], from: TODAY, to: TODAY, onlyStale: true });
    const rolled = async () => (await t.owner.query('SELECT entries FROM analytics_days WHERE market_id = $1 AND business_day = $2', [m, TODAY]))[0]?.entries;
    expect(await rolled()).toBe(2);

    const second = await t.http.post(`/api/v1/markets/${m}/ledger/days/${TODAY}/close`).set(s.auth).send({ reason: '补充封存下午的记录' }).expect(201);
    expect(second.body).toEqual([expect.objectContaining({ businessDay: TODAY, count: 3, firstSeq: 3, lastSeq: 5, part: 1 })]);
    await t.http.post(`/api/v1/markets/${m}/ledger/days/${TODAY}/close`).set(s.auth).send({ reason: '再次日结' }).expect(409);
    days = (await t.http.get(`/api/v1/markets/${m}/ledger/days`).query(RANGE).set(s.auth).expect(200)).body;
    expect(days[0]).toMatchObject({ businessDay: TODAY, count: 5, sealed: true, supplements: 1, verification: 'verified' });
    expect(days[0].unsealedTail).toBeUndefined();
    expect((await analytics.rollupRange({ marketIds: [m], from: TODAY, to: TODAY, onlyStale: true })).rolled).toBe(1);
    expect(await rolled()).toBe(5);

    // Both seals verify through the API and offline, with the authority's receipts (one per part).
    const receipts = (await t.http.get(`/api/v1/markets/${m}/ledger/receipts`).query(RANGE).set(county.auth).expect(200)).text;
    expect(receipts.trim().split('\n').map((l) => JSON.parse(l).part ?? 0)).toEqual([0, 1]);
    const receiptsFile = join(dir, 'receipts-early.jsonl');
    writeFileSync(receiptsFile, receipts);
    const { api, offline } = await verifyBoth({ s, m, receiptsFile }, 'early');
    expect(api).toMatchObject({ ok: true, entries: 5, seals: 2, receipts: 2 });
    expect(offline).toMatchObject({ ok: true, entries: 5, seals: 2, receipts: 2 });
    // A rewritten supplementary entry is caught in its part.
    await asSuperuser(`UPDATE ledger_entries SET payload = '{"title":"改"}' WHERE market_id = $1 AND seq = 4`, [m]);
    const broken = (await t.http.get(`/api/v1/markets/${m}/ledger/verify`).query(RANGE).set(county.auth).expect(200)).body;
    expect(broken.firstBad).toMatchObject({ seq: 4, code: 'hash' });
  });

  it('the close preview warns about open work, counted by the owning contexts (issue 17 §1)', async () => {
    const admin = await login(t, 'op1.admin');
    const m = demoId('m-zhongmu');
    const preview = await t.http.get(`/api/v1/markets/${m}/ledger/close-preview`).query({ day: TODAY }).set(admin.auth).expect(200);
    // Recomputed from the tables, independently of the services that count it.
    const [p] = await t.owner.query(
      `SELECT count(*) FILTER (WHERE status IN ('confirmed', 'started'))::int AS hires, count(*) FILTER (WHERE status = 'recommended')::int AS unconfirmed
       FROM placements WHERE market_id = $1`, [m]);
    const [l] = await t.owner.query(`SELECT count(*)::int AS n FROM tool_loans WHERE market_id = $1 AND status = 'lent'`, [m]);
    expect(preview.body.openWork).toEqual({ unsettledHires: p.hires, unconfirmedPlacements: p.unconfirmed, toolsOut: l.n });
    expect(preview.body.closesAt).toBe('18:00');
    // The seeded history is sealed (seals written by the demo seed, not by closeDay) and is not sealed again:
    // what is pending starts after the market's last seal, whatever the day (a day before today is pending
    // when suites of the shared test database recorded on it after its seal, e.g. across midnight).
    const [{ sealed }] = await t.owner.query('SELECT COALESCE(max(last_seq), 0)::int AS sealed FROM ledger_seals WHERE market_id = $1', [m]);
    const [{ after }] = await t.owner.query('SELECT count(*)::int AS after FROM ledger_entries WHERE market_id = $1 AND seq > $2 AND business_day <= $3', [m, sealed, TODAY]);
    const pending = preview.body.days as { businessDay: string; count: number; firstSeq: number | null }[];
    expect(pending.every((d) => d.firstSeq === null || d.firstSeq > sealed)).toBe(true);
    expect(pending.reduce((a, d) => a + d.count, 0)).toBe(after);
  });

  it('the deadline job seals the rest of an early-closed day as a supplementary seal of that day', async () => {
    const jobs = t.app.get(LedgerJobs);
    const f = await freshTenant(t, 'tail');
    const s = await login(t, f.adminUser.username, f.password);
    const m = f.market.id as string;
    await setHours(s, m, '周一至周日 00:00-23:59');
    await append(s, m, '上午巡查');
    await t.http.post(`/api/v1/markets/${m}/ledger/days/${TODAY}/close`).set(s.auth).send({ reason: '提前收市' }).expect(201);
    await append(s, m, '晚间补记');
    const tomorrow3am = new Date(Date.parse(`${TODAY}T03:00:00+08:00`) + 86_400_000);
    expect((await jobs.closeOverdue(tomorrow3am, [m])).closed).toEqual([{ marketId: m, through: TODAY }]);
    const seals = await t.owner.query('SELECT part, count, late FROM ledger_seals WHERE market_id = $1 ORDER BY part', [m]);
    expect(seals).toEqual([{ part: 0, count: 1, late: false }, { part: 1, count: 1, late: true }]);
    expect((await jobs.closeOverdue(tomorrow3am, [m])).closed).toEqual([]);
  });

  it('records the county\'s check of a market\'s days: the seal review shows 已核验 with who and when, and open days with nothing as gaps (issue 17 §2)', async () => {
    const f = await freshTenant(t, 'checked');
    const s = await login(t, f.adminUser.username, f.password);
    const m = f.market.id as string;
    await setHours(s, m, '周一至周日 00:00-00:01');
    // The market was registered four days ago; it recorded and closed only today.
    await asSuperuser('UPDATE markets SET created_at = now() - interval \'4 days\' WHERE id = $1', [m]);
    await append(s, m, '巡查');
    await t.http.post(`/api/v1/markets/${m}/ledger/days/${TODAY}/close`).set(s.auth).send({}).expect(201);
    const review = async () => (await t.http.get('/api/v1/ledger/seals').query({ from: daysAgo(6), to: TODAY, marketId: m }).set(county.auth).expect(200)).body;
    let rows = await review();
    expect(rows.find((r: { row: string }) => r.row === 'seal')).toMatchObject({ businessDay: TODAY, verification: 'unchecked', verifiedAt: null });
    expect(rows.filter((r: { row: string }) => r.row === 'gap').map((r: { businessDay: string }) => r.businessDay)).toEqual([daysAgo(1), daysAgo(2), daysAgo(3), daysAgo(4)]);
    await t.http.get(`/api/v1/markets/${m}/ledger/verify`).query({ from: daysAgo(6), to: TODAY }).set(county.auth).expect(200);
    rows = await review();
    expect(rows.find((r: { row: string }) => r.row === 'seal')).toMatchObject({ verification: 'verified', verifiedByName: expect.any(String), verifiedByOrg: expect.any(String) });
    const checks = (await t.http.get(`/api/v1/markets/${m}/ledger/verifications`).set(s.auth).expect(200)).body;
    expect(checks).toEqual([expect.objectContaining({ from: daysAgo(6), to: TODAY, ok: true, entries: 1, seals: 1, orgKind: 'county', verifiedByName: expect.any(String) })]);
    // A failing check shows as such.
    await asSuperuser(`UPDATE ledger_entries SET payload = '{"title":"改"}' WHERE market_id = $1 AND seq = 1`, [m]);
    await t.http.get(`/api/v1/markets/${m}/ledger/verify`).query({ from: daysAgo(6), to: TODAY }).set(county.auth).expect(200);
    rows = await review();
    expect(rows.find((r: { row: string }) => r.row === 'seal')).toMatchObject({ verification: 'broken', problem: 'verification_failed' });
  });

  it('refuses a manual entry dated before the market existed, in the caller\'s language (issue 17 §3)', async () => {
    const f = await freshTenant(t, 'old');
    const s = await login(t, f.adminUser.username, f.password);
    const r = await t.http.post(`/api/v1/markets/${f.market.id}/ledger/entries`).set(s.auth)
      .send({ kind: 'manual_visit', occurredAt: '1900-01-01T09:00:00+08:00', title: '百年前的走访' }).expect(422);
    expect(r.body.errors).toEqual([{ field: 'occurredAt', message: '发生时间不能早于本市场建立的日期' }]);
    expect(r.body.earliest).toBe(TODAY);
    const en = await t.http.post(`/api/v1/markets/${f.market.id}/ledger/entries`).set(s.auth).set('Accept-Language', 'en')
      .send({ kind: 'manual_visit', occurredAt: `${daysAgo(1)}T09:00:00+08:00`, title: '昨天的走访' }).expect(422);
    expect(en.body.errors).toEqual([{ field: 'occurredAt', message: 'The time it happened cannot be before the day this market was set up' }]);
    // The day it was registered is fine (recorded late, and shown so).
    await t.http.post(`/api/v1/markets/${f.market.id}/ledger/entries`).set(s.auth).send({ kind: 'manual_visit', occurredAt: new Date().toISOString(), title: '今天的走访' }).expect(201);
    const [{ n }] = await t.owner.query('SELECT count(*)::int AS n FROM ledger_entries WHERE market_id = $1', [f.market.id]);
    expect(n).toBe(1);
  });

  it('searches a market\'s entries by text taken literally, by stored codes and kinds the reader\'s words stand for, and by recorder', async () => {
    const m = demoId('m-zhongmu');
    const desk = await login(t, 'op1.desk');
    // What the search looks for: complaints filed on the public page (category codes), a manual entry whose place
    // holds a qualified value (`zz_probe:north`, as a third-party post's `source: third_party:x`).
    for (const category of ['wage_arrears', 'illegal_fee']) {
      await t.http.post(`/api/v1/public/markets/${m}/complaints`).send({ category, content: '搜索测试：投诉内容', anonymous: true }).expect(201);
    }
    await t.http.post(`/api/v1/markets/${m}/ledger/entries`).set(desk.auth)
      .send({ kind: 'manual_visit', occurredAt: new Date().toISOString(), title: '搜索测试：走访', place: 'zz_probe:north' }).expect(201);
    const range = { from: '2026-01-01', to: TODAY };
    const total = async (query: Record<string, string>, who: Session = county) =>
      (await t.http.get(`/api/v1/markets/${m}/ledger/entries`).query({ ...range, ...query, pageSize: 1 }).set(who.auth).expect(200)).body.total as number;
    // Independent counts over the market's stored entries.
    const count = async (where: string) => (await t.owner.query(
      `SELECT count(*)::int AS n FROM ledger_entries WHERE market_id = $1 AND business_day BETWEEN $2 AND $3 AND (${where})`, [m, range.from, range.to]))[0].n as number;
    const arrears = await count(`payload->>'category' = 'wage_arrears'`);
    const fees = await count(`payload->>'category' = 'illegal_fee'`);
    const settlements = await count(`kind = 'settlement'`);
    expect(arrears).toBeGreaterThan(0);
    expect(fees).toBeGreaterThan(0);
    // A code typed as text is taken literally (`_` is not a wildcard, nor dropped: `wagearrears` matched nothing).
    expect(await total({ q: 'wage_arrears' })).toBe(arrears);
    expect(await total({ q: 'wage%arrears' })).toBe(0);
    // The codes the console reads from the reader's words (拖欠工资 → wage_arrears), a qualified value by its first part.
    expect(await total({ qCodes: 'wage_arrears' })).toBe(arrears);
    expect(await total({ qCodes: 'wage_arrears,illegal_fee' })).toBe(arrears + fees);
    expect(await total({ qCodes: 'zz_probe' })).toBe(1);
    expect(await total({ qCodes: 'zz_pro' })).toBe(0);
    expect(await total({ qKinds: 'settlement' })).toBe(settlements);
    // Any of text, codes and kinds; the kind filter still narrows.
    expect(await total({ q: '没有这段文字', qCodes: 'wage_arrears', qKinds: 'manual_visit' })).toBe(arrears + await count(`kind = 'manual_visit'`));
    expect(await total({ kind: 'manual_visit', qCodes: 'wage_arrears,zz_probe' })).toBe(1);
    // The recorder by name (as the entry shows it) or username, for the operator and for the county.
    expect(await count(`actor_name = 'op1.desk'`)).toBeGreaterThan(0);
    const byName = await count(`actor_name = 'op1.desk' OR payload::text LIKE '%周强%' OR reason LIKE '%周强%'`);
    expect(await total({ q: '周强' })).toBe(byName);
    expect(await total({ q: '周强' }, desk)).toBe(byName);
    expect(await total({ q: 'op1.desk' })).toBe(await count(`actor_name = 'op1.desk' OR payload::text LIKE '%op1.desk%'`));
    // Bad codes are refused in the caller's language and nothing is searched.
    const bad = await t.http.get(`/api/v1/markets/${m}/ledger/entries`).query({ qCodes: 'wage_arrears,x|y' }).set(county.auth).set('Accept-Language', 'en').expect(400);
    expect(JSON.stringify(bad.body)).toContain('A search code is lowercase letters');
    const badKind = await t.http.get(`/api/v1/markets/${m}/ledger/entries`).query({ qKinds: 'nope' }).set(county.auth).expect(400);
    expect(JSON.stringify(badKind.body)).toContain('搜索代码');
    await t.http.get(`/api/v1/markets/${m}/ledger/entries`).query({ qCodes: Array.from({ length: 201 }, (_, i) => `c${i}`).join(',') }).set(county.auth).expect(400);
  });
});
