import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { SYSTEM_ACTOR } from '@linggong/domain';
import { TenantDb, containsPattern } from '@linggong/api-core';
import { AuditModule, AuditService } from '@linggong/api-audit';

/**
 * What other contexts may read of staff accounts and operators: who did something or staffs a market
 * the caller already reads, by display name (the audit log, analytics' drill-down of staff per market),
 * and active operators to contract. Read as the platform: row-level security would hide an operator's
 * users from an authority.
 */
@Injectable()
export class StaffDirectoryService {
  constructor(private readonly db: TenantDb) {}

  /**
   * Who did something, for a record the reader may already read (an audit event, issue 17 §4): display
   * name and organisation of any account — an operator's staff reading what the county's reviewer did
   * included — read as the platform, since row-level security would hide an authority's users from an
   * operator and an operator's from an authority.
   */
  async actorNames(ids: string[]): Promise<Map<string, { name: string; orgName: string | null }>> {
    if (!ids.length) return new Map();
    const rows: { id: string; display_name: string; org_name: string | null }[] = await this.db.run(SYSTEM_ACTOR, (em) => em.query(
      'SELECT u.id, u.display_name, o.name AS org_name FROM users u LEFT JOIN organisations o ON o.id = u.org_id WHERE u.id = ANY($1::uuid[])', [ids]));
    return new Map(rows.map((r) => [r.id, { name: r.display_name, orgName: r.org_name }]));
  }

  /**
   * Active operators by name (part of it) or unified social credit code (its start), for a county contracting one
   * registered in another county (issue 15 §1), which its own organisations' RLS hides until the operator runs a market
   * there. Read as the platform, only the minimum a county needs to pick it: id, name, credit code, home region.
   */
  async activeOperators(q: string, limit = 20): Promise<{ id: string; name: string; creditCode: string | null; regionCode: string; regionName: string }[]> {
    const term = q.trim();
    const rows: { id: string; name: string; credit_code: string | null; region_code: string; region_name: string | null }[] = await this.db.run(SYSTEM_ACTOR, (em) => em.query(
      `SELECT o.id, o.name, o.credit_code, o.region_code, r.full_name AS region_name FROM organisations o LEFT JOIN regions r ON r.code = o.region_code
       WHERE o.kind = 'operator' AND o.status = 'active'
         AND (($1::text IS NOT NULL AND o.name ILIKE $1) OR (length($2) >= 4 AND upper(o.credit_code) LIKE $2 || '%'))
       ORDER BY o.name LIMIT $3`, [term ? containsPattern(term) : null, term.toUpperCase().replace(/[^0-9A-Z]/g, ''), limit]));
    return rows.map((r) => ({ id: r.id, name: r.name, creditCode: r.credit_code, regionCode: r.region_code, regionName: r.region_name ?? r.region_code }));
  }

  /** Organisations' names (operators and authorities), read as the platform for the same reason. */
  async organisationNames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; name: string }[] = await this.db.run(SYSTEM_ACTOR, (em) => em.query('SELECT id, name FROM organisations WHERE id = ANY($1::uuid[])', [ids]));
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}

/** Names the audit log's actors, user subjects and organisation subjects (issue 17 §4). */
@Injectable()
export class StaffAuditNames implements OnModuleInit {
  constructor(private readonly staff: StaffDirectoryService, private readonly audit: AuditService) {}
  onModuleInit(): void {
    this.audit.registerActorNames((ids) => this.staff.actorNames(ids));
    this.audit.registerSubjectNames('User', async (_em, _reader, ids) => new Map([...await this.staff.actorNames(ids)].map(([id, u]) => [id, u.name])));
    this.audit.registerSubjectNames('Organisation', (_em, _reader, ids) => this.staff.organisationNames(ids));
  }
}

/** The staff directory without the tenancy context's controllers (for the API and the worker). */
@Module({ imports: [AuditModule], providers: [StaffDirectoryService, StaffAuditNames], exports: [StaffDirectoryService] })
export class StaffDirectoryModule {}
