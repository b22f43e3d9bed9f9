import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MESSAGES, msg, registerWorkerSchema, zodErrorMap, type Actor, type Lang } from '@linggong/domain';
import { Pii, ProblemException, TenantDb, applyAccess, assertAccess, notFound, unprocessable, containsPattern } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { MarketDirectoryService } from '@linggong/api-markets';
import { WorkersService } from './workers.service';
import { REGISTRY_ACCESS, type WorkerViewRow } from './rows';
import {
  MAX_EXPORT_ROWS, exportWorkbook, readRoster, templateWorkbook,
  type ExportRow, type ExportWorkersQuery, type ImportWorkersInput,
} from './roster';

/** One exported roster line: a worker's masked fields, its market's name, the registration time as text. */
type RosterExportRow = Pick<WorkerViewRow, 'name' | 'mobile_masked' | 'id_masked' | 'gender' | 'birth_year' | 'occupations' | 'skills' | 'market_name' | 'status'> & { registered_at: string };

export interface ImportRejection { row: number; field: string; message: string }
export interface ImportResult { total: number; imported: number; rejected: ImportRejection[]; dryRun: boolean }

/**
 * The real-name roster in bulk (实名制台账, R-B3): importing an existing roster row by row through the
 * same registration as the desk form, and exporting the visible roster masked.
 */
@Injectable()
export class WorkerRosterService {
  constructor(
    private readonly db: TenantDb,
    private readonly pii: Pii,
    private readonly audit: AuditService,
    private readonly markets: MarketDirectoryService,
    private readonly workers: WorkersService,
  ) {}

  /** The checks of a registration at this market, made once before any row (404 out of scope, 403 without the right). */
  private async registerableMarket(em: EntityManager, actor: Actor, marketId: string) {
    const m = await this.markets.scopeOf(em, marketId);
    if (!m) throw notFound();
    assertAccess(actor, 'read', 'Market', { id: marketId, tenantId: m.tenantId, regionCode: m.regionCode });
    assertAccess(actor, 'create', 'Worker', { marketId, tenantId: m.tenantId, regionCode: m.regionCode });
    return m;
  }

  template(actor: Actor, marketId: string): Promise<Buffer> {
    return this.db.run(actor, async (em) => {
      await this.registerableMarket(em, actor, marketId);
      return templateWorkbook();
    });
  }

