import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RectificationSource } from '@linggong/domain';

/** What a rectification order needs of its source: whose it is (the operator) and in which county. */
export interface SourceScope { tenantId: string; regionCode: string; marketId?: string | null }
export interface SourceResolver {
  kind: RectificationSource;
  /** The source's scope as the caller sees it (in the caller's transaction), or null when it does not exist or is not visible. */
  resolve(em: EntityManager, id: string): Promise<SourceScope | null>;
}

/**
 * Where rectification orders come from (issue 16 §3): oversight registers inspections and call-back samples;
 * the assessment context (issue 15) registers its consequences with `register({ kind: 'assessment', … })`
 * from its module's `onModuleInit`. Until a resolver of a kind is registered, an order citing it is refused
 * (422 rectification_source_unknown).
 */
@Injectable()
export class RectificationSources {
  private readonly resolvers = new Map<RectificationSource, SourceResolver>();
  register(r: SourceResolver): void {
    this.resolvers.set(r.kind, r);
  }
  resolve(em: EntityManager, kind: RectificationSource, id: string): Promise<SourceScope | null> {
    const r = this.resolvers.get(kind);
    return r ? r.resolve(em, id) : Promise.resolve(null);
  }
}
