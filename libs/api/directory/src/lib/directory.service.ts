import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  diffListings, quarterOf, regionWithin,
  type Actor, type DirectoryPointInput, type ListingView, type Page, type PointView, type VersionDiff, type VersionView,
  directoryFreezeSchema, directoryListingQuerySchema, directoryPointQuerySchema, directoryPointUpdateSchema, directoryVersionQuerySchema,
} from '@linggong/domain';
import {
  ProblemException, TenantDb, abilityOf, applyAccess, assertAccess, conflict, lockKey, newId, notFound, queryRow, queryRows, rowForChange, unprocessable,
} from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { MarketDirectoryService } from '@linggong/api-markets';
import { RegionsService } from '@linggong/api-tenancy';
import { shanghaiDay } from '@linggong/ledger-chain';
import { DirectoryFreezeService } from './freeze.service';
import { LISTING_ACCESS, POINT_ACCESS, listingScope, listingView, pointView, type ListingRow, type PointRow, type VersionRow } from './rows';
import { ministryWorkbook } from './ministry-xlsx';

type VersionQuery = z.infer<typeof directoryVersionQuerySchema>;
type ListingQuery = z.infer<typeof directoryListingQuerySchema> & { versionId?: string };

/**
 * The directory's chain (issue 14 §1; R-E1): a frozen version's listings are confirmed by their county or sent
 * back to the operator with a reason (the operator fixes the market and resubmits), the city compiles its
 * counties once all are confirmed, the province publishes once every city has compiled. One step per level,
 * enforced by CASL (`Directory`: verify / compile / publish) and RLS; every transition locks the version row
 * (and the listing it changes) before it checks their state. Audit-only actions `directory.*` (the work log is
 * the operator's; docs/glossary.md).
 */
@Injectable()
export class DirectoryService implements OnModuleInit {
  constructor(
    private readonly db: TenantDb, private readonly audit: AuditService, private readonly regions: RegionsService,
    private readonly freezer: DirectoryFreezeService, private readonly markets: MarketDirectoryService,
  ) {}

  /** The audit log shows listings and gathering points by name (issue 17 §4), those the reader may read (RLS). */
  onModuleInit(): void {
    for (const [type, table] of [['DirectoryListing', 'directory_listings'], ['DirectoryPoint', 'directory_points']] as const) {
      this.audit.registerSubjectNames(type, async (em, _reader, ids) => new Map(
        (await em.query<{ id: string; name: string }[]>(`SELECT id, name FROM ${table} WHERE id = ANY($1::uuid[])`, [ids])).map((r) => [r.id, r.name])));
    }
  }

  // ---------------------------------------------------------------- versions

  /** The province's directory frozen now, on demand (the current quarter's figures to date, or a past quarter's). */
  freeze(actor: Actor, input: z.infer<typeof directoryFreezeSchema>): Promise<VersionView> {
    return this.db.run(actor, async (em) => {
      const province = this.provinceOf(actor);
      assertAccess(actor, 'publish', 'Directory', { regionCode: province });
      const { version } = await this.freezer.freezeIn(em, actor, province, input.quarter ?? quarterOf(shanghaiDay(new Date())), 'on_demand');
      return this.versionView(em, actor, version);
    });
  }

  listVersions(actor: Actor, q: VersionQuery): Promise<Page<VersionView>> {
    return this.db.run(actor, async (em) => {
      const { where, params } = this.versionScope(actor);
      const st = q.status ? ` AND v.status = $${params.push(q.status)}` : '';
      const total = (await queryRow<{ n: number }>(em, `SELECT count(*)::int AS n FROM directory_versions v WHERE ${where}${st}`, params))?.n ?? 0;
      const rows = await queryRows<VersionRow>(em,
        `SELECT * FROM directory_versions v WHERE ${where}${st} ORDER BY v.province_code, v.seq DESC LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`, params);
      const items: VersionView[] = [];
      for (const r of rows) items.push(await this.versionView(em, actor, r));
      return { items, total, page: q.page, pageSize: q.pageSize };
    });
  }

  getVersion(actor: Actor, id: string): Promise<VersionView> {
    return this.db.run(actor, async (em) => this.versionView(em, actor, await this.version(em, actor, id)));
  }

