import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  asSubject, idCardFacts, maskIdNumber, maskName, maskPhone, workerQuerySchema,
  type Actor, type Page, type RegisterWorkerInput, type WorkerView,
} from '@linggong/domain';
import { Pii, ProblemException, TenantDb, abilityOf, applyAccess, assertAccess, conflict, isoOf, newId, notFound, queryRows } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { FactsService, LedgerService } from '@linggong/api-ledger';
import { RegistryDirectoryService } from './registry-directory.service';
import { MarketDirectoryService } from '@linggong/api-markets';
import { REGISTRY_ACCESS, type WorkerRow, type WorkerViewRow } from './rows';

/** Workers (零工): minimal registration (R-B2) and the real-name ledger (R-B3). */
@Injectable()
export class WorkersService implements OnModuleInit {
  constructor(
    private readonly db: TenantDb,
    private readonly pii: Pii,
    private readonly audit: AuditService,
    private readonly facts: FactsService,
    private readonly markets: MarketDirectoryService,
    private readonly ledger: LedgerService,
    private readonly directory: RegistryDirectoryService,
  ) {}

  /**
   * The work log shows workers and employers by name (issue 17 §4), through this context: the caller's
   * own roster by name, anyone else's masked (王**), as the analytics drill-down does.
   */
  onModuleInit(): void {
    const named = (which: 'workers' | 'employers', subject: 'Worker' | 'Employer') => async (em: EntityManager, actor: Actor, ids: string[]) => {
      const found = (await this.directory.displayNames(em, which === 'workers' ? ids : [], which === 'employers' ? ids : []))[which];
      const ability = abilityOf(actor);
      return new Map([...found].map(([id, n]) => [id, ability.can('read', asSubject(subject, { tenantId: n.tenantId, regionCode: n.regionCode, marketId: n.marketId })) ? n.name : maskName(n.name)]));
    };
    this.ledger.registerNames('workerId', named('workers', 'Worker'));
    this.ledger.registerNames('employerId', named('employers', 'Employer'));
    // And so does the audit log its subjects (issue 17 §4), with the same masking.
    this.audit.registerSubjectNames('Worker', named('workers', 'Worker'));
    this.audit.registerSubjectNames('Employer', named('employers', 'Employer'));
  }

  register(actor: Actor, marketId: string, input: RegisterWorkerInput, source: 'desk' | 'qr' | 'import' | 'online' = 'desk'): Promise<WorkerView> {
    return this.db.run(actor, (em) => this.registerIn(em, actor, marketId, input, source));
  }

  /** Registration inside the caller's transaction (public QR page, roster import). */
  async registerIn(em: EntityManager, actor: Actor, marketId: string, input: RegisterWorkerInput, source: 'desk' | 'qr' | 'import' | 'online' = 'desk'): Promise<WorkerView> {
    const m = await this.markets.scopeOf(em, marketId);
    if (!m) throw notFound();
    assertAccess(actor, 'read', 'Market', { id: marketId, tenantId: m.tenantId, regionCode: m.regionCode });
    assertAccess(actor, 'create', 'Worker', { marketId, tenantId: m.tenantId, regionCode: m.regionCode });
    if (!m.tenantId) throw new ProblemException(422, 'validation_failed', [{ field: 'marketId', key: 'operator_not_found' }]);
    const mobileIdx = this.pii.index('mobile', input.mobile);
    const idIdx = input.idNumber ? this.pii.index('id', input.idNumber) : null;
    const [dup] = await em.query<{ same_mobile: boolean }[]>('SELECT mobile_bidx = $2 AS same_mobile FROM workers WHERE tenant_id = $1 AND (mobile_bidx = $2 OR ($3::text IS NOT NULL AND id_bidx = $3)) LIMIT 1', [m.tenantId, mobileIdx, idIdx]);
    if (dup) throw dup.same_mobile ? conflict('worker_exists', 'mobile') : conflict('worker_id_exists', 'idNumber');
    const id = newId();
    // The ID card settles birth date and sex (the compliance guard needs both, R-B7); it wins over typed values.
    const facts = input.idNumber ? idCardFacts(input.idNumber) : null;
    await em.query(
      `INSERT INTO workers (id, tenant_id, market_id, region_code, name, mobile_enc, mobile_masked, mobile_bidx, id_enc, id_masked, id_bidx,
         gender, birth_year, birth_date, occupations, skills, availability, home_area, home_lat, home_lng, source, consent_at, created_by, job_push, job_push_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, now(), $22, $23, CASE WHEN $23 THEN now() END)`,
      [id, m.tenantId, marketId, m.regionCode, input.name, this.pii.encrypt(input.mobile), maskPhone(input.mobile), mobileIdx,
        input.idNumber ? this.pii.encrypt(input.idNumber) : null, maskIdNumber(input.idNumber), idIdx,
        facts?.sex ?? input.gender ?? null, facts ? Number(facts.birthDate.slice(0, 4)) : (input.birthYear ?? null), facts?.birthDate ?? null,
        input.occupations, input.skills, input.availability ?? null, input.homeArea ?? null, input.homeLat ?? null, input.homeLng ?? null,
        source, actor.userId, input.jobPush ?? false],
    );
    // The work log records the event, not the personal data (the ledger cannot be erased).
    await this.facts.record(em, actor, { marketId, kind: 'registration', subjectType: 'Worker', subjectId: id, payload: { workerId: id, occupations: input.occupations, realName: Boolean(input.idNumber) }, summary: { marketId, consent: true, source } });
    return (await this.views(em, await queryRows<WorkerViewRow>(em, `${SELECT} WHERE w.id = $1`, [id])))[0];
  }

