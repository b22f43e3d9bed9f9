import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  SYSTEM_ACTOR, directoryFigures, lastCompleteQuarter, quarterRange, type Actor,
} from '@linggong/domain';
import { ProblemException, TenantDb, lockKey, newId, queryRow, queryRows } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { MarketDirectoryService } from '@linggong/api-markets';
import { AnalyticsService } from '@linggong/api-analytics';
import { shanghaiDay } from '@linggong/ledger-chain';
import type { PointRow, VersionRow } from './rows';

/**
 * Freezing a directory version (名录, R-E1; 003 (十) quarterly updates): every open market of the province with
 * the 38号 fields as they stand and the computed fields from the quarter's rolled-up sealed work log
 * (analytics' `directoryFigures`), and every gathering point its counties listed, with their estimates. The
 * quarter-end job freezes each province's last complete quarter once (a unique index; the job id is the
 * business key); the province may freeze again on demand (a new version, the next seq).
 */
@Injectable()
export class DirectoryFreezeService {
  private readonly log = new Logger('DirectoryFreeze');
  constructor(
    private readonly db: TenantDb, private readonly audit: AuditService, private readonly markets: MarketDirectoryService,
    private readonly analytics: AnalyticsService,
  ) {}

  /** Freeze one province's directory for a quarter's figures (to today, for the current quarter). In the caller's transaction. */
  async freezeIn(em: EntityManager, actor: Actor, provinceCode: string, quarter: string, trigger: VersionRow['trigger'], now = new Date()): Promise<{ version: VersionRow; created: boolean }> {
    const today = shanghaiDay(now);
    const range = quarterRange(quarter);
    if (range.from > today) throw new ProblemException(422, 'validation_failed', [{ field: 'quarter', key: 'directory_quarter_future' }]);
    // One freeze of a province at a time: the seq and the quarter-end version are decided under this lock.
    await lockKey(em, `directory-freeze:${provinceCode}`);
    if (trigger === 'quarter_end') {
      const existing = await queryRow<VersionRow>(em, `SELECT * FROM directory_versions WHERE province_code = $1 AND quarter = $2 AND trigger = 'quarter_end'`, [provinceCode, quarter]);
      if (existing) return { version: existing, created: false };
    }
    const to = range.to < today ? range.to : today;
    const seq = (await queryRow<{ n: number }>(em, 'SELECT COALESCE(max(seq), 0)::int AS n FROM directory_versions WHERE province_code = $1', [provinceCode]))?.n ?? 0;
    const id = newId();
    await em.query(
      `INSERT INTO directory_versions (id, province_code, quarter, seq, trigger, figures_from, figures_to, frozen_at, frozen_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, provinceCode, quarter, seq + 1, trigger, range.from, to, now, actor.userId]);
    const markets = await this.markets.directoryProfiles(em, provinceCode);
    const figures = await this.analytics.directoryFigures(em, markets.map((m) => m.id), range.from, to);
    const points = await queryRows<PointRow>(em, `SELECT * FROM directory_points WHERE region_code LIKE $1 AND removed_at IS NULL ORDER BY region_code, name`, [`${provinceCode}%`]);
    const rows = [
      ...markets.map((m) => {
        const f = figures.get(m.id) ?? { seekers: 0, hires: 0, openDays: 0, byOccupation: [] };
        const c = directoryFigures(f);
        return {
          id: newId(), version_id: id, source: 'market', source_id: m.id, tenant_id: m.tenantId, region_code: m.regionCode, name: m.name, nature: m.nature,
          address: m.address, longitude: m.longitude, latitude: m.latitude, opening_hours: m.openingHours, occupations: m.occupations, contacts: m.contacts,
          hotline: m.hotline, seeker_scale: c.seekerScale, main_occupations: c.mainOccupations, daily_hires: c.dailyHires, hires: f.hires, open_days: f.openDays,
          figures_basis: 'work_log',
        };
      }),
      ...points.map((p) => ({
        id: newId(), version_id: id, source: 'point', source_id: p.id, tenant_id: null, region_code: p.region_code, name: p.name, nature: p.nature,
        address: p.address, longitude: p.longitude, latitude: p.latitude, opening_hours: p.opening_hours, occupations: p.occupations, contacts: p.contacts,
        hotline: p.hotline, seeker_scale: p.seeker_scale, main_occupations: p.main_occupations, daily_hires: p.daily_hires === null ? null : Number(p.daily_hires),
        hires: null, open_days: null, figures_basis: 'estimate',
      })),
    ];
    if (rows.length) {
      // One statement for the whole province (a thousand markets is one round trip).
      await em.query(
        `INSERT INTO directory_listings (id, version_id, source, source_id, tenant_id, region_code, name, nature, address, longitude, latitude, opening_hours,
           occupations, contacts, hotline, seeker_scale, main_occupations, daily_hires, hires, open_days, figures_basis)
         SELECT id, version_id, source, source_id, tenant_id, region_code, name, nature, address, longitude, latitude, opening_hours,
           occupations, contacts, hotline, seeker_scale, main_occupations, daily_hires, hires, open_days, figures_basis
         FROM jsonb_populate_recordset(NULL::directory_listings, $1::jsonb)`, [JSON.stringify(rows)]);
    }
    await this.audit.record(em, actor, {
      action: 'directory.freeze', subjectType: 'DirectoryVersion', subjectId: id, regionCode: provinceCode,
      summary: { quarter, seq: seq + 1, trigger, figuresFrom: range.from, figuresTo: to, markets: markets.length, points: points.length },
    });
    const version = await queryRow<VersionRow>(em, 'SELECT * FROM directory_versions WHERE id = $1', [id]);
    return { version: version as VersionRow, created: true };
  }

  /**
   * The quarter-end job (a schedule on the 1st of January, April, July and October, and idempotent at any
   * other time): every province with an open market gets its last complete quarter frozen, once.
   */
  async quarterEnd(now = new Date()): Promise<{ quarter: string; created: string[] }> {
    const quarter = lastCompleteQuarter(shanghaiDay(now));
    const provinces = await this.db.run(SYSTEM_ACTOR, (em) => this.markets.provincesWithOpenMarkets(em));
    const created: string[] = [];
    for (const p of provinces) {
      const r = await this.db.run(SYSTEM_ACTOR, (em) => this.freezeIn(em, SYSTEM_ACTOR, p, quarter, 'quarter_end', now));
      if (r.created) created.push(p);
    }
    if (created.length) this.log.log(`directory ${quarter} frozen for ${created.join(', ')}`);
    return { quarter, created };
  }
}

