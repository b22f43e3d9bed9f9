import type { Queue } from 'bullmq';
import type { LedgerService } from '@linggong/api-ledger';
import { RollupQueue } from './rollup.queue';

/** The ledger's notification becomes one job per (market, day, cause): a repeated close or correction is one job. */
describe('RollupQueue', () => {
  const setup = (fail = false) => {
    const added: { name: string; data: unknown; opts: { jobId: string } }[][] = [];
    let listener: ((m: string, d: string[], c: string) => Promise<void> | void) | undefined;
    const queue = { addBulk: async (jobs: (typeof added)[number]) => { if (fail) throw new Error('redis down'); added.push(jobs); return []; } } as unknown as Queue;
    const ledger = { onSealedDaysChanged: (l: typeof listener) => { listener = l; } } as unknown as LedgerService;
    const q = new RollupQueue(queue, ledger);
    q.onModuleInit();
    return { added, notify: (m: string, d: string[], c: string) => listener?.(m, d, c) };
  };

  it('enqueues each sealed day with a job id from market, day and cause', async () => {
    const { added, notify } = setup();
    await notify('m1', ['2026-12-01', '2026-12-02'], 'seal');
    await notify('m1', ['2026-12-01'], 'correction-42');
    expect(added.flat().map((j) => [j.opts.jobId, j.data])).toEqual([
      ['rollup.m1.2026-12-01.seal', { marketId: 'm1', day: '2026-12-01' }],
      ['rollup.m1.2026-12-02.seal', { marketId: 'm1', day: '2026-12-02' }],
      ['rollup.m1.2026-12-01.correction-42', { marketId: 'm1', day: '2026-12-01' }],
    ]);
  });

  it('a Redis failure does not fail the close (the catch-up rolls the day later)', async () => {
    const { notify } = setup(true);
    await expect(notify('m1', ['2026-12-01'], 'seal')).resolves.toBeUndefined();
  });
});
