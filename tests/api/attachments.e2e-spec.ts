import { randomBytes } from 'node:crypto';
import { AttachmentsPerTenant1763802100000 } from '@linggong/api-ledger';
import { bootApp, demoId, freshTenant, login, tableCounts, type Session, type TestApp } from '../support/app';

/**
 * Attachments bound to their tenant (issue 12, finding 2) and served as safe downloads (finding 7).
 *
 * Tenant A is op2 (宜阳, region 410327); tenant B is a fresh operator in 中牟 (410122), the county
 * reviewer's region — an authority OUTSIDE A's region. Before the fix B could cite A's hash (the
 * employer verification did not check it), after which B and the 中牟 reviewer could download A's file.
 */
describe('attachments: cited only by their own tenant, read by their own tenant and region', () => {
  let t: TestApp;
  let a: Session;
  let b: Session;
  let reviewer: Session;
  let platform: Session;
  let bMarket: string;
  const aBytes = randomBytes(64);
  let aHash = '';
  const upload = (s: Session, content: Buffer, filename: string, mime = 'image/jpeg') =>
    t.http.post('/api/v1/ledger/attachments').set(s.auth).send({ filename, mime, contentBase64: content.toString('base64') });

  beforeAll(async () => {
    t = await bootApp();
    a = await login(t, 'op2.admin');
    const f = await freshTenant(t, 'att');
    b = await login(t, f.adminUser.username, f.password);
    bMarket = f.market.id;
    reviewer = await login(t, 'county.reviewer');
    platform = await login(t, 'admin');
    const up = await upload(a, aBytes, 'A-的身份证照片.jpg').expect(201);
    aHash = up.body.hash;
  });
  afterAll(() => t.close());

  const employer = async (s: Session, market: string, name: string) =>
    (await t.http.post(`/api/v1/markets/${market}/employers`).set(s.auth)
      .send({ kind: 'individual', name, contactName: '王师傅', contactPhone: '13912345670' }).expect(201)).body.id as string;

  it('refuses, on every route that cites attachments, a hash of another tenant or one never uploaded: 422 naming the field, nothing written', async () => {
    const emp = await employer(b, bMarket, `个体户附件${Date.now() % 100000}`);
    const complaint = (await t.http.post('/api/v1/complaints').set(b.auth)
      .send({ marketId: bMarket, channel: 'hotline', category: 'dispute', content: '附件测试：现场纠纷投诉', anonymous: true }).expect(201)).body.complaint.id;
    const before = await tableCounts(t);
    for (const hash of [aHash, 'b'.repeat(64)]) {
      const cites = [
        t.http.post(`/api/v1/markets/${bMarket}/ledger/entries`).set(b.auth).set('Accept-Language', 'en')
          .send({ kind: 'manual_visit', occurredAt: new Date().toISOString(), title: '走访', attachments: [hash] }),
        t.http.post(`/api/v1/employers/${emp}/verification`).set(b.auth).set('Accept-Language', 'en')
          .send({ decision: 'verified', evidence: '营业执照已核验', attachments: [hash] }),
        t.http.post(`/api/v1/complaints/${complaint}/records`).set(b.auth).set('Accept-Language', 'en')
          .send({ kind: 'call', content: '电话联系投诉人', attachments: [hash] }),
      ];
      for (const [i, req] of cites.entries()) {
        const res = await req;
        expect([i, res.status, res.body.errors]).toEqual([i, 422, [{ field: 'attachments', message: 'Attachment not found; upload it first' }]]);
      }
    }
    expect(await tableCounts(t)).toEqual(before);
    // Nothing opened either: B, B's county reviewer and everyone else outside A get 404; A and the platform 200.
    for (const s of [b, reviewer]) await t.http.get(`/api/v1/ledger/attachments/${aHash}`).set(s.auth).expect(404);
    for (const s of [a, platform]) await t.http.get(`/api/v1/ledger/attachments/${aHash}`).set(s.auth).expect(200);
  });

  it('lets each tenant store the same bytes without learning that another did, and keeps each copy its own', async () => {
    // A fresh file and the bytes A already stored look the same to B: 201, the same fields.
    const fresh = await upload(b, randomBytes(64), 'B-新文件.jpg').expect(201);
    const same = await upload(b, aBytes, 'B-自己的照片.jpg').expect(201);
    expect(Object.keys(same.body).sort()).toEqual(Object.keys(fresh.body).sort());
    expect(same.body).toEqual({ hash: aHash, size: aBytes.length, alg: fresh.body.alg });
    // Neither blocks the other: A uploads its bytes again; B uploads again too.
    await upload(a, aBytes, 'A-再次上传.jpg').expect(201);
    await upload(b, aBytes, 'B-再次上传.jpg').expect(201);
    const [{ n }] = await t.owner.query('SELECT count(*)::int AS n FROM ledger_attachments WHERE hash = $1', [aHash]);
    expect(n).toBe(2);

    // B now cites its own copy: accepted, and B gets B's copy (B's name), never A's.
    const emp = await employer(b, bMarket, `个体户自有附件${Date.now() % 100000}`);
    await t.http.post(`/api/v1/employers/${emp}/verification`).set(b.auth)
      .send({ decision: 'verified', evidence: '营业执照已核验', attachments: [aHash] }).expect(200);
    const mine = await t.http.get(`/api/v1/ledger/attachments/${aHash}`).set(b.auth).expect(200);
    expect(decodeURIComponent(String(mine.headers['content-disposition']))).toContain('B-自己的照片.jpg');
    // B's county reviewer reads the copy B cited, not A's.
    const rev = await t.http.get(`/api/v1/ledger/attachments/${aHash}`).set(reviewer.auth).expect(200);
    expect(decodeURIComponent(String(rev.headers['content-disposition']))).toContain('B-自己的照片.jpg');
    expect(decodeURIComponent(String(rev.headers['content-disposition']))).not.toContain('A-');
    // A still reads its own.
    const own = await t.http.get(`/api/v1/ledger/attachments/${aHash}`).set(a.auth).expect(200);
    expect(decodeURIComponent(String(own.headers['content-disposition']))).toContain('A-的身份证照片.jpg');
    expect(Buffer.from(own.body).equals(aBytes)).toBe(true);
  });

  it('opens an attachment to an authority only where its own tenant cited it', async () => {
    const onlyA = randomBytes(48);
    const up = await upload(a, onlyA, 'A-巡查照片.jpg').expect(201);
    // Uncited: only A (and the platform).
    await t.http.get(`/api/v1/ledger/attachments/${up.body.hash}`).set((await login(t, 'province.auditor')).auth).expect(404);
    await t.http.post(`/api/v1/markets/${demoId('m-yiyang')}/ledger/entries`).set(a.auth)
      .send({ kind: 'manual_patrol', occurredAt: new Date().toISOString(), title: '巡查', attachments: [up.body.hash] }).expect(201);
    // Cited by A in 宜阳: the province (41) reads it; 中牟's reviewer (410122) does not.
    await t.http.get(`/api/v1/ledger/attachments/${up.body.hash}`).set((await login(t, 'province.auditor')).auth).expect(200);
    await t.http.get(`/api/v1/ledger/attachments/${up.body.hash}`).set(reviewer.auth).expect(404);
    await t.http.get(`/api/v1/ledger/attachments/${up.body.hash}`).set(b.auth).expect(404);
  });

  it('refuses, in the database too, a work-log entry citing a hash its tenant has not stored', async () => {
    const [m] = await t.owner.query('SELECT id, tenant_id FROM markets WHERE id = $1', [bMarket]);
    const ok = await t.owner.query('SELECT ledger_attachments_owned($1, $2::text[]) AS ok', [m.tenant_id, [aHash]]);
    expect(ok[0].ok).toBe(true);
    const [{ ok: foreign }] = await t.owner.query('SELECT ledger_attachments_owned($1, $2::text[]) AS ok', [m.tenant_id, ['c'.repeat(64)]]);
    expect(foreign).toBe(false);
    const [trigger] = await t.owner.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'ledger_entries'::regclass AND tgname = 'ledger_entries_own_attachments'`);
    expect(trigger).toBeDefined();
  });

  it('migrates legacy rows safely: a tenant that uploaded the same bytes gets its own copy; a citation of bytes it never uploaded opens nothing', async () => {
    // Inside one transaction that is rolled back: back to the legacy schema, legacy rows, then the migration.
    const qr = t.owner.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    try {
      const migration = new AttachmentsPerTenant1763802100000();
      await migration.down(qr);
      const [m] = await qr.query('SELECT id, tenant_id, region_code FROM markets WHERE id = $1', [bMarket]);
      const [{ tenant_id: tenantA }] = await qr.query('SELECT tenant_id FROM markets WHERE id = $1', [demoId('m-yiyang')]);
      const legit = 'd'.repeat(64);
      const stolen = 'e'.repeat(64);
      for (const h of [legit, stolen]) {
        await qr.query(`INSERT INTO ledger_attachments (hash, tenant_id, alg, filename, mime, size, content) VALUES ($1, $2, 'sm3', 'A-原件.jpg', 'text/html', 3, '\x414243')`, [h, tenantA]);
      }
      // B uploaded the legit bytes itself (legacy: nothing stored, its audit event remains), and never the stolen ones.
      await qr.query(`INSERT INTO audit_events (id, action, tenant_id, subject_type, subject_id, summary) VALUES (gen_random_uuid(), 'ledger.attachment_upload', $1, 'Attachment', $2, '{"filename": "B-自己的.jpg", "size": 3}')`, [m.tenant_id, legit]);
      await qr.query(
        `INSERT INTO ledger_entries (market_id, seq, id, tenant_id, region_code, kind, occurred_at, recorded_at, business_day, payload, attachments, prev_hash, hash, alg)
         VALUES ($1, 900001, gen_random_uuid(), $2, $3, 'manual_note', now(), now(), current_date, '{}', $4, 'x', 'y', 'sm3')`,
        [m.id, m.tenant_id, m.region_code, [legit, stolen]]);
      await migration.up(qr);
      const rows: { tenant_id: string; hash: string; filename: string; mime: string }[] = await qr.query(
        'SELECT tenant_id, hash, filename, mime FROM ledger_attachments WHERE hash = ANY($1) ORDER BY hash, tenant_id = $2', [[legit, stolen], tenantA]);
      expect(rows.map((r) => [r.hash === legit ? 'legit' : 'stolen', r.tenant_id === tenantA ? 'A' : r.tenant_id === m.tenant_id ? 'B' : '?', r.filename, r.mime])).toEqual([
        ['legit', 'B', 'B-自己的.jpg', 'application/octet-stream'],
        ['legit', 'A', 'A-原件.jpg', 'text/html'],
        ['stolen', 'A', 'A-原件.jpg', 'text/html'],
      ]);
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
    }
  });

  it('serves every attachment as a download with a sniffed safe type and nosniff, never the uploader\'s type', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(32)]);
    const cases: [Buffer, string, string, string][] = [
      [Buffer.from(`<html><script>alert(document.cookie)</script>${Date.now()}</html>`), 'page.html', 'text/html', 'application/octet-stream'],
      [Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">${Date.now()}</svg>`), 'x.svg', 'image/svg+xml', 'application/octet-stream'],
      [png, 'looks-like.html', 'text/html', 'image/png'],
      [Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(16)]), '证明.pdf', 'application/pdf', 'application/pdf'],
      [Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(16)]), '照片.jpg', 'image/jpeg', 'image/jpeg'],
    ];
    for (const [bytes, name, mime, served] of cases) {
      const up = await upload(b, bytes, name, mime).expect(201);
      const res = await t.http.get(`/api/v1/ledger/attachments/${up.body.hash}`).set(b.auth).expect(200);
      expect([name, res.headers['content-type']]).toEqual([name, served]);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(String(res.headers['content-disposition'])).toMatch(/^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''/);
      expect(String(res.headers['content-security-policy'])).toContain('sandbox');
    }
  });
});
