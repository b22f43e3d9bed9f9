import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor, RegionView } from '@linggong/domain';
import { TenantDb, notFound } from '@linggong/api-core';
import { RegionEntity } from './entities';

/** The GB/T 2260 tree: reference data every signed-in user may read. */
@Injectable()
export class RegionsService {
  constructor(private readonly db: TenantDb) {}

  children(actor: Actor, parent?: string): Promise<RegionView[]> {
    return this.db.run(actor, async (em) => {
      const repo = em.getRepository(RegionEntity);
      const rows = parent
        ? await repo.find({ where: { parentCode: parent }, order: { code: 'ASC' } })
        : await repo.find({ where: { level: 'province' }, order: { code: 'ASC' } });
      return rows.map(toRegionView);
    });
  }

  get(actor: Actor, code: string): Promise<RegionView> {
    return this.db.run(actor, async (em) => {
      const row = await em.getRepository(RegionEntity).findOne({ where: { code } });
      if (!row) throw notFound();
      return toRegionView(row);
    });
  }

  async names(em: EntityManager, codes: string[]): Promise<Map<string, string>> {
    const uniq = [...new Set(codes.filter(Boolean))];
    if (!uniq.length) return new Map();
    const rows: { code: string; full_name: string }[] = await em.query('SELECT code, full_name FROM regions WHERE code = ANY($1)', [uniq]);
    return new Map(rows.map((r) => [r.code, r.full_name]));
  }

  async exists(em: EntityManager, code: string): Promise<boolean> {
    return (await em.getRepository(RegionEntity).count({ where: { code } })) > 0;
  }
}

export function toRegionView(r: RegionEntity): RegionView {
  return { code: r.code, name: r.name, level: r.level, parentCode: r.parentCode, fullName: r.fullName };
}