  /**
   * Every valid row is registered (WorkersService.registerIn: dedup, encryption, work-log entry, audit),
   * each behind its own savepoint so a refused row leaves nothing behind; refused rows are reported
   * with their sheet row number, the field and a message in the caller's language. A dry run does the
   * same and then rolls everything back.
   */
  importRoster(actor: Actor, marketId: string, body: ImportWorkersInput, lang: Lang): Promise<ImportResult> {
    return this.db.run(actor, async (em) => {
      const m = await this.registerableMarket(em, actor, marketId);
      if (!m.tenantId) throw new ProblemException(422, 'validation_failed', [{ field: 'marketId', key: 'operator_not_found' }]);
      const rows = await readRoster(body.file);
      const tr = (key: string) => (key in MESSAGES[lang] ? msg(lang, key) : key);
      const rejected: ImportRejection[] = [];
      const firstMobile = new Map<string, number>();
      const firstId = new Map<string, number>();
      let imported = 0;
      await em.query('SAVEPOINT roster_import');
      for (const { row, input, issues } of rows) {
        const problems: ImportRejection[] = issues.map((i) => ({ row, field: i.field, message: tr(i.key) }));
        // The form's schema and wording: the same messages a clerk sees at the desk.
        const parsed = registerWorkerSchema.safeParse(input, { error: zodErrorMap(lang) });
        if (!parsed.success) {
          for (const i of parsed.error.issues) {
            const [field, index] = i.path;
            const value = typeof index === 'number' ? (input[String(field)] as unknown[] | undefined)?.[index] : undefined;
            problems.push({ row, field: String(field ?? 'row'), message: tr(i.message) + (value === undefined ? '' : lang === 'en' ? ` (${String(value)})` : `（${String(value)}）`) });
          }
        }
        if (problems.length || !parsed.success) {
          rejected.push(...problems);
          continue;
        }
        const w = parsed.data;
        const sameMobile = firstMobile.get(w.mobile);
        const sameId = w.idNumber ? firstId.get(w.idNumber) : undefined;
        if (sameMobile || sameId) {
          rejected.push(sameMobile
            ? { row, field: 'mobile', message: tr('import_duplicate_mobile_in_file').replace('{row}', String(sameMobile)) }
            : { row, field: 'idNumber', message: tr('import_duplicate_id_in_file').replace('{row}', String(sameId)) });
          continue;
        }
        await em.query('SAVEPOINT roster_row');
        try {
          await this.workers.registerIn(em, actor, marketId, w, 'import');
          await em.query('RELEASE SAVEPOINT roster_row');
        } catch (e) {
          // Undo the row, then drop the savepoint so refused rows do not pile up nested ones.
          await em.query('ROLLBACK TO SAVEPOINT roster_row');
          await em.query('RELEASE SAVEPOINT roster_row');
          if (!(e instanceof ProblemException) || e.status >= 500) throw e;
          rejected.push(...(e.errors?.length ? e.errors : [{ field: 'row', key: e.key }]).map((x) => ({ row, field: x.field, message: tr(x.key) })));
          continue;
        }
        imported++;
        firstMobile.set(w.mobile, row);
        if (w.idNumber) firstId.set(w.idNumber, row);
      }
      if (body.dryRun) {
        await em.query('ROLLBACK TO SAVEPOINT roster_import');
      } else {
        await this.audit.record(em, actor, {
          action: 'worker.import', subjectType: 'Market', subjectId: marketId, tenantId: m.tenantId, regionCode: m.regionCode,
          summary: { total: rows.length, imported, rejectedRows: new Set(rejected.map((r) => r.row)).size },
        });
      }
      return { total: rows.length, imported, rejected, dryRun: body.dryRun };
    });
  }

  /** The workers the caller may see (the list's access filter), masked as stored: nothing is decrypted. Audited. */
  async exportRoster(actor: Actor, q: ExportWorkersQuery, lang: Lang): Promise<Buffer> {
    const rows = await this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('workers', 'w').innerJoin('markets', 'm', 'm.id = w.market_id');
      let found: RosterExportRow[] = [];
      if (applyAccess(qb, actor, 'read', 'Worker', REGISTRY_ACCESS('w'))) {
        if (q.marketId) qb.andWhere('w.market_id = :market', { market: q.marketId });
        if (q.mobile) qb.andWhere('w.mobile_bidx = :bidx', { bidx: this.pii.index('mobile', q.mobile) });
        if (q.q) qb.andWhere('w.name ILIKE :q', { q: containsPattern(q.q) });
        found = await qb.select([
          'w.name AS name', 'w.mobile_masked AS mobile_masked', 'w.id_masked AS id_masked', 'w.gender AS gender', 'w.birth_year AS birth_year',
          'w.occupations AS occupations', 'w.skills AS skills', 'm.name AS market_name', 'w.status AS status',
          "to_char(w.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS registered_at",
        ]).orderBy('w.created_at', 'DESC').addOrderBy('w.id').limit(MAX_EXPORT_ROWS + 1).getRawMany<RosterExportRow>();
        if (found.length > MAX_EXPORT_ROWS) throw unprocessable('export_too_many_rows', 'q');
      }
      // Who took which slice of the roster (no personal data in the event: the mobile filter only as a flag).
      await this.audit.record(em, actor, {
        action: 'worker.export', subjectType: 'Worker', regionCode: actor.regionPrefix || null,
        summary: { marketId: q.marketId ?? null, q: q.q ?? null, byMobile: Boolean(q.mobile), rows: found.length },
      });
      return found;
    });
    return exportWorkbook(rows.map((r): ExportRow => ({
      name: r.name, mobileMasked: r.mobile_masked, idMasked: r.id_masked ?? null,
      gender: r.gender ?? null, birthYear: r.birth_year ?? null,
      occupations: r.occupations ?? [], skills: r.skills ?? [], marketName: r.market_name ?? null,
      status: r.status, registeredAt: r.registered_at,
    })), lang);
  }
}