  list(actor: Actor, q: z.infer<typeof workerQuerySchema>): Promise<Page<WorkerView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('workers', 'w').innerJoin('markets', 'm', 'm.id = w.market_id');
      // The same CASL conditions as the object checks (tenant for operators, region for authorities, the
      // registering market for market-level staff); an exact mobile is a 'lookup' of the tenant's worker
      // identity, so a worker registered at another market of the operator is found at check-in (issue 12 §5).
      if (!applyAccess(qb, actor, q.mobile ? 'lookup' : 'read', 'Worker', REGISTRY_ACCESS('w'))) {
        return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      }
      if (q.marketId) qb.andWhere('w.market_id = :market', { market: q.marketId });
      if (q.mobile) qb.andWhere('w.mobile_bidx = :bidx', { bidx: this.pii.index('mobile', q.mobile) });
      if (q.q) qb.andWhere('w.name ILIKE :q', { q: `%${q.q.replace(/[%_]/g, '')}%` });
      const total = await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>();
      const rows = await qb.select(COLUMNS).orderBy('w.created_at', 'DESC').addOrderBy('w.id').offset((q.page - 1) * q.pageSize).limit(q.pageSize).getRawMany<WorkerViewRow>();
      return { items: await this.views(em, rows), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
    });
  }

  get(actor: Actor, id: string): Promise<WorkerView> {
    return this.db.run(actor, async (em) => {
      const [row] = await queryRows<WorkerViewRow>(em, `${SELECT} WHERE w.id = $1`, [id]);
      if (!row || !abilityOf(actor).can('read', asSubject('Worker', { tenantId: row.tenant_id, regionCode: row.region_code, marketId: row.market_id }))) throw notFound();
      return (await this.views(em, [row]))[0];
    });
  }

  /** The full mobile or ID number; every reveal is an audit event (DESIGN.md "Personal data"). */
  reveal(actor: Actor, id: string, field: 'mobile' | 'idNumber'): Promise<{ field: string; value: string | null }> {
    return this.db.run(actor, async (em) => {
      const [row] = await queryRows<Pick<WorkerRow, 'id' | 'tenant_id' | 'market_id' | 'region_code' | 'mobile_enc' | 'id_enc'>>(em, 'SELECT id, tenant_id, market_id, region_code, mobile_enc, id_enc FROM workers WHERE id = $1', [id]);
      const subject = row && asSubject('Worker', { tenantId: row.tenant_id, regionCode: row.region_code, marketId: row.market_id });
      if (!row || !abilityOf(actor).can('read', subject)) throw notFound();
      if (!abilityOf(actor).can('reveal', subject)) throw new ProblemException(403, 'forbidden');
      const enc = field === 'mobile' ? row.mobile_enc : row.id_enc;
      await this.audit.record(em, actor, { action: 'personal_data.reveal', subjectType: 'Worker', subjectId: id, tenantId: row.tenant_id, regionCode: row.region_code, summary: { field } });
      return { field, value: enc ? this.pii.decrypt(enc) : null };
    });
  }

  private async views(_em: EntityManager, rows: WorkerViewRow[]): Promise<WorkerView[]> {
    return rows.map((r) => ({
      id: r.id, tenantId: r.tenant_id, marketId: r.market_id, marketName: r.market_name ?? null,
      name: r.name, mobile: r.mobile_masked, idNumber: r.id_masked ?? null,
      gender: r.gender ?? null, birthYear: r.birth_year ?? null,
      occupations: r.occupations ?? [], skills: r.skills ?? [], availability: r.availability ?? null,
      homeArea: r.home_area ?? null, status: r.status, source: r.source, jobPush: r.job_push ?? false,
      completed: r.completed_count ?? 0, noShows: r.no_show_count ?? 0, hardshipTier: r.hardship_tier ?? 0,
      lastSeenOn: r.last_seen_on ?? null, consentAt: isoOf(r.consent_at),
      createdAt: isoOf(r.created_at),
    }));
  }
}

const COLUMNS = ['w.id AS id', 'w.tenant_id AS tenant_id', 'w.market_id AS market_id', 'w.region_code AS region_code', 'w.name AS name',
  'w.mobile_masked AS mobile_masked', 'w.id_masked AS id_masked', 'w.gender AS gender', 'w.birth_year AS birth_year',
  'w.occupations AS occupations', 'w.skills AS skills', 'w.availability AS availability', 'w.home_area AS home_area', 'w.status AS status',
  'w.source AS source', 'w.job_push AS job_push', 'w.completed_count AS completed_count', 'w.no_show_count AS no_show_count', 'w.hardship_tier AS hardship_tier',
  'w.last_seen_on AS last_seen_on', 'w.consent_at AS consent_at', 'w.created_at AS created_at', 'm.name AS market_name'];
const SELECT = `SELECT w.id, w.tenant_id, w.market_id, w.region_code, w.name, w.mobile_masked, w.id_masked, w.gender, w.birth_year,
  w.occupations, w.skills, w.availability, w.home_area, w.status, w.source, w.job_push, w.completed_count, w.no_show_count, w.hardship_tier,
  w.last_seen_on, w.consent_at, w.created_at, m.name AS market_name
  FROM workers w JOIN markets m ON m.id = w.market_id`;
