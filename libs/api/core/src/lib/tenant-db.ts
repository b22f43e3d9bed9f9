import { Injectable } from '@nestjs/common';
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

  run<T>(actor: Actor, fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (em) => {
      await scopeTransaction(em, actor);
      return fn(em);
    });
  }
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

/** Today's date in Asia/Shanghai, as SQL: the business day of a market's queue and check-ins. */
export const SHANGHAI_TODAY_SQL = `(now() AT TIME ZONE 'Asia/Shanghai')::date`;