  /** The city compiles its counties' listings in a version: every one confirmed (none pending, none sent back). */
  compile(actor: Actor, id: string): Promise<VersionView> {
    return this.db.run(actor, async (em) => {
      const city = (actor.regionPrefix ?? '').slice(0, 4);
      const v = await this.lockedVersion(em, actor, id);
      assertAccess(actor, 'compile', 'Directory', { regionCode: city.length === 4 ? city : '' });
      if (city.length !== 4 || !city.startsWith(v.province_code)) throw new ProblemException(403, 'forbidden');
      if (v.status !== 'open') throw conflict('directory_version_published');
      const open = await queryRow<{ n: number }>(em, `SELECT count(*)::int AS n FROM directory_listings WHERE version_id = $1 AND region_code LIKE $2 AND status <> 'confirmed'`, [id, `${city}%`]);
      if (open?.n) throw new ProblemException(409, 'directory_city_unconfirmed');
      const done = await em.query('INSERT INTO directory_compilations (version_id, city_code, compiled_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING city_code', [id, city, actor.userId]);
      if (done.length) {
        const n = await queryRow<{ n: number }>(em, 'SELECT count(*)::int AS n FROM directory_listings WHERE version_id = $1 AND region_code LIKE $2', [id, `${city}%`]);
        await this.audit.record(em, actor, { action: 'directory.compile', subjectType: 'DirectoryVersion', subjectId: id, regionCode: city, summary: { quarter: v.quarter, seq: v.seq, listings: n?.n ?? 0 } });
      }
      return this.versionView(em, actor, v);
    });
  }

  /** The province publishes a version once every city with listings has compiled it; final (the public pages show it). */
  publish(actor: Actor, id: string): Promise<VersionView> {
    return this.db.run(actor, async (em) => {
      const v = await this.lockedVersion(em, actor, id);
      assertAccess(actor, 'publish', 'Directory', { regionCode: v.province_code });
      if (v.status !== 'open') throw conflict('directory_version_published');
      const missing = await queryRow<{ n: number }>(em,
        `SELECT count(*)::int AS n FROM (SELECT DISTINCT left(region_code, 4) AS c FROM directory_listings WHERE version_id = $1) x
         WHERE NOT EXISTS (SELECT 1 FROM directory_compilations k WHERE k.version_id = $1 AND k.city_code = x.c)`, [id]);
      if (missing?.n) throw new ProblemException(409, 'directory_not_compiled');
      await em.query(`UPDATE directory_versions SET status = 'published', published_at = now(), published_by = $2 WHERE id = $1`, [id, actor.userId]);
      await this.audit.record(em, actor, { action: 'directory.publish', subjectType: 'DirectoryVersion', subjectId: id, regionCode: v.province_code, summary: { quarter: v.quarter, seq: v.seq } });
      return this.versionView(em, actor, (await queryRow<VersionRow>(em, 'SELECT * FROM directory_versions WHERE id = $1', [id])) as VersionRow);
    });
  }

  /** What changed between two versions of a province, in the caller's part of it. */
  diff(actor: Actor, id: string, fromId: string): Promise<VersionDiff> {
    return this.db.run(actor, async (em) => {
      const to = await this.version(em, actor, id);
      const from = await this.version(em, actor, fromId);
      if (from.province_code !== to.province_code) throw unprocessable('directory_diff_province', 'from');
      const names = new Map<string, string>();
      const a = await this.listingsOf(em, actor, from.id, names);
      const b = await this.listingsOf(em, actor, to.id, names);
      return { from: { id: from.id, quarter: from.quarter, seq: from.seq }, to: { id: to.id, quarter: to.quarter, seq: to.seq }, ...diffListings(a, b) };
    });
  }

