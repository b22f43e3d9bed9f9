import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { DEFAULT_ALG } from '@linggong/ledger-chain';
import { daysKept, settleReturn } from '@linggong/domain';
import { Rng, uuidv7 } from './demo-data';
import { addDays, dayStart, type DemoWorker, type MarketActivity, type ServiceSimContext, type ServiceSimulation, type StaffRef } from './demo-activity';

/**
 * Tool rental demo (R-B11; issue 5 §3): each market's inventory, and at the markets with a second
 * person to approve (先批后租: nobody approves their own request) a day-by-day run of loan requests,
 * approvals and refusals, signed hand-outs, returns with inspection (fees, damage charges), repairs
 * and write-offs, the append-only deposit account and one reconciliation per past day — all from
 * the same rules as libs/domain (settleReturn, daysKept), so the deposits reconcile.
 */

const MINUTE = 60_000;
const SIMPLE: [string, number, number][] = [
  ['铁锹', 3500, 2000], ['榔头', 2500, 1500], ['抹灰刀', 1500, 1000], ['瓦刀', 1800, 1000], ['撬棍', 4000, 2000], ['安全帽', 3000, 2000],
  ['扫帚', 1200, 500], ['水桶', 1500, 1000], ['卷尺', 2000, 1000], ['锄头', 3000, 2000],
];
const REGULAR: [string, number, number, number][] = [
  ['电动冲击钻', 42000, 15000, 800], ['角磨机', 26000, 10000, 500], ['电锤', 68000, 20000, 1200], ['手推车', 32000, 10000, 500],
  ['铝合金人字梯', 38000, 10000, 600], ['云石切割机', 55000, 20000, 1000], ['高压清洗机', 90000, 30000, 1500], ['电焊机', 120000, 30000, 2000],
];
const DAMAGE_NOTES = ['手柄开裂', '钻头崩口', '电源线破损', '轮胎漏气', '刀片缺口', '开关失灵'];
const REFUSALS = ['该工具已预留给明日的培训班', '申请天数过长，请改为 3 天以内', '押金暂未备齐，请备齐后再申请'];

