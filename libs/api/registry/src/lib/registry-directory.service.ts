import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Pii, SHANGHAI_TODAY_SQL as TODAY, abilityOf } from '@linggong/api-core';
import { asSubject, maskName, type Actor } from '@linggong/domain';
import type { EmployerRow, WorkerRow } from './rows';

export interface WorkerFacts {
  id: string; tenantId: string; regionCode: string; marketId: string; name: string; status: 'active' | 'removed';
  gender: 'male' | 'female' | null; birthDate: string | null; birthYear: number | null; occupations: string[];
}
export interface EmployerFacts { id: string; tenantId: string; regionCode: string; marketId: string; name: string; status: string; openFlags: number }
/** A worker's or employer's name and the scope to check before showing it. */
export interface DisplayName { name: string; tenantId: string; regionCode: string; marketId: string }
export type WorkerEvent = 'seen' | 'started' | 'completed' | 'no_show';
/** What the assistance context (R-B9) reads of a worker: who, and the dates its waiting time comes from. */
export interface WorkerWaiting {
  id: string; tenantId: string; marketId: string; regionCode: string; name: string; mobileMasked: string;
  registeredOn: string; lastWorkedOn: string | null; hardshipTier: number;
}


/**
 * What other contexts may read and change of workers and employers (the 即时快招 context's check-ins,
 * ranking counters, removals and employer flags), always in the caller's transaction so RLS and
 * atomicity hold. Access checks stay with the caller, which knows the action.
 */
@Injectable()
export class RegistryDirectoryService {
  constructor(private readonly pii: Pii) {}

  async worker(em: EntityManager, id: string): Promise<WorkerFacts | null> {
    const [w] = await em.query<WorkerRow[]>(
      `SELECT id, tenant_id, region_code, market_id, name, status, gender, birth_date, birth_year, occupations
       FROM workers WHERE id = $1`, [id]);
    return w ? {
      id: w.id, tenantId: w.tenant_id, regionCode: w.region_code, marketId: w.market_id, name: w.name, status: w.status, gender: w.gender,
      birthDate: w.birth_date, birthYear: w.birth_year, occupations: w.occupations ?? [],
    } : null;
  }

  /** Gender and birth year of workers, for aggregate dimensions (analytics' gender and age bands); no names, no contacts. */
  async demographics(em: EntityManager, ids: string[]): Promise<Map<string, { gender: string | null; birthYear: number | null; occupations: string[] }>> {
    if (!ids.length) return new Map();
    const rows: { id: string; gender: string | null; birth_year: number | null; occupations: string[] | null }[] = await em.query('SELECT id, gender, birth_year, occupations FROM workers WHERE id = ANY($1::uuid[])', [ids]);
    return new Map(rows.map((r) => [r.id, { gender: r.gender, birthYear: r.birth_year, occupations: r.occupations ?? [] }]));
  }

