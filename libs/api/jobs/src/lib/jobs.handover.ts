import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HandoverRegistry, SHANGHAI_TODAY_SQL, handoverIds, retenant } from '@linggong/api-core';

const OPEN_POSTS = `SELECT id FROM posts WHERE market_id = $1 AND status IN ('pending_review', 'published') ORDER BY id`;
/** Today's queue (its numbers continue for the successor the same day). */
const TODAYS_QUEUE = `SELECT id FROM check_ins WHERE market_id = $1 AND day = ${SHANGHAI_TODAY_SQL} ORDER BY id`;
const LIVE_PLACEMENTS = `SELECT id FROM placements WHERE market_id = $1 AND status IN ('recommended', 'confirmed', 'started') ORDER BY id`;

/**
 * Open posts pass with their market (issue 16 §4, R-F1), with the hires still under way on any post of the market, and
 * today's queue (its numbers go on), and the market's gate keys (its QR codes keep working for the successor). Closed
 * posts, earlier days' check-ins and finished hires
 * are history and stay with the outgoing operator.
 */
@Injectable()
export class JobsHandover implements OnModuleInit {
  constructor(private readonly handovers: HandoverRegistry) {}
  onModuleInit(): void {
    this.handovers.register({
      item: 'open_posts', name: 'jobs.open_posts',
      list: async (em, m) => ({
        ids: await handoverIds(em, OPEN_POSTS, m),
        detail: { placements: (await handoverIds(em, LIVE_PLACEMENTS, m)).length, queueToday: (await handoverIds(em, TODAYS_QUEUE, m)).length },
      }),
      transfer: async (em, m, _from, to) => {
        const n = (await retenant(em, 'posts', 'id', await handoverIds(em, OPEN_POSTS, m), to)) + (await retenant(em, 'placements', 'id', await handoverIds(em, LIVE_PLACEMENTS, m), to))
          + (await retenant(em, 'check_ins', 'id', await handoverIds(em, TODAYS_QUEUE, m), to));
        const [, keys]: [unknown, number] = await em.query('UPDATE market_gate_keys SET tenant_id = $2 WHERE market_id = $1 AND tenant_id <> $2', [m, to]);
        return n + Number(keys ?? 0);
      },
    });
  }
}
