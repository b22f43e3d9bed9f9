import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HandoverRegistry, handoverIds, retenant } from '@linggong/api-core';

const OPEN_PLANS = `SELECT id FROM assistance_plans WHERE market_id = $1 AND status = 'active' ORDER BY id`;
const HARDSHIP = 'SELECT id FROM hardship_records WHERE market_id = $1 ORDER BY id';

/**
 * The assistance roster passes to the successor (issue 16 §4, R-F1): the market's hardship records (still encrypted)
 * and the plans still open with their steps; closed plans stay with the outgoing operator as history.
 */
@Injectable()
export class AssistanceHandover implements OnModuleInit {
  constructor(private readonly handovers: HandoverRegistry) {}
  onModuleInit(): void {
    this.handovers.register({
      item: 'assistance_roster', name: 'assistance.roster',
      list: async (em, m) => ({ ids: await handoverIds(em, OPEN_PLANS, m), detail: { hardshipRecords: (await handoverIds(em, HARDSHIP, m)).length } }),
      transfer: async (em, m, _from, to) => {
        const plans = await handoverIds(em, OPEN_PLANS, m);
        return (await retenant(em, 'assistance_plans', 'id', plans, to)) + (await retenant(em, 'assistance_steps', 'plan_id', plans, to))
          + (await retenant(em, 'hardship_records', 'id', await handoverIds(em, HARDSHIP, m), to));
      },
    });
  }
}