  /** The yearly report to the ministry (000 九): the province's latest published version of the year, in the 38号 field order. */
  ministryReport(actor: Actor, year: number, province?: string): Promise<{ content: Buffer; filename: string }> {
    return this.db.run(actor, async (em) => {
      const p = actor.orgKind === 'platform' ? (province ?? '') : this.provinceOf(actor);
      if (!/^\d{2}$/.test(p)) throw unprocessable('directory_region', 'province');
      assertAccess(actor, 'publish', 'Directory', { regionCode: p });
      const v = await queryRow<VersionRow>(em,
        `SELECT * FROM directory_versions WHERE province_code = $1 AND status = 'published' AND quarter LIKE $2 ORDER BY seq DESC LIMIT 1`, [p, `${year}Q%`]);
      if (!v) throw notFound();
      const names = new Map<string, string>();
      const listings = await this.listingsOf(em, actor, v.id, names);
      const provinceName = (await this.regions.names(em, [p])).get(p) ?? p;
      await this.audit.record(em, actor, { action: 'directory.export', subjectType: 'DirectoryVersion', subjectId: v.id, regionCode: p, summary: { year, quarter: v.quarter, seq: v.seq, listings: listings.length } });
      return { content: await ministryWorkbook(provinceName, year, v, listings), filename: `${provinceName}零工市场名录-${year}.xlsx` };
    });
  }

  // ---------------------------------------------------------------- listings

