import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  SYSTEM_ACTOR, industryName, monthRange, reportDeadline, submittedOnTime,
  type Actor, type BoardCell, type ReportBoard, type ReportFigures, type ReportLevel, type ReportStatus, type ReportView, type ReleaseView,
} from '@linggong/domain';
import { ProblemException, TenantDb, abilityOf, applyAccess, assertAccess, isoOf, lockRow, newId, notFound, queryRow, queryRows } from '@linggong/api-core';
import { AnalyticsService } from '@linggong/api-analytics';
import { AuditService } from '@linggong/api-audit';
import { RegionsService } from '@linggong/api-tenancy';
import { canonicalJson, digestHex, shanghaiDay } from '@linggong/ledger-chain';
import { buildFigures } from './figures';
import type { ReleaseRow, ReportRow } from './rows';

const LIST_COLUMNS = `id, region_code, level, month, version, status, analysis, measures, parts, digest, due, submitted_at, on_time, reviewed_at, return_reason, created_at`;
const monthOf = (day: string) => day.slice(0, 7);

/**
 * Monthly supply–demand reports (issue 14 §3–5; R-E3–E6): the figures come from analytics'
 * `reportAggregates` (the rollups, the KPI catalogue); the chain county → city → province with versions,
 * frozen snapshots and SM3 digests; the province's board; the public release after acceptance.
 */
@Injectable()
export class ReportsService {
  private readonly log = new Logger('Reports');
  constructor(
    private readonly db: TenantDb, private readonly analytics: AnalyticsService, private readonly audit: AuditService,
    private readonly regions: RegionsService,
  ) {}

  // ---------------------------------------------------------------- figures

  /** A region's figures for a month, as the actor may read them (404 outside its region). */
  async figures(em: EntityManager, actor: Actor, regionCode: string, month: string): Promise<ReportFigures> {
    const { from, to } = monthRange(month);
    const agg = await this.analytics.reportAggregates(em, actor, regionCode, from, to);
    const names = await this.regions.names(em, [...new Set(agg.markets.map((m) => m.regionCode))]);
    return buildFigures(agg, month, from, to, regionCode, names);
  }

  /** `reports_preview`: the figures of a region and month without a report (the analyst's working view). */
  preview(actor: Actor, regionCode: string, month: string): Promise<ReportFigures> {
    this.notFuture(month);
    return this.db.run(actor, (em) => this.figures(em, actor, regionCode, month));
  }

  private notFuture(month: string) {
    if (month > monthOf(shanghaiDay(new Date()))) throw new ProblemException(422, 'validation_failed', [{ field: 'month', key: 'report_future_month' }]);
  }

  // ---------------------------------------------------------------- chain

