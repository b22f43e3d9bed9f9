import type { EntityManager } from 'typeorm';
import type { Actor, LedgerEntryView } from '@linggong/domain';
import type { RegistryDirectoryService } from '@linggong/api-registry';
import type { PostsService } from '@linggong/api-jobs';
import { entryNames } from './drilldown-names';

/** Names in drill-down items follow the caller's abilities: its own roster by name, another market's worker masked. */
describe('entryNames', () => {
  const W1 = '00000000-0000-7000-8000-000000000001';
  const W2 = '00000000-0000-7000-8000-000000000002';
  const P1 = '00000000-0000-7000-8000-000000000003';
  const scope = (marketId: string) => ({ tenantId: 'op1', regionCode: '410122', marketId });
  const registry = {
    displayNames: async () => ({
      workers: new Map([[W1, { name: '王小明', ...scope('m1') }], [W2, { name: '李大壮', ...scope('m2') }]]),
      employers: new Map(),
    }),
  } as unknown as RegistryDirectoryService;
  const posts = { titles: async () => new Map([[P1, { title: '装卸工急招', ...scope('m2') }]]) } as unknown as PostsService;
  const view = (seq: number, payload: Record<string, unknown>) => ({ marketId: 'm1', seq, effectivePayload: payload, actorName: 'op1.desk' }) as unknown as LedgerEntryView;
  const actor = (a: Partial<Actor>): Actor => ({ userId: 'u', username: 'u', orgId: 'op1', tenantId: 'op1', orgKind: 'operator', marketIds: [], roles: [], ...a });

  it('desk staff of m1 see their market’s worker by name, a worker registered at m2 masked, and no title of m2’s post', async () => {
    const names = await entryNames({} as EntityManager, actor({ roles: ['front_desk'], marketIds: ['m1'] }), [view(1, { workerId: W1 }), view(2, { workerId: W2, postId: P1 })], registry, posts);
    expect(names.get('m1:1')).toEqual({ worker: '王小明', staff: 'op1.desk' });
    expect(names.get('m1:2')).toEqual({ worker: '李**', staff: 'op1.desk' });
  });

  it('the operator admin reads every market of its tenant by name', async () => {
    const names = await entryNames({} as EntityManager, actor({ roles: ['operator_admin'] }), [view(2, { workerId: W2, postId: P1 })], registry, posts);
    expect(names.get('m1:2')).toEqual({ worker: '李大壮', post: '装卸工急招', staff: 'op1.desk' });
  });
});