  listListings(actor: Actor, q: ListingQuery): Promise<Page<ListingView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('directory_listings', 'l');
      if (!applyAccess(qb, actor, 'read', 'Directory', LISTING_ACCESS('l'))) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      if (q.versionId) qb.andWhere('l.version_id = :v', { v: q.versionId });
      if (q.status) qb.andWhere('l.status = :s', { s: q.status });
      if (q.regionCode) qb.andWhere('l.region_code LIKE :rc', { rc: `${q.regionCode}%` });
      if (q.q) qb.andWhere('(l.name ILIKE :q OR l.address ILIKE :q OR array_to_string(l.occupations, \' \') ILIKE :q)', { q: `%${q.q.replace(/[%_\\]/g, '')}%` });
      const total = (await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>())?.n ?? 0;
      const ids = await qb.select('l.id', 'id').orderBy('l.region_code').addOrderBy('l.name').addOrderBy('l.id')
        .offset((q.page - 1) * q.pageSize).limit(q.pageSize).getRawMany<{ id: string }>();
      const rows = ids.length ? await queryRows<ListingRow>(em, 'SELECT * FROM directory_listings WHERE id = ANY($1::uuid[]) ORDER BY region_code, name, id', [ids.map((r) => r.id)]) : [];
      const names = await this.names(em, rows.map((r) => r.region_code));
      return { items: rows.map((r) => listingView(r, names)), total, page: q.page, pageSize: q.pageSize };
    });
  }

  /** The county confirms a listing of its county (R-E1: 县级确认). */
  confirm(actor: Actor, id: string): Promise<ListingView> {
    return this.changeListing(actor, id, 'verify', async (em, l) => {
      if (l.status !== 'pending') throw conflict('directory_listing_state');
      await em.query(`UPDATE directory_listings SET status = 'confirmed', confirmed_at = now(), confirmed_by = $2, updated_at = now() WHERE id = $1`, [id, actor.userId]);
      return { action: 'directory.confirm', summary: {} };
    });
  }

  /** The county sends a market's listing back to its operator with the reason; the operator sees it and resubmits once fixed. */
  sendBack(actor: Actor, id: string, reason: string): Promise<ListingView> {
    return this.changeListing(actor, id, 'verify', async (em, l) => {
      if (l.source !== 'market' || !l.tenant_id) throw new ProblemException(422, 'validation_failed', [{ field: 'id', key: 'directory_no_operator' }]);
      if (l.status !== 'pending') throw conflict('directory_listing_state');
      await em.query(`UPDATE directory_listings SET status = 'returned', return_reason = $2, returned_at = now(), returned_by = $3, updated_at = now() WHERE id = $1`, [id, reason, actor.userId]);
      return { action: 'directory.return', summary: { reason } };
    });
  }

  /**
   * The operator resubmits a listing the county sent back, after fixing the market's operating details (the
   * markets context's own page): the listing takes the market's 38号 fields as they now are; the computed
   * figures stay as frozen. Pending again, for the county.
   */
  resubmit(actor: Actor, id: string): Promise<ListingView> {
    return this.changeListing(actor, id, 'operate', async (em, l, v) => {
      if (l.status !== 'returned') throw conflict('directory_not_returned');
      const [m] = await this.markets.directoryProfiles(em, v.province_code, l.source_id);
      if (!m) throw notFound();
      const before = { name: l.name, address: l.address, openingHours: l.opening_hours, occupations: l.occupations, contacts: l.contacts, hotline: l.hotline };
      await em.query(
        `UPDATE directory_listings SET status = 'pending', resubmitted_at = now(), updated_at = now(), name = $2, nature = $3, address = $4, longitude = $5, latitude = $6,
           opening_hours = $7, occupations = $8, contacts = $9, hotline = $10 WHERE id = $1`,
        [id, m.name, m.nature, m.address, m.longitude, m.latitude, m.openingHours, m.occupations, JSON.stringify(m.contacts), m.hotline]);
      return { action: 'directory.resubmit', summary: { before, after: { name: m.name, address: m.address, openingHours: m.openingHours, occupations: m.occupations, contacts: m.contacts, hotline: m.hotline }, reason: l.return_reason } };
    });
  }

  private async changeListing(actor: Actor, id: string, action: 'verify' | 'operate',
    fn: (em: EntityManager, l: ListingRow, v: VersionRow) => Promise<{ action: string; summary: Record<string, unknown> }>): Promise<ListingView> {
    return this.db.run(actor, async (em) => {
      const seen = await queryRow<ListingRow>(em, 'SELECT * FROM directory_listings WHERE id = $1', [id]);
      if (!seen) throw notFound();
      assertAccess(actor, action, 'Directory', listingScope(seen));
      // The version first (compile and publish lock it too), then the listing: the states checked are the ones changed.
      const v = await this.lockVersion(em, seen.version_id);
      const l = await rowForChange<ListingRow>(em, actor, action, 'Directory', 'directory_listings', id, listingScope);
      if (v.status !== 'open') throw conflict('directory_version_published');
      const compiled = await queryRow(em, 'SELECT 1 FROM directory_compilations WHERE version_id = $1 AND city_code = $2', [v.id, l.region_code.slice(0, 4)]);
      if (compiled) throw conflict('directory_compiled');
      const done = await fn(em, l, v);
      await this.audit.record(em, actor, {
        action: done.action, subjectType: 'DirectoryListing', subjectId: id, tenantId: l.tenant_id, regionCode: l.region_code,
        summary: { versionId: v.id, quarter: v.quarter, seq: v.seq, name: l.name, ...done.summary },
      });
      const row = (await queryRow<ListingRow>(em, 'SELECT * FROM directory_listings WHERE id = $1', [id])) as ListingRow;
      return listingView(row, await this.names(em, [row.region_code]));
    });
  }

  // ---------------------------------------------------------------- gathering points (R-A2)

  listPoints(actor: Actor, q: z.infer<typeof directoryPointQuerySchema>): Promise<Page<PointView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('directory_points', 'p').where('p.removed_at IS NULL');
      if (!applyAccess(qb, actor, 'read', 'Directory', POINT_ACCESS('p'))) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      if (q.regionCode) qb.andWhere('p.region_code LIKE :rc', { rc: `${q.regionCode}%` });
      if (q.q) qb.andWhere('(p.name ILIKE :q OR p.address ILIKE :q)', { q: `%${q.q.replace(/[%_\\]/g, '')}%` });
      const total = (await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>())?.n ?? 0;
      const rows = await qb.select('p.*').orderBy('p.region_code').addOrderBy('p.name').offset((q.page - 1) * q.pageSize).limit(q.pageSize).getRawMany<PointRow>();
      const names = await this.names(em, rows.map((r) => r.region_code));
      return { items: rows.map((r) => pointView(r, names)), total, page: q.page, pageSize: q.pageSize };
    });
  }

  createPoint(actor: Actor, input: DirectoryPointInput): Promise<PointView> {
    return this.db.run(actor, async (em) => {
      if (!(await this.regions.exists(em, input.regionCode))) throw unprocessable('region_not_found', 'regionCode');
      if (actor.orgKind !== 'platform' && !regionWithin(input.regionCode, actor.regionPrefix)) throw unprocessable('region_outside_scope', 'regionCode');
      assertAccess(actor, 'create', 'Directory', { regionCode: input.regionCode });
      const id = newId();
      await em.query(
        `INSERT INTO directory_points (id, region_code, name, nature, address, longitude, latitude, opening_hours, occupations, contacts, hotline,
           seeker_scale, daily_hires, main_occupations, note, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
        [id, input.regionCode, input.name, input.nature, input.address, input.longitude ?? null, input.latitude ?? null, input.openingHours ?? null,
          input.occupations, JSON.stringify(input.contacts), input.hotline ?? null, input.seekerScale ?? null, input.dailyHires ?? null, input.mainOccupations, input.note, actor.userId]);
      await this.audit.record(em, actor, { action: 'directory.point_create', subjectType: 'DirectoryPoint', subjectId: id, regionCode: input.regionCode, summary: { after: input } });
      return this.pointOf(em, id);
    });
  }

  updatePoint(actor: Actor, id: string, input: z.infer<typeof directoryPointUpdateSchema>): Promise<PointView> {
    return this.db.run(actor, async (em) => {
      const p = await rowForChange<PointRow>(em, actor, 'update', 'Directory', 'directory_points', id, (r) => ({ regionCode: r.region_code }));
      if (p.removed_at) throw conflict('directory_point_removed');
      const cols: Record<string, string> = { name: 'name', nature: 'nature', address: 'address', longitude: 'longitude', latitude: 'latitude', openingHours: 'opening_hours',
        occupations: 'occupations', contacts: 'contacts', hotline: 'hotline', seekerScale: 'seeker_scale', dailyHires: 'daily_hires', mainOccupations: 'main_occupations', note: 'note' };
      const entries = Object.entries(input).filter(([, v]) => v !== undefined);
      if (entries.length) {
        const sets = entries.map(([k], i) => `${cols[k]} = $${i + 2}`).join(', ');
        await em.query(`UPDATE directory_points SET ${sets}, updated_at = now() WHERE id = $1`, [id, ...entries.map(([k, v]) => (k === 'contacts' ? JSON.stringify(v) : v))]);
        await this.audit.record(em, actor, { action: 'directory.point_update', subjectType: 'DirectoryPoint', subjectId: id, regionCode: p.region_code, summary: { after: Object.fromEntries(entries) } });
      }
      return this.pointOf(em, id);
    });
  }

  /** A point that is gone (the county no longer sees workers gather there): out of later versions; earlier ones keep it. */
  removePoint(actor: Actor, id: string): Promise<PointView> {
    return this.db.run(actor, async (em) => {
      const p = await rowForChange<PointRow>(em, actor, 'update', 'Directory', 'directory_points', id, (r) => ({ regionCode: r.region_code }));
      if (p.removed_at) throw conflict('directory_point_removed');
      await em.query('UPDATE directory_points SET removed_at = now(), updated_at = now() WHERE id = $1', [id]);
      await this.audit.record(em, actor, { action: 'directory.point_remove', subjectType: 'DirectoryPoint', subjectId: id, regionCode: p.region_code, summary: { name: p.name } });
      return this.pointOf(em, id);
    });
  }

  // ---------------------------------------------------------------- helpers

  private provinceOf(actor: Actor): string {
    const p = (actor.regionPrefix ?? '').slice(0, 2);
    if (actor.orgKind === 'operator' || p.length !== 2) throw new ProblemException(403, 'forbidden');
    return p;
  }

  /** Versions an actor sees: its province's (authorities), every one (platform), those with its listings (operators). */
  private versionScope(actor: Actor): { where: string; params: unknown[] } {
    if (actor.orgKind === 'platform') return { where: 'TRUE', params: [] };
    if (actor.orgKind === 'operator') {
      if (!abilityOf(actor).can('read', 'Directory')) return { where: 'FALSE', params: [] };
      return { where: 'EXISTS (SELECT 1 FROM directory_listings l WHERE l.version_id = v.id AND l.tenant_id = $1)', params: [actor.tenantId] };
    }
    return { where: 'v.province_code = $1', params: [(actor.regionPrefix ?? '').slice(0, 2)] };
  }

  private async version(em: EntityManager, actor: Actor, id: string): Promise<VersionRow> {
    const { where, params } = this.versionScope(actor);
    const v = await queryRow<VersionRow>(em, `SELECT * FROM directory_versions v WHERE v.id = $${params.length + 1} AND ${where}`, [...params, id]);
    if (!v) throw notFound();
    return v;
  }

  private async lockedVersion(em: EntityManager, actor: Actor, id: string): Promise<VersionRow> {
    await this.version(em, actor, id);
    return this.lockVersion(em, id);
  }

  /**
   * Every transition of a version (a listing confirmed, sent back or resubmitted; a city compiled; the version
   * published) first takes one lock on the version: a transaction-scoped advisory lock, because counties,
   * cities and operators may not update the version row itself (RLS). The version is read after it.
   */
  private async lockVersion(em: EntityManager, id: string): Promise<VersionRow> {
    await lockKey(em, `directory_versions:${id}`);
    return (await queryRow<VersionRow>(em, 'SELECT * FROM directory_versions WHERE id = $1', [id])) as VersionRow;
  }

  private async listingsOf(em: EntityManager, actor: Actor, versionId: string, names: Map<string, string>): Promise<ListingView[]> {
    const qb = em.createQueryBuilder().from('directory_listings', 'l').where('l.version_id = :v', { v: versionId });
    if (!applyAccess(qb, actor, 'read', 'Directory', LISTING_ACCESS('l'))) return [];
    const rows = await qb.select('l.*').orderBy('l.region_code').addOrderBy('l.name').getRawMany<ListingRow>();
    for (const [k, v] of await this.names(em, rows.map((r) => r.region_code))) names.set(k, v);
    return rows.map((r) => listingView(r, names));
  }

  private async versionView(em: EntityManager, actor: Actor, v: VersionRow): Promise<VersionView> {
    const qb = em.createQueryBuilder().from('directory_listings', 'l').where('l.version_id = :v', { v: v.id });
    const counts = applyAccess(qb, actor, 'read', 'Directory', LISTING_ACCESS('l'))
      ? await qb.select('left(l.region_code, 4)', 'city').addSelect('l.status', 'status').addSelect('count(*)::int', 'n').groupBy('1').addGroupBy('2').getRawMany<{ city: string; status: string; n: number }>()
      : [];
    const compiled = await queryRows<{ city_code: string; compiled_at: Date }>(em, 'SELECT city_code, compiled_at FROM directory_compilations WHERE version_id = $1', [v.id]);
    const cityCodes = [...new Set(counts.map((c) => c.city))].sort();
    const names = await this.names(em, cityCodes);
    const sum = (f: (c: (typeof counts)[number]) => boolean) => counts.filter(f).reduce((s, c) => s + c.n, 0);
    return {
      id: v.id, provinceCode: v.province_code, quarter: v.quarter, seq: v.seq, trigger: v.trigger, figuresFrom: v.figures_from, figuresTo: v.figures_to,
      status: v.status, frozenAt: v.frozen_at.toISOString(), publishedAt: v.published_at ? v.published_at.toISOString() : null,
      listings: sum(() => true), confirmed: sum((c) => c.status === 'confirmed'), returned: sum((c) => c.status === 'returned'), pending: sum((c) => c.status === 'pending'),
      cities: cityCodes.map((c) => ({
        cityCode: c, cityName: names.get(c) ?? null, listings: sum((x) => x.city === c), confirmed: sum((x) => x.city === c && x.status === 'confirmed'),
        compiledAt: compiled.find((k) => k.city_code === c)?.compiled_at.toISOString() ?? null,
      })),
    };
  }

  private async pointOf(em: EntityManager, id: string): Promise<PointView> {
    const r = await queryRow<PointRow>(em, 'SELECT * FROM directory_points WHERE id = $1', [id]);
    if (!r) throw notFound();
    return pointView(r, await this.names(em, [r.region_code]));
  }

  /** Region names for codes and their cities, short (中牟县, not 河南省郑州市中牟县). */
  async names(em: EntityManager, codes: string[]): Promise<Map<string, string>> {
    const all = [...new Set(codes.flatMap((c) => [c, c.slice(0, 4), c.slice(0, 2)]))];
    const full = await this.regions.names(em, all);
    const out = new Map<string, string>();
    for (const c of all) {
      const f = full.get(c);
      if (!f) continue;
      const parent = c.length > 2 ? full.get(c.slice(0, c.length - 2)) : undefined;
      out.set(c, parent && f.startsWith(parent) && f.length > parent.length ? f.slice(parent.length) : f);
    }
    return out;
  }
}
