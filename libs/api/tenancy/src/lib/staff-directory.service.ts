import { Injectable, Module } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * What other contexts may read of staff accounts: display names (analytics' drill-down of staff per
 * market). In the caller's transaction, so RLS decides: an operator sees its own staff, an authority
 * (which cannot read an operator's users) gets nothing and shows the id.
 */
@Injectable()
export class StaffDirectoryService {
  async displayNames(em: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; display_name: string }[] = await em.query('SELECT id, display_name FROM users WHERE id = ANY($1::uuid[])', [ids]);
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }
}

/** The staff directory without the tenancy context's controllers (for the API and the worker). */
@Module({ providers: [StaffDirectoryService], exports: [StaffDirectoryService] })
export class StaffDirectoryModule {}