/** A deterministic greyscale PNG with one pen stroke: what the on-screen signature pad produces. */
export function signaturePng(seed: number, w = 160, h = 48): Buffer {
  const crc32 = (buf: Buffer) => {
    let c = ~0;
    for (const b of buf) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    return ~c >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const raw = Buffer.alloc((w + 1) * h, 255);
  const f = 3 + (seed % 7);
  for (let y = 0; y < h; y++) {
    raw[y * (w + 1)] = 0;
    for (let x = 0; x < w; x++) if (Math.abs(y - (h / 2 + Math.sin((x + seed) / f) * h / 3)) < 1.5) raw[y * (w + 1) + 1 + x] = 0;
  }
  // The pen's unsteadiness: the last row carries the seed's 32 bits, so no two seeds draw the same bytes.
  for (let b = 0; b < 32; b++) raw[(h - 1) * (w + 1) + 1 + b] = ((seed >>> b) & 1) ? 200 : 255;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

interface Tool {
  id: string; code: string; name: string; category: 'simple' | 'regular'; condition: 'good' | 'worn' | 'damaged';
  status: 'available' | 'on_loan' | 'damaged' | 'in_repair' | 'scrapped'; valueFen: number; depositFen: number; dailyFeeFen: number; createdAt: number;
}
type Row = Record<string, unknown>;

export const simulateTools: ServiceSimulation = (a: MarketActivity, ctx: ServiceSimContext) => {
  const m = a.market;
  const rng = new Rng(`linggong-demo-tools:${m.id}`);
  const ids = new Rng(`linggong-demo-tools-ids:${m.id}`);
  const first = addDays(ctx.today, -ctx.historyDays);
  const iso = (ms: number) => new Date(ms).toISOString();
  // Sealed days take entries between 07:00 and 18:30; today only before now.
  const at = (day: string, minutes: number): number | null => {
    const t = dayStart(day) + minutes * MINUTE;
    if (day === ctx.today) return t < ctx.now - MINUTE ? t : null;
    return minutes >= 7 * 60 && minutes <= 18 * 60 + 30 ? t : null;
  };
  let order = 1_000_000_000;
  const emit = (t: number, kind: string, subjectType: string, subjectId: string, actor: StaffRef, payload: Row) =>
    a.events.push({ at: Math.floor(t), order: order++, kind, subjectType, subjectId, actor, payload: () => payload });
  const base = { tenant_id: m.tenantId, market_id: m.id, region_code: m.regionCode };

  // The approver is never the requester: the manager, or the admin where the manager works the desk.
  const approver = m.manager.id !== m.desk.id ? m.manager : m.admin.id !== m.desk.id ? m.admin : null;

  const tools: Tool[] = [];
  const nSimple = m.type === 'station' ? 4 : 8;
  const nRegular = m.type === 'station' ? 2 : 6;
  const prefix = m.key.slice(2, 4).toUpperCase();
  // The inventory was set up on the first day (or, today-only, as early as possible today).
  const addedAt = ctx.historyDays > 0 ? dayStart(first) + 7 * 60 * MINUTE + 10 * MINUTE : Math.min(dayStart(ctx.today) + 7 * 60 * MINUTE, ctx.now - 30 * MINUTE);
  for (let i = 0; i < nSimple + nRegular; i++) {
    const regular = i >= nSimple;
    const t = addedAt + i * MINUTE;
    const tool: Tool = regular
      ? (() => { const [name, valueFen, depositFen, dailyFeeFen] = REGULAR[(i - nSimple) % REGULAR.length]; return { id: '', code: '', name, category: 'regular' as const, condition: 'good' as const, status: 'available' as const, valueFen, depositFen, dailyFeeFen, createdAt: t }; })()
      : (() => { const [name, valueFen, depositFen] = SIMPLE[i % SIMPLE.length]; return { id: '', code: '', name, category: 'simple' as const, condition: 'good' as const, status: 'available' as const, valueFen, depositFen, dailyFeeFen: 0, createdAt: t }; })();
    tool.id = uuidv7(ids, t);
    tool.code = `${prefix}-${String(i + 1).padStart(3, '0')}`;
    tools.push(tool);
    emit(t, 'tool_added', 'Tool', tool.id, m.manager, {
      toolId: tool.id, code: tool.code, name: tool.name, category: tool.category, valueFen: tool.valueFen, depositFen: tool.depositFen,
      dailyFeeFen: tool.dailyFeeFen, condition: 'good',
    });
  }

  const loans: Row[] = [];
  const signatures = new Map<string, Row>();
  const charges: Row[] = [];
  const maintenance: Row[] = [];
  const movements: Row[] = [];
  const recons: Row[] = [];
  const movement = (loan: Row, kind: 'received' | 'refunded' | 'forfeited', amount: number, t: number, by: StaffRef) => {
    if (amount > 0) movements.push({ id: uuidv7(ids, t), ...base, loan_id: loan['id'], kind, amount_fen: amount, occurred_at: iso(t), recorded_by: by.id });
  };
  const out = new Map<string, { loan: Row; tool: Tool; returnOn: string }>();
  /** Damaged tools waiting for a request (`row` null) or for the approved repair to be done. */
  const repairs: { tool: Tool; on: string; scrap: boolean; row: Row | null }[] = [];
  /** Tools with a request or an approval in progress (one loan in progress per tool), and workers with a tool out. */
  const reserved = new Set<string>();
  const borrowing = new Set<string>();
  const days = Array.from({ length: ctx.historyDays + 1 }, (_, i) => addDays(first, i));
  const LAST = 18 * 60 + 30;

  for (const day of approver ? days : []) {
    if (!approver) break;
    // Mornings: returns due today, with inspection.
    let minute = 8 * 60;
    for (const [loanId, o] of [...out]) {
      if (o.returnOn !== day) continue;
      const t = at(day, (minute += rng.int(5, 25)));
      if (t === null) {
        if (day !== ctx.today) o.returnOn = addDays(day, 1);
        continue;
      }
      const r = rng.next();
      const condition = r < 0.86 ? 'good' : r < 0.965 ? 'worn' : 'damaged';
      // The damage charged is a share of the tool's value (the inspection's estimate); now and then a write-off.
      const beyondRepair = condition === 'damaged' && rng.chance(0.15);
      const damageFen = condition !== 'damaged' ? 0 : beyondRepair ? o.tool.valueFen : Math.max(100, Math.round((o.tool.valueFen * rng.pick([0.1, 0.2, 0.3])) / 100) * 100);
      const note = condition === 'good' ? '' : condition === 'worn' ? '正常磨损' : rng.pick(DAMAGE_NOTES);
      const daysCharged = daysKept(new Date(String(o.loan['lent_at'])), new Date(t));
      const s = settleReturn(Number(o.loan['deposit_fen']), Number(o.loan['daily_fee_fen']), daysCharged, damageFen, o.tool.valueFen);
      Object.assign(o.loan, {
        status: 'returned', returned_by: m.desk.id, returned_at: iso(t), return_condition: condition, inspection_note: note, days_charged: daysCharged,
        fee_fen: s.feeFen, damage_fen: s.damageFen, deposit_refunded_fen: s.refundedFen, deposit_forfeited_fen: s.forfeitedFen, balance_due_fen: s.balanceDueFen,
      });
      if (s.feeFen > 0) charges.push({ id: uuidv7(ids, t), ...base, tool_id: o.tool.id, loan_id: loanId, kind: 'rental_fee', amount_fen: s.feeFen, from_deposit_fen: s.feeFromDepositFen, note: `${daysCharged} 天 × ${o.loan['daily_fee_fen']} 分`, created_by: m.desk.id, created_at: iso(t) });
      if (s.damageFen > 0) charges.push({ id: uuidv7(ids, t), ...base, tool_id: o.tool.id, loan_id: loanId, kind: 'damage', amount_fen: s.damageFen, from_deposit_fen: s.damageFromDepositFen, note, created_by: m.desk.id, created_at: iso(t) });
      movement(o.loan, 'refunded', s.refundedFen, t, m.desk);
      movement(o.loan, 'forfeited', s.forfeitedFen, t, m.desk);
      o.tool.condition = condition;
      o.tool.status = condition === 'damaged' ? 'damaged' : 'available';
      emit(t, 'tool_return', 'ToolLoan', loanId, m.desk, {
        loanId, toolId: o.tool.id, workerId: o.loan['worker_id'], condition, inspectionNote: note, daysCharged, feeFen: s.feeFen, damageFen: s.damageFen,
        depositRefundedFen: s.refundedFen, depositForfeitedFen: s.forfeitedFen, balanceDueFen: s.balanceDueFen,
      });
      out.delete(loanId);
      borrowing.delete(String(o.loan['worker_id']));
      if (condition === 'damaged') repairs.push({ tool: o.tool, on: addDays(day, 1), scrap: beyondRepair, row: null });
    }

    // Late morning: the request for yesterday's damage and its approval; approved repairs are done two days on.
    minute = Math.max(minute, 11 * 60);
    for (const p of repairs.filter((x) => x.on <= day)) {
      if (p.row) {
        const t = at(day, (minute += rng.int(5, 15)));
        if (t === null) continue;
        const costFen = Math.max(500, Number(p.row['estimate_fen']) + rng.int(-5, 5) * 100);
        Object.assign(p.row, { status: 'completed', cost_fen: costFen, completion_note: '已修复', completed_by: m.desk.id, completed_at: iso(t) });
        p.tool.status = 'available';
        p.tool.condition = 'good';
        emit(t, 'tool_maintenance', 'Tool', p.tool.id, m.desk, { maintenanceId: p.row['id'], toolId: p.tool.id, kind: 'repair', step: 'completed', costFen, note: '已修复' });
        repairs.splice(repairs.indexOf(p), 1);
        continue;
      }
      const t1 = at(day, (minute += rng.int(5, 15)));
      if (t1 === null) continue;
      const id = uuidv7(ids, t1);
      const kind = p.scrap ? 'scrap' : 'repair';
      const reason = p.scrap ? '损坏严重，维修费用超过残值' : `${p.tool.name}送修`;
      const estimateFen = p.scrap ? 0 : rng.pick([1000, 1500, 2000, 3000]);
      const row: Row = { id, ...base, tool_id: p.tool.id, kind, status: 'requested', reason, estimate_fen: estimateFen, requested_by: m.desk.id, requested_at: iso(t1) };
      maintenance.push(row);
      emit(t1, 'tool_maintenance', 'Tool', p.tool.id, m.desk, { maintenanceId: id, toolId: p.tool.id, toolCode: p.tool.code, kind, step: 'requested', reason, estimateFen });
      repairs.splice(repairs.indexOf(p), 1);
      const t2 = at(day, (minute += rng.int(10, 30)));
      if (t2 === null) continue; // today: waits for the manager
      const note = p.scrap ? '同意报废' : '同意维修';
      Object.assign(row, {
        status: p.scrap ? 'completed' : 'approved', decided_by: approver.id, decided_at: iso(t2), decision_note: note,
        completed_by: p.scrap ? approver.id : null, completed_at: p.scrap ? iso(t2) : null,
      });
      p.tool.status = p.scrap ? 'scrapped' : 'in_repair';
      emit(t2, 'tool_maintenance', 'Tool', p.tool.id, approver, { maintenanceId: id, toolId: p.tool.id, kind, step: 'approved', note });
      if (!p.scrap) repairs.push({ tool: p.tool, on: addDays(day, 2), scrap: false, row });
    }

    // Afternoons: new requests, the approver's decision, the signed hand-out; on a sealed day all before 18:30.
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    const wanted = (m.type === 'station' ? rng.int(0, 1) : rng.int(0, 3)) + (weekday === 0 || weekday === 6 ? 0 : rng.int(0, 1));
    minute = Math.max(minute, 12 * 60 + 30);
    for (let k = 0; k < wanted; k++) {
      if (day !== ctx.today && minute + 85 > LAST) break;
      const t0 = at(day, (minute += rng.int(10, 40)));
      if (t0 === null) break;
      const free = tools.filter((x) => x.status === 'available' && !reserved.has(x.id) && x.createdAt < t0);
      const worker = pickWorker(rng, a.workers, t0, borrowing);
      if (!free.length || !worker) break;
      const tool = rng.pick(free);
      const loanId = uuidv7(ids, t0);
      const planned = rng.int(1, tool.category === 'simple' ? 5 : 3);
      const purpose = rng.pick(['装修零活', '工地临时用工', '农忙', '清洁保洁', '搬家']);
      const loan: Row = {
        id: loanId, ...base, tool_id: tool.id, worker_id: worker.id, status: 'requested', days: planned, purpose, deposit_fen: tool.depositFen,
        daily_fee_fen: tool.dailyFeeFen, requested_by: m.desk.id, requested_at: iso(t0),
      };
      loans.push(loan);
      reserved.add(tool.id);
      borrowing.add(worker.id);
      emit(t0, 'tool_loan_request', 'ToolLoan', loanId, m.desk, { loanId, toolId: tool.id, toolCode: tool.code, workerId: worker.id, days: planned, depositFen: tool.depositFen, dailyFeeFen: tool.dailyFeeFen });
      const t1 = at(day, (minute += rng.int(5, 30)));
      if (t1 === null) break; // today: waits for the manager's approval
      const refuse = rng.chance(0.06);
      const note = refuse ? rng.pick(REFUSALS) : '';
      Object.assign(loan, { status: refuse ? 'rejected' : 'approved', decided_by: approver.id, decided_at: iso(t1), decision_note: note });
      emit(t1, 'tool_loan_decision', 'ToolLoan', loanId, approver, { loanId, toolId: tool.id, decision: refuse ? 'rejected' : 'approved', note });
      if (refuse) {
        reserved.delete(tool.id);
        borrowing.delete(worker.id);
        continue;
      }
      const t2 = at(day, (minute += rng.int(3, 15)));
      if (t2 === null) break; // today: approved, not collected yet
      // A hex hash may hold an 11-digit run that reads like a mobile number; the demo's checks for leaked
      // phones in the work log would flag it, so the pen wobbles once more.
      let png = signaturePng(Number.parseInt(loanId.slice(-8), 16));
      let hash = createHash(DEFAULT_ALG).update(png).digest('hex');
      for (let s = 1; /(^|[^0-9])1[3-9][0-9]{9}([^0-9]|$)/.test(hash); s++) {
        png = signaturePng((Number.parseInt(loanId.slice(-8), 16) + s) >>> 0);
        hash = createHash(DEFAULT_ALG).update(png).digest('hex');
      }
      signatures.set(hash, { hash, tenant_id: m.tenantId, region_code: m.regionCode, alg: DEFAULT_ALG, mime: 'image/png', size: png.length, content: `\\x${png.toString('hex')}`, created_at: iso(t2) });
      Object.assign(loan, { status: 'lent', signature_hash: hash, lent_by: m.desk.id, lent_at: iso(t2) });
      movement(loan, 'received', tool.depositFen, t2, m.desk);
      tool.status = 'on_loan';
      reserved.delete(tool.id);
      emit(t2, 'tool_loan', 'ToolLoan', loanId, m.desk, {
        loanId, toolId: tool.id, workerId: worker.id, depositFen: tool.depositFen, dailyFeeFen: tool.dailyFeeFen, approvedBy: approver.id, signatureHash: hash, signatureAlg: DEFAULT_ALG,
      });
      // Most come back on the planned day, some a day late.
      out.set(loanId, { loan, tool, returnOn: addDays(day, planned + (rng.chance(0.15) ? 1 : 0)) });
    }

    // 21:30: the nightly reconciliation of a past day (the job's schedule) finds the account in order.
    if (day < ctx.today) {
      const held = [...out.values()];
      const heldFen = held.reduce((s, o) => s + Number(o.loan['deposit_fen']), 0);
      const checkedAt = dayStart(day) + (21 * 60 + 30) * MINUTE;
      recons.push({
        id: uuidv7(ids, checkedAt), ...base, business_day: day, status: 'ok', outstanding_fen: heldFen, ledger_fen: heldFen, difference_fen: 0,
        outstanding_loans: held.length, problems: [], checked_at: iso(checkedAt),
      });
    }
  }

  const toolRows = tools.map((x) => ({
    id: x.id, ...base, code: x.code, name: x.name, category: x.category, condition: x.condition, status: x.status, value_fen: x.valueFen,
    deposit_fen: x.depositFen, daily_fee_fen: x.dailyFeeFen, note: '', created_by: m.manager.id, created_at: iso(x.createdAt), updated_at: iso(x.createdAt),
  }));
  a.extraRows.push(
    { table: 'tools', rows: toolRows },
    { table: 'tool_signatures', rows: [...signatures.values()] },
    { table: 'tool_loans', rows: loans },
    { table: 'tool_charges', rows: charges },
    { table: 'tool_maintenance', rows: maintenance },
    { table: 'tool_deposit_movements', rows: movements },
    { table: 'tool_reconciliations', rows: recons },
  );
};

/** An active worker registered before `t` who has no tool out. */
function pickWorker(rng: Rng, workers: DemoWorker[], t: number, busy: Set<string>): DemoWorker | null {
  const pool = workers.filter((w) => w.regAt < t - 30 * MINUTE && w.status === 'active' && !w.special && !busy.has(w.id));
  return pool.length ? rng.pick(pool) : null;
}
