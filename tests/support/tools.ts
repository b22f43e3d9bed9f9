import { deflateSync } from 'node:zlib';
import type { Session, TestApp } from './app';

/** CRC-32 of PNG chunks (ISO 3309), small enough to keep here rather than add a dependency. */
function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A real greyscale PNG with a stroke that depends on `seed`: stands in for a signature drawn on screen. */
export function signaturePng(seed: number, w = 120, h = 40): Buffer {
  const raw = Buffer.alloc((w + 1) * h, 255);
  for (let y = 0; y < h; y++) {
    raw[y * (w + 1)] = 0;
    for (let x = 0; x < w; x++) if (Math.abs(y - (h / 2 + Math.sin((x + seed) / 7) * h / 3)) < 2) raw[y * (w + 1) + 1 + x] = 0;
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 0; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

let n = 0;
/**
 * One tool of each kind of row in a market (R-B11): a tool lent and returned with a fee and damage
 * (charges, deposit movements, signature), a repair request on it, and a reconciliation. The desk
 * asks, the approver (another user) approves.
 */
export async function toolFixtures(t: TestApp, desk: Session, approver: Session, marketId: string, workerId: string) {
  const code = `FX-${Date.now().toString(36)}-${++n}`;
  const tool = (await t.http.post(`/api/v1/markets/${marketId}/tools`).set(approver.auth)
    .send({ code, name: '电动冲击钻', category: 'regular', valueFen: 40000, depositFen: 10000, dailyFeeFen: 500 }).expect(201)).body;
  const loan = (await t.http.post(`/api/v1/tools/${tool.id}/loans`).set(desk.auth).send({ workerId, days: 1 }).expect(201)).body;
  await t.http.post(`/api/v1/tool-loans/${loan.id}/decision`).set(approver.auth).send({ decision: 'approved' }).expect(200);
  await t.http.post(`/api/v1/tool-loans/${loan.id}/lend`).set(desk.auth).send({ signaturePngBase64: signaturePng(n).toString('base64') }).expect(200);
  await t.http.post(`/api/v1/tool-loans/${loan.id}/return`).set(desk.auth).send({ condition: 'damaged', damageFen: 2000, inspectionNote: '钻头崩口' }).expect(200);
  const repair = (await t.http.post(`/api/v1/tools/${tool.id}/maintenance`).set(desk.auth).send({ kind: 'repair', reason: '更换钻头', estimateFen: 3000 }).expect(201)).body;
  await t.http.post(`/api/v1/markets/${marketId}/tool-reconciliations`).set(approver.auth).expect(200);
  return { tool, loan, repair };
}