  list(actor: Actor, q: { month?: string; regionCode?: string }): Promise<ReportView[]> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().select('r.id', 'id').from('supply_demand_reports', 'r');
      if (!applyAccess(qb, actor, 'read', 'SupplyDemandReport', { regionCode: 'r.region_code' })) return [];
      if (q.month) qb.andWhere('r.month = :month', { month: q.month });
      if (q.regionCode) qb.andWhere('r.region_code LIKE :rc', { rc: `${q.regionCode}%` });
      const ids = (await qb.orderBy('r.month', 'DESC').addOrderBy('r.region_code').addOrderBy('r.version', 'DESC').limit(500).getRawMany<{ id: string }>()).map((r) => r.id);
      const rows = await queryRows<ReportRow>(em, `SELECT ${LIST_COLUMNS}, NULL::jsonb AS figures FROM supply_demand_reports WHERE id = ANY($1::uuid[]) ORDER BY month DESC, region_code, version DESC`, [ids]);
      return this.views(em, rows);
    });
  }

  get(actor: Actor, id: string): Promise<ReportView> {
    return this.db.run(actor, async (em) => this.view(em, await this.readRow(em, actor, id)));
  }

  /** The row, read as the actor may (404 otherwise). */
  async readRow(em: EntityManager, actor: Actor, id: string): Promise<ReportRow> {
    const row = await queryRow<ReportRow>(em, `SELECT ${LIST_COLUMNS}, figures FROM supply_demand_reports WHERE id = $1`, [id]);
    if (!row) throw notFound();
    assertAccess(actor, 'read', 'SupplyDemandReport', { regionCode: row.region_code });
    return row;
  }

  /** A row locked for a change the actor may make (404 if it cannot read it, 403 if it may not `action` it). */
  private async changeRow(em: EntityManager, actor: Actor, id: string, action: 'update' | 'verify'): Promise<ReportRow> {
    const row = await this.readRow(em, actor, id);
    assertAccess(actor, action, 'SupplyDemandReport', { regionCode: row.region_code });
    const locked = await lockRow<ReportRow>(em, 'supply_demand_reports', id, LIST_COLUMNS.replace(/\s+/g, ' ') + ', figures');
    if (!locked) throw notFound();
    return locked;
  }

  /** `reports_create`: a draft of the caller's own region (a county's or a city's) for a month, as the next version. */
  create(actor: Actor, body: { month: string }): Promise<ReportView> {
    this.notFuture(body.month);
    return this.db.run(actor, async (em) => {
      const level = actor.orgKind as ReportLevel;
      const region = actor.regionPrefix ?? '';
      if (!abilityOf(actor).can('create', 'SupplyDemandReport')) throw new ProblemException(403, 'forbidden');
      if (level !== 'county' && level !== 'city') throw new ProblemException(422, 'validation_failed', [{ field: 'month', key: 'report_wrong_level' }]);
      assertAccess(actor, 'create', 'SupplyDemandReport', { regionCode: region });
      // One draft at a time per region and month (the partial unique index says so too): serialise on the key.
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`report:${region}:${body.month}`]);
      const live = await queryRow<{ id: string }>(em, `SELECT id FROM supply_demand_reports WHERE region_code = $1 AND month = $2 AND status <> 'returned'`, [region, body.month]);
      if (live) throw new ProblemException(409, 'report_exists', undefined, undefined, { reportId: live.id });
      const [{ v }] = await em.query(`SELECT COALESCE(max(version), 0) + 1 AS v FROM supply_demand_reports WHERE region_code = $1 AND month = $2`, [region, body.month]);
      // A resubmission starts from the returned version's narrative.
      const prev = await queryRow<{ analysis: string | null; measures: string | null }>(em,
        `SELECT analysis, measures FROM supply_demand_reports WHERE region_code = $1 AND month = $2 ORDER BY version DESC LIMIT 1`, [region, body.month]);
      const figures = await this.figures(em, actor, region, body.month);
      const id = newId();
      await em.query(
        `INSERT INTO supply_demand_reports (id, region_code, level, month, version, figures, analysis, measures, due, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [id, region, level, body.month, Number(v), JSON.stringify(figures), prev?.analysis ?? null, prev?.measures ?? null, reportDeadline(body.month).due, actor.userId]);
      await this.audit.record(em, actor, { action: 'report.create', subjectType: 'SupplyDemandReport', subjectId: id, regionCode: region, summary: { month: body.month, version: Number(v) } });
      return this.view(em, await this.readRow(em, actor, id));
    });
  }

  /** `reports_refresh`: recompute a draft's figures (the month's late corrections, newly sealed days). */
  refresh(actor: Actor, id: string): Promise<ReportView> {
    return this.db.run(actor, async (em) => {
      const row = await this.changeRow(em, actor, id, 'update');
      this.ownLevel(actor, row);
      if (row.status !== 'draft') throw new ProblemException(409, 'report_not_draft');
      const figures = await this.figures(em, actor, row.region_code, row.month);
      await em.query('UPDATE supply_demand_reports SET figures = $2, updated_at = now() WHERE id = $1', [id, JSON.stringify(figures)]);
      return this.view(em, await this.readRow(em, actor, id));
    });
  }

  /** `reports_saveNarrative`: the analyst's analysis and countermeasures (a draft only). */
  saveNarrative(actor: Actor, id: string, body: { analysis: string; measures: string }): Promise<ReportView> {
    return this.db.run(actor, async (em) => {
      const row = await this.changeRow(em, actor, id, 'update');
      this.ownLevel(actor, row);
      if (row.status !== 'draft') throw new ProblemException(409, 'report_not_draft');
      await em.query('UPDATE supply_demand_reports SET analysis = $2, measures = $3, updated_at = now() WHERE id = $1', [id, body.analysis, body.measures]);
      return this.view(em, await this.readRow(em, actor, id));
    });
  }

  /** The region must be the caller's own (a county cannot act on its city's report, nor a city on a county's). */
  private ownLevel(actor: Actor, row: ReportRow) {
    if (row.region_code !== actor.regionPrefix || row.level !== actor.orgKind) throw new ProblemException(403, 'forbidden');
  }

  /**
   * `reports_submit`: freeze the figures (recomputed now), the narrative and, for a city, its counties'
   * submitted narratives; digest them with SM3 (canonical JSON); on time if submitted (Asia/Shanghai day)
   * by the deadline. A city submits only when every county with markets has submitted its report.
   */
  submit(actor: Actor, id: string, now = new Date()): Promise<ReportView> {
    return this.db.run(actor, async (em) => {
      const row = await this.changeRow(em, actor, id, 'update');
      this.ownLevel(actor, row);
      if (row.status !== 'draft') throw new ProblemException(409, 'report_not_draft');
      if (!row.analysis?.trim() || !row.measures?.trim()) {
        throw new ProblemException(422, 'validation_failed', [{ field: !row.analysis?.trim() ? 'analysis' : 'measures', key: 'report_narrative_required' }]);
      }
      const figures = await this.figures(em, actor, row.region_code, row.month);
      let parts: ReportView['parts'] = [];
      if (row.level === 'city') {
        const counties = figures.byCounty.map((c) => c.regionCode);
        const subs = await queryRows<{ id: string; region_code: string; version: number; analysis: string; measures: string }>(em,
          `SELECT id, region_code, version, analysis, measures FROM supply_demand_reports
           WHERE month = $1 AND level = 'county' AND region_code = ANY($2::text[]) AND status IN ('submitted', 'accepted')`, [row.month, counties]);
        const missing = counties.filter((c) => !subs.some((s) => s.region_code === c));
        if (missing.length) throw new ProblemException(422, 'report_counties_missing', undefined, undefined, { missing });
        const names = await this.regions.names(em, counties);
        parts = subs.sort((a, b) => a.region_code.localeCompare(b.region_code)).map((s) => ({
          regionCode: s.region_code, regionName: names.get(s.region_code) ?? s.region_code, reportId: s.id, version: Number(s.version), analysis: s.analysis, measures: s.measures,
        }));
      }
      const submittedAt = now.toISOString();
      const digest = reportDigest({ regionCode: row.region_code, level: row.level, month: row.month, version: Number(row.version), figures, analysis: row.analysis, measures: row.measures, parts, submittedAt });
      const onTime = submittedOnTime(shanghaiDay(now), reportDeadline(row.month));
      await em.query(
        `UPDATE supply_demand_reports SET status = 'submitted', figures = $2, parts = $3, digest = $4, submitted_at = $5, submitted_by = $6, on_time = $7, updated_at = now() WHERE id = $1`,
        [id, JSON.stringify(figures), JSON.stringify(parts), digest, submittedAt, actor.userId, onTime]);
      await this.audit.record(em, actor, { action: 'report.submit', subjectType: 'SupplyDemandReport', subjectId: id, regionCode: row.region_code, summary: { month: row.month, version: Number(row.version), digest, onTime } });
      return this.view(em, await this.readRow(em, actor, id));
    });
  }

  /** `reports_review`: the province accepts a city's submitted report, or returns it with a reason. */
  async review(actor: Actor, id: string, body: { decision: 'accepted' | 'returned'; reason?: string }): Promise<ReportView> {
    const view = await this.db.run(actor, async (em) => {
      const row = await this.changeRow(em, actor, id, 'verify');
      if (row.level !== 'city') throw new ProblemException(422, 'validation_failed', [{ field: 'id', key: 'report_not_city' }]);
      if (row.status !== 'submitted') throw new ProblemException(409, 'report_not_submitted');
      await em.query(`UPDATE supply_demand_reports SET status = $2, reviewed_at = now(), reviewed_by = $3, return_reason = $4, updated_at = now() WHERE id = $1`,
        [id, body.decision, actor.userId, body.decision === 'returned' ? body.reason : null]);
      await this.audit.record(em, actor, { action: `report.${body.decision === 'accepted' ? 'accept' : 'return'}`, subjectType: 'SupplyDemandReport', subjectId: id, regionCode: row.region_code, summary: { month: row.month, version: Number(row.version), reason: body.reason ?? null } });
      return this.view(em, await this.readRow(em, actor, id));
    });
    if (body.decision === 'accepted') await this.releaseIfComplete(view.regionCode.slice(0, 2), view.month);
    return view;
  }

  // ---------------------------------------------------------------- board

  /** The cities of a province (or a city itself) expected to report: those with markets now. */
  private async expectedCities(em: EntityManager, actor: Actor, regionCode: string): Promise<string[]> {
    const markets = await this.analytics.scopeMarkets(em, actor, { regionCode });
    return [...new Set(markets.map((m) => m.regionCode.slice(0, 4)))].sort();
  }

  /** `reports_board`: per city and month, expected / submitted / on time / late / returned, and the rates. */
  board(actor: Actor, q: { from: string; to: string }): Promise<ReportBoard> {
    return this.db.run(actor, async (em) => {
      if (!abilityOf(actor).can('read', 'SupplyDemandReport')) throw new ProblemException(403, 'forbidden');
      // The province sees its cities; a city its own row (the platform: every city with markets).
      const months: string[] = [];
      for (let m = q.from; m <= q.to; m = nextOf(m)) months.push(m);
      const cities = await this.expectedCities(em, actor, actor.orgKind === 'platform' ? '' : (actor.regionPrefix ?? ''));
      const rows = await queryRows<{ region_code: string; month: string; version: number; status: ReportStatus; submitted_at: Date | null; on_time: boolean | null; due: string }>(em,
        `SELECT region_code, month, version, status, submitted_at, on_time, due FROM supply_demand_reports
         WHERE level = 'city' AND month BETWEEN $1 AND $2 AND region_code = ANY($3::text[]) ORDER BY version`, [q.from, q.to, cities]);
      const names = await this.regions.names(em, cities);
      const board: ReportBoard = { from: q.from, to: q.to, rows: [], totals: [] };
      for (const c of cities) {
        const cells: BoardCell[] = months.map((month) => {
          const vs = rows.filter((r) => r.region_code === c && r.month === month);
          const last = vs[vs.length - 1];
          return {
            month, status: last?.status ?? 'missing', version: last ? Number(last.version) : null, submittedAt: last?.submitted_at ? isoOf(last.submitted_at) : null,
            onTime: last && last.status !== 'draft' ? last.on_time : null, returned: vs.filter((v) => v.status === 'returned').length, due: reportDeadline(month).due,
          };
        });
        board.rows.push({ regionCode: c, regionName: names.get(c) ?? c, cells });
      }
      board.totals = months.map((month, i) => {
        const cells = board.rows.map((r) => r.cells[i]);
        const submitted = cells.filter((x) => x.status === 'submitted' || x.status === 'accepted').length;
        const onTime = cells.filter((x) => (x.status === 'submitted' || x.status === 'accepted') && x.onTime).length;
        const expected = cells.length;
        return {
          month, expected, submitted, onTime, late: submitted - onTime, returned: cells.filter((x) => x.returned > 0).length,
          reportingRate: expected ? Math.round((submitted / expected) * 1000) / 10 : null, onTimeRate: expected ? Math.round((onTime / expected) * 1000) / 10 : null,
        };
      });
      return board;
    });
  }

  // ---------------------------------------------------------------- release (R-E4)

  /**
   * Publish a province's month once every expected city's report of it is accepted: the province's
   * figures recomputed as the platform, cut to what the notice asks to publish (求人倍率 by main industry
   * and occupation, average wage by industry), frozen with their SM3 digest. Idempotent.
   */
  async releaseIfComplete(province: string, month: string): Promise<boolean> {
    return this.db.run(SYSTEM_ACTOR, async (em) => {
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`release:${province}:${month}`]);
      if (await queryRow(em, 'SELECT 1 FROM report_releases WHERE province_code = $1 AND month = $2', [province, month])) return false;
      const cities = await this.expectedCities(em, SYSTEM_ACTOR, province);
      const accepted = await queryRows<{ region_code: string; id: string }>(em,
        `SELECT region_code, id FROM supply_demand_reports WHERE level = 'city' AND month = $1 AND status = 'accepted' AND region_code = ANY($2::text[])`, [month, cities]);
      if (!cities.length || cities.some((c) => !accepted.some((a) => a.region_code === c))) return false;
      const f = await this.figures(em, SYSTEM_ACTOR, province, month);
      const data = releaseData(f);
      const digest = digestHex('sm3', canonicalJson({ province, month, data }));
      await em.query('INSERT INTO report_releases (province_code, month, data, digest) VALUES ($1, $2, $3, $4)', [province, month, JSON.stringify(data), digest]);
      await this.audit.record(em, SYSTEM_ACTOR, { action: 'report.release', subjectType: 'ReportRelease', subjectId: null, regionCode: province, summary: { month, digest, reports: accepted.map((a) => a.id) } });
      this.log.log({ province, month }, 'monthly release published');
      return true;
    });
  }

  /** The public releases (no sign-in): the list, or one province's month. */
  releases(province?: string): Promise<Omit<ReleaseView, 'ratioByIndustry' | 'ratioByOccupation' | 'wageByIndustry'>[]> {
    return this.db.run(SYSTEM_ACTOR, async (em) => {
      const rows = await queryRows<ReleaseRow>(em, `SELECT province_code, month, data, digest, released_at FROM report_releases WHERE ($1::text IS NULL OR province_code = $1) ORDER BY month DESC, province_code`, [province ?? null]);
      const names = await this.regions.names(em, rows.map((r) => r.province_code));
      return rows.map((r) => ({ provinceCode: r.province_code, provinceName: names.get(r.province_code) ?? r.province_code, month: r.month, acceptedAt: isoOf(r.released_at), reportId: '', digest: r.digest, totals: r.data.totals }));
    });
  }

  release(province: string, month: string): Promise<ReleaseView> {
    return this.db.run(SYSTEM_ACTOR, async (em) => {
      const r = await queryRow<ReleaseRow>(em, 'SELECT province_code, month, data, digest, released_at FROM report_releases WHERE province_code = $1 AND month = $2', [province, month]);
      if (!r) throw new ProblemException(404, 'report_not_released');
      const names = await this.regions.names(em, [province]);
      return { provinceCode: province, provinceName: names.get(province) ?? province, month, acceptedAt: isoOf(r.released_at), reportId: '', digest: r.digest, ...r.data };
    });
  }

  // ---------------------------------------------------------------- views

  private async views(em: EntityManager, rows: ReportRow[]): Promise<ReportView[]> {
    const names = await this.regions.names(em, rows.map((r) => r.region_code));
    return rows.map((r) => toView(r, names.get(r.region_code) ?? r.region_code));
  }
  private async view(em: EntityManager, row: ReportRow): Promise<ReportView> {
    return (await this.views(em, [row]))[0];
  }
}

const nextOf = (m: string) => {
  const [y, mm] = m.split('-').map(Number);
  return mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
};

/** The SM3 digest of a submitted report: canonical JSON of everything frozen with it. */
export function reportDigest(x: { regionCode: string; level: string; month: string; version: number; figures: ReportFigures; analysis: string | null; measures: string | null; parts: unknown[]; submittedAt: string }): string {
  return digestHex('sm3', canonicalJson(x));
}

/** What is published (R-E4): 求人倍率 by main industry and occupation, average day wage by industry. */
export function releaseData(f: ReportFigures): Omit<ReleaseView, 'provinceCode' | 'provinceName' | 'month' | 'acceptedAt' | 'reportId' | 'digest'> {
  return {
    totals: { demand: f.totals.newDemand, seekers: f.totals.seekers, ratio: f.totals.ratio },
    ratioByIndustry: f.demandByIndustry.filter((r) => r.key).map((r) => ({ code: r.key, name: industryName(r.key), demand: r.value, ratio: r.ratio })),
    ratioByOccupation: f.byOccupation.filter((r) => r.demand > 0).slice(0, 30).map((r) => ({ occupation: r.key, demand: r.demand, seekers: r.seekers, ratio: r.ratio })),
    wageByIndustry: f.wagesByIndustry.filter((r) => r.key).map((r) => ({ code: r.key, name: industryName(r.key), posts: r.posts, averageDayWageFen: r.average })),
  };
}

function toView(r: ReportRow, regionName: string): ReportView {
  return {
    id: r.id, regionCode: r.region_code, regionName, level: r.level, month: r.month, version: Number(r.version), status: r.status,
    figures: r.figures ?? null, analysis: r.analysis, measures: r.measures, parts: r.parts ?? [], deadline: reportDeadline(r.month),
    digest: r.digest, submittedAt: r.submitted_at ? isoOf(r.submitted_at) : null, onTime: r.on_time, reviewedAt: r.reviewed_at ? isoOf(r.reviewed_at) : null,
    returnReason: r.return_reason, createdAt: isoOf(r.created_at),
  };
}
