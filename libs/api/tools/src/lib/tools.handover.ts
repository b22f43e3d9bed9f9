import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HandoverRegistry, handoverIds, newId, retenant } from '@linggong/api-core';

const TOOLS = 'SELECT id FROM tools WHERE market_id = $1 ORDER BY id';
const LIVE_LOANS = `SELECT id FROM tool_loans WHERE market_id = $1 AND status IN ('requested', 'approved', 'lent') ORDER BY id`;

/**
 * The market's tools and its loans still out pass to the successor (issue 16 §4, R-F1), with the deposits held: the
 * append-only deposit account records each held deposit leaving the outgoing operator ('handed_over') and entering the
 * successor's ('taken_over'), so both reconcile (DepositReconciliationService). Open repairs go with their tool; the
 * signatures of the loans still out are copied to the successor.
 */
@Injectable()
export class ToolsHandover implements OnModuleInit {
  constructor(private readonly handovers: HandoverRegistry) {}
  onModuleInit(): void {
    this.handovers.register({
      item: 'tool_deposits', name: 'tools.loans',
      list: async (em, m) => {
        const held: { id: string; deposit_fen: number }[] = await em.query(`SELECT id, deposit_fen FROM tool_loans WHERE market_id = $1 AND status = 'lent' ORDER BY id`, [m]);
        return {
          ids: await handoverIds(em, LIVE_LOANS, m),
          detail: { depositsHeldFen: held.reduce((s, l) => s + Number(l.deposit_fen), 0), lent: held.length, tools: (await handoverIds(em, TOOLS, m)).length },
        };
      },
      transfer: async (em, m, from, to) => {
        const held: { id: string; region_code: string; deposit_fen: number }[] = await em.query(
          `SELECT id, region_code, deposit_fen FROM tool_loans WHERE market_id = $1 AND status = 'lent' AND deposit_fen > 0 ORDER BY id`, [m]);
        for (const l of held) {
          await em.query(
            `INSERT INTO tool_deposit_movements (id, tenant_id, market_id, region_code, loan_id, kind, amount_fen) VALUES ($1, $2, $3, $4, $5, 'handed_over', $6), ($7, $8, $3, $4, $5, 'taken_over', $6)`,
            [newId(), from, m, l.region_code, l.id, l.deposit_fen, newId(), to]);
        }
        // A loan's signature (the worker's, on screen) is the successor's evidence too: copied to its tenant (the FK is per tenant).
        await em.query(
          `INSERT INTO tool_signatures (tenant_id, hash, region_code, alg, mime, size, content, created_at)
           SELECT $2, s.hash, s.region_code, s.alg, s.mime, s.size, s.content, s.created_at FROM tool_signatures s
           WHERE s.tenant_id = $3 AND s.hash IN (SELECT signature_hash FROM tool_loans WHERE market_id = $1 AND status IN ('requested', 'approved', 'lent') AND signature_hash IS NOT NULL)
           ON CONFLICT (tenant_id, hash) DO NOTHING`, [m, to, from]);
        const tools = await handoverIds(em, TOOLS, m);
        let n = await retenant(em, 'tools', 'id', tools, to);
        n += await retenant(em, 'tool_loans', 'id', await handoverIds(em, LIVE_LOANS, m), to);
        n += await retenant(em, 'tool_maintenance', 'id', await handoverIds(em, `SELECT id FROM tool_maintenance WHERE market_id = $1 AND status IN ('requested', 'approved') ORDER BY id`, m), to);
        return n;
      },
    });
  }
}
