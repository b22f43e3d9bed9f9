import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MarketDirectory } from '@linggong/api-tenancy';

/** The scope fields other contexts need to check access to something at a market. */
export interface PublicMarketProfile {
  id: string; name: string; address: string | null; longitude: number | null; latitude: number | null; openingHours: string | null;
  contacts: { name?: string; phone?: string; title?: string }[]; hotline: string | null; occupations: string[];
}
/** A market as the directory freezes it (R-E1). */
export interface DirectoryMarketProfile {
  id: string; tenantId: string | null; regionCode: string; name: string; nature: 'public' | 'commercial' | 'spontaneous'; address: string | null;
  longitude: number | null; latitude: number | null; openingHours: string | null; contacts: { name?: string; phone?: string; title?: string }[];
  hotline: string | null; occupations: string[];
}
export interface MarketScope {
  id: string; tenantId: string | null; regionCode: string; name: string; longitude: number | null; latitude: number | null;
  /** When the market was registered (the work log refuses a manual entry dated before the market existed, issue 17 §3). */
  createdAt?: string;
  /** Its operator's lifecycle status, where the caller sees the operator (issue 16 §4: an exiting operator takes no new business). */
  operatorStatus?: 'active' | 'exiting' | 'exited' | null;
}

/**
 * What other contexts may know of markets (tenancy's grant checks and counts; the scope that the
 * ledger and registry check access against), read in the caller's transaction, so RLS applies.
 */
@Injectable()
export class MarketDirectoryService implements MarketDirectory {
  /** A market visible to the caller, or null. */
  async scopeOf(em: EntityManager, marketId: string): Promise<MarketScope | null> {
    const [m] = await em.query(
      `SELECT m.id, m.tenant_id, m.region_code, m.name, m.longitude, m.latitude, m.created_at, o.status AS operator_status
       FROM markets m LEFT JOIN organisations o ON o.id = m.tenant_id WHERE m.id = $1`, [marketId]);
    return m ? {
      id: m.id, tenantId: m.tenant_id, regionCode: m.region_code, name: m.name, longitude: m.longitude, latitude: m.latitude,
      createdAt: new Date(m.created_at).toISOString(), operatorStatus: m.operator_status ?? null,
    } : null;
  }

  /** Markets' names by id, those visible to the caller (the audit log's subjects, issue 17 §4). */
  async names(em: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; name: string }[] = await em.query('SELECT id, name FROM markets WHERE id = ANY($1::uuid[])', [ids]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** The fields a market's public page shows (R-D1): address, hours, contacts, hotline, usual occupations. */
  async publicProfile(em: EntityManager, marketId: string): Promise<PublicMarketProfile | null> {
    const [m] = await em.query(
      'SELECT id, name, address, longitude, latitude, opening_hours, contacts, hotline, occupations FROM markets WHERE id = $1', [marketId]);
    return m ? {
      id: m.id, name: m.name, address: m.address, longitude: m.longitude, latitude: m.latitude, openingHours: m.opening_hours,
      contacts: (m.contacts ?? []) as { name?: string; phone?: string; title?: string }[], hotline: m.hotline, occupations: m.occupations ?? [],
    } : null;
  }

  /**
   * The open markets of a province with the fields the directory (名录, R-E1) freezes: name, nature, address,
   * hours, occupations, contacts, hotline, place on the map. In the caller's transaction (RLS applies).
   */
  async directoryProfiles(em: EntityManager, provinceCode: string, marketId?: string): Promise<DirectoryMarketProfile[]> {
    const rows: { id: string; tenant_id: string | null; region_code: string; name: string; nature: DirectoryMarketProfile['nature']; address: string | null;
      longitude: number | null; latitude: number | null; opening_hours: string | null; contacts: DirectoryMarketProfile['contacts']; hotline: string | null; occupations: string[] }[] = await em.query(
      `SELECT id, tenant_id, region_code, name, nature, address, longitude, latitude, opening_hours, contacts, hotline, occupations
       FROM markets WHERE region_code LIKE $1 AND status = 'open' AND ($2::uuid IS NULL OR id = $2) ORDER BY region_code, name`, [`${provinceCode}%`, marketId ?? null]);
    return rows.map((m) => ({
      id: m.id, tenantId: m.tenant_id, regionCode: m.region_code, name: m.name, nature: m.nature, address: m.address, longitude: m.longitude,
      latitude: m.latitude, openingHours: m.opening_hours, contacts: m.contacts ?? [], hotline: m.hotline, occupations: m.occupations ?? [],
    }));
  }

  /** The provinces (2-digit codes) that have an open market, for the directory's quarter-end freeze. */
  async provincesWithOpenMarkets(em: EntityManager): Promise<string[]> {
    return (await em.query(`SELECT DISTINCT left(region_code, 2) AS p FROM markets WHERE status = 'open' ORDER BY 1`)).map((r: { p: string }) => r.p);
  }

  /** The ids of a tenant's markets. */
  async idsOfTenant(em: EntityManager, tenantId: string): Promise<string[]> {
    return (await em.query('SELECT id FROM markets WHERE tenant_id = $1 ORDER BY id', [tenantId])).map((r: { id: string }) => r.id);
  }

  /** A tenant's markets in a region (a county's call-back sample, issue 16), with their names. */
  async ofTenantIn(em: EntityManager, tenantId: string, regionPrefix: string): Promise<{ id: string; name: string; regionCode: string }[]> {
    const rows: { id: string; name: string; region_code: string }[] = await em.query(
      `SELECT id, name, region_code FROM markets WHERE tenant_id = $1 AND region_code LIKE $2 || '%' ORDER BY id`, [tenantId, regionPrefix]);
    return rows.map((r) => ({ id: r.id, name: r.name, regionCode: r.region_code }));
  }

  async tenantsOf(em: EntityManager, marketIds: string[]): Promise<Map<string, string | null>> {
    if (!marketIds.length) return new Map();
    const rows: { id: string; tenant_id: string | null }[] = await em.query('SELECT id, tenant_id FROM markets WHERE id = ANY($1::uuid[])', [marketIds]);
    return new Map(rows.map((r) => [r.id, r.tenant_id]));
  }

  async countByOperator(em: EntityManager, operatorIds: string[]): Promise<Map<string, number>> {
    if (!operatorIds.length) return new Map();
    const rows: { tenant_id: string; n: number }[] = await em.query('SELECT tenant_id, count(*)::int AS n FROM markets WHERE tenant_id = ANY($1::uuid[]) GROUP BY tenant_id', [operatorIds]);
    return new Map(rows.map((r) => [r.tenant_id, r.n]));
  }
}
