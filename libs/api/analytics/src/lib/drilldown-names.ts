import type { EntityManager } from 'typeorm';
import { asSubject, maskName, type Actor, type DrilldownNames, type LedgerEntryView } from '@linggong/domain';
import { abilityOf } from '@linggong/api-core';
import type { RegistryDirectoryService } from '@linggong/api-registry';
import type { PostsService } from '@linggong/api-jobs';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const idsOf = (views: LedgerEntryView[], field: string) =>
  [...new Set(views.map((v) => v.effectivePayload[field]).filter((x): x is string => typeof x === 'string' && uuid.test(x)))];

/**
 * Names instead of ids in a drill-down's entries (issue 13): the worker, employer and post through their
 * owning contexts' services (registry, jobs), the staff member who recorded the entry as the work log's
 * view names them. Read in the caller's transaction, so row-level security applies; then the caller's
 * abilities decide as everywhere else: a worker or employer the caller may read (its roster) shows by name,
 * one it may not (registered at a market it is not assigned to) masked (王**, privacy.ts `maskName`); a post
 * it may not read shows no title.
 */
export async function entryNames(em: EntityManager, actor: Actor, views: LedgerEntryView[], registry: RegistryDirectoryService, posts: PostsService): Promise<Map<string, DrilldownNames>> {
  const ability = abilityOf(actor);
  const { workers, employers } = await registry.displayNames(em, idsOf(views, 'workerId'), idsOf(views, 'employerId'));
  const titles = await posts.titles(em, idsOf(views, 'postId'));
  const out = new Map<string, DrilldownNames>();
  for (const v of views) {
    const p = v.effectivePayload;
    const n: DrilldownNames = {};
    const w = typeof p['workerId'] === 'string' ? workers.get(p['workerId']) : undefined;
    if (w) n.worker = ability.can('read', asSubject('Worker', { tenantId: w.tenantId, regionCode: w.regionCode, marketId: w.marketId })) ? w.name : maskName(w.name);
    const e = typeof p['employerId'] === 'string' ? employers.get(p['employerId']) : undefined;
    if (e) n.employer = ability.can('read', asSubject('Employer', { tenantId: e.tenantId, regionCode: e.regionCode, marketId: e.marketId })) ? e.name : maskName(e.name);
    const t = typeof p['postId'] === 'string' ? titles.get(p['postId']) : undefined;
    if (t && ability.can('read', asSubject('Post', { tenantId: t.tenantId, regionCode: t.regionCode, marketId: t.marketId }))) n.post = t.title;
    if (v.actorName) n.staff = v.actorName;
    out.set(`${v.marketId}:${v.seq}`, n);
  }
  return out;
}
