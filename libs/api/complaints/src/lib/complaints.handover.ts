import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HandoverRegistry, handoverIds, retenant } from '@linggong/api-core';

const OPEN = `SELECT id FROM complaints WHERE market_id = $1 AND status <> 'closed' ORDER BY id`;

/**
 * Open complaints pass with their market, clocks and all (issue 16 §4, R-F1): the complaint keeps its due dates, and
 * its records, notices, extensions, escalations and transfers go with it, so the successor answers it where it stands.
 * Closed complaints stay with the outgoing operator.
 */
@Injectable()
export class ComplaintsHandover implements OnModuleInit {
  constructor(private readonly handovers: HandoverRegistry) {}
  onModuleInit(): void {
    this.handovers.register({
      item: 'open_complaints', name: 'complaints.open',
      list: async (em, m) => {
        const ids = await handoverIds(em, OPEN, m);
        const clocks: { id: string; status: string; ack_due: string | null; resolve_due: string | null }[] = ids.length
          ? await em.query('SELECT id, status, ack_due, resolve_due FROM complaints WHERE id = ANY($1::uuid[]) ORDER BY id', [ids]) : [];
        return { ids, detail: { clocks: clocks.map((c) => ({ id: c.id, status: c.status, ackDue: c.ack_due, resolveDue: c.resolve_due })) } };
      },
      transfer: async (em, m, _from, to) => {
        const ids = await handoverIds(em, OPEN, m);
        let n = await retenant(em, 'complaints', 'id', ids, to);
        n += await retenant(em, 'complaint_records', 'complaint_id', ids, to);
        n += await retenant(em, 'complaint_notices', 'complaint_id', ids, to);
        n += await retenant(em, 'complaint_extensions', 'complaint_id', ids, to);
        n += await retenant(em, 'complaint_escalations', 'complaint_id', ids, to);
        n += await retenant(em, 'complaint_transfers', 'complaint_id', ids, to);
        return n;
      },
    });
  }
}
