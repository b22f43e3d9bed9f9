import { signaturePng } from '../../tools/db/demo-tools';
import type { Session, TestApp } from './app';

export { signaturePng };

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
