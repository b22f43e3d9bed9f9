import { createHash } from 'node:crypto';
import { TOOLS_RECONCILE_QUEUE } from '@linggong/api-tools';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { QueueEvents, type Queue } from 'bullmq';
import { Client } from 'pg';
import { loadConfig } from '@linggong/api-core';
import { WorkerModule } from '../../apps/worker/src/app/worker.module';
import { bootApp, freshTenant, login, tableCounts, type Session, type TestApp } from '../support/app';
import { signaturePng } from '../support/tools';

let phone = 13500000000 + (Date.now() % 1_000_000) * 10;
const b64 = (b: Buffer) => b.toString('base64');

/** Tool rental end to end (R-B11; 004 附件4; issue 5 §3). */
describe('tool rental', () => {
  let t: TestApp;
  let f: Awaited<ReturnType<typeof freshTenant>>;
  let admin: Session;
  let desk: Session;
  let manager: Session;
  let workerId: string;
  let seq = 0;

  const tool = async (extra: Record<string, unknown> = {}) =>
    (await t.http.post(`/api/v1/markets/${f.market.id}/tools`).set(manager.auth).send({
      code: `T-${Date.now().toString(36)}-${++seq}`, name: '电动冲击钻', category: 'regular', valueFen: 40000, depositFen: 5000, dailyFeeFen: 1000, ...extra,
    }).expect(201)).body;
  const approvedLoan = async (toolId: string) => {
    const loan = (await t.http.post(`/api/v1/tools/${toolId}/loans`).set(desk.auth).send({ workerId, days: 2, purpose: '装修' }).expect(201)).body;
    await t.http.post(`/api/v1/tool-loans/${loan.id}/decision`).set(manager.auth).send({ decision: 'approved' }).expect(200);
    return loan;
  };
  const lent = async (toolId: string) => {
    const loan = await approvedLoan(toolId);
    await t.http.post(`/api/v1/tool-loans/${loan.id}/lend`).set(desk.auth).send({ signaturePngBase64: b64(signaturePng(++seq)) }).expect(200);
    return loan;
  };
  const ledgerKinds = async () => (await t.owner.query(`SELECT kind, subject_id FROM ledger_entries WHERE market_id = $1 ORDER BY seq`, [f.market.id])) as { kind: string; subject_id: string }[];

  beforeAll(async () => {
    t = await bootApp();
    f = await freshTenant(t, 'tl', ['market_manager']);
    admin = await login(t, f.adminUser.username, f.password);
    desk = await login(t, f.deskUser.username, f.password);
    manager = await f.signIn('market_manager');
    workerId = (await t.http.post(`/api/v1/markets/${f.market.id}/workers`).set(desk.auth).send({ name: '孙木匠', mobile: String(++phone), consent: true }).expect(201)).body.id;
  });
  afterAll(() => t.close());

  it('keeps an inventory per market with condition and value; simple tools carry a deposit and no fee', async () => {
    const simple = await tool({ name: '铁锹', category: 'simple', valueFen: 3000, depositFen: 2000, dailyFeeFen: 0 });
    expect(simple).toMatchObject({ category: 'simple', condition: 'good', status: 'available', valueFen: 3000, depositFen: 2000, dailyFeeFen: 0, activeLoan: null });
    const before = await tableCounts(t);
    const r = await t.http.post(`/api/v1/markets/${f.market.id}/tools`).set(manager.auth)
      .send({ code: 'BAD-1', name: '榔头', category: 'simple', valueFen: 2000, depositFen: 1000, dailyFeeFen: 200 }).expect(400);
    expect(r.body.errors).toEqual([{ field: 'dailyFeeFen', message: '简易工具免收租赁费，只收押金（附件4 第五条）' }]);
    await t.http.post(`/api/v1/markets/${f.market.id}/tools`).set(manager.auth).send({ code: simple.code, name: '铁锹', category: 'simple', valueFen: 3000, depositFen: 0 }).expect(409);
    // The desk lends; adding to the inventory is the manager's (附件4 第五条(一)).
    await t.http.post(`/api/v1/markets/${f.market.id}/tools`).set(desk.auth).send({ code: 'DESK-1', name: '榔头', category: 'simple', valueFen: 2000, depositFen: 1000 }).expect(403);
    expect(await tableCounts(t)).toEqual(before);
    const list = await t.http.get('/api/v1/tools').query({ marketId: f.market.id, category: 'simple' }).set(desk.auth).expect(200);
    expect(list.body.items.map((x: { id: string }) => x.id)).toContain(simple.id);
    const added = (await ledgerKinds()).filter((e) => e.kind === 'tool_added' && e.subject_id === simple.id);
    expect(added).toHaveLength(1);
  });

  it('refuses to hand out a tool without the manager\'s approval, and lends it once approved and signed', async () => {
    const drill = await tool();
    const loan = (await t.http.post(`/api/v1/tools/${drill.id}/loans`).set(desk.auth).send({ workerId, days: 2 }).expect(201)).body;
    expect(loan).toMatchObject({ status: 'requested', depositFen: 5000, dailyFeeFen: 1000, workerName: '孙木匠' });
    // A second request for the same tool waits for the first.
    await t.http.post(`/api/v1/tools/${drill.id}/loans`).set(desk.auth).send({ workerId }).expect(409);

    const before = await tableCounts(t);
    const refused = await t.http.post(`/api/v1/tool-loans/${loan.id}/lend`).set(desk.auth).send({ signaturePngBase64: b64(signaturePng(1)) }).expect(409);
    expect(refused.body.title).toBe('借用申请未经市场负责人审批，不能借出（先批后租）');
    expect(await tableCounts(t)).toEqual(before);
    expect((await t.http.get(`/api/v1/tools/${drill.id}`).set(desk.auth).expect(200)).body.tool.status).toBe('available');

    // The desk cannot approve; nor may anyone approve their own request.
    await t.http.post(`/api/v1/tool-loans/${loan.id}/decision`).set(desk.auth).send({ decision: 'approved' }).expect(403);
    const own = (await t.http.post(`/api/v1/tools/${(await tool()).id}/loans`).set(manager.auth).send({ workerId }).expect(201)).body;
    const self = await t.http.post(`/api/v1/tool-loans/${own.id}/decision`).set(manager.auth).send({ decision: 'approved' }).expect(403);
    expect(self.body.title).toBe('审批应由申请人以外的人员进行');
    await t.http.post(`/api/v1/tool-loans/${own.id}/cancel`).set(manager.auth).expect(200);

    await t.http.post(`/api/v1/tool-loans/${loan.id}/decision`).set(manager.auth).send({ decision: 'approved' }).expect(200);
    // Handing out needs the signature, as a PNG.
    const noSig = await t.http.post(`/api/v1/tool-loans/${loan.id}/lend`).set(desk.auth).send({}).expect(400);
    expect(noSig.body.errors[0].field).toBe('signaturePngBase64');
    const notPng = await t.http.post(`/api/v1/tool-loans/${loan.id}/lend`).set(desk.auth).send({ signaturePngBase64: b64(Buffer.alloc(300, 7)) }).expect(422);
    expect(notPng.body.errors).toEqual([{ field: 'signaturePngBase64', message: '签名应为 PNG 图片' }]);
    expect(await tableCounts(t)).toMatchObject({ tool_signatures: before['tool_signatures'], tool_deposit_movements: before['tool_deposit_movements'] });

    const png = signaturePng(42);
    const out = await t.http.post(`/api/v1/tool-loans/${loan.id}/lend`).set(desk.auth).send({ signaturePngBase64: b64(png) }).expect(200);
    expect(out.body).toMatchObject({ status: 'lent', signatureHash: createHash('sm3').update(png).digest('hex') });
    const sig = await t.http.get(`/api/v1/tool-loans/${loan.id}/signature`).set(manager.auth).buffer(true).parse((res, cb) => {
      const parts: Buffer[] = []; res.on('data', (c: Buffer) => parts.push(c)); res.on('end', () => cb(null, Buffer.concat(parts)));
    }).expect(200);
    expect(sig.headers['content-type']).toBe('image/png');
    // Never cached: every view must reach the server, which audits it.
    expect(sig.headers['cache-control']).toBe('no-store');
    expect(Buffer.compare(sig.body as Buffer, png)).toBe(0);
    // Every view of a signature is audited, the county reviewer's too.
    const county = await login(t, 'county.reviewer');
    await t.http.get(`/api/v1/tool-loans/${loan.id}/signature`).set(county.auth).expect(200);
    const views = await t.owner.query(`SELECT actor_username FROM audit_events WHERE action = 'tool.signature_view' AND subject_id = $1 ORDER BY occurred_at`, [loan.id]);
    expect(views.map((v: { actor_username: string }) => v.actor_username)).toEqual([manager.user.username, 'county.reviewer']);
    expect((await t.http.get(`/api/v1/tools/${drill.id}`).set(desk.auth).expect(200)).body.tool).toMatchObject({ status: 'on_loan', activeLoan: { id: loan.id, status: 'lent' } });
    const mv = await t.owner.query(`SELECT kind, amount_fen FROM tool_deposit_movements WHERE loan_id = $1`, [loan.id]);
    expect(mv).toEqual([{ kind: 'received', amount_fen: 5000 }]);
    // Each step in the work log, chained, in order.
    const mine = (await ledgerKinds()).filter((e) => e.subject_id === loan.id).map((e) => e.kind);
    expect(mine).toEqual(['tool_loan_request', 'tool_loan_decision', 'tool_loan']);
    const [entry] = await t.owner.query(`SELECT payload FROM ledger_entries WHERE subject_id = $1 AND kind = 'tool_loan'`, [loan.id]);
    expect(entry.payload).toMatchObject({ loanId: loan.id, depositFen: 5000, signatureHash: out.body.signatureHash, approvedBy: manager.user.id });
    // Lent once, not twice.
    await t.http.post(`/api/v1/tool-loans/${loan.id}/lend`).set(desk.auth).send({ signaturePngBase64: b64(png) }).expect(409);
  });

  it('a return with damage produces a charge: fee for the days kept and damage come out of the deposit, the rest is due', async () => {
    const drill = await tool({ valueFen: 40000, depositFen: 5000, dailyFeeFen: 1000 });
    const loan = await lent(drill.id);
    // Kept three days (Asia/Shanghai calendar days).
    await t.owner.query(`UPDATE tool_loans SET lent_at = now() - interval '3 days' WHERE id = $1`, [loan.id]);
    const before = await tableCounts(t);
    const bad = await t.http.post(`/api/v1/tool-loans/${loan.id}/return`).set(desk.auth).send({ condition: 'damaged', inspectionNote: '电机烧毁' }).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'damageFen', message: '工具损坏时请填写赔偿金额' }]);
    await t.http.post(`/api/v1/tool-loans/${loan.id}/return`).set(desk.auth).send({ condition: 'damaged', inspectionNote: '电机烧毁', damageFen: 50000 }).expect(422);
    expect(await tableCounts(t)).toEqual(before);

    const r = await t.http.post(`/api/v1/tool-loans/${loan.id}/return`).set(desk.auth).send({ condition: 'damaged', inspectionNote: '电机烧毁', damageFen: 8000 }).expect(200);
    expect(r.body).toMatchObject({
      status: 'returned', returnCondition: 'damaged', daysCharged: 3, feeFen: 3000, damageFen: 8000,
      depositForfeitedFen: 5000, depositRefundedFen: 0, balanceDueFen: 6000,
    });
    const charges = await t.owner.query(`SELECT kind, amount_fen, from_deposit_fen FROM tool_charges WHERE loan_id = $1 ORDER BY kind`, [loan.id]);
    expect(charges).toEqual([{ kind: 'damage', amount_fen: 8000, from_deposit_fen: 2000 }, { kind: 'rental_fee', amount_fen: 3000, from_deposit_fen: 3000 }]);
    const mv = await t.owner.query(`SELECT kind, amount_fen FROM tool_deposit_movements WHERE loan_id = $1 ORDER BY occurred_at, kind`, [loan.id]);
    expect(mv).toEqual([{ kind: 'received', amount_fen: 5000 }, { kind: 'forfeited', amount_fen: 5000 }]);
    const acct = (await t.http.get(`/api/v1/tools/${drill.id}`).set(manager.auth).expect(200)).body;
    expect(acct.tool).toMatchObject({ status: 'damaged', condition: 'damaged', activeLoan: null });
    expect(acct.totals).toMatchObject({ loans: 1, daysLent: 3, feesFen: 3000, damageFen: 8000, depositHeldFen: 0 });
    const [entry] = await t.owner.query(`SELECT payload FROM ledger_entries WHERE subject_id = $1 AND kind = 'tool_return'`, [loan.id]);
    expect(entry.payload).toMatchObject({ condition: 'damaged', damageFen: 8000, feeFen: 3000, depositForfeitedFen: 5000, balanceDueFen: 6000 });
    // A damaged tool is not lent until it is repaired.
    await t.http.post(`/api/v1/tools/${drill.id}/loans`).set(desk.auth).send({ workerId }).expect(409);
  });

  it('caps the fee for the days kept at the tool\'s value (a fee above the value is refused)', async () => {
    const before = await tableCounts(t);
    const high = await t.http.post(`/api/v1/markets/${f.market.id}/tools`).set(manager.auth).set('Accept-Language', 'en')
      .send({ code: 'FEE-1', name: '电钻', category: 'regular', valueFen: 1000, depositFen: 500, dailyFeeFen: 1001 }).expect(400);
    expect(high.body.errors).toEqual([{ field: 'dailyFeeFen', message: 'The daily fee cannot exceed the tool\'s value' }]);
    expect(await tableCounts(t)).toEqual(before);
    // The most a tool may be worth and charge a day, kept 300 days: 3 000 000 000 fen uncapped (beyond an int4).
    const costly = await tool({ valueFen: 10_000_000, depositFen: 0, dailyFeeFen: 10_000_000 });
    const loan = await lent(costly.id);
    await t.owner.query(`UPDATE tool_loans SET lent_at = now() - interval '300 days' WHERE id = $1`, [loan.id]);
    const r = await t.http.post(`/api/v1/tool-loans/${loan.id}/return`).set(desk.auth).send({ condition: 'good' }).expect(200);
    expect(r.body).toMatchObject({ daysCharged: 300, feeFen: 10_000_000, depositForfeitedFen: 0, balanceDueFen: 10_000_000 });
    const drill = await tool({ valueFen: 40000, depositFen: 5000, dailyFeeFen: 1000 });
    const long = await lent(drill.id);
    await t.owner.query(`UPDATE tool_loans SET lent_at = now() - interval '100 days' WHERE id = $1`, [long.id]);
    const r2 = await t.http.post(`/api/v1/tool-loans/${long.id}/return`).set(desk.auth).send({ condition: 'good' }).expect(200);
    expect(r2.body).toMatchObject({ daysCharged: 100, feeFen: 40000, depositForfeitedFen: 5000, depositRefundedFen: 0, balanceDueFen: 35000 });
  });

  it('a simple tool returned in good order costs nothing and its deposit is refunded in full', async () => {
    const spade = await tool({ name: '铁锹', category: 'simple', valueFen: 3000, depositFen: 2000, dailyFeeFen: 0 });
    const loan = await lent(spade.id);
    await t.owner.query(`UPDATE tool_loans SET lent_at = now() - interval '2 days' WHERE id = $1`, [loan.id]);
    const r = await t.http.post(`/api/v1/tool-loans/${loan.id}/return`).set(desk.auth).send({ condition: 'good' }).expect(200);
    expect(r.body).toMatchObject({ feeFen: 0, damageFen: 0, depositRefundedFen: 2000, depositForfeitedFen: 0, balanceDueFen: 0 });
    expect(await t.owner.query(`SELECT 1 FROM tool_charges WHERE loan_id = $1`, [loan.id])).toEqual([]);
    expect((await t.http.get(`/api/v1/tools/${spade.id}`).set(desk.auth).expect(200)).body.tool.status).toBe('available');
  });

  it('repairs and write-offs go through the manager\'s approval and land on the tool\'s account', async () => {
    const drill = await tool();
    const loan = await lent(drill.id);
    await t.http.post(`/api/v1/tool-loans/${loan.id}/return`).set(desk.auth).send({ condition: 'damaged', inspectionNote: '开关失灵', damageFen: 1500 }).expect(200);
    const rep = (await t.http.post(`/api/v1/tools/${drill.id}/maintenance`).set(desk.auth).send({ kind: 'repair', reason: '更换开关', estimateFen: 2000 }).expect(201)).body;
    // Not repaired before approval.
    await t.http.post(`/api/v1/tool-maintenance/${rep.id}/completion`).set(desk.auth).send({ costFen: 1800 }).expect(409);
    await t.http.post(`/api/v1/tool-maintenance/${rep.id}/decision`).set(desk.auth).send({ decision: 'approved' }).expect(403);
    await t.http.post(`/api/v1/tool-maintenance/${rep.id}/decision`).set(manager.auth).send({ decision: 'approved' }).expect(200);
    expect((await t.http.get(`/api/v1/tools/${drill.id}`).set(desk.auth).expect(200)).body.tool.status).toBe('in_repair');
    await t.http.post(`/api/v1/tool-maintenance/${rep.id}/completion`).set(desk.auth).send({ costFen: 1800, note: '已更换' }).expect(200);
    const acct = (await t.http.get(`/api/v1/tools/${drill.id}`).set(manager.auth).expect(200)).body;
    expect(acct.tool).toMatchObject({ status: 'available', condition: 'good' });
    expect(acct.maintenance).toEqual([expect.objectContaining({ kind: 'repair', status: 'completed', costFen: 1800 })]);
    expect(acct.totals).toMatchObject({ loans: 1, damageFen: 1500, repairCostFen: 1800 });
    expect(acct.loans[0]).toMatchObject({ id: loan.id, returnCondition: 'damaged' });

    const scrap = (await t.http.post(`/api/v1/tools/${drill.id}/maintenance`).set(desk.auth).send({ kind: 'scrap', reason: '外壳开裂，无修复价值' }).expect(201)).body;
    const noReason = await t.http.post(`/api/v1/tool-maintenance/${scrap.id}/decision`).set(manager.auth).send({ decision: 'rejected' }).expect(400);
    expect(noReason.body.errors[0].field).toBe('note');
    await t.http.post(`/api/v1/tool-maintenance/${scrap.id}/decision`).set(manager.auth).send({ decision: 'approved', note: '同意报废' }).expect(200);
    expect((await t.http.get(`/api/v1/tools/${drill.id}`).set(desk.auth).expect(200)).body.tool.status).toBe('scrapped');
    await t.http.post(`/api/v1/tools/${drill.id}/loans`).set(desk.auth).send({ workerId }).expect(409);
    await t.http.post(`/api/v1/tools/${drill.id}/maintenance`).set(desk.auth).send({ kind: 'repair', reason: '再修一次' }).expect(409);
    const steps = (await t.owner.query(`SELECT payload->>'step' AS step, payload->>'kind' AS kind FROM ledger_entries WHERE subject_id = $1 AND kind = 'tool_maintenance' ORDER BY seq`, [drill.id]));
    expect(steps).toEqual([
      { step: 'requested', kind: 'repair' }, { step: 'approved', kind: 'repair' }, { step: 'completed', kind: 'repair' },
      { step: 'requested', kind: 'scrap' }, { step: 'approved', kind: 'scrap' },
    ]);
  });

  it('the daily reconciliation job (BullMQ, apps/worker) finds deposits matching the account, and catches an injected mismatch', async () => {
    const config = loadConfig({ ...process.env, REDIS_PREFIX: `tl${Date.now().toString(36)}` });
    const worker: INestApplicationContext = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
    await worker.init();
    const qe = new QueueEvents(TOOLS_RECONCILE_QUEUE, { connection: { url: config.REDIS_URL }, prefix: `${config.REDIS_PREFIX}:bull` });
    try {
      await qe.waitUntilReady();
      const schedulers = await worker.get<Queue>(getQueueToken(TOOLS_RECONCILE_QUEUE)).getJobSchedulers();
      expect(schedulers.map((s) => [s.key, s.pattern, s.tz])).toEqual([['tools-reconcile-daily', '30 21 * * *', 'Asia/Shanghai']]);
      const run = async (label: string) => {
        const job = await worker.get<Queue>(getQueueToken(TOOLS_RECONCILE_QUEUE)).add('manual', { marketIds: [f.market.id] }, { jobId: `tools-reconcile-${f.market.id}-${label}` });
        return job.waitUntilFinished(qe, 30_000);
      };
      const held = await lent((await tool({ depositFen: 7000 })).id);
      const clean = await run('clean');
      expect(clean).toMatchObject({ markets: 1, mismatched: [] });
      const list = async () => (await t.http.get(`/api/v1/markets/${f.market.id}/tool-reconciliations`).set(manager.auth).expect(200)).body.items;
      expect((await list())[0]).toMatchObject({ status: 'ok', differenceFen: 0, problems: [] });
      const okRow = (await list())[0];
      expect(okRow.outstandingFen).toBe(okRow.ledgerFen);
      expect(okRow.outstandingLoans).toBeGreaterThanOrEqual(1);

      // As the database owner (the app role cannot: the account is append-only): a received deposit cut by ¥10.
      await t.owner.query(`UPDATE tool_deposit_movements SET amount_fen = amount_fen - 1000 WHERE loan_id = $1 AND kind = 'received'`, [held.id]);
      const caught = await run('altered');
      expect(caught).toMatchObject({ mismatched: [f.market.id] });
      const row = (await list())[0];
      expect(row).toMatchObject({ status: 'mismatch', differenceFen: -1000, problems: [{ loanId: held.id, kind: 'received', expectedFen: 7000, movementsFen: 6000 }] });
      await t.owner.query(`UPDATE tool_deposit_movements SET amount_fen = amount_fen + 1000 WHERE loan_id = $1 AND kind = 'received'`, [held.id]);
      expect(await run('restored')).toMatchObject({ mismatched: [] });
      // The day's mismatch stays on record under the later 'ok' (one row per run).
      const [latest, earlier] = await list();
      expect([latest.status, earlier.status, earlier.businessDay]).toEqual(['ok', 'mismatch', latest.businessDay]);
      expect(earlier.problems).toEqual([{ loanId: held.id, kind: 'received', expectedFen: 7000, movementsFen: 6000 }]);

      // One market that cannot be reconciled (no operator) does not stop the others: each has its own transaction.
      const orphan = '0190a000-0000-7000-8000-00000000f00d';
      await t.owner.query(`INSERT INTO markets (id, region_code, name, type, nature, mode) VALUES ($1, $2, $3, 'station', 'spontaneous', 'bureau_run')`,
        [orphan, f.market.regionCode, `无运营方市场-${Date.now().toString(36)}`]);
      try {
        const rowsBefore = (await list()).length;
        const job = await worker.get<Queue>(getQueueToken(TOOLS_RECONCILE_QUEUE))
          .add('manual', { marketIds: [orphan, f.market.id] }, { jobId: `tools-reconcile-${f.market.id}-orphan` });
        expect(await job.waitUntilFinished(qe, 30_000)).toMatchObject({ markets: 2, mismatched: [], failed: [orphan] });
        expect((await list()).length).toBe(rowsBefore + 1);
      } finally {
        await t.owner.query(`DELETE FROM markets WHERE id = $1`, [orphan]);
      }

      // A refund rewritten as a forfeit (the same amount, so the net held is unchanged): each kind is
      // checked against what the loan's return recorded.
      const back = await lent((await tool({ depositFen: 5000, dailyFeeFen: 1000 })).id);
      await t.http.post(`/api/v1/tool-loans/${back.id}/return`).set(desk.auth).send({ condition: 'good' }).expect(200);
      expect(await run('returned')).toMatchObject({ mismatched: [] });
      const [moved] = await t.owner.query(`SELECT id FROM tool_deposit_movements WHERE loan_id = $1 AND kind = 'refunded'`, [back.id]);
      await t.owner.query(`UPDATE tool_deposit_movements SET kind = 'forfeited' WHERE id = $1`, [moved.id]);
      expect(await run('refund-as-forfeit')).toMatchObject({ mismatched: [f.market.id] });
      expect((await list())[0]).toMatchObject({
        status: 'mismatch', differenceFen: 0,
        problems: [
          { loanId: back.id, kind: 'refunded', expectedFen: 4000, movementsFen: 0 },
          { loanId: back.id, kind: 'forfeited', expectedFen: 1000, movementsFen: 5000 },
        ],
      });
      await t.owner.query(`UPDATE tool_deposit_movements SET kind = 'refunded' WHERE id = $1`, [moved.id]);
      expect(await run('refund-restored')).toMatchObject({ mismatched: [] });

      // A loan's deposit rewritten after the fact, and a refund movement deleted: both caught.
      await t.owner.query(`UPDATE tool_loans SET deposit_fen = 3000 WHERE id = $1`, [held.id]);
      expect((await run('loan-changed'))).toMatchObject({ mismatched: [f.market.id] });
      expect((await list())[0].problems).toEqual([{ loanId: held.id, kind: 'received', expectedFen: 3000, movementsFen: 7000 }]);
      await t.owner.query(`UPDATE tool_loans SET deposit_fen = 7000 WHERE id = $1`, [held.id]);
      const [refund] = await t.owner.query(`SELECT id, loan_id FROM tool_deposit_movements WHERE market_id = $1 AND kind = 'refunded' LIMIT 1`, [f.market.id]);
      await t.owner.query(`DELETE FROM tool_deposit_movements WHERE id = $1`, [refund.id]);
      expect((await run('deleted'))).toMatchObject({ mismatched: [f.market.id] });
      expect((await list())[0].problems).toEqual([expect.objectContaining({ loanId: refund.loan_id, kind: 'refunded', movementsFen: 0 })]);
      // The manager sees it, and can re-check by hand; the desk cannot.
      await t.http.post(`/api/v1/markets/${f.market.id}/tool-reconciliations`).set(desk.auth).expect(403);
      const now = await t.http.post(`/api/v1/markets/${f.market.id}/tool-reconciliations`).set(manager.auth).expect(200);
      expect(now.body.status).toBe('mismatch');
    } finally {
      await qe.close();
      await worker.close();
    }
  });

  it('keeps the deposit account append-only and a loan\'s deposit fixed for the application role', async () => {
    const app = new Client({ connectionString: t.config.DATABASE_URL });
    await app.connect();
    try {
      const scoped = async (sql: string) => {
        await app.query('BEGIN');
        try {
          await app.query(`SELECT set_config('app.tenant_id', $1, true), set_config('app.org_kind', 'operator', true)`, [f.org.id]);
          return await app.query(sql);
        } finally {
          await app.query('ROLLBACK');
        }
      };
      await expect(scoped(`UPDATE tool_deposit_movements SET amount_fen = 1`)).rejects.toThrow(/permission denied/);
      await expect(scoped(`DELETE FROM tool_deposit_movements`)).rejects.toThrow(/permission denied/);
      await expect(scoped(`UPDATE tool_loans SET deposit_fen = 1`)).rejects.toThrow(/permission denied/);
      await expect(scoped(`DELETE FROM tool_charges`)).rejects.toThrow(/permission denied/);
    } finally {
      await app.end();
    }
  });

  it('answers bad input with a 4xx in the caller\'s language and stores nothing', async () => {
    const drill = await tool();
    const before = await tableCounts(t);
    const cases: [string, string, Record<string, unknown>, number][] = [
      ['post', `/api/v1/markets/${f.market.id}/tools`, { code: '工具一号', name: '钻', category: 'fancy', valueFen: -1, depositFen: 1.5 }, 400],
      ['post', `/api/v1/markets/${f.market.id}/tools`, { code: 'OK-1', name: '电钻', category: 'regular', valueFen: 1000, depositFen: 2000 }, 400],
      ['post', `/api/v1/tools/${drill.id}/loans`, { workerId: 'not-a-uuid', days: 0 }, 400],
      ['post', `/api/v1/tools/${drill.id}/loans`, { workerId: '0190a000-0000-7000-8000-000000000000' }, 422],
      ['post', `/api/v1/tools/${drill.id}/loans`, { workerId, extra: 1 }, 400],
      ['post', `/api/v1/tools/${drill.id}/maintenance`, { kind: 'burn', reason: '' }, 400],
      ['post', '/api/v1/tool-loans/not-a-uuid/decision', { decision: 'approved' }, 404],
    ];
    for (const [, url, body, status] of cases) {
      const r = await t.http.post(url).set(manager.auth).set('Accept-Language', 'en').send(body);
      expect([url, JSON.stringify(body), r.status]).toEqual([url, JSON.stringify(body), status]);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    const r = await t.http.post(`/api/v1/markets/${f.market.id}/tools`).set(manager.auth).set('Accept-Language', 'en')
      .send({ code: 'OK-1', name: '电钻', category: 'regular', valueFen: 1000, depositFen: 2000 }).expect(400);
    expect(r.body.errors).toEqual([{ field: 'depositFen', message: 'The deposit cannot exceed the tool\'s value' }]);
    const r2 = await t.http.post(`/api/v1/markets/${f.market.id}/tools`).set(manager.auth).send({ code: '工具一号', name: '钻', category: 'fancy', valueFen: -1, depositFen: 1.5 }).expect(400);
    expect(r2.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['category', 'code', 'depositFen', 'name', 'valueFen']);
    const unknown = await t.http.post(`/api/v1/tools/${drill.id}/loans`).set(desk.auth).send({ workerId: '0190a000-0000-7000-8000-000000000000' }).expect(422);
    expect(unknown.body.errors).toEqual([{ field: 'workerId', message: '该零工未在本机构登记，或已被清出市场' }]);
    expect(await tableCounts(t)).toEqual(before);
  });

  it('hides every tool of another tenant (404) and lets authorities read but never write (403)', async () => {
    const drill = await tool();
    const loan = await approvedLoan(drill.id);
    const other = await login(t, 'op2.admin');
    const county = await login(t, 'county.reviewer');
    const before = await tableCounts(t);
    await t.http.get(`/api/v1/tools/${drill.id}`).set(other.auth).expect(404);
    await t.http.get(`/api/v1/tool-loans/${loan.id}/signature`).set(other.auth).expect(404);
    await t.http.get(`/api/v1/markets/${f.market.id}/tool-reconciliations`).set(other.auth).expect(404);
    const writes: [string, Record<string, unknown>][] = [
      [`/api/v1/tools/${drill.id}/loans`, { workerId }], [`/api/v1/tools/${drill.id}/maintenance`, { kind: 'repair', reason: '测试' }],
      [`/api/v1/tool-loans/${loan.id}/lend`, { signaturePngBase64: b64(signaturePng(7)) }], [`/api/v1/tool-loans/${loan.id}/cancel`, {}],
      [`/api/v1/tool-loans/${loan.id}/return`, { condition: 'good' }], [`/api/v1/tool-loans/${loan.id}/decision`, { decision: 'approved' }],
    ];
    for (const [url, body] of writes) {
      const r = await t.http.post(url).set(other.auth).send(body);
      expect([url, r.status]).toEqual([url, 404]);
    }
    expect((await t.http.get('/api/v1/tools').query({ marketId: f.market.id }).set(other.auth).expect(200)).body.items).toEqual([]);
    // The county reviewer of 410122 reads the inventory, the account and the loans, and changes nothing.
    expect((await t.http.get(`/api/v1/tools/${drill.id}`).set(county.auth).expect(200)).body.tool.id).toBe(drill.id);
    expect((await t.http.get('/api/v1/tool-loans').query({ marketId: f.market.id }).set(county.auth).expect(200)).body.total).toBeGreaterThan(0);
    for (const [url, body] of [...writes, [`/api/v1/markets/${f.market.id}/tools`, { code: 'CTY-1', name: '榔头', category: 'simple', valueFen: 1000, depositFen: 500 }] as [string, Record<string, unknown>],
      [`/api/v1/markets/${f.market.id}/tool-reconciliations`, {}] as [string, Record<string, unknown>]]) {
      const r = await t.http.post(url).set(county.auth).send(body);
      expect([url, r.status]).toEqual([url, 403]);
    }
    expect(await tableCounts(t)).toEqual(before);
  });

  it('writes each tool fact once, under one name in the work log and the audit trail; old audit rows are found by that name (issue 11)', async () => {
    const saw = await tool({ name: '电锯' });
    const entries = await t.owner.query('SELECT kind FROM ledger_entries WHERE subject_id = $1', [saw.id]);
    const events = await t.owner.query('SELECT action, tenant_id, region_code, summary FROM audit_events WHERE subject_id = $1', [saw.id]);
    expect(entries).toEqual([{ kind: 'tool_added' }]);
    expect(events).toEqual([{ action: 'tool_added', tenant_id: f.org.id, region_code: '410122', summary: expect.objectContaining({ code: saw.code, name: '电锯' }) }]);
    // An event recorded before the facts had one name is never rewritten: it is read, and found, under the fact's name.
    await t.owner.query(
      `INSERT INTO audit_events (id, occurred_at, action, tenant_id, region_code, subject_type, subject_id, summary)
       VALUES (gen_random_uuid(), now() - interval '1 day', 'tool.create', $1, '410122', 'Tool', $2, '{}')`, [f.org.id, saw.id]);
    const found = await t.http.get('/api/v1/audit-events').query({ action: 'tool_added', subjectId: saw.id }).set(admin.auth).expect(200);
    expect(found.body.items.map((e: { action: string; recordedAction: string }) => [e.action, e.recordedAction])).toEqual([['tool_added', 'tool_added'], ['tool_added', 'tool.create']]);
    const prefix = await t.http.get('/api/v1/audit-events').query({ action: 'tool_', subjectId: saw.id }).set(admin.auth).expect(200);
    expect(prefix.body.total).toBe(2);
  });
});
