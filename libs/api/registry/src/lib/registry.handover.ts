import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HandoverRegistry, handoverIds, retenant } from '@linggong/api-core';

const WORKERS = 'SELECT id FROM workers WHERE market_id = $1 ORDER BY id';
const EMPLOYERS = 'SELECT id FROM employers WHERE market_id = $1 ORDER BY id';

/**
 * The worker registry of a market passes to its successor (issue 16 §4, R-F1): the workers and employers registered
 * at the market (docs/oversight.md "Exit and handover").
 */
@Injectable()
export class RegistryHandover implements OnModuleInit {
  constructor(private readonly handovers: HandoverRegistry) {}
  onModuleInit(): void {
    this.handovers.register({
      item: 'workers', name: 'registry.workers',
      list: async (em, m) => ({ ids: await handoverIds(em, WORKERS, m), detail: { employers: (await handoverIds(em, EMPLOYERS, m)).length } }),
      transfer: async (em, m, _from, to) =>
        (await retenant(em, 'workers', 'id', await handoverIds(em, WORKERS, m), to)) + (await retenant(em, 'employers', 'id', await handoverIds(em, EMPLOYERS, m), to)),
    });
  }
}