  /** Employers' industries (GB/T 4754 section, issue 14), for the rollup's fact rows; employers without one are absent. */
  async industries(em: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; industry: string }[] = await em.query('SELECT id, industry FROM employers WHERE id = ANY($1::uuid[]) AND industry IS NOT NULL', [ids]);
    return new Map(rows.map((r) => [r.id, r.industry]));
  }

  /**
   * Display names of workers and employers with the scope a caller checks before showing them (analytics'
   * drill-down items). In the caller's transaction: rows RLS hides are simply absent.
   */
  async displayNames(em: EntityManager, workerIds: string[], employerIds: string[]): Promise<{ workers: Map<string, DisplayName>; employers: Map<string, DisplayName> }> {
    const read = async (table: 'workers' | 'employers', ids: string[]) => {
      if (!ids.length) return new Map<string, DisplayName>();
      const rows: { id: string; name: string; tenant_id: string; region_code: string; market_id: string }[] = await em.query(
        `SELECT id, name, tenant_id, region_code, market_id FROM ${table} WHERE id = ANY($1::uuid[])`, [ids]);
      return new Map(rows.map((r) => [r.id, { name: r.name, tenantId: r.tenant_id, regionCode: r.region_code, marketId: r.market_id }]));
    };
    return { workers: await read('workers', workerIds), employers: await read('employers', employerIds) };
  }

  /**
   * Workers' names as a reader may see them in another context's label (the audit log's subjects, issue 17 §4: a
   * placement, a loan, a plan, an enrolment): in full where the reader may read the worker, masked (王**) otherwise,
   * absent where RLS hides the row. In the caller's transaction.
   */
  async workerNamesFor(em: EntityManager, reader: Actor, ids: string[]): Promise<Map<string, string>> {
    const ability = abilityOf(reader);
    const { workers } = await this.displayNames(em, [...new Set(ids)], []);
    return new Map([...workers].map(([id, n]) => [id, ability.can('read', asSubject('Worker', { tenantId: n.tenantId, regionCode: n.regionCode, marketId: n.marketId })) ? n.name : maskName(n.name)]));
  }

  /**
   * Workers' names and masked mobiles (a call-back sample's rows, issue 16), and with `reveal` the full
   * mobile too. The caller checks access and records the reveal as an audit event in the same transaction.
   */
  async workerContacts(em: EntityManager, ids: string[], reveal = false): Promise<Map<string, { name: string; mobileMasked: string; mobile?: string; tenantId: string; regionCode: string; marketId: string }>> {
    if (!ids.length) return new Map();
    const rows: { id: string; name: string; mobile_masked: string; mobile_enc: string; tenant_id: string; region_code: string; market_id: string }[] = await em.query(
      'SELECT id, name, mobile_masked, mobile_enc, tenant_id, region_code, market_id FROM workers WHERE id = ANY($1::uuid[])', [ids]);
    return new Map(rows.map((r) => [r.id, {
      name: r.name, mobileMasked: r.mobile_masked, tenantId: r.tenant_id, regionCode: r.region_code, marketId: r.market_id,
      ...(reveal ? { mobile: this.pii.decrypt(r.mobile_enc) } : {}),
    }]));
  }

  /** A tenant's worker by mobile number, through the blind index (the number itself is never queried). */
  async workerByMobile(em: EntityManager, tenantId: string, mobile: string): Promise<WorkerFacts | null> {
    const [w] = await em.query<{ id: string }[]>('SELECT id FROM workers WHERE tenant_id = $1 AND mobile_bidx = $2', [tenantId, this.pii.index('mobile', mobile)]);
    return w ? this.worker(em, w.id) : null;
  }

  /** The counters and dates the candidate ranking reads (R-B4): seen, last worked, completed, no-shows. */
  async recordWorkerEvent(em: EntityManager, id: string, event: WorkerEvent): Promise<void> {
    const set = {
      seen: `last_seen_on = ${TODAY}`,
      started: `last_worked_on = ${TODAY}`,
      completed: `completed_count = completed_count + 1, last_worked_on = ${TODAY}`,
      no_show: 'no_show_count = no_show_count + 1',
    }[event];
    await em.query(`UPDATE workers SET ${set} WHERE id = $1`, [id]);
  }

  /**
   * Job push (issue 18 §2; R-G11): the active workers who opted in whose county is `regionCode` and who do
   * `occupation`, with their scope. In the caller's transaction (the push job runs as the platform).
   */
  async jobPushSubscribers(em: EntityManager, regionCode: string, occupation: string): Promise<{ id: string; tenantId: string; regionCode: string; mobileMasked: string }[]> {
    const rows: { id: string; tenant_id: string; region_code: string; mobile_masked: string }[] = await em.query(
      `SELECT id, tenant_id, region_code, mobile_masked FROM workers
       WHERE job_push AND status = 'active' AND region_code = $1 AND $2 = ANY(occupations) ORDER BY id`, [regionCode, occupation]);
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, regionCode: r.region_code, mobileMasked: r.mobile_masked }));
  }

  /** A worker's push state: whether they are subscribed, their trades and county. */
  async jobPushState(em: EntityManager, id: string): Promise<{ id: string; tenantId: string; regionCode: string; marketId: string; name: string; mobileMasked: string; jobPush: boolean; occupations: string[] } | null> {
    const [r] = await em.query<{ id: string; tenant_id: string; region_code: string; market_id: string; name: string; mobile_masked: string; job_push: boolean; occupations: string[] | null }[]>(
      'SELECT id, tenant_id, region_code, market_id, name, mobile_masked, job_push, occupations FROM workers WHERE id = $1', [id]);
    return r ? { id: r.id, tenantId: r.tenant_id, regionCode: r.region_code, marketId: r.market_id, name: r.name, mobileMasked: r.mobile_masked, jobPush: r.job_push, occupations: r.occupations ?? [] } : null;
  }

  /** Opt in or out of job push (an unsubscribe from the worker's page); true when it changed. Row-locked by the caller's UPDATE. */
  async setJobPush(em: EntityManager, id: string, on: boolean): Promise<boolean> {
    const rows: unknown[] = await em.query('WITH x AS (UPDATE workers SET job_push = $2, job_push_at = now() WHERE id = $1 AND job_push <> $2 RETURNING id) SELECT id FROM x', [id, on]);
    return rows.length > 0;
  }

  /** Removal from the market (R-B8) and its reversal on appeal. */
  async setWorkerStatus(em: EntityManager, id: string, status: 'active' | 'removed'): Promise<void> {
    await em.query('UPDATE workers SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
  }

  /** Registration day (Asia/Shanghai), last day worked and current tier of some workers (assistance, R-B9). */
  async workersWaiting(em: EntityManager, ids: string[]): Promise<Map<string, WorkerWaiting>> {
    if (ids.length === 0) return new Map();
    const rows = await em.query<(WorkerRow & { registered_on: string })[]>(
      `SELECT id, tenant_id, market_id, region_code, name, mobile_masked, hardship_tier,
              (created_at AT TIME ZONE 'Asia/Shanghai')::date AS registered_on, last_worked_on
       FROM workers WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((w) => [w.id, {
      id: w.id, tenantId: w.tenant_id, marketId: w.market_id, regionCode: w.region_code,
      name: w.name, mobileMasked: w.mobile_masked, registeredOn: w.registered_on,
      lastWorkedOn: w.last_worked_on ?? null, hardshipTier: w.hardship_tier,
    }]));
  }

  /** The service tier the candidate ranking reads (R-B9 priority), set by the assistance context only. */
  async setHardshipTier(em: EntityManager, id: string, tier: number): Promise<void> {
    await em.query('UPDATE workers SET hardship_tier = $2, updated_at = now() WHERE id = $1', [id, tier]);
  }

  async employer(em: EntityManager, id: string): Promise<EmployerFacts | null> {
    const [e] = await em.query<EmployerRow[]>('SELECT id, tenant_id, region_code, market_id, name, status, open_flags FROM employers WHERE id = $1', [id]);
    return e ? { id: e.id, tenantId: e.tenant_id, regionCode: e.region_code, marketId: e.market_id, name: e.name, status: e.status, openFlags: e.open_flags } : null;
  }

  /** One more open non-payment report or wage-arrears referral against the employer (a red flag on its posts). */
  async flagEmployer(em: EntityManager, id: string): Promise<void> {
    await em.query('UPDATE employers SET open_flags = open_flags + 1 WHERE id = $1', [id]);
  }
}
