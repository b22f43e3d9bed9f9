import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '@linggong/domain';

/**
 * Every unit of work runs in one transaction whose first statement scopes PostgreSQL row-level
 * security to the actor (DESIGN.md "Tenancy and access", layer 2). Only the EntityManager handed to
 * `fn` carries the scope; repositories injected elsewhere would not, so services use this.
 */
@Injectable()
export class TenantDb {
  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  /**
   * Runs `fn` in one scoped transaction; once it has committed, runs the side effects registered with
   * `afterCommit(em, …)` in their order. A rolled-back unit runs none of them.
   */
  async run<T>(actor: Actor, fn: (em: EntityManager) => Promise<T>, isolation?: 'REPEATABLE READ'): Promise<T> {
    const hooks: AfterCommit[] = [];
    const unit = async (em: EntityManager) => {
      AFTER_COMMIT.set(em, hooks);
      try {
        await scopeTransaction(em, actor);
        return await fn(em);
      } finally {
        AFTER_COMMIT.delete(em);
      }
    };
    // REPEATABLE READ: every statement of the unit reads one snapshot (a reader of several tables that others write in one
    // transaction — seals with their receipts — sees all of a commit or none of it).
    const out = await (isolation ? this.dataSource.transaction(isolation, unit) : this.dataSource.transaction(unit));
    for (const hook of hooks) {
      // The change is committed: a failed side effect is logged, never turned into a failed request.
      try {
        await hook();
      } catch (e) {
        log.warn(`after-commit side effect failed: ${(e as Error).message}`);
      }
    }
    return out;
  }
}

type AfterCommit = () => Promise<unknown> | unknown;
const AFTER_COMMIT = new WeakMap<EntityManager, AfterCommit[]>();
const log = new Logger('TenantDb');

/**
 * A side effect of the unit of work in `em` (a timer, a queue job) that must happen only once its
 * change has committed, and never for a rolled-back one; it runs after `TenantDb.run` commits. Side
 * effects do their own error handling where a failure needs more than a log line (a sweep rebuilds
 * lost timers, for example). Only for an `em` from `TenantDb.run`.
 */
export function afterCommit(em: EntityManager, hook: AfterCommit): void {
  const hooks = AFTER_COMMIT.get(em);
  if (!hooks) throw new Error('afterCommit outside TenantDb.run');
  hooks.push(hook);
}

export async function scopeTransaction(em: EntityManager, actor: Actor): Promise<void> {
  await em.query(
    `SELECT set_config('app.tenant_id', $1, true), set_config('app.region_prefix', $2, true),
            set_config('app.user_id', $3, true), set_config('app.org_kind', $4, true),
            set_config('app.org_id', $5, true), set_config('app.roles', $6, true),
            set_config('app.read_only', $7, true)`,
    [
      actor.tenantId ?? '',
      actor.orgKind === 'platform' ? '' : (actor.regionPrefix ?? ''),
      actor.userId,
      actor.orgKind,
      actor.orgId,
      actor.roles.join(','),
      actor.readOnly ? 'on' : '',
    ],
  );
}

/**
 * Runs `fn` inside the caller's transaction under the system (platform) scope, then puts the actor's scope back.
 * For the few writes no tenant's or authority's policy allows and a rule of the domain requires (the handover of a
 * market re-tenants its living rows, issue 16 §4); the caller has checked the actor's right to the whole step, and
 * audits it under the actor's own name.
 */
export async function asSystem<T>(em: EntityManager, actor: Actor, fn: () => Promise<T>): Promise<T> {
  await scopeTransaction(em, SYSTEM_SCOPE);
  // On failure the transaction rolls back, scope and all: no restore then (it would hide the error).
  const out = await fn();
  await scopeTransaction(em, actor);
  return out;
}
const SYSTEM_SCOPE: Actor = {
  userId: '00000000-0000-7000-8000-000000000000', username: 'system', orgId: '00000000-0000-7000-8000-000000000000',
  orgKind: 'platform', regionPrefix: '', marketIds: [], roles: ['platform_admin'],
};

/** Today's date in Asia/Shanghai, as SQL: the business day of a market's queue and check-ins. */
export const SHANGHAI_TODAY_SQL = `(now() AT TIME ZONE 'Asia/Shanghai')::date`;
